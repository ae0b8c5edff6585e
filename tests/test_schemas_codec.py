"""schemas.codec: every record survives dumps/loads, and the bytes are exactly orjson's."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from schemas.codec import dumps, loads
from schemas.records import (
    Article,
    ArticleSummary,
    DeadLetter,
    Event,
    EventSource,
    Evidence,
    ExtractorInfo,
    Incident,
    Location,
    RegionTally,
    VictimGroup,
)

FULL_RECORDS: list[BaseModel] = [
    Article(
        id="a-1", source="Example Wire", url="https://news.example.org/a-1", title="Mosul blast",
        published="2007-03-14T09:30:00Z", body="A bomb killed four people in Mosul.\nOne more line.",
        language="en", received_at="2007-03-14T10:00:00.000Z",
    ),
    Incident(
        incident_id="a-1:0", article_id="a-1", source="Example Wire", url=None, published="2007-03-14",
        event_date="2007-03-14",
        location=Location(
            name="eastern Mosul", place="Mosul", city="Mosul", region="Nineveh", region_code="IQ-NI",
            country="IQ", lat=36.335, lon=43.119, precision="neighbourhood",
        ),
        killed=4, wounded=11, killed_min=4, killed_max=None, wounded_min=11, wounded_max=20,
        victim_category="mixed",
        victims=[VictimGroup(category="civilian", killed=3, wounded=11),
                 VictimGroup(category="security", killed=1, wounded=0)],
        vague={"wounded": "more than"}, method="car_bomb", perpetrator="militants",
        evidence=Evidence(text="A bomb killed four people in Mosul.", start=0, end=35),
        confidence=0.85, extractor=ExtractorInfo(name="rules", version="0.1.0"),
    ),
    ArticleSummary(
        article_id="a-1", stated_killed=4, stated_wounded=None, stated_phrase="4 Iraqis killed",
        extracted_killed=4, extracted_wounded=11, incident_count=1, reconciled=True, gap_killed=0,
        gap_wounded=None,
    ),
    RegionTally(
        region_code="IQ-NI", region="Nineveh", window="2007-03-14", killed=4, wounded=11, incidents=1,
        by_victim_category={"civilian": {"killed": 3, "wounded": 11}},
        by_method={"car_bomb": {"killed": 4, "wounded": 11}},
        first_event_date="2007-03-14", last_event_date="2007-03-14", updated_at="2007-03-14T10:00:01Z",
    ),
    DeadLetter(
        original="//4=", original_base64=True, original_truncated=False, original_size=2,
        original_topic="articles", original_partition=0, original_offset=7, original_timestamp=1,
        error_code="not_utf8", error_field=None, reason="message is not valid UTF-8", occurred_at="x",
    ),
    Event(
        event_id="ev-1", version=2, event_date="2007-03-14",
        location=Location(name="Mosul", place="Mosul", city="Mosul", region="Nineveh", region_code="IQ-NI",
                          country="IQ", lat=36.34, lon=43.13, precision="city"),
        killed=6, wounded=11, killed_min=4, killed_max=6, wounded_min=11, wounded_max=11, method="car_bomb",
        perpetrator="militants", victim_category="civilian", victim_categories=["civilian"],
        sources=[
            EventSource(article_id="a-1", incident_id="a-1:0", source="Example Wire", published="2007-03-14",
                        event_date="2007-03-14", killed=4, wounded=11, killed_min=4, killed_max=4,
                        wounded_min=11, wounded_max=11, evidence="A bomb killed four people in Mosul."),
            EventSource(article_id="b-1", incident_id="b-1:0", source="Other Wire", published="2007-03-15",
                        event_date="2007-03-14", killed=6, wounded=0, killed_min=6, killed_max=None,
                        evidence="Six people died in the Mosul car bombing.", match_score=7.5,
                        match_evidence=["same_named_day", "same_city", "same_method"]),
        ],
        first_published="2007-03-14", last_published="2007-03-15",
    ),
]

MINIMAL_RECORDS: list[BaseModel] = [
    Article(id="a", body="b"),
    Incident(incident_id="i", article_id="a", evidence=Evidence(text="t", start=0, end=1),
             extractor=ExtractorInfo(name="n", version="v")),
    ArticleSummary(article_id="a"),
    RegionTally(region_code="unknown"),
    DeadLetter(original="", error_code="invalid_json", reason="r", occurred_at="t"),
    Event(event_id="e", version=1),
]


@pytest.mark.parametrize("record", FULL_RECORDS + MINIMAL_RECORDS, ids=lambda r: type(r).__name__)
def test_every_record_round_trips(record: BaseModel) -> None:
    data = dumps(record)
    assert isinstance(data, bytes)
    assert loads(type(record), data) == record


@pytest.mark.parametrize("record", FULL_RECORDS + MINIMAL_RECORDS, ids=lambda r: type(r).__name__)
def test_bytes_are_exactly_what_orjson_writes_from_the_json_dump(record: BaseModel) -> None:
    assert dumps(record) == orjson.dumps(record.model_dump(mode="json"))


def test_none_is_written_as_null_and_no_field_is_left_out() -> None:
    decoded = orjson.loads(dumps(ArticleSummary(article_id="a")))
    assert decoded == {
        "schema_version": "1.4", "article_id": "a", "stated_killed": None, "stated_wounded": None,
        "stated_phrase": None, "extracted_killed": 0, "extracted_wounded": 0, "incident_count": 0,
        "reconciled": None, "gap_killed": None, "gap_wounded": None, "headline_killed": None,
        "headline_wounded": None, "suspect_killed": 0, "suspect_wounded": 0, "suspect": [], "not_counted": [],
    }


def test_non_ascii_text_is_written_as_utf8_not_escaped() -> None:
    data = dumps(Article(id="a", body="Tall ʿAfar تلعفر"))
    assert "Tall ʿAfar تلعفر".encode() in data


def test_loads_ignores_unknown_fields_so_newer_producers_do_not_break_us() -> None:
    data = b'{"article_id": "a", "added_in_1_1": {"x": 1}}'
    assert loads(ArticleSummary, data) == ArticleSummary(article_id="a")


def test_loads_rejects_a_record_that_breaks_the_contract() -> None:
    with pytest.raises(ValidationError, match="killed"):
        loads(RegionTally, b'{"region_code": "IQ-NI", "killed": "many"}')


text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@given(name=text, lat=st.floats(allow_nan=False, allow_infinity=False), confidence=st.floats(0, 1))
def test_strings_and_floats_round_trip_and_match_orjson(name: str, lat: float, confidence: float) -> None:
    incident = Incident(
        incident_id=name or "i", article_id="a", location=Location(name=name, lat=lat),
        evidence=Evidence(text=name, start=0, end=len(name)), confidence=confidence,
        extractor=ExtractorInfo(name="n", version="v"),
    )
    data = dumps(incident)
    assert data == orjson.dumps(incident.model_dump(mode="json"))
    assert loads(Incident, data) == incident
