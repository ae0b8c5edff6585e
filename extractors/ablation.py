"""What each named rule decides on a labelled corpus (``casualty eval --rules``).

For every rule of :data:`extractors.rules.RULES`:

* ``fires``: how often the rule was applied over the corpus, and ``articles``: in how many;
* ``changed``: the reports whose extracted incidents change when the rule alone is off;
* ``decisive``: the gold incidents matched with the rule and not without it (the true incidents it
  is needed for); ``harmful``: the gold incidents matched only without it;
* ``exact``: reports whose totals equal gold with the rule, minus those without it.

Cue tables are counted too: how many incidents each method and perpetrator label was given to.
Pure Python, no Kafka: the same :func:`extractors.extract` the worker runs, with one rule switched
off at a time (:func:`extractors.rules.disabled`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from extractors import extract
from extractors.corpus import LabelledArticle
from extractors.evaluation import match_incidents
from extractors.rules import RULES, disabled, tracing
from schemas.records import Incident


@dataclass(slots=True)
class RuleStats:
    """What one rule does on a corpus."""

    name: str
    description: str
    fires: int = 0
    articles: int = 0
    changed: int = 0
    decisive: int = 0
    harmful: int = 0
    exact: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The figures as a JSON object."""
        return {"rule": self.name, "description": self.description, "fires": self.fires, "articles": self.articles,
                "changed": self.changed, "decisive": self.decisive, "harmful": self.harmful, "exact": self.exact}


@dataclass(slots=True)
class Coverage:
    """Rule statistics plus cue-table label counts over a corpus."""

    rules: list[RuleStats] = field(default_factory=list)
    methods: Counter[str] = field(default_factory=Counter)
    perpetrators: Counter[str] = field(default_factory=Counter)
    articles: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The figures as a JSON object."""
        return {"articles": self.articles, "rules": [r.as_dict() for r in self.rules],
                "cue_tables": {"method": dict(self.methods.most_common()),
                               "perpetrator": dict(self.perpetrators.most_common())}}


def _signature(incidents: list[Incident]) -> list[tuple[int, int, str | None, str]]:
    return [(i.killed, i.wounded, i.location.region_code, i.status) for i in incidents]


def _counted(incidents: list[Incident]) -> list[Incident]:
    return [i for i in incidents if i.status == "counted"]


def _matched(item: LabelledArticle, incidents: list[Incident]) -> set[int]:
    return {g for g, _ in match_incidents(item.gold or [], _counted(incidents))}


def _exact(item: LabelledArticle, incidents: list[Incident]) -> bool:
    if item.gold is None:
        return False
    counted = _counted(incidents)
    gk = item.gold_killed if item.gold_killed is not None else sum(int(g.get("killed") or 0) for g in item.gold)
    gw = item.gold_wounded if item.gold_wounded is not None else sum(int(g.get("wounded") or 0) for g in item.gold)
    return sum(i.killed for i in counted) == gk and sum(i.wounded for i in counted) == gw


def rule_coverage(items: Sequence[LabelledArticle], rules: Sequence[str] | None = None) -> Coverage:
    """Fire counts and one-rule-off ablation of ``rules`` (default: all) over labelled articles."""
    names = list(rules) if rules is not None else list(RULES)
    cov = Coverage(articles=len(items))
    base: list[list[Incident]] = []
    fired_in: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for item in items:
        with tracing() as counts:
            incidents = extract(item.article).incidents
        base.append(incidents)
        total.update(counts)
        fired_in.update(set(counts))
        for i in incidents:
            cov.methods[i.method] += 1
            cov.perpetrators[i.perpetrator] += 1
    base_sig = [_signature(b) for b in base]
    base_match = [_matched(item, b) for item, b in zip(items, base, strict=True)]
    base_exact = [_exact(item, b) for item, b in zip(items, base, strict=True)]
    for name in names:
        stats = RuleStats(name, RULES[name], fires=total[name], articles=fired_in[name])
        if stats.fires:
            with disabled(name):
                for k, item in enumerate(items):
                    incidents = extract(item.article).incidents
                    if _signature(incidents) == base_sig[k]:
                        continue
                    stats.changed += 1
                    if item.gold is not None:
                        matched = _matched(item, incidents)
                        stats.decisive += len(base_match[k] - matched)
                        stats.harmful += len(matched - base_match[k])
                        stats.exact += int(base_exact[k]) - int(_exact(item, incidents))
        cov.rules.append(stats)
    return cov
