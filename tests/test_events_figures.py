"""streams.events.figures: each outlet's latest report, then the highest figure; ranges across outlets."""

from __future__ import annotations

from streams.events.figures import Figures, SourceReport, latest_by_outlet, published_at, resolve


def report(outlet: str, published: str | None, killed: int, wounded: int = 0, killed_max: int | None = -1,
           n: int = 0) -> SourceReport:
    return SourceReport(article_id=f"{outlet}-{n}", incident_id=f"{outlet}-{n}:0", outlet=outlet, source=outlet,
                        published=published, published_at=published_at(published), url=None, event_date=None,
                        killed=killed, wounded=wounded,
                        killed_min=killed, killed_max=killed if killed_max == -1 else killed_max,
                        wounded_min=wounded, wounded_max=wounded, evidence="")


def test_the_highest_latest_figure_across_outlets() -> None:
    sources = [report("a", "2026-03-02T10:00:00Z", 12, 30), report("b", "2026-03-02T12:00:00Z", 15, 34, None),
               report("c", "2026-03-03T00:35:00Z", 17, 41)]
    assert resolve(sources) == Figures(killed=17, wounded=41, killed_min=12, killed_max=17,
                                       wounded_min=30, wounded_max=41)


def test_an_update_raises_the_figure_and_never_adds() -> None:
    first = [report("a", "2026-03-02T10:00:00Z", 25, n=0)]
    update = [*first, report("a", "2026-03-03T09:00:00Z", 40, n=1)]
    assert resolve(first).killed == 25
    assert resolve(update) == Figures(killed=40, killed_min=40, killed_max=40)
    assert resolve(update).minus(resolve(first)) == Figures(killed=15, killed_min=15, killed_max=15)


def test_an_outlet_that_revises_down_is_followed_down() -> None:
    sources = [report("a", "2026-03-02T10:00:00Z", 30, n=0), report("a", "2026-03-02T18:00:00Z", 24, n=1),
               report("b", "2026-03-02T11:00:00Z", 20)]
    assert resolve(sources) == Figures(killed=24, killed_min=20, killed_max=24)


def test_latest_by_publication_time_not_arrival() -> None:
    late_arriving_older = [report("a", "2026-03-03T09:00:00Z", 40, n=1), report("a", "2026-03-02T10:00:00Z", 25)]
    assert [r.killed for r in latest_by_outlet(late_arriving_older)] == [40]
    # without a time, the later arrival wins
    assert [r.killed for r in latest_by_outlet([report("a", None, 40, n=1), report("a", None, 25)])] == [25]


def test_an_open_ended_report_bounds_the_range_with_its_own_figure() -> None:
    assert resolve([report("a", None, 40, killed_max=None)]) == Figures(killed=40, killed_min=40, killed_max=40)


def test_no_sources_no_figures() -> None:
    assert resolve([]) == Figures() and Figures().is_zero() and not Figures(wounded=1).is_zero()
