"""Sending articles: sources in, validated articles out to the ``articles`` topic.

:func:`plan_sources` sorts the command line's targets into files, stdin and feeds;
:class:`Feeder` validates each item, waits for the rate limiter, stamps ``received_at`` and sends
it with the article id as key; :func:`run_feed` ties it together with polling (``--follow``),
flushing and the summary. Validation here only reports and skips bad items early: the worker
validates every message again and dead-letters what is wrong.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import orjson
from kafka import KafkaProducer
from kafka.errors import KafkaError

from schemas.codec import dumps
from schemas.records import Article
from schemas.validation import DEFAULT_MAX_BYTES, ArticleError, parse_article, parse_article_obj, utc_timestamp
from streams.clients.connect import open_producer
from streams.config import Settings
from streams.feed.files import ARTICLE_SUFFIXES, folder_files, read_file, read_stream
from streams.feed.items import Item
from streams.feed.progress import FeedCounts, Reporter
from streams.feed.ratelimit import TokenBucket
from streams.feed.rss import FEED_SUFFIXES, is_feed_url, read_feed
from streams.feed.state import SentEntries

SourceKind = Literal["file", "stdin", "feed", "missing"]
FLUSH_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class Source:
    """One input named on the command line (a folder expands to one Source per file)."""

    kind: SourceKind
    target: str


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """How to send: destination topic, pace and what to do with feeds."""

    topic: str
    rate: float | None = None
    raw: bool = False
    follow: bool = False
    interval: float = 300.0
    state_path: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


def plan_sources(targets: Iterable[str]) -> list[Source]:
    """Classify targets: ``-`` is stdin, URLs and ``.xml/.rss/.atom`` files are feeds, folders expand
    (recursively, to their article and feed files in name order). No target at all means stdin.
    """
    targets = list(targets)
    if not targets:
        return [Source("stdin", "<stdin>")]
    sources: list[Source] = []
    for target in targets:
        if target == "-":
            sources.append(Source("stdin", "<stdin>"))
        elif is_feed_url(target):
            sources.append(Source("feed", target))
        else:
            path = Path(target)
            if path.is_dir():
                sources.extend(
                    Source("feed" if p.suffix.lower() in FEED_SUFFIXES else "file", str(p))
                    for p in folder_files(path, ARTICLE_SUFFIXES + FEED_SUFFIXES)
                )
            elif not path.exists():
                sources.append(Source("missing", target))
            elif path.suffix.lower() in FEED_SUFFIXES:
                sources.append(Source("feed", target))
            else:
                sources.append(Source("file", target))
    return sources


def prepare(item: Item, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Validate an item into an Article with ``received_at`` set to now; raises ArticleError.

    The feed is where an article enters the system, so a ``received_at`` in the input is replaced.
    """
    if item.obj is not None:
        obj: Any = {**item.obj, "received_at": None}
        return parse_article_obj(obj, max_bytes=max_bytes)
    article = parse_article(item.payload or b"", max_bytes=max_bytes)
    return article.model_copy(update={"received_at": utc_timestamp()})


class Feeder:
    """Sends items to one topic through one idempotent producer, counting what happens."""

    def __init__(self, producer: KafkaProducer, options: FeedOptions, reporter: Reporter,
                 sent_entries: SentEntries | None = None, bucket: TokenBucket | None = None) -> None:
        self.producer = producer
        self.options = options
        self.reporter = reporter
        self.sent_entries = sent_entries or SentEntries(None)
        self.bucket = bucket

    def send_all(self, items: Iterable[Item]) -> None:
        """Send every item (errors are reported and skipped)."""
        for item in items:
            self.send(item)

    def send(self, item: Item) -> None:
        """Send one item, or report why it is skipped."""
        if item.error is not None:
            self.reporter.skipped(item.origin, item.error)
            return
        key: bytes | None
        if self.options.raw:
            key, value = None, item.payload if item.payload is not None else orjson.dumps(item.obj)
            self.wait_turn()
        else:
            try:
                article = prepare(item, self.options.max_bytes)
            except ArticleError as exc:
                self.reporter.skipped(item.origin, f"{exc.reason} [{exc.code}]")
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
        try:
            self.producer.flush(timeout=FLUSH_TIMEOUT_S)
        except KafkaError as exc:
            self.reporter.note(f"feed: flush did not complete: {type(exc).__name__}: {exc}")
        self.sent_entries.save()


def source_items(source: Source, options: FeedOptions, sent: SentEntries,
                 stdin: BinaryIO | None = None) -> Iterator[Item]:
    """The items of one source."""
    if source.kind == "stdin":
        yield from read_stream(stdin if stdin is not None else sys.stdin.buffer)
    elif source.kind == "feed":
        yield from read_feed(source.target, options.topic, sent)
    elif source.kind == "missing":
        yield Item.bad(source.target, "no such file or directory")
    elif options.raw and Path(source.target).suffix.lower() == ".txt":
        yield Item.bad(source.target, "--raw sends JSON lines or JSON files as they are, not .txt")
    else:
        yield from read_file(Path(source.target))


def run_feed(targets: Iterable[str], settings: Settings, options: FeedOptions, reporter: Reporter, *,
             stdin: BinaryIO | None = None, stop: threading.Event | None = None,
             producer: KafkaProducer | None = None) -> FeedCounts:
    """Send everything the targets hold; with ``options.follow``, keep polling the feeds until
    ``stop`` is set or Ctrl-C. Always flushes before returning. Raises
    :class:`streams.clients.KafkaUnavailable` when no broker can be reached at all."""
    sources = plan_sources(targets)
    feeds = [s for s in sources if s.kind == "feed"]
    sent = SentEntries.load(options.state_path) if feeds else SentEntries(None)
    own_producer = producer is None
    if producer is None:
        producer = open_producer(
            settings, acks="all", enable_idempotence=True, linger_ms=10, client_id="casualty-feed",
        )
    bucket = TokenBucket(options.rate) if options.rate else None
    feeder = Feeder(producer, options, reporter, sent, bucket)
    stop = stop or threading.Event()
    try:
        for source in sources:
            feeder.send_all(source_items(source, options, sent, stdin))
            if source.kind == "feed":
                feeder.flush()
        if options.follow and not feeds:
            reporter.note("feed: --follow polls RSS/Atom feeds, and none was given; done")
        while options.follow and feeds and not stop.wait(options.interval):
            for source in feeds:
                feeder.send_all(source_items(source, options, sent, stdin))
                feeder.flush()
    except KeyboardInterrupt:
        reporter.counts.interrupted = True
    finally:
        feeder.flush()
        if own_producer:
            producer.close(timeout=10)
    return reporter.counts


__all__ = ["ARTICLE_SUFFIXES", "FeedOptions", "Feeder", "Source", "plan_sources", "prepare", "run_feed"]
