"""The ``orjson`` codec for Faust: fast JSON for topic keys, values and table changelogs.

Importing this module registers the codec under the name ``"orjson"`` (its only side effect), so
``app.topic("incidents", value_serializer="orjson")`` or ``class X(faust.Record,
serializer="orjson")`` work once it has been imported. Values may be plain JSON types, Faust
records, our pydantic records (written exactly as :func:`schemas.codec.dumps` writes them),
dates and datetimes (ISO-8601, UTC as ``Z``), decimals and sets; mapping keys that are not
strings (e.g. ints in a table) are written as strings, as JSON requires.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from faust.serializers import codecs
from pydantic import BaseModel

CODEC_NAME = "orjson"
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z


def _default(obj: Any) -> Any:
    """Convert what orjson cannot write natively; raise TypeError for anything else."""
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    to_json = getattr(obj, "__json__", None)  # faust.Record and other Faust models
    if to_json is not None:
        return to_json()
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, set | frozenset):
        return list(obj)
    raise TypeError(f"orjson codec cannot serialise {type(obj).__name__!r}")


class OrjsonCodec(codecs.Codec):
    """Faust codec writing and reading JSON with :mod:`orjson`."""

    def _dumps(self, obj: Any) -> bytes:
        return orjson.dumps(obj, default=_default, option=_OPTIONS)

    def _loads(self, s: bytes) -> Any:
        return orjson.loads(s)


codecs.register(CODEC_NAME, OrjsonCodec())
