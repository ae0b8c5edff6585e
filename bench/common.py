"""Shared pieces of the end-to-end benchmarks: broker, worker process, producers, readers, tables.

Every benchmark runs against its own local broker (free ports, fresh state under /tmp) and its own
``casualty worker`` processes, so a run never touches a developer's broker or topics. Times are
read from Kafka record timestamps (CreateTime, set by the producing client), so the harness's own
polling never enters a measured duration.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from bench.generator import generate
from streams.config import Settings
from streams.local import broker as local_broker
from streams.local.broker import BrokerConfig, free_port

REPO = Path(__file__).resolve().parent.parent
CODE_SWITCHES = ("CASUALTY_EXTRACTORS_PURE", "CASUALTY_EVENTS_PURE")
"""Variables a benchmark passes on to its workers (which code runs, not how the worker is set)."""
RESULTS = REPO / "bench" / "results"


# --------------------------------------------------------------------------------------------
# The machine


def machine_info() -> dict[str, Any]:
    """Cores, memory and CPU model: printed next to every figure (results depend on them)."""
    mem_kib = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "load_avg_at_start": [round(x, 2) for x in load],
    }


def machine_line(info: dict[str, Any]) -> str:
    """``2 cores, 23.4 GiB, <cpu>, Python 3.11.9``."""
    return f"{info['cores']} cores, {info['memory_gib']} GiB, {info['cpu']}, Python {info['python']}"


# --------------------------------------------------------------------------------------------
# Broker and settings


@contextlib.contextmanager
def bench_broker(state_dir: Path | None = None, *, keep: bool = False) -> Iterator[str]:
    """Start a dedicated local broker on free ports with fresh state; yield its bootstrap address."""
    owned = state_dir is None
    state = state_dir or Path(tempfile.mkdtemp(prefix="casualty-bench-broker-"))
    config = BrokerConfig(state, port=free_port(), controller_port=free_port())
    bootstrap, _ = local_broker.start(config, fresh=True)
    try:
        yield bootstrap
    finally:
        local_broker.stop(state)
        if owned and not keep:
            shutil.rmtree(state, ignore_errors=True)


@contextlib.contextmanager
def broker_for(bootstrap: str | None, *, keep: bool = False) -> Iterator[str]:
    """Use the broker at ``bootstrap``, or start a dedicated one when it is None."""
    if bootstrap:
        yield bootstrap
        return
    with bench_broker(keep=keep) as started:
        yield started


def scenario_settings(bootstrap: str, tag: str, **changes: Any) -> Settings:
    """Settings with an app id and topic prefix of their own, so scenarios never share a topic."""
    unique = f"{tag}-{uuid.uuid4().hex[:6]}"
    return Settings.from_env({}, bootstrap=bootstrap, app_id=f"bench-{unique}", topic_prefix=f"{unique}.", **changes)


# --------------------------------------------------------------------------------------------
# Articles


def article_messages(n: int, seed: int = 1, days: int = 30, *, start_date: str = "2026-01-01",
                     in_date_order: bool = False) -> list[tuple[bytes, bytes]]:
    """``n`` generated articles dated over ``days`` days from ``start_date``, as (key, value)
    messages: key = article id, value = JSON; sorted by publication date with ``in_date_order`` (as
    a live feed delivers them), else in generation order (dates at random)."""
    articles = [a.article for a in generate(n, seed=seed, days=days, start_date=start_date)]
    if in_date_order:
        articles.sort(key=lambda a: str(a["published"]))
    return [(a["id"].encode(), orjson.dumps(a)) for a in articles]


def idempotent_producer(bootstrap: str, **options: Any) -> KafkaProducer:
    """kafka-python producer with idempotence (no duplicate on retry) and acks=all.

    kafka-python only allows one request in flight per connection with idempotence; large
    batches keep the pre-load fast anyway.
    """
    settings: dict[str, Any] = {"linger_ms": 20, "batch_size": 512 * 1024, "max_in_flight_requests_per_connection": 1}
    settings.update(options)
    return KafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", **settings)


def produce_all(bootstrap: str, topic: str, messages: Sequence[tuple[bytes, bytes]]) -> float:
    """Send every message as fast as possible and wait until the broker has them; return seconds."""
    producer = idempotent_producer(bootstrap)
    started = time.perf_counter()
    try:
        for key, value in messages:
            producer.send(topic, key=key, value=value)
        producer.flush(timeout=600)
    finally:
        producer.close()
    return time.perf_counter() - started


def produce_paced(bootstrap: str, topic: str, messages: Iterable[tuple[bytes, bytes]], rate: float,
                  seconds: float) -> int:
    """Send at a fixed ``rate`` (messages/s) for ``seconds``; return how many were sent.

    The producer does not linger, so a message's CreateTime is when it was handed to the client
    and reaches the broker right away: the latency measured from it is the pipeline's, not ours.
    """
    producer = idempotent_producer(bootstrap, linger_ms=0)
    total = int(rate * seconds)
    sent = 0
    started = time.monotonic()
    try:
        for key, value in messages:
            if sent >= total:
                break
            due = started + sent / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            producer.send(topic, key=key, value=value)
            sent += 1
        producer.flush(timeout=120)
    finally:
        producer.close()
    return sent


# --------------------------------------------------------------------------------------------
# Reading topics back


def _consumer(bootstrap: str, isolation: str = "read_committed") -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, isolation_level=isolation,
        auto_offset_reset="earliest", fetch_max_bytes=32 * 1024 * 1024,
        max_partition_fetch_bytes=8 * 1024 * 1024,
    )


def read_topic(bootstrap: str, topic: str, *, timeout: float = 120.0) -> Iterator[Any]:
    """Every committed record of ``topic`` from the start up to its end now (kafka-python records)."""
    consumer = _consumer(bootstrap)
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        pending = {tp for tp in parts if ends[tp] > 0}
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            batch = consumer.poll(timeout_ms=500, max_records=10_000)
            for records in batch.values():
                yield from records
            for tp in list(pending):
                if consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
    finally:
        consumer.close()


def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    """End offset (high watermark) of each partition of ``topic``."""
    consumer = _consumer(bootstrap, "read_uncommitted")
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        return {tp.partition: offset for tp, offset in consumer.end_offsets(parts).items()}
    finally:
        consumer.close()


def end_offsets_total(bootstrap: str, topic: str) -> int:
    """Sum of the end offsets of ``topic`` (its message count when no transaction markers exist)."""
    return sum(end_offsets(bootstrap, topic).values())


def scenario_topics(bootstrap: str, settings: Settings) -> dict[str, int]:
    """Every topic of a scenario (its prefixed topics and its app's changelogs) -> records in it
    (sum of end offsets: transaction markers included)."""
    consumer = _consumer(bootstrap, "read_uncommitted")
    try:
        names = sorted(t for t in consumer.topics()
                       if t.startswith(settings.topic_prefix) or t.startswith(f"{settings.app_id}-"))
        parts = [TopicPartition(t, p) for t in names for p in sorted(consumer.partitions_for_topic(t) or ())]
        out = dict.fromkeys(names, 0)
        for tp, offset in consumer.end_offsets(parts).items():
            out[tp.topic] += offset
        return out
    finally:
        consumer.close()


def record_counts(bootstrap: str, settings: Settings, articles: int, workers: int) -> dict[str, Any]:
    """Kafka records written and read per article by a finished run (from end offsets).

    Written: every record of the scenario's topics and changelogs but the pre-loaded articles.
    Read: what the consumer group consumed (articles and incidents, each once) plus what each
    worker's web view follows in full from the start (tallies, incidents, dead letters, and the
    events topic when the view reads it): the view of every worker reads those topics whole.
    """
    topics = scenario_topics(bootstrap, settings)
    short = {name.removeprefix(settings.topic_prefix).removeprefix(f"{settings.app_id}-"): n
             for name, n in topics.items()}
    written = sum(topics.values()) - short.get("articles", 0)
    group_read = short.get("articles", 0) + short.get("incidents", 0)
    view_topics = ("casualty-tallies", "incidents", "articles.DLT")
    view_read = sum(short.get(t, 0) for t in view_topics)
    return {
        "records_by_topic": short,
        "records_written_per_article": round(written / articles, 2),
        "records_read_per_article": round((group_read + workers * view_read) / articles, 2),
        "records_read_by_views_per_article": round(workers * view_read / articles, 2),
    }


def committed_offsets(bootstrap: str, group: str, topic: str) -> dict[int, int]:
    """Offsets the consumer ``group`` committed on ``topic`` (partitions without a commit: absent)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        committed = admin.list_consumer_group_offsets(group)
    finally:
        admin.close()
    return {tp.partition: meta.offset for tp, meta in committed.items() if tp.topic == topic and meta.offset >= 0}


def create_topic(bootstrap: str, name: str, partitions: int) -> None:
    """Create a plain topic (a benchmark's own output)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        with contextlib.suppress(TopicAlreadyExistsError):
            admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        admin.close()


def data_end_offsets(bootstrap: str, topic: str, tail: int = 50) -> dict[int, int]:
    """Per partition, the offset just past the last committed *record* (transaction markers excluded).

    This is what a consumer that read everything has committed; the high watermark is larger by
    the trailing commit markers of transactional producers (one per producer that wrote last).
    """
    consumer = _consumer(bootstrap)
    out: dict[int, int] = {}
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(parts)
        ends = consumer.end_offsets(parts)  # read_committed: the last stable offset
        starts = consumer.beginning_offsets(parts)
        for tp in parts:
            out[tp.partition] = starts[tp]
            consumer.seek(tp, max(starts[tp], ends[tp] - tail))
        pending = {tp for tp in parts if ends[tp] > starts[tp]}
        deadline = time.monotonic() + 30
        while pending and time.monotonic() < deadline:
            for tp, records in consumer.poll(timeout_ms=200).items():
                for record in records:
                    out[tp.partition] = max(out[tp.partition], record.offset + 1)
            for tp in list(pending):
                if consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
    finally:
        consumer.close()
    return out


def last_timestamp_ms(bootstrap: str, topic: str, tail: int = 20) -> int | None:
    """The newest record timestamp of ``topic``, reading only the last few records of each partition."""
    consumer = _consumer(bootstrap)
    newest: int | None = None
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(parts)
        ends = consumer.end_offsets(parts)
        starts = consumer.beginning_offsets(parts)
        for tp in parts:
            consumer.seek(tp, max(starts[tp], ends[tp] - tail))
        pending = {tp for tp in parts if ends[tp] > starts[tp]}
        deadline = time.monotonic() + 30
        while pending and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    newest = record.timestamp if newest is None else max(newest, record.timestamp)
            for tp in list(pending):
                if consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
    finally:
        consumer.close()
    return newest


# --------------------------------------------------------------------------------------------
# Worker processes


def rss_mib(pid: int) -> float | None:
    """Resident set size of ``pid`` in MiB (VmRSS), or None when it is gone."""
    return _status_kib(pid, "VmRSS:")


def peak_rss_mib(pid: int) -> float | None:
    """Peak resident set size of ``pid`` in MiB (VmHWM)."""
    return _status_kib(pid, "VmHWM:")


def _status_kib(pid: int, field_name: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        return None
    return None


def cpu_times(pid: int) -> tuple[float, float] | None:
    """(user, system) CPU seconds of ``pid`` (from /proc/<pid>/stat), or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / ticks, int(fields[12]) / ticks


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of ``pid``."""
    times = cpu_times(pid)
    return None if times is None else sum(times)


@dataclass
class BenchWorker:
    """One real ``casualty worker`` process for a scenario (its own web port and data folder)."""

    settings: Settings
    workdir: Path
    web_port: int = field(default_factory=free_port)
    loglevel: str = "warn"
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    # Variables that are not settings (e.g. Faust's BROKER_SESSION_TIMEOUT).
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None, "worker not started"
        return self.proc.pid

    @property
    def log_path(self) -> Path:
        return self.workdir / f"worker-{self.web_port}.log"

    def env(self) -> dict[str, str]:
        s = self.settings
        # (the switches between compiled and pure-Python code are not settings: they pass through)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("CASUALTY_", "KAFKA_")) or k in CODE_SWITCHES}
        env.update(
            KAFKA_BOOTSTRAP=s.bootstrap, CASUALTY_APP_ID=s.app_id, CASUALTY_TOPIC_PREFIX=s.topic_prefix,
            CASUALTY_PARTITIONS=str(s.partitions), CASUALTY_STORE=s.store,
            CASUALTY_PROCESSING_GUARANTEE=s.processing_guarantee,
            CASUALTY_DATA_DIR=str(self.workdir / f"data-{self.web_port}"), CASUALTY_WEB_PORT=str(self.web_port),
            CASUALTY_SEEN_RETENTION_DAYS=str(s.seen_retention_days), CASUALTY_TALLY_BATCH=str(s.tally_batch),
            CASUALTY_TALLY_WAIT_MS=str(s.tally_wait_ms), CASUALTY_PRODUCER_LINGER_MS=str(s.producer_linger_ms),
            CASUALTY_REPLICATION_FACTOR=str(s.replication_factor or ""),
        )
        env.update(self.extra_env)
        return env

    def start(self) -> BenchWorker:
        """Start the process (do not wait)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streams.cli.main", "worker", "-l", self.loglevel],
                cwd=REPO, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.started_at = time.monotonic()
        return self

    def wait_ready(self, timeout: float = 180.0, poll: float = 0.1) -> float:
        """Block until /readyz answers 200; return seconds since :meth:`start`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as resp:
                    if resp.status == 200:
                        return time.monotonic() - self.started_at
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(poll)
        raise RuntimeError(f"worker not ready after {timeout:.0f}s:\n{self.log_tail()}")

    def check_alive(self) -> None:
        """Raise with the log tail when the process has exited."""
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"worker exited with {self.proc.returncode}:\n{self.log_tail()}")

    def metrics(self) -> dict[str, float]:
        """The worker's casualty_* counters, summed over labels except ``outcome``/``kind``."""
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=10) as resp:
            text = resp.read().decode()
        return parse_metrics(text)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM the process group, SIGKILL if it hangs."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def parse_metrics(text: str) -> dict[str, float]:
    """Flatten Prometheus text: ``name{outcome="ok"}`` and ``name{kind="x"}`` kept, other labels summed."""
    out: dict[str, float] = {}
    for line in text.splitlines():
        if not line.startswith("casualty_") or line.startswith("#"):
            continue
        name_labels, _, value = line.rpartition(" ")
        name, _, labels = name_labels.partition("{")
        kept = [part for part in labels.rstrip("}").split(",") if part.startswith(("outcome=", "kind="))]
        key = name + (("{" + ",".join(kept) + "}") if kept else "")
        try:
            out[key] = out.get(key, 0.0) + float(value)
        except ValueError:
            continue
    return out


def articles_done(metrics: dict[str, float]) -> int:
    """Articles the worker has finished with (ok, duplicate or dead letter)."""
    return int(sum(metrics.get(f'casualty_articles_processed_total{{outcome="{o}"}}', 0.0)
                   for o in ("ok", "duplicate", "dead_letter")))


def incidents_tallied(metrics: dict[str, float]) -> int:
    """Incidents the tables agent has consumed (counted, or skipped as already counted)."""
    return int(metrics.get("casualty_incidents_extracted_total", 0.0)
               + metrics.get('casualty_duplicates_total{kind="incident"}', 0.0))


def wait_until(predicate: Callable[[], bool], timeout: float, poll: float = 1.0,
               on_poll: Callable[[], None] | None = None) -> bool:
    """Poll ``predicate`` until true or ``timeout``; ``on_poll`` runs each round (liveness checks)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if on_poll is not None:
            on_poll()
        if predicate():
            return True
        time.sleep(poll)
    return False


# --------------------------------------------------------------------------------------------
# Statistics and output


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile ``q`` (0-100) of already sorted values."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), int(-(-q * len(sorted_values) // 100))))
    return float(sorted_values[rank - 1])


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> str:
    """A Markdown table (also readable in a terminal) of ``rows`` by (key, header) ``columns``."""
    def cell(value: Any) -> str:
        if value is None:
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.0f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    lines = ["| " + " | ".join(h for _, h in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row.get(k)) for k, _ in columns) + " |" for row in rows]
    return "\n".join(lines)


def write_json(path: str | Path, document: dict[str, Any]) -> None:
    """Write one JSON object (pretty, stable key order) and create the folder if needed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n", encoding="utf-8")
