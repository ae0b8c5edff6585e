"""``casualty subscribe``: row formats, filters, and following a real topic (no worker needed)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from streams.cli.main import cli
from streams.clients.subscribe import Filters, format_row, header, with_key
from tests.support.kafka import create_topic, produce_json, produce_raw, unique_name


def incident(n: int, region: str | None, killed: int, wounded: int = 0, place: str = "Mosul") -> dict[str, Any]:
    """A minimal incident record of the published contract."""
    return {
        "schema_version": "1.0", "incident_id": f"inc-{n}", "article_id": f"art-{n}", "event_date": "2026-02-03",
        "location": {"place": place, "region_code": region} if region else {"name": "the desert"},
        "killed": killed, "wounded": wounded, "victim_category": "civilian", "method": "ied",
    }


INCIDENTS = [incident(1, "IQ-NI", 2, 1), incident(2, "IQ-BG", 0, 4, "Baghdad"), incident(3, None, 1),
             incident(4, "IQ-NI", 5, 0, "Tal Afar")]


def test_rows_are_aligned_under_the_header() -> None:
    assert header("incidents") == (
        "date        region    place             killed  wounded  victims    method           source          article"
    )
    assert format_row("incidents", {**INCIDENTS[0], "source": "Example Wire"}) == (
        "2026-02-03  IQ-NI     Mosul                  2        1  civilian   ied              Example Wire    art-1"
    )
    assert format_row("incidents", INCIDENTS[2]).startswith("2026-02-03  unknown   the desert             1")
    long_place = incident(9, "IQ-SD", 1, place="Tuz Khurmatu district centre")
    assert "Tuz Khurmatu di…" in format_row("incidents", long_place)
    tally = {"region_code": "IQ-NI", "window": "all", "killed": 7, "wounded": 1, "incidents": 2,
             "first_event_date": "2026-02-02", "last_event_date": None, "region": "Nineveh"}
    assert format_row("tallies", tally) == (
        "IQ-NI     all              7        1          2  2026-02-02  -           Nineveh"
    )
    summary = {"article_id": "a", "stated_killed": None, "extracted_killed": 3, "stated_wounded": 4,
               "extracted_wounded": 4, "incident_count": 2, "reconciled": True}
    assert format_row("summaries", summary) == "       -        3         4        4          2  true        a"


def test_filters() -> None:
    def ids(filters: Filters) -> list[str]:
        return [i["incident_id"] for i in INCIDENTS if filters.matches("incidents", i)]

    assert ids(Filters(region="IQ-NI")) == ["inc-1", "inc-4"]
    assert ids(Filters(region="unknown")) == ["inc-3"]
    assert ids(Filters(min_killed=2)) == ["inc-1", "inc-4"]
    assert ids(Filters(region="IQ-NI", min_killed=3)) == ["inc-4"]
    assert Filters(min_killed=3).matches("summaries", {"extracted_killed": 3})
    with pytest.raises(ValueError, match="--region applies to incidents and tallies"):
        Filters(region="IQ-NI").check("dead-letters")


def _subscribe(bootstrap: str, prefix: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["subscribe", "--bootstrap", bootstrap, "--topic-prefix", prefix, *args]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def incidents_prefix(kafka_bootstrap: str) -> str:
    """A prefix whose incidents topic (2 partitions) holds INCIDENTS, all on partition 0 in order."""
    prefix = unique_name("sub") + "."
    create_topic(kafka_bootstrap, f"{prefix}incidents", partitions=2)
    produce_json(kafka_bootstrap, f"{prefix}incidents", INCIDENTS, key=b"same-key")
    return prefix


@pytest.mark.kafka
def test_json_from_beginning_prints_the_incidents(kafka_bootstrap: str, incidents_prefix: str) -> None:
    code, out, err = _subscribe(kafka_bootstrap, incidents_prefix, "incidents", "--json", "--from-beginning",
                                "--max-messages", "4", "--timeout", "20")
    assert code == 0, err
    assert [orjson.loads(line) for line in out.splitlines()] == INCIDENTS


@pytest.mark.kafka
def test_filters_and_human_rows(kafka_bootstrap: str, incidents_prefix: str) -> None:
    code, out, _ = _subscribe(kafka_bootstrap, incidents_prefix, "incidents", "--from-beginning", "--region", "iq-ni",
                              "--min-killed", "3", "--max-messages", "1", "--timeout", "20")
    assert code == 0
    assert out.splitlines() == [header("incidents"), format_row("incidents", INCIDENTS[3])]


@pytest.mark.kafka
def test_timeout_before_max_messages_is_exit_1(kafka_bootstrap: str, incidents_prefix: str) -> None:
    code, out, err = _subscribe(kafka_bootstrap, incidents_prefix, "incidents", "--json", "--from-beginning",
                                "--region", "IQ-BG", "--max-messages", "2", "--timeout", "2")
    assert code == 1
    assert [orjson.loads(line)["incident_id"] for line in out.splitlines()] == ["inc-2"]
    assert err == "subscribe: 1 of 2 records before the 2s timeout\n"


@pytest.mark.kafka
def test_undecodable_dead_letter_is_skipped_with_a_note(kafka_bootstrap: str) -> None:
    prefix = unique_name("sub") + "."
    topic = f"{prefix}articles.DLT"
    create_topic(kafka_bootstrap, topic)
    letter = {"original": "{", "error_code": "invalid_json", "error_field": None, "reason": "message is not valid JSON",
              "occurred_at": "2026-02-03T10:00:00.000Z", "original_offset": 7}
    produce_raw(kafka_bootstrap, topic, [b"\xff not json", orjson.dumps(letter)])
    code, out, err = _subscribe(kafka_bootstrap, prefix, "dead-letters", "--from-beginning", "--max-messages", "1",
                                "--timeout", "20")
    assert code == 0
    assert out.splitlines()[1] == format_row("dead-letters", with_key(letter, None))
    assert err.startswith(f"{topic}[0]@0: skipped, not JSON:")


def test_dead_letter_rows_show_field_partition_and_key_whole() -> None:
    letter = {"occurred_at": "2026-02-03T10:00:00.000Z", "error_code": "invalid_value", "error_field": "received_at",
              "original_partition": 4, "original_offset": 17, "reason": "field 'received_at' must be ISO-8601"}
    assert header("dead-letters") == (
        "occurred_at               error              field        partition   offset  key               reason")
    assert format_row("dead-letters", with_key(letter, b"wire-2026-02-03-7")) == (
        "2026-02-03T10:00:00.000Z  invalid_value      received_at          4       17  wire-2026-02-03…  "
        "field 'received_at' must be ISO-8601")


def test_articles_are_readable_too() -> None:
    article = {"id": "wire-1", "source": "Example Wire", "published": "2026-02-03T08:00:00Z", "title": None,
               "body": "A roadside bomb   killed two soldiers near Baquba on Monday."}
    assert header("articles") == "published   source          id                        title"
    assert format_row("articles", article) == (
        "2026-02-03  Example Wire    wire-1                    "
        "A roadside bomb killed two soldiers near Baquba on Monday.")


def test_region_codes_are_read_in_any_case_and_unknown_ones_refused() -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, ["subscribe", "incidents", "--region", "iq-zz"])
    assert result.exit_code == 2
    assert "unknown region 'iq-zz'" in result.stderr


@pytest.mark.kafka
def test_from_now_shows_only_new_records(kafka_bootstrap: str, incidents_prefix: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.cli.main", "subscribe", "incidents", "--bootstrap", kafka_bootstrap,
         "--topic-prefix", incidents_prefix, "--max-messages", "1", "--timeout", "30"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        # The header is printed once the subscriber sits at the end of every partition.
        assert proc.stdout.readline().rstrip("\n") == header("incidents")
        new = incident(5, "IQ-KI", 3, place="Kirkuk")
        produce_json(kafka_bootstrap, f"{incidents_prefix}incidents", [new], key=b"same-key")
        out, err = proc.communicate(timeout=40)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert out.splitlines() == [format_row("incidents", new)]


@pytest.mark.kafka
def test_missing_topic_is_exit_3(kafka_bootstrap: str) -> None:
    code, _, err = _subscribe(kafka_bootstrap, unique_name("none") + ".", "summaries", "--timeout", "1")
    assert code == 3
    assert "does not exist: is a worker running with the same --topic-prefix?" in err
