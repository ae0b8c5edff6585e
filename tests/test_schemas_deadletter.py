"""schemas.deadletter: a rejected message becomes a DeadLetter record plus Kafka Connect style headers."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from schemas.codec import dumps, loads
from schemas.deadletter import (
    HEADER_DESCRIPTIONS,
    MAX_WHOLE_ORIGINAL_BYTES,
    TRUNCATED_ORIGINAL_BYTES,
    dead_letter_for,
)
from schemas.records import DeadLetter
from schemas.validation import ArticleError, parse_article


def clock() -> datetime:
    return datetime(2007, 3, 14, 10, 2, 11, 512000, tzinfo=UTC)


def error_for(raw: bytes) -> ArticleError:
    with pytest.raises(ArticleError) as caught:
        parse_article(raw)
    return caught.value


def test_utf8_input_is_kept_as_text_with_full_context_and_headers() -> None:
    raw = b'{"title": "Clash in Ramadi", "body": 42}'
    record, headers = dead_letter_for(
        raw, error_for(raw), topic="articles", partition=3, offset=1187, timestamp=1173866531000, now=clock
    )
    assert record == DeadLetter(
        original='{"title": "Clash in Ramadi", "body": 42}', original_base64=False, original_truncated=False,
        original_size=40, original_topic="articles", original_partition=3, original_offset=1187,
        original_timestamp=1173866531000, error_code="wrong_type", error_field="body",
        reason="field 'body' must be a string, got number", occurred_at="2007-03-14T10:02:11.512Z",
    )
    assert headers == [
        ("__connect.errors.topic", b"articles"),
        ("__connect.errors.partition", b"3"),
        ("__connect.errors.offset", b"1187"),
        ("__connect.errors.exception.class.name", b"schemas.validation.ArticleError"),
        ("__connect.errors.exception.message", b"field 'body' must be a string, got number"),
        ("casualty.error.code", b"wrong_type"),
        ("casualty.error.field", b"body"),
    ]


def test_binary_input_is_kept_as_base64_and_decodes_back_to_the_same_bytes() -> None:
    raw = b'\xff\xfe{"title": "Basra"}'
    record, headers = dead_letter_for(
        raw, error_for(raw), topic="articles", partition=0, offset=52, timestamp=None, now=clock
    )
    assert record.original_base64 is True
    assert record.original == "//57InRpdGxlIjogIkJhc3JhIn0="
    assert base64.b64decode(record.original) == raw
    assert (record.error_code, record.error_field, record.original_timestamp) == ("not_utf8", None, None)
    assert dict(headers)["casualty.error.code"] == b"not_utf8"
    assert "casualty.error.field" not in dict(headers)  # the whole message was at fault


def test_non_ascii_text_in_the_reason_and_original_survives_the_headers_and_the_codec() -> None:
    raw = '{"body": "انفجار", "published": "الأربعاء"}'.encode()
    record, headers = dead_letter_for(raw, error_for(raw), topic="articles", partition=1, offset=2,
                                      timestamp=3, now=clock)
    assert record.original == raw.decode()
    assert dict(headers)["__connect.errors.exception.message"].decode() == record.reason
    assert "'الأربعاء'" in record.reason
    assert loads(DeadLetter, dumps(record)) == record


def test_unknown_location_headers_are_left_out() -> None:
    error = ArticleError("extraction_failed", "the extractor raised KeyError('x')")
    record, headers = dead_letter_for(b"{}", error, topic=None, partition=None, offset=None, timestamp=None)
    assert [name for name, _ in headers] == [
        "__connect.errors.exception.class.name", "__connect.errors.exception.message", "casualty.error.code",
    ]
    assert record.original_topic is None
    assert datetime.fromisoformat(record.occurred_at).tzinfo is not None


def test_every_header_sent_is_documented() -> None:
    raw = b'{"body": 1}'
    _, headers = dead_letter_for(raw, error_for(raw), topic="t", partition=0, offset=0, timestamp=0)
    assert [name for name, _ in headers] == list(HEADER_DESCRIPTIONS)


def test_original_up_to_512_kib_is_stored_whole() -> None:
    raw = b'{"body": "' + b"x" * (MAX_WHOLE_ORIGINAL_BYTES - 12) + b'"}'
    assert len(raw) == MAX_WHOLE_ORIGINAL_BYTES
    error = ArticleError("invalid_value", "field 'published' ...", "published")
    record, _ = dead_letter_for(raw, error, topic="articles", partition=0, offset=0, timestamp=0)
    assert record.original == raw.decode()
    assert record.original_truncated is False


def test_too_large_text_keeps_the_first_64_kib_and_says_so() -> None:
    raw = b'{"body":"' + "é".encode() * 700_000 + b'"}'  # 9-byte prefix: the cut splits an "é"
    record, _ = dead_letter_for(raw, error_for(raw), topic="articles", partition=0, offset=9, timestamp=0)
    assert record.error_code == "too_large"
    assert record.original_truncated is True
    assert record.original_size == len(raw)
    # 64 KiB cut in the middle of a two-byte character: the partial byte is dropped, nothing else.
    assert record.original.encode() == raw[:TRUNCATED_ORIGINAL_BYTES - 1]
    assert len(dumps(record)) < 1_000_000  # fits Kafka's default 1 MiB message limit


def test_too_large_binary_keeps_the_first_64_kib_as_base64() -> None:
    raw = b"\xff" * 2_000_000
    record, _ = dead_letter_for(raw, error_for(raw), topic="articles", partition=0, offset=9, timestamp=0)
    assert (record.original_base64, record.original_truncated, record.original_size) == (True, True, 2_000_000)
    assert base64.b64decode(record.original) == raw[:TRUNCATED_ORIGINAL_BYTES]
