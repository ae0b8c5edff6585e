"""The figures of an event: what each source said, and the resolved best estimate and range.

Rule (IBC-style, documented in ``streams/events/README.md``):

* each outlet's **latest** report counts (latest by publication time; arrival order where a
  time is missing), so an outlet that revises its own toll down is followed down;
* ``killed`` / ``wounded``: the **highest** of those latest figures across outlets, because early
  tolls undercount; a toll update raises the event to the new figure, it never adds to it;
* ``killed_min`` / ``killed_max`` (and wounded): the lowest lower bound and the highest upper
  bound among those latest reports; an open-ended report ("at least 40") bounds the range with
  its own figure.

:func:`resolve` recomputes everything from the sources (a handful per event), so the result never
depends on the order of arrival except through "latest".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import NamedTuple


class SourceReport(NamedTuple):
    """One report of an event: an incident of one article, with that article's figures."""

    article_id: str
    incident_id: str
    outlet: str
    source: str | None
    published: str | None
    url: str | None
    event_date: str | None
    killed: int
    wounded: int
    killed_min: int
    killed_max: int | None
    wounded_min: int
    wounded_max: int | None
    evidence: str
    match_score: float | None = None
    match_evidence: tuple[str, ...] = ()
    published_at: datetime | None = None
    """``published`` parsed (:func:`published_at`), to order an outlet's reports."""


class Figures(NamedTuple):
    """Resolved figures of an event (or a difference between two versions of them)."""

    killed: int = 0
    wounded: int = 0
    killed_min: int = 0
    killed_max: int = 0
    wounded_min: int = 0
    wounded_max: int = 0

    def minus(self, other: Figures) -> Figures:
        """Field-by-field difference ``self - other``."""
        return Figures(
            self.killed - other.killed, self.wounded - other.wounded,
            self.killed_min - other.killed_min, self.killed_max - other.killed_max,
            self.wounded_min - other.wounded_min, self.wounded_max - other.wounded_max,
        )

    def is_zero(self) -> bool:
        """Every field is 0."""
        return not (self.killed or self.wounded or self.killed_min or self.killed_max
                    or self.wounded_min or self.wounded_max)


NO_FIGURES = Figures()


def published_at(value: str | None) -> datetime | None:
    """A publication time as an aware datetime (a bare date is its midnight UTC), or None."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def latest_by_outlet(sources: Iterable[SourceReport]) -> list[SourceReport]:
    """Each outlet's latest report, in the order the outlets first reported."""
    latest: dict[str, SourceReport] = {}
    for report in sources:  # arrival order
        current = latest.get(report.outlet)
        if current is None:
            latest[report.outlet] = report
            continue
        new_at, old_at = report.published_at, current.published_at
        if new_at is None or old_at is None or new_at >= old_at:
            latest[report.outlet] = report
    return list(latest.values())


def _upper(best: int, low: int, high: int | None) -> int:
    return high if high is not None else max(best, low)


def resolve(sources: Sequence[SourceReport]) -> Figures:
    """The resolved figures of an event from all its sources (see the module rule)."""
    current = latest_by_outlet(sources)
    if not current:
        return NO_FIGURES
    return Figures(
        killed=max(r.killed for r in current),
        wounded=max(r.wounded for r in current),
        killed_min=min(r.killed_min for r in current),
        killed_max=max(_upper(r.killed, r.killed_min, r.killed_max) for r in current),
        wounded_min=min(r.wounded_min for r in current),
        wounded_max=max(_upper(r.wounded, r.wounded_min, r.wounded_max) for r in current),
    )
