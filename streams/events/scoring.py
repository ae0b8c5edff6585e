"""Scoring event resolution against labelled reports that carry an ``event_cluster`` id (pure).

Definitions (also in ``streams/events/README.md``):

* **gold units**: the gold entries with casualties (killed or wounded > 0) of every labelled
  article that has an ``event_cluster``. An entry's cluster is its own ``event_cluster`` when it
  has one; otherwise the article's cluster goes to its only entry, or to its largest one (most
  killed, then wounded, first on a tie), and every other entry is an event of its own (the corpus
  README: an article may hold a second event that has no cluster).
* **scored incidents**: in ``gold`` mode the gold units themselves, fed to the resolver as if
  extracted (this measures matching alone); in ``extracted`` mode the extracted incidents
  aligned to a gold unit of their article (:func:`align`): first the incident scoring's one-to-one
  match (:func:`extractors.evaluation.match_incidents`, equal counts and region), then, for what
  is left, the closest counts among pairs with a compatible region (equal, or one unknown) and
  killed or wounded within a factor of 2. Extracted incidents aligned to no unit are *spurious*:
  they take no part in the pairwise score but are counted, and their events count in the event
  number and the totals.
* **pairwise precision / recall** over pairs of scored incidents: a pair is predicted "same
  event" when the resolver put both in one event, gold "same event" when both units share a
  cluster. Precision = pairs both / pairs predicted, recall = pairs both / gold pairs.
  ``pairs_dated`` is the same over the reports that have a publication date (stored pages
  without one can be matched only on place, method, counts and words, and arrive last).
* **events**: events the resolver made (every event, spurious ones included) against the
  number of gold clusters.
* **killed per region**: the sum of resolved events' ``killed`` per region against gold, where a
  gold event's killed is the highest figure among its reports (every event in the dev corpus
  has an early lower toll and a later higher one) and its region the one most of its reports
  give. ``reports_counted`` is what tables count without resolution (every incident's killed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from math import comb
from typing import Any

from extractors.context import parse_date
from extractors.corpus import LabelledArticle
from extractors.evaluation import match_incidents
from schemas.records import SCHEMA_VERSION, Article, Event, Evidence, ExtractorInfo, Incident, Location, VictimGroup
from streams.events.dates import day_range
from streams.events.resolver import Resolver

GOLD_EXTRACTOR = ExtractorInfo(name="gold", version="labels")

_GOLD_METHODS = {
    "bomb": "ied", "ied": "ied", "car_bomb": "car_bomb", "suicide_bombing": "suicide_bombing",
    "airstrike": "airstrike", "shelling": "shelling", "gunfire": "gunfire", "armed_clash": "armed_clash",
    "execution": "execution", "sniper": "sniper", "bodies_found": "bodies_found", "other": "other",
}  # fmt: skip
_GOLD_PERPETRATORS = {"militant": "militants", "militants": "militants", "security_forces": "security_forces",
                      "militia": "militia", "coalition": "coalition", "gunmen": "gunmen"}
_CATEGORIES = ("civilian", "security", "militant", "militia", "unknown")


def _counts(entry: dict[str, Any]) -> tuple[int, int]:
    return int(entry.get("killed") or 0), int(entry.get("wounded") or 0)


@dataclass(frozen=True, slots=True)
class GoldUnit:
    """One gold entry with casualties, with the event cluster it belongs to."""

    article_id: str
    index: int
    cluster: str
    region: str | None
    killed: int
    wounded: int
    dated: bool = True
    """The article has a publication date (undated reports can only be matched on the rest)."""


def gold_units(item: LabelledArticle) -> list[GoldUnit]:
    """The gold units of one labelled article (empty without gold or without a cluster)."""
    article_cluster = item.extra.get("event_cluster")
    if not item.gold or not article_cluster:
        return []
    entries = [(i, g) for i, g in enumerate(item.gold) if any(_counts(g))]
    main = max(entries, key=lambda e: (_counts(e[1]), -e[0]))[0] if entries else -1
    units = []
    for i, g in entries:
        cluster = g.get("event_cluster") or (article_cluster if i == main else f"{item.article.id}#{i}")
        k, w = _counts(g)
        units.append(GoldUnit(item.article.id, i, str(cluster), g.get("region_code"), k, w,
                              parse_date(item.article.published) is not None))
    return units


def gold_incident(item: LabelledArticle, unit: GoldUnit) -> Incident:
    """A gold entry as the extractor would have written it (for ``gold`` mode)."""
    art = item.article
    g = (item.gold or [])[unit.index]
    evidence = str(g.get("evidence") or "")
    place, city, region = g.get("place"), g.get("city"), g.get("region_code")
    precision = "site" if place and place != city else "city" if city else "region" if region else "unknown"
    victims = [
        VictimGroup.model_construct(category=v.get("category") if v.get("category") in _CATEGORIES else "unknown",
                                    killed=int(v.get("killed") or 0), wounded=int(v.get("wounded") or 0))
        for v in g.get("victims") or []
    ]
    groups = {v.category for v in victims if v.killed or v.wounded}
    category = groups.pop() if len(groups) == 1 else ("mixed" if groups else "unknown")
    # the day as the extractor dates an incident: the day the sentence names, else the report's
    days = day_range(evidence, parse_date(art.published))
    day = None if days is None else days.lo if days.named else days.hi
    return Incident.model_construct(
        schema_version=SCHEMA_VERSION, incident_id=f"{art.id}:gold:{unit.index}", article_id=art.id, source=art.source,
        url=art.url, published=art.published, event_date=day.isoformat() if day else None,
        location=Location.model_construct(name=place, place=place or city, city=city, region=None,
                                          region_code=region, country=region.split("-")[0] if region else None,
                                          lat=None, lon=None, precision=precision),
        killed=unit.killed, wounded=unit.wounded, killed_min=unit.killed, killed_max=unit.killed,
        wounded_min=unit.wounded, wounded_max=unit.wounded, victim_category=category, victims=victims,
        vague=None, method=_GOLD_METHODS.get(str(g.get("method")), "unknown"),
        perpetrator=_GOLD_PERPETRATORS.get(str(g.get("perpetrator")), "unknown"),
        evidence=Evidence.model_construct(text=evidence, start=0, end=len(evidence)),
        confidence=1.0, extractor=GOLD_EXTRACTOR,
    )


def _near(a: int, b: int) -> bool:
    return a == b or (a > 0 and b > 0 and max(a, b) <= 2 * min(a, b))


def align(gold: list[dict[str, Any]], extracted: Sequence[Incident]) -> dict[int, int]:
    """extracted index -> gold index within one article (see the module definitions)."""
    pairs = dict((e, g) for g, e in match_incidents(gold, list(extracted)))
    used = set(pairs.values())
    candidates = []
    for ei, inc in enumerate(extracted):
        if ei in pairs or not (inc.killed or inc.wounded):
            continue
        for gi, g in enumerate(gold):
            k, w = _counts(g)
            if gi in used or not (k or w):
                continue
            region = g.get("region_code")
            if region and inc.location.region_code and region != inc.location.region_code:
                continue
            if not (_near(inc.killed, k) and (k or inc.killed)) and not (_near(inc.wounded, w) and (w or inc.wounded)):
                continue
            candidates.append((abs(inc.killed - k) + abs(inc.wounded - w), ei, gi))
    for _, ei, gi in sorted(candidates):
        if ei not in pairs and gi not in used:
            pairs[ei] = gi
            used.add(gi)
    return pairs


@dataclass(slots=True)
class EventScore:
    """Inputs of the event figures: who was put where, what was made, what the truth is."""

    assigned: dict[str, str] = field(default_factory=dict)
    """scored incident id -> resolved event id."""
    truth: dict[str, GoldUnit] = field(default_factory=dict)
    """scored incident id -> its gold unit."""
    units: list[GoldUnit] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    reported_killed: Counter[str] = field(default_factory=Counter)
    spurious: int = 0

    def _pairs(self, ids: list[str]) -> dict[str, Any]:
        return _pair_counts(self.assigned, self.truth, ids)

    def as_dict(self) -> dict[str, Any]:
        """The figures: pairwise precision/recall, events, killed per region."""
        ids = [i for i in self.assigned if i in self.truth]
        clusters = {u.cluster for u in self.units}
        gold_by_region = gold_region_killed(self.units)
        resolved: Counter[str] = Counter()
        for ev in self.events:
            resolved[ev.location.region_code or "unknown"] += ev.killed
        regions = sorted(set(gold_by_region) | set(resolved))
        per_region = {
            r: {"gold": gold_by_region.get(r, 0), "resolved": resolved.get(r, 0),
                "reports_counted": self.reported_killed.get(r, 0)}
            for r in regions
        }
        gold_total = sum(gold_by_region.values())
        within = [r for r in gold_by_region if _within_10(resolved.get(r, 0), gold_by_region[r])]
        return {
            "scored_incidents": len(ids),
            "spurious_incidents": self.spurious,
            "pairs": self._pairs(ids),
            "pairs_dated": self._pairs([i for i in ids if self.truth[i].dated]),
            "events": {"resolved": len(self.events), "gold": len(clusters),
                       "ratio": round(len(self.events) / len(clusters), 4) if clusters else None},
            "killed": {"resolved": sum(resolved.values()), "gold": gold_total,
                       "reports_counted": sum(self.reported_killed.values()),
                       "abs_error_ratio": round(sum(abs(resolved.get(r, 0) - gold_by_region.get(r, 0))
                                                    for r in regions) / gold_total, 4) if gold_total else None,
                       "regions_within_10pct": f"{len(within)}/{len(gold_by_region)}"},
            "per_region": per_region,
        }


def _pair_counts(assigned: dict[str, str], truth: dict[str, GoldUnit], ids: list[str]) -> dict[str, Any]:
    both = Counter((assigned[i], truth[i].cluster) for i in ids)
    predicted = Counter(assigned[i] for i in ids)
    actual = Counter(truth[i].cluster for i in ids)
    tp = sum(comb(n, 2) for n in both.values())
    pred_pairs = sum(comb(n, 2) for n in predicted.values())
    gold_pairs = sum(comb(n, 2) for n in actual.values())
    return {"true": tp, "predicted": pred_pairs, "gold": gold_pairs,
            "precision": round(tp / pred_pairs, 4) if pred_pairs else None,
            "recall": round(tp / gold_pairs, 4) if gold_pairs else None}


def _within_10(value: int, reference: int) -> bool:
    return abs(value - reference) <= 0.1 * reference


def gold_region_killed(units: Iterable[GoldUnit]) -> dict[str, int]:
    """Gold killed per region: per cluster the highest figure, in its most reported region."""
    by_cluster: dict[str, list[GoldUnit]] = {}
    for u in units:
        by_cluster.setdefault(u.cluster, []).append(u)
    out: Counter[str] = Counter()
    for members in by_cluster.values():
        regions = Counter(u.region or "unknown" for u in members)
        out[regions.most_common(1)[0][0]] += max(u.killed for u in members)
    return dict(out)


def arrival_order(items: Sequence[LabelledArticle]) -> list[LabelledArticle]:
    """The order a feed would deliver the reports: by publication time; reports without a date
    last (the worst case for the window), each group in the order given."""
    dated = [it for it in items if parse_date(it.article.published) is not None]
    undated = [it for it in items if parse_date(it.article.published) is None]
    return sorted(dated, key=lambda it: str(it.article.published)) + undated


def score_resolution(
    items: Sequence[LabelledArticle],
    mode: str,
    extract: Callable[[Article], Sequence[Incident]] | None = None,
    resolver: Resolver | None = None,
) -> EventScore:
    """Resolve the labelled reports in :func:`arrival_order` and collect the event figures.

    ``mode`` is ``gold`` (gold units fed as incidents) or ``extracted`` (``extract`` gives each
    article's incidents)."""
    if mode not in ("gold", "extracted"):
        raise ValueError(f"mode must be gold or extracted, not {mode!r}")
    res = resolver if resolver is not None else Resolver()
    result = EventScore()
    final: dict[str, Event] = {}
    for item in arrival_order(items):
        units = gold_units(item)
        if not units:
            continue
        result.units.extend(units)
        if mode == "gold":
            incidents: Sequence[Incident] = [gold_incident(item, u) for u in units]
            truth = {inc.incident_id: u for inc, u in zip(incidents, units, strict=True)}
        else:
            if extract is None:
                raise ValueError("extracted mode needs an extract function")
            incidents = [i for i in extract(item.article) if i.killed or i.wounded]
            by_index = {u.index: u for u in units}
            pairs = align(item.gold or [], incidents)
            truth = {incidents[e].incident_id: by_index[g] for e, g in pairs.items() if g in by_index}
            result.spurious += len(incidents) - len(truth)
        result.truth.update(truth)
        for inc in incidents:
            result.reported_killed[inc.location.region_code or "unknown"] += inc.killed
        resolution = res.resolve(incidents)
        result.assigned.update(resolution.assigned)
        for change in resolution.changes:
            final[change.event.event_id] = change.event
    result.events = list(final.values())
    return result
