"""Tables count events, end to end on the real broker: several outlets' reports of one attack are
one event, counted at its resolved figures, in /regions, /events, the events topic, ``casualty
tables`` and ``casualty subscribe events``.

The articles (``fixtures/stream_events.jsonl``) are our own, written for this test:

* a car bomb at a vegetable market in Hilla on Monday 2026-03-09, told by three outlets with
  different tolls (9, 11, 10 killed), one of them published after midnight about "late Monday",
  then by a daily round-up that lists it again (11), then by the first outlet's update the next
  day (14 killed, 27 wounded);
* two separate attacks in Mosul on the same Monday (a roadside bomb on a police patrol, a sniper);
* a shooting in Kirkuk in the round-up; a shooting near Hilla a week later;
* a report a week later that repeats the Hilla bombing as background (not a new event).

One worker with one partition per topic, so the incidents arrive in the order the articles are
sent and the event versions are the same in every run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from extractors import extract
from schemas.validation import parse_article
from streams.cli.main import cli
from streams.clients.admin import ensure_topics
from streams.events import event_id_for
from tests.support.kafka import consume_raw, produce_raw
from tests.support.worker import WorkerProcess

pytestmark = pytest.mark.kafka
ARTICLES = [json.loads(line) for line in (Path(__file__).parent / "fixtures" / "stream_events.jsonl").read_text()
            .splitlines() if line.strip()]
BY_ID = {a["id"]: a for a in ARTICLES}


def first_incident_id(article_id: str, index: int = 0) -> str:
    return extract(parse_article(orjson.dumps(BY_ID[article_id]))).incidents[index].incident_id


HILLA = event_id_for(first_incident_id("hilla-euphrates-1"))  # derived from its first report's incident id
KIRKUK = event_id_for(first_incident_id("roundup-0310", 1))
REGIONS = {
    "IQ-BB": {"killed": 16, "wounded": 27, "incidents": 2},  # the bombing at 14/27 (not 9+11+10+11+14), the shooting
    "IQ-NI": {"killed": 4, "wounded": 2, "incidents": 2},    # two attacks in one city on one day
    "IQ-KI": {"killed": 2, "wounded": 0, "incidents": 1},
}


def send(worker: WorkerProcess, *articles: dict[str, Any]) -> None:
    for article in articles:
        produce_raw(worker.bootstrap, worker.settings.articles_topic, [orjson.dumps(article)],
                    key=article["id"].encode())


def latest(worker: WorkerProcess, topic: str) -> dict[str, Any]:
    """The last record per key of a compacted topic (None for a tombstone)."""
    out: dict[str, Any] = {}
    for message in consume_raw(worker.bootstrap, topic, 100_000, timeout=4, isolation="read_committed"):
        out[message.key.decode()] = None if message.value is None else orjson.loads(message.value)
    return out


@pytest.fixture(scope="module")
def worker(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    proc = WorkerProcess(kafka_bootstrap, tmp_path_factory.mktemp("events"), partitions=1)
    ensure_topics(proc.settings)
    proc.start()
    try:
        send(proc, *ARTICLES)
        proc.wait_for("/stats", lambda doc: doc["articles"]["ok"] == len(ARTICLES))
        proc.wait_for("/regions", lambda doc: {r["region_code"]: r["killed"] for r in doc["regions"]}
                      == {code: row["killed"] for code, row in REGIONS.items()})
        yield proc
    finally:
        proc.stop()


def test_regions_count_each_event_once_at_its_resolved_figures(worker: WorkerProcess) -> None:
    assert worker.regions() == REGIONS
    hilla = worker.get("/regions/IQ-BB")
    # "late Monday" in a report published after midnight, and the round-up and update of Tuesday:
    # all on Monday's row; the shooting a week later on its own day
    assert [(d["window"], d["killed"], d["wounded"], d["incidents"]) for d in hilla["daily"]] == [
        ("2026-03-09", 14, 27, 1), ("2026-03-17", 2, 0, 1)]
    assert hilla["by_method"] == {"car_bomb": {"killed": 14, "wounded": 27, "incidents": 1},
                                  "gunfire": {"killed": 2, "wounded": 0, "incidents": 1}}
    assert (hilla["first_event_date"], hilla["last_event_date"]) == ("2026-03-09", "2026-03-17")
    assert hilla["undated"] == {"killed": 0, "wounded": 0, "incidents": 0, "suspect_killed": 0, "suspect_wounded": 0}


def test_events_list_each_event_with_every_source_and_its_figures(worker: WorkerProcess) -> None:
    doc = worker.get("/events?limit=50")
    assert doc["count"] == 5 and doc["complete"] is True and doc["caught_up"] is True
    events = {e["event_id"]: e for e in doc["events"]}
    hilla = events[HILLA]
    assert (hilla["version"], hilla["event_date"], hilla["killed"], hilla["wounded"]) == (5, "2026-03-09", 14, 27)
    assert (hilla["killed_min"], hilla["killed_max"], hilla["method"]) == (10, 14, "car_bomb")
    assert hilla["location"]["region_code"] == "IQ-BB" and hilla["location"]["city"] == "Hilla"
    assert [(s["article_id"], s["source"], s["killed"], s["wounded"]) for s in hilla["sources"]] == [
        ("hilla-euphrates-1", "Euphrates Wire", 9, 22),
        ("hilla-tigris-1", "Tigris Herald", 11, 25),
        ("hilla-mesopotamia-1", "Mesopotamia News", 10, 24),
        ("roundup-0310", "Iraq Daily Roundup", 11, 25),
        ("hilla-euphrates-2", "Euphrates Wire", 14, 27),
    ]
    assert hilla["sources"][2]["event_date"] == "2026-03-09", "published 00:40 on Tuesday about late Monday"
    mosul = sorted((e["method"], e["killed"], e["wounded"]) for e in events.values()
                   if e["location"]["region_code"] == "IQ-NI")
    assert mosul == [("ied", 3, 2), ("sniper", 1, 0)]
    # filters: region, day range, outlet (any report), limit
    assert [e["event_id"] for e in worker.get("/events?region=iq-bb&since=2026-03-09&until=2026-03-09")["events"]] \
        == [HILLA]
    assert {e["event_id"] for e in worker.get("/events?source=Iraq%20Daily%20Roundup")["events"]} == {
        HILLA, KIRKUK}
    assert worker.get("/events?limit=2")["count"] == 2
    summary = worker.get("/events/summary?country=IQ")
    assert (summary["totals"]["killed"], summary["totals"]["wounded"], summary["totals"]["incidents"]) == (22, 29, 5)


def test_the_events_topic_holds_the_latest_version_of_each_event(worker: WorkerProcess) -> None:
    on_topic = latest(worker, worker.settings.events_topic)
    shown = {e["event_id"]: e for e in worker.get("/events?limit=50")["events"]}
    assert set(on_topic) == set(shown)
    for event_id, record in on_topic.items():
        view = {k: shown[event_id][k] for k in record}
        assert record == view
    assert on_topic[HILLA]["version"] == 5
    tallies = latest(worker, worker.settings.tallies_topic)
    assert {k: (v["killed"], v["wounded"], v["incidents"]) for k, v in tallies.items() if k.startswith("IQ-BB")} == {
        "IQ-BB|all": (16, 27, 2), "IQ-BB|2026-03-09": (14, 27, 1), "IQ-BB|2026-03-17": (2, 0, 1)}


def test_tables_and_subscribe_show_events(worker: WorkerProcess) -> None:
    runner = CliRunner()
    flags = ["-b", worker.bootstrap, "--topic-prefix", worker.settings.topic_prefix]
    result = runner.invoke(cli, ["tables", "--from-topic", "--json", *flags])
    assert result.exit_code == 0, result.output
    rows = {r["region_code"]: (r["killed"], r["wounded"], r["incidents"]) for r in json.loads(result.output)["regions"]}
    assert rows == {code: (r["killed"], r["wounded"], r["incidents"]) for code, r in REGIONS.items()}
    result = runner.invoke(cli, ["subscribe", "events", "--from-beginning", "--region", "iq-bb", "--timeout", "3",
                                 *flags])
    lines = result.output.splitlines()
    hilla_lines = [line for line in lines if HILLA in line]
    assert hilla_lines[-1].split()[:6] == ["2026-03-09", "IQ-BB", "Hilla", "14", "27", "5"]
    assert "Euphrates Wire 9/22; Tigris Herald 11/25" in hilla_lines[-1]


def test_a_re_fed_article_and_a_re_published_incident_change_nothing(worker: WorkerProcess) -> None:
    before_events = latest(worker, worker.settings.events_topic)
    duplicates = worker.get("/stats")["articles"]["duplicate"]
    send(worker, BY_ID["hilla-tigris-1"])
    worker.wait_for("/stats", lambda doc: doc["articles"]["duplicate"] == duplicates + 1)
    # an incident published twice (as after a crash under at_least_once): a duplicate for the tables
    [first] = [m for m in consume_raw(worker.bootstrap, worker.settings.incidents_topic, 100, timeout=3)
               if orjson.loads(m.value)["article_id"] == "hilla-mesopotamia-1"]
    produce_raw(worker.bootstrap, worker.settings.incidents_topic, [first.value], key=first.key)
    deadline = time.monotonic() + 30
    while 'casualty_duplicates_total{kind="incident"} 1.0' not in worker.get_text("/metrics"):
        assert time.monotonic() < deadline, "the re-published incident was not counted as a duplicate"
        time.sleep(0.3)
    assert worker.regions() == REGIONS
    assert latest(worker, worker.settings.events_topic) == before_events


def test_closed_events_leave_the_state_and_keep_their_figures(worker: WorkerProcess) -> None:
    # After the shooting of 2026-03-17 moved Babil's clock on, the Monday bombing is closed: the batch rows
    # of the event-state table that held it are deleted (tombstones in the changelog, after the head that
    # closed it; the incident re-published by the test before gave the batch that wrote them), its incident
    # ids are kept by day, and its figures stay in the tables.
    changelog = f"{worker.settings.app_id}-event-state-changelog"
    rows: dict[str, Any] = {}
    held_hilla: set[str] = set()
    for message in consume_raw(worker.bootstrap, changelog, 100_000, timeout=4):
        key = orjson.loads(message.key)
        rows[key] = None if message.value is None else orjson.loads(message.value)
        if rows[key] is not None and HILLA in rows[key].get("events", ()):
            held_hilla.add(key)
    assert held_hilla and all(key.startswith("b|IQ-BB|") and rows[key] is None for key in held_hilla)
    remembered = {i: v for day in ("2026-03-09", "2026-03-10") for i, v in (rows[f"s|IQ-BB|{day}"] or {}).items()}
    assert sorted(event for event, _ in remembered.values()) == [HILLA] * 5
    assert rows["h|IQ-BB"]["clock"] == "2026-03-17"
    open_events = {e for k, v in rows.items() if k.startswith("b|IQ-BB|") and v is not None for e in v["events"]}
    assert open_events == {event_id_for(first_incident_id("hilla-later-1"))}
    assert worker.regions()["IQ-BB"] == REGIONS["IQ-BB"]
