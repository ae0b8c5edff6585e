"""schemas.validation: what an inbound article must look like, and the exact error for each way it can fail."""

from __future__ import annotations

import hashlib
import pickle
from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest

from schemas.records import Article
from schemas.validation import ArticleError, derive_article_id, parse_article, parse_article_obj

BODY = "Gunmen shot two policemen dead at a Baquba checkpoint on Tuesday, police said."


def fixed_clock() -> datetime:
    return datetime(2007, 3, 14, 9, 30, 0, 123456, tzinfo=UTC)


def rejection(raw: bytes, **kwargs: object) -> ArticleError:
    with pytest.raises(ArticleError) as caught:
        parse_article(raw, **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_a_complete_article_is_returned_as_sent() -> None:
    raw = orjson.dumps({
        "id": "wire-1", "source": "Example Wire", "url": "https://news.example.org/1", "title": "Baquba",
        "published": "2007-03-14T08:00:00+03:00", "body": BODY, "language": "en",
        "received_at": "2007-03-14T05:01:00Z",
    })
    assert parse_article(raw) == Article(
        id="wire-1", source="Example Wire", url="https://news.example.org/1", title="Baquba",
        published="2007-03-14T08:00:00+03:00", body=BODY, language="en", received_at="2007-03-14T05:01:00Z",
    )


def test_defaults_language_en_and_received_at_now_in_utc_milliseconds() -> None:
    article = parse_article(orjson.dumps({"id": "x", "body": BODY}), now=fixed_clock)
    assert article.language == "en"
    assert article.received_at == "2007-03-14T09:30:00.123Z"


def test_received_at_from_a_clock_in_another_zone_is_converted_to_utc() -> None:
    baghdad = timezone(timedelta(hours=3))
    article = parse_article(
        orjson.dumps({"id": "x", "body": BODY}), now=lambda: datetime(2007, 3, 14, 12, 0, tzinfo=baghdad)
    )
    assert article.received_at == "2007-03-14T09:00:00.000Z"


def test_received_at_defaults_to_the_real_current_time() -> None:
    before = datetime.now(UTC)
    article = parse_article(orjson.dumps({"id": "x", "body": BODY}))
    stamped = datetime.fromisoformat(article.received_at or "")
    assert before - timedelta(milliseconds=1) <= stamped <= datetime.now(UTC)


def test_null_optional_fields_are_treated_as_absent() -> None:
    article = parse_article(b'{"body": "x", "id": null, "language": null, "url": null, "published": null}')
    assert article.language == "en"
    assert article.published is None
    assert article.id == derive_article_id(url=None, source=None, title=None, body="x")


# ---- id derivation ------------------------------------------------------------------------------

def test_id_is_sha256_of_the_url_when_there_is_one() -> None:
    url = "https://news.example.org/2007/03/14/baquba"
    article = parse_article(orjson.dumps({"url": url, "title": "T", "body": BODY}))
    assert article.id == hashlib.sha256(url.encode()).hexdigest()


def test_same_url_same_id_whatever_the_content() -> None:
    url = "https://news.example.org/x"
    first = parse_article(orjson.dumps({"url": url, "body": "first version"}))
    second = parse_article(orjson.dumps({"url": url, "body": "corrected version", "title": "new"}))
    assert first.id == second.id


def test_id_without_url_is_sha256_of_source_title_body_joined_by_newlines() -> None:
    article = parse_article(orjson.dumps({"source": "Example Wire", "title": "Baquba", "body": BODY}))
    expected = hashlib.sha256(f"Example Wire\nBaquba\n{BODY}".encode()).hexdigest()
    assert article.id == expected


def test_id_without_url_source_or_title_uses_empty_strings() -> None:
    assert derive_article_id(url=None, source=None, title=None, body="b") == (
        hashlib.sha256(b"\n\nb").hexdigest()
    )


def test_blank_url_does_not_make_every_such_article_share_one_id() -> None:
    one = derive_article_id(url="  ", source=None, title=None, body="one")
    two = derive_article_id(url="  ", source=None, title=None, body="two")
    assert one != two
    assert one == derive_article_id(url=None, source=None, title=None, body="one")


def test_an_id_that_is_given_is_kept() -> None:
    assert parse_article(b'{"id": "mine", "url": "https://x", "body": "b"}').id == "mine"


# ---- extra fields and tolerated details ----------------------------------------------------------

def test_unknown_extra_fields_are_ignored() -> None:
    raw = orjson.dumps({"id": "x", "body": BODY, "feed_category": "iraq", "tags": [1, {"a": None}]})
    article = parse_article(raw)
    assert article == Article(id="x", body=BODY, received_at=article.received_at)
    assert "feed_category" not in orjson.loads(article.model_dump_json())


def test_a_leading_utf8_byte_order_mark_is_ignored() -> None:
    assert parse_article(b"\xef\xbb\xbf" + orjson.dumps({"id": "x", "body": BODY})).body == BODY


@pytest.mark.parametrize("published", ["2007-03-14", "2007-03-14T09:30:00Z", "2007-03-14T09:30:00+03:00",
                                       "2007-03-14T09:30", "2007-03-14 09:30:00"])
def test_published_accepts_iso_dates_and_datetimes_and_keeps_them_as_sent(published: str) -> None:
    assert parse_article(orjson.dumps({"body": BODY, "published": published})).published == published


# ---- malformed articles: exact code, field and reason ---------------------------------------------

def test_non_utf8_bytes() -> None:
    error = rejection(b'{"body": "Basra \xff market"}')
    assert (error.code, error.field) == ("not_utf8", None)
    assert error.reason == (
        "message is not valid UTF-8: byte 0xff at offset 16 cannot be decoded (invalid start byte); "
        "send the article as UTF-8 encoded JSON"
    )


def test_utf16_input_is_not_utf8() -> None:
    error = rejection('{"body": "x"}'.encode("utf-16"))
    assert error.code == "not_utf8"
    assert error.reason.startswith("message is not valid UTF-8: byte 0xff at offset 0 ")


def test_invalid_json() -> None:
    error = rejection(b'{"body": "x",}')
    assert (error.code, error.field) == ("invalid_json", None)
    assert error.reason == (
        "message is not valid JSON: trailing comma is not allowed at line 1 column 13; "
        "send one JSON object per message"
    )


def test_empty_message_is_invalid_json() -> None:
    error = rejection(b"  \n")
    assert error.code == "invalid_json"
    assert error.reason == "message is empty; send one JSON object with at least a 'body' field"


@pytest.mark.parametrize("raw", [b"[" * 100_000 + b"]" * 100_000, b'{"body": "x", "n": ' + b"[" * 2000])
def test_json_nested_too_deep_is_invalid_json_not_a_crash(raw: bytes) -> None:
    error = rejection(raw)
    assert error.code == "invalid_json"
    assert error.reason.startswith("message is not valid JSON: nested deeper than 1024 levels at line 1 ")


def test_unterminated_deep_input_is_reported_as_truncated() -> None:
    # orjson says "failed to allocate memory" here, which would send a producer the wrong way.
    error = rejection(b"[" * 700)
    assert error.code == "invalid_json"
    assert error.reason.startswith("message is not valid JSON: truncated or malformed input at line 1 ")


def test_nesting_just_past_the_limit_is_named_as_such() -> None:
    error = rejection(b"[" * 1025 + b"]" * 1025)
    assert error.reason == (
        "message is not valid JSON: nested deeper than 1024 levels at line 1 column 1026; "
        "send one JSON object per message"
    )


@pytest.mark.parametrize(("raw", "kind"), [(b"[]", "array"), (b'"text"', "string"), (b"42", "number"),
                                           (b"null", "null"), (b"true", "boolean")])
def test_json_that_is_not_an_object(raw: bytes, kind: str) -> None:
    error = rejection(raw)
    assert (error.code, error.field) == ("not_an_object", None)
    assert error.reason == f"message must be a JSON object with at least a 'body' field, got {kind}"


def test_missing_body_lists_the_fields_that_were_sent() -> None:
    error = rejection(b'{"title": "Kirkuk", "text": "A bomb went off."}')
    assert (error.code, error.field) == ("missing_field", "body")
    assert error.reason == (
        "field 'body' is missing (the object has 'title', 'text'); "
        "every article needs 'body', a string with the article text"
    )


def test_missing_body_in_an_empty_object() -> None:
    assert rejection(b"{}").reason == (
        "field 'body' is missing (the object is empty); every article needs 'body', a string with the article text"
    )


def test_null_body_is_missing() -> None:
    error = rejection(b'{"body": null}')
    assert (error.code, error.field) == ("missing_field", "body")
    assert error.reason == "field 'body' is null; every article needs 'body', a string with the article text"


@pytest.mark.parametrize(("body", "kind"), [(b"42", "number"), (b"1.5", "number"), (b"true", "boolean"),
                                            (b'["a"]', "array"), (b'{"text": "a"}', "object")])
def test_body_of_the_wrong_type(body: bytes, kind: str) -> None:
    error = rejection(b'{"body": ' + body + b"}")
    assert (error.code, error.field) == ("wrong_type", "body")
    assert error.reason == f"field 'body' must be a string, got {kind}"


def test_empty_body() -> None:
    error = rejection(b'{"body": ""}')
    assert (error.code, error.field) == ("empty_body", "body")
    assert error.reason == "field 'body' is empty; it must contain the article text"


def test_whitespace_only_body() -> None:
    error = rejection(b'{"body": " \\n\\t "}')
    assert (error.code, error.field) == ("empty_body", "body")
    assert error.reason == "field 'body' is only whitespace; it must contain the article text"


@pytest.mark.parametrize("field", ["id", "source", "url", "title", "published", "language", "received_at"])
def test_optional_field_of_the_wrong_type(field: str) -> None:
    error = rejection(orjson.dumps({"body": BODY, field: 7}))
    assert (error.code, error.field) == ("wrong_type", field)
    assert error.reason == f"field '{field}' must be a string or null, got number"


def test_message_over_the_limit_is_rejected_before_it_is_parsed() -> None:
    # Not even JSON: proves the size check comes before decoding.
    error = rejection(b"\xff" * 2_000_000)
    assert (error.code, error.field) == ("too_large", None)
    assert error.reason == (
        "message is 2,000,000 bytes, over the limit of 1,048,576 bytes; articles over the limit are "
        "rejected, not truncated: split the article or raise the limit "
        "(--max-body-bytes of casualty worker and casualty feed, or CASUALTY_MAX_BODY_BYTES)"
    )


def test_size_limit_is_configurable_and_inclusive() -> None:
    raw = orjson.dumps({"id": "x", "body": "b" * 50})
    assert parse_article(raw, max_bytes=len(raw)).body == "b" * 50
    error = rejection(raw, max_bytes=len(raw) - 1)
    assert error.code == "too_large"
    assert error.reason.startswith(f"message is {len(raw)} bytes, over the limit of {len(raw) - 1} bytes;")


def test_body_over_the_limit_is_rejected_counting_utf8_bytes() -> None:
    body = "ب" * 600  # 1200 bytes of UTF-8 in 600 characters
    with pytest.raises(ArticleError) as caught:
        parse_article_obj({"body": body}, max_bytes=1000)
    assert (caught.value.code, caught.value.field) == ("too_large", "body")
    assert caught.value.reason == (
        "field 'body' is 1,200 bytes of UTF-8, over the limit of 1,000 bytes; articles over the limit "
        "are rejected, not truncated: split the article or raise the limit "
        "(--max-body-bytes of casualty worker and casualty feed, or CASUALTY_MAX_BODY_BYTES)"
    )
    assert parse_article_obj({"id": "x", "body": "ب" * 500}, max_bytes=1000).body == "ب" * 500


def test_bad_published_date() -> None:
    error = rejection(orjson.dumps({"body": BODY, "published": "Wed, 14 Mar 2007 09:30:00 GMT"}))
    assert (error.code, error.field) == ("invalid_value", "published")
    assert error.reason == (
        "field 'published' must be an ISO-8601 date or datetime such as 2007-03-14 or "
        "2007-03-14T09:30:00Z, or null, got 'Wed, 14 Mar 2007 09:30:00 GMT'"
    )


def test_impossible_published_date_and_long_values_are_shortened_in_the_reason() -> None:
    assert rejection(orjson.dumps({"body": BODY, "published": "2007-02-30"})).code == "invalid_value"
    error = rejection(orjson.dumps({"body": BODY, "published": "x" * 500}))
    assert error.reason.endswith("got '" + "x" * 60 + "'...")


def test_bad_received_at() -> None:
    error = rejection(orjson.dumps({"body": BODY, "received_at": "yesterday"}))
    assert (error.code, error.field) == ("invalid_value", "received_at")
    assert error.reason == (
        "field 'received_at' must be an ISO-8601 datetime such as 2007-03-14T09:30:00Z, got 'yesterday'"
    )


def test_empty_id_is_invalid_rather_than_silently_replaced() -> None:
    error = rejection(b'{"id": "", "body": "x"}')
    assert (error.code, error.field) == ("invalid_value", "id")
    assert error.reason == (
        "field 'id' must be a non-empty string, got an empty string; "
        "omit 'id' to have it derived from the url or the content"
    )


def test_empty_language_is_invalid() -> None:
    error = rejection(b'{"language": "", "body": "x"}')
    assert (error.code, error.field, error.reason) == (
        "invalid_value", "language", "field 'language' must be a language tag such as 'en', got ''"
    )


# ---- the decoded-object variant and the error object ----------------------------------------------

def test_parse_article_obj_accepts_a_dict_and_applies_the_same_rules() -> None:
    article = parse_article_obj({"source": "S", "title": "T", "body": BODY, "extra": 1}, now=fixed_clock)
    assert article.id == derive_article_id(url=None, source="S", title="T", body=BODY)
    assert article.received_at == "2007-03-14T09:30:00.123Z"
    with pytest.raises(ArticleError) as caught:
        parse_article_obj(["not", "a", "dict"])
    assert caught.value.code == "not_an_object"


def test_article_error_is_a_value_error_whose_message_is_the_reason_and_it_pickles() -> None:
    error = ArticleError("wrong_type", "field 'body' must be a string, got number", "body")
    assert isinstance(error, ValueError)
    assert str(error) == "field 'body' must be a string, got number"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.reason, copy.field) == (error.code, error.reason, error.field)
