"""Observability end to end: a real Prometheus scrapes a real worker during a stream, and the
dashboard page, served by that worker, shows the live table in headless Chromium."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from extractors import extract
from schemas.records import Article
from streams.clients.admin import ensure_topics
from tests.support.browser import chromium_path, dump_dom, screenshot
from tests.support.kafka import produce_raw
from tests.support.prometheus import prometheus_path, running_prometheus
from tests.support.worker import WorkerProcess

pytestmark = pytest.mark.kafka
FIXTURES = Path(__file__).parent / "fixtures"

ARTICLES = [
    json.loads((FIXTURES / "stream_day.json").read_text()),
    {"id": "obs-kirkuk", "source": "tests", "published": "2026-03-02",
     "body": "A car bomb killed four civilians and wounded eleven others at a market in Kirkuk on Monday."},
    {"id": "obs-basra", "source": "tests", "published": "2026-03-02",
     "body": "Gunmen shot dead a police officer near his home in Basra."},
]


def batch_killed_by_region() -> dict[str, int]:
    """What the extractor finds in the articles, summed per region (the stream must agree)."""
    out: dict[str, int] = defaultdict(int)
    for article in ARTICLES:
        for incident in extract(Article(**article)).incidents:
            out[incident.location.region_code or "unknown"] += incident.killed
    return dict(out)


@pytest.fixture(scope="module")
def fed_worker(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    worker = WorkerProcess(kafka_bootstrap, tmp_path_factory.mktemp("observability"), partitions=2)
    ensure_topics(worker.settings)
    worker.start()
    try:
        feed(worker)
        yield worker
    finally:
        worker.stop()


def feed(worker: WorkerProcess) -> dict[str, int]:
    expected = batch_killed_by_region()
    for article in ARTICLES:
        produce_raw(worker.bootstrap, worker.settings.articles_topic, [orjson.dumps(article)],
                    key=article["id"].encode())
    worker.wait_for("/regions", lambda doc: {r["region_code"]: r["killed"] for r in doc["regions"]} == expected,
                    timeout=60)
    return expected


@pytest.mark.prometheus
@pytest.mark.skipif(prometheus_path() is None, reason="Prometheus is not installed (scripts/setup.sh installs it)")
def test_prometheus_scrapes_the_worker_and_promql_returns_casualties_per_region(
    fed_worker: WorkerProcess, tmp_path: Path
) -> None:
    with running_prometheus([f"127.0.0.1:{fed_worker.web_port}"], tmp_path) as prom:
        expected = batch_killed_by_region()
        query = 'sum by (region) (casualty_casualties_total{kind="killed"})'
        result = prom.wait_for(
            query, lambda samples: {s.labels["region"]: int(s.value) for s in samples if s.value} == expected,
            timeout=60,
        )
        assert {s.labels["region"]: int(s.value) for s in result if s.value} == expected
        [up] = prom.query(f'up{{instance="127.0.0.1:{fed_worker.web_port}"}}')
        assert up.value == 1.0
        [ok] = prom.wait_for('sum(casualty_articles_processed_total{outcome="ok"})',
                             lambda s: bool(s) and s[0].value >= len(ARTICLES), timeout=30)
        assert ok.value == len(ARTICLES)


@pytest.mark.browser
@pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed (scripts/setup.sh installs it)")
def test_dashboard_shows_the_region_rows_after_a_feed(fed_worker: WorkerProcess, artifacts_dir: Path) -> None:
    expected = batch_killed_by_region()
    fed_worker.wait_for("/regions", lambda doc: len(doc["regions"]) == len(expected), timeout=60)
    dom = dump_dom(f"{fed_worker.url}/dashboard")
    for code, killed in expected.items():
        row = re.search(rf'<tr data-region="{code}">(.*?)</tr>', dom, re.S)
        assert row, f"no row for {code} in the dashboard"
        assert re.search(rf'class="num killed">{killed}<', row.group(1)), row.group(1)
    assert "A car bomb killed four civilians" in dom
    png = screenshot(f"{fed_worker.url}/dashboard", artifacts_dir / "dashboard.png")
    assert png.stat().st_size > 10_000
