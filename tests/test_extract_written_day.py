"""The "written day": a daily report in the genre, written by us, with every incident pinned."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from extractors import Extraction, extract
from schemas.records import Article, Incident
from tests.test_extract_stubs import stub_gazetteer

BODY = """\
The United Nations said on Wednesday that 28,000 people have now escaped from the western half of \
Mosul. Aid groups warned that families still trapped in the old city are running out of food.

The Iraqi government again declined to publish its own casualty figures.

At least 129 people died and eight more were hurt across Iraq as fighting went on:

In Mosul, troops killed two militants in the Mamoun district, while an I.E.D. explosion killed a \
woman aged 60. Five suicide bombers were killed by security forces in Shuhada Park. In Mansour, 40 \
militants were killed. Clashes left 16 militants dead in Jawsaq and Tayaran. In Tayaran, security forces \
freed 40 people from two prisons they found.

In Baghdad, a bomb in Nahrawan killed one person and injured three others. A blast wounded two people in Amil.

A bomb went off at a cattle market in Taji, killing one person and injuring three.

Airstrikes killed 40 militants around Samarra.

In Qaim, 17 militants were killed in a coalition airstrike.

At the Haditha Dam, militiamen killed six militants.
"""


@pytest.fixture(scope="module")
def day() -> Iterator[Extraction]:
    with stub_gazetteer():
        yield extract(Article(id="written-day", source="test", published="2017-03-01", body=BODY))


def _row(i: Incident) -> tuple[str | None, str | None, int, int, str, str]:
    return (i.location.region_code, i.location.place, i.killed, i.wounded, i.victim_category, i.method)


def test_every_incident_exactly(day: Extraction) -> None:
    assert [_row(i) for i in day.incidents] == [
        ("IQ-NI", "Mamoun", 2, 0, "militant", "armed_clash"),
        ("IQ-NI", "Mosul", 1, 0, "civilian", "ied"),
        ("IQ-NI", "Shuhada Park", 5, 0, "militant", "armed_clash"),
        ("IQ-NI", "Mansour", 40, 0, "militant", "unknown"),
        ("IQ-NI", "Tayaran", 16, 0, "militant", "armed_clash"),
        ("IQ-BG", "Nahrawan", 1, 3, "unknown", "ied"),
        ("IQ-BG", "Amil", 0, 2, "unknown", "ied"),
        ("IQ-BG", "Taji", 1, 3, "unknown", "ied"),
        ("IQ-SD", "Samarra", 40, 0, "militant", "airstrike"),
        ("IQ-AN", "Al-Qaim", 17, 0, "militant", "airstrike"),
        ("IQ-AN", "Haditha Dam", 6, 0, "militant", "unknown"),
    ]


def test_totals_per_region(day: Extraction) -> None:
    totals: dict[str, list[int]] = {}
    for i in day.incidents:
        row = totals.setdefault(i.location.region_code or "?", [0, 0])
        row[0] += i.killed
        row[1] += i.wounded
    assert totals == {"IQ-NI": [64, 0], "IQ-BG": [2, 8], "IQ-SD": [40, 0], "IQ-AN": [23, 0]}


def test_summary_reconciles_with_the_stated_total(day: Extraction) -> None:
    s = day.summary
    assert (s.stated_killed, s.stated_wounded) == (129, 8)
    assert (s.extracted_killed, s.extracted_wounded, s.incident_count) == (129, 8, 11)
    assert s.reconciled is True
    assert (s.gap_killed, s.gap_wounded) == (0, 0)
    assert s.stated_phrase == "At least 129 people died and eight more were hurt across Iraq as fighting went on:"


def test_the_mosul_neighbourhood_not_the_baghdad_district(day: Extraction) -> None:
    mansour = day.incidents[3]
    assert (mansour.location.city, mansour.location.precision) == ("Mosul", "neighbourhood")


def test_evidence_offsets_point_into_the_body(day: Extraction) -> None:
    for i in day.incidents:
        assert BODY[i.evidence.start : i.evidence.end] == i.evidence.text
    assert day.incidents[1].evidence.text == "while an I.E.D. explosion killed a woman aged 60."


def test_ids_are_deterministic_and_distinct(day: Extraction) -> None:
    with stub_gazetteer():
        again = extract(Article(id="written-day", source="test", published="2017-03-01", body=BODY))
    ids = [i.incident_id for i in day.incidents]
    assert ids == [i.incident_id for i in again.incidents]
    assert len(set(ids)) == len(ids)


def test_records_are_valid_and_carry_the_article(day: Extraction) -> None:
    for i in day.incidents:
        assert Incident.model_validate(i.model_dump()) == i
        assert (i.article_id, i.source, i.published, i.event_date) == ("written-day", "test", "2017-03-01",
                                                                      "2017-03-01")
        assert (i.extractor.name, i.confidence) == ("casualty-rules", 0.8)


def test_region_totals_with_the_real_gazetteer() -> None:
    """Integration with extractors/gazetteer.py and its compiled data (skipped when not built)."""
    try:
        from extractors.gazetteer import default_gazetteer

        default_gazetteer()
    except Exception as exc:  # the data file is produced by the gazetteer build
        pytest.skip(f"gazetteer not available: {exc}")
    result = extract(Article(id="written-day", source="test", published="2017-03-01", body=BODY))
    totals: dict[str, list[int]] = {}
    for i in result.incidents:
        row = totals.setdefault(i.location.region_code or "?", [0, 0])
        row[0] += i.killed
        row[1] += i.wounded
    assert totals == {"IQ-NI": [64, 0], "IQ-BG": [2, 8], "IQ-SD": [40, 0], "IQ-AN": [23, 0]}
    assert result.summary.reconciled is True
