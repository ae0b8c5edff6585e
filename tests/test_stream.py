"""The stream, end to end on the real broker: articles -> incidents -> tables -> tallies / web API.

One worker (a real ``casualty worker`` process) serves the whole module; the tests run in order
and each states what the system must show after one more step.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from extractors import extract
from schemas.records import Article
from streams.clients.admin import ensure_topics
from tests.support.kafka import consume_json, consume_raw, produce_raw
from tests.support.worker import WorkerProcess

pytestmark = pytest.mark.kafka
FIXTURES = Path(__file__).parent / "fixtures"
DAY = json.loads((FIXTURES / "stream_day.json").read_text())
WRITTEN_DAY_TABLE = {
    "IQ-NI": {"killed": 64, "wounded": 0},
    "IQ-BG": {"killed": 2, "wounded": 8},
    "IQ-SD": {"killed": 40, "wounded": 0},
    "IQ-AN": {"killed": 23, "wounded": 0},
}
BAQUBA_MONDAY = {
    "id": "baquba-1", "source": "tests", "title": "Bomb in Baquba", "published": "2026-03-02",
    "body": "A roadside bomb killed three soldiers and wounded four others in Baquba on Monday.",
}
MUQDADIYA_WEDNESDAY = {
    "id": "muqdadiya-1", "source": "tests", "title": "Mortar in Muqdadiya", "published": "2026-03-04",
    "body": "A mortar shell killed three farmers and wounded four others in Muqdadiya on Wednesday.",
}
BAQUBA_TUESDAY = {
    "id": "baquba-2", "source": "tests", "title": "Gunmen in Baquba", "published": "2026-03-03",
    "body": "Gunmen shot dead two policemen at a checkpoint in Baquba on Tuesday.",
}


def table_of(worker: WorkerProcess) -> dict[str, dict[str, int]]:
    return {code: {"killed": row["killed"], "wounded": row["wounded"]} for code, row in worker.regions().items()}


def send(worker: WorkerProcess, *articles: dict[str, Any]) -> None:
    for article in articles:
        produce_raw(worker.bootstrap, worker.settings.articles_topic, [orjson.dumps(article)],
                    key=article["id"].encode())


# Every step holds for both table stores: the RocksDB one also restarts from its own files.
@pytest.fixture(scope="module", params=["memory://", "rocksdb://"])
def worker(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory,
           request: pytest.FixtureRequest) -> Iterator[WorkerProcess]:
    proc = WorkerProcess(kafka_bootstrap, tmp_path_factory.mktemp("stream"), partitions=3, store=request.param)
    ensure_topics(proc.settings)
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


def test_written_day_publishes_exact_incidents_summary_and_tables(worker: WorkerProcess) -> None:
    expected = extract(Article(**DAY))
    assert expected.incidents, "the extractor finds the written day's incidents"
    send(worker, DAY)

    table = worker.wait_for("/regions", lambda doc: len(doc["regions"]) >= 4)
    worker.wait_for("/regions", lambda doc: table_of_doc(doc) == WRITTEN_DAY_TABLE)
    table = worker.get("/regions")
    assert table["totals"]["killed"] == 129 and table["totals"]["wounded"] == 8
    assert [row["region_code"] for row in table["regions"]] == ["IQ-NI", "IQ-SD", "IQ-AN", "IQ-BG"]

    settings = worker.settings
    incidents = consume_json(worker.bootstrap, settings.incidents_topic, len(expected.incidents))
    want = [orjson.loads(orjson.dumps(i.model_dump(mode="json"))) for i in expected.incidents]
    assert sorted(incidents, key=lambda i: i["incident_id"]) == sorted(want, key=lambda i: i["incident_id"])
    keys = {m.key for m in consume_raw(worker.bootstrap, settings.incidents_topic, len(want))}
    assert keys == {b"IQ-NI", b"IQ-BG", b"IQ-SD", b"IQ-AN"}

    [summary] = consume_json(worker.bootstrap, settings.summaries_topic, 1)
    assert summary["article_id"] == "written-day-1"
    assert (summary["stated_killed"], summary["stated_wounded"]) == (129, 8)
    assert (summary["extracted_killed"], summary["extracted_wounded"]) == (129, 8)
    assert summary["reconciled"] is True

    tallies = latest_tallies(worker)
    assert {k: (v["killed"], v["wounded"]) for k, v in tallies.items() if k.endswith("|all")} == {
        f"{code}|all": (row["killed"], row["wounded"]) for code, row in WRITTEN_DAY_TABLE.items()
    }
    assert tallies["IQ-NI|2026-03-01"]["killed"] == 64


def table_of_doc(doc: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {r["region_code"]: {"killed": r["killed"], "wounded": r["wounded"]} for r in doc["regions"]}


def latest_tallies(worker: WorkerProcess) -> dict[str, dict[str, Any]]:
    messages = consume_raw(worker.bootstrap, worker.settings.tallies_topic, 10_000, timeout=3)
    return {m.key.decode(): orjson.loads(m.value) for m in messages}


def test_same_article_again_changes_nothing_and_counts_a_duplicate(worker: WorkerProcess) -> None:
    before = worker.get("/stats")["articles"]["duplicate"]
    send(worker, DAY)
    worker.wait_for("/stats", lambda doc: doc["articles"]["duplicate"] == before + 1)
    assert table_of(worker) == WRITTEN_DAY_TABLE
    assert 'casualty_duplicates_total{kind="article"} 1.0' in worker.get_text("/metrics")


def test_malformed_message_goes_to_dead_letters_and_the_next_article_is_processed(worker: WorkerProcess) -> None:
    produce_raw(worker.bootstrap, worker.settings.articles_topic, [b'{"title": "no body", "body": 42}'])
    send(worker, BAQUBA_MONDAY)
    worker.wait_for("/regions", lambda doc: "IQ-DI" in table_of_doc(doc))
    assert table_of(worker)["IQ-DI"] == {"killed": 3, "wounded": 4}
    [letter] = consume_raw(worker.bootstrap, worker.settings.dead_letter_topic, 1)
    record = orjson.loads(letter.value)
    assert record["error_code"] == "wrong_type"
    assert "body" in record["reason"]
    assert record["original"] == '{"title": "no body", "body": 42}'
    assert record["original_topic"] == worker.settings.articles_topic
    headers = dict(letter.headers)
    assert headers["casualty.error.code"] == b"wrong_type"
    assert headers["__connect.errors.topic"] == worker.settings.articles_topic.encode()


def test_daily_table_splits_two_dates(worker: WorkerProcess) -> None:
    send(worker, BAQUBA_TUESDAY)
    detail = worker.wait_for("/regions/IQ-DI", lambda doc: len(doc.get("daily", [])) == 2)
    assert (detail["killed"], detail["wounded"], detail["incidents"]) == (5, 4, 2)
    assert [(d["window"], d["killed"], d["wounded"]) for d in detail["daily"]] == [
        ("2026-03-02", 3, 4),
        ("2026-03-03", 2, 0),
    ]
    assert detail["first_event_date"] == "2026-03-02" and detail["last_event_date"] == "2026-03-03"


def test_restart_recovers_identical_tables_and_keeps_counting(worker: WorkerProcess) -> None:
    before = table_of(worker)
    worker.stop()
    worker.start()
    assert table_of(worker) == before
    # Recovered tables and events, not just the view: a re-fed article is still a duplicate after the
    # restart, the same Monday bombing under another article id is the same event (it adds nothing),
    # and a new attack adds to the recovered running total.
    send(worker, DAY, {**BAQUBA_MONDAY, "id": "baquba-3"}, MUQDADIYA_WEDNESDAY)
    worker.wait_for("/regions", lambda doc: table_of_doc(doc)["IQ-DI"] == {"killed": 8, "wounded": 8})
    assert {k: v for k, v in table_of(worker).items() if k != "IQ-DI"} == WRITTEN_DAY_TABLE
    assert worker.regions()["IQ-DI"]["incidents"] == 3


def test_incidents_endpoint_filters_by_region(worker: WorkerProcess) -> None:
    doc = worker.get("/incidents?region=IQ-DI&limit=2")
    assert doc["count"] == 2
    assert all(i["location"]["region_code"] == "IQ-DI" for i in doc["incidents"])
    assert worker.get("/healthz") == {"status": "ok"}
