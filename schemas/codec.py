"""Bytes in, records out: the wire format of every record on our topics.

The wire format is compact UTF-8 JSON exactly as :func:`orjson.dumps` writes the record's
``model_dump(mode="json")``: every field is present, ``None`` is written as ``null``, non-ASCII
text is written as is. :func:`dumps` gets those same bytes straight from pydantic-core's
serializer, which skips building the intermediate dict and measured about 1.7x faster (3.3 us
against 5.8 us for a full Incident); ``tests/test_schemas_codec.py`` checks the bytes are
identical to the orjson route.

Untrusted inbound articles go through :func:`schemas.validation.parse_article` instead, which
turns every problem into a precise, dead-letterable error.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

R = TypeVar("R", bound=BaseModel)


def dumps(record: BaseModel) -> bytes:
    """Serialise ``record`` to compact JSON bytes, every field included (``None`` as ``null``)."""
    return record.__pydantic_serializer__.to_json(record)


def loads(record_type: type[R], data: bytes | bytearray | str) -> R:
    """Parse JSON ``data`` into a ``record_type`` instance; unknown fields are ignored.

    Raises :class:`pydantic.ValidationError` when ``data`` is not JSON or does not fit the record.
    """
    return record_type.model_validate_json(data)
