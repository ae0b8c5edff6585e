"""Event records: the one source of truth for every message on our topics.

Each record is a pydantic model, so the same class validates inbound data, serialises
outbound data (with orjson, see :mod:`schemas.codec`) and generates the published JSON
Schema (see :mod:`schemas.jsonschema`). Unknown fields are ignored on input, so producers
may add fields within a major version without breaking consumers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"
"""Version of the incident contract. Minor bumps add optional fields only."""

Precision = Literal["site", "neighbourhood", "city", "district", "region", "country", "unknown"]
VictimCategory = Literal["civilian", "security", "militant", "militia", "unknown", "mixed"]
GroupCategory = Literal["civilian", "security", "militant", "militia", "unknown"]
Method = Literal[
    "ied",
    "car_bomb",
    "suicide_bombing",
    "airstrike",
    "shelling",
    "gunfire",
    "armed_clash",
    "execution",
    "sniper",
    "bodies_found",
    "other",
    "unknown",
]
Perpetrator = Literal[
    "militants",
    "security_forces",
    "militia",
    "coalition",
    "foreign_military",
    "gunmen",
    "unknown",
]
ErrorCode = Literal[
    "invalid_json",
    "not_an_object",
    "missing_field",
    "wrong_type",
    "empty_body",
    "too_large",
    "not_utf8",
    "invalid_value",
    "unknown_place",
    "extraction_failed",
]


class _Record(BaseModel):
    """Base of every record: ignore unknown fields (forward compatible), forbid mutation surprises."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Article(_Record):
    """A news-wire article as it travels on the ``articles`` topic (key = ``id``)."""

    id: str = Field(description="Article id; derived from url or content when absent on input.")
    source: str | None = Field(default=None, description="Outlet or wire name.")
    url: str | None = None
    title: str | None = None
    published: str | None = Field(default=None, description="ISO-8601 date or datetime, or null.")
    body: str = Field(min_length=1, description="The article text, non-empty.")
    language: str = "en"
    received_at: str | None = Field(default=None, description="ISO-8601 UTC time the feed sent it.")


class Location(_Record):
    """Where an incident happened, resolved against the gazetteer."""

    name: str | None = Field(default=None, description="The place as written in the text.")
    place: str | None = Field(default=None, description="Normalised place name.")
    city: str | None = None
    region: str | None = Field(default=None, description="First-level division name.")
    region_code: str | None = Field(default=None, description="ISO 3166-2 code, e.g. IQ-NI.")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code.")
    lat: float | None = None
    lon: float | None = None
    precision: Precision = "unknown"


class VictimGroup(_Record):
    """One victim group of an incident."""

    category: GroupCategory = "unknown"
    killed: int = Field(default=0, ge=0)
    wounded: int = Field(default=0, ge=0)


class Evidence(_Record):
    """The sentence an incident was read from, with character offsets into the article body."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class ExtractorInfo(_Record):
    """Which extractor produced a record."""

    name: str
    version: str


class Incident(_Record):
    """One violent event at one place (topic ``incidents``, key = region code or ``unknown``)."""

    schema_version: str = SCHEMA_VERSION
    incident_id: str = Field(description="Deterministic: same article, same ids.")
    article_id: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    event_date: str | None = Field(default=None, description="YYYY-MM-DD of the event, when known.")
    location: Location = Field(default_factory=Location)
    killed: int = Field(default=0, ge=0, description="Best estimate: stated numbers only.")
    wounded: int = Field(default=0, ge=0)
    killed_min: int = Field(default=0, ge=0)
    killed_max: int | None = Field(default=None, ge=0)
    wounded_min: int = Field(default=0, ge=0)
    wounded_max: int | None = Field(default=None, ge=0)
    victim_category: VictimCategory = "unknown"
    victims: list[VictimGroup] = Field(default_factory=list)
    vague: dict[str, str] | None = Field(
        default=None, description='Approximate words behind min/max, e.g. {"killed": "dozens"}.'
    )
    method: Method = "unknown"
    perpetrator: Perpetrator = "unknown"
    evidence: Evidence
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    extractor: ExtractorInfo


class ArticleSummary(_Record):
    """Per-article check of extracted against stated totals (topic ``article-summaries``)."""

    schema_version: str = SCHEMA_VERSION
    article_id: str
    stated_killed: int | None = None
    stated_wounded: int | None = None
    stated_phrase: str | None = None
    extracted_killed: int = 0
    extracted_wounded: int = 0
    incident_count: int = 0
    reconciled: bool | None = Field(default=None, description="null when nothing was stated.")
    gap_killed: int | None = Field(default=None, description="stated minus extracted.")
    gap_wounded: int | None = None


class RegionTally(_Record):
    """Running casualty table row (topic ``casualty-tallies``, compacted, key = region|window)."""

    schema_version: str = SCHEMA_VERSION
    region_code: str
    region: str | None = None
    window: str = Field(default="all", description='"all" or a YYYY-MM-DD date.')
    killed: int = 0
    wounded: int = 0
    incidents: int = 0
    by_victim_category: dict[str, dict[str, int]] = Field(default_factory=dict)
    by_method: dict[str, dict[str, int]] = Field(default_factory=dict)
    first_event_date: str | None = None
    last_event_date: str | None = None
    updated_at: str | None = None


class DeadLetter(_Record):
    """A message we could not process (topic ``articles.DLT``)."""

    schema_version: str = SCHEMA_VERSION
    original: str = Field(description="Original value: text when UTF-8, else base64.")
    original_base64: bool = False
    original_topic: str | None = None
    original_partition: int | None = None
    original_offset: int | None = None
    original_timestamp: int | None = Field(default=None, description="Kafka timestamp, ms.")
    error_code: ErrorCode
    reason: str
    occurred_at: str
