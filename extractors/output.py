"""Steps ``records`` and ``summary``: build the Incident and ArticleSummary records."""

from __future__ import annotations

import hashlib
from typing import Any, TypeVar, get_args

from pydantic import BaseModel

from extractors.clauses import Group
from extractors.context import event_date
from extractors.pipeline import Doc, Draft, step
from schemas.records import ArticleSummary, Evidence, ExtractorInfo, Incident, Location, Precision, VictimGroup

EXTRACTOR_NAME = "casualty-rules"
EXTRACTOR_VERSION = "0.1.0"
EXTRACTOR = ExtractorInfo.model_construct(name=EXTRACTOR_NAME, version=EXTRACTOR_VERSION)

_M = TypeVar("_M", bound=BaseModel)


def build(cls: type[_M], **values: Any) -> _M:
    """Construct a record from already-valid values without validation.

    Same result as pydantic's ``model_construct`` when every field is given (as here), about
    2.5x faster, which matters at thousands of articles per second. Values come from our own
    code, never from input, so skipping validation is safe; tests compare the records with
    validated ones.
    """
    return _construct(cls, values)


def _construct(cls: type[_M], values: dict[str, Any], _new: Any = object.__new__,
               _set: Any = object.__setattr__) -> _M:
    """:func:`build` with the values already in a dict (no keyword-argument repacking)."""
    obj = _new(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def incident_id(article_id: str, start: int, end: int, index: int) -> str:
    """Deterministic id: sha256 of article id, evidence offsets and position, 20 hex chars."""
    raw = f"{article_id}|{start}|{end}|{index}".encode()
    return hashlib.sha256(raw).hexdigest()[:20]


def _bounds(groups: list[Group]) -> tuple[int, int, int | None, str | None]:
    value = sum(g.value for g in groups)
    low = sum(g.low for g in groups)
    high: int | None = 0
    vague = None
    for g in groups:
        if g.high is None or high is None:
            high = None
        else:
            high += g.high
        if g.vague is not None and vague is None:
            vague = g.vague
    return value, low, high, vague


def _victims(d: Draft) -> tuple[list[VictimGroup], str]:
    table: dict[str, list[int]] = {}
    for g in d.killed:
        table.setdefault(g.category, [0, 0])[0] += g.value
    for g in d.wounded:
        table.setdefault(g.category, [0, 0])[1] += g.value
    groups = [build(VictimGroup, category=c, killed=k, wounded=w) for c, (k, w) in table.items()]
    counted = [c for c, (k, w) in table.items() if k or w]
    if len(counted) == 1:
        category = counted[0]
    elif len(counted) > 1:
        category = "mixed"
    else:
        category = next(iter(table), "unknown")
    return groups, category


_PRECISIONS = frozenset(get_args(Precision))


def _precision(value: str | None) -> str:
    """A gazetteer precision as a records.Precision ("town" and unknown values degrade safely)."""
    if value in _PRECISIONS:
        return str(value)
    return "city" if value == "town" else "unknown"


def _location(d: Draft) -> Location:
    m = d.mention if d.mention is not None and d.mention.place is not None else None
    if m is not None:
        p = m.place
        return build(Location, name=m.name, place=p.name, city=p.city, region=p.region,
                                        region_code=p.region_code, country=p.country, lat=p.lat, lon=p.lon,
                                        precision=_precision(p.precision))
    ctx = d.context_mention.place if d.context_mention is not None else None
    if d.unknown_name is not None:
        return build(Location, name=d.unknown_name, place=None, city=ctx.city if ctx else None,
                                        region=ctx.region if ctx else None,
                                        region_code=ctx.region_code if ctx else None,
                                        country=ctx.country if ctx else None, lat=None, lon=None,
                                        precision="unknown")
    if ctx is not None:
        return build(Location, name=d.context_mention.name, place=ctx.name, city=ctx.city,
                                        region=ctx.region, region_code=ctx.region_code, country=ctx.country,
                                        lat=ctx.lat, lon=ctx.lon, precision=_precision(ctx.precision))
    return build(Location, name=None, place=None, city=None, region=None, region_code=None,
                                    country=None, lat=None, lon=None, precision="unknown")


@step("records")
def records_step(doc: Doc) -> None:
    """One Incident record per draft, in text order."""
    art = doc.article
    out: list[Incident] = []
    days: dict[int, str | None] = {}
    for idx, d in enumerate(doc.drafts):
        k, kmin, kmax, kvague = _bounds(d.killed)
        w, wmin, wmax, wvague = _bounds(d.wounded)
        vague = {}
        if kvague is not None:
            vague["killed"] = kvague
        if wvague is not None:
            vague["wounded"] = wvague
        victims, category = _victims(d)
        if d.sentence.index not in days:  # several incidents often share a sentence
            day = event_date(d.sentence.text.lower(), doc.published)
            days[d.sentence.index] = day.isoformat() if day else None
        loc = _location(d)
        conf = 0.8 if loc.region_code else 0.5
        if not k and not w:
            conf = 0.3
        text = doc.body[d.ev_start : d.ev_end]
        out.append(
            build(Incident,
                schema_version="1.0",
                incident_id=incident_id(art.id, d.ev_start, d.ev_end, idx),
                article_id=art.id,
                source=art.source,
                url=art.url,
                published=art.published,
                event_date=days[d.sentence.index],
                location=loc,
                killed=k,
                wounded=w,
                killed_min=kmin if d.killed else 0,
                killed_max=kmax if d.killed else 0,
                wounded_min=wmin if d.wounded else 0,
                wounded_max=wmax if d.wounded else 0,
                victim_category=category,
                victims=victims,
                vague=vague or None,
                method=d.method,
                perpetrator=d.perpetrator,
                evidence=build(Evidence, text=text, start=d.ev_start, end=d.ev_end),
                confidence=conf,
                extractor=EXTRACTOR,
            )
        )
    doc.incidents = out


@step("summary")
def summary_step(doc: Doc) -> None:
    """Stated vs extracted totals of the article."""
    ek = sum(i.killed for i in doc.incidents)
    ew = sum(i.wounded for i in doc.incidents)
    sk, sw = doc.stated_killed, doc.stated_wounded
    stated = sk is not None or sw is not None
    reconciled = None
    if stated:
        reconciled = (sk is None or sk == ek) and (sw is None or sw == ew)
    doc.summary = build(ArticleSummary,
        schema_version="1.0",
        article_id=doc.article.id,
        stated_killed=sk,
        stated_wounded=sw,
        stated_phrase=doc.stated_phrase,
        extracted_killed=ek,
        extracted_wounded=ew,
        incident_count=len(doc.incidents),
        reconciled=reconciled,
        gap_killed=None if sk is None else sk - ek,
        gap_wounded=None if sw is None else sw - ew,
    )
