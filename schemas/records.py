"""Event records: the one source of truth for every message on our topics.

Each record is a pydantic model, so the same class validates inbound data, serialises
outbound data (with orjson, see :mod:`schemas.codec`) and generates the published JSON
Schema (see :mod:`schemas.jsonschema`). Unknown fields are ignored on input, so producers
may add fields within a major version without breaking consumers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.vocabularies import (
    ERROR_CODES,
    METHODS,
    PERPETRATORS,
    PRECISIONS,
    VICTIM_CATEGORIES,
    describe,
)

SCHEMA_VERSION = "1.4"
"""Version of the record contracts. Minor bumps add optional fields, records and topics only (1.1:
incident ``status``, ``status_reason``, ``time_cue``, ``approximate``; summary headline, suspect and
not-counted figures. 1.2: the Event record and the ``events`` topic. 1.3: tally ``suspect_killed``,
``suspect_wounded``, ``suspect_incidents``. 1.4: tallies count events: ``killed``/``wounded`` are the
sums of the events' resolved figures and ``incidents`` the number of events, the same fields)."""

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
Status = Literal["counted", "suspect"]
Scope = Literal["event", "cumulative", "earlier", "retrospective", "restated", "other_scope", "report_total",
                "not_casualty"]
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
    """A news-wire article as it travels on the ``articles`` topic (key = ``id``).

    Producers may omit ``id`` and ``received_at``: the worker derives the id and stamps the time
    when it validates the message (``schemas.validation.parse_article``); messages it rejects go to
    ``articles.DLT`` with an error code.
    """

    id: str = Field(
        min_length=1,
        description="Article id. Optional on input: when absent it is the sha256 hex digest of `url`, "
        'or, without a url, of `source + "\\n" + title + "\\n" + body` (missing parts as "").',
    )
    source: str | None = Field(default=None, description="Outlet or wire name.")
    url: str | None = Field(default=None, description="Where the article was published.")
    title: str | None = None
    published: str | None = Field(
        default=None, description="Publication time: ISO-8601 date or datetime, or null. Kept as sent."
    )
    body: str = Field(
        min_length=1, pattern=r"\S", description="The article text: non-empty, not only whitespace."
    )
    language: str = Field(default="en", description="Language tag of the text, e.g. en.")
    received_at: str | None = Field(
        default=None, description="ISO-8601 UTC time the article entered the system (set when absent)."
    )


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
    precision: Precision = Field(default="unknown", description=describe(PRECISIONS))


class VictimGroup(_Record):
    """One victim group of an incident."""

    category: GroupCategory = Field(
        default="unknown", description="Victim category; never `mixed`. See Incident.victim_category."
    )
    killed: int = Field(default=0, ge=0)
    wounded: int = Field(default=0, ge=0)


class Evidence(_Record):
    """The sentence an incident was read from, with character offsets into the article body."""

    text: str = Field(description="The sentence (or part of it) that reports the incident.")
    start: int = Field(ge=0, description="Offset of the first character of `text` in the article body.")
    end: int = Field(ge=0, description="Offset just past the last character (Python slice end).")


class ExtractorInfo(_Record):
    """Which extractor produced a record."""

    name: str
    version: str


class Incident(_Record):
    """One violent event at one place (topic ``incidents``, key = region code or ``unknown``)."""

    schema_version: str = SCHEMA_VERSION
    incident_id: str = Field(min_length=1, description="Deterministic: same article, same ids.")
    article_id: str = Field(min_length=1)
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
    victim_category: VictimCategory = Field(default="unknown", description=describe(VICTIM_CATEGORIES))
    victims: list[VictimGroup] = Field(
        default_factory=list, description="Breakdown by victim group when the event has several."
    )
    vague: dict[str, str] | None = Field(
        default=None, description='Approximate words behind min/max, e.g. {"killed": "dozens"}.'
    )
    method: Method = Field(
        default="unknown",
        description=describe(METHODS) + " ACLED sub-event mapping: see schemas/README.md.",
    )
    perpetrator: Perpetrator = Field(default="unknown", description=describe(PERPETRATORS))
    evidence: Evidence
    confidence: float = Field(default=0.5, ge=0.0, le=1.0, description="How sure the extractor is, 0-1.")
    extractor: ExtractorInfo
    status: Status = Field(
        default="counted",
        description="`counted`: in the running tables. `suspect`: failed the article's self-check against its own "
        "stated or headline total (see `status_reason`); published, but left out of the tables unless the worker "
        "runs with `--count-suspect`.",
    )
    status_reason: str | None = Field(default=None, description="Why the incident is suspect, for a person.")
    time_cue: str | None = Field(
        default=None, description='The words that date the event ("yesterday", "on Sunday"), when the text has them.'
    )
    approximate: dict[str, str] | None = Field(
        default=None,
        description='Qualifiers of a stated figure, e.g. {"killed": "more than"} for "more than 40" (killed 40, '
        "killed_min 40, killed_max null).",
    )


class SuspectFigure(_Record):
    """An incident the article's self-check held back from the tables."""

    incident_id: str
    killed: int = 0
    wounded: int = 0
    reason: str


class UncountedFigure(_Record):
    """A casualty figure the text states that is not an incident of the report's period."""

    killed: int = 0
    wounded: int = 0
    scope: Scope = Field(description="Why it is not counted: a cumulative toll, an earlier event, old victims "
                                     "(retrospective), not a violent casualty...")
    cue: str = Field(default="", description="The words that decided the scope.")
    text: str = Field(description="The sentence.")


class ArticleSummary(_Record):
    """Per-article check of extracted against stated totals (topic ``article-summaries``)."""

    schema_version: str = SCHEMA_VERSION
    article_id: str = Field(min_length=1)
    stated_killed: int | None = None
    stated_wounded: int | None = None
    stated_phrase: str | None = None
    extracted_killed: int = Field(default=0, description="Killed in counted incidents.")
    extracted_wounded: int = 0
    incident_count: int = Field(default=0, description="Incidents published, counted and suspect.")
    reconciled: bool | None = Field(default=None, description="null when nothing was stated.")
    gap_killed: int | None = Field(default=None, description="stated minus extracted.")
    gap_wounded: int | None = None
    headline_killed: int | None = Field(default=None, description="The toll the article's title states, if any.")
    headline_wounded: int | None = None
    suspect_killed: int = Field(default=0, description="Killed in suspect incidents (not in `extracted_killed`).")
    suspect_wounded: int = 0
    suspect: list[SuspectFigure] = Field(default_factory=list, description="Incidents held back by the self-check.")
    not_counted: list[UncountedFigure] = Field(
        default_factory=list, description="Figures the text states that are not the report's own incidents."
    )


class RegionTally(_Record):
    """Running casualty table row (topic ``casualty-tallies``, compacted, key = region|window).

    Since 1.4 a row counts **events**: each event once, at its resolved figures (topic ``events``),
    however many reports it has; ``incidents`` is the number of events with killed or wounded.
    Suspect figures stay per incident.
    """

    schema_version: str = SCHEMA_VERSION
    region_code: str = Field(min_length=1, description="ISO 3166-2 code, or `unknown`.")
    region: str | None = None
    window: str = Field(default="all", description='"all" or a YYYY-MM-DD date.')
    killed: int = Field(default=0, description="Sum of the resolved killed of the row's events.")
    wounded: int = 0
    incidents: int = Field(default=0, description="Events counted (with killed or wounded); the field keeps its "
                           "name from 1.0, when rows counted incidents.")
    by_victim_category: dict[str, dict[str, int]] = Field(default_factory=dict)
    by_method: dict[str, dict[str, int]] = Field(default_factory=dict)
    first_event_date: str | None = None
    last_event_date: str | None = None
    updated_at: str | None = None
    suspect_killed: int = Field(
        default=0, description="Killed in this row's suspect incidents (held back by the article's self-check). "
        "Not in `killed` unless the worker counts suspect incidents (`--count-suspect`), in which case they are "
        "in both.")
    suspect_wounded: int = 0
    suspect_incidents: int = 0


class EventSource(_Record):
    """One report of an event: an incident of one article, with the figures that article gave."""

    article_id: str = Field(min_length=1)
    incident_id: str = Field(min_length=1)
    source: str | None = Field(default=None, description="Outlet or wire name.")
    published: str | None = None
    url: str | None = None
    event_date: str | None = Field(default=None, description="YYYY-MM-DD this report gives for the event.")
    killed: int = Field(default=0, ge=0)
    wounded: int = Field(default=0, ge=0)
    killed_min: int = Field(default=0, ge=0)
    killed_max: int | None = Field(default=None, ge=0, description="null when open-ended.")
    wounded_min: int = Field(default=0, ge=0)
    wounded_max: int | None = Field(default=None, ge=0)
    evidence: str = Field(default="", description="The sentence the incident was read from.")
    match_score: float | None = Field(
        default=None, description="Score with which this report joined the event; null for the first report."
    )
    match_evidence: list[str] = Field(
        default_factory=list, description="The evidence behind match_score (streams/events/README.md)."
    )


class Event(_Record):
    """One real event resolved from every report of it (topic ``events``, compacted, key = event_id).

    ``killed``/``wounded`` are the best estimate: each outlet's latest report, then the highest
    figure across outlets; a later report raises the figure, it never adds to it. The ranges are
    the lowest and highest figures among those latest reports (an open-ended report bounds the
    range with its own figure).
    """

    schema_version: str = SCHEMA_VERSION
    event_id: str = Field(min_length=1, description="Stable: derived from the first report's incident id.")
    version: int = Field(ge=1, description="1 when created, +1 at every change; the latest version wins.")
    event_date: str | None = Field(default=None, description="YYYY-MM-DD of the event, when known.")
    location: Location = Field(default_factory=Location, description="The most precise place reported.")
    killed: int = Field(default=0, ge=0)
    wounded: int = Field(default=0, ge=0)
    killed_min: int = Field(default=0, ge=0)
    killed_max: int = Field(default=0, ge=0)
    wounded_min: int = Field(default=0, ge=0)
    wounded_max: int = Field(default=0, ge=0)
    method: Method = Field(default="unknown", description="The method most reports give.")
    perpetrator: Perpetrator = "unknown"
    victim_category: VictimCategory = Field(
        default="unknown", description="One category, `mixed` when reports name several."
    )
    victim_categories: list[GroupCategory] = Field(
        default_factory=list, description="Every victim group any report names, sorted."
    )
    sources: list[EventSource] = Field(default_factory=list, description="Every report, in arrival order.")
    first_published: str | None = None
    last_published: str | None = None


class DeadLetter(_Record):
    """A message we could not process (topic ``articles.DLT``); built by :mod:`schemas.deadletter`."""

    schema_version: str = SCHEMA_VERSION
    original: str = Field(description="Original value: text when UTF-8, else base64.")
    original_base64: bool = Field(default=False, description="True when `original` is base64.")
    original_truncated: bool = Field(
        default=False,
        description="True when `original` holds only the first 64 KiB of a message over 512 KiB "
        "(e.g. too_large); the full message stays at original_topic/partition/offset.",
    )
    original_size: int | None = Field(default=None, ge=0, description="Size of the full original, bytes.")
    original_topic: str | None = None
    original_partition: int | None = None
    original_offset: int | None = None
    original_timestamp: int | None = Field(default=None, description="Kafka timestamp, ms.")
    error_code: ErrorCode = Field(description=describe(ERROR_CODES))
    error_field: str | None = Field(default=None, description="The input field at fault, when one is.")
    reason: str = Field(description="What was wrong and what was expected, for a person to act on.")
    occurred_at: str = Field(description="ISO-8601 UTC time the message was dead-lettered.")
