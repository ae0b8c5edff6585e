"""streams.worker.event_tally: daily rows that hold each event's figures, running rows summed from them."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.records import Event, EventSource, Location
from streams.worker.event_tally import (
    RunningTotals,
    copy_row,
    event_entry,
    event_groups,
    is_empty,
    new_row,
    reference_tables,
    running_of,
    set_event,
    set_suspect,
    sums_of,
    tally_of,
)


def event(event_id: str, killed: int, wounded: int, *, day: str | None = "2026-03-02", version: int = 1,
          region: str = "IQ-BG", group: str = "civilian", method: str = "car_bomb") -> Event:
    return Event(event_id=event_id, version=version, event_date=day, killed=killed, wounded=wounded,
                 location=Location(region_code=region, region="Baghdad" if region == "IQ-BG" else None),
                 victim_category=group, method=method)


def entry(record: Event) -> list[object] | None:
    """The entry of an event whose reports' victim groups are not known (its own category)."""
    return event_entry(record, lambda _: None)


def test_a_row_sets_each_event_instead_of_adding() -> None:
    row = new_row("IQ-BG", "2026-03-02", "Baghdad")
    assert set_event(row, "ev-1", entry(event("ev-1", 12, 30)))
    assert set_event(row, "ev-1", entry(event("ev-1", 21, 38, version=2)))
    assert not set_event(row, "ev-1", entry(event("ev-1", 21, 38, version=2))), "the same version again"
    assert set_event(row, "ev-2", entry(event("ev-2", 2, 0, group="security", method="gunfire")))
    assert row["events"] == {"ev-1": [2, 21, 38, {"civilian": [21, 38]}, "car_bomb"],
                             "ev-2": [1, 2, 0, {"security": [2, 0]}, "gunfire"]}
    tally = tally_of(row)
    assert (tally["killed"], tally["wounded"], tally["incidents"]) == (23, 38, 2)
    assert tally["by_victim_category"] == {"civilian": {"killed": 21, "wounded": 38, "incidents": 1},
                                           "security": {"killed": 2, "wounded": 0, "incidents": 1}}
    assert tally["by_method"] == {"car_bomb": {"killed": 21, "wounded": 38, "incidents": 1},
                                  "gunfire": {"killed": 2, "wounded": 0, "incidents": 1}}
    assert tally["first_event_date"] == tally["last_event_date"] == "2026-03-02"
    assert tally["region"] == "Baghdad" and tally["window"] == "2026-03-02"


def test_vague_only_events_count_nothing_and_suspect_incidents_stay_apart() -> None:
    row = new_row("IQ-BG", "2026-03-02")
    assert entry(event("ev-v", 0, 0)) is None
    assert not set_event(row, "ev-v", None)
    set_suspect(row, "inc-9", 600, 0)
    tally = tally_of(row)
    assert (tally["killed"], tally["incidents"], tally["suspect_killed"], tally["suspect_incidents"]) == (0, 0, 600, 1)
    assert tally["first_event_date"] is None, "a day with nothing counted has no event date"
    assert not is_empty(row)
    copy = copy_row(row)
    copy["suspect"].clear()
    assert is_empty(copy) and row["suspect"] == {"inc-9": [600, 0]}, "a copy leaves the stored row alone"


def test_running_totals_by_difference_equal_the_sum_of_the_rows() -> None:
    monday, tuesday = new_row("IQ-BG", "2026-03-02"), new_row("IQ-BG", "2026-03-03")
    set_event(monday, "ev-1", entry(event("ev-1", 12, 30)))
    set_event(tuesday, "ev-2", entry(event("ev-2", 2, 0, day="2026-03-03", method="gunfire")))
    running = RunningTotals("IQ-BG")
    running.add(tally_of(monday))
    running.add(tally_of(tuesday))
    # the Monday bombing's toll rises, and the Tuesday shooting moves to Monday
    old_monday, old_tuesday = tally_of(monday), tally_of(tuesday)
    set_event(monday, "ev-1", entry(event("ev-1", 21, 38, version=2)))
    set_event(tuesday, "ev-2", None)
    set_event(monday, "ev-2", entry(event("ev-2", 2, 0, version=2, method="gunfire")))
    running.replace(old_monday, tally_of(monday))
    running.add(old_tuesday, -1)
    assert running.row == running_of("IQ-BG", [monday]).row
    assert (running.row["killed"], running.row["wounded"], running.row["incidents"]) == (23, 38, 2)
    assert running.row["by_method"] == {"car_bomb": {"killed": 21, "wounded": 38, "incidents": 1},
                                        "gunfire": {"killed": 2, "wounded": 0, "incidents": 1}}
    assert (running.row["first_event_date"], running.row["last_event_date"]) == ("2026-03-02", "2026-03-02")
    assert running.row["window"] == "all"


def test_reference_tables_fold_final_versions_and_leave_undated_out_of_the_days() -> None:
    tables = reference_tables(
        [event("ev-1", 21, 41, version=4), event("ev-2", 3, 0, day=None, method="gunfire"),
         event("ev-3", 5, 4, region="IQ-DI", day="2026-03-03")],
        [{"incident_id": "inc-9", "killed": 600, "wounded": 0, "event_date": "2026-03-02",
          "location": {"region_code": "IQ-BG"}},
         {"incident_id": "inc-10", "killed": 0, "wounded": 0, "location": {"region_code": "IQ-BG"}}],
        {},
    )
    assert sorted(tables) == ["IQ-BG|2026-03-02", "IQ-BG|all", "IQ-DI|2026-03-03", "IQ-DI|all"]
    bg = tables["IQ-BG|all"]
    assert (bg["killed"], bg["wounded"], bg["incidents"], bg["suspect_killed"], bg["suspect_incidents"]) == (
        24, 41, 2, 600, 1)
    assert (tables["IQ-BG|2026-03-02"]["killed"], tables["IQ-BG|2026-03-02"]["incidents"]) == (21, 1)
    assert tables["IQ-DI|all"]["region"] == "Diyala", "the one display name of the region"


def test_an_event_splits_its_figures_as_the_reports_that_give_them() -> None:
    sources = [
        EventSource(article_id="a1", incident_id="a1:0", source="Wire A", published="2026-03-02T10:00:00Z",
                    killed=12, wounded=30),
        EventSource(article_id="b1", incident_id="b1:0", source="Wire B", published="2026-03-02T12:00:00Z",
                    killed=15, wounded=34),
        # Wire A's later report gives the highest toll; Wire B's the highest wounded
        EventSource(article_id="a2", incident_id="a2:0", source="Wire A", published="2026-03-03T09:00:00Z",
                    killed=21, wounded=30),
    ]
    record = event("ev-1", 21, 34, version=3).model_copy(update={"sources": sources})
    groups = {"a2:0": [("civilian", 18, 30), ("security", 3, 0)], "b1:0": [("civilian", 15, 30), ("unknown", 0, 4)]}
    assert event_groups(record, groups.get) == {"civilian": [18, 30], "security": [3, 0], "unknown": [0, 4]}
    row = new_row("IQ-BG", "2026-03-02")
    set_event(row, "ev-1", event_entry(record, groups.get))
    assert tally_of(row)["by_victim_category"] == {"civilian": {"killed": 18, "wounded": 30, "incidents": 1},
                                                   "security": {"killed": 3, "wounded": 0, "incidents": 1},
                                                   "unknown": {"killed": 0, "wounded": 4, "incidents": 1}}


_entry = st.tuples(st.integers(1, 5), st.integers(0, 40), st.integers(0, 40),
                   st.dictionaries(st.sampled_from(["civilian", "security", "unknown"]),
                                   st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=2),
                   st.sampled_from(["ied", "gunfire"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ev-1", "ev-2", "ev-3", "inc-9"]), st.none() | _entry), max_size=30))
def test_a_rows_sums_kept_by_difference_equal_its_entries_counted_again(ops: list[tuple[str, Any]]) -> None:
    row = new_row("IQ-BG", "2026-03-02")
    for key, entry in ops:
        if key == "inc-9":
            set_suspect(row, key, entry[1] if entry else 0, entry[2] if entry else 0)
        else:
            set_event(row, key, None if entry is None else [entry[0], entry[1], entry[2],
                                                             {g: list(f) for g, f in entry[3].items()}, entry[4]])
        assert row["sums"] == sums_of(row)
    assert tally_of(row) == tally_of({k: v for k, v in row.items() if k != "sums"})
