"""Dead letters: a rejected message, why it was rejected, and where it came from.

:func:`dead_letter_for` builds the :class:`~schemas.records.DeadLetter` record for the
``articles.DLT`` topic and the Kafka headers to send with it. The headers follow the Kafka Connect
dead-letter-queue convention (``__connect.errors.*``), so tools made for Connect DLQs can read
them, plus ``casualty.error.code`` (and ``casualty.error.field`` when a field is at fault).

Nothing is lost: the original value is stored whole, as text when it is valid UTF-8 and as base64
otherwise. The one exception keeps the dead letter under Kafka's default 1 MiB message limit: an
original over :data:`MAX_WHOLE_ORIGINAL_BYTES` (512 KiB; with the default limits that means
``too_large`` messages) keeps only its first :data:`TRUNCATED_ORIGINAL_BYTES` (64 KiB), with
``original_truncated`` set and ``original_size`` giving the full size; the full message stays on
the source topic at the recorded partition and offset.
"""

from __future__ import annotations

import base64

from schemas.records import DeadLetter
from schemas.validation import ArticleError, Clock, utc_timestamp

MAX_WHOLE_ORIGINAL_BYTES = 524_288
"""Originals up to this size (512 KiB) are stored whole in the dead letter."""

TRUNCATED_ORIGINAL_BYTES = 65_536
"""How much of a larger original is kept: its first 64 KiB."""

Headers = list[tuple[str, bytes]]

HEADER_DESCRIPTIONS: dict[str, str] = {
    "__connect.errors.topic": "Topic of the original message.",
    "__connect.errors.partition": "Partition of the original message (decimal).",
    "__connect.errors.offset": "Offset of the original message (decimal).",
    "__connect.errors.exception.class.name": "Python class of the error, e.g. schemas.validation.ArticleError.",
    "__connect.errors.exception.message": "The reason: what was wrong and what was expected.",
    "casualty.error.code": "The stable error code, as in the record's error_code.",
    "casualty.error.field": "The input field at fault; absent when the whole message is.",
}
"""Header name -> meaning; every header value is UTF-8 text. Unknown locations are left out."""


def dead_letter_for(
    raw: bytes,
    error: ArticleError,
    *,
    topic: str | None,
    partition: int | None,
    offset: int | None,
    timestamp: int | None,
    now: Clock | None = None,
) -> tuple[DeadLetter, Headers]:
    """Build the dead letter for ``raw`` rejected with ``error``, and its Kafka headers.

    ``topic``, ``partition``, ``offset`` and ``timestamp`` (Kafka timestamp, ms) locate the original
    message; pass ``None`` for what is unknown (e.g. input that never was on a topic) and the
    matching header is left out. ``now`` fixes ``occurred_at`` for tests and replays.
    """
    size = len(raw)
    truncated = size > MAX_WHOLE_ORIGINAL_BYTES
    kept = raw[:TRUNCATED_ORIGINAL_BYTES] if truncated else raw
    original, is_base64 = _as_text_or_base64(bytes(raw), bytes(kept))
    record = DeadLetter(
        original=original,
        original_base64=is_base64,
        original_truncated=truncated,
        original_size=size,
        original_topic=topic,
        original_partition=partition,
        original_offset=offset,
        original_timestamp=timestamp,
        error_code=error.code,
        error_field=error.field,
        reason=error.reason,
        occurred_at=utc_timestamp(now),
    )
    return record, dead_letter_headers(error, topic=topic, partition=partition, offset=offset)


def dead_letter_headers(
    error: ArticleError, *, topic: str | None, partition: int | None, offset: int | None
) -> Headers:
    """Kafka headers describing ``error`` in the Kafka Connect DLQ convention, values UTF-8 encoded."""
    exception_class = f"{type(error).__module__}.{type(error).__qualname__}"
    pairs: list[tuple[str, object]] = [
        ("__connect.errors.topic", topic),
        ("__connect.errors.partition", partition),
        ("__connect.errors.offset", offset),
        ("__connect.errors.exception.class.name", exception_class),
        ("__connect.errors.exception.message", error.reason),
        ("casualty.error.code", error.code),
        ("casualty.error.field", error.field),
    ]
    return [(name, str(value).encode("utf-8")) for name, value in pairs if value is not None]


def _as_text_or_base64(whole: bytes, kept: bytes) -> tuple[str, bool]:
    """Return ``kept`` as text when the whole original is UTF-8, else as base64; and whether base64."""
    try:
        whole.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(kept).decode("ascii"), True
    # A cut can split a multi-byte character: drop its partial bytes (at most 3) at the end.
    return kept.decode("utf-8", "ignore") if len(kept) < len(whole) else kept.decode("utf-8"), False
