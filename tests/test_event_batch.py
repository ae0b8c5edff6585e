"""streams.worker.event_batch: incidents resolved into event tables, exactly, through crashes.

The incidents are built by hand (our own wording, in the style of wire stories). A small harness
plays the tally agent: it applies each batch's writes in the agent's order (rows and outputs,
flush, then deletes and heads) to dicts standing for the tables and topics, and logs every record.
A crash keeps everything written before a flush and any subset of what came after it (nothing is
assumed about the order in which unflushed records reach the broker); a new engine then rebuilds
from what was kept and every incident is delivered again. The final tables, daily rows and
latest event versions must equal an uninterrupted run, and a batch resolution of the incidents.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest

from schemas.codec import dumps
from schemas.records import Incident
from streams.events.open_events import MemoryStore
from streams.events.resolver import event_id_for
from streams.worker.event_batch import EventTally
from streams.worker.event_state import group_rows, rebuild
from streams.worker.tally import region_key
from tests.support.event_reference import batch_events, batch_tallies
from tests.support.incidents import incident

# One car bomb at the Kirkuk bus station on Monday, told by three outlets, and the first outlet's
# update the next day.
WIRE_A = incident("a1", "KIRKUK (Wire A) - A car bomb went off beside the main bus station in Kirkuk on Monday, "
                  "killing 12 people and wounding 30, police said.", source="Wire A",
                  published="2026-03-02T14:05:00Z", killed=12, wounded=30, method="car_bomb", victims="civilian")
WIRE_B = incident("b1", "Fifteen people died and 34 were hurt when a car rigged with explosives blew up at the "
                  "busy bus terminal of Kirkuk on Monday afternoon.", source="Wire B",
                  published="2026-03-02T16:40:00Z", killed=15, wounded=34, method="car_bomb", victims="civilian")
WIRE_C = incident("c1", "A parked car full of explosives blew up late Monday next to the city bus station in "
                  "Kirkuk, killing 17 people and injuring 41.", source="Wire C",
                  published="2026-03-03T00:35:00Z", killed=17, wounded=41, method="car_bomb", victims="civilian")
WIRE_A_UPDATE = incident("a2", "The toll of Monday's car bomb at the Kirkuk bus station rose to 21 dead and 38 "
                         "wounded, a hospital director said on Tuesday.", source="Wire A",
                         published="2026-03-03T09:10:00Z", killed=21, wounded=38, method="car_bomb",
                         victims="civilian")
# Two separate attacks in Baghdad on one day: a market bombing and a checkpoint shooting.
MARKET = incident("d1", "A roadside bomb tore through a vegetable market in Baghdad on Monday, killing six "
                  "shoppers.", source="Wire D", region="IQ-BG", city="Baghdad", published="2026-03-02T11:00:00Z",
                  killed=6, method="ied", victims="civilian")
CHECKPOINT = incident("d2", "Gunmen opened fire on an army checkpoint in Baghdad on Monday, killing two soldiers.",
                      source="Wire D", region="IQ-BG", city="Baghdad", published="2026-03-02T18:00:00Z",
                      killed=2, method="gunfire", victims="security")
# A held-back figure (the article's self-check), and a week later a new attack that moves Kirkuk's
# clock on and closes Monday's event.
SUSPECT = incident("e1", "An army statement claimed that air raids killed 300 fighters near Kirkuk on Monday.",
                   source="Wire E", published="2026-03-02T20:00:00Z", killed=300, method="airstrike",
                   victims="militant").model_copy(update={"status": "suspect", "status_reason": "over the total"})
LATER = incident("f1", "Gunmen killed a shepherd and his son on a farm south of Kirkuk on Tuesday.",
                 source="Wire F", published="2026-03-10T08:00:00Z", event_date="2026-03-10", killed=2,
                 method="gunfire", victims="civilian")


def raw(incident_: Incident) -> bytes:
    return dumps(incident_)


FEED: list[bytes] = [raw(i) for i in (WIRE_A, MARKET, WIRE_B, SUSPECT, CHECKPOINT, WIRE_C, WIRE_A_UPDATE, LATER)]
# the article of Wire B extracted again after a crash: its incident published a second time
FEED_WITH_COPY = [*FEED, raw(WIRE_B), raw(WIRE_A)]


@dataclass
class Harness:
    """The tally agent's writes applied to dicts, every record logged (``flush`` marks a flush)."""

    log: list[tuple[str, str, Any]] = field(default_factory=list)

    @staticmethod
    def state_of(log: Iterable[tuple[str, str, Any]]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {"state": {}, "daily": {}, "tallies": {}, "events": {}}
        for kind, key, value in log:
            if kind == "flush":
                continue
            target = out[kind]
            if value is None:
                target.pop(key, None)
            else:
                target[key] = value
        return out

    def engine(self, kept: list[tuple[str, str, Any]], *, count_suspect: bool = False) -> EventTally:
        tables = self.state_of(kept)
        return EventTally(lambda key: tables["daily"].get(key), count_suspect=count_suspect)

    def run(self, engine: EventTally, feed: list[bytes], batch: int, start: list[tuple[str, str, Any]]) -> None:
        """Deliver ``feed`` (offset = index) to ``engine`` in batches, on top of the records ``start``."""
        self.log = list(start)
        tables = self.state_of(self.log)
        engine.read_daily = lambda key: tables["daily"].get(key)
        saved = group_rows(tables["state"].items())
        # one more batch, with nothing new: the rows closed by the last one are deleted then
        for first in [*range(0, len(feed), batch), len(feed)]:
            for offset in range(first, min(first + batch, len(feed))):
                data = orjson.loads(feed[offset])
                code = region_key(data)
                if not engine.loaded(code):
                    daily = [v for k, v in tables["daily"].items() if k.split("|")[0] == code]
                    engine.load(code, saved.get(code) or group_rows([]).get(code) or _empty(), daily)
                engine.apply(data, feed[offset].decode(), offset)
            writes = engine.take_writes()
            for w in writes:
                self._put("state", w.state_rows.items(), tables)
                self._put("daily", w.daily_rows.items(), tables)
                self._put("tallies", w.tallies.items(), tables)
                self._put("events", ((e.event_id, orjson.loads(dumps(e))) for e in w.events), tables)
            self.log.append(("flush", "", None))
            for w in writes:
                self._put("state", ((k, None) for k in w.deletes), tables)
                if w.head is not None:
                    self._put("state", [w.head], tables)
            engine.saved(w.code for w in writes)

    def _put(self, kind: str, items: Iterable[tuple[str, Any]], tables: dict[str, dict[str, Any]]) -> None:
        for key, value in items:
            self.log.append((kind, key, value))
            if value is None:
                tables[kind].pop(key, None)
            else:
                tables[kind][key] = value


def _empty() -> Any:
    from streams.worker.event_state import SavedRegion

    return SavedRegion()


def uninterrupted(feed: list[bytes], batch: int = 3, count_suspect: bool = False) -> Harness:
    harness = Harness()
    harness.run(harness.engine([], count_suspect=count_suspect), feed, batch, [])
    return harness


def test_three_outlets_and_an_update_are_one_event_counted_at_its_highest_latest_figure() -> None:
    end = Harness.state_of(uninterrupted(FEED).log)
    kirkuk = end["tallies"]["IQ-KI|all"]
    # latest per outlet: Wire A 21/38 (its update), Wire B 15/34, Wire C 17/41 -> 21 killed, 41 wounded;
    # the Tuesday shooting adds 2; the suspect claim stays apart
    assert (kirkuk["killed"], kirkuk["wounded"], kirkuk["incidents"]) == (23, 41, 2)
    assert (kirkuk["suspect_killed"], kirkuk["suspect_incidents"]) == (300, 1)
    monday = end["tallies"]["IQ-KI|2026-03-02"]
    assert (monday["killed"], monday["wounded"], monday["incidents"]) == (21, 41, 1), "Wire C after midnight: Monday"
    assert end["tallies"]["IQ-KI|2026-03-10"]["killed"] == 2
    assert "IQ-KI|2026-03-03" not in end["tallies"]
    baghdad = end["tallies"]["IQ-BG|all"]
    assert (baghdad["killed"], baghdad["incidents"]) == (8, 2), "two attacks in one city on one day"
    bombing = end["events"][event_id_for(WIRE_A.incident_id)]
    assert (bombing["version"], bombing["killed"], bombing["wounded"], bombing["killed_min"]) == (4, 21, 41, 15)
    assert [s["source"] for s in bombing["sources"]] == ["Wire A", "Wire B", "Wire C", "Wire A"]
    assert sorted(end["events"]) == sorted(event_id_for(i.incident_id) for i in (WIRE_A, MARKET, CHECKPOINT, LATER))


def test_the_stream_equals_a_batch_resolution_and_copies_change_nothing() -> None:
    end = Harness.state_of(uninterrupted(FEED_WITH_COPY).log)
    assert end["tallies"] == batch_tallies([FEED_WITH_COPY])
    events, _, _ = batch_events([FEED_WITH_COPY])
    assert end["events"] == {e.event_id: orjson.loads(dumps(e)) for e in events}
    assert end == Harness.state_of(uninterrupted(FEED).log) | {"state": end["state"]}


def test_closed_events_leave_the_state_and_their_ids_are_still_known() -> None:
    harness = uninterrupted(FEED_WITH_COPY, batch=2)
    state = Harness.state_of(harness.log)["state"]
    bombing = event_id_for(WIRE_A.incident_id)
    # the shooting of 2026-03-10 moved Kirkuk's clock past Monday's window: the batch rows that held the
    # bombing are deleted, its incident ids kept under the day they were resolved on, and the copies that
    # came after are duplicates
    deleted = sorted(key for kind, key, value in harness.log if kind == "state" and value is None)
    assert deleted == ["b|IQ-KI|0", "b|IQ-KI|2", "b|IQ-KI|5"]
    assert not any(bombing in value.get("events", {}) for key, value in state.items() if key.startswith("b|"))
    assert state["s|IQ-KI|2026-03-03"] == {WIRE_C.incident_id: [bombing, 5], WIRE_A_UPDATE.incident_id: [bombing, 6]}
    assert state["s|IQ-KI|2026-03-02"] == {WIRE_A.incident_id: [bombing, 0], WIRE_B.incident_id: [bombing, 2]}
    assert state["h|IQ-KI"] == {"offset": 9, "clock": "2026-03-10", "created": 2}
    # one row per batch of a region, each holding the open events the batch changed with the reports it added
    # (the batch of offsets 6-7 added the update to the bombing, closed by the shooting in the same batch)
    held = {key: {e: [r[0] for r in entry["reports"]] for e, entry in value["events"].items()}
            for key, value in state.items() if key.startswith("b|")}
    assert held == {"b|IQ-BG|1": {event_id_for(MARKET.incident_id): [1]},
                    "b|IQ-BG|4": {event_id_for(CHECKPOINT.incident_id): [4]},
                    "b|IQ-KI|6": {event_id_for(LATER.incident_id): [7]}}
    assert (state["b|IQ-BG|1"]["offset"], state["b|IQ-KI|6"]["offset"]) == (1, 7)


def test_suspect_incidents_are_resolved_only_when_counted() -> None:
    end = Harness.state_of(uninterrupted(FEED, count_suspect=True).log)
    kirkuk = end["tallies"]["IQ-KI|all"]
    assert (kirkuk["killed"], kirkuk["incidents"], kirkuk["suspect_killed"]) == (323, 3, 300)
    assert end["tallies"] == batch_tallies([FEED], count_suspect=True)


@pytest.mark.parametrize("seed", range(40))
def test_a_crash_anywhere_then_redelivery_of_everything_gives_the_same_tables(seed: int) -> None:
    rng = random.Random(seed)
    batch = rng.choice([1, 2, 3])
    full = uninterrupted(FEED_WITH_COPY, batch=batch)
    want = Harness.state_of(full.log)
    flushes = [i for i, op in enumerate(full.log) if op[0] == "flush"]
    cut = rng.randrange(len(flushes))
    after = full.log[flushes[cut] + 1: flushes[cut + 1] if cut + 1 < len(flushes) else len(full.log)]
    # everything before the last flush is on the broker; of what came after it, any subset
    kept = full.log[: flushes[cut] + 1] + [op for op in after if rng.random() < 0.5]
    again = Harness()
    again.run(again.engine(kept), FEED_WITH_COPY, rng.choice([1, 2, 4, 10]), kept)
    got = Harness.state_of(again.log)
    assert got["tallies"] == want["tallies"]
    assert got["daily"] == want["daily"]
    assert got["events"] == want["events"]
    # the batch rows differ with the batch size; the open events and heads they rebuild do not
    assert open_state(got["state"]) == open_state(want["state"])


def open_state(rows: dict[str, Any]) -> dict[str, Any]:
    """Per region: the head and each open event (seq, last seen, reports) as a restart rebuilds them."""
    out: dict[str, Any] = {}
    for code, saved in group_rows(rows.items()).items():
        rebuilt = rebuild(code, saved, MemoryStore())
        events = rebuilt.partition.events
        out[code] = (saved.head, {event_id: (events[event_id].seq, events[event_id].last_seen, reports)
                                  for event_id, reports in rebuilt.reports.items()})
    return out


def _batches(log: list[tuple[str, str, Any]]) -> list[list[tuple[str, str]]]:
    """The records of each batch written before its flush (rows and outputs), as (kind, key)."""
    out: list[list[tuple[str, str]]] = [[]]
    for kind, key, value in log:
        if kind == "flush":
            out.append([])
        elif not (kind == "state" and (value is None or key.startswith("h|"))):  # deletes and heads: after it
            out[-1].append((kind, key))
    return out[:-1]


def test_each_batch_writes_every_changed_key_once_and_one_state_row_per_region() -> None:
    log = uninterrupted(FEED_WITH_COPY, batch=3).log
    batches = _batches(log)
    for written in batches:
        assert len(written) == len(set(written)), f"a key written twice in one batch: {written}"
    bombing = event_id_for(WIRE_A.incident_id)
    # offsets 0-2: Wire A and Wire B join one event: one version published, one state row for Kirkuk with both
    assert sorted(batches[0]) == sorted([
        ("state", "b|IQ-KI|0"), ("daily", "IQ-KI|2026-03-02"), ("tallies", "IQ-KI|2026-03-02"),
        ("tallies", "IQ-KI|all"), ("events", bombing), ("state", "b|IQ-BG|1"), ("daily", "IQ-BG|2026-03-02"),
        ("tallies", "IQ-BG|2026-03-02"), ("tallies", "IQ-BG|all"), ("events", event_id_for(MARKET.incident_id))])
    rows = Harness.state_of(log[: log.index(("flush", "", None))])["state"]
    assert [r[0] for r in rows["b|IQ-KI|0"]["events"][bombing]["reports"]] == [0, 2]
    # offset 9: a copy of Wire A (its article extracted again): no row, no output; after the flush, the
    # batch rows of the bombing (closed by the batch before) are deleted and Kirkuk's head is written
    assert batches[3] == []
    last = log.index(("flush", "", None), len(log) - 6)
    assert log[last:] == [("flush", "", None), ("state", "b|IQ-KI|0", None), ("state", "b|IQ-KI|3", None),
                          ("state", "h|IQ-KI", {"offset": 9, "clock": "2026-03-10", "created": 2}), ("flush", "", None)]
    kinds = {kind: sum(1 for k, _, _ in log if k == kind) for kind in ("state", "daily", "tallies", "events")}
    # state: 5 batch rows, 2 day rows of remembered ids, 6 heads, 2 deletes
    assert kinds == {"state": 15, "daily": 6, "tallies": 11, "events": 6}


def _as_event_rows(state: dict[str, Any]) -> dict[str, Any]:
    """The batch rows of ``state`` rewritten as the earlier layout did: one ``e|`` row per open event."""
    out = {k: v for k, v in state.items() if not k.startswith("b|")}
    for key, row in sorted(state.items(), key=lambda kv: (kv[0].split("|")[1], int(kv[0].split("|")[2]))
                           if kv[0].startswith("b|") else ("", 0)):
        if not key.startswith("b|"):
            continue
        code = key.split("|")[1]
        for event_id, entry in row["events"].items():
            merged = out.setdefault(f"e|{code}|{event_id}", {"seq": entry["seq"], "reports": []})
            merged["reports"] = [*merged["reports"], *entry["reports"]]
            merged["last_seen"] = entry["last_seen"]
    return out


@pytest.mark.parametrize("cut", range(1, 5))
def test_rows_of_the_earlier_one_row_per_event_layout_are_read_after_an_upgrade(cut: int) -> None:
    full = uninterrupted(FEED_WITH_COPY, batch=2)
    want = Harness.state_of(full.log)
    flushes = [i for i, op in enumerate(full.log) if op[0] == "flush"]
    # stopped after the heads of batch ``cut``; the new worker finds every event row in the older layout
    upto = flushes[cut]
    upto += next(i for i, op in enumerate([*full.log[upto + 1:], ("flush", "", None)]) if op[0] != "state"
                 or not (op[1].startswith("h|") or op[2] is None))
    old = Harness.state_of(full.log[: upto + 1])
    assert any(k.startswith("b|") for k in old["state"])
    start = [(kind, key, value) for kind in ("daily", "tallies", "events") for key, value in old[kind].items()]
    start += [("state", key, value) for key, value in _as_event_rows(old["state"]).items()]
    again = Harness()
    again.run(again.engine(start), FEED_WITH_COPY, 3, start)
    got = Harness.state_of(again.log)
    assert (got["tallies"], got["daily"], got["events"]) == (want["tallies"], want["daily"], want["events"])
    assert open_state(got["state"]) == open_state(want["state"])
    # the row of the closed bombing is deleted as its batch rows are
    assert f"e|IQ-KI|{event_id_for(WIRE_A.incident_id)}" not in got["state"]


def test_a_report_that_changes_no_figure_publishes_the_event_but_no_tally() -> None:
    low = incident("g1", "A car bomb near the Kirkuk bus station killed 10 people and wounded 25 on Monday, a local "
                   "official said.", source="Wire G", published="2026-03-02T18:00:00Z", killed=10, wounded=25,
                   method="car_bomb", victims="civilian")
    log = uninterrupted([raw(i) for i in (WIRE_A, WIRE_B, WIRE_C, low)], batch=1).log
    bombing = event_id_for(WIRE_A.incident_id)
    # Wire G joins the bombing below its resolved 17 killed / 41 wounded: a new version with a fourth source
    # and a new entry version in Monday's row, but Monday's tally and Kirkuk's running row are unchanged
    assert _batches(log)[3] == [("state", "b|IQ-KI|3"), ("daily", "IQ-KI|2026-03-02"), ("events", bombing)]
    end = Harness.state_of(log)
    assert [s["source"] for s in end["events"][bombing]["sources"]] == ["Wire A", "Wire B", "Wire C", "Wire G"]
    assert (end["tallies"]["IQ-KI|all"]["killed"], end["tallies"]["IQ-KI|all"]["wounded"]) == (17, 41)
    assert end["tallies"] == batch_tallies([[raw(i) for i in (WIRE_A, WIRE_B, WIRE_C, low)]])
