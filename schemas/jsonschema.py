"""JSON Schemas of the records, generated from :mod:`schemas.records` (the code is the source of truth).

Each schema is JSON Schema 2020-12 as pydantic writes it, plus ``$schema``, ``$id``, ``title`` and
``version`` (the contract version, :data:`schemas.records.SCHEMA_VERSION`). The schemas use only
keywords that mean the same in draft-07, so AsyncAPI tooling (whose default schema format is a
draft-07 superset) reads them too. They leave ``additionalProperties`` open: consumers must
ignore fields they do not know, because minor versions add fields.

``casualty schemas generate`` writes them to ``schemas/json/<stem>.schema.json``.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from schemas.records import (
    SCHEMA_VERSION,
    Article,
    ArticleSummary,
    DeadLetter,
    Event,
    Incident,
    RegionTally,
)

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

RECORDS: dict[str, type[BaseModel]] = {
    "article": Article,
    "incident": Incident,
    "article_summary": ArticleSummary,
    "region_tally": RegionTally,
    "dead_letter": DeadLetter,
    "event": Event,
}
"""File stem -> record class, for every record published on a topic."""

STEMS: dict[str, str] = {model.__name__: stem for stem, model in RECORDS.items()}
"""Record class name (as in :class:`schemas.topics.TopicSpec`) -> file stem."""


def schema_id(stem: str) -> str:
    """The ``$id`` of a record schema: a URN that names the record and the contract's major version."""
    major = SCHEMA_VERSION.split(".")[0]
    return f"urn:casualty-stream:schema:{stem}:v{major}"


def schema_file_name(stem: str) -> str:
    """File name of a record schema, e.g. ``incident.schema.json``."""
    return f"{stem}.schema.json"


def record_schema(stem: str) -> dict[str, Any]:
    """Build the published JSON Schema of the record filed under ``stem``."""
    model = RECORDS[stem]
    schema = model.model_json_schema()
    if model is Article:
        # Producers may leave the id out: the worker derives it (see the field's description).
        schema["required"] = [name for name in schema.get("required", []) if name != "id"]
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = schema_id(stem)
    schema["title"] = model.__name__
    schema["version"] = SCHEMA_VERSION
    return schema


def render(document: dict[str, Any]) -> str:
    """Serialise a schema deterministically: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def record_schema_files() -> dict[str, str]:
    """Relative path -> content of every record schema file, e.g. ``json/article.schema.json``."""
    return {f"json/{schema_file_name(stem)}": render(record_schema(stem)) for stem in RECORDS}
