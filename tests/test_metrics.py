"""Behaviour of streams.web.metrics: label normalisation, the helpers' effect, lag estimate, series."""

from __future__ import annotations

import math

import pytest
from prometheus_client import CollectorRegistry

from streams.web import metrics
from streams.web.metrics import Throughput, WorkerMetrics, region_label


class FakeClock:
    """A settable clock, so time-based numbers are exact."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def value(m: WorkerMetrics, name: str, **labels: str) -> float | None:
    return m.registry.get_sample_value(name, labels)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("IQ-NI", "IQ-NI"),
        (" iq-bg ", "IQ-BG"),
        ("IQ-KR", "IQ-KR"),
        ("IQ", "IQ"),
        ("IQ-ZZ", "IQ"),  # not a governorate: counted at country level
        ("SY-HL", "SY"),
        ("TR", "TR"),
        ("Mosul", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
        ("unknown", "unknown"),
    ],
)
def test_region_label(code: str | None, label: str) -> None:
    assert region_label(code) == label


def test_region_label_set_is_closed_and_small() -> None:
    assert len(metrics.IRAQ_REGION_CODES) == 19  # 18 governorates + the Kurdistan Region
    assert len(metrics.REGION_LABELS) == 19 + 249 + 1


def test_every_required_metric_is_defined() -> None:
    m = WorkerMetrics(CollectorRegistry())
    m.set_lag("articles", 0, 1)
    names = {family.name for family in m.registry.collect()}
    assert {
        "casualty_articles_received",
        "casualty_articles_processed",
        "casualty_incidents_extracted",
        "casualty_casualties",
        "casualty_dead_letters",
        "casualty_duplicates",
        "casualty_extraction_duration_seconds",
        "casualty_end_to_end_latency_seconds",
        "casualty_reconciliation_gap_casualties",
        "casualty_consumer_lag_messages",
        "casualty_consumer_lag_seconds",
        "casualty_table_recovery_state",
        "casualty_worker_ready",
        "casualty_tables_regions",
        "process_cpu_seconds",
        "process_resident_memory_bytes",
    } <= names


def test_helpers_move_the_right_series() -> None:
    m = WorkerMetrics(CollectorRegistry(), process_collectors=False)
    m.observe_received(3)
    m.observe_article("ok")
    m.observe_article("duplicate")
    m.observe_article("dead_letter")
    m.observe_dead_letter("too_large")
    m.observe_incident("IQ-NI", "security", 3, 5)
    m.observe_incident("IQ-NI", "civilian", 2, 0)
    m.observe_summary(gap_killed=0, gap_wounded=None)
    m.observe_summary(gap_killed=-6, gap_wounded=2)

    assert value(m, "casualty_articles_received_total") == 3
    assert value(m, "casualty_articles_processed_total", outcome="duplicate") == 1
    assert value(m, "casualty_duplicates_total", kind="article") == 1
    assert value(m, "casualty_duplicates_total", kind="incident") == 0
    assert value(m, "casualty_dead_letters_total", error_code="too_large") == 1
    assert value(m, "casualty_casualties_total", region="IQ-NI", kind="killed") == 5
    assert value(m, "casualty_casualties_total", region="IQ-NI", kind="wounded") == 5
    assert value(m, "casualty_incidents_extracted_total", region="IQ-NI", victim_category="civilian") == 1
    # Exact matches: le=0.5 minus le=-0.5; off by 5 or more: le=-4.5.
    bucket = "casualty_reconciliation_gap_casualties_bucket"
    assert value(m, bucket, kind="killed", le="0.5") == 2
    assert value(m, bucket, kind="killed", le="-0.5") == 1
    assert value(m, bucket, kind="killed", le="-4.5") == 1
    assert value(m, "casualty_reconciliation_gap_casualties_count", kind="wounded") == 1

    with pytest.raises(ValueError, match="outcome must be one of"):
        m.observe_article("skipped")


def test_lag_seconds_is_lag_over_the_last_minutes_consume_rate() -> None:
    clock = FakeClock()
    m = WorkerMetrics(CollectorRegistry(), clock=clock, process_collectors=False)
    m.set_lag("articles", 0, 30)
    m.set_lag("articles", 1, 90)
    # Lag but nothing consumed yet: the backlog will never drain at this rate.
    assert value(m, "casualty_consumer_lag_seconds", topic="articles") == math.inf
    for _ in range(6):
        m.observe_received(10)  # 60 messages within the minute = 1 message/s
        clock.now += 5
    assert value(m, "casualty_consumer_lag_seconds", topic="articles") == pytest.approx(120.0)
    assert value(m, "casualty_consumer_lag_messages", topic="articles", partition="1") == 90
    clock.now += 61  # the rate window has moved past every consumption
    assert value(m, "casualty_consumer_lag_seconds", topic="articles") == math.inf
    m.set_lag("articles", 0, 0)
    m.set_lag("articles", 1, 0)
    assert value(m, "casualty_consumer_lag_seconds", topic="articles") == 0.0


def test_throughput_series_fills_silent_seconds_and_is_bounded() -> None:
    clock = FakeClock(1000.0)
    t = Throughput(window_s=5, clock=clock)
    t.add_articles()
    t.add_incidents(2)
    t.set_lag(7)
    clock.now = 1002.5
    t.add_articles(3)
    assert t.series() == [
        {"t": 1000, "articles": 1, "incidents": 2, "lag": 7},
        {"t": 1001, "articles": 0, "incidents": 0, "lag": 7},
        {"t": 1002, "articles": 3, "incidents": 0, "lag": 7},
    ]
    clock.now = 1100.0
    for _ in range(20):  # busy seconds: the ring keeps only the window
        t.add_articles()
        clock.now += 1
    clock.now -= 1
    series = t.series()
    assert [p["t"] for p in series] == [1115, 1116, 1117, 1118, 1119]
    assert all(p["articles"] == 1 and p["lag"] == 7 for p in series)
    assert len(t._seconds) == 5


def test_stats_document_for_the_dashboard() -> None:
    clock = FakeClock(2000.0)
    m = WorkerMetrics(CollectorRegistry(), clock=clock, process_collectors=False)
    m.observe_received()
    m.observe_article("ok")
    m.observe_incident("IQ-DI", "unknown", 7, 14)
    m.set_lag("articles", 0, 4)
    m.set_ready(True)
    assert m.throughput_series() == {
        "articles": {"received": 1, "ok": 1, "duplicate": 0, "dead_letter": 0},
        "incidents": 1,
        "lag": 4,
        "ready": True,
        "window_seconds": 600,
        "series": [{"t": 2000, "articles": 1, "incidents": 1, "lag": 4}],
    }
    assert value(m, "casualty_worker_ready") == 1
    assert value(m, "casualty_table_recovery_state") == 1
    m.set_recovering()
    assert m.throughput_series()["ready"] is False
    assert value(m, "casualty_table_recovery_state") == 0


def test_module_helpers_render_the_dedicated_registry() -> None:
    body, content_type = metrics.render_latest()
    assert content_type.startswith("text/plain")
    assert b"# TYPE casualty_articles_received_total counter" in body
    assert metrics.REGISTRY is metrics.METRICS.registry
