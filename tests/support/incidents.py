"""Build Incident records by hand, shaped as the extractor writes them (for resolver tests)."""

from __future__ import annotations

from schemas.records import Evidence, ExtractorInfo, Incident, Location, VictimGroup

_REGIONS = {"IQ-KI": "Kirkuk", "IQ-NI": "Nineveh", "IQ-BG": "Baghdad", "IQ-BB": "Babil", "IQ-DI": "Diyala"}


def incident(
    article: str,
    text: str,
    *,
    index: int = 0,
    source: str | None = None,
    published: str | None = "2026-03-02T12:00:00Z",
    event_date: str | None = None,
    city: str | None = "Kirkuk",
    place: str | None = None,
    precision: str | None = None,
    region: str | None = "IQ-KI",
    killed: int = 0,
    wounded: int = 0,
    killed_max: int | None = -1,
    method: str = "unknown",
    victims: str = "unknown",
    time_cue: str | None = None,
) -> Incident:
    """One incident; ``killed_max=-1`` means "exact" (max = killed), None means open-ended."""
    name = place or city
    prec = precision or ("neighbourhood" if place else "city" if city else "region" if region else "unknown")
    return Incident(
        incident_id=f"{article}:{index}",
        article_id=article,
        source=source if source is not None else article.split("-")[0],
        published=published,
        event_date=event_date if event_date is not None else (published[:10] if published else None),
        location=Location(name=name, place=name, city=city, region=_REGIONS.get(region or ""),
                          region_code=region, country="IQ" if region else None, precision=prec),
        killed=killed, wounded=wounded, killed_min=killed, killed_max=killed if killed_max == -1 else killed_max,
        wounded_min=wounded, wounded_max=wounded,
        victim_category=victims, victims=[VictimGroup(category=victims, killed=killed, wounded=wounded)],
        method=method,
        evidence=Evidence(text=text, start=0, end=len(text)),
        extractor=ExtractorInfo(name="test", version="0"),
        time_cue=time_cue,
    )
