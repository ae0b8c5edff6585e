"""The rule registry (extractors.rules) and what `casualty eval --rules` measures with it."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.ablation import rule_coverage
from extractors.corpus import LabelledArticle
from extractors.rules import RULES, disabled, fired, on, rule, tracing
from schemas.records import Article

BODY = ("At least 9 people were killed across the country on Monday.\n"
        "In Mosul, gunmen killed four policemen in separate attacks.\n"
        "A bomb killed five people in Kirkuk.")


def test_every_step_registers_named_rules_with_a_description() -> None:
    assert len(RULES) > 50
    assert all(name.count(".") == 1 and text for name, text in RULES.items())
    assert {"scope.span", "stated.strong", "story.layout", "check.alone", "assemble.separate"} <= set(RULES)


def test_a_rule_cannot_be_registered_twice_with_another_meaning() -> None:
    assert rule("scope.span", RULES["scope.span"]) == "scope.span"
    with pytest.raises(ValueError, match="registered twice"):
        rule("scope.span", "something else")


def test_tracing_counts_the_rules_that_fired() -> None:
    with tracing() as counts:
        extract(Article(id="t", body=BODY, published="2016-06-14"))
    assert counts["stated.strong"] == 1
    assert counts["assemble.separate"] == 1
    fired("scope.span")  # outside tracing: counted nowhere, no error
    assert "scope.span" not in counts


def test_a_disabled_rule_changes_the_output_and_comes_back_after() -> None:
    article = Article(id="t", body=BODY, published="2016-06-14")
    assert [i.killed for i in extract(article).incidents] == [1, 1, 1, 1, 5]
    with disabled("assemble.separate"):
        assert not on("assemble.separate")
        assert [i.killed for i in extract(article).incidents] == [4, 5]
    assert on("assemble.separate")
    with pytest.raises(KeyError), disabled("no.such_rule"):
        pass


def test_rule_coverage_reports_fires_changes_and_decisive_gold_incidents() -> None:
    gold = [{"region_code": "IQ-NI", "killed": 1, "wounded": 0} for _ in range(4)]
    gold.append({"region_code": "IQ-KI", "killed": 5, "wounded": 0})
    item = LabelledArticle(article=Article(id="t", body=BODY, published="2016-06-14"), path="t.json",
                           stated_killed=9, stated_wounded=None, complete=True, gold=gold, gold_killed=9,
                           gold_wounded=0)
    cov = rule_coverage([item], ["assemble.separate", "scope.hypothetical"]).as_dict()
    separate, hypothetical = cov["rules"]
    assert (separate["fires"], separate["changed"], separate["decisive"], separate["exact"]) == (1, 1, 4, 0)
    assert (hypothetical["fires"], hypothetical["changed"], hypothetical["decisive"]) == (0, 0, 0)
    assert cov["cue_tables"]["method"] == {"gunfire": 4, "ied": 1}
