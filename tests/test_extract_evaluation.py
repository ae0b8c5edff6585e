"""Scoring rules of extractors.evaluation (pure functions)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from extractors.evaluation import (
    aggregate,
    fold_of,
    is_phantom,
    match_incidents,
    parse_fold,
    score_article,
    within_tolerance,
)
from extractors.output import EXTRACTOR
from schemas.records import Evidence, Incident, Location, VictimGroup


def inc(region: str | None, killed: int, wounded: int, cat: str = "unknown") -> Incident:
    return Incident(
        incident_id=f"{region}-{killed}-{wounded}", article_id="a", location=Location(region_code=region),
        killed=killed, wounded=wounded, victims=[VictimGroup(category=cat, killed=killed, wounded=wounded)],
        evidence=Evidence(text="x", start=0, end=1), extractor=EXTRACTOR,
    )


def gold(region: str | None, killed: int, wounded: int, cat: str = "unknown") -> dict[str, Any]:
    return {"region_code": region, "killed": killed, "wounded": wounded,
            "victims": [{"category": cat, "killed": killed, "wounded": wounded}]}


def test_tolerance_is_two_or_five_percent() -> None:
    assert within_tolerance(102, 100) and within_tolerance(105, 100) and not within_tolerance(106, 100)
    assert within_tolerance(2, 0) and not within_tolerance(3, 0)
    assert within_tolerance(346, 330) is True and within_tolerance(347, 330) is False


def test_matching_needs_region_and_counts_and_is_one_to_one() -> None:
    g = [gold("IQ-NI", 2, 0), gold("IQ-NI", 2, 0), gold("IQ-BG", 1, 3)]
    e = [inc("IQ-NI", 2, 0), inc("IQ-BG", 1, 2), inc("IQ-AN", 1, 3)]
    assert match_incidents(g, e) == [(0, 0)]


def test_a_null_gold_region_matches_on_counts_and_zero_entries_are_ignored() -> None:
    g = [gold(None, 9, 0), gold("IQ-NI", 0, 0)]
    e = [inc("IQ-DI", 9, 0), inc("IQ-NI", 0, 0)]
    assert match_incidents(g, e) == [(0, 0)]
    s = score_article("a", e, (9, None), g)
    assert (s.tp, s.fp, s.fn) == (1, 0, 0)


def test_same_region_pairs_are_preferred_over_null_region_ones() -> None:
    g = [gold(None, 1, 0), gold("IQ-KI", 1, 0)]
    e = [inc("IQ-KI", 1, 0), inc("IQ-BA", 1, 0)]
    assert sorted(match_incidents(g, e)) == [(0, 1), (1, 0)]


def test_article_and_report_figures() -> None:
    a = score_article("a", [inc("IQ-NI", 5, 1, "militant"), inc("IQ-BG", 3, 0)], (8, 1),
                      [gold("IQ-NI", 5, 1, "civilian"), gold("IQ-BG", 2, 0)])
    assert (a.exact("stated"), a.exact("gold"), a.tolerant("gold"), a.abs_error("gold")) == (True, False, True, 1)
    assert (a.tp, a.fp, a.fn) == (1, 1, 1)
    # region: IQ-NI 6 of 6 and IQ-BG min(2, 3) = 2 of 2 -> 8 of 8; category: 0 of 6 in the matched pair
    assert (a.region_ok, a.region_total, a.category_ok, a.category_total) == (8, 8, 0, 6)
    b = score_article("b", [inc("IQ-AN", 1, 0)], (None, None), [gold("IQ-SD", 1, 0)])
    report = aggregate([a, b]).as_dict()
    assert report["gold"] == {"exact": 0.5, "within_tolerance": 1.0, "abs_error": 1, "error_ratio": round(1 / 9, 4),
                              "phantom_reports": 0}
    assert report["stated"] == {"exact": 1.0, "within_tolerance": 1.0, "abs_error": 0}
    assert report["incidents"] == {"tp": 1, "fp": 2, "fn": 2, "precision": 0.3333, "recall": 0.3333,
                                   "f1": 0.3333}
    assert report["region_accuracy"] == round(8 / 9, 4)
    assert report["victim_category_accuracy"] == 0.0


def test_folds_are_a_stable_hash_of_the_file_name() -> None:
    # sha256("example-2016-05-10-daily") mod 5 + 1: the same on every machine and in every order
    assert fold_of("example-2016-05-10-daily", 5) == int(
        hashlib.sha256(b"example-2016-05-10-daily").hexdigest(), 16) % 5 + 1
    names = [f"report-{i}" for i in range(500)]
    sizes = [sum(1 for n in names if fold_of(n, 5) == k) for k in range(1, 6)]
    assert sum(sizes) == 500 and min(sizes) > 70  # every file in exactly one fold, folds of similar size
    assert fold_of("report-1", 1) == 1


@pytest.mark.parametrize("spec,want", [("4/5", (4, 5)), ("1/1", (1, 1))])
def test_fold_specs_parse(spec: str, want: tuple[int, int]) -> None:
    assert parse_fold(spec) == want


@pytest.mark.parametrize("spec", ["0/5", "6/5", "4", "a/b", "4/"])
def test_bad_fold_specs_say_why(spec: str) -> None:
    with pytest.raises(ValueError, match="fold"):
        parse_fold(spec)


def test_a_phantom_report_exceeds_gold_killed_by_more_than_ten_or_half() -> None:
    assert not is_phantom(20, 10) and is_phantom(21, 10)
    assert not is_phantom(150, 100) and is_phantom(151, 100)
    report = aggregate([score_article("a", [inc("IQ-NI", 40, 0)], (None, None), [gold("IQ-NI", 5, 0)])]).as_dict()
    assert report["gold"]["phantom_reports"] == 1 and report["gold"]["error_ratio"] == 7.0
