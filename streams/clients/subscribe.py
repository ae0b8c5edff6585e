"""Following one of our output topics: which topic, which rows, and how a row is printed.

Used by ``casualty subscribe``. Reads are ``read_committed``, so with ``exactly_once`` workers a
subscriber never sees records of aborted transactions. Without a group the subscriber reads all
partitions itself and commits nothing; with ``--group`` it joins that consumer group (offsets are
committed, so a second run resumes where the first stopped, and ``--from-beginning`` only applies
when the group has no committed offsets yet).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from kafka import KafkaConsumer, TopicPartition

from streams.clients.connect import open_consumer
from streams.config import Settings

KINDS: dict[str, str] = {
    "articles": "articles_topic",
    "incidents": "incidents_topic",
    "tallies": "tallies_topic",
    "events": "events_topic",
    "summaries": "summaries_topic",
    "dead-letters": "dead_letter_topic",
}
"""Subscribable kinds and the :class:`Settings` property naming their topic."""

REGION_KINDS = ("incidents", "tallies", "events")
KILLED_KINDS = ("incidents", "tallies", "events", "summaries")
POLL_MS = 500
TOPIC_WAIT_S = 10.0


class SubscribeError(Exception):
    """The subscription cannot start (e.g. the topic does not exist); the message says why."""


@dataclass(frozen=True, slots=True)
class Filters:
    """Which records to show: one region and/or a minimum number killed."""

    region: str | None = None
    min_killed: int | None = None

    def check(self, kind: str) -> None:
        """Raise ValueError when a filter does not apply to ``kind``."""
        if self.region is not None and kind not in REGION_KINDS:
            raise ValueError(f"--region applies to {' and '.join(REGION_KINDS)}, not {kind}")
        if self.min_killed is not None and kind not in KILLED_KINDS:
            raise ValueError(f"--min-killed applies to {', '.join(KILLED_KINDS)}, not {kind}")

    def matches(self, kind: str, record: dict[str, Any]) -> bool:
        """True when ``record`` passes every filter."""
        if self.region is not None and region_of(kind, record) != self.region:
            return False
        return not (self.min_killed is not None and (killed_of(kind, record) or 0) < self.min_killed)


def region_of(kind: str, record: dict[str, Any]) -> str | None:
    """The region code of an incident or event (``unknown`` when unresolved) or of a tally row."""
    if kind in ("incidents", "events"):
        code = (record.get("location") or {}).get("region_code")
        return code if isinstance(code, str) and code else "unknown"
    if kind == "tallies":
        return record.get("region_code")
    return None


def killed_of(kind: str, record: dict[str, Any]) -> int | None:
    """The killed count a ``--min-killed`` filter compares (extracted_killed for summaries)."""
    key = "extracted_killed" if kind == "summaries" else "killed"
    value = record.get(key)
    return value if isinstance(value, int) else None


# --- human-readable rows ------------------------------------------------------------------------
Getter = Callable[[dict[str, Any]], Any]


def _loc(field: str) -> Getter:
    return lambda r: (r.get("location") or {}).get(field)


def _get(field: str) -> Getter:
    return lambda r: r.get(field)


def _dead_letter_key(record: dict[str, Any]) -> Any:
    return record.get(KEY_FIELD)


def _headline(record: dict[str, Any]) -> Any:
    title = record.get("title")
    if title:
        return title
    body = " ".join(str(record.get("body") or "").split())
    return body[:80] + ("…" if len(body) > 80 else "") if body else None


def _sources(record: dict[str, Any]) -> str | None:
    """Each report of an event: outlet and the killed/wounded it gave ("Wire A 12/30; Wire B 15/34")."""
    parts = [f"{s.get('source') or s.get('article_id')} {s.get('killed', 0)}/{s.get('wounded', 0)}"
             for s in record.get("sources") or ()]
    return "; ".join(parts) or None


KEY_FIELD = "__key"
"""Where :func:`format_row` finds the message key (``with_key``): the dead-letter view shows it."""

# kind -> [(title, width (negative: right-aligned), getter)]; the last column takes the rest of the line.
COLUMNS: dict[str, list[tuple[str, int, Getter]]] = {
    "articles": [
        ("published", 10, lambda r: str(r.get("published") or "")[:10] or None),
        ("source", 14, _get("source")),
        ("id", 24, _get("id")),
        ("title", 0, _headline),
    ],
    "incidents": [
        ("date", 10, _get("event_date")),
        ("region", 8, lambda r: region_of("incidents", r)),
        ("place", 16, lambda r: _loc("place")(r) or _loc("name")(r)),
        ("killed", -6, _get("killed")),
        ("wounded", -7, _get("wounded")),
        ("victims", 9, _get("victim_category")),
        ("method", 15, _get("method")),
        ("source", 14, _get("source")),
        ("article", 0, _get("article_id")),
    ],
    "events": [
        ("date", 10, _get("event_date")),
        ("region", 8, lambda r: region_of("events", r)),
        ("place", 16, lambda r: _loc("place")(r) or _loc("name")(r)),
        ("killed", -6, _get("killed")),
        ("wounded", -7, _get("wounded")),
        ("v", -3, _get("version")),
        ("method", 15, _get("method")),
        ("event", 25, _get("event_id")),
        ("sources", 0, lambda r: _sources(r)),
    ],
    "tallies": [
        ("region", 8, _get("region_code")),
        ("window", 10, _get("window")),
        ("killed", -6, _get("killed")),
        ("wounded", -7, _get("wounded")),
        ("incidents", -9, _get("incidents")),
        ("first", 10, _get("first_event_date")),
        ("last", 10, _get("last_event_date")),
        ("name", 0, _get("region")),
    ],
    "summaries": [
        ("stated_k", -8, _get("stated_killed")),
        ("found_k", -7, _get("extracted_killed")),
        ("stated_w", -8, _get("stated_wounded")),
        ("found_w", -7, _get("extracted_wounded")),
        ("incidents", -9, _get("incident_count")),
        ("reconciled", 10, _get("reconciled")),
        ("article", 0, _get("article_id")),
    ],
    "dead-letters": [
        ("occurred_at", 24, _get("occurred_at")),
        ("error", 17, _get("error_code")),
        # the longest field an article has is "received_at"
        ("field", 11, _get("error_field")),
        ("partition", -9, _get("original_partition")),
        ("offset", -7, _get("original_offset")),
        ("key", 16, _dead_letter_key),
        ("reason", 0, _get("reason")),
    ],
}


def with_key(record: dict[str, Any], key: bytes | None) -> dict[str, Any]:
    """``record`` plus its message key, for :func:`format_row` (the key is not part of the record)."""
    return {**record, KEY_FIELD: key.decode("utf-8", "replace") if key is not None else None}


def _cell(value: Any, width: int) -> str:
    text = "-" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    if width == 0:
        return text
    size = abs(width)
    if len(text) > size:
        text = text[: size - 1] + "…"
    return text.rjust(size) if width < 0 else text.ljust(size)


def header(kind: str) -> str:
    """The column titles of ``kind``'s rows."""
    return "  ".join(_cell(title, width) for title, width, _ in COLUMNS[kind]).rstrip()


def format_row(kind: str, record: dict[str, Any]) -> str:
    """One aligned text row for a record (long cells are cut with …, the last column is whole)."""
    return "  ".join(_cell(get(record), width) for _, width, get in COLUMNS[kind]).rstrip()


# --- consuming ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Received:
    """One consumed message: its decoded record, or why it could not be decoded."""

    partition: int
    offset: int
    record: dict[str, Any] | None
    error: str | None = None
    key: bytes | None = None


def topic_for(settings: Settings, kind: str) -> str:
    """The full topic name of a kind (prefix applied)."""
    topic: str = getattr(settings, KINDS[kind])
    return topic


def open_subscription(settings: Settings, topic: str, *, from_beginning: bool, group: str | None) -> KafkaConsumer:
    """A consumer positioned at the start (``from_beginning``) or the end of ``topic``."""
    options: dict[str, Any] = {
        "group_id": group,
        "isolation_level": "read_committed",
        "auto_offset_reset": "earliest" if from_beginning else "latest",
        "enable_auto_commit": group is not None,
        "client_id": "casualty-subscribe",
    }
    consumer = open_consumer(settings, **options)
    try:
        partitions = _partitions(consumer, topic)
        if group is not None:
            consumer.subscribe([topic])
        else:
            consumer.assign(partitions)
            if from_beginning:
                consumer.seek_to_beginning(*partitions)
            else:
                consumer.seek_to_end(*partitions)
                # Resolve the end offsets now, so records produced from here on are all seen.
                for tp in partitions:
                    consumer.position(tp)
    except BaseException:
        consumer.close()
        raise
    return consumer


def _partitions(consumer: KafkaConsumer, topic: str) -> list[TopicPartition]:
    deadline = time.monotonic() + TOPIC_WAIT_S
    while True:
        ids = consumer.partitions_for_topic(topic)
        if ids:
            return [TopicPartition(topic, p) for p in sorted(ids)]
        if time.monotonic() > deadline:
            raise SubscribeError(
                f"topic {topic!r} does not exist: is a worker running with the same --topic-prefix?"
            )
        time.sleep(0.3)


def receive(consumer: KafkaConsumer, *, idle_timeout: float | None = None,
            clock: Callable[[], float] = time.monotonic) -> Iterator[Received]:
    """Messages as they arrive; stops after ``idle_timeout`` seconds without any message."""
    last = clock()
    while True:
        batch = consumer.poll(timeout_ms=POLL_MS)
        if batch:
            last = clock()
        for tp in sorted(batch, key=lambda t: t.partition):
            for message in batch[tp]:
                try:
                    value = orjson.loads(message.value)
                except (orjson.JSONDecodeError, TypeError) as exc:
                    yield Received(tp.partition, message.offset, None, f"not JSON: {exc}", message.key)
                    continue
                if isinstance(value, dict):
                    yield Received(tp.partition, message.offset, value, None, message.key)
                else:
                    yield Received(tp.partition, message.offset, None, "not a JSON object", message.key)
        if idle_timeout is not None and clock() - last >= idle_timeout:
            return
