"""``casualty tables``: from a stub worker web API and from a tallies topic we fill ourselves."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from streams.cli.main import cli
from streams.local.broker import free_port
from tests.support.kafka import create_topic, produce_raw, unique_name


def tally(code: str, name: str, killed: int, wounded: int, incidents: int, window: str = "all",
          first: str | None = None, last: str | None = None) -> dict[str, Any]:
    """A RegionTally row."""
    return {"schema_version": "1.0", "region_code": code, "region": name, "window": window, "killed": killed,
            "wounded": wounded, "incidents": incidents, "by_victim_category": {}, "by_method": {},
            "first_event_date": first, "last_event_date": last, "updated_at": "2026-02-08T10:00:00.000Z"}


BAGHDAD = tally("IQ-BG", "Baghdad", 9, 20, 4, first="2026-02-02", last="2026-02-05")
NINEVEH = tally("IQ-NI", "Nineveh", 9, 3, 2, first="2026-02-02", last="2026-02-03")
DIYALA = tally("IQ-DI", "Diyala", 4, 0, 1, first="2026-02-04", last="2026-02-04")
NINEVEH_DAYS = [tally("IQ-NI", "Nineveh", 2, 3, 1, "2026-02-02"), tally("IQ-NI", "Nineveh", 7, 0, 1, "2026-02-03")]
EXPECTED_CSV = (
    "region_code,region,window,killed,wounded,incidents,first_event_date,last_event_date,suspect_killed,"
    "suspect_wounded,suspect_incidents\n"
    "IQ-BG,Baghdad,all,9,20,4,2026-02-02,2026-02-05,0,0,0\n"
    "IQ-NI,Nineveh,all,9,3,2,2026-02-02,2026-02-03,0,0,0\n"
    "IQ-DI,Diyala,all,4,0,1,2026-02-04,2026-02-04,0,0,0\n"
    "total,Total,all,22,23,7,,,0,0,0\n"
)


def _tables(*args: str) -> tuple[int, str, str]:
    result = CliRunner(mix_stderr=False).invoke(cli, ["tables", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def stub_worker() -> Iterator[str]:
    """A stub of the worker's web API serving /regions (unsorted) and /regions/IQ-NI."""
    documents = {
        "/regions": {"regions": [DIYALA, NINEVEH, BAGHDAD], "totals": {}},
        "/regions/IQ-NI": {**NINEVEH, "daily": list(reversed(NINEVEH_DAYS))},
        # 3 killed in an undated incident; one suspect incident of 800 held back
        "/regions/IQ-BG": {**BAGHDAD, "suspect_killed": 800, "suspect_incidents": 1,
                           "daily": [{**tally("IQ-BG", "Baghdad", 6, 20, 3, "2026-02-02"), "suspect_killed": 800,
                                      "suspect_incidents": 1}]},
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            doc = documents.get(self.path)
            body = json.dumps(doc if doc is not None else {"error": "no such region"}).encode()
            self.send_response(200 if doc is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_csv_from_the_web_api_is_sorted_with_totals(stub_worker: str) -> None:
    code, out, _ = _tables("--url", stub_worker, "--csv")
    assert code == 0
    assert out == EXPECTED_CSV


def test_terminal_table_from_the_web_api(stub_worker: str) -> None:
    code, out, _ = _tables("--url", stub_worker)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].strip() == f"Casualties by region ({stub_worker})"
    body = [line.replace("│", " ").replace("┃", " ").split() for line in lines if line[:1] in "│┃"]
    assert body == [
        ["region", "name", "killed", "wounded", "incidents", "first", "last"],
        ["IQ-BG", "Baghdad", "9", "20", "4", "2026-02-02", "2026-02-05"],
        ["IQ-NI", "Nineveh", "9", "3", "2", "2026-02-02", "2026-02-03"],
        ["IQ-DI", "Diyala", "4", "0", "1", "2026-02-04", "2026-02-04"],
        ["total", "22", "23", "7"],
    ]


def test_daily_json_from_the_web_api(stub_worker: str) -> None:
    code, out, _ = _tables("--url", stub_worker, "--daily", "IQ-NI", "--json")
    assert code == 0
    doc = orjson.loads(out)
    assert [row["window"] for row in doc["daily"]] == ["2026-02-02", "2026-02-03"]
    assert (doc["region_code"], doc["totals"]["killed"], doc["totals"]["wounded"]) == ("IQ-NI", 9, 3)


def test_daily_takes_the_region_code_in_any_case(stub_worker: str) -> None:
    code, out, err = _tables("--url", stub_worker, "--daily", "iq-ni", "--json")
    assert code == 0, err
    assert orjson.loads(out)["region_code"] == "IQ-NI"


def test_an_unknown_region_is_said_so_with_exit_2(stub_worker: str) -> None:
    code, out, err = _tables("--url", stub_worker, "--daily", "IQ-XX")
    assert code == 2
    assert "unknown region 'IQ-XX': expected an ISO 3166-2 code such as IQ-BG, or 'unknown'" in err
    assert out == ""


def test_undated_incidents_get_their_own_daily_row_and_suspect_figures_a_column(stub_worker: str) -> None:
    code, out, _ = _tables("--url", stub_worker, "--daily", "IQ-BG", "--csv")
    assert code == 0
    assert out.splitlines()[1:] == [
        "IQ-BG,Baghdad,2026-02-02,6,20,3,,,800,0,1",
        "IQ-BG,Baghdad,undated,3,0,1,,,0,0,0",
        "total,Total,all,9,20,4,,,800,0,1",
    ]
    code, out, _ = _tables("--url", stub_worker, "--daily", "IQ-BG")
    body = [line.replace("│", " ").replace("┃", " ").split() for line in out.splitlines() if line[:1] in "│┃"]
    assert body[0] == ["day", "killed", "wounded", "incidents", "suspect", "k/w"]
    assert body[1:] == [["2026-02-02", "6", "20", "3", "800/0"], ["undated", "3", "0", "1"], ["total", "9", "20", "4",
                                                                                             "800/0"]]


def test_json_and_csv_together_is_a_usage_error() -> None:
    code, _, err = _tables("--json", "--csv")
    assert code == 2 and "choose one of --json and --csv" in err


@pytest.fixture
def tallies_prefix(kafka_bootstrap: str) -> str:
    """A prefix whose compacted tallies topic holds superseded rows, daily rows and a tombstone."""
    prefix = unique_name("tab") + "."
    topic = f"{prefix}casualty-tallies"
    create_topic(kafka_bootstrap, topic, partitions=2, config={"cleanup.policy": "compact"})
    rows = [
        ("IQ-BG|all", tally("IQ-BG", "Baghdad", 1, 1, 1)),
        ("IQ-NI|all", NINEVEH),
        ("IQ-BG|all", BAGHDAD),  # supersedes the first Baghdad row
        ("IQ-DI|all", DIYALA),
        ("IQ-BA|all", tally("IQ-BA", "Basra", 50, 0, 1)),
        ("IQ-BA|all", None),  # tombstone: Basra is gone
        *((f"IQ-NI|{row['window']}", row) for row in NINEVEH_DAYS),
    ]
    for key, value in rows:
        produce_raw(kafka_bootstrap, topic, [orjson.dumps(value) if value is not None else None],  # type: ignore[list-item]
                    key=key.encode())
    return prefix


@pytest.mark.kafka
def test_csv_from_the_tallies_topic(kafka_bootstrap: str, tallies_prefix: str) -> None:
    code, out, err = _tables("--bootstrap", kafka_bootstrap, "--topic-prefix", tallies_prefix, "--from-topic", "--csv")
    assert code == 0, err
    assert out == EXPECTED_CSV


@pytest.mark.kafka
def test_falls_back_to_the_topic_when_no_worker_answers(kafka_bootstrap: str, tallies_prefix: str) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, out, err = _tables("--bootstrap", kafka_bootstrap, "--topic-prefix", tallies_prefix, "--url", url,
                             "--daily", "IQ-NI", "--csv")
    assert code == 0
    assert err.startswith(f"tables: no worker answers at {url}/regions/IQ-NI")
    assert out.splitlines()[1:] == [
        "IQ-NI,Nineveh,2026-02-02,2,3,1,,,0,0,0",
        "IQ-NI,Nineveh,2026-02-03,7,0,1,,,0,0,0",
        "total,Total,all,9,3,2,,,0,0,0",
    ]


@pytest.mark.kafka
def test_missing_tallies_topic_is_exit_3(kafka_bootstrap: str) -> None:
    code, _, err = _tables("--bootstrap", kafka_bootstrap, "--topic-prefix", unique_name("none") + ".", "--from-topic")
    assert code == 3
    assert "casualty-tallies' does not exist (check --topic-prefix)" in err
