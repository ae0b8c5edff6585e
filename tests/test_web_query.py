"""The web API's filters and summaries (streams.web.query), without a broker."""

from __future__ import annotations

from typing import Any

import pytest

from streams.regions import UnknownRegion, display_name, normalise_code
from streams.web.export import INCIDENT_COLUMNS, incident_line, region_line, to_csv
from streams.web.query import Query, QueryError, matches, parse_query, select, summarise, summarise_tables
from streams.worker.tally import apply_incident, event_day, region_key, tallied


def incident(n: int, code: str | None, day: str | None, killed: int, wounded: int = 0, **fields: Any) -> dict[str, Any]:
    country = code.split("-")[0] if code else None
    return {
        "incident_id": f"i{n}", "article_id": f"a{n}", "source": fields.pop("source", "Example Wire"),
        "event_date": day, "published": None,
        "location": {"region_code": code, "country": country, "place": f"place {n}", "lat": 33.0, "lon": 44.0},
        "killed": killed, "wounded": wounded, "killed_min": killed, "killed_max": killed,
        "wounded_min": wounded, "wounded_max": wounded, "victim_category": fields.pop("victim", "civilian"),
        "victims": [], "method": fields.pop("method", "ied"), "status": fields.pop("status", "counted"),
        "evidence": {"text": f"sentence {n}", "start": 0, "end": 10}, **fields,
    }


INCIDENTS = [
    incident(1, "IQ-BG", "2026-02-28", 3, 1),
    incident(2, "IQ-BG", "2026-03-01", 5, 2, method="car_bomb", source="Other Wire"),
    incident(3, "IQ-NI", "2026-03-02", 2, 0, victim="security"),
    incident(4, "IQ-NI", None, 4, 0),  # undated
    incident(5, "SY-HL", "2026-03-01", 6, 0, method="shelling"),
    incident(6, "IQ-BG", "2026-03-01", 800, 0, status="suspect"),
    incident(7, None, "2026-03-01", 1, 0),
    incident(8, "IQ-DI", "2026-03-01", 0, 0, killed_min=24, killed_max=99, vague={"killed": "dozens"}),
]


def ids(query: Query) -> list[str]:
    return [i["incident_id"] for i in select(INCIDENTS, query)]


def test_since_given_as_a_datetime_keeps_that_whole_day() -> None:
    assert ids(parse_query({"since": "2026-03-01T00:00:00Z"})) == ["i2", "i3", "i5", "i6", "i7", "i8"]
    assert ids(parse_query({"since": "2026-03-01"})) == ids(parse_query({"since": "2026-03-01T23:59:00+00:00"}))


def test_until_is_inclusive_and_undated_incidents_need_no_date_filter() -> None:
    assert ids(parse_query({"until": "2026-02-28"})) == ["i1"]
    assert "i4" in ids(Query(limit=100)) and "i4" not in ids(parse_query({"since": "2000-01-01"}))


@pytest.mark.parametrize(("params", "reason"), [
    ({"since": "yesterday"}, "since must be an ISO-8601 date or datetime (e.g. 2026-03-01 or 2026-03-01T00:00:00Z), "
                             "got 'yesterday'"),
    ({"limit": "ten"}, "limit must be an integer, got 'ten'"),
    ({"limit": "0"}, "limit must be from 1 to 5000, got 0"),
    ({"regoin": "IQ-BG"}, "unknown parameter 'regoin'; known: country, region, since, until, method, victim, source, "
                          "min_killed, status, limit"),
    ({"method": "laser"}, "method must be one or more of ied, car_bomb, suicide_bombing, airstrike, shelling, "
                          "gunfire, armed_clash, execution, sniper, bodies_found, other, unknown (comma-separated), "
                          "got 'laser'"),
    ({"region": "XX-YY"}, "region: unknown region 'XX-YY': expected an ISO 3166-2 code such as IQ-BG, or 'unknown'"),
    ({"min_killed": "-1"}, "min_killed must be at least 0, got -1"),
    ({"since": "2026-03-02", "until": "2026-03-01"}, "since (2026-03-02) is after until (2026-03-01)"),
    ({"country": "Iraq"}, "country must be an ISO 3166-1 alpha-2 code such as IQ, got 'Iraq'"),
])
def test_unusable_parameters_are_refused_with_a_reason(params: dict[str, str], reason: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(params)
    assert str(caught.value) == reason


def test_method_source_min_killed_victim_and_status_filters() -> None:
    assert ids(parse_query({"method": "car_bomb,shelling"})) == ["i2", "i5"]
    assert ids(parse_query({"source": "other wire"})) == ["i2"]
    assert ids(parse_query({"min_killed": "5"})) == ["i2", "i5", "i6"]
    assert ids(parse_query({"victim": "security"})) == ["i3"]
    assert ids(parse_query({"status": "suspect"})) == ["i6"]
    assert ids(parse_query({"country": "sy"})) == ["i5"]
    assert ids(parse_query({"region": "unknown"})) == ["i7"]


def test_region_codes_are_read_in_any_case() -> None:
    assert ids(parse_query({"region": "iq-ni"})) == ["i3", "i4"]
    assert normalise_code(" iq-bg ") == "IQ-BG" and normalise_code("Unknown") == "unknown"
    with pytest.raises(UnknownRegion, match="unknown region 'iq-zz'"):
        normalise_code("iq-zz")


def test_display_names_are_english_where_known_and_one_function_for_all() -> None:
    assert display_name("IQ-BG", "Baghdād") == "Baghdad"
    assert display_name("SY-HL", "Aleppo") == "Aleppo"
    assert display_name("SY-HL") == "Aleppo"  # the gazetteer's English name before ISO's spelling
    assert display_name("AZ-ORD") == "Ordubad"  # a district the gazetteer lacks: ISO's name
    assert display_name("unknown") is None


def batch_tables(incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the tally agent's tables hold after these incidents (running and daily rows)."""
    running: dict[str, dict[str, Any]] = {}
    daily: dict[str, dict[str, Any]] = {}
    for inc in incidents:
        if not tallied(inc):
            continue
        code = region_key(inc)
        running[code] = apply_incident(running.get(code), inc)
        day = event_day(inc)
        if day:
            daily[f"{code}|{day}"] = apply_incident(daily.get(f"{code}|{day}"), inc, window=day)
    return [*running.values(), *daily.values()]


def test_the_unfiltered_summary_of_the_incidents_equals_the_summary_of_the_tables() -> None:
    from_incidents = summarise(INCIDENTS, Query())
    from_tables = summarise_tables(batch_tables(INCIDENTS), INCIDENTS)
    for key in ("totals", "regions", "countries", "series"):
        assert from_incidents[key] == from_tables[key], key
    assert (from_tables["source"], from_incidents["source"]) == ("tables", "incidents")


def test_summary_totals_series_undated_row_and_suspect_figures() -> None:
    doc = summarise(INCIDENTS, Query())
    assert {k: doc["totals"][k] for k in ("killed", "wounded", "incidents", "suspect_killed")} == {
        "killed": 21, "wounded": 3, "incidents": 6, "suspect_killed": 800}
    baghdad = next(r for r in doc["series"]["regions"] if r["region_code"] == "IQ-BG")
    assert [(p["day"], p["killed"], p["suspect_killed"]) for p in baghdad["daily"]] == [
        ("2026-02-28", 3, 0), ("2026-03-01", 5, 800)]
    nineveh = next(r for r in doc["series"]["regions"] if r["region_code"] == "IQ-NI")
    assert nineveh["undated"] == {"day": "undated", "killed": 4, "wounded": 0, "incidents": 1, "suspect_killed": 0,
                                  "suspect_wounded": 0}
    # the daily rows plus the undated row always add up to the running row
    for series, row in zip(doc["series"]["regions"], doc["regions"], strict=True):
        assert sum(p["killed"] for p in series["daily"]) + series["undated"]["killed"] == row["killed"]
    assert [g["country"] for g in doc["countries"]] == ["IQ", "SY", None]
    assert [g["name"] for g in doc["countries"]] == ["Iraq", "Syria", "Unknown place"]
    # the suspect 800 is not counted, so it is not in the range either
    assert doc["totals"]["vague"] == ["dozens"] and doc["totals"]["killed_max"] == 21 + 99


def test_with_count_suspect_the_summary_counts_the_suspect_incident() -> None:
    doc = summarise(INCIDENTS, Query(), count_suspect=True)
    assert (doc["totals"]["killed"], doc["totals"]["suspect_killed"]) == (821, 800)


def test_a_filtered_summary_only_holds_what_passes() -> None:
    doc = summarise(INCIDENTS, parse_query({"method": "ied", "country": "IQ"}))
    assert [(r["region_code"], r["killed"]) for r in doc["regions"]] == [("IQ-NI", 6), ("IQ-BG", 3)]
    assert doc["filters"]["method"] == ["ied"] and doc["source"] == "incidents"


def test_exports_spread_the_breakdowns_into_columns() -> None:
    mixed = incident(9, "IQ-KI", "2026-03-01", 5, 3, victim="mixed",
                     victims=[{"category": "civilian", "killed": 3, "wounded": 3},
                              {"category": "security", "killed": 2, "wounded": 0}])
    line = incident_line(mixed, "Kirkuk")
    assert (line["civilian_killed"], line["civilian_wounded"], line["security_killed"], line["region"]) == (
        3, 3, 2, "Kirkuk")
    csv_text = to_csv([line], INCIDENT_COLUMNS)
    assert csv_text.splitlines()[0].startswith("incident_id,event_date,country,region_code,region,place")
    row = region_line(apply_incident(None, mixed))
    assert (row["civilian_killed"], row["security_killed"], row["ied_incidents"], row["ied_killed"]) == (3, 2, 1, 5)


def test_matches_reads_the_victim_groups_of_a_mixed_incident() -> None:
    mixed = incident(9, "IQ-KI", "2026-03-01", 5, 3, victim="mixed",
                     victims=[{"category": "militia", "killed": 5, "wounded": 3}])
    assert matches(mixed, parse_query({"victim": "militia"}))


def test_every_view_names_regions_through_the_one_display_function() -> None:
    from streams.clients.tallies import named as cli_named
    from streams.web.routes import named as web_named

    stored = {"region_code": "IQ-BG", "region": "Baghdād", "window": "all"}  # an ISO spelling in an old row
    assert web_named(stored)["region"] == cli_named([stored])[0]["region"] == display_name("IQ-BG") == "Baghdad"
    written = {"region_code": "SY-HL", "region": "Aleppo", "window": "all"}
    assert web_named(written)["region"] == cli_named([written])[0]["region"] == display_name("SY-HL", "Aleppo")
