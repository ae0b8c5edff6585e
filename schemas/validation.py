"""Validation of inbound articles: raw bytes from any producer in, an :class:`Article` or a precise error out.

Every rejection is an :class:`ArticleError` carrying a stable ``code`` (the ``ErrorCode``
vocabulary of :mod:`schemas.records`), the ``field`` at fault (or ``None`` when the message as a
whole is bad) and a ``reason`` a person can act on: it names the field, what was wrong and what
was expected. :mod:`schemas.deadletter` turns such an error into a dead letter.

Rules, in the order they are checked:

1. Size first, before anything is decoded: a message over ``max_bytes`` (default 1 MiB) is
   ``too_large``. Large articles are rejected, never truncated. ``body`` is held to the same
   limit, counted in UTF-8 bytes (this matters for :func:`parse_article_obj`).
2. The bytes must be UTF-8 (``not_utf8``) holding one JSON value (``invalid_json``; this includes
   JSON nested more than 1024 levels deep) that is an object (``not_an_object``). A leading UTF-8
   byte order mark is ignored, as RFC 8259 allows.
3. ``body`` is required (``missing_field`` when absent or null), a string (``wrong_type``) with
   some non-whitespace text (``empty_body``).
4. ``id``, ``source``, ``url``, ``title``, ``published``, ``language`` and ``received_at`` are
   optional; when present and not null they must be strings (``wrong_type``). ``id`` and
   ``language`` must not be empty, ``published`` must be an ISO-8601 date or datetime and
   ``received_at`` an ISO-8601 datetime (``invalid_value``). ``published`` is kept as sent.
5. Fields we do not know are ignored, so producers can send richer objects and we can add
   fields later without breaking them.

Defaults: ``id`` is derived by :func:`derive_article_id` when absent or null, ``language`` is
``"en"`` when absent or null, and ``received_at`` is the current UTC time when absent or null.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import orjson
from pydantic import ValidationError

from schemas.records import Article, ErrorCode

DEFAULT_MAX_BYTES = 1_048_576
"""Default size limit of an inbound article message and of its body: 1 MiB."""

_BOM = b"\xef\xbb\xbf"
_OPTIONAL_TEXT_FIELDS = ("id", "source", "url", "title", "published", "language", "received_at")
_SHOWN_VALUE_CHARS = 60
# orjson messages that would puzzle a producer, reworded (the second comes from unterminated deep input).
_JSON_ERROR_WORDING = {
    "depth limit exceeded": "nested deeper than 1024 levels",
    "failed to allocate memory": "truncated or malformed input",
}

Clock = Callable[[], datetime]


class ArticleError(ValueError):
    """An inbound article was rejected.

    Attributes:
        code: stable error code from the ``ErrorCode`` vocabulary, e.g. ``"wrong_type"``.
        reason: one sentence naming the field, what was wrong and what was expected.
        field: the offending input field, or ``None`` when the whole message is at fault.
    """

    def __init__(self, code: ErrorCode, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.code: ErrorCode = code
        self.reason = reason
        self.field = field

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep code and field when the error crosses a process boundary (pickling).
        return (type(self), (self.code, self.reason, self.field))

    def __repr__(self) -> str:
        return f"ArticleError(code={self.code!r}, reason={self.reason!r}, field={self.field!r})"


def derive_article_id(*, url: str | None, source: str | None, title: str | None, body: str) -> str:
    """Return the id of an article that came without one: a 64-character sha256 hex digest.

    With a non-blank ``url`` it is ``sha256(url)``, so the same story fetched twice gets the same id.
    Without one it is ``sha256(source + "\\n" + title + "\\n" + body)`` with missing parts as ``""``.
    Strings are hashed as UTF-8, exactly as given (no trimming or URL normalisation).
    """
    text = url if url and url.strip() else "\n".join((source or "", title or "", body))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_article(raw: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, now: Clock | None = None) -> Article:
    """Validate one inbound message and return the :class:`Article` it holds.

    ``now`` returns the current time (used for ``received_at``); it defaults to the UTC clock and
    exists so tests and replays can fix it. Raises :class:`ArticleError` for any bad input.
    """
    size = len(raw)
    if size > max_bytes:
        raise ArticleError(
            "too_large",
            f"message is {size:,} bytes, over the limit of {max_bytes:,} bytes; articles over the "
            "limit are rejected, not truncated: split the article or raise the limit "
            "(--max-body-bytes of casualty worker and casualty feed, or CASUALTY_MAX_BODY_BYTES)",
        )
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise _decode_error(bytes(raw), exc) from None
    return parse_article_obj(obj, max_bytes=max_bytes, now=now)


def parse_article_obj(
    obj: Any, *, max_bytes: int = DEFAULT_MAX_BYTES, now: Clock | None = None
) -> Article:
    """Validate an already-decoded article (e.g. a dict built by the feed) and return the :class:`Article`.

    Applies every rule of :func:`parse_article` after decoding; raises :class:`ArticleError`.
    """
    if not isinstance(obj, Mapping):
        raise ArticleError(
            "not_an_object",
            f"message must be a JSON object with at least a 'body' field, got {_json_type(obj)}",
        )
    body = _check_body(obj, max_bytes)
    values: dict[str, str | None] = {name: _optional_text(obj, name) for name in _OPTIONAL_TEXT_FIELDS}

    article_id = values["id"]
    if article_id is None:
        article_id = derive_article_id(
            url=values["url"], source=values["source"], title=values["title"], body=body
        )
    elif not article_id:
        raise ArticleError(
            "invalid_value",
            "field 'id' must be a non-empty string, got an empty string; omit 'id' to have it "
            "derived from the url or the content",
            "id",
        )
    if values["language"] == "":
        raise ArticleError(
            "invalid_value", "field 'language' must be a language tag such as 'en', got ''", "language"
        )
    published = values["published"]
    if published is not None and not _is_iso_date_or_datetime(published):
        raise ArticleError(
            "invalid_value",
            "field 'published' must be an ISO-8601 date or datetime such as 2007-03-14 or "
            f"2007-03-14T09:30:00Z, or null, got {_show(published)}",
            "published",
        )
    received_at = values["received_at"]
    if received_at is None:
        received_at = utc_timestamp(now)
    elif not _is_iso_datetime(received_at):
        raise ArticleError(
            "invalid_value",
            "field 'received_at' must be an ISO-8601 datetime such as 2007-03-14T09:30:00Z, "
            f"got {_show(received_at)}",
            "received_at",
        )
    try:
        return Article(
            id=article_id,
            source=values["source"],
            url=values["url"],
            title=values["title"],
            published=published,
            body=body,
            language=values["language"] or "en",
            received_at=received_at,
        )
    except ValidationError as exc:  # pragma: no cover - a record constraint the checks above missed
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or None
        raise ArticleError("invalid_value", f"field '{field}': {error['msg']}", field) from None


def utc_timestamp(now: Clock | None = None) -> str:
    """Return the current (or ``now()``) time as ISO-8601 UTC with milliseconds, e.g. ``2007-03-14T09:30:00.000Z``.

    A naive datetime from ``now`` is taken to be UTC already.
    """
    moment = now() if now is not None else datetime.now(UTC)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _decode_error(raw: bytes, exc: orjson.JSONDecodeError) -> ArticleError:
    """Classify an orjson failure: bad UTF-8 first (orjson's own message is misleading there), else bad JSON."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return ArticleError(
            "not_utf8",
            f"message is not valid UTF-8: byte 0x{raw[bad.start]:02x} at offset {bad.start} "
            f"cannot be decoded ({bad.reason}); send the article as UTF-8 encoded JSON",
        )
    if not raw.strip():
        return ArticleError(
            "invalid_json", "message is empty; send one JSON object with at least a 'body' field"
        )
    what = _JSON_ERROR_WORDING.get(exc.msg, exc.msg)
    return ArticleError(
        "invalid_json",
        f"message is not valid JSON: {what} at line {exc.lineno} column {exc.colno}; "
        "send one JSON object per message",
    )


def _check_body(obj: Mapping[str, Any], max_bytes: int) -> str:
    """Return the validated body, or raise the error that describes what is wrong with it."""
    expected = "every article needs 'body', a string with the article text"
    if "body" not in obj:
        present = ", ".join(repr(str(key)) for key in list(obj)[:10])
        found = f" (the object has {present})" if present else " (the object is empty)"
        raise ArticleError("missing_field", f"field 'body' is missing{found}; {expected}", "body")
    body = obj["body"]
    if body is None:
        raise ArticleError("missing_field", f"field 'body' is null; {expected}", "body")
    if not isinstance(body, str):
        raise ArticleError(
            "wrong_type", f"field 'body' must be a string, got {_json_type(body)}", "body"
        )
    if not body.strip():
        what = "empty" if not body else "only whitespace"
        raise ArticleError(
            "empty_body", f"field 'body' is {what}; it must contain the article text", "body"
        )
    # A character is at most 4 UTF-8 bytes, so most bodies need no encoding to be measured.
    if len(body) * 4 > max_bytes:
        size = len(body.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise ArticleError(
                "too_large",
                f"field 'body' is {size:,} bytes of UTF-8, over the limit of {max_bytes:,} bytes; "
                "articles over the limit are rejected, not truncated: split the article or raise the limit "
            "(--max-body-bytes of casualty worker and casualty feed, or CASUALTY_MAX_BODY_BYTES)",
                "body",
            )
    return body


def _optional_text(obj: Mapping[str, Any], name: str) -> str | None:
    """Return an optional string field (``None`` when absent or null), or raise ``wrong_type``."""
    value = obj.get(name)
    if value is None or isinstance(value, str):
        return value
    raise ArticleError(
        "wrong_type", f"field '{name}' must be a string or null, got {_json_type(value)}", name
    )


def _is_iso_date_or_datetime(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return _is_iso_datetime(text)
    return True


def _is_iso_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _json_type(value: Any) -> str:
    """Name the JSON type of a decoded value, as a producer in any language would call it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _show(text: str) -> str:
    """Quote a bad value for a reason, shortened so a huge value does not flood logs."""
    if len(text) <= _SHOWN_VALUE_CHARS:
        return repr(text)
    return repr(text[:_SHOWN_VALUE_CHARS]) + "..."
