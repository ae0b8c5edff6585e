"""Prometheus metrics of the stream worker, defined once, plus the in-process throughput series.

Every metric lives on one dedicated :class:`~prometheus_client.CollectorRegistry` (never the
global default one, so importing a library that registers its own metrics cannot change what
``/metrics`` exposes) together with the process, platform and GC collectors.

Naming follows the Prometheus rules and is enforced by ``tests/test_metrics_lint.py``:
one prefix (``casualty_``), base units (seconds, messages, casualties), counters end in
``_total``, and labels are bounded. Region label values go through :func:`region_label`, which
maps any code onto a closed set (see :data:`REGION_LABELS`), so a misspelled or invented place
can never create a new time series.

The worker calls the small ``observe_*`` / ``set_*`` helpers; they are bound methods of the
module-level :data:`METRICS` instance. Tests that need isolated numbers build their own
:class:`WorkerMetrics` on a fresh registry.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, get_args

import pycountry
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from schemas.records import ErrorCode, VictimCategory
from schemas.topics import ARTICLES

PREFIX = "casualty_"
"""The one prefix of all our metric names."""

UNKNOWN = "unknown"
"""Label value for a region, category or code we cannot (or must not) name."""

IRAQ_REGION_CODES: frozenset[str] = frozenset(
    sub.code for sub in pycountry.subdivisions.get(country_code="IQ")
)
"""ISO 3166-2 codes of Iraq's 18 governorates and the Kurdistan Region (IQ-KR), from pycountry."""

COUNTRY_CODES: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)
"""ISO 3166-1 alpha-2 codes: places outside Iraq are counted at country level."""

REGION_LABELS: frozenset[str] = IRAQ_REGION_CODES | COUNTRY_CODES | {UNKNOWN}
"""The closed set of ``region`` label values (about 270): Iraqi first-level codes, country codes
and ``unknown``. Sub-national codes of other countries are folded onto their country, because
the per-region tables are the place for that detail and every subdivision of the world would
be thousands of series."""

Outcome = Literal["ok", "duplicate", "dead_letter"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
DuplicateKind = Literal["article", "incident"]
DUPLICATE_KINDS: tuple[str, ...] = get_args(DuplicateKind)
VICTIM_CATEGORIES: frozenset[str] = frozenset(get_args(VictimCategory))
ERROR_CODES: frozenset[str] = frozenset(get_args(ErrorCode))
OTHER_ERROR = "other"
"""``error_code`` label value for a code outside :data:`schemas.records.ErrorCode`."""

# Buckets in base units. Extraction is pure Python on one article: sub-millisecond for a
# wire brief, up to seconds for a pathological body.
EXTRACTION_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# End-to-end includes broker hops and queueing behind a backlog, hence the long tail.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)
# Gap = stated minus extracted, an integer. Negative: we extracted more than the article states
# (double counting); positive: we missed victims. Bounds sit halfway between integers so each
# bucket is an exact integer range and the buckets are symmetric around 0:
# le="0.5" minus le="-0.5" counts exact matches, le="-4.5" plus (+Inf minus le="4.5") counts
# articles off by 5 or more. (prometheus-client omits _sum for histograms with negative buckets.)
GAP_BUCKETS = (-49.5, -19.5, -9.5, -4.5, -1.5, -0.5, 0.5, 1.5, 4.5, 9.5, 19.5, 49.5)

LAG_RATE_WINDOW_S = 60.0
"""Consume rate behind ``casualty_consumer_lag_seconds`` is averaged over this many seconds."""
SERIES_WINDOW_S = 600
"""The dashboard's throughput series covers the last ten minutes, one point per second."""


def region_label(code: str | None) -> str:
    """Map a region code onto the closed label set :data:`REGION_LABELS`.

    ``IQ-NI`` stays ``IQ-NI``; another country's subdivision (``SY-HL``) becomes its country
    (``SY``); a bare country code stays as it is; anything else (``None``, empty, garbage, an
    Iraqi code that does not exist) becomes its country when that is valid, else ``unknown``.
    Case and surrounding blanks are ignored.
    """
    if not code:
        return UNKNOWN
    normalised = code.strip().upper()
    if normalised in IRAQ_REGION_CODES:
        return normalised
    country = normalised.split("-", 1)[0]
    if country in COUNTRY_CODES:
        return country
    return UNKNOWN


def victim_category_label(category: str | None) -> str:
    """Return ``category`` if it is one of the record contract's victim categories, else ``unknown``."""
    return category if category in VICTIM_CATEGORIES else UNKNOWN


def error_code_label(code: str | None) -> str:
    """Return ``code`` if it is one of the dead-letter error codes, else ``other``."""
    return code if code in ERROR_CODES else OTHER_ERROR


@dataclass(slots=True)
class _Second:
    """Counts of one wall-clock second of the throughput series."""

    t: int
    articles: int = 0
    incidents: int = 0
    lag: int = 0


class Throughput:
    """Per-second counts of processed articles and published incidents, and the total consumer lag.

    A ring of at most ``window_s`` seconds, so memory is bounded whatever the rate. Thread-safe:
    extraction may run in a worker thread while the event loop reads the series.
    """

    def __init__(self, window_s: int = SERIES_WINDOW_S, clock: Callable[[], float] = time.time) -> None:
        self.window_s = window_s
        self._clock = clock
        self._seconds: deque[_Second] = deque(maxlen=window_s)
        self._lag = 0
        self._lock = threading.Lock()

    def _current(self) -> _Second:
        # Caller holds the lock.
        now = int(self._clock())
        if not self._seconds or self._seconds[-1].t != now:
            self._seconds.append(_Second(now, lag=self._lag))
        return self._seconds[-1]

    def add_articles(self, n: int = 1) -> None:
        """Count ``n`` articles processed (any outcome) in the current second."""
        with self._lock:
            self._current().articles += n

    def add_incidents(self, n: int = 1) -> None:
        """Count ``n`` incidents published in the current second."""
        with self._lock:
            self._current().incidents += n

    def set_lag(self, total_lag: int) -> None:
        """Record the current total consumer lag (messages, all topics and partitions)."""
        with self._lock:
            self._lag = total_lag
            self._current().lag = total_lag

    def series(self) -> list[dict[str, int]]:
        """One point per second of the window up to now, oldest first; silent seconds are zeros.

        Lag is carried forward from the last second that recorded it. Starts at the first recorded
        second (or ``window_s`` ago), so a fresh worker returns a short series.
        """
        with self._lock:
            now = int(self._clock())
            seconds = list(self._seconds)
        if not seconds:
            return []
        start = max(seconds[0].t, now - self.window_s + 1)
        by_t = {s.t: s for s in seconds}
        # Lag is a level, not a count: a silent second keeps the last level recorded before it.
        lag = seconds[0].lag
        for second in seconds:
            if second.t < start:
                lag = second.lag
        points: list[dict[str, int]] = []
        for t in range(start, now + 1):
            second = by_t.get(t)
            if second is None:
                points.append({"t": t, "articles": 0, "incidents": 0, "lag": lag})
            else:
                lag = second.lag
                points.append(
                    {"t": t, "articles": second.articles, "incidents": second.incidents, "lag": lag}
                )
        return points


class _RateWindow:
    """Timestamps of recent consumption per topic, to estimate a consume rate (messages/s)."""

    def __init__(self, window_s: float, clock: Callable[[], float]) -> None:
        self._window_s = window_s
        self._clock = clock
        # topic -> deque of (second, count): one entry per busy second, so bounded by window_s.
        self._events: dict[str, deque[list[float]]] = {}
        self._lock = threading.Lock()

    def add(self, topic: str, n: int = 1) -> None:
        with self._lock:
            events = self._events.setdefault(topic, deque(maxlen=int(self._window_s) + 1))
            second = float(int(self._clock()))
            if events and events[-1][0] == second:
                events[-1][1] += n
            else:
                events.append([second, float(n)])

    def rate(self, topic: str) -> float:
        """Messages per second over the window (0.0 when nothing was consumed in it)."""
        with self._lock:
            now = self._clock()
            events = self._events.get(topic)
            if not events:
                return 0.0
            recent = sum(count for second, count in events if second > now - self._window_s)
        return recent / self._window_s


class _LagSecondsCollector(Collector):
    """Computes ``casualty_consumer_lag_seconds`` at scrape time, so the estimate never goes stale."""

    def __init__(self, lags: Callable[[], dict[str, int]], rates: _RateWindow) -> None:
        self._lags = lags
        self._rates = rates

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "casualty_consumer_lag_seconds",
            "Estimated time to consume the current lag of a topic: lag / consume rate over the "
            "last minute (+Inf when there is lag but nothing was consumed).",
            labels=["topic"],
        )
        for topic, lag in sorted(self._lags().items()):
            rate = self._rates.rate(topic)
            if lag <= 0:
                seconds = 0.0
            elif rate > 0:
                seconds = lag / rate
            else:
                seconds = float("inf")
            family.add_metric([topic], seconds)
        yield family


class WorkerMetrics:
    """All metrics of one worker on one registry, with the helpers the agents call."""

    def __init__(
        self,
        registry: CollectorRegistry | None = None,
        *,
        clock: Callable[[], float] = time.time,
        process_collectors: bool = True,
    ) -> None:
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        self.throughput = Throughput(clock=clock)
        self._rates = _RateWindow(LAG_RATE_WINDOW_S, clock)
        self._lags: dict[tuple[str, int], int] = {}
        # Guards lags, totals and readiness: extraction may report from a worker thread.
        self._lock = threading.Lock()
        self._totals: dict[str, int] = {"received": 0, "incidents": 0, **{o: 0 for o in OUTCOMES}}
        self._ready = False
        reg = self.registry

        self.articles_received = Counter(
            "casualty_articles_received_total",
            "Messages consumed from the articles topic, before decoding.",
            registry=reg,
        )
        self.articles_processed = Counter(
            "casualty_articles_processed_total",
            "Articles fully handled, by outcome: ok, duplicate (skipped) or dead_letter.",
            ["outcome"],
            registry=reg,
        )
        self.incidents_extracted = Counter(
            "casualty_incidents_extracted_total",
            "Incidents extracted and published, by region code and victim category.",
            ["region", "victim_category"],
            registry=reg,
        )
        self.casualties = Counter(
            "casualty_casualties_total",
            "Casualties in published incidents, by region code and kind (killed, wounded).",
            ["region", "kind"],
            registry=reg,
        )
        self.suspect_incidents = Counter(
            "casualty_suspect_incidents_total",
            "Incidents the article's self-check held back as suspect (left out of the tables unless the worker "
            "counts them), by region code.",
            ["region"],
            registry=reg,
        )
        self.dead_letters = Counter(
            "casualty_dead_letters_total",
            "Messages sent to the dead-letter topic, by error code.",
            ["error_code"],
            registry=reg,
        )
        self.duplicates = Counter(
            "casualty_duplicates_total",
            "Duplicates skipped: re-fed or redelivered articles, incidents already counted in the tables.",
            ["kind"],
            registry=reg,
        )
        self.extraction_duration = Histogram(
            "casualty_extraction_duration_seconds",
            "Time the extractor spent on one article.",
            buckets=EXTRACTION_BUCKETS,
            registry=reg,
        )
        self.end_to_end_latency = Histogram(
            "casualty_end_to_end_latency_seconds",
            "From the article's received_at to its incident being published.",
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.reconciliation_gap = Histogram(
            "casualty_reconciliation_gap_casualties",
            "Per article, stated total minus extracted total, by kind (killed, wounded); "
            "only articles that state a total.",
            ["kind"],
            buckets=GAP_BUCKETS,
            registry=reg,
        )
        self.consumer_lag = Gauge(
            "casualty_consumer_lag_messages",
            "Messages behind the end of a source topic partition (highwater minus position).",
            ["topic", "partition"],
            registry=reg,
        )
        self.table_recovery_state = Gauge(
            "casualty_table_recovery_state",
            "0 while the tables are being recovered from their changelogs, 1 once recovered.",
            registry=reg,
        )
        self.worker_ready = Gauge(
            "casualty_worker_ready",
            "1 when the worker serves traffic (tables recovered, partitions assigned), else 0.",
            registry=reg,
        )
        self.tables_regions = Gauge(
            "casualty_tables_regions",
            "Regions present in the running per-region table.",
            registry=reg,
        )
        reg.register(_LagSecondsCollector(self._lag_by_topic, self._rates))
        if process_collectors:
            ProcessCollector(registry=reg)
            PlatformCollector(registry=reg)
            GCCollector(registry=reg)

        # Pre-create the closed label sets we know, so rates exist (as 0) before the first event
        # and alerts on "no articles" can fire from a fresh worker.
        for outcome in OUTCOMES:
            self.articles_processed.labels(outcome=outcome)
        for kind in DUPLICATE_KINDS:
            self.duplicates.labels(kind=kind)
        for kind in ("killed", "wounded"):
            self.reconciliation_gap.labels(kind=kind)

    # -- articles ---------------------------------------------------------------------------

    def observe_received(self, n: int = 1, *, topic: str = ARTICLES.name) -> None:
        """Count ``n`` messages consumed from the articles topic (call before decoding)."""
        self.articles_received.inc(n)
        self._rates.add(topic, n)
        with self._lock:
            self._totals["received"] += n

    def observe_article(self, outcome: str) -> None:
        """Count one article as handled with ``outcome`` (``ok``, ``duplicate`` or ``dead_letter``).

        A duplicate also moves ``casualty_duplicates_total{kind="article"}``.
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, not {outcome!r}")
        self.articles_processed.labels(outcome=outcome).inc()
        if outcome == "duplicate":
            self.duplicates.labels(kind="article").inc()
        self.throughput.add_articles()
        with self._lock:
            self._totals[outcome] += 1

    def observe_duplicate_incident(self) -> None:
        """Count one incident the tables agent skipped because it was already counted."""
        self.duplicates.labels(kind="incident").inc()

    def observe_redelivery(self) -> None:
        """Count one message skipped because it came again in the same consumer generation."""
        self.duplicates.labels(kind="redelivery").inc()

    def observe_dead_letter(self, code: str) -> None:
        """Count one message sent to the dead-letter topic with error ``code``.

        Only the dead-letter counter moves: call ``observe_article("dead_letter")`` for the outcome.
        """
        self.dead_letters.labels(error_code=error_code_label(code)).inc()

    # -- incidents --------------------------------------------------------------------------

    def observe_incident(
        self, region_code: str | None, victim_category: str | None, killed: int, wounded: int
    ) -> None:
        """Count one published incident and its casualties under the region's label."""
        region = region_label(region_code)
        category = victim_category_label(victim_category)
        self.incidents_extracted.labels(region=region, victim_category=category).inc()
        # Counters cannot go down; negative numbers would be a contract violation upstream.
        self.casualties.labels(region=region, kind="killed").inc(max(killed, 0))
        self.casualties.labels(region=region, kind="wounded").inc(max(wounded, 0))
        self.throughput.add_incidents()
        with self._lock:
            self._totals["incidents"] += 1

    def observe_suspect(self, region_code: str | None) -> None:
        """Count one suspect incident (first time the tally agent sees it) under the region's label."""
        self.suspect_incidents.labels(region=region_label(region_code)).inc()

    def observe_consumed(self, topic: str, n: int = 1) -> None:
        """Count ``n`` messages consumed from ``topic`` for the lag-in-seconds estimate.

        Articles are counted by :meth:`observe_received`; the tables agent calls this for ``incidents``.
        """
        self._rates.add(topic, n)

    def observe_extraction(self, seconds: float) -> None:
        """Record how long the extractor took on one article."""
        self.extraction_duration.observe(seconds)

    def observe_latency(self, seconds: float) -> None:
        """Record the time from an article's ``received_at`` to its incident being published."""
        # Clock skew between feeder and worker can make this slightly negative; clamp to 0.
        self.end_to_end_latency.observe(max(seconds, 0.0))

    def observe_summary(self, gap_killed: int | None, gap_wounded: int | None) -> None:
        """Record an ArticleSummary's gaps (stated minus extracted); ``None`` means nothing stated."""
        if gap_killed is not None:
            self.reconciliation_gap.labels(kind="killed").observe(gap_killed)
        if gap_wounded is not None:
            self.reconciliation_gap.labels(kind="wounded").observe(gap_wounded)

    # -- state ------------------------------------------------------------------------------

    def set_lag(self, topic: str, partition: int, lag: int) -> None:
        """Set the consumer lag (messages) of one topic partition."""
        lag = max(int(lag), 0)
        self.consumer_lag.labels(topic=topic, partition=str(partition)).set(lag)
        with self._lock:
            self._lags[(topic, int(partition))] = lag
            total = sum(self._lags.values())
        self.throughput.set_lag(total)

    def _lag_by_topic(self) -> dict[str, int]:
        with self._lock:
            by_topic: dict[str, int] = {}
            for (topic, _), lag in self._lags.items():
                by_topic[topic] = by_topic.get(topic, 0) + lag
        return by_topic

    def set_ready(self, ready: bool) -> None:
        """Mark the worker ready (tables recovered) or not; sets both state gauges."""
        self._ready = bool(ready)
        self.worker_ready.set(1 if ready else 0)
        self.table_recovery_state.set(1 if ready else 0)

    def set_recovering(self) -> None:
        """Mark table recovery as started: the worker is not ready until :meth:`set_ready`."""
        self.set_ready(False)

    def set_regions(self, count: int) -> None:
        """Set how many regions the running per-region table holds."""
        self.tables_regions.set(count)

    # -- views ------------------------------------------------------------------------------

    def render_latest(self) -> tuple[bytes, str]:
        """The exposition of the registry and its content type, for the ``/metrics`` view."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def throughput_series(self) -> dict[str, Any]:
        """The ``/stats`` document of the dashboard.

        ``{"articles": {"received", "ok", "duplicate", "dead_letter"}, "incidents": int,
        "lag": int, "ready": bool, "window_seconds": int,
        "series": [{"t": epoch_s, "articles": n, "incidents": n, "lag": n}, ...]}``
        """
        with self._lock:
            totals = dict(self._totals)
            lag = sum(self._lags.values())
        return {
            "articles": {key: totals[key] for key in ("received", *OUTCOMES)},
            "incidents": totals["incidents"],
            "lag": lag,
            "ready": self._ready,
            "window_seconds": self.throughput.window_s,
            "series": self.throughput.series(),
        }


METRICS = WorkerMetrics()
"""The worker's metrics, on :data:`REGISTRY`."""
REGISTRY: CollectorRegistry = METRICS.registry
"""The dedicated registry that ``/metrics`` renders."""

observe_received = METRICS.observe_received
observe_article = METRICS.observe_article
observe_duplicate_incident = METRICS.observe_duplicate_incident
observe_redelivery = METRICS.observe_redelivery
observe_dead_letter = METRICS.observe_dead_letter
observe_incident = METRICS.observe_incident
observe_suspect = METRICS.observe_suspect
observe_consumed = METRICS.observe_consumed
observe_extraction = METRICS.observe_extraction
observe_latency = METRICS.observe_latency
observe_summary = METRICS.observe_summary
set_lag = METRICS.set_lag
set_ready = METRICS.set_ready
set_recovering = METRICS.set_recovering
set_regions = METRICS.set_regions
render_latest = METRICS.render_latest
throughput_series = METRICS.throughput_series
