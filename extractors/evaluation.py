"""Scoring extracted incidents against stated totals and gold labels (pure functions).

Definitions (as in issue 4 and ``shared/corpus/README.md``):

* totals **exact**: extracted killed == reference killed and wounded == reference wounded
  (a null stated figure is compared as 0 only when the other one is stated; articles with
  nothing stated are left out of the stated comparison).
* **within tolerance**: |gap| <= max(2, 5% of the reference) for killed and for wounded.
* **incident matching**: gold and extracted entries with 0 killed and 0 wounded are left out;
  a pair matches when killed and wounded are equal and the region codes are equal, or the gold
  region is null; one-to-one, greedy in text order (same-region pairs first).
* **region accuracy**: share of gold casualties (killed + wounded, gold entries with a region)
  whose region receives at least as many extracted casualties: sum over regions of
  min(gold, extracted) / gold total.
* **victim-category accuracy**: over matched pairs, sum over categories of min(gold, extracted)
  casualties / gold casualties of those pairs.
* **error ratio**: total absolute error (killed and wounded) / gold casualties (killed + wounded).
* **phantom report**: extracted killed exceed gold killed by more than max(10, 50% of gold killed).

Folds: :func:`fold_of` puts a file in one of N folds by a stable hash of its name (sha256 of the
file stem), so the split never depends on the order, the machine or the file's content; a fold
can be kept unread while rules are written and scored once at the end (``--fold K/N``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from schemas.records import Incident


def fold_of(name: str, folds: int) -> int:
    """The fold (1..``folds``) of a labelled file: sha256 of its stem, modulo ``folds``, plus one."""
    if folds < 1:
        raise ValueError("folds must be >= 1")
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % folds + 1


def parse_fold(spec: str) -> tuple[int, int]:
    """``"K/N"`` -> (K, N) with 1 <= K <= N; ValueError with the reason otherwise."""
    k, sep, n = spec.partition("/")
    if not sep or not k.strip().isdigit() or not n.strip().isdigit():
        raise ValueError(f"fold {spec!r}: expected K/N, e.g. 4/5")
    ki, ni = int(k), int(n)
    if not 1 <= ki <= ni:
        raise ValueError(f"fold {spec!r}: K must be between 1 and N")
    return ki, ni


def is_phantom(extracted_killed: int, gold_killed: int) -> bool:
    """Extracted killed exceed gold killed by more than max(10, 50% of gold)."""
    return extracted_killed - gold_killed > max(10.0, 0.5 * gold_killed)


def within_tolerance(value: int, reference: int) -> bool:
    """|value - reference| <= max(2, 5% of reference)."""
    return abs(value - reference) <= max(2.0, 0.05 * abs(reference))


@dataclass(slots=True)
class ArticleScore:
    """Per-article figures for the table."""

    article_id: str
    stated_killed: int | None
    stated_wounded: int | None
    gold_killed: int | None
    gold_wounded: int | None
    extracted_killed: int
    extracted_wounded: int
    incidents: int
    tp: int = 0
    fp: int = 0
    fn: int = 0
    region_ok: int = 0
    region_total: int = 0
    category_ok: int = 0
    category_total: int = 0
    complete: bool = True
    kind: str = "daily"
    suspect: int = 0
    suspect_gold: int = 0

    @property
    def has_stated(self) -> bool:
        """Whether the report states any total."""
        return self.stated_killed is not None or self.stated_wounded is not None

    @property
    def has_gold(self) -> bool:
        """Whether gold totals exist."""
        return self.gold_killed is not None and self.gold_wounded is not None

    def exact(self, ref: str) -> bool:
        """Extracted totals equal the reference ("gold" or "stated") totals."""
        rk, rw = self._ref(ref)
        return self.extracted_killed == rk and self.extracted_wounded == rw

    def tolerant(self, ref: str) -> bool:
        """Extracted totals within tolerance of the reference totals."""
        rk, rw = self._ref(ref)
        return within_tolerance(self.extracted_killed, rk) and within_tolerance(self.extracted_wounded, rw)

    def abs_error(self, ref: str) -> int:
        """|killed gap| + |wounded gap| against the reference."""
        rk, rw = self._ref(ref)
        return abs(self.extracted_killed - rk) + abs(self.extracted_wounded - rw)

    def _ref(self, ref: str) -> tuple[int, int]:
        if ref == "gold":
            return self.gold_killed or 0, self.gold_wounded or 0
        return self.stated_killed or 0, self.stated_wounded or 0


def _gold_counts(g: dict[str, Any]) -> tuple[int, int]:
    return int(g.get("killed") or 0), int(g.get("wounded") or 0)


def match_incidents(gold: list[dict[str, Any]], extracted: list[Incident]) -> list[tuple[int, int]]:
    """One-to-one matches (gold index, extracted index) between non-empty entries."""
    ext = [(i, e) for i, e in enumerate(extracted) if e.killed or e.wounded]
    taken: set[int] = set()
    pairs: list[tuple[int, int]] = []
    gold_idx = [(gi, g) for gi, g in enumerate(gold) if any(_gold_counts(g))]
    # first pass: same region; second pass: gold with null region matches on counts
    for want_region in (True, False):
        for gi, g in gold_idx:
            if any(p[0] == gi for p in pairs):
                continue
            gk, gw = _gold_counts(g)
            region = g.get("region_code")
            if want_region and region is None:
                continue
            for ei, e in ext:
                if ei in taken or e.killed != gk or e.wounded != gw:
                    continue
                if region is not None and e.location.region_code != region:
                    continue
                taken.add(ei)
                pairs.append((gi, ei))
                break
    return pairs


def _category_overlap(g: dict[str, Any], e: Incident) -> tuple[int, int]:
    gold_cat: dict[str, int] = {}
    for v in g.get("victims") or []:
        gold_cat[v.get("category", "unknown")] = gold_cat.get(v.get("category", "unknown"), 0) + int(
            v.get("killed") or 0
        ) + int(v.get("wounded") or 0)
    ext_cat: dict[str, int] = {}
    for v in e.victims:
        ext_cat[v.category] = ext_cat.get(v.category, 0) + v.killed + v.wounded
    total = sum(gold_cat.values())
    ok = sum(min(n, ext_cat.get(c, 0)) for c, n in gold_cat.items())
    return ok, total


def _region_overlap(gold: list[dict[str, Any]], extracted: list[Incident]) -> tuple[int, int]:
    g_by: dict[str, int] = {}
    for g in gold:
        if g.get("region_code"):
            g_by[g["region_code"]] = g_by.get(g["region_code"], 0) + sum(_gold_counts(g))
    e_by: dict[str, int] = {}
    for e in extracted:
        code = e.location.region_code
        if code:
            e_by[code] = e_by.get(code, 0) + e.killed + e.wounded
    return sum(min(n, e_by.get(r, 0)) for r, n in g_by.items()), sum(g_by.values())


def score_article(
    article_id: str,
    extracted: list[Incident],
    stated: tuple[int | None, int | None],
    gold: list[dict[str, Any]] | None = None,
    gold_totals: tuple[int | None, int | None] | None = None,
    complete: bool = True,
    kind: str = "daily",
) -> ArticleScore:
    """Score one article's extraction against its stated totals and (optional) gold labels.

    Only counted incidents are scored (suspect ones are not in the tables); ``suspect`` counts
    the others and ``suspect_gold`` those of them that match a gold entry no counted incident
    matches (a true incident the self-check held back).
    """
    held = [e for e in extracted if getattr(e, "status", "counted") != "counted"]
    if held:
        extracted = [e for e in extracted if getattr(e, "status", "counted") == "counted"]
    gk, gw = gold_totals if gold_totals is not None else (None, None)
    if gold is not None and gk is None:
        gk = sum(_gold_counts(g)[0] for g in gold)
        gw = sum(_gold_counts(g)[1] for g in gold)
    s = ArticleScore(
        article_id=article_id,
        stated_killed=stated[0],
        stated_wounded=stated[1],
        gold_killed=gk,
        gold_wounded=gw,
        extracted_killed=sum(e.killed for e in extracted),
        extracted_wounded=sum(e.wounded for e in extracted),
        incidents=len(extracted),
        complete=complete,
        kind=kind,
    )
    if gold is not None:
        pairs = match_incidents(gold, extracted)
        n_gold = sum(1 for g in gold if any(_gold_counts(g)))
        n_ext = sum(1 for e in extracted if e.killed or e.wounded)
        s.tp = len(pairs)
        s.fp = n_ext - s.tp
        s.fn = n_gold - s.tp
        s.region_ok, s.region_total = _region_overlap(gold, extracted)
        for gi, ei in pairs:
            ok, total = _category_overlap(gold[gi], extracted[ei])
            s.category_ok += ok
            s.category_total += total
        if held:
            matched = {gi for gi, _ in pairs}
            rest = [g for gi, g in enumerate(gold) if gi not in matched]
            s.suspect_gold = len(match_incidents(rest, held))
    s.suspect = len(held)
    return s


@dataclass(slots=True)
class Report:
    """Aggregate figures over scored articles."""

    articles: list[ArticleScore] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Machine-readable aggregate (the ``--json`` output of ``casualty eval``)."""
        gold = [a for a in self.articles if a.has_gold]
        stated = [a for a in self.articles if a.has_stated]
        tp = sum(a.tp for a in gold)
        fp = sum(a.fp for a in gold)
        fn = sum(a.fn for a in gold)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        r_ok = sum(a.region_ok for a in gold)
        r_tot = sum(a.region_total for a in gold)
        c_ok = sum(a.category_ok for a in gold)
        c_tot = sum(a.category_total for a in gold)

        def share(items: list[ArticleScore], pred: Any) -> float | None:
            return round(sum(1 for a in items if pred(a)) / len(items), 4) if items else None

        gold_casualties = sum((a.gold_killed or 0) + (a.gold_wounded or 0) for a in gold)
        abs_error = sum(a.abs_error("gold") for a in gold)

        return {
            "articles": len(self.articles),
            "gold_articles": len(gold),
            "stated_articles": len(stated),
            "gold": {
                "exact": share(gold, lambda a: a.exact("gold")),
                "within_tolerance": share(gold, lambda a: a.tolerant("gold")),
                "abs_error": abs_error,
                "error_ratio": round(abs_error / gold_casualties, 4) if gold_casualties else None,
                "phantom_reports": sum(1 for a in gold if is_phantom(a.extracted_killed, a.gold_killed or 0)),
            },
            "stated": {
                "exact": share(stated, lambda a: a.exact("stated")),
                "within_tolerance": share(stated, lambda a: a.tolerant("stated")),
                "abs_error": sum(a.abs_error("stated") for a in stated),
            },
            "incidents": {
                "tp": tp, "fp": fp, "fn": fn,
                "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            },
            "suspect": {"incidents": sum(a.suspect for a in self.articles),
                        "gold_matched": sum(a.suspect_gold for a in self.articles)},
            "region_accuracy": round(r_ok / r_tot, 4) if r_tot else None,
            "victim_category_accuracy": round(c_ok / c_tot, 4) if c_tot else None,
        }


def aggregate(scores: Iterable[ArticleScore]) -> Report:
    """Collect article scores into a report."""
    return Report(list(scores))
