"""Steps ``mentions`` and ``locate``: place mentions in the body and the place of each incident.

Resolution order for an incident: a place named inside its own clause (the most specific one:
site > neighbourhood > city/town > district > region > country), else the paragraph context (the
last place named earlier in the same paragraph, so "In Mosul, ..." carries to the following
sentences and a neighbourhood carries its city), else, for a single-event wire story, the place
named anywhere earlier in the article. A capitalised name after in/at/near that the gazetteer does
not know is kept as an unknown place with the region of its context.
Datelines ("BAGHDAD —", "NAIROBI, Kenya -") say where the reporter was and are ignored.
"""

from __future__ import annotations

import bisect
import re
from typing import Final, Protocol

from extractors.attribution import may_attribute, speech_spans
from extractors.gazetteer import Place
from extractors.pipeline import Doc, Mention, step
from extractors.rules import fired, on, rule
from extractors.segment import Sentence, token_offsets, tokenize

_PRECISION_RANK: Final = {"site": 0, "neighbourhood": 1, "city": 2, "town": 2, "district": 3, "region": 4,
                   "country": 5, "unknown": 6}
_DATELINE_TAIL: Final = re.compile(r"[^.\n]{0,40}?(?:\u2014|\u2013|--| - |\(AP\)|\(AFP\)|\(Reuters\))")
_UNKNOWN_PLACE: Final = re.compile(
    r"\b(?:in|at|near|outside|around)\s+(?:the\s+)?"
    r"((?:al-|el-|Al-)?[A-Z][a-z\u2019'\-]+(?:\s+(?:al-)?[A-Z][a-z\u2019'\-]+){0,2})"
)
_NOT_PLACES: Final = frozenset(
    (
        "The", "A", "An", "This", "That", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Iraq", "Iraqi", "Iraqis", "Islamic", "State", "Shiite", "Sunni",
        "Shi\u2019ite", "Shi'ite", "Sunnis", "Kurdish", "Kurds", "Christian", "Christians", "Arab", "Arabs", "U",
        "American", "Americans", "Coalition", "Parliament", "Ministry", "Army", "Police", "Peshmerga", "Daesh",
        "ISIS", "Qaeda", "Interior", "Defense", "Defence", "Health", "Government", "Council", "Awakening",
        "Sahwa", "Eid", "Ashura", "Ramadan", "Prime", "President", "General", "Both", "Each"
    )
)


R_DATELINE: Final = rule("places.dateline", "a dateline says where the reporter was, not the event")
R_STREET: Final = rule("places.street", "a name followed by Street, Square, Hospital... is not the place")
R_DIRECTION: Final = rule("places.direction", "a destination or origin ('walking to X') is not the place")
R_SPEAKER_PLACE: Final = rule("places.speaker", "the place in an attribution ('a Baghdad official said') is not it")
R_CONTEXT: Final = rule("places.paragraph_context", "without its own place, an incident takes its paragraph's")
R_UNKNOWN_NAME: Final = rule("places.unknown_name", "an unknown capitalised name after in/at/near is kept")


class PlaceFinder(Protocol):
    """What the steps use of a gazetteer (:class:`extractors.gazetteer.Gazetteer`, or a test stub)."""

    def find(self, text: str) -> list[tuple[int, int, Place]]:
        """Every mention in ``text`` as ``(start, end, place)``, sorted by start."""
        ...

    def lookup_all(self, name: str) -> list[Place]:
        """Every place a name can mean, best first."""
        ...


def _gazetteer() -> PlaceFinder | None:
    """The default gazetteer, or None when it is not available (extraction still works)."""
    try:
        from extractors.gazetteer import default_gazetteer

        return default_gazetteer()
    except Exception:  # missing data file or module: places stay unresolved, never fatal
        return None


_GAZ_CACHE: Final[list[PlaceFinder | None]] = []


def gazetteer() -> PlaceFinder | None:
    """Cached :func:`_gazetteer` (tests may replace the entry via :func:`set_gazetteer`)."""
    if not _GAZ_CACHE:
        _GAZ_CACHE.append(_gazetteer())
    return _GAZ_CACHE[0]


def set_gazetteer(g: PlaceFinder | None) -> None:
    """Use ``g`` for place resolution (tests and tools); None resets to the default."""
    _GAZ_CACHE.clear()
    if g is not None:
        _GAZ_CACHE.append(g)


_STREET: Final = re.compile(
    r"\s+(?:Street|St\.|Square|Road|Bridge|Highway|Avenue|Expressway|Hospital|University|street|square|road|bridge|"
    r"highway|avenue|hospital|university)\b"
)
_STREET_INITIALS: Final = "SRBHAEUsrbhaeu"


def _street_follows(body: str, end: int) -> bool:
    """Whether ``_STREET`` matches at ``end`` (the name is a street, square, bridge...). Two
    character tests give the usual answer without the regex: no whitespace follows the name,
    or the word after a single space cannot start one of the alternatives."""
    if not body[end : end + 1].isspace():
        return False
    after = body[end + 1 : end + 2]
    if after and not after.isspace() and after not in _STREET_INITIALS:
        return False
    return _STREET.match(body, end) is not None


def _is_dateline(body: str, start: int, end: int) -> bool:
    line_start = body.rfind("\n", 0, start) + 1
    if start - line_start > 2:
        return False
    name = body[start:end]
    if name.isupper() and body[end : end + 1] in ":,\u2014\u2013- ":
        return True
    return _DATELINE_TAIL.match(body, end) is not None and body[end : end + 1] in " ,\u2014\u2013-("


@step("mentions")
def mentions_step(doc: Doc) -> None:
    """All gazetteer mentions in the body, datelines removed, sorted by offset."""
    g = gazetteer()
    if g is None:
        doc.mentions = []
        return
    # only paragraphs with casualty sentences need places (context never crosses paragraphs),
    # and only those with a sentence that may count: a paragraph of excluded figures ("So far
    # this year ...") yields no total and no incident, so no step reads its places
    paragraphs = sorted({sh.sentence.paragraph for sh in doc.sent_hits if sh.excluded in (None, "overall")})
    if not paragraphs:
        doc.mentions = []
        return
    bounds: dict[int, list[int]] = {}
    for sent in doc.sentences:
        b = bounds.setdefault(sent.paragraph, [sent.start, sent.end])
        b[1] = sent.end
    mentions: list[Mention] = []
    body = doc.body
    for para in paragraphs:
        start, end = bounds[para]
        try:
            found = g.find(body[start:end])
        except Exception:  # a gazetteer bug must not stop extraction
            found = []
        for s, e, p in found:
            s, e = s + start, e + start
            if on(R_DATELINE) and _is_dateline(body, s, e):
                fired(R_DATELINE)
                continue
            if on(R_STREET) and _street_follows(body, e):
                fired(R_STREET)
                continue
            mentions.append(Mention(s, e, body[s:e], p))
    doc.mentions = mentions


# "walking to Karbala", "heading toward the city of Mosul", "fled from Falluja": a destination or
# origin, not where the event happened (read backwards from the mention's start)
_DIRECTION_BEFORE: Final = re.compile(
    r"\b(?:to|toward|towards|into|from)\s+(?:the\s+)?(?:(?:holy\s+|shrine\s+)?"
    r"(?:city|town|village|province|governorate|district)\s+of\s+)?$"
)


def _directional(body: str, m: Mention) -> bool:
    """Whether the mention is a destination or origin ("pilgrims walking to Karbala")."""
    lo = max(0, m.start - 40)
    # (every match holds "to" or "from": two substring tests settle most mentions in C)
    if body.find("to", lo, m.start) < 0 and body.find("from", lo, m.start) < 0:
        return False
    return _DIRECTION_BEFORE.search(body, lo, m.start) is not None


def _rank(place: Place) -> int:
    """Specificity rank (lower = more specific). A district of a city (Adhamiya in Baghdad) lies
    inside that city, so it ranks with neighbourhoods; a district without a city is larger."""
    if place.precision == "district" and place.city is not None:
        return _PRECISION_RANK["neighbourhood"]
    return _PRECISION_RANK.get(place.precision, 6)


def _best(mentions: list[Mention]) -> Mention | None:
    best = None
    best_rank = 99
    for m in mentions:
        if m.place is None:
            continue
        rank = _rank(m.place)
        # ties go to the later name: an opening "In Baghdad," sets the scene, "in Nahrawan" the event
        if rank <= best_rank:
            best, best_rank = m, rank
    return best


def _unknown_name(text: str) -> str | None:
    for m in _UNKNOWN_PLACE.finditer(text):
        name = m.group(1)
        first = name.split()[0]
        if first in _NOT_PLACES or first.rstrip("\u2019's") in _NOT_PLACES:
            continue
        return name
    return None


def _in_context(g: PlaceFinder | None, m: Mention, ctx: Mention) -> Mention:
    """For a name shared by several places (Mansour in Baghdad and in Mosul), the one in context."""
    place, cp = m.place, ctx.place
    if g is None or place is None or cp is None or not place.needs_context:
        return m
    if place.region_code == cp.region_code and (cp.city is None or place.city in (None, cp.city)):
        return m
    try:
        candidates = g.lookup_all(m.name)
    except Exception:  # a gazetteer bug must not stop extraction
        return m
    for want_city in (True, False):
        for c in candidates:
            if want_city and cp.city is not None and c.city == cp.city:
                return Mention(m.start, m.end, m.name, c)
            if not want_city and c.region_code is not None and c.region_code == cp.region_code:
                return Mention(m.start, m.end, m.name, c)
    return m


def _told_by(sent: Sentence, cache: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Character ranges of a sentence's attribution phrases (:mod:`extractors.attribution`)."""
    found = cache.get(sent.index)
    if found is None:
        tokenize(sent)
        spans = speech_spans(sent.toks) if may_attribute(sent) else []
        found = []
        if spans:
            starts = token_offsets(sent)
            ends = sent.ends
            for a, b in spans:
                if a < len(starts) and b - 1 < len(ends):
                    found.append((starts[a], ends[b - 1]))
        cache[sent.index] = found
    return found


@step("locate")
def locate_step(doc: Doc) -> None:
    """Attach a place (or context place, or unknown name) to every draft incident."""
    g = gazetteer()
    spoken: dict[int, list[tuple[int, int]]] = {}
    starts = [m.start for m in doc.mentions]
    para_starts: list[int] = []
    for sent in doc.sentences:
        if sent.paragraph == len(para_starts):
            para_starts.append(sent.start)
    for d in doc.drafts:
        s = d.sentence
        lo = bisect.bisect_left(starts, d.ev_start)
        hi = bisect.bisect_left(starts, d.ev_end)
        own = [m for m in doc.mentions[lo:hi] if m.place is not None and m.end <= d.ev_end]
        if own and on(R_SPEAKER_PLACE):
            told = _told_by(s, spoken)
            if told:  # "..., a Baghdad official said": the speaker's city is not the event's place
                said = [m for m in own if not any(a <= m.start < b for a, b in told)]
                if len(said) < len(own):
                    fired(R_SPEAKER_PLACE)
                own = said
        # the place of the event before a destination or origin named in the same clause
        where = [m for m in own if not _directional(doc.body, m)] if len(own) > 1 and on(R_DIRECTION) else own
        if len(where) < len(own):
            fired(R_DIRECTION)
        d.mention = _best(where or own)
        # context: the paragraph's topic place = the first place named in it before this clause
        ctx = None
        j = bisect.bisect_left(starts, para_starts[s.paragraph])
        while j < lo:
            if doc.mentions[j].place is not None:
                ctx = doc.mentions[j]
                break
            j += 1
        d.context_mention = ctx if on(R_CONTEXT) else None
        if d.mention is None and ctx is not None:
            fired(R_CONTEXT)
        if d.mention is not None and ctx is not None and d.mention is not ctx:
            d.mention = _in_context(g, d.mention, ctx)
        if d.mention is None and on(R_UNKNOWN_NAME):
            d.unknown_name = _unknown_name(doc.body[d.ev_start : d.ev_end])
            if d.unknown_name is not None:
                fired(R_UNKNOWN_NAME)

