"""streams.events.resolver: incidents of many articles and outlets resolve into events, exactly.

The articles are our own, written in the style of wire stories and daily round-ups; the incidents
are built by hand as the extractor writes them, so these tests hold whatever the extractor does.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.records import Event, Incident
from streams.events.dates import DayRange
from streams.events.figures import Figures
from streams.events.match import MatchRules
from streams.events.open_events import MemoryStore
from streams.events.resolver import EventChange, Resolver, event_id_for
from tests.support.incidents import incident

MON = "2026-03-02"
# One car bomb at the Kirkuk bus station on Monday, told by three outlets in their own words.
WIRE_A = incident("a1", "KIRKUK (Wire A) - A car bomb exploded near the main bus station in Kirkuk on Monday, "
                  "killing 12 people and wounding 30 others, police said.", source="Wire A",
                  published="2026-03-02T14:05:00Z", killed=12, wounded=30, method="car_bomb")
WIRE_B = incident("b1", "At least 15 people died and 34 were hurt when an explosives-laden car blew up at a "
                  "crowded bus terminal in the centre of Kirkuk on Monday afternoon.", source="Wire B",
                  published="2026-03-02T16:40:00Z", killed=15, wounded=34, killed_max=None, method="car_bomb")
# published after midnight, about "late Monday"
WIRE_C = incident("c1", "A parked car packed with explosives detonated late Monday beside the city bus station "
                  "in Kirkuk, killing 17 people and injuring 41.", source="Wire C",
                  published="2026-03-03T00:35:00Z", killed=17, wounded=41)
# the next day's update of the first outlet
WIRE_A_UPDATE = incident("a2", "A car bomb killed 21 people and wounded 38 at the bus station in Kirkuk on Monday, "
                         "a hospital director said on Tuesday.", source="Wire A",
                         published="2026-03-03T09:10:00Z", killed=21, wounded=38, method="car_bomb")


def run(*articles: list[Incident], resolver: Resolver | None = None) -> tuple[Resolver, list[EventChange]]:
    res = resolver or Resolver()
    changes = [c for incidents in articles for c in res.resolve(incidents).changes]
    return res, changes


def final(changes: list[EventChange]) -> list[Event]:
    last: dict[str, Event] = {}
    for c in changes:
        last[c.event.event_id] = c.event
    return list(last.values())


def summed_deltas(changes: list[EventChange]) -> dict[str, Figures]:
    out: dict[str, Figures] = {}
    for c in changes:
        prev = out.get(c.event.event_id, Figures())
        d = c.delta
        out[c.event.event_id] = Figures(prev.killed + d.killed, prev.wounded + d.wounded,
                                        prev.killed_min + d.killed_min, prev.killed_max + d.killed_max,
                                        prev.wounded_min + d.wounded_min, prev.wounded_max + d.wounded_max)
    return out


def test_three_outlets_and_an_update_make_one_event_with_the_latest_highest_figures() -> None:
    _, changes = run([WIRE_A], [WIRE_B], [WIRE_C], [WIRE_A_UPDATE])
    [event] = final(changes)
    assert event.event_id == event_id_for("a1:0")
    assert (event.version, event.event_date, event.location.region_code) == (4, MON, "IQ-KI")
    assert (event.killed, event.wounded) == (21, 41)
    assert (event.killed_min, event.killed_max, event.wounded_min, event.wounded_max) == (15, 21, 34, 41)
    assert event.method == "car_bomb"
    assert [(s.article_id, s.source, s.killed, s.wounded) for s in event.sources] == [
        ("a1", "Wire A", 12, 30), ("b1", "Wire B", 15, 34), ("c1", "Wire C", 17, 41), ("a2", "Wire A", 21, 38)]
    assert event.sources[0].match_score is None
    assert event.sources[2].event_date == MON  # "late Monday", published on Tuesday
    assert "same_named_day" in event.sources[2].match_evidence
    # the update raised the event from 17 to 21 killed: +4, not +21
    assert [(c.delta.killed, c.delta.wounded) for c in changes] == [(12, 30), (3, 4), (2, 7), (4, 0)]
    assert summed_deltas(changes)[event.event_id] == Figures(21, 41, 15, 21, 34, 41)


def test_redelivered_articles_change_nothing() -> None:
    res, changes = run([WIRE_A], [WIRE_B])
    again = res.resolve([WIRE_B])
    assert again.changes == []
    assert [(s.incident_id, s.reason, s.event_id) for s in again.skipped] == [
        ("b1:0", "duplicate", event_id_for("a1:0"))]
    assert final(changes)[0].version == 2


MOSUL_PATROL = dict(city="Mosul", region="IQ-NI", published="2026-03-02T18:00:00Z")
D_PATROL = incident("d1", "A roadside bomb struck an army patrol in western Mosul on Monday, killing three "
                    "soldiers and wounding two.", index=0, killed=3, wounded=2, method="ied", victims="security",
                    **MOSUL_PATROL)  # type: ignore[arg-type]
D_SHOP = incident("d1", "In a separate attack in the city's eastern Zuhur neighbourhood, gunmen shot dead a shop "
                  "owner and his son outside their home.", index=1, place="Zuhur", killed=2, method="gunfire",
                  victims="civilian", **MOSUL_PATROL)  # type: ignore[arg-type]
E_SHOP = incident("e1", "Gunmen killed a shopkeeper and his son in front of their house in the Zuhur district of "
                  "Mosul on Monday.", index=0, place="Zuhur", killed=2, method="gunfire", victims="civilian",
                  city="Mosul", region="IQ-NI", published="2026-03-02T21:15:00Z")
E_PATROL = incident("e1", "Earlier in the day a roadside bomb hit an army patrol in western Mosul, killing three "
                    "soldiers and wounding four.", index=1, killed=3, wounded=4, method="ied", victims="security",
                    city="Mosul", region="IQ-NI", published="2026-03-02T21:15:00Z")


def test_two_attacks_in_one_city_on_one_day_stay_two_events_and_a_second_outlet_finds_each() -> None:
    _, changes = run([D_PATROL, D_SHOP], [E_SHOP, E_PATROL])
    events = {e.event_id: e for e in final(changes)}
    assert len(events) == 2
    patrol, shop = events[event_id_for("d1:0")], events[event_id_for("d1:1")]
    assert [s.incident_id for s in patrol.sources] == ["d1:0", "e1:1"]
    assert [s.incident_id for s in shop.sources] == ["d1:1", "e1:0"]
    assert (patrol.killed, patrol.wounded, shop.killed, shop.wounded) == (3, 4, 2, 0)
    assert shop.location.name == "Zuhur"  # the most precise place reported


def test_an_articles_incidents_are_never_merged_even_when_alike() -> None:
    twin = [incident("t1", "A car bomb killed four people at a market in Kirkuk on Monday.", index=i, killed=4,
                     method="car_bomb", published="2026-03-02T10:00:00Z") for i in range(2)]
    _, changes = run(twin)
    assert len(final(changes)) == 2


def test_separate_bombings_in_one_city_told_by_different_outlets_stay_apart() -> None:
    market = incident("b2", "A car bomb went off at a crowded vegetable market in Baghdad on Monday evening, "
                      "killing eight people and wounding 20.", city="Baghdad", region="IQ-BG", killed=8, wounded=20,
                      method="car_bomb", published="2026-03-02T19:30:00Z")
    checkpoint = incident("a3", "A car bomb exploded at an army checkpoint in Baghdad on Monday, killing five "
                          "soldiers and wounding nine.", city="Baghdad", region="IQ-BG", killed=5, wounded=9,
                          method="car_bomb", published="2026-03-02T20:10:00Z")
    _, changes = run([market], [checkpoint])
    assert [(e.killed, e.wounded) for e in final(changes)] == [(8, 20), (5, 9)]


ROUNDUP_KIRKUK = incident("r1", "In Kirkuk, a car bomb near the bus station yesterday killed 21 people and wounded "
                          "40.", index=0, source="Daily Roundup", published="2026-03-03T22:00:00Z", killed=21,
                          wounded=40, method="car_bomb")
ROUNDUP_HILLA = incident("r1", "In Hilla, gunmen shot two policemen dead at their checkpoint today.", index=1,
                         source="Daily Roundup", published="2026-03-03T22:00:00Z", city="Hilla", region="IQ-BB",
                         killed=2, method="gunfire", victims="security")


def test_a_round_up_that_lists_an_event_already_fed_joins_it_and_adds_nothing_new() -> None:
    res, _ = run([WIRE_A], [WIRE_B], [WIRE_C], [WIRE_A_UPDATE])
    roundup = res.resolve([ROUNDUP_KIRKUK, ROUNDUP_HILLA]).changes
    kirkuk, hilla = roundup
    assert kirkuk.event.event_id == event_id_for("a1:0") and kirkuk.event.version == 5
    assert kirkuk.delta == Figures()  # 21 killed, 40 wounded: nothing above what was counted
    assert hilla.is_new and (hilla.event.killed, hilla.event.location.region_code) == (2, "IQ-BB")


BACKGROUND = incident("e2", "Last Monday a car bomb killed 21 people at the city bus station.", index=1,
                      source="Wire E", published="2026-03-09T11:00:00Z", killed=21, method="car_bomb")
NEW_ATTACK = incident("e2", "A suicide attacker set off an explosive vest at a police checkpoint on the southern edge "
                      "of Kirkuk on Monday, killing four policemen and wounding six.", index=0, source="Wire E",
                      published="2026-03-09T11:00:00Z", killed=4, wounded=6, method="suicide_bombing")


def test_an_earlier_weeks_event_repeated_as_background_is_not_a_new_event_and_inflates_nothing() -> None:
    res, changes = run([WIRE_A], [WIRE_A_UPDATE])
    later = res.resolve([NEW_ATTACK, BACKGROUND])
    assert [(c.is_new, c.event.killed) for c in later.changes] == [(True, 4)]
    assert [(s.incident_id, s.reason) for s in later.skipped] == [("e2:1", "background")]
    assert final(changes)[0].killed == 21


def test_events_older_than_the_window_are_evicted_and_state_stays_bounded() -> None:
    store = MemoryStore()
    res = Resolver(store)
    targets = ["a market", "a mosque", "a checkpoint", "a school", "a bus station", "a hospital", "a funeral"]
    for day in range(1, 29):  # one attack a day in Kirkuk for four weeks, each at another kind of place
        published = f"2026-02-{day:02d}T12:00:00Z"
        res.resolve([incident(f"x{day}", f"A bomb killed {day} people at {targets[day % 7]} today.",
                              published=published, killed=day, method="ied")])
    assert len(list(store.events())) + store.evicted == 28
    part = store.partition("IQ-KI")
    assert part.clock == date(2026, 2, 28)
    # open: days within window (3) + tolerance (1) + grace (3) of the clock: Feb 21..28
    assert sorted(e.event_date().day for e in part.events.values()) == list(range(21, 29))  # type: ignore[union-attr]
    assert store.evicted == 20
    # a report of an evicted day's event, published late, starts a new event (known limit)
    late = res.resolve([incident("late", "A bomb killed 20 people at a school on Feb. 17.",
                                 published="2026-02-18T12:00:00Z", killed=20, method="ied")])
    assert late.changes[0].is_new


def test_a_report_read_after_a_later_days_news_still_joins_its_event() -> None:
    # Wire B's feed is read after a report dated five days later moved Kirkuk's clock on: the
    # grace keeps Monday's event open, and B joins it instead of counting the bombing twice.
    later = incident("n1", "Gunmen killed 3 shepherds in a village outside Kirkuk on Saturday.",
                     published="2026-03-07T10:00:00Z", killed=3, method="gunfire")
    _, changes = run([WIRE_A], [later], [WIRE_B])
    events = sorted(final(changes), key=lambda e: e.killed)
    assert [(e.killed, len(e.sources)) for e in events] == [(3, 1), (15, 2)]
    without_grace = Resolver(MemoryStore(grace_days=0))
    _, changes = run([WIRE_A], [later], [WIRE_B], resolver=without_grace)
    assert sorted(e.killed for e in final(changes)) == [3, 12, 15]


def test_incidents_with_nothing_counted_are_skipped() -> None:
    res = Resolver()
    out = res.resolve([incident("z", "Gunmen attacked a checkpoint in Kirkuk.")])
    assert out.changes == [] and [s.reason for s in out.skipped] == ["no_casualties"]


def test_a_suspect_incident_is_left_out_unless_the_resolver_counts_suspects() -> None:
    # the extractor marks an incident suspect when it fails the article's own stated total
    suspect = incident("s1", "In Kirkuk, gunmen killed 300 people, the group claimed.", killed=300)
    suspect = suspect.model_copy(update={"status": "suspect", "status_reason": "over the stated total"})
    out = Resolver().resolve([suspect])
    assert out.changes == [] and [s.reason for s in out.skipped] == ["suspect"]
    [change] = Resolver(count_suspect=True).resolve([suspect]).changes
    assert (change.event.killed, change.delta.killed) == (300, 300)


def test_a_report_placed_only_by_its_region_code_places_the_event() -> None:
    vague = incident("v1", "A roadside bomb killed four soldiers in the province.", city=None, killed=4,
                     precision="unknown")
    [change] = Resolver().resolve([vague]).changes
    assert (change.event.location.region_code, change.event.location.precision) == ("IQ-KI", "unknown")


def test_a_new_named_day_moves_the_event_between_daily_rows() -> None:
    # a round-up without a day word (implied: published day) first, then a wire naming Sunday
    implied = incident("r9", "In Kirkuk, a car bomb killed six people near the bus station.",
                       published="2026-03-02T22:00:00Z", killed=6, method="car_bomb")
    named = incident("w9", "A car bomb killed six people near the Kirkuk bus station late Sunday.",
                     published="2026-03-02T23:00:00Z", killed=6, method="car_bomb")
    _, changes = run([implied], [named])
    first, second = changes
    assert first.event.event_date == "2026-03-02" and second.event.event_date == "2026-03-01"
    assert second.delta == Figures()
    assert second.row_deltas() == {
        ("IQ-KI", "2026-03-02"): (Figures(-6, 0, -6, -6, 0, 0), -1),
        ("IQ-KI", "2026-03-01"): (Figures(6, 0, 6, 6, 0, 0), 1),
    }


ALL = [[WIRE_A], [WIRE_B], [WIRE_C], [WIRE_A_UPDATE], [D_PATROL, D_SHOP], [E_SHOP, E_PATROL],
       [ROUNDUP_KIRKUK, ROUNDUP_HILLA]]


@settings(max_examples=60, deadline=None)
@given(st.permutations(range(len(ALL))), st.lists(st.integers(0, len(ALL) - 1), max_size=4))
def test_in_any_order_deltas_add_up_to_the_final_figures_and_redelivery_adds_nothing(
    order: list[int], redelivered: list[int]
) -> None:
    res = Resolver()
    changes: list[EventChange] = []
    for i in order:
        changes += res.resolve(ALL[i]).changes
    for i in redelivered:
        assert res.resolve(ALL[i]).changes == []
    events = final(changes)
    sums = summed_deltas(changes)
    for ev in events:
        assert sums[ev.event_id] == Figures(ev.killed, ev.wounded, ev.killed_min, ev.killed_max,
                                            ev.wounded_min, ev.wounded_max)
    # whatever the order, the same three real events come out with the same figures
    assert Counter((e.location.region_code, e.killed, e.wounded) for e in events) == Counter(
        {("IQ-KI", 21, 41): 1, ("IQ-NI", 3, 4): 1, ("IQ-NI", 2, 0): 1, ("IQ-BB", 2, 0): 1})


def test_the_day_index_holds_each_open_event_under_exactly_its_days_and_city() -> None:
    store = MemoryStore()
    res, _ = run(*ALL, resolver=Resolver(store))
    # a later report naming Sunday joins the Kirkuk event and widens its days to Sunday..Monday
    res.resolve([incident("w9", "A car bomb killed 21 people at the Kirkuk bus station late Sunday.",
                          published="2026-03-02T23:00:00Z", killed=21, method="car_bomb")])
    kirkuk = store.partition("IQ-KI").events[event_id_for("a1:0")]
    assert kirkuk.view is not None and kirkuk.view.days == DayRange(date(2026, 3, 1), date(2026, 3, 2), True)
    for part in store.partitions.values():
        indexed = {(day, city, i) for day, cities in part.by_day.items() for city, ids in cities.items() for i in ids}
        expected = set()
        for event in part.events.values():
            days = event.view.days if event.view is not None else None
            city = event.view.place.city if event.view is not None else None
            if days is None:
                assert event.event_id in part.undated[city]
                continue
            span = (days.hi - days.lo).days
            expected |= {(days.lo + timedelta(days=n), city, event.event_id) for n in range(span + 1)}
        assert indexed == expected
        assert all(ids for cities in part.by_day.values() for ids in cities.values()), "no empty sets left"
    # candidates: the events of the city and those without a known city; all of them for a report without one
    kirkuk_days = DayRange(date(2026, 3, 2), date(2026, 3, 2), True)
    part = store.partition("IQ-KI")
    everything = part.candidates(kirkuk_days, 1)
    assert event_id_for("a1:0") in {e.event_id for e in part.candidates(kirkuk_days, 1, "kirkuk")}
    for city in ("kirkuk", "hawija"):
        want = {e.event_id for e in everything if e.view is not None and e.view.place.city in (None, city)}
        assert {e.event_id for e in part.candidates(kirkuk_days, 1, city)} == want


def test_a_stored_page_without_a_date_is_matched_by_the_weekday_it_names() -> None:
    # MON is a Monday; a page stored without its date tells the bus station bombing "on Monday"
    undated = incident("u1", "Fifteen people died when a car bomb went off at the Kirkuk bus station on Monday.",
                       source="Wire D", published=None, killed=15, method="car_bomb")
    _, changes = run([WIRE_A], [undated])
    assert [(e.killed, len(e.sources)) for e in final(changes)] == [(15, 2)]
    # the same page naming Thursday is another bombing, whatever else it shares
    thursday = incident("u2", "Fifteen people died when a car bomb went off at the Kirkuk bus station on Thursday.",
                        source="Wire D", published=None, killed=15, method="car_bomb")
    _, changes = run([WIRE_A], [thursday])
    assert sorted(e.killed for e in final(changes)) == [12, 15]


def test_a_stored_page_without_a_date_is_matched_by_the_day_a_later_paragraph_gives() -> None:
    # the lead tells the toll and no day; a paragraph below tells it again "on Monday" (the
    # extractor's time cue): the day fits, and two reports of dozens of casualties join
    lead = "At least 14 dead and 40 hurt as a car bomb rips through a busy Kirkuk terminal."
    told_later = incident("u5", lead, source="Wire E", published=None, killed=14, wounded=40,
                          method="car_bomb", time_cue="on Monday")
    _, changes = run([WIRE_A], [told_later])
    [event] = final(changes)
    assert (event.killed, event.wounded, len(event.sources)) == (14, 40, 2)
    assert "weekday_fits" in event.sources[1].match_evidence
    # without the cue nothing dates the page, and the rest is not enough
    _, changes = run([WIRE_A], [incident("u6", lead, source="Wire E", published=None, killed=14, wounded=40,
                                         method="car_bomb")])
    assert sorted(e.killed for e in final(changes)) == [12, 14]
    # a cue naming another day keeps it apart
    _, changes = run([WIRE_A], [incident("u7", lead, source="Wire E", published=None, killed=14, wounded=40,
                                         method="car_bomb", time_cue="on Thursday")])
    assert sorted(e.killed for e in final(changes)) == [12, 14]


def test_a_stored_page_without_a_date_is_matched_by_the_month_and_day_it_names() -> None:
    undated = incident("u3", "The toll from the March 2 car bombing at the Kirkuk bus station has risen to 19.",
                       source="Wire D", published=None, killed=19, method="car_bomb")
    _, changes = run([WIRE_A], [undated])
    assert [(e.killed, len(e.sources)) for e in final(changes)] == [(19, 2)]
    # a week later by its own date: another bombing
    other = incident("u4", "The toll from the March 9 car bombing at the Kirkuk bus station has risen to 19.",
                     source="Wire D", published=None, killed=19, method="car_bomb")
    _, changes = run([WIRE_A], [other])
    assert sorted(e.killed for e in final(changes)) == [12, 19]


def test_a_follow_up_days_later_naming_no_day_joins_its_event_only_against_the_same_target() -> None:
    # published on Thursday about Monday's bus station bombing, with no day word in its sentence
    later = incident("f1", "Officials said 23 people were killed and 40 wounded in the car bombing at the Kirkuk "
                     "bus station.", source="Wire E", published="2026-03-05T10:00:00Z", killed=23, wounded=40,
                     method="car_bomb")
    _, changes = run([WIRE_A], [later])
    assert [(e.killed, e.wounded, len(e.sources)) for e in final(changes)] == [(23, 40, 2)]
    # the same days apart, a car bomb at a market of the city: another attack
    market = incident("f2", "Officials said 23 people were killed and 40 wounded when a car bomb went off in a "
                      "crowded market in Kirkuk.", source="Wire E", published="2026-03-05T10:00:00Z", killed=23,
                      wounded=40, method="car_bomb")
    _, changes = run([WIRE_A], [market])
    assert sorted(e.killed for e in final(changes)) == [12, 23]
    # and more than three days later, even at the same station: another event
    much_later = incident("f3", later.evidence.text, source="Wire E", published="2026-03-07T10:00:00Z",
                          killed=23, wounded=40, method="car_bomb")
    _, changes = run([WIRE_A], [much_later])
    assert sorted(e.killed for e in final(changes)) == [12, 23]


def test_two_reports_of_dozens_of_casualties_in_one_city_on_the_same_days_are_one_event() -> None:
    # no day word, no target word or figure in common: an early toll and a later, higher one
    early = incident("m1", "A bomber wearing an explosive vest struck in Kirkuk, killing 14 people and wounding 30, a "
                     "police officer said.", source="Wire F", published="2026-03-02T11:00:00Z",
                     killed=14, wounded=30, method="suicide_bombing")
    later = incident("m2", "Hospital staff in Kirkuk counted 41 dead and 77 injured after the suicide "
                     "blast, the provincial governor told reporters.", source="Wire G",
                     published="2026-03-02T19:00:00Z", killed=41, wounded=77, method="suicide_bombing")
    _, changes = run([early], [later])
    [event] = final(changes)
    assert (event.killed, event.wounded, len(event.sources)) == (41, 77, 2)
    assert "both_mass" in event.sources[1].match_evidence
    # without that evidence the same pair scores 4 (place 2, implied days 1, method 1): two events
    _, changes = run([early], [later], resolver=Resolver(rules=MatchRules(both_mass=0.0)))
    assert sorted(e.killed for e in final(changes)) == [14, 41]


def test_the_mass_casualty_evidence_needs_both_sizes_days_that_fit_and_figures_of_one_order() -> None:
    early = incident("m1", "A bomber wearing an explosive vest struck in Kirkuk, killing 14 people and wounding 30.",
                     source="Wire F", published="2026-03-02T11:00:00Z", killed=14, wounded=30,
                     method="suicide_bombing")
    small = incident("m3", "A suicide blast in Kirkuk left four dead and nine hurt, police said.", source="Wire G",
                     published="2026-03-02T19:00:00Z", killed=4, wounded=9, method="suicide_bombing")
    far = incident("m4", "A suicide blast in Kirkuk left 60 dead and 90 hurt, police said.", source="Wire G",
                   published="2026-03-02T19:00:00Z", killed=60, wounded=90, method="suicide_bombing")
    undated = incident("m5", "A suicide blast in Kirkuk left 20 dead and 45 hurt, police said.", source="Wire G",
                       published=None, killed=20, wounded=45, method="suicide_bombing")
    for other in (small, far, undated):
        _, changes = run([early], [other])
        assert len(final(changes)) == 2, other.article_id


def test_a_toll_that_rose_on_the_next_day_joins_the_event_it_updates() -> None:
    # the update names the day of the rise, not of the bombing: the days still fit
    update = incident("d1", "The number of dead from the blast that hit a coach terminal in Kirkuk rose to 26 on "
                      "Tuesday.", source="Wire D", published="2026-03-03T10:00:00Z", killed=26, method="car_bomb")
    _, changes = run([WIRE_A], [update])
    assert [(e.killed, len(e.sources)) for e in final(changes)] == [(26, 2)]
