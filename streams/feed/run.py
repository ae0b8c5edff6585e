"""Sending articles: sources in, validated articles out to the ``articles`` topic.

:func:`plan_sources` sorts the command line's targets into files, stdin and feeds;
:class:`Feeder` validates each item, waits for the rate limiter, stamps ``received_at`` and sends
it with the article id as key; :func:`run_feed` ties it together with polling (``--follow``),
flushing and the summary. Validation here only reports and skips bad items early: the worker
validates every message again and dead-letters what is wrong.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from kafka import KafkaProducer
from kafka.errors import KafkaError

from schemas.codec import dumps
from schemas.records import Article
from schemas.validation import DEFAULT_MAX_BYTES, ArticleError, utc_timestamp
from streams.clients.connect import open_producer
from streams.config import Settings
from streams.feed.items import Item
from streams.feed.progress import FeedCounts, Reporter
from streams.feed.ratelimit import TokenBucket
from streams.feed.sources import NO_DEFAULTS, Defaults, Source, describe, plan_sources, source_items, to_article
from streams.feed.state import SentEntries

FLUSH_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """How to send: destination topic, pace, input format, defaults and what to do with feeds."""

    topic: str
    rate: float | None = None
    raw: bool = False
    follow: bool = False
    interval: float = 300.0
    state_path: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    fmt: str = "auto"
    defaults: Defaults = NO_DEFAULTS


def prepare(item: Item, max_bytes: int = DEFAULT_MAX_BYTES, defaults: Defaults = NO_DEFAULTS) -> Article:
    """Validate an item into an Article with ``received_at`` set to now; raises ArticleError.

    The feed is where an article enters the system, so a ``received_at`` in the input is replaced.
    """
    if item.obj is not None:
        item = Item(origin=item.origin, obj={**item.obj, "received_at": None}, entry_key=item.entry_key)
    article = to_article(item, defaults, max_bytes)
    return article.model_copy(update={"received_at": utc_timestamp()})


class Feeder:
    """Sends items to one topic through one idempotent producer, counting what happens.

    ``producer`` may be a function that opens it: it is then opened at the first send, so a run
    that sends nothing (only bad input, or feed entries all sent before) never waits on a producer.
    """

    def __init__(self, producer: KafkaProducer | Callable[[], KafkaProducer], options: FeedOptions,
                 reporter: Reporter, sent_entries: SentEntries | None = None,
                 bucket: TokenBucket | None = None) -> None:
        self._producer: KafkaProducer | None = producer if isinstance(producer, KafkaProducer) else None
        self._open = None if isinstance(producer, KafkaProducer) else producer
        self.options = options
        self.reporter = reporter
        self.sent_entries = sent_entries or SentEntries(None)
        self.bucket = bucket

    @property
    def producer(self) -> KafkaProducer:
        """The producer, opened now if it was not yet."""
        if self._producer is None:
            assert self._open is not None
            self._producer = self._open()
        return self._producer

    @property
    def opened(self) -> bool:
        """Whether the producer exists (something was, or is being, sent)."""
        return self._producer is not None

    def send_all(self, items: Iterable[Item]) -> None:
        """Send every item (errors are reported and skipped)."""
        for item in items:
            self.send(item)

    def send(self, item: Item) -> None:
        """Send one item, or report why it is skipped."""
        if item.already_sent:
            self.reporter.already_sent()
            return
        if item.error is not None:
            self.reporter.skipped(item.origin, item.error)
            return
        key: bytes | None
        if self.options.raw:
            key, value = None, item.payload if item.payload is not None else orjson.dumps(item.obj)
            self.wait_turn()
        else:
            try:
                article = prepare(item, self.options.max_bytes, self.options.defaults)
            except ArticleError as exc:
                self.reporter.skipped(item.origin, describe(exc))
                return
            self.wait_turn()
            # Stamped after the rate limiter's wait, so received_at is the send time.
            article = article.model_copy(update={"received_at": utc_timestamp()})
            key, value = article.id.encode("utf-8"), dumps(article)
        self.send_bytes(item, key, value)

    def send_bytes(self, item: Item, key: bytes | None, value: bytes) -> None:
        """Hand one message to the producer; the broker's answer is counted when it arrives."""
        try:
            future = self.producer.send(self.options.topic, key=key, value=value)
        except KafkaError as exc:
            self.reporter.failed(item.origin, f"{type(exc).__name__}: {exc}")
            return
        future.add_callback(self._delivered, item)
        future.add_errback(self._not_delivered, item)

    def wait_turn(self) -> None:
        """Wait for the rate limiter (if any) to allow one more send."""
        if self.bucket is not None:
            self.bucket.acquire()

    def _delivered(self, item: Item, _metadata: Any) -> None:
        if item.entry_key is not None:
            self.sent_entries.add(self.options.topic, item.entry_key)
        self.reporter.sent()

    def _not_delivered(self, item: Item, exc: BaseException) -> None:
        self.reporter.failed(item.origin, f"{type(exc).__name__}: {exc}")

    def flush(self) -> None:
        """Wait for every pending send, then remember the feed entries that reached the broker."""
        if self._producer is None:
            return
        try:
            self._producer.flush(timeout=FLUSH_TIMEOUT_S)
        except KafkaError as exc:
            self.reporter.note(f"feed: flush did not complete: {type(exc).__name__}: {exc}")
        self.sent_entries.save()

    def close(self) -> None:
        """Close the producer if it was opened."""
        if self._producer is not None:
            self._producer.close(timeout=10)


def run_feed(targets: Iterable[str], settings: Settings, options: FeedOptions, reporter: Reporter, *,
             stdin: BinaryIO | None = None, stop: threading.Event | None = None,
             producer: KafkaProducer | None = None) -> FeedCounts:
    """Send everything the targets hold; with ``options.follow``, keep polling the feeds until
    ``stop`` is set or Ctrl-C. Always flushes before returning. Raises
    :class:`streams.clients.KafkaUnavailable` when no broker can be reached at all."""
    sources = plan_sources(targets)
    feeds = [s for s in sources if s.kind == "feed"]
    sent = SentEntries.load(options.state_path) if feeds else SentEntries(None)

    def opener() -> KafkaProducer:
        return open_producer(settings, acks="all", enable_idempotence=True, linger_ms=10, client_id="casualty-feed")

    bucket = TokenBucket(options.rate) if options.rate else None
    feeder = Feeder(producer if producer is not None else opener, options, reporter, sent, bucket)
    stop = stop or threading.Event()

    def items(source: Source) -> Iterable[Item]:
        return source_items(source, fmt=options.fmt, raw=options.raw, topic=options.topic, sent=sent, stdin=stdin)

    try:
        for source in sources:
            feeder.send_all(items(source))
            if source.kind == "feed":
                feeder.flush()
        if options.follow and not feeds:
            reporter.note("feed: --follow polls RSS/Atom feeds, and none was given; done")
        while options.follow and feeds and not stop.wait(options.interval):
            for source in feeds:
                before = reporter.counts.snapshot()
                feeder.send_all(items(source))
                feeder.flush()
                reporter.note(f"feed: polled {source.target}: {reporter.counts.since(before)}")
    except KeyboardInterrupt:
        reporter.counts.interrupted = True
    finally:
        feeder.flush()
        if producer is None:
            feeder.close()
    return reporter.counts


__all__ = ["FeedOptions", "Feeder", "Source", "plan_sources", "prepare", "run_feed"]
