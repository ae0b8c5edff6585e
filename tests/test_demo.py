"""``casualty demo``: the whole system on the sample articles ends with the exact expected table."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from kafka import KafkaAdminClient

from streams.cli.demo import DemoFeed, table_differences, table_of
from streams.demo import expected_tables, malformed_messages, sample_articles
from streams.feed import Feeder, FeedOptions, Reporter
from streams.local import broker as lb

REPO = Path(__file__).resolve().parent.parent


def test_table_differences_name_each_region_and_number() -> None:
    expected = {"IQ-NI": {"killed": 3, "wounded": 1, "incidents": 2},
                "IQ-BG": {"killed": 1, "wounded": 0, "incidents": 1}}
    actual = {"IQ-NI": {"killed": 4, "wounded": 1, "incidents": 3},
              "IQ-DI": {"killed": 0, "wounded": 2, "incidents": 1}}
    assert table_differences(expected, actual) == [
        "IQ-BG: expected {'killed': 1, 'wounded': 0, 'incidents': 1}, missing",
        "IQ-DI: not expected, got {'killed': 0, 'wounded': 2, 'incidents': 1}",
        "IQ-NI: killed expected 3 got 4, incidents expected 2 got 3",
    ]
    assert table_differences(expected, dict(expected)) == []


def test_table_of_a_regions_document() -> None:
    doc = {"regions": [{"region_code": "IQ-NI", "killed": 3, "wounded": 1, "incidents": 2, "region": "Nineveh"}],
           "totals": {}}
    assert table_of(doc) == {"IQ-NI": {"killed": 3, "wounded": 1, "incidents": 2}}


def test_demo_feed_spreads_the_malformed_messages_among_the_articles() -> None:
    articles, malformed = sample_articles(), malformed_messages()
    feeder = Feeder(producer=None, options=FeedOptions(topic="t"), reporter=Reporter(io.StringIO(), tty=False))  # type: ignore[arg-type]
    feed = DemoFeed(articles, malformed, feeder, feeder.reporter, threading.Event())
    order = [(raw, item.payload if raw else item.obj["id"]) for item, raw in feed.items()]  # type: ignore[index]
    assert feed.total == len(order) == len(articles) + len(malformed)
    assert [value for raw, value in order if not raw] == [a["id"] for a in articles]
    assert [value for raw, value in order if raw] == malformed
    assert order[0][0] is False  # the demo opens with a real article
    raw_positions = [i for i, (raw, _) in enumerate(order) if raw]
    assert raw_positions[-1] - raw_positions[0] >= len(articles) // 2  # spread out, not bunched together


@pytest.mark.kafka
def test_demo_once_ends_with_the_expected_table(kafka_bootstrap: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "streams.cli.main", "demo", "--once", "--bootstrap", kafka_bootstrap, "--rate", "50",
         "--web-port", "0", "--timeout", "240"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    out = proc.stdout
    assert "dashboard  http://127.0.0.1:" in out and "/metrics" in out
    assert "demo: feeding 23 sample articles and 5 malformed messages" in proc.stderr
    final = out[out.index("Casualties by region (final)"):]
    assert f"sent {len(sample_articles()) + len(malformed_messages())}/" in final
    assert f"dead letters {len(malformed_messages())}" in final
    assert proc.returncode == 0, f"{out}\n{proc.stderr}"
    assert f"demo: the table equals the expected table ({len(expected_tables())} regions)" in out
    # the run's topics are gone (issue 18): its prefix and its app id's changelogs
    prefix = re.search(r"demo: topics (demo-\S+\.)\* on", proc.stderr).group(1)  # type: ignore[union-attr]
    app_id = "casualty-demo-" + prefix.removeprefix("demo-").rstrip(".")
    # 6 topics, 4 table changelogs and Faust's assignor topic
    assert f"demo: deleted the run's 10 topics ({prefix}* and {app_id}-*)" in proc.stderr
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    try:
        assert [t for t in admin.list_topics() if t.startswith((prefix, app_id))] == []
    finally:
        admin.close()


@pytest.mark.kafka
@pytest.mark.heavy
def test_demo_starts_and_stops_its_own_broker(tmp_path: Path) -> None:
    port = lb.free_port()
    state = tmp_path / "broker"
    proc = subprocess.run(
        [sys.executable, "-m", "streams.cli.main", "demo", "--once", "--bootstrap", f"127.0.0.1:{port}",
         "--state-dir", str(state), "--rate", "50", "--web-port", "0"],
        cwd=REPO, capture_output=True, text=True, timeout=400,
    )
    assert f"starting the local Kafka broker on 127.0.0.1:{port}" in proc.stderr
    assert "stopping the local broker the demo started" in proc.stderr
    assert lb.running_pid(state) is None
    assert "Casualties by region (final)" in proc.stdout
