"""What the extract agent does with one raw article message, without Kafka or Faust.

``process_article`` turns the bytes of one ``articles`` message into either a dead letter or
the messages to publish (incidents keyed by region, one summary keyed by article id). The
agent in :mod:`streams.worker.agents` only adds the de-duplication table and the sends, so this
logic is tested on its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from extractors import extract
from schemas.codec import dumps
from schemas.deadletter import dead_letter_for
from schemas.records import Article, ArticleSummary, DeadLetter, Incident
from schemas.validation import ArticleError, parse_article
from streams.worker.tally import region_key


@dataclass(frozen=True, slots=True)
class MessageMeta:
    """Where a message came from (for dead letters)."""

    topic: str
    partition: int | None = None
    offset: int | None = None
    timestamp: int | None = None


@dataclass(slots=True)
class Rejected:
    """The message is invalid: publish this dead letter (value and headers) instead."""

    dead_letter: DeadLetter
    value: bytes
    headers: list[tuple[str, bytes]]
    key: bytes | None


@dataclass(slots=True)
class Extracted:
    """The article was read: publish these incidents and this summary."""

    article: Article
    incidents: list[Incident]
    summary: ArticleSummary
    seconds: float
    # (key, value) pairs ready to send
    incident_messages: list[tuple[bytes, bytes]] = field(default_factory=list)
    summary_message: tuple[bytes, bytes] = (b"", b"")


def reject(raw: bytes, error: ArticleError, meta: MessageMeta, key: bytes | None) -> Rejected:
    """Build the dead letter for ``raw``."""
    letter, headers = dead_letter_for(
        raw, error, topic=meta.topic, partition=meta.partition, offset=meta.offset, timestamp=meta.timestamp
    )
    return Rejected(letter, dumps(letter), headers, key)


def validate(raw: bytes | None, meta: MessageMeta, max_body_bytes: int, key: bytes | None = None) -> Article | Rejected:
    """Decode and validate one message: the Article, or the Rejected dead letter."""
    data = raw if isinstance(raw, bytes | bytearray) else (b"" if raw is None else bytes(str(raw), "utf-8"))
    try:
        return parse_article(bytes(data), max_bytes=max_body_bytes)
    except ArticleError as error:
        return reject(bytes(data), error, meta, key)


def run_extraction(article: Article) -> Extracted:
    """Extract incidents and summary, and serialise the messages to publish."""
    started = time.perf_counter()
    result = extract(article)
    seconds = time.perf_counter() - started
    out = Extracted(article, list(result.incidents), result.summary, seconds)
    for incident in out.incidents:
        payload = dumps(incident)
        code = incident.location.region_code or "unknown"
        out.incident_messages.append((code.encode(), payload))
    out.summary_message = (article.id.encode(), dumps(result.summary))
    return out


WARM_UP_ARTICLE = b'{"id": "warm-up", "body": "A roadside bomb killed two soldiers near Baquba on Monday."}'


def warm_up() -> int:
    """Load the gazetteer and compile the patterns now rather than on the first article.

    Returns the number of incidents found in a small article of our own (1 when all is loaded).
    """
    return len(run_extraction(parse_article(WARM_UP_ARTICLE)).incidents)


def extraction_failure(raw: bytes, exc: BaseException, meta: MessageMeta, key: bytes | None) -> Rejected:
    """A dead letter for an article the extractor could not handle (should never happen)."""
    error = ArticleError(
        "extraction_failed", f"the extractor failed on this article: {type(exc).__name__}: {exc}", "body"
    )
    return reject(raw, error, meta, key)


__all__ = [
    "Extracted",
    "MessageMeta",
    "Rejected",
    "extraction_failure",
    "region_key",
    "run_extraction",
    "validate",
    "warm_up",
]
