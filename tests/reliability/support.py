"""Tools of the reliability suite: a generated stream with its batch extraction, a background
feeder, readers of the output topics, and the comparison of what the stream built with a batch
resolution of the same incidents.

The expected tables are *not* the generator's truth. The incidents must be exactly those the
extractor finds when it reads every article once, in batch; the tables, the tallies topic and the
events topic must equal a **batch resolution** of those incidents
(:mod:`tests.support.event_reference`: the pure resolver, then the final version of each event
folded into rows). Which events form depends on the order a region's incidents arrive in, and the
stream fixes that order on the ``incidents`` topic (one partition per region), so the batch run
reads the topic back per partition in offset order, each incident id once. A crash test therefore
fails only when the *stream* loses, repeats or misorders something, never because the extractor
misreads a sentence.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from bench.generator import generate
from extractors import extract
from schemas.codec import dumps
from schemas.validation import parse_article
from tests.support.event_reference import batch_events, batch_tallies
from tests.support.worker import WorkerProcess

Row = dict[str, Any]


@dataclass(frozen=True)
class Stream:
    """``n`` generated articles as (key, value) messages and the incidents a batch run extracts."""

    messages: list[tuple[bytes, bytes]]
    incident_ids: frozenset[str]

    @property
    def articles(self) -> int:
        return len(self.messages)

    @property
    def incidents(self) -> int:
        return len(self.incident_ids)


def batch_stream(n: int, seed: int) -> Stream:
    """Generate ``n`` articles and extract them in batch."""
    messages: list[tuple[bytes, bytes]] = []
    ids: set[str] = set()
    for synthetic in generate(n, seed=seed):
        raw = orjson.dumps(synthetic.article)
        messages.append((synthetic.article["id"].encode(), raw))
        for incident in extract(parse_article(raw)).incidents:
            ids.add(orjson.loads(dumps(incident))["incident_id"])
    return Stream(messages, frozenset(ids))


@dataclass(frozen=True)
class BatchResult:
    """What a batch resolution of the incidents on the topic gives."""

    tallies: dict[str, Row]  # "<region>|all" and "<region>|<day>" -> tally row
    events: dict[str, Row]  # event id -> final version (as published)

    @property
    def regions(self) -> dict[str, Row]:
        return {row["region_code"]: row for key, row in self.tallies.items() if key.endswith("|all")}


def by_partition(bootstrap: str, topic: str) -> list[list[bytes]]:
    """The committed values of ``topic``, per partition in offset order."""
    parts: dict[int, list[tuple[int, bytes]]] = {}
    for message in read_topic(bootstrap, topic):
        parts.setdefault(message.partition, []).append((message.offset, message.value))
    return [[value for _, value in sorted(records)] for _, records in sorted(parts.items())]


def batch_result(bootstrap: str, incidents_topic: str, *, count_suspect: bool = False) -> BatchResult:
    """Resolve the incidents on the topic in batch (per partition, in offset order, each id once)."""
    partitions = by_partition(bootstrap, incidents_topic)
    events, _, _ = batch_events(partitions, count_suspect=count_suspect)
    return BatchResult(batch_tallies(partitions, count_suspect=count_suspect),
                       {e.event_id: orjson.loads(dumps(e)) for e in events})


# --- feeding ---------------------------------------------------------------------------------


@dataclass
class Feeder:
    """Sends messages to a topic from a background thread at a steady rate, like a live wire.

    A send that fails (e.g. while the broker restarts) is sent again, so every message reaches
    the topic at least once; duplicates on ``articles`` are the worker's job to absorb.
    """

    bootstrap: str
    topic: str
    messages: list[tuple[bytes, bytes]]
    rate: float = 150.0  # messages per second
    sent: int = 0
    resent: int = 0
    error: BaseException | None = None
    seconds: float = 0.0
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> Feeder:
        """Start sending in the background."""
        self._thread = threading.Thread(target=self._run, name="feeder", daemon=True)
        self._thread.start()
        return self

    def wait_sent(self, count: int, timeout: float = 120.0) -> None:
        """Block until at least ``count`` messages were handed to the producer."""
        deadline = time.monotonic() + timeout
        while self.sent < count:
            if self.error is not None:
                raise AssertionError(f"the feeder failed: {self.error!r}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the feeder sent only {self.sent} of {count} messages in {timeout}s")
            time.sleep(0.05)

    def join(self, timeout: float = 240.0) -> None:
        """Wait until every message is acknowledged by the broker."""
        assert self._thread is not None
        self._thread.join(timeout)
        assert not self._thread.is_alive(), f"the feeder did not finish in {timeout}s (sent {self.sent})"
        if self.error is not None:
            raise AssertionError(f"the feeder failed: {self.error!r}")

    def _producer(self) -> KafkaProducer:
        return KafkaProducer(
            bootstrap_servers=self.bootstrap, acks="all", linger_ms=5, retries=2_147_483_647,
            retry_backoff_ms=200, reconnect_backoff_max_ms=2000, delivery_timeout_ms=180_000,
            request_timeout_ms=20_000, max_block_ms=180_000,
        )

    def _run(self) -> None:
        started = time.monotonic()
        try:
            producer = self._producer()
            pending: list[tuple[int, Any]] = []
            for index, (key, value) in enumerate(self.messages):
                due = started + index / self.rate
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                pending.append((index, producer.send(self.topic, key=key, value=value)))
                self.sent = index + 1
            producer.flush(timeout=180)
            for _ in range(5):
                failed = [index for index, future in pending if future.failed() or not future.is_done]
                if not failed:
                    break
                self.resent += len(failed)
                pending = [(i, producer.send(self.topic, key=self.messages[i][0], value=self.messages[i][1]))
                           for i in failed]
                producer.flush(timeout=180)
            else:
                raise AssertionError(f"{len(failed)} messages could not be delivered")
            producer.close(timeout=10)
        except BaseException as exc:  # reported by wait_sent()/join() in the test thread
            self.error = exc
        finally:
            self.seconds = time.monotonic() - started


# --- reading the outputs ---------------------------------------------------------------------


def read_topic(bootstrap: str, topic: str, *, isolation: str = "read_committed",
               timeout: float = 60.0) -> list[Any]:
    """Every message of ``topic`` up to its current end (the last stable offset when read_committed)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                             isolation_level=isolation, auto_offset_reset="earliest")
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        assert parts, f"topic {topic} not found"
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        out: list[Any] = []
        deadline = time.monotonic() + timeout
        while any(consumer.position(tp) < ends[tp] for tp in parts):
            assert time.monotonic() < deadline, f"could not read {topic} to its end in {timeout}s"
            for messages in consumer.poll(timeout_ms=500, max_records=5000).values():
                out.extend(messages)
        return out
    finally:
        consumer.close()


def latest_tallies(bootstrap: str, topic: str) -> dict[str, Row]:
    """The latest committed row per key of a compacted topic (tallies, events), without ``updated_at``."""
    rows: dict[str, Row] = {}
    for message in read_topic(bootstrap, topic):
        if message.value is None:
            rows.pop(message.key.decode(), None)
        else:
            rows[message.key.decode()] = strip(orjson.loads(message.value))
    return rows


def incident_ids(bootstrap: str, topic: str, isolation: str = "read_committed") -> Counter[str]:
    """How many times each incident id appears on the incidents topic."""
    return Counter(orjson.loads(m.value)["incident_id"] for m in read_topic(bootstrap, topic, isolation=isolation))


def strip(row: Row) -> Row:
    """A tally row without its publication time (the only field a replay may change)."""
    return {k: v for k, v in row.items() if k != "updated_at"}


def web_regions(worker: WorkerProcess) -> dict[str, Row]:
    """The worker's /regions as {code: row}."""
    return {row["region_code"]: strip(row) for row in worker.get("/regions")["regions"]}


def diff(got: dict[str, Row], want: dict[str, Row], limit: int = 8) -> str:
    """A short description of how two tables differ (for assertion messages)."""
    def summary(row: Row | None) -> tuple[Any, ...] | None:
        if row is None:
            return None
        return row.get("killed"), row.get("wounded"), row.get("incidents", row.get("version"))

    lines = []
    for key in sorted(set(got) | set(want)):
        a, b = got.get(key), want.get(key)
        if a != b:
            lines.append(f"{key}: stream {summary(a)} != batch {summary(b)}")
    if not lines and got != want:
        lines.append("same counts, other fields differ")
    more = f" (+{len(lines) - limit} more)" if len(lines) > limit else ""
    return "; ".join(lines[:limit]) + more


def wait_for_tables(worker: WorkerProcess, want: dict[str, Row], timeout: float = 150.0) -> float:
    """Poll /regions until it equals ``want``; return the seconds it took. Fails with a diff."""
    started = time.monotonic()
    got: dict[str, Row] = {}
    while time.monotonic() - started < timeout:
        try:
            got = web_regions(worker)
        except OSError:
            got = {}
        if got == want:
            return time.monotonic() - started
        time.sleep(0.5)
    raise AssertionError(f"/regions never equalled the batch result in {timeout}s: {diff(got, want)}\n"
                         f"{worker.log_tail(30)}")


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``predicate`` until true, else fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def progress(worker: WorkerProcess) -> int:
    """Articles this worker process handled since it started (0 if it does not answer)."""
    try:
        counts = worker.get("/stats")["articles"]
    except (OSError, ValueError, KeyError):
        return 0
    return int(counts.get("ok", 0)) + int(counts.get("duplicate", 0))


def report(scenario: str, **numbers: Any) -> None:
    """One line of counts and times, printed for the closing note (visible with ``pytest -s``/``-rA``)."""
    fields = " ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in numbers.items())
    print(f"\n[reliability] {scenario}: {fields}", flush=True)


def duplicates(counts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Ids seen more than once."""
    return {key: n for key, n in counts if n > 1}


# --- the end state every scenario must reach ---------------------------------------------------

# A killed worker's group membership lasts one session timeout: keep it short so a restarted or
# surviving worker takes the partitions over in seconds, not Faust's default 60 s.
FAST_FAILOVER_ENV = {"BROKER_SESSION_TIMEOUT": "12", "BROKER_HEARTBEAT_INTERVAL": "1"}


@dataclass(frozen=True)
class Outcome:
    """What the final checks measured."""

    settle_seconds: float
    incident_messages: int
    duplicate_ids: int


def assert_exact(worker: WorkerProcess, stream: Stream, *, exactly_once: bool, timeout: float = 150.0) -> Outcome:
    """The stream's final state equals the batch result exactly.

    * ``incidents`` read with ``read_committed`` holds every batch incident id and no other; under
      ``exactly_once`` each id exactly once. Under ``at_least_once`` a crash between sending the
      incidents and committing the article offset re-sends them, so an id may appear twice on the
      topic: the tally agent's de-duplication by incident id is what keeps the tables exact;
    * ``/regions`` of ``worker`` equals the running rows of the batch resolution of those incidents
      (:func:`batch_result`; every field but ``updated_at``);
    * the latest committed row per key of ``casualty-tallies`` equals the batch running *and*
      daily rows, and the topic holds no other key;
    * the latest committed version per key of ``events`` equals the final version of every event
      of the batch resolution, and the topic holds no other event.
    """
    settings = worker.settings
    started = time.monotonic()
    counts: Counter[str] = Counter()

    def all_extracted() -> bool:
        nonlocal counts
        counts = incident_ids(worker.bootstrap, settings.incidents_topic)
        return set(counts) >= stream.incident_ids

    wait_until(all_extracted, timeout, "every batch incident id on the incidents topic")
    batch = batch_result(worker.bootstrap, settings.incidents_topic)
    wait_for_tables(worker, batch.regions, timeout=max(10.0, timeout - (time.monotonic() - started)))
    settle = time.monotonic() - started
    tallies = latest_tallies(worker.bootstrap, settings.tallies_topic)
    assert tallies == batch.tallies, f"casualty-tallies differs from the batch: {diff(tallies, batch.tallies)}"
    events = latest_tallies(worker.bootstrap, settings.events_topic)
    assert events == batch.events, f"events differs from the batch: {diff(events, batch.events)}"
    counts = incident_ids(worker.bootstrap, settings.incidents_topic)
    assert set(counts) == stream.incident_ids, (
        f"incident ids: {len(set(counts) - stream.incident_ids)} unexpected, "
        f"{len(stream.incident_ids - set(counts))} missing"
    )
    repeated = duplicates(counts.items())
    if exactly_once:
        assert repeated == {}, f"{len(repeated)} incident ids committed more than once under exactly_once"
    return Outcome(settle, sum(counts.values()), len(repeated))
