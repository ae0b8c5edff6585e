"""Metric-name lint: every series the worker exposes follows the Prometheus naming rules.

The lint reads the text exposition (what Prometheus scrapes), after every ``observe_*`` helper
ran, so a metric added later is checked without touching this file. Rules:

* our names start with ``casualty_``; only the process/platform/GC collectors may use
  ``process_`` / ``python_``;
* counter samples end in ``_total`` and nothing else does;
* base units: no ``_ms``, ``milliseconds``, ``minutes``, ``percent`` and the like;
* labels come from an allow-list of bounded labels, and the labels with a closed value set
  (region, outcome, kind, victim_category, error_code) only carry values from that set.
"""

from __future__ import annotations

import re

import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from streams.web.metrics import (
    ERROR_CODES,
    OTHER_ERROR,
    OUTCOMES,
    REGION_LABELS,
    VICTIM_CATEGORIES,
    WorkerMetrics,
)

ALLOWED_LABELS: frozenset[str] = frozenset(
    {"outcome", "region", "victim_category", "kind", "error_code", "topic", "partition", "le", "quantile"}
)
"""Labels whose values are bounded by construction (closed sets, topic config, partition count)."""

COLLECTOR_LABELS: frozenset[str] = frozenset(
    {"implementation", "major", "minor", "patchlevel", "version", "generation"}
)
"""Extra labels of prometheus-client's own python_info / python_gc_* collectors."""

CLOSED_VALUES: dict[str, frozenset[str]] = {
    "region": REGION_LABELS,
    "outcome": frozenset(OUTCOMES),
    "kind": frozenset({"killed", "wounded", "article", "incident"}),
    "victim_category": VICTIM_CATEGORIES,
    "error_code": ERROR_CODES | {OTHER_ERROR},
}

COLLECTOR_PREFIXES = ("process_", "python_")
BAD_UNITS = re.compile(
    r"(^|_)(ms|msec|millis|milliseconds|microseconds|us|ns|minutes?|hours?|days?|percent|kb|mb)(_|$)"
)


TYPE_LINE = re.compile(r"^# TYPE (\S+) (\S+)$", re.MULTILINE)


def lint_exposition(text: str) -> list[str]:
    """Every rule violation in a Prometheus text exposition, as readable messages (empty = clean)."""
    problems: list[str] = []
    # The parser renames counter samples to *_total, so the suffix rule reads the raw TYPE lines.
    for name, kind in TYPE_LINE.findall(text):
        if kind == "counter" and not name.endswith("_total"):
            problems.append(f"{name}: counter does not end in _total")
    for family in text_string_to_metric_families(text):
        name = family.name
        is_collector = name.startswith(COLLECTOR_PREFIXES)
        if not (name.startswith("casualty_") or is_collector):
            problems.append(f"{name}: name lacks the casualty_ prefix")
        if BAD_UNITS.search(name):
            problems.append(f"{name}: not in base units (seconds, bytes, messages...)")
        if not family.documentation.strip():
            problems.append(f"{name}: no HELP text")
        allowed = ALLOWED_LABELS | (COLLECTOR_LABELS if name.startswith("python_") else frozenset())
        for sample in family.samples:
            if family.type != "counter" and sample.name.endswith("_total"):
                problems.append(f"{sample.name}: only counters may end in _total")
            for label, value in sample.labels.items():
                if label not in allowed:
                    problems.append(f"{sample.name}: label {label!r} is not in the bounded allow-list")
                elif label in CLOSED_VALUES and value not in CLOSED_VALUES[label]:
                    problems.append(f"{sample.name}: {label}={value!r} is outside the closed set")
                elif label == "partition" and not value.isdigit():
                    problems.append(f"{sample.name}: partition={value!r} is not a partition number")
    return sorted(set(problems))


def exercised_metrics() -> WorkerMetrics:
    """A fresh worker registry after every helper ran, including with hostile input."""
    m = WorkerMetrics(CollectorRegistry())
    m.observe_received()
    for outcome in OUTCOMES:
        m.observe_article(outcome)
    m.observe_duplicate_incident()
    m.observe_incident("IQ-NI", "security", 3, 5)
    m.observe_incident("iq-bg", "civilian", 2, 0)
    m.observe_incident("SY-HL", "militant", 1, 0)  # another country's subdivision
    m.observe_incident("Mosul, Nineveh", "kids", 1, 1)  # a place name and a bad category
    m.observe_incident(None, None, 0, 0)
    m.observe_suspect("IQ-NI")
    m.observe_suspect("Hawija hills")  # garbage folds onto unknown
    m.observe_dead_letter("invalid_json")
    m.observe_dead_letter("something the decoder invented")
    m.observe_extraction(0.004)
    m.observe_latency(1.2)
    m.observe_latency(-0.3)  # clock skew
    m.observe_summary(2, -1)
    m.observe_summary(None, None)
    m.observe_consumed("incidents", 4)
    m.set_lag("articles", 0, 12)
    m.set_lag("incidents", 3, 0)
    m.set_ready(True)
    m.set_regions(3)
    return m


def test_worker_exposition_passes_the_lint() -> None:
    body, content_type = exercised_metrics().render_latest()
    assert content_type.startswith("text/plain; version=")
    assert lint_exposition(body.decode("utf-8")) == []


def test_hostile_region_and_category_values_are_folded_into_closed_sets() -> None:
    text = exercised_metrics().render_latest()[0].decode("utf-8")
    regions = set(re.findall(r'region="([^"]*)"', text))
    assert regions == {"IQ-NI", "IQ-BG", "SY", "unknown"}
    assert 'casualty_incidents_extracted_total{region="unknown",victim_category="unknown"} 2.0' in text
    assert 'casualty_dead_letters_total{error_code="other"} 1.0' in text


@pytest.mark.parametrize(
    ("exposition", "expected"),
    [
        pytest.param(
            "# HELP foo_latency_ms Latency.\n# TYPE foo_latency_ms gauge\nfoo_latency_ms 3\n",
            [
                "foo_latency_ms: name lacks the casualty_ prefix",
                "foo_latency_ms: not in base units (seconds, bytes, messages...)",
            ],
            id="prefix-and-milliseconds",
        ),
        pytest.param(
            "# HELP casualty_requests Requests.\n# TYPE casualty_requests counter\ncasualty_requests 3\n",
            ["casualty_requests: counter does not end in _total"],
            id="counter-without-total",
        ),
        pytest.param(
            "# HELP casualty_open_total Open.\n# TYPE casualty_open_total gauge\ncasualty_open_total 3\n",
            ["casualty_open_total: only counters may end in _total"],
            id="gauge-with-total",
        ),
        pytest.param(
            '# HELP casualty_x_total X.\n# TYPE casualty_x_total counter\ncasualty_x_total{region="Mosul"} 1\n',
            ["casualty_x_total: region='Mosul' is outside the closed set"],
            id="place-name-as-region",
        ),
    ],
)
def test_lint_catches_bad_exposition(exposition: str, expected: list[str]) -> None:
    assert lint_exposition(exposition) == expected


def test_lint_catches_bad_metrics_in_a_throwaway_registry() -> None:
    registry = CollectorRegistry()
    Gauge("foo_latency_ms", "Latency in milliseconds.", registry=registry).set(12)
    Counter("casualty_deaths_total", "Deaths by place.", ["place"], registry=registry).labels(place="Mosul").inc()
    Counter("casualty_ok_total", "By region.", ["region"], registry=registry).labels(region="Nineveh").inc()
    assert lint_exposition(generate_latest(registry).decode("utf-8")) == [
        "casualty_deaths_created: label 'place' is not in the bounded allow-list",
        "casualty_deaths_total: label 'place' is not in the bounded allow-list",
        "casualty_ok_created: region='Nineveh' is outside the closed set",
        "casualty_ok_total: region='Nineveh' is outside the closed set",
        "foo_latency_ms: name lacks the casualty_ prefix",
        "foo_latency_ms: not in base units (seconds, bytes, messages...)",
    ]
