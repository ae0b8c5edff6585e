"""Steps ``records`` and ``summary``: build the Incident and ArticleSummary records."""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from datetime import date
from typing import Any, Final, TypeVar, get_args

from pydantic import BaseModel

from extractors.clauses import Group
from extractors.context import event_date
from extractors.gazetteer import SPANNING_AREAS, Place
from extractors.pipeline import Doc, Draft, step
from schemas.records import (
    SCHEMA_VERSION,
    ArticleSummary,
    Evidence,
    ExtractorInfo,
    Incident,
    Location,
    Precision,
    SuspectFigure,
    UncountedFigure,
    VictimGroup,
)

EXTRACTOR_NAME: Final = "casualty-rules"
EXTRACTOR_VERSION: Final = "0.1.0"
EXTRACTOR: Final = ExtractorInfo.model_construct(name=EXTRACTOR_NAME, version=EXTRACTOR_VERSION)

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


_BASE_SLOTS: Final = BaseModel.__dict__
_new_object: Final[Any] = object.__new__
_set_dict: Final = _BASE_SLOTS["__dict__"].__set__
_set_fields_set: Final = _BASE_SLOTS["__pydantic_fields_set__"].__set__
_set_extra: Final = _BASE_SLOTS["__pydantic_extra__"].__set__
_set_private: Final = _BASE_SLOTS["__pydantic_private__"].__set__


class _Maker:
    """Constructor of one record class from a dict holding *every* field: the fast form of
    :func:`build` for the records built per incident. The field-name set is one set shared by
    the class's records (see ``__init__``), and the instance dict and
    pydantic's private slots are written through their descriptors (faster than
    ``object.__setattr__``, which looks the descriptor up at every call). A class rather than a
    closure: compiled, calling its method is a native call."""

    __slots__ = ("cls", "fields")

    def __init__(self, cls: type[BaseModel]) -> None:
        if cls.model_config.get("extra") == "allow":
            raise TypeError(f"{cls.__name__}: a record with extra fields would add them to the shared set")
        self.cls = cls
        # one set for every record of the class: pydantic only ever adds a field's name to it
        # (attribute assignment, ``model_copy`` on its own copy), and every name is in it
        # already, so it never changes; a copy per record cost 0.5k instructions, 25 a report
        self.fields = set(cls.model_fields)

    def make(self, values: dict[str, Any]) -> Any:
        """A ``cls`` record holding ``values`` (not validated)."""
        obj = _new_object(self.cls)
        _set_dict(obj, values)
        _set_fields_set(obj, self.fields)
        _set_extra(obj, None)
        _set_private(obj, None)
        return obj


_INCIDENT: Final = _Maker(Incident)
_LOCATION: Final = _Maker(Location)
_EVIDENCE: Final = _Maker(Evidence)
_VICTIM_GROUP: Final = _Maker(VictimGroup)

def _builtin_sha256() -> Callable[[bytes], Any]:
    """CPython's own SHA-256: the same digest as hashlib's OpenSSL one, without OpenSSL's context
    set-up, which costs more than hashing these short keys (1.5k of 8.8k instructions an id)."""
    try:
        return importlib.import_module("_sha256").sha256  # type: ignore[no-any-return]
    except (ImportError, AttributeError):  # (an interpreter built without it)
        return hashlib.sha256


_sha256: Final = _builtin_sha256()  # (bound once: compiled, no module attribute lookup per incident)


def incident_id(article_id: str, start: int, end: int, index: int) -> str:
    """Deterministic id: sha256 of article id, evidence offsets and position, 20 hex chars."""
    raw = f"{article_id}|{start}|{end}|{index}".encode()
    return _sha256(raw).digest()[:10].hex()  # (= hexdigest()[:20], without the other 44 digits)


_NO_BOUNDS: Final[tuple[int, int, int | None, str | None]] = (0, 0, 0, None)
"""Bounds of a side without victim groups: none stated is exactly none (max 0, not open)."""
_MISSING: Final[Any] = object()


def _bounds(groups: list[Group]) -> tuple[int, int, int | None, str | None]:
    if not groups:  # the killed-only / wounded-only side of most incidents
        return _NO_BOUNDS
    if len(groups) == 1:
        g = groups[0]
        return g.value, g.low, g.high, g.vague
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
    if len(d.killed) + len(d.wounded) == 1:  # most incidents: one victim group, no table needed
        g = (d.killed or d.wounded)[0]
        killed, wounded = (g.value, 0) if d.killed else (0, g.value)
        return [_VICTIM_GROUP.make({"category": g.category, "killed": killed, "wounded": wounded})], g.category
    table: dict[str, list[int]] = {}
    for g in d.killed:
        table.setdefault(g.category, [0, 0])[0] += g.value
    for g in d.wounded:
        table.setdefault(g.category, [0, 0])[1] += g.value
    groups = [_VICTIM_GROUP.make({"category": c, "killed": k, "wounded": w}) for c, (k, w) in table.items()]
    counted = [c for c, (k, w) in table.items() if k or w]
    if len(counted) == 1:
        category = counted[0]
    elif len(counted) > 1:
        category = "mixed"
    else:
        category = next(iter(table), "unknown")
    return groups, category


_PRECISIONS: Final = frozenset(get_args(Precision))


def _precision(value: str | None) -> str:
    """A gazetteer precision as a records.Precision ("town" and unknown values degrade safely)."""
    if value in _PRECISIONS:
        return str(value)
    return "city" if value == "town" else "unknown"


def _place_location(name: str | None, p: Place) -> Location:
    if p.region_code in SPANNING_AREAS:  # (no first-level division: the country only)
        return _LOCATION.make({"name": name, "place": p.name, "city": None, "region": None, "region_code": None,
                               "country": p.country, "lat": p.lat, "lon": p.lon, "precision": "country"})
    return _LOCATION.make({"name": name, "place": p.name, "city": p.city, "region": p.region,
                           "region_code": p.region_code, "country": p.country, "lat": p.lat, "lon": p.lon,
                           "precision": _precision(p.precision)})


def _location(d: Draft) -> Location:
    m = d.mention
    if m is not None and m.place is not None:
        return _place_location(m.name, m.place)
    ctx = d.context_mention.place if d.context_mention is not None else None
    if d.unknown_name is not None:
        region: str | None = None
        code: str | None = None
        if ctx is not None and ctx.region_code not in SPANNING_AREAS:
            region, code = ctx.region, ctx.region_code
        return _LOCATION.make({"name": d.unknown_name, "place": None, "city": ctx.city if ctx else None,
                               "region": region, "region_code": code,
                               "country": ctx.country if ctx else None, "lat": None, "lon": None,
                               "precision": "unknown"})
    if ctx is not None:
        return _place_location(d.context_mention.name, ctx)  # type: ignore[union-attr]
    return _LOCATION.make({"name": None, "place": None, "city": None, "region": None, "region_code": None,
                           "country": None, "lat": None, "lon": None, "precision": "unknown"})


def _approximate(d: Draft) -> dict[str, str] | None:
    """The qualifier of each side's stated figure ("more than 40" -> {"killed": "more than"})."""
    out: dict[str, str] | None = None
    for side, groups in (("killed", d.killed), ("wounded", d.wounded)):
        for g in groups:
            if g.qualifier is not None and g.vague is None:
                if out is None:
                    out = {}
                out[side] = g.qualifier
                break
    return out


def _day_retold(d: Draft, report_day: date | None, day: str | None) -> tuple[str | None, str | None]:
    """The day a later sentence gives an incident whose own sentence names none (a lead that
    tells the toll, a paragraph below that tells when): the first retelling that names one."""
    for sent in d.retellings:
        when, cue = event_date(sent, report_day)
        if cue is not None:
            return (when.isoformat() if when else None), cue
    return day, None


@step("records")
def records_step(doc: Doc) -> None:
    """One Incident record per draft, in text order."""
    art = doc.article
    article_id, source, url, published = art.id, art.source, art.url, art.published
    body = doc.body
    out: list[Incident] = []
    days: dict[int, tuple[str | None, str | None]] = {}
    tolls: dict[int, int] | None = None  # sentence -> the token of its toll's figure (worked out once)
    for idx, d in enumerate(doc.drafts):
        k, kmin, kmax, kvague = _bounds(d.killed)
        w, wmin, wmax, wvague = _bounds(d.wounded)
        vague = None
        if kvague is not None or wvague is not None:
            vague = {}
            if kvague is not None:
                vague["killed"] = kvague
            if wvague is not None:
                vague["wounded"] = wvague
        victims, category = _victims(d)
        sentence = d.sentence
        dated = days.get(sentence.index, _MISSING)
        if dated is _MISSING:  # several incidents often share a sentence
            if tolls is None:
                tolls = {sh.sentence.index: sh.toll[1].start for sh in doc.sent_hits if sh.toll is not None}
            when, cue = event_date(sentence, doc.report_day, tolls.get(sentence.index))
            dated = days[sentence.index] = (when.isoformat() if when else None, cue)
        day, time_cue = dated
        if time_cue is None and d.retellings:
            day, time_cue = _day_retold(d, doc.report_day, day)
        loc = _location(d)
        conf = 0.8 if loc.region_code else 0.5
        if not k and not w:
            conf = 0.3
        start, end = d.ev_start, d.ev_end
        # (the same fields in the same order as schemas.records.Incident declares them)
        out.append(_INCIDENT.make({
            "schema_version": SCHEMA_VERSION,
            "incident_id": incident_id(article_id, start, end, idx),
            "article_id": article_id,
            "source": source,
            "url": url,
            "published": published,
            "event_date": day,
            "location": loc,
            "killed": k,
            "wounded": w,
            "killed_min": kmin,
            "killed_max": kmax,
            "wounded_min": wmin,
            "wounded_max": wmax,
            "victim_category": category,
            "victims": victims,
            "vague": vague,
            "method": d.method,
            "perpetrator": d.perpetrator,
            "evidence": _EVIDENCE.make({"text": body[start:end], "start": start, "end": end}),
            "confidence": conf,
            "extractor": EXTRACTOR,
            "status": d.status,
            "status_reason": d.status_reason,
            "time_cue": time_cue,
            "approximate": _approximate(d),
        }))
    doc.incidents = out



@step("summary")
def summary_step(doc: Doc) -> None:
    """Stated vs extracted (counted) totals of the article, the suspect and the uncounted figures."""
    ek = ew = sk_ = sw_ = 0
    suspect: list[SuspectFigure] = []
    for i in doc.incidents:
        if i.status == "counted":
            ek += i.killed
            ew += i.wounded
        else:
            sk_ += i.killed
            sw_ += i.wounded
            suspect.append(build(SuspectFigure, incident_id=i.incident_id, killed=i.killed, wounded=i.wounded,
                                 reason=i.status_reason or ""))
    sk, sw = doc.stated_killed, doc.stated_wounded
    stated = sk is not None or sw is not None
    reconciled = None
    if stated:
        reconciled = (sk is None or sk == ek) and (sw is None or sw == ew)
    doc.summary = build(ArticleSummary,
        schema_version=SCHEMA_VERSION,
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
        headline_killed=doc.headline_killed,
        headline_wounded=doc.headline_wounded,
        suspect_killed=sk_,
        suspect_wounded=sw_,
        suspect=suspect,
        not_counted=_not_counted(doc),
    )


def _not_counted(doc: Doc) -> list[UncountedFigure]:
    """One entry per sentence with figures set aside by their scope (killed and wounded summed)."""
    out: list[UncountedFigure] = []
    for sh in doc.sent_hits:
        if not sh.dropped:
            continue
        killed = sum(h.value for h, _ in sh.dropped if h.kind == "k")
        wounded = sum(h.value for h, _ in sh.dropped if h.kind == "w")
        if not killed and not wounded:
            continue
        scope = sh.dropped[0][1]
        out.append(build(UncountedFigure, killed=killed, wounded=wounded, scope=scope.kind, cue=scope.cue,
                         text=sh.sentence.text))
    return out
