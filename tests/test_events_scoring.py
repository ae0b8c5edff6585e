"""streams.events.scoring: which gold entry is which event, alignment, and the pairwise arithmetic."""

from __future__ import annotations

from typing import Any

from extractors.corpus import LabelledArticle
from schemas.records import Article, Event, Location
from streams.events.scoring import EventScore, GoldUnit, align, gold_incident, gold_region_killed, gold_units
from tests.support.incidents import incident


def labelled(article_id: str, gold: list[dict[str, Any]], cluster: str | None = "c1",
             published: str | None = "2026-03-03") -> LabelledArticle:
    art = Article(id=article_id, source="Wire A", body="text", published=published)
    extra = {"event_cluster": cluster} if cluster else {}
    return LabelledArticle(article=art, path=f"{article_id}.json", stated_killed=None, stated_wounded=None,
                           complete=True, gold=gold, extra=extra)


def entry(killed: int, wounded: int = 0, region: str | None = "IQ-KI", **more: Any) -> dict[str, Any]:
    return {"place": "bus station", "city": "Kirkuk", "region_code": region, "killed": killed, "wounded": wounded,
            "victims": [{"category": "civilian", "killed": killed, "wounded": wounded}], "method": "bomb",
            "evidence": "A bomb killed people at the bus station yesterday.", **more}


def test_the_articles_cluster_goes_to_its_largest_entry_and_the_others_are_events_of_their_own() -> None:
    item = labelled("a", [entry(2), entry(0), entry(9, 1), entry(3, event_cluster="c7")])
    assert [(u.index, u.cluster) for u in gold_units(item)] == [(0, "a#0"), (2, "c1"), (3, "c7")]
    assert gold_units(labelled("b", [entry(2)], cluster=None)) == []


def test_a_gold_entry_is_fed_as_the_extractor_would_write_it() -> None:
    item = labelled("a", [entry(9, 1, perpetrator="militant")])
    inc = gold_incident(item, gold_units(item)[0])
    assert (inc.incident_id, inc.killed, inc.killed_max, inc.method, inc.perpetrator) == ("a:gold:0", 9, 9, "ied",
                                                                                          "militants")
    assert inc.event_date == "2026-03-02"  # "yesterday", against the publication date
    assert (inc.location.precision, inc.location.country, inc.victim_category) == ("site", "IQ", "civilian")


def test_align_takes_exact_matches_first_then_the_closest_compatible_counts() -> None:
    gold = [entry(20, 40), entry(4), entry(7, region="IQ-NI")]
    extracted = [incident("x", "t", index=0, killed=4), incident("x", "t", index=1, killed=17, wounded=40),
                 incident("x", "t", index=2, killed=90, wounded=460), incident("x", "t", index=3, killed=7)]
    # 4 = 4 exactly; 17/40 is near 20/40; 90/460 is near nothing; 7 in IQ-KI cannot be gold's 7 in IQ-NI
    assert align(gold, extracted) == {0: 1, 1: 0}


def event(event_id: str, region: str, killed: int) -> Event:
    return Event(event_id=event_id, version=1, killed=killed, location=Location(region_code=region))


def test_pairwise_precision_recall_events_and_region_totals() -> None:
    units = [GoldUnit("a", 0, "c1", "IQ-KI", 10, 0), GoldUnit("b", 0, "c1", "IQ-KI", 20, 0),
             GoldUnit("c", 0, "c1", "IQ-KI", 25, 0), GoldUnit("d", 0, "c2", "IQ-NI", 5, 0),
             GoldUnit("e", 0, "c2", "IQ-NI", 6, 0, dated=False)]
    score = EventScore(
        # c1 is split in two events (a+b, c) and d, of c2, is wrongly put with a and b
        assigned={"a": "e1", "b": "e1", "c": "e2", "d": "e1", "e": "e3"},
        truth={u.article_id: u for u in units},
        units=units,
        events=[event("e1", "IQ-KI", 20), event("e2", "IQ-KI", 25), event("e3", "IQ-NI", 6)],
    )
    report = score.as_dict()
    # predicted pairs: e1 holds a, b, d -> 3 pairs, of which a-b is right; gold pairs: c1 has 3, c2 has 1
    assert report["pairs"] == {"true": 1, "predicted": 3, "gold": 4, "precision": 0.3333, "recall": 0.25}
    # without the undated report e, c2's only pair is gone
    assert report["pairs_dated"] == {"true": 1, "predicted": 3, "gold": 3, "precision": 0.3333, "recall": 0.3333}
    assert report["events"] == {"resolved": 3, "gold": 2, "ratio": 1.5}
    assert report["per_region"] == {"IQ-KI": {"gold": 25, "resolved": 45, "reports_counted": 0},
                                    "IQ-NI": {"gold": 6, "resolved": 6, "reports_counted": 0}}
    assert report["killed"]["regions_within_10pct"] == "1/2"
    assert report["killed"]["abs_error_ratio"] == round(20 / 31, 4)


def test_a_gold_event_counts_its_highest_report_in_its_most_reported_region() -> None:
    units = [GoldUnit("a", 0, "c1", "IQ-KI", 10, 0), GoldUnit("b", 0, "c1", "IQ-KI", 30, 0),
             GoldUnit("c", 0, "c1", None, 40, 0), GoldUnit("d", 0, "c2", "IQ-NI", 5, 0)]
    assert gold_region_killed(units) == {"IQ-KI": 40, "IQ-NI": 5}
