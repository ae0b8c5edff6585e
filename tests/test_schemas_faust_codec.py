"""streams.worker.faust_codec: the "orjson" Faust codec is registered and round-trips records and dicts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import faust
import orjson
import pytest
from faust.serializers import codecs

import streams.worker.faust_codec
from schemas.codec import dumps as record_dumps
from schemas.records import ArticleSummary


class Tally(faust.Record, serializer="orjson", isodates=True):
    region_code: str
    killed: int
    updated_at: datetime | None = None


def test_codec_is_registered_under_orjson() -> None:
    assert isinstance(codecs.get_codec("orjson"), streams.worker.faust_codec.OrjsonCodec)


def test_dict_round_trips_with_nulls_and_unicode() -> None:
    value = {"region_code": "IQ-NI", "region": "نينوى", "killed": 4, "last": None, "lat": 36.335}
    data = codecs.dumps("orjson", value)
    assert data == orjson.dumps(value)
    assert codecs.loads("orjson", data) == value


def test_faust_record_round_trips_through_the_codec() -> None:
    tally = Tally(region_code="IQ-NI", killed=4, updated_at=datetime(2007, 3, 14, 10, 0, tzinfo=UTC))
    data = tally.dumps()
    decoded = orjson.loads(data)
    assert decoded["region_code"] == "IQ-NI"
    assert decoded["killed"] == 4
    assert decoded["updated_at"] == "2007-03-14T10:00:00Z"
    again = Tally.loads(data)
    assert (again.region_code, again.killed) == ("IQ-NI", 4)
    assert again.updated_at == datetime(2007, 3, 14, 10, 0, tzinfo=UTC)


def test_pydantic_record_is_written_like_schemas_codec() -> None:
    summary = ArticleSummary(article_id="a-1", stated_killed=4)
    assert codecs.dumps("orjson", summary) == record_dumps(summary)


def test_non_string_keys_decimals_and_sets_are_written_as_json() -> None:
    data = codecs.dumps("orjson", {1: Decimal("2.50"), "s": frozenset({"x"})})
    assert orjson.loads(data) == {"1": "2.50", "s": ["x"]}


def test_unserialisable_value_raises_type_error_naming_the_type() -> None:
    with pytest.raises(TypeError, match="not JSON serializable: object"):
        codecs.dumps("orjson", {"x": object()})
