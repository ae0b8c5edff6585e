"""The table arithmetic: what one incident does to a region's running tally."""

from __future__ import annotations

from typing import Any

from streams.worker.tally import (
    APPLIED,
    already_applied,
    apply_incident,
    counts,
    empty_tally,
    event_day,
    published,
    region_key,
    sort_rows,
    tallied,
    totals,
)


def incident(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "incident_id": "i1", "location": {"region_code": "IQ-DI", "region": "Diyala"},
        "killed": 3, "wounded": 4, "victim_category": "security", "victims": [], "method": "ied",
        "event_date": "2026-03-02", "published": "2026-03-02",
    }
    return {**base, **fields}


def test_first_incident_creates_the_region_row() -> None:
    row = apply_incident(None, incident())
    assert row == {
        "region_code": "IQ-DI", "region": "Diyala", "window": "all", "killed": 3, "wounded": 4, "incidents": 1,
        "by_victim_category": {"security": {"killed": 3, "wounded": 4, "incidents": 1}},
        "by_method": {"ied": {"killed": 3, "wounded": 4, "incidents": 1}},
        "first_event_date": "2026-03-02", "last_event_date": "2026-03-02",
        "suspect_killed": 0, "suspect_wounded": 0, "suspect_incidents": 0,
    }


def test_incidents_add_up_and_dates_widen() -> None:
    row = apply_incident(None, incident())
    row = apply_incident(row, incident(incident_id="i2", killed=2, wounded=0, victim_category="civilian",
                                       method="gunfire", event_date="2026-02-27"))
    assert (row["killed"], row["wounded"], row["incidents"]) == (5, 4, 2)
    assert row["by_victim_category"]["civilian"] == {"killed": 2, "wounded": 0, "incidents": 1}
    assert row["by_method"]["gunfire"] == {"killed": 2, "wounded": 0, "incidents": 1}
    assert (row["first_event_date"], row["last_event_date"]) == ("2026-02-27", "2026-03-02")


def test_victim_groups_break_down_a_mixed_incident() -> None:
    mixed = incident(killed=5, wounded=2, victim_category="mixed", victims=[
        {"category": "security", "killed": 4, "wounded": 0}, {"category": "civilian", "killed": 1, "wounded": 2},
    ])
    row = apply_incident(None, mixed)
    assert row["by_victim_category"] == {
        "security": {"killed": 4, "wounded": 0, "incidents": 1},
        "civilian": {"killed": 1, "wounded": 2, "incidents": 1},
    }


def test_the_input_row_is_not_modified() -> None:
    row = apply_incident(None, incident())
    snapshot = repr(row)
    apply_incident(row, incident(incident_id="i2"))
    assert repr(row) == snapshot


def test_vague_only_incident_changes_nothing() -> None:
    vague = incident(killed=0, wounded=0, vague={"killed": "dozens"})
    assert not counts(vague)
    row = apply_incident(None, incident())
    assert apply_incident(row, vague) == row
    assert apply_incident(None, vague) == empty_tally("IQ-DI", "all", "Diyala")


def test_region_key_and_event_day() -> None:
    assert region_key(incident()) == "IQ-DI"
    assert region_key(incident(location={"region_code": None})) == "unknown"
    assert region_key({"incident_id": "x"}) == "unknown"
    assert event_day(incident(event_date=None, published="2026-03-05T10:00:00Z")) == "2026-03-05"
    assert event_day(incident(event_date=None, published=None)) is None


def test_rows_sort_by_killed_and_total() -> None:
    rows = [
        {"region_code": "IQ-BG", "killed": 2, "wounded": 8, "incidents": 3},
        {"region_code": "IQ-NI", "killed": 64, "wounded": 0, "incidents": 6},
        {"region_code": "IQ-AN", "killed": 2, "wounded": 9, "incidents": 2},
    ]
    assert [r["region_code"] for r in sort_rows(rows)] == ["IQ-NI", "IQ-AN", "IQ-BG"]
    total = totals(rows)
    assert (total["killed"], total["wounded"], total["incidents"]) == (68, 17, 11)


def test_a_row_remembers_the_last_offset_it_holds() -> None:
    row = {**apply_incident(None, incident()), APPLIED: 41}
    assert already_applied(row, 41) and already_applied(row, 7)
    assert not already_applied(row, 42)
    assert not already_applied(None, 0)
    assert APPLIED not in published(row)
    assert published(row)["killed"] == 3


SUSPECT = {"incident_id": "i9", "killed": 800, "wounded": 2, "status": "suspect",
           "status_reason": "its 800 killed alone exceed the article's own stated total of 14"}


def test_a_suspect_incident_is_kept_apart_from_the_counted_figures() -> None:
    row = apply_incident(apply_incident(None, incident()), incident(**SUSPECT))
    assert (row["killed"], row["wounded"], row["incidents"]) == (3, 4, 1)
    assert (row["suspect_killed"], row["suspect_wounded"], row["suspect_incidents"]) == (800, 2, 1)
    assert row["by_method"] == {"ied": {"killed": 3, "wounded": 4, "incidents": 1}}
    assert tallied(incident(**SUSPECT)) and not counts(incident(**SUSPECT))


def test_with_count_suspect_a_suspect_incident_is_counted_and_still_shown_apart() -> None:
    row = apply_incident(apply_incident(None, incident()), incident(**SUSPECT), count_suspect=True)
    assert (row["killed"], row["wounded"], row["incidents"]) == (803, 6, 2)
    assert (row["suspect_killed"], row["suspect_wounded"], row["suspect_incidents"]) == (800, 2, 1)
    assert row["by_method"] == {"ied": {"killed": 803, "wounded": 6, "incidents": 2}}


def test_a_region_with_only_suspect_incidents_has_a_row_with_nothing_counted() -> None:
    row = apply_incident(None, incident(**SUSPECT))
    assert (row["killed"], row["incidents"], row["suspect_killed"]) == (0, 0, 800)
    assert (row["first_event_date"], row["by_method"]) == (None, {})


def test_totals_add_the_suspect_columns_apart() -> None:
    rows = [apply_incident(None, incident(**SUSPECT)),
            apply_incident(None, incident(location={"region_code": "IQ-BG"}))]
    total = totals(rows)
    assert (total["killed"], total["suspect_killed"], total["suspect_incidents"]) == (3, 800, 1)
