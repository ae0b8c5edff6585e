"""Steps ``mentions``, ``locate`` and ``places``: place mentions in the body and the place of
each incident.

Resolution order for an incident: a place named inside its own clause (the most specific one:
site > neighbourhood > city/town > district > region > country), else the paragraph context (the
last place named earlier in the same paragraph, so "In Mosul, ..." carries to the following
sentences and a neighbourhood carries its city), else, for a single-event wire story, the place
named anywhere earlier in the article. A capitalised name after in/at/near that the gazetteer does
not know is kept as an unknown place with the region of its context.
Datelines ("BAGHDAD —", "NAIROBI, Kenya -") say where the reporter was and are not places of
incidents; they set the article's country (:mod:`extractors.geocontext`).

Outside Iraq (``locate``, before the merge step): a name that several places share in different
regions or countries ("Tripoli", "Punjab", "Springfield") is chosen by the article's country
context and population (:func:`extractors.geocontext.choose`), or dropped when nothing decides;
of the places named in one clause, those in the article's countries are preferred ("a Bogota
police officer" beats a US town of the same clause).

Step ``places`` (after the merge step, so it never changes which figures are folded together)
refines where an incident is: a town or district named after a place cue ("in the village of
X", "near the border town of X", "in the X district of Y") that only the minor places know, in
the article's country and consistent with the region already found; a capital ("Balochistan's
capital", "the provincial capital", "Somalia's capital"); and for an incident without any place
in a wire story, the article's one region (or its country, precision ``country``).
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Final, Protocol

from extractors.attribution import may_attribute, speech_spans
from extractors.gazetteer import Gazetteer, Place, name_keys, start_spans
from extractors.geocontext import (
    ADJECTIVE_SPAN,
    EMPTY,
    CountryContext,
    article_context,
    choose,
    located,
    parse_dateline,
)
from extractors.pipeline import Doc, Draft, Mention, SentHits, step
from extractors.record import bisect_left
from extractors.rules import fired, on, rule
from extractors.segment import KeyWords, Sentence, token_offsets, tokenize

_PRECISION_RANK: Final = {"site": 0, "neighbourhood": 1, "city": 2, "town": 2, "district": 3, "region": 4,
                   "country": 5, "unknown": 6}
# what follows a dateline's city: a dash, or an agency in parentheses ("(AP)", "(ANI):", "(PTI)"), or
# the bars some sites print ("Maiduguri, Nigeria | AFP |"), within a country and a date
# (a dot only after a month's abbreviation: "MOGADISHU, Nov. 12 (Xinhua) --")
_DATELINE_TAIL: Final = re.compile(
    r"(?:[^.\n]|\.(?= \d)){0,40}?(?:\u2014|\u2013|--| - | _ |\([A-Z][A-Za-z]{1,11}\)| \| )"
)
_UNKNOWN_PLACE: Final = re.compile(
    r"\b(?:[Ii]n|[Aa]t|[Nn]ear|[Oo]utside|[Aa]round|"
    # "on the southern island of X", "drones on the frontline town of X" ("on" names a
    # place only before an island, a town, a city or a village "of")
    r"[Oo]n(?=\s+(?:the\s+)?(?:[A-Za-z\-]+\s+){0,3}(?:islands?|town|city|village)\s+of\s))\s+(?:the\s+)?"
    # "in northern Burkina Faso's Soum province": a compass word before an owner's name (kept only
    # when the name owns another: "in southeastern Mexico" names the country, no town)
    r"(?P<compass>(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+"
    r"|central\s+)?"
    # "near the border town of X", "in the remote village of X", "in the X district of Y"
    r"(?P<kind>(?:[A-Za-z\-]+\s+){0,3}(?:town|city|village|villages|district|province|region|area|county|state|"
    r"community|locality|commune|settlement|camp|island|islands|"
    # "in the mountains of X province", "on the outskirts of X": the land around a place
    r"mountains|hills|foothills|forests?|jungles?|desert|countryside|outskirts|suburbs|environs|"
    r"coast|valley|heart|centre|center)\s+of\s+)?"
    r"(?P<name>(?:al-|el-|Al-)?[A-Z][a-z\u2019'\-]+"
    # "in Pakistan's northwestern Bajaur district", "in Cameroon's English-speaking Northwest
    # region": a compass word or adjectives (up to two) after an owner's name
    r"(?:(?<='s|\u2019s|s'|s\u2019)(?:\s+(?:[a-z][a-z\-]+|[A-Z][a-z]+-[a-z]+)){1,2}"
    r"(?=\s+[A-Z]))?"
    r"(?:\s+(?:al-)?[A-Z][a-z\u2019'\-]+){0,2})"
)
_SETTLEMENT_OF: Final = re.compile(
    r"\bthe\s+(?:[a-z\-]+\s+){0,2}(?:town|city|village|villages|district|county|commune|settlement|camp|island)"
    r"\s+of\s+(?P<name>(?:al-|el-|Al-)?[A-Z][a-z\u2019'\-]+(?:\s+(?:al-)?[A-Z][a-z\u2019'\-]+){0,2})"
)
"""A settlement named with its kind and no preposition before it ("stormed the town of X"): the
object of a verb, read in a story's opening when no place cue names a town there."""
R_SETTLEMENT_OBJECT: Final = rule("places.settlement_object",
                                  "a story's opening that names 'the town of X' as what was attacked places it")
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
R_FINER_TOPIC: Final = rule("places.finer_topic",
                            "a paragraph that first names a country is about the first place inside it it names")
R_ONE_PROVINCE: Final = rule("places.one_province",
                             "an Iraqi report whose places all lie in one province places its unplaced incidents there")
R_TOLD_AFTER: Final = rule("places.told_after",
                           "a figure told with no place takes the one place the next sentences of its paragraph name, "
                           "when they tell no casualties of their own")
R_ORGANISATION: Final = rule("places.organisation",
                             "a name inside a party's or an armed group's name ('X Workers' Party') is not the place")
R_LONE_DISTRICT: Final = rule("places.lone_district", "a district the gazetteer knows in one region only places it")
R_DATELINE_CITY: Final = rule("places.dateline_city", "'in the city', no city named before: the dateline's city")
R_FIGURES_CLAUSE: Final = rule("places.figures_clause",
                               "a place named after 'while' or ';' past the figures belongs to the next clause")
R_NEAR_SPELLING: Final = rule("places.near_spelling",
                              "an unknown name after a place cue in an Iraqi report is the town it spells otherwise")
R_ONLY_PLACE: Final = rule("places.only_place",
                           "an Iraqi report naming one city only: its unplaced incidents are there")
R_CAPITAL_NOT_CONTEXT: Final = rule("places.capital_not_context",
                               "'in the capital' names the capital, not the place of the sentence before")
R_REFERENCE_POINT: Final = rule(
    "places.reference_point", "the place a town is measured from ('X, 40 km south of Baghdad') is not its place",
)
R_DIRECTION: Final = rule("places.direction", "a destination or origin ('walking to X') is not the place")
R_GLOSS: Final = rule("places.distance_gloss", "'(250 km north of X)' after a place tells where that place lies")
R_FOREIGN_NAMESAKE: Final = rule(
    "places.foreign_namesake",
    "in a report about Iraq, a town abroad counts only when its paragraph names its country",
)
# an open parenthesis, a distance and anything but a parenthesis up to the mention
_GLOSS_BEFORE: Final = re.compile(
    r"\(\s*(?:about\s+|some\s+|nearly\s+|around\s+)?\d[\d,.]*\s*(?:km|kms|kilometres|kilometers|miles|mi)\b[^()]*$"
)
R_TOWN_COUNTRY: Final = rule(
    "places.town_country",
    "a town followed by a country ('Tripoli, Lebanon') is that country's town, or none the gazetteer knows",
)
R_OWNER: Final = rule(
    "places.owner", "a place named with its owner ('Chhattisgarh's Bijapur district') is the one inside it",
)
R_REGION_OF: Final = rule(
    "places.region_of",
    "'the province of Kandahar', 'the Donetsk region': the region of that name, not its city",
)
# "the (eastern Ukrainian) region of Donetsk", "the province of Kandahar": the name is the region's
_REGION_OF_BEFORE: Final = re.compile(
    r"\b(?:region|province|state|governorate|oblast|prefecture|department)\s+of\s+(?:the\s+)?$", re.I)
# "the Donetsk region", "Kandahar province": a name that carries its own type word
_TYPED_NAME: Final = re.compile(
    r"\s(?:region|province|state|governorate|oblast|prefecture|department)$", re.I)
R_LONGER_NAME: Final = rule(
    "places.longer_name", "a world name followed by words that make a longer town's name is that town",
)
R_SPEAKER_PLACE: Final = rule("places.speaker", "the place in an attribution ('a Baghdad official said') is not it")
R_LOCAL_SPEAKER: Final = rule(
    "places.local_speaker", "'police in Kunduz said two were wounded', no other place told: the speakers' town is it")
R_CONTEXT: Final = rule("places.paragraph_context", "without its own place, an incident takes its paragraph's")
R_THERE: Final = rule(
    "places.there",
    "'there', 'in the same city' after a place: that place, not the paragraph's first",
)
# "there" as a place ("a separate incident there"), not the existential "there were"; "the same town"
_ANAPHOR: Final = re.compile(
    r"\bthere\b(?!\s+(?:is|are|was|were|have|has|had|will|would|may|might|could|seems?|appears?|remains?)\b)"
    r"|\bthe same (?:city|town|village|area|district|neighbou?rhood|province|place|spot|street|market)\b",
    re.IGNORECASE,
)
R_FRONTED_PLACE: Final = rule(
    "places.fronted", "a place fronted in a sentence ('In X, ...; in a separate incident, ...') holds for all of it"
)
_FRONTED_PLACE: Final = re.compile(r"(?:(?:Also|Elsewhere|Meanwhile|And),? )?(?:In|Near|Outside|At) (?:the )?")
"""What may come before a place that opens a sentence and governs it."""
R_BACKGROUND_PLACE: Final = rule(
    "places.background_clause",
    "a place in a later clause whose figures are set aside ('..., a day after a bomber killed nine in X') is not it",
)
R_BETWEEN: Final = rule("places.between", "'between A and B' in two provinces: the country, no province")
R_IRAQI_NAME: Final = rule(
    "places.iraqi_name",
    "in a report about Iraq, a name after a place cue is the Iraqi town of that name",
)
_LABEL: Final = re.compile(r"([A-Z][\w'\-]+(?: [A-Z][\w'\-]+){0,2}):\s")
_NAMED_BETWEEN: Final = re.compile(r"\b(?:[Ii]n|[Aa]t|[Nn]ear|[Oo]utside|[Aa]round)\s+(?:the\s+)?[A-Z][a-z]")
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


# A street, square or bridge named after a town is not in that town, and "X hospital" is where
# the wounded were taken more often than where the attack was. A university or college named
# after its town is in it: not listed.
_STREET: Final = re.compile(
    r"\s+(?:Street|St\.|Square|Road|Bridge|Highway|Avenue|Expressway|Hospital|street|square|road|bridge|"
    r"highway|avenue|hospital)\b"
)
_STREET_INITIALS: Final = "SRBHAEsrbhae"


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


# A place's name inside an organisation's: "the X Workers' Party", "X Liberation Army", "the X
# Regional Government", "Patriotic Union of X". The party is named where it fights, not where it
# was founded, and its members die far from the place in its name.
_ORGANISATION_AFTER: Final = re.compile(
    r"(?:\s+[A-Z][\w\u2019'.-]*){0,2}?\s+(?:Party|Front|League|Movement|Falcons|Tigers)\b"
    r"|\s+(?:Liberation\s+Army|Regional\s+Government)\b"
)
_ORGANISATION_HEADS: Final = frozenset(("Party", "Union", "Front", "Movement", "League"))
"""Heads of an organisation's name that the place's name follows ("Patriotic Union of X")."""


def _in_organisation(body: str, start: int, end: int) -> bool:
    """Whether the name at ``body[start:end]`` is part of an organisation's name."""
    # (an organisation's words are capitalised, and "of" stands before the name: two cheap tests
    # settle almost every mention before a regex runs)
    if end + 1 < len(body) and body[end] == " " and body[end + 1].isupper() and _ORGANISATION_AFTER.match(
            body, end) is not None:
        return True
    if start < 4 or body[start - 1] != " " or "of " not in body[start - 8 : start]:
        return False
    words = body[max(0, start - 24) : start].split()
    if words and words[-1] == "the":
        words.pop()
    return len(words) >= 2 and words[-1] == "of" and words[-2] in _ORGANISATION_HEADS


R_PERSON_TITLE: Final = rule(
    "places.person_title",
    "a name after a person's title and before a surname ('Deputy Prime Minister Salam al-Zobaie') is the person's",
)
_TITLES: Final = (
    "Minister", "President", "Premier", "General", "Gen.", "Governor", "Gov.", "Mayor", "Sheikh", "Sheik", "Colonel",
    "Col.", "Judge", "Imam", "Ayatollah", "Dr.", "Mr.", "Mrs.", "Ms.", "Brigadier", "Brig.", "Major", "Maj.",
    "Lieutenant", "Lt.", "Captain", "Capt.", "Sergeant", "Sgt.", "Commander", "Senator", "Sen.", "Lawmaker", "MP",
    "Emir", "Prince", "King", "Mullah", "Maulana", "Cleric", "Spokesman", "Chief",
)
_ROLES: Final = (
    "lawmaker", "spokesman", "spokeswoman", "spokesperson", "governor", "commander", "minister", "mayor", "senator",
    "official", "chief", "leader", "resident", "witness", "activist", "journalist", "analyst", "legislator",
    "councillor", "councilor", "chairman", "director", "administrator", "head", "MP",
)
"""A person's role in lower case before the name ("lawmaker Dickson Chollom said")."""
_TITLE_WORDS: Final = frozenset((*_TITLES, *_ROLES))
_SPEAKER_WORDS: Final = frozenset(("said", "says", "told"))
_TITLE_ENDS: Final = frozenset(t[-1] for t in (*_TITLES, *_ROLES, *_SPEAKER_WORDS))
_SURNAME_AFTER: Final = re.compile(r"\s+(?:(?:al|el|bin|ibn|abu|abd|van|de)[-\s])?[A-Z][a-z]")


def _a_persons_name(body: str, start: int, end: int, world: bool = False) -> bool:
    """Whether the mention ``body[start:end]`` is a first name after a title or a role, a surname
    after it; for a place outside Iraq (``world``), after "said" too ("said Dickson Chollom")."""
    if start < 2 or not body[start - 1].isspace() or body[start - 2] not in _TITLE_ENDS:
        return False  # (one character test answers most mentions: "in Mosul", "of Baghdad")
    # (the word before, sliced at the space before it: no list of the words around)
    lo = max(0, start - 17)
    space = max(body.rfind(" ", lo, start - 1), body.rfind("\n", lo, start - 1))
    word = body[(space if space >= 0 else lo - 1) + 1 : start - 1].strip()
    return (word in _TITLE_WORDS or (world and word in _SPEAKER_WORDS)) and (
        _SURNAME_AFTER.match(body, end) is not None)


def _is_dateline(body: str, start: int, end: int, labels: int = 0) -> bool:
    """Whether the place named at ``body[start:end]`` is a dateline (``labels``: how many lines of
    the body open with a place and a colon or a dash)."""
    line_start = body.rfind("\n", 0, start) + 1
    if start - line_start > 2:
        return False
    if labels >= 2:
        # two lines or more opened by a name and a dash or colon: a round-up's items labelled by
        # their places ("- Mosul - gunmen killed ...", "KANDAHAR: ..."), not datelines; only an
        # agency's mark makes one ("KABUL, Afghanistan (AP) -", a digest's next story)
        tail = _DATELINE_TAIL.match(body, end)
        return tail is not None and "(" in tail.group()
    name = body[start:end]
    if name.isupper() and body[end : end + 1] in ":,\u2014\u2013- ":
        return True
    return _DATELINE_TAIL.match(body, end) is not None and body[end : end + 1] in " ,\u2014\u2013-("


def _line_label(body: str, start: int, end: int) -> bool:
    """Whether the name opens a line as its label ("KANDAHAR: gunmen ...", "- Mosul - ...")."""
    line_start = body.rfind("\n", 0, start) + 1
    return start - line_start <= 2 and body[end : end + 2] in (": ", " -", " \u2014", " \u2013")


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
    # (a toll statement may become a story's lead: lead_toll_step)
    paragraphs = sorted({sh.sentence.paragraph for sh in doc.sent_hits if sh.excluded in (None, "overall", "toll")})
    if not paragraphs:
        doc.mentions = []
        return
    bounds: dict[int, list[int]] = {}
    for sent in doc.sentences:
        b = bounds.setdefault(sent.paragraph, [sent.start, sent.end])
        b[1] = sent.end
    mentions: list[Mention] = []
    paragraph_of: list[int] = []
    body = doc.body
    world = _world_gazetteer(g)
    per_paragraph: list[tuple[int, int, list[tuple[int, int, Place]]]] = []
    labels = 0  # lines opened by a place and a colon or a dash (a round-up's item labels)
    for para in paragraphs:
        start, end = bounds[para]
        try:
            if world is not None:
                spans: list[tuple[int, int]] = []
                found = world.find(body[start:end], spans_out=spans)
                doc.paragraph_spans[para] = spans  # (for the country context: _opening_spans)
            else:
                found = g.find(body[start:end])
        except Exception:  # a gazetteer bug must not stop extraction
            found = []
        per_paragraph.append((para, start, found))
        if found and labels < 2 and found[0][0] <= 2 and _line_label(body, found[0][0] + start, found[0][1] + start):
            labels += 1
    for para, start, found in per_paragraph:
        for s, e, p in found:
            s, e = s + start, e + start
            if on(R_DATELINE) and _is_dateline(body, s, e, labels):
                fired(R_DATELINE)
                continue
            if on(R_STREET) and _street_follows(body, e):
                fired(R_STREET)
                continue
            # (parties and armed groups are named after regions, countries and peoples, not towns)
            if p.kind in _COARSE and _in_organisation(body, s, e) and on(R_ORGANISATION):
                fired(R_ORGANISATION)
                continue
            if _a_persons_name(body, s, e, p.country != "IQ") and on(R_PERSON_TITLE):
                fired(R_PERSON_TITLE)
                continue
            if mentions and on(R_GLOSS) and _GLOSS_BEFORE.search(body, max(0, s - 60), s):
                fired(R_GLOSS)  # "west of Ramadi (110 km west of Baghdad)": where Ramadi lies
                continue
            if p.country != "IQ" and p.kind != "country" and e - s > 2 and body[s:e].isupper() and not (
                    _line_label(body, s, e)):
                continue  # an acronym ("MENA", "SANA" news agencies), not a world town
            if world is not None and p.country != "IQ" and p.kind != "country" and on(R_LONGER_NAME):
                longer = _longer_name(body, s, e, world, end)
                if longer is not None:
                    fired(R_LONGER_NAME)  # "Anar Darah" is a town of its own, not Anar with a word after it
                    e, p = longer
            mentions.append(Mention(s, e, body[s:e], p))
            paragraph_of.append(para)
    if world is not None and on(R_TOWN_COUNTRY):
        settled = _town_in_named_country(mentions, body, world, doc.settled_places)
        paragraph_of = [paragraph_of[i] for i, m in enumerate(settled) if m is not None]
        mentions = [m for m in settled if m is not None]
    if world is not None and on(R_OWNER):
        mentions = _places_of_owner(mentions, body, world, doc.settled_places)
    if world is not None and on(R_REGION_OF):
        mentions = _regions_named(mentions, body, world, doc.settled_places)
    if world is not None and on(R_FOREIGN_NAMESAKE):
        mentions = _without_foreign_namesakes(mentions, paragraph_of, body, bounds, world)
    doc.mentions = mentions


_OWNER_GAP: Final = re.compile(r"['\u2019]s\s+(?:[a-z\-]+\s+){0,2}")


def _places_of_owner(mentions: list[Mention], body: str, g: Gazetteer, settled: set[int]) -> list[Mention]:
    """A place named with its owner ("Chhattisgarh's Bijapur district", "Nigeria's northeastern
    Borno", "rural Damascus") is the one inside that owner, whatever the most populous of the
    name is; kept as found when the gazetteer knows none inside. The starts of the places so
    settled go to ``settled``."""
    out = mentions
    for i, m in enumerate(mentions):
        if m.place is None or m.place.kind != "city" or m.place.country == "IQ":
            continue
        lo = m.start - 24 if m.start > 24 else 0
        if body.find("ural", lo, m.start) >= 0 or body.find("countryside", lo, m.end + 12) >= 0:
            region = _countryside(body, m, g)
            if region is not None:
                fired(R_OWNER)
                settled.add(m.start)
                if out is mentions:
                    out = list(mentions)
                out[i] = Mention(m.start, m.end, m.name, region)
    for i in range(len(mentions) - 1):
        owner, m = out[i], out[i + 1]
        if owner.place is None or m.place is None or owner.place.kind not in ("region", "country"):
            continue
        if body[owner.end:owner.end + 1] not in ("'", "\u2019") or _OWNER_GAP.fullmatch(
                body, owner.end, m.start) is None:
            continue
        inside = _inside(owner.place, m.place)
        if inside:
            settled.add(m.start)
            continue
        try:
            cands = [p for p in g.lookup_all(m.name, minor=True) if p.kind != "country" and _inside(owner.place, p)]
        except Exception:  # a gazetteer bug must not stop extraction
            cands = []
        if cands:
            fired(R_OWNER)
            settled.add(m.start)
            if out is mentions:
                out = list(mentions)
            out[i + 1] = Mention(m.start, m.end, m.name, max(cands, key=lambda p: (p.kind == "region", p.population)))
    return out


_RURAL_BEFORE: Final = re.compile(r"(?:\b[Rr]ural|\bcountryside\s+of(?:\s+the)?)\s+$")


def _countryside(body: str, m: Mention, g: Gazetteer) -> Place | None:
    """The region a city's countryside forms, when the gazetteer has one ("rural Damascus", "the
    Damascus countryside", "the countryside of Damascus": Rif Dimashq), else None."""
    if body.startswith(" countryside", m.end):
        name = f"{m.name} Countryside"
    elif _RURAL_BEFORE.search(body, max(0, m.start - 24), m.start) is not None:
        name = f"Rural {m.name}"
    else:
        return None
    try:
        keys = name_keys(name)
        regions = [p for p in g.lookup_all(name) if p.kind == "region" and keys and keys[0] in
                   {k for v in (p.name, name) for k in name_keys(v)}]
    except Exception:  # a gazetteer bug must not stop extraction
        return None
    return regions[0] if regions and regions[0].region_code != m.place.region_code else None  # type: ignore[union-attr]


def _inside(owner: Place, p: Place) -> bool:
    if owner.kind == "country":
        return p.country == owner.country
    return p.region_code is not None and p.region_code == owner.region_code


def _regions_named(mentions: list[Mention], body: str, g: Gazetteer, settled: set[int]) -> list[Mention]:
    """A name the text calls a region ("the province of Kandahar", "the Donetsk region") is that
    region, not the city that shares its name, and the article's country context does not
    re-choose it (a Russian source quoted on a Ukrainian region). The starts of the mentions so
    settled go to ``settled``."""
    out = mentions
    for i, m in enumerate(mentions):
        if m.place is None or m.place.kind == "country" or m.place.country == "IQ":
            continue  # (Iraq's curated names: a province and its city share the province's code)
        typed = m.place.kind == "region" and _TYPED_NAME.search(m.name) is not None
        # (" of " just before the name is what every match ends with: a substring test first)
        named = body.find(" of ", m.start - 8 if m.start > 8 else 0, m.start) >= 0 and _REGION_OF_BEFORE.search(
            body, m.start - 40 if m.start > 40 else 0, m.start) is not None
        if not typed and not named:
            continue
        try:
            regions = [p for p in g.lookup_all(m.name) if p.kind == "region"]
        except Exception:  # a gazetteer bug must not stop extraction
            regions = []
        if not regions or len({p.region_code for p in regions}) > 1:
            continue  # (several regions of that name: the country context chooses)
        fired(R_REGION_OF)
        settled.add(m.start)
        if m.place is not regions[0]:
            if out is mentions:
                out = list(mentions)
            out[i] = Mention(m.start, m.end, m.name, regions[0])
    return out


_NEXT_NAME: Final = re.compile(r" ((?:al-|el-|Al-|El-)?[A-Z][\w'\u2019\-]+)(?: ([A-Z][\w'\u2019\-]+))?")


def _longer_name(body: str, s: int, e: int, g: Gazetteer, end: int) -> tuple[int, Place] | None:
    """A world name found at ``body[s:e]`` that is only the start of a longer name the gazetteer
    lists as a town ("Anar" in "Anar Darah", "Qarah" in "Qarah Bagh"): the longer name's end and
    place (the most populous of that name); None when the capitalised words after the name make
    no place (most often: "Kabul Airport", "Herat Monday")."""
    m = _NEXT_NAME.match(body, e, end)
    if m is None:
        return None
    for k in (2, 1):
        stop = m.end(k)
        if stop < 0:
            continue
        try:
            # (lookup_all peels words it tolerates, "Kabul Airport" -> Kabul: only the full name counts)
            keys = name_keys(body[s:stop])
            cands = [p for p in g.lookup_all(body[s:stop], minor=True)
                     if p.kind not in _COARSE and keys and keys[0] in name_keys(p.name)]
        except Exception:  # a gazetteer bug must not stop extraction
            cands = []
        if cands:
            return stop, max(cands, key=lambda p: p.population)
    return None


_TOWN_COUNTRY_GAP: Final = re.compile(r",\s*(?:the\s+)?")


def _town_in_named_country(mentions: list[Mention], body: str, g: Gazetteer,
                           settled: set[int]) -> list[Mention | None]:
    """A place named with its country after a comma ("Tripoli, Lebanon", "Bama, Burkina Faso") is
    the one of that country, whatever the most populous or the Iraqi namesake is; when the
    gazetteer knows no such place in that country the mention is dropped (the country mention
    stays, and the name may still be read as an unknown town). Entries are set to None; the
    starts of the places so settled go to ``settled`` (the country context must not re-choose)."""
    out: list[Mention | None] = list(mentions)
    for i in range(len(mentions) - 1):
        m, nxt = mentions[i], mentions[i + 1]
        country = nxt.place
        if m.place is None or country is None or country.kind != "country" or m.place.kind == "country":
            continue
        gap = _TOWN_COUNTRY_GAP.fullmatch(body, m.end, nxt.start)
        if gap is None:
            continue
        settled.add(m.start)
        if m.place.country == country.country:
            continue
        fired(R_TOWN_COUNTRY)
        try:
            inside = [p for p in g.lookup_all(m.name, minor=True)
                      if p.country == country.country and p.kind != "country"]
        except Exception:  # a gazetteer bug must not stop extraction
            inside = []
        best = max(inside, key=lambda p: (p.kind != "region", p.population), default=None)
        out[i] = Mention(m.start, m.end, m.name, best) if best is not None else None
    return out


def _without_foreign_namesakes(mentions: list[Mention], paragraph_of: list[int], body: str,
                               bounds: dict[int, list[int]], g: Gazetteer) -> list[Mention]:
    """In a report whose places are mostly Iraqi, drop the towns and regions abroad whose paragraph
    names neither their country nor its people.

    Iraqi towns and quarters share names with places abroad (a Riyadh near Kirkuk, an Adan quarter
    in Mosul), and a newspaper's name can be a province's (Sabah); the world gazetteer's most
    populous namesake then put an Iraqi incident in another country. A report about Iraq that
    tells of an attack abroad names the country ("in Turkey", "Syrian", "Saudi Arabia's").
    """
    iraq = sum(1 for m in mentions if m.place is not None and m.place.country == "IQ")
    foreign = [i for i, m in enumerate(mentions)
               if m.place is not None and m.place.country != "IQ" and m.place.kind != "country"]
    if not foreign or iraq <= len(mentions) - iraq:
        return mentions
    named: dict[int, set[str]] = {}
    drop: set[int] = set()
    for i in foreign:
        para = paragraph_of[i]
        if para not in named:
            named[para] = _countries_named(body[bounds[para][0]:bounds[para][1]], mentions, paragraph_of, para, g)
        place = mentions[i].place
        if place is not None and place.country not in named[para]:
            fired(R_FOREIGN_NAMESAKE)
            drop.add(i)
    return [m for i, m in enumerate(mentions) if i not in drop]


_CAPITALISED: Final = re.compile(r"\b[A-Z][a-z]+\b")


def _countries_named(text: str, mentions: list[Mention], paragraph_of: list[int], para: int,
                     g: Gazetteer) -> set[str]:
    """Countries a paragraph names: by a country mention or an adjective of its people."""
    codes = {m.place.country for m, p in zip(mentions, paragraph_of, strict=True)
             if p == para and m.place is not None and m.place.kind == "country"}
    for word in _CAPITALISED.findall(text):
        code = g.adjective_country(word)
        if code:
            codes.add(code)
    return {c for c in codes if c}


# "walking to Karbala", "heading toward the city of Mosul", "fled from Falluja": a destination or
# origin, not where the event happened (read backwards from the mention's start)
_DIRECTION_BEFORE: Final = re.compile(
    r"\b(?:to|toward|towards|into|from)\s+(?:the\s+)?(?:(?:holy\s+|shrine\s+)?"
    r"(?:city|town|village|province|governorate|district)\s+of\s+)?$"
)


# "40 km south of", "north of the city of", "just west of": where a place is measured from
_REFERENCE_BEFORE: Final = re.compile(
    r"\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of\s+"
    r"(?:the\s+)?(?:[\w-]+(?:'s|\u2019s)\s+)?(?:(?:city|town|village|provincial\s+capital)\s+of\s+|capital,?\s+)?$",
    re.IGNORECASE)
"""(and "200 km north of Iraq's capital Baghdad", "south of the capital, Kabul": the capital as
the point measured from)"""


def _reference_point(body: str, m: Mention) -> bool:
    """Whether the mention is the point another place is measured from ("a village south of
    Kirkuk", "Iskandariya, 40 km south of Baghdad")."""
    lo = m.start - 40 if m.start > 40 else 0
    # (every match ends a compass word with "th of" or "st of": two substring tests settle most)
    if body.find("th of", lo, m.start) < 0 and body.find("st of", lo, m.start) < 0:
        return False
    return _REFERENCE_BEFORE.search(body, lo, m.start) is not None


# "the wounded were evacuated to the capital", "flown to Nairobi for treatment": where casualties
# were carried, however far, not where they were hurt (read backwards from the mention's start)
_CARRIED_TO: Final = re.compile(
    r"\b(?:airlifted|air-lifted|flown|evacuated|transferred|medevaced)\b[^.;:]{0,60}?\bto\s+"
    r"(?:the\s+|its\s+|their\s+|neighbouring\s+|neighboring\s+)?(?:(?:capital|city|town)\s+(?:city\s+)?(?:of\s+)?)?$"
)


_CARRIED_KEYS: Final = KeyWords(("airlifted", "air-lifted", "flown", "evacuated", "transferred", "medevaced"))


_HOSPITAL_IN: Final = re.compile(r"\bhospitals?\s+(?:in|at)\s+(?:the\s+)?(?:(?:city|town|capital)\s+of\s+)?$", re.I)


def treated_at(body: str, m: Mention) -> bool:
    """Whether the mention is where casualties were carried or treated ("airlifted ... to
    Ankara", "died in hospital in Quetta"): not where the event happened."""
    lo = max(0, m.start - 40)
    # (substring tests in C before either pattern: most places follow neither)
    if body.find("hospital", lo, m.start) >= 0 and _HOSPITAL_IN.search(body, lo, m.start) is not None:
        return True
    return _carried_to(body, m)


def _carried_to(body: str, m: Mention) -> bool:
    """Whether the mention is where casualties were carried ("airlifted ... to Ankara")."""
    lo = max(0, m.start - 90)
    if body.find("to", lo, m.start) < 0 or not any(body.find(v, lo, m.start) >= 0 for v in _CARRIED_STEMS):
        return False
    return _CARRIED_TO.search(body, lo, m.start) is not None


_CARRIED_STEMS: Final = ("lifted", "flown", "evacuated", "transferred", "medevaced")
"""Substrings of every verb :data:`_CARRIED_TO` opens with (tested in C before the pattern)."""


R_ORIGIN: Final = rule("places.origin", "a clause's only place, named as where someone came from, is not the event's")
_FROM_BEFORE: Final = re.compile(r"\b(\w+)\s+from\s+(?:the\s+)?(?:neighbou?ring\s+)?$")
_FOUND_FROM: Final = frozenset((
    "recovered", "pulled", "retrieved", "exhumed", "dragged", "fished", "removed", "evacuated", "taken", "rescued",
    "bodies", "body", "corpses", "fired", "launched", "shelling", "rockets", "missiles", "strikes",
))


def _origin_only(body: str, m: Mention) -> bool:
    """Whether the mention is named as where someone came from ("a detainee freed from X"), not
    as where things were found or fired from ("bodies pulled from X", "rockets fired from X")."""
    lo = max(0, m.start - 30)
    if body.find("from", lo, m.start) < 0:
        return False
    found = _FROM_BEFORE.search(body, lo, m.start)
    return found is not None and found.group(1).lower() not in _FOUND_FROM


def _directional(body: str, m: Mention) -> bool:
    """Whether the mention is a destination or origin ("pilgrims walking to Karbala")."""
    lo = max(0, m.start - 40)
    # (every match holds "to" or "from": two substring tests settle most mentions in C)
    if body.find("to", lo, m.start) < 0 and body.find("from", lo, m.start) < 0:
        return False
    return _DIRECTION_BEFORE.search(body, lo, m.start) is not None


_BORDER_BEFORE: Final = re.compile(r"\b(?:borders?\s+with|bordering|borders)\s+(?:the\s+)?$", re.IGNORECASE)


def _across_border(body: str, m: Mention) -> bool:
    """Whether the mention names the other side of a border ("in Sonora near the border with
    Chihuahua", "a district bordering Syria"): a neighbour of the place, not the place."""
    lo = max(0, m.start - 20)
    if body.find("order", lo, m.start) < 0:
        return False
    return _BORDER_BEFORE.search(body, lo, m.start) is not None


def _rank(place: Place) -> int:
    """Specificity rank (lower = more specific). A district of a city (Adhamiya in Baghdad) lies
    inside that city, so it ranks with neighbourhoods; a district without a city is larger."""
    if place.precision == "district" and place.city is not None:
        return _PRECISION_RANK["neighbourhood"]
    return _PRECISION_RANK.get(place.precision, 6)


_CONTRAST_OPENERS: Final = frozenset(("while", "whereas", ";"))


def _figures_clause_end(s: Sentence, d: Draft) -> int | None:
    """Where the clause of a draft's figures ends, when a contrasting clause with no figures of
    this draft follows ("two car bombs killed 12 in A, while two more hit B"): the offset of
    "while", "whereas" or ";" after its last figure, else None."""
    text = s.text
    if ";" not in text and " while " not in text and " whereas " not in text:
        return None  # (most sentences: no offsets needed)
    toks = s.toks
    last = max((g.end for g in (*d.killed, *d.wounded)), default=d.tok_end)
    for i in range(last, len(toks)):
        if toks[i] in _CONTRAST_OPENERS:
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            if nxt.endswith("ing"):
                return None  # "while capturing the district": the same event, told on
            return token_offsets(s)[i]
    return None


def _best(mentions: list[Mention]) -> Mention | None:
    # a place that spans provinces ("the Hamrin mountains") yields to a province or a town the
    # same clause names ("..., in Diyala province"): the clause has placed the event for us
    if len(mentions) > 1:
        spanning = [m for m in mentions if m.place is not None and m.place.region_code is None
                    and m.place.kind != "country"]
        if spanning and len(spanning) < len(mentions) and any(
                m.place is not None and m.place.region_code is not None for m in mentions):
            mentions = [m for m in mentions if m not in spanning]
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


_BETWEEN: Final = re.compile(r"\bbetween\s+(?:the\s+)?(?:(?:towns?|cities|villages?)\s+of\s+)?$", re.IGNORECASE)


_PLURAL_REGIONS: Final = ("provinces", "governorates", "regions", "states", "districts", "counties")


def _between_regions(body: str, own: list[Mention], g: Gazetteer) -> Mention | None:
    """"on the road between Baghdad and Baquba": a place between two towns of different provinces
    lies in neither for sure; the incident gets their country, with no province (as IBC and the
    corpus label a place that straddles two provinces). So do figures told of two provinces at
    once ("in Salahuddin and Nineveh provinces")."""
    for a, b in pairwise(own):
        pa, pb = a.place, b.place
        if pa is None or pb is None or pa.region_code is None or pb.region_code is None:
            continue
        if pa.region_code == pb.region_code or pa.country != pb.country:
            continue
        if body[a.end : b.start].strip() not in ("and", ", and") or not (
                _BETWEEN.search(body, max(0, a.start - 40), a.start)
                or body[b.end : b.end + 14].lstrip().lower().startswith(_PLURAL_REGIONS)):
            continue
        country = g.country(pa.country)
        if country is not None:
            return Mention(a.start, b.end, body[a.start : b.end], country)
    return None


def _straddles(d: Draft) -> bool:
    """Whether the locate step put the incident in its country for straddling two provinces
    (:func:`_between_regions`: the mention spans both names)."""
    m = d.mention
    return m is not None and m.place is not None and m.place.kind == "country" and " and " in m.name


def _iraqi_town(d: Draft, doc: Doc, g: Gazetteer) -> None:
    """In a report about Iraq, a name after a place cue that the text scan passes over (names
    that are also given names, "In Qasim, ..."; one shared with a town abroad, dropped as a
    foreign namesake) is the Iraqi town or quarter of that name: the one in the province of the
    paragraph's place, or, without one, the one when all of that name lie in one province."""
    name = d.unknown_name
    if name is None:
        return
    try:
        found = [p for p in g.lookup_all(name) if p.country == "IQ" and p.kind not in _COARSE]
        if not found and on(R_NEAR_SPELLING):
            found = g.near(name, "IQ")  # "Muqdadya": another transliteration of a known town
            if found:
                fired(R_NEAR_SPELLING)
    except Exception:  # a gazetteer bug must not stop extraction
        return
    if not found:
        return
    ctx = d.context_mention.place if d.context_mention is not None else None
    if ctx is not None and ctx.country == "IQ" and ctx.region_code is not None:
        # the paragraph's place decides: a namesake in another province is not meant
        found = [p for p in found if p.region_code == ctx.region_code]
    if len({p.region_code for p in found}) != 1:
        return
    fired(R_IRAQI_NAME)
    pos = doc.body.find(name, d.ev_start, d.ev_end)
    start = pos if pos >= 0 else d.ev_start
    d.mention = Mention(start, start + len(name), name, found[0])
    d.unknown_name = None


def _unknown_name(text: str) -> str | None:
    """The first capitalised name after in/at/near/outside/around (:data:`_UNKNOWN_PLACE`) that
    is not a known non-place word, or None."""
    # A name starts with a capital after the two-letter preposition and a space at the earliest:
    # a clause with no capital from its fourth character on has none (most clauses), and
    # str.islower answers that in C, where the pattern's scan costs some 250 instructions per
    # character. (islower is also False for a text without cased characters: the scan decides.)
    if text[3:].islower():
        return None
    names = _cue_names(text, 1)
    return names[0] if names else None


def _cue_names(text: str, limit: int = 0) -> list[str]:
    """The names after a place cue in ``text`` that are not known non-place words, first to last
    (at most ``limit`` of them when it is set)."""
    out: list[str] = []
    # The matches of ``_UNKNOWN_PLACE.finditer(text)``, tried only where one can start (a cue
    # word at a word start, then whitespace: found by str.find) instead of at every character.
    pos = 0  # (finditer goes on after the end of a match)
    for start in _cue_starts(text):
        if start < pos:
            continue
        m = _UNKNOWN_PLACE.match(text, start)
        if m is None:
            continue
        pos = m.end()
        name = _cue_name(m)
        if name is None:
            continue
        first = name.split()[0]
        if first in _NOT_PLACES or first.rstrip("\u2019's") in _NOT_PLACES:
            continue
        out.append(name)
        if len(out) == limit:
            break
    return out


R_NEXT_CUE: Final = rule("places.next_cue",
                         "'in the village of X, in Y province': X unknown, the next place named after a cue holds it")


def _cue_name(m: re.Match[str]) -> str | None:
    """The name a match of :data:`_UNKNOWN_PLACE` gives: the place an owner owns ("Burkina Faso's
    Soum" gives Soum), None for a compass word before a name that owns nothing ("in southeastern
    Mexico" is the country, no town)."""
    name = m.group("name")
    owned = False
    # ("the Philippines' Basilan province": a plural owner takes the apostrophe alone)
    for mark in ("'s ", "\u2019s ", "s' ", "s\u2019 "):
        if mark in name:
            name = name.rsplit(mark, 1)[1]
            owned = True
    while owned and " " in name:
        first, rest = name.split(" ", 1)
        if not (first in _COMPASS_VECTORS or first[:1].islower() or (
                "-" in first and first.rsplit("-", 1)[1][:1].islower())):
            break
        name = rest  # "northwestern Bajaur", "restive Northwest" after the owner: Bajaur, Northwest
    if m.group("compass") and not m.group("kind") and not owned:
        return None
    return name


_UNKNOWN_CUES: Final[tuple[str, ...]] = ("in", "at", "near", "outside", "around", "In", "At", "Near", "Outside",
                                         "Around")  # (capitalised: "In Zabiya, gunmen ...")
"""The words :data:`_UNKNOWN_PLACE` opens with."""


def _names_on(text: str) -> bool:
    """Whether "on" may name a place in ``text``: before an island, or a town, a city or a village
    "of" (substring tests in C: a regex would be tried at every character)."""
    return "island" in text or (" of " in text and ("town of" in text or "city of" in text or "village of" in text))


def _cue_starts(text: str) -> list[int]:
    """Every offset where :data:`_UNKNOWN_PLACE` may match, sorted: a cue word not preceded by a
    word character (the pattern's ``\\b``) and followed by whitespace (``\\s``, as str.isspace)."""
    out: list[int] = []
    n = len(text)
    for cue in (*_UNKNOWN_CUES, "on", "On") if _names_on(text) else _UNKNOWN_CUES:
        i = text.find(cue)
        while i >= 0:
            j = i + len(cue)
            if j < n and text[j].isspace() and (i == 0 or not _is_word_char(text[i - 1])):
                out.append(i)
            i = text.find(cue, i + 1)
    out.sort()
    return out


def _is_word_char(c: str) -> bool:
    """The regex class ``\\w`` (str patterns): a letter, digit or numeral, or the underscore."""
    return c.isalnum() or c == "_"


R_CLAUSE_CONTEXT: Final = rule(
    "places.clause_context",
    "a province or city named as where things are in the clause is the context of a name several places share",
)
R_NAMESAKE_IN_REGION: Final = rule(
    "places.namesake_in_region",
    "a name shared by several places, none in the province the text names around it, is placed in that province",
)


R_OWNER_REGION: Final = rule(
    "places.owner_region",
    "'the X district of Y', 'X, in Y state': of the places named X, the one inside Y")
_OWNER_LINK: Final = re.compile(
    r"(?:\s+(?:district|province|county|area|region|state|town|city|village|municipality|township|governorate))?"
    r"(?:\s+of|,?\s+in)\s+(?:the\s+)?(?:(?:north|south|east|west|central)[a-z\-]*\s+)?$", re.I)


def _held_by_owner(g: PlaceFinder | None, body: str, m: Mention, where: list[Mention]) -> Mention | None:
    """The place of ``m``'s name inside the region named right after it ("the Bishnupur district
    of Manipur"), when ``m`` resolved to a namesake outside that region; else None."""
    place = m.place
    world = _world_gazetteer(g)
    if world is None or place is None:
        return None
    owner = next((o for o in where if o.start > m.end and o.start - m.end <= 40 and o.place is not None
                  and o.place.kind == "region" and o.place.region_code is not None), None)
    if owner is None or owner.place is None or place.region_code == owner.place.region_code:
        return None
    if _OWNER_LINK.fullmatch(body, m.end, owner.start) is None:
        return None
    try:
        inside = [c for c in world.lookup_all(m.name, minor=True) if c.region_code == owner.place.region_code]
    except Exception:  # a gazetteer bug must not stop extraction
        return None
    return Mention(m.start, m.end, m.name, inside[0]) if inside else None


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
    if cp.kind == "region" and cp.region_code is not None and cp.country == place.country and not any(
            c.kind == "region" for c in candidates) and on(R_NAMESAKE_IN_REGION):
        # (a province's own name is no village the gazetteer lacks: "two were killed in the
        # Donetsk region" after a paragraph on another province is that province)
        # "In Anbar province, gunmen killed two soldiers in Amiriya": a name the gazetteer knows
        # as several places, none of them in the province the text names, is a namesake it
        # lacks there: the province says where, not the namesake in another one
        fired(R_NAMESAKE_IN_REGION)
        return Mention(m.start, m.end, m.name, cp)
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


FOUND_SPAN: Final = 1200
"""Paragraphs without casualties are read for places when they start in a story's first 1,200
characters (its lead, where wire stories name the place and country)."""


def _span_start(hit: tuple[int, int, Place]) -> int:
    return hit[0]


class _Geo:
    """The article's places and country context, worked out on first use (most Iraqi reports
    never need them) and kept on the doc (``Doc.found_places``, ``Doc.country_context``), so the
    ``locate`` and ``places`` steps share them. A view made per step: the doc holds no reference
    to it (no reference cycle, so the doc dies with its extraction)."""

    __slots__ = ("doc", "g")

    def __init__(self, doc: Doc, g: Gazetteer | None) -> None:
        self.doc = doc
        self.g = g

    @property
    def found(self) -> list[tuple[int, int, Place]]:
        """Every place named in the body (not only in the paragraphs with casualties), datelines,
        streets and acronyms left out as in the ``mentions`` step, whose mentions are reused."""
        found = self.doc.found_places
        if found is None:
            out: list[tuple[int, int, Place]] = [(m.start, m.end, m.place) for m in self.doc.mentions
                                                 if m.place is not None]
            if self.g is not None:
                body = self.doc.body
                done = {sh.sentence.paragraph for sh in self.doc.sent_hits if sh.excluded in (None, "overall")}
                bounds: dict[int, list[int]] = {}
                for sent in self.doc.sentences:
                    if sent.paragraph not in done:
                        b = bounds.setdefault(sent.paragraph, [sent.start, sent.end])
                        b[1] = sent.end
                for para, (start, end) in bounds.items():
                    if start >= FOUND_SPAN:
                        continue  # (background paragraphs deep in a story say little about it)
                    try:
                        spans: list[tuple[int, int]] = []
                        hits = self.g.find(body[start:end], spans_out=spans)
                        self.doc.paragraph_spans[para] = spans
                    except Exception:  # a gazetteer bug must not stop extraction
                        hits = []
                    for s, e, p in hits:
                        s, e = s + start, e + start
                        if _is_dateline(body, s, e) or _street_follows(body, e) or (
                                _a_persons_name(body, s, e, p.country != "IQ") and on(R_PERSON_TITLE)):
                            continue
                        if p.country != "IQ" and p.kind != "country" and e - s > 2 and body[s:e].isupper():
                            continue
                        out.append((s, e, p))
                out.sort(key=_span_start)
                self.doc.found_places = out  # (kept only when read with the real gazetteer)
            found = out
        return found

    @property
    def ctx(self) -> CountryContext:
        """The article's country context (:func:`extractors.geocontext.article_context`)."""
        ctx: CountryContext | None = self.doc.country_context
        if ctx is None:
            if self.g is None:
                return EMPTY
            art = self.doc.article
            try:
                found = self.found
                ctx = article_context(self.doc.body, getattr(art, "title", None),
                                      getattr(art, "source", None), found, self.g, _opening_spans(self.doc))
            except Exception:  # a gazetteer bug must not stop extraction
                ctx = EMPTY
            self.doc.country_context = ctx
        return ctx


def _opening_spans(doc: Doc) -> list[tuple[int, int]]:
    """``start_spans(doc.body[:ADJECTIVE_SPAN])``, put together from the paragraphs the gazetteer
    already read (``Doc.paragraph_spans``): most of a story's opening, which would otherwise be
    scanned a second time for adjectives. The same spans: none crosses a line, and a paragraph
    is its stripped line, whose neighbours in the body (whitespace) read like the ends of a text.
    A paragraph not read yet, or cut by the opening's end, is scanned here."""
    scanned = doc.paragraph_spans
    body = doc.body
    out: list[tuple[int, int]] = []
    para = -1
    start = end = 0
    for sent in [*doc.sentences, None]:
        if sent is not None and sent.paragraph == para:
            end = sent.end
            continue
        if para >= 0:  # the paragraph before this sentence is complete: add its spans
            spans = scanned.get(para) if end <= ADJECTIVE_SPAN else None
            if spans is None:
                spans = start_spans(body[start : min(end, ADJECTIVE_SPAN)])
            for s, e in spans:
                out.append((s + start, e + start))
        if sent is None or sent.start >= ADJECTIVE_SPAN:
            break
        para, start, end = sent.paragraph, sent.start, sent.end
    return out


def _geo_for(doc: Doc, g: Gazetteer | None) -> _Geo:
    """The doc's :class:`_Geo` view for one step. (It was a thread-local that kept the last doc
    alive until the next extraction, which then paid for freeing it.) ``g`` is the same
    gazetteer in every step of one extraction."""
    return _Geo(doc, g)


def _world_gazetteer(g: PlaceFinder | None) -> Gazetteer | None:
    """The gazetteer when it is the real one (test stubs lack the world's tables)."""
    return g if isinstance(g, Gazetteer) else None


def _about_the_world(doc: Doc) -> bool:
    """Whether the article's places are mostly outside Iraq: an Iraqi report that mentions Syria,
    Turkey or Washington in passing is read exactly as before, without working out its country
    context."""
    iraq = world = 0
    for m in doc.mentions:
        p = m.place
        if p is None:
            continue
        if p.country == "IQ":
            iraq += 1
        else:
            world += 1
    if world < iraq + 1:
        # a dateline abroad ("TRIPOLI (Wire) -") counts as a place abroad: Iraq's many Arabic
        # town names would otherwise make a Libyan or Syrian story an Iraqi one
        g = _world_gazetteer(gazetteer())
        if g is not None:
            _, cc, _ = parse_dateline(doc.body, g)
            if cc is not None and cc != "IQ":
                world += 1
    return world > 0 and world >= iraq


def _needs_choice(place: Place, geo: _Geo) -> bool:
    """Whether a mention's place must be chosen with the article's country context: a world name
    shared across regions, or an Iraqi one in an article about another country."""
    if place.kind == "country":
        return False
    if place.country != "IQ":
        return place.needs_context
    primary = geo.ctx.primary
    return primary is not None and primary != "IQ"


def _choose_mention(m: Mention | None, geo: _Geo) -> Mention | None:
    """The mention with its place chosen by the article's context; None when nothing decides."""
    if m is None or m.place is None or geo.g is None or not _needs_choice(m.place, geo) or (
        m.start in geo.doc.settled_places
    ):
        return m
    try:
        chosen = choose(geo.g.lookup_all(m.name), geo.ctx, geo.g)
    except Exception:  # a gazetteer bug must not stop extraction
        return m
    if chosen is m.place:
        return m
    return Mention(m.start, m.end, m.name, chosen) if chosen is not None else None


def _in_countries(mentions: list[Mention], geo: _Geo) -> list[Mention]:
    """Of a clause's places in several countries, those in the article's countries (all of them
    when none is)."""
    countries = {m.place.country for m in mentions if m.place is not None}
    if len(countries) < 2:
        return mentions
    ranked = geo.ctx.ranked
    if not ranked:
        return mentions
    for cc in ranked:
        if cc in countries:
            return [m for m in mentions if m.place is not None and
                    (m.place.country == cc or m.place.kind == "country")]
    return mentions


def _background_start(sh: SentHits | None, d: Draft) -> int | None:
    """Where the clause of a figure set aside (an earlier attack, a campaign's toll) begins, when
    it comes after the draft's own figures: the comma or semicolon before it (a character offset)."""
    if sh is None:
        return None
    toks = sh.sentence.toks
    last = max((g.end for g in (*d.killed, *d.wounded)), default=-1)
    if last < 0:
        return None
    for h, _scope in sh.dropped:
        if h.start <= last:
            continue
        for i in range(h.start - 1, last - 1, -1):
            if toks[i] in (",", ";"):
                offsets = token_offsets(sh.sentence, sh.lower)
                return offsets[i] if i < len(offsets) else None
        return None
    return None


def _fronted_place(doc: Doc, s: Sentence, starts: list[int], before: int) -> Mention | None:
    """The place that opens sentence ``s`` ("In Basra, ..."), when it is named before mention
    index ``before``: every clause of the sentence happened there."""
    j = bisect_left(starts, s.start)
    if j >= before:
        return None
    m = doc.mentions[j]
    if m.place is None:
        return None
    opener = _FRONTED_PLACE.match(doc.body, s.start, m.start)
    if opener is None or opener.end() != m.start:
        return None
    # the place's own phrase ends at a comma: "In Basra, ...", not "In Basra a bomb killed ..."
    rest = doc.body[m.end : m.end + 40]
    close = rest.find(",")
    return m if close >= 0 and rest[:close].count(" ") <= 4 else None


R_SECTION: Final = rule(
    "places.section_heading",
    "a heading line naming a place (\"In Anbar:\") places the items below it that name none, up to a blank-line break",
)
_HEADING_CHARS: Final = 40


def _section_places(doc: Doc, g: PlaceFinder | None, para_starts: list[int]) -> dict[int, Mention]:
    """Paragraph -> the place of the heading line it sits under: a round-up that groups its items
    under "In Anbar:" or "Nineveh:" lines, each group ending at the next heading or at a break of
    two blank lines. Empty for most reports (no line ends with a colon)."""
    body = doc.body
    if g is None or ":\n" not in body or not on(R_SECTION):
        return {}
    out: dict[int, Mention] = {}
    current: Mention | None = None
    n = len(doc.sentences)
    for k, sent in enumerate(doc.sentences):
        p = sent.paragraph
        first = k == 0 or doc.sentences[k - 1].paragraph != p
        if first and p > 0 and "\n\n\n" in body[max(0, para_starts[p] - 4) : para_starts[p]]:
            current = None  # a section break
        text = sent.text.rstrip()
        alone = first and (k + 1 == n or doc.sentences[k + 1].paragraph != p)
        if alone and text.endswith(":") and len(text) <= _HEADING_CHARS:
            found = g.find(text[:-1])
            current = None
            if found and found[0][2].kind != "country":
                a, b, place = found[0]
                current = Mention(sent.start + a, sent.start + b, text[a:b], place)
            continue
        if current is not None:
            out[p] = current
    return out


# a sentence that goes on about the victims just counted: "They were ...", "The bodies had ..."
_VICTIMS_AGAIN: Final = re.compile(
    r"(?:They|He|She|All|Both|Most|Some|The\s+(?:victims|bodies|dead|men|women|corpses|remains)"
    r"|(?:Their|His|Her)\s+(?:bodies|body|remains))(?:\s+of\s+them)?\s+"
    r"(?:were|was|had|have|are|is|belonged|included)\b"
)


def _place_told_after(doc: Doc, sent: Sentence, starts: list[int], drafted: set[int]) -> Mention | None:
    """"Twenty bodies were found. They were among 28 people abducted in X last week": a figure
    told with no place, followed in its paragraph by a sentence that tells more of its victims
    ("They were", "The victims had") and no casualties of its own, is at the one place that
    sentence names (not a country, nor a point a distance is measured from)."""
    sentences = doc.sentences
    k = sent.index + 1
    if k >= len(sentences):
        return None
    nxt = sentences[k]
    if nxt.paragraph != sent.paragraph or nxt.index in drafted or _VICTIMS_AGAIN.match(nxt.text) is None:
        return None
    j = bisect_left(starts, nxt.start)
    named = []
    while j < len(starts) and starts[j] < nxt.end:
        m = doc.mentions[j]
        if m.place is not None and not _reference_point(doc.body, m):
            named.append(m)
        j += 1
    if len(named) != 1 or named[0].place is None or named[0].place.kind == "country":
        return None
    return named[0]


@step("locate")
def locate_step(doc: Doc) -> None:
    """Attach a place (or context place, or unknown name) to every draft incident."""
    g = gazetteer()
    spoken: dict[int, list[tuple[int, int]]] = {}
    geo = _geo_for(doc, _world_gazetteer(g))
    world = geo.g is not None and _about_the_world(doc)
    starts = [m.start for m in doc.mentions]
    para_starts: list[int] = []
    for sent in doc.sentences:
        if sent.paragraph == len(para_starts):
            para_starts.append(sent.start)
    dropped_by_sentence = {sh.sentence.index: sh for sh in doc.sent_hits if sh.dropped}
    drafted = {d.sentence.index for d in doc.drafts}
    sections: dict[int, Mention] | None = None  # (worked out for the first draft without a paragraph place)
    for d in doc.drafts:
        s = d.sentence
        lo = bisect_left(starts, d.ev_start)
        hi = bisect_left(starts, d.ev_end)
        own = [m for m in doc.mentions[lo:hi] if m.place is not None and m.end <= d.ev_end]
        if own and on(R_SPEAKER_PLACE):
            told = _told_by(s, spoken)
            if told:  # "..., a Baghdad official said": the speaker's city is not the event's place
                said = [m for m in own if not any(a <= m.start < b for a, b in told)]
                if len(said) < len(own):
                    fired(R_SPEAKER_PLACE)
                    if not said and on(R_LOCAL_SPEAKER):
                        # "... and police in Kunduz said two policemen were wounded": the clause
                        # names no other place, and local police speak of their own town
                        # ("Kirkuk police said ...": the same, the town before the force's name)
                        said = [m for m in own if s.text[max(0, m.start - s.start - 3) : m.start - s.start] == "in "
                                or s.text[m.end - s.start : m.end - s.start + 7].lower() == " police"]
                        if said:
                            fired(R_LOCAL_SPEAKER)
                own = said
        if world and own:
            chosen_own: list[Mention] = []
            for m in own:
                c = _choose_mention(m, geo)
                if c is not None:
                    chosen_own.append(c)
            own = chosen_own
            if len(own) > 1:
                own = _in_countries(own, geo)
        if len(own) > 1 and on(R_BACKGROUND_PLACE):
            cut = _background_start(dropped_by_sentence.get(s.index), d)
            if cut is not None:
                before = [m for m in own if m.start < cut]
                if before and len(before) < len(own):
                    fired(R_BACKGROUND_PLACE)
                    own = before
        if len(own) > 1 and on(R_FIGURES_CLAUSE):
            cut = _figures_clause_end(s, d)
            if cut is not None:
                before = [m for m in own if m.start < cut]
                if before and len(before) < len(own):
                    fired(R_FIGURES_CLAUSE)
                    own = before
        # the place of the event before a destination or origin named in the same clause
        where = [m for m in own if not _directional(doc.body, m) and not _across_border(doc.body, m)] \
            if len(own) > 1 and on(R_DIRECTION) else own
        if len(own) == 1 and _origin_only(doc.body, own[0]) and on(R_ORIGIN):
            fired(R_ORIGIN)  # "a crowd welcoming a detainee freed from Camp X": not where it happened
            own = where = []
        if where and on(R_DIRECTION) and _CARRIED_KEYS.in_sentence(s):
            # (a place casualties were carried to is none of the event's, even alone in the sentence)
            kept = [m for m in where if not _carried_to(doc.body, m)]
            if not kept:
                fired(R_DIRECTION)
                own = []
            where = kept
        if len(where) < len(own):
            fired(R_DIRECTION)
        if len(where) > 1 and on(R_REFERENCE_POINT):
            # "in Iskandariya, 40 km south of Baghdad": the town, not the city it is measured from
            placed = [m for m in where if not _reference_point(doc.body, m)]
            if len(placed) < len(where) and any(m.place is not None and m.place.kind != "country" for m in placed):
                fired(R_REFERENCE_POINT)
                where = placed
        d.mention = _best(where or own)
        if d.mention is not None and d.mention.place is not None and len(where) > 1 and on(R_OWNER_REGION):
            # "in the X district of Y", "in X, in Y state": Y holds X, whatever place of the name
            # is better known elsewhere
            held = _held_by_owner(g, doc.body, d.mention, where)
            if held is not None:
                fired(R_OWNER_REGION)
                d.mention = held
        if d.mention is not None and d.mention.place is not None and d.mention.place.needs_context and len(where) > 1 \
                and on(R_CLAUSE_CONTEXT):
            # "In Anbar province, gunmen killed two soldiers in Amiriya", "in Mansour, Mosul": the
            # province or city named in the clause is the context of a name several places share
            named = d.mention
            # (named as where things are, "in Anbar province" or "Mansour, Mosul", not as a
            # party's or a group's name: "the Kurdistan Workers' Party")
            around = next((m for m in where if m is not named and m.place is not None
                           and m.place.kind in ("region", "city")
                           and (located(doc.body, m.start, m.end) or doc.body[named.end : m.start] == ", ")), None)
            if around is not None:
                fired(R_CLAUSE_CONTEXT)
                d.mention = _in_context(g, d.mention, around)
        if len(own) >= 2 and geo.g is not None and on(R_BETWEEN):
            straddle = _between_regions(doc.body, own, geo.g)
            if straddle is not None:
                fired(R_BETWEEN)
                d.mention = straddle
        # context: the paragraph's topic place = the first place named in it before this clause
        ctx = None
        j = bisect_left(starts, para_starts[s.paragraph])
        while j < lo:
            if doc.mentions[j].place is not None:
                ctx = doc.mentions[j]
                break
            j += 1
        if ctx is not None and ctx.place is not None and ctx.place.kind == "country" and on(R_FINER_TOPIC):
            # "clashes in northern Iraq, probably at X. ... 15 more": the first place named inside
            # the country is what the paragraph is about
            country = ctx.place.country
            finer = next((m for m in doc.mentions[j + 1 : lo] if m.place is not None and m.place.kind != "country"
                          and m.place.country == country), None)
            if finer is not None:
                fired(R_FINER_TOPIC)
                ctx = finer
        if d.mention is None and ctx is not None and on(R_THERE):
            last = next((doc.mentions[k] for k in range(lo - 1, j - 1, -1) if doc.mentions[k].place is not None),
                        None)
            # (not when an unknown town is named in between: "there" is that town)
            if last is not None and last is not ctx and _ANAPHOR.search(
                doc.body, max(last.end, s.start), d.ev_end
            ) and _NAMED_BETWEEN.search(doc.body, last.end, d.ev_end) is None:
                fired(R_THERE)  # "A car bomb in Kirkuk killed five; in a separate incident there, ..."
                ctx = last
        if d.mention is None and on(R_FRONTED_PLACE):
            fronted = _fronted_place(doc, s, starts, lo)
            if fronted is not None and fronted is not ctx:
                fired(R_FRONTED_PLACE)
                ctx = fronted
        if ctx is None and sections is None:
            sections = _section_places(doc, g, para_starts)
        if ctx is None and sections:
            ctx = sections.get(s.paragraph)
            if ctx is not None:
                fired(R_SECTION)  # "In Anbar:" heads the items below it, up to a blank-line break
        if world and ctx is not None:
            ctx = _choose_mention(ctx, geo)
        d.context_mention = ctx if on(R_CONTEXT) else None
        if d.mention is None and ctx is not None:
            fired(R_CONTEXT)
        if d.mention is not None and ctx is not None and d.mention is not ctx:
            d.mention = _in_context(g, d.mention, ctx)
        if d.mention is None and on(R_UNKNOWN_NAME):
            d.unknown_name = _unknown_name(doc.body[d.ev_start : d.ev_end])
            if d.unknown_name is not None:
                fired(R_UNKNOWN_NAME)
                if not world and geo.g is not None and on(R_IRAQI_NAME):
                    _iraqi_town(d, doc, geo.g)
            elif not world and geo.g is not None and on(R_IRAQI_NAME):
                # a round-up line opened by its place as a label ("Hardan: A mortar attack ...")
                label = _LABEL.match(doc.body, s.start, s.end)
                if label is not None and label.group(1) not in _NOT_PLACES:
                    d.unknown_name = label.group(1)
                    _iraqi_town(d, doc, geo.g)
                    d.unknown_name = None  # (a label the gazetteer does not know may be "Update:")
        if d.mention is None and d.context_mention is None and d.unknown_name is None and not world and on(
                R_TOLD_AFTER):
            after = _place_told_after(doc, s, starts, drafted)
            if after is not None:
                fired(R_TOLD_AFTER)
                d.context_mention = after



# "Balochistan's capital", "the provincial capital", "the capital of Borno", "Somalia's capital",
# "the Somali capital", "the capital of Sudan's North Darfur state"
_CAPITAL: Final = re.compile(
    r"(?:\b(?P<owner>[A-Z][\w\u2019'\-]*(?:\s+[A-Z][\w\u2019'\-]*){0,2})(?:'s|\u2019s)\s+"
    r"(?:(?:provincial|regional|state|national|commercial)\s+)?capital\b(?!\s+(?:punishment|city\s+of))"
    r"|\bthe\s+(?:(?P<adj>[A-Z][a-z]+)\s+)?(?P<level>provincial|regional|state|national)?\s*capital(?:\s+city)?"
    # ("the capital of Sudan's North Darfur state": the possessive's owner is the region's, not the capital's)
    r"(?:\s+of\s+(?:[A-Z][\w\u2019'\-]*(?:\s+[A-Z][\w\u2019'\-]*){0,2}(?:'s|\u2019s)\s+)?"
    r"(?P<of>[A-Z][\w\u2019'\-]*(?:\s+[A-Z][\w\u2019'\-]*){0,2}))?)"
)
_COARSE: Final = frozenset(("region", "country"))


def _capital_place(g: Gazetteer, text: str, around: Place | None, geo: _Geo | None) -> Place | None:
    """The capital a clause names ("Balochistan's capital"), given the place around it. (The
    article's country context is read only when the clause names a bare capital: working it out
    is most of the ``places`` step.)"""
    if "capital" not in text:
        return None
    m = _CAPITAL.search(text)
    if m is None:
        return None
    owner = m.group("owner") or m.group("of")
    if owner:
        for p in g.lookup_all(owner):
            if p.kind == "country":
                return g.capital(p.country)
            if p.kind == "region" and p.region_code:
                return g.capital(p.region_code)
        return None
    adjective = m.group("adj")
    if adjective:
        # "the Somali capital": the country the adjective names, whatever the article's context
        cc = g.adjective_country(adjective)
        if cc:
            return g.capital(cc)
    level = m.group("level")
    if level in ("provincial", "regional", "state"):
        return g.capital(around.region_code) if around is not None and around.region_code else None
    cc = around.country if around is not None else (geo.ctx.primary if geo is not None else None)
    return g.capital(cc) if cc else None


# "in Egypt's north Sinai", "southern Kordofan": a compass word that is part of a region's name
_COMPASS_NAME: Final = re.compile(r"\b(north|south|east|west|northern|southern|eastern|western|upper|lower|"
                                  r"central)\s+([A-Z][\w\-]+)")
_COMPASS_FORMS: Final = {"northern": "north", "southern": "south", "eastern": "east", "western": "west"}


def _has_compass(text: str) -> bool:
    """A cheap test before :data:`_COMPASS_NAME` (substring tests run in C)."""
    return ("north" in text or "south" in text or "east" in text or "west" in text or "central" in text
            or "upper" in text or "lower" in text)


def _compass_region(g: Gazetteer, text: str, country: str | None) -> Place | None:
    """A region named with a lowercase compass word ("north Sinai" for North Sinai) in ``country``."""
    if country is None:
        return None
    for m in _COMPASS_NAME.finditer(text):
        word, name = m.group(1), m.group(2)
        for form in {word, _COMPASS_FORMS.get(word, word)}:
            for p in g.lookup_all(f"{form} {name}"):
                # (the compass word is part of the region's name: the lookup drops compass words,
                # and "southeastern Mexico" is no region called Mexico)
                if p.kind == "region" and p.country == country and name.lower() in p.name.lower() and (
                        form.lower() in p.name.lower().split()):
                    return p
    return None


_SCENE: Final = re.compile(
    r"(?:the|this|that|[a-z]+day's)\s+(?:[a-z\-]+\s+){0,3}?(?:attack|bombing|blast|explosion|ambush|raid|"
    r"strike|airstrike|shooting|assault|massacre|incident|fighting|clash|clashes)\s+"
    r"(?:(?:took place|happened|occurred|was carried out|unfolded|was)\s+(?:in|at|near|on)\b"
    # "The assault on X began late on Friday": the place the attack was made on
    r"|on\s+(?:the\s+)?(?:(?:village|town|city|district|camp)\s+of\s+)?[a-z][a-z\-']+(?:\s+[a-z][a-z\-']+)?\s+"
    r"(?:began|started|came|lasted|unfolded|took place|happened|occurred)\b)"
)


def scene_place(doc: Doc, sent: Sentence, around: Place | None) -> Mention | None:
    """The place a sentence of a story gives for its event, when it opens by saying where the
    event happened ("The bombing took place in X, 80 km from Y"): its first place finer than
    ``around`` (the event's coarse place: a country or a region) and inside it, or a name after
    its place cue that the gazetteer knows there (spelt otherwise, too, in Iraq). None when the
    sentence does not open so, or names no such place."""
    low = sent.text[:120].lower()
    if _SCENE.match(low) is None:
        return None
    g = _world_gazetteer(gazetteer())
    if g is None:
        return None
    starts = doc.mention_starts()
    i = bisect_left(starts, sent.start)
    region: Mention | None = None  # ("took place in Sonora state": a region, finer than the country)
    while i < len(starts) and starts[i] < sent.end:
        m = doc.mentions[i]
        p = m.place
        i += 1
        if p is None or _across_border(doc.body, m):
            continue
        if p.needs_context and around is not None and p.country != around.country:
            # a name shared with a town abroad (read there first): the namesake in the story's country
            try:
                home = [c for c in g.lookup_all(m.name, minor=True) if c.country == around.country
                        and c.kind not in _COARSE]
            except Exception:  # a gazetteer bug must not stop extraction
                home = []
            if len({c.region_code for c in home}) == 1:
                m = Mention(m.start, m.end, m.name, home[0])
                p = home[0]
        if p.kind not in _COARSE and (around is None or (
                p.country == around.country and (around.kind != "region" or p.region_code == around.region_code))):
            return m
        if region is None and p.kind == "region" and around is not None and around.kind == "country" and (
                p.country == around.country):
            region = m
    name = _unknown_name(sent.text)
    if name is None or (region is not None and region.name.startswith(name)):
        return region
    country = around.country if around is not None else None
    try:
        found = [p for p in g.lookup_all(name, minor=True) if p.kind not in _COARSE and p.country == country]
        if not found and country == "IQ":
            found = g.near(name, "IQ")
    except Exception:  # a gazetteer bug must not stop extraction
        return None
    if around is not None and around.kind == "region":
        found = [p for p in found if p.region_code == around.region_code]
    if len({p.region_code for p in found}) != 1:
        return None
    pos = doc.body.find(name, sent.start, sent.end)
    start = pos if pos >= 0 else sent.start
    return Mention(start, start + len(name), name, found[0])


_RETOLD_OPENING: Final = re.compile(
    r"The\s+(?:[a-z\-]+\s+){0,3}?(?:attack|attacks|attackers|bomb|bombs|bombing|bombings|blast|blasts|explosion|"
    r"explosions|gunmen|bomber|bombers|assailants|raid|assault|strike|strikes)\b"
)


def scene_capital(doc: Doc, sent: Sentence, around: Place | None) -> Mention | None:
    """The capital where a retelling of a story's event happened ("The two bombs exploded
    minutes apart at a junction in the capital"), when the story's place is a country only
    (``around``): a sentence opening with the event or its attackers that names "the capital"
    (or "the Somali capital", "Somalia's capital")."""
    if around is None or around.kind != "country" or "capital" not in sent.text[:200]:
        return None
    if _RETOLD_OPENING.match(sent.text) is None:
        return None
    g = _world_gazetteer(gazetteer())
    if g is None:
        return None
    capital = _capital_place(g, sent.text, around, None)
    if capital is None or capital.country != around.country:
        return None
    pos = sent.text.find("capital")
    return Mention(sent.start + pos, sent.start + pos + 7, capital.name, capital)


R_NEAR_SPELLING_WORLD: Final = rule(
    "places.near_spelling_world",
    "an unknown name after a place cue is the town of the story's country it spells otherwise (Kostiantynivka)",
)


def _near_spelling(g: Gazetteer, name: str, around: Place | None, geo: _Geo) -> list[Place]:
    """Towns of the story's country (of ``around``'s, when known) whose name is another spelling
    of ``name`` ("Kostiantynivka" for Kostyantynivka, "Avdiivka" for Avdiyivka): transliterations
    vary from outlet to outlet (:meth:`Gazetteer.near`), and only the one country is searched."""
    cc = around.country if around is not None else geo.ctx.primary
    if cc is None or cc == "IQ":  # (Iraqi reports have their own path: places.near_spelling)
        return []
    found = [p for p in g.near(name, cc) if p.kind not in _COARSE]
    if found:
        fired(R_NEAR_SPELLING_WORLD)
    return found


def _minor_place(g: Gazetteer, name: str, around: Place | None, geo: _Geo) -> Place | None:
    """A town or district named after a place cue, consistent with the place already known
    (same region, or same country) or, without one, in the article's best-ranked country (the
    country context is read only then)."""
    try:
        cands = [p for p in g.lookup_all(name, minor=True) if p.kind not in _COARSE]
        if not cands and on(R_NEAR_SPELLING_WORLD):
            cands = _near_spelling(g, name, around, geo)
    except Exception:  # a gazetteer bug must not stop extraction
        return None
    if not cands:
        return None
    if around is not None:
        if around.kind == "region":
            inside = [p for p in cands if p.region_code == around.region_code]
        else:
            inside = [p for p in cands if p.country == around.country]
        if not inside:
            return None
        best = choose(inside, CountryContext({around.country: 1.0}))
        return best if best is not None and best.kind not in _COARSE else None
    ctx = geo.ctx
    for cc in ctx.ranked:
        inside = [p for p in cands if p.country == cc]
        if inside:
            best = choose(inside, CountryContext({cc: 1.0}))
            return best if best is not None and best.kind not in _COARSE else None
    # a district the gazetteer knows in one region of one country only ("North Waziristan", near the
    # Afghan border): its name is distinctive enough to place the incident without the country named
    regions = {p.region_code for p in cands}
    if len(regions) == 1 and all(p.kind == "district" for p in cands) and on(R_LONE_DISTRICT):
        fired(R_LONE_DISTRICT)
        return cands[0]
    return None


DATELINE_VOTE: Final = 0.5
"""Weight of the dateline's region among a story's places when an incident names none: half a
place, so it decides only when the story names no region of its country at all (a story filed
from Peshawar about a church "in Pakistan"). A capital's dateline gives none: wire services file
the whole country's news from there ("ANKARA - ... in southeast Turkey"). 0 turns it off."""


def _article_place(doc: Doc, geo: _Geo) -> Place | None:
    """The region a wire story's places point to in its country: the region of most of its
    places there (the towns named after place cues included), the opening place breaking a tie;
    the city itself when every place the story names in that region is that city or the region
    (a story about one attack in Peshawar that names Peshawar and its province); a country entry
    when nothing names a region; None without a country context."""
    g = geo.g
    primary = geo.ctx.primary
    if g is None or primary is None:
        return None
    votes: dict[str, float] = {}
    first: dict[str, int] = {}
    cities: dict[str, dict[str, Place | None]] = {}  # region -> city name -> the city, if named as one
    title = getattr(doc.article, "title", None) or ""
    body = geo.doc.body
    # (whether the body may hold a distance's reference or a hospital's town at all: most hold neither)
    aside = on(R_NO_VOTE) and ("th of" in body or "st of" in body or "hospital" in body
                               or any(v in body for v in _CARRIED_STEMS))
    for s, e, p in [(-1, -1, p) for _, _, p in (g.find(title) if title else [])] + geo.found:
        if aside and s >= 0 and p.kind == "city" and (
                _reference_point(body, Mention(s, e, "", p)) or treated_at(body, Mention(s, e, "", p))):
            # ("a town 160 km north of X", "taken to hospital in X": X tells no place of the story)
            fired(R_NO_VOTE)
            continue
        if p.needs_context:
            # a shared name counts when it is the clearly best-known place of that name
            # ("Kandahar", not the Indian town); its namesakes in the story's country do not vote
            famous = choose(g.lookup_all(geo.doc.body[s:e] if s >= 0 else p.name), EMPTY)
            if famous is None or famous.kind == "country":
                continue
            p = famous
        if p.country == primary and p.region_code is not None:
            votes[p.region_code] = votes.get(p.region_code, 0.0) + 1.0
            first.setdefault(p.region_code, s)
            _note_city(cities, p)
    if not votes:
        # no known place of the country: the towns its incidents name after a place cue (found
        # by the locate step: no new scan of the text)
        names = [(d.ev_start, d.unknown_name) for d in doc.drafts if d.unknown_name is not None]
        if not names:  # then the story's opening, read for a cue-named town
            names = [(cue.start(), name) for cue in _UNKNOWN_PLACE.finditer(doc.body, 0, FOUND_SPAN)
                     if (name := _cue_name(cue)) is not None]
        if not names and on(R_SETTLEMENT_OBJECT) and " of " in doc.body[:FOUND_SPAN]:
            # then a settlement named as what the attack hit ("raided the village of X"): the
            # object of the opening's verb, with no preposition before it
            names = [(m.start(), m.group("name")) for m in _SETTLEMENT_OF.finditer(doc.body, 0, FOUND_SPAN)]
            if names:
                fired(R_SETTLEMENT_OBJECT)
        for pos, name in names:
            at = body.find(name, pos)
            if at >= 0 and on(R_NO_VOTE) and (_reference_point(body, Mention(at, at + len(name), name, None))
                                               or treated_at(body, Mention(at, at + len(name), name, None))):
                fired(R_NO_VOTE)
                continue
            town = _minor_place(g, name, None, geo)
            if town is None or town.country != primary:
                # (the story's own country only: a district of that name abroad is not it; a
                # region of the country named after a cue, "Cameroon's Northwest region", is)
                town = _region_of_country(g, name, primary)
            if town is not None and town.region_code is not None:
                votes[town.region_code] = votes.get(town.region_code, 0.0) + 1.0
                first.setdefault(town.region_code, pos)
                _note_city(cities, town)
    dl = _telling_dateline(geo)
    if dl is not None and dl.region_code is not None and DATELINE_VOTE:
        votes[dl.region_code] = votes.get(dl.region_code, 0.0) + DATELINE_VOTE
        first.setdefault(dl.region_code, 0)
    if not votes:
        return g.country(primary)
    ranked = sorted(votes, key=lambda code: (-votes[code], first[code]))
    best = ranked[0]
    if len(ranked) > 1 and 2 * votes[best] <= sum(votes.values()):
        return g.country(primary)  # no majority: only the country is certain
    named = cities.get(best)
    if named is not None and len(named) == 1:
        city = next(iter(named.values()))
        if city is not None and not _other_places(doc, city):
            return city  # (the dateline alone never names it: the reporter may be elsewhere)
    return g.region(best)


R_NO_VOTE: Final = rule(
    "places.reference_no_vote",
    "a city named as a distance's reference or a hospital's town does not vote for a story's region")


def _region_of_country(g: Gazetteer, name: str, country: str) -> Place | None:
    """The one first-level region of ``country`` called ``name``, or None."""
    try:
        found = [p for p in g.lookup_all(name) if p.kind == "region" and p.country == country]
    except Exception:  # a gazetteer bug must not stop extraction
        return None
    return found[0] if len({p.region_code for p in found}) == 1 else None


_SITE_WORDS: Final = frozenset((
    "church", "cathedral", "mosque", "shrine", "temple", "hospital", "clinic", "market", "bazaar", "school",
    "university", "college", "hotel", "square", "gate", "station", "stadium", "airport", "base", "prison",
))


def _is_site(name: str) -> bool:
    """Whether an unknown name is a site inside a town ("All Saints Church", "Central Market"),
    not another town."""
    last = name.rsplit(" ", 1)[-1].lower()
    return last in _SITE_WORDS


def _other_places(doc: Doc, city: Place) -> bool:
    """Whether an incident of the story is placed (or names a town the gazetteer does not know)
    somewhere other than ``city``: then the story tells of several places, and its vague
    incidents may be in any of them."""
    for d in doc.drafts:
        if d.unknown_name is not None and d.unknown_name != city.name and not _is_site(d.unknown_name):
            return True
        p = d.mention.place if d.mention is not None else None
        if p is not None and p.kind not in _COARSE and (p.city or p.name) != city.name:
            return True
    return False


def _telling_dateline(geo: _Geo) -> Place | None:
    """The dateline's place when it may tell where the story's events are: a place with a region
    in the story's country, not its capital or its largest city (bureaus file the whole
    country's news from there), nor on the other side of the country from the events."""
    g = geo.g
    dl = geo.ctx.dateline
    if g is None or dl is None or dl.country != geo.ctx.primary or dl.region_code is None:
        return None
    if _capital_dateline(g, dl) or _bureau_dateline(g, dl) or _dateline_elsewhere(geo, dl):
        return None
    return dl


R_DATELINE_LEAD: Final = rule(
    "places.dateline_lead",
    "a story's lead incident with no place of its own, told right after a provincial city's dateline, is in "
    "that city's region",
)


def _lead_at_dateline(doc: Doc, geo: _Geo, story: Place | None, known: bool = True) -> bool:
    """"KIRKUK, Iraq (Wire) - A car bomb killed six people near a market on Tuesday ...": the
    incident of the lead sentence, which names no place (or the country only), is in the
    dateline city's region, whatever the later paragraphs name ("in a separate attack in
    Baghdad"); only a city that may tell the events' place (:func:`_telling_dateline`). The
    region, not the city: the reporter may have filed from the town next to the attack's;
    ``story``, the story's own place (:func:`_article_place`), when it is in that region (the
    city the story names there; worked out here when not ``known``). Whether it placed the
    incident."""
    if not doc.drafts or not on(R_DATELINE_LEAD) or geo.g is None:
        return False
    d = doc.drafts[0]
    m = d.mention.place if d.mention is not None else None
    ctx = d.context_mention.place if d.context_mention is not None else None
    if d.unknown_name is not None or (m is not None and m.kind != "country") or (
            ctx is not None and ctx.kind != "country"):
        return False
    end = parse_dateline(doc.body, geo.g)[2]
    if not d.sentence.start <= end <= d.sentence.end:
        return False  # (the lead is the sentence the dateline opens)
    dl = _telling_dateline(geo)
    if dl is None or dl.kind != "city" or dl.region_code is None or (m is not None and m.country != dl.country):
        return False
    code = dl.region_code
    if not known:
        story = _article_place(doc, geo)
    region = story if story is not None and story.kind != "country" and story.region_code == code \
        else geo.g.region(code)
    if region is None:
        return False
    fired(R_DATELINE_LEAD)
    _place_at(d, region, m is not None)
    return True


R_IRAQ_WIRE: Final = rule(
    "places.iraq_wire",
    "a wire story about Iraq (it opens with a dateline) places its unplaced incidents like any country's: in the "
    "story's own region; a daily round-up does not",
)


R_BUREAU_DATELINE: Final = rule(
    "places.bureau_dateline",
    "a dateline of the country's largest city, where wires keep bureaus (Lagos, Istanbul, Yangon), gives no region",
)


def _bureau_dateline(g: Gazetteer, dl: Place) -> bool:
    """Whether the dateline is its country's most populous city, which is not the capital: the
    wire services' bureaus sit there as in capitals, and file the whole country's news."""
    if not on(R_BUREAU_DATELINE):
        return False
    largest = g.largest_city(dl.country) if dl.country else None
    if largest is None or largest.name != dl.name or largest.region_code != dl.region_code:
        return False
    fired(R_BUREAU_DATELINE)
    return True


R_DATELINE_ELSEWHERE: Final = rule(
    "places.dateline_elsewhere",
    "a dateline city on the other side of the country from where the story says things happen (\"northern Nigeria\" "
    "from a southern city) gives no region",
)
_COMPASS_VECTORS: Final[dict[str, tuple[int, int]]] = {
    "north": (1, 0), "northern": (1, 0), "south": (-1, 0), "southern": (-1, 0),
    "east": (0, 1), "eastern": (0, 1), "west": (0, -1), "western": (0, -1),
    "northeast": (1, 1), "northeastern": (1, 1), "north-east": (1, 1), "north-eastern": (1, 1),
    "northwest": (1, -1), "northwestern": (1, -1), "north-west": (1, -1), "north-western": (1, -1),
    "southeast": (-1, 1), "southeastern": (-1, 1), "south-east": (-1, 1), "south-eastern": (-1, 1),
    "southwest": (-1, -1), "southwestern": (-1, -1), "south-west": (-1, -1), "south-western": (-1, -1),
}  # fmt: skip
"""Compass words -> (north, east) signs of the part of a country they name."""


def _country_compass(body: str, s: int, e: int) -> tuple[int, int] | None:
    """The part of the country named at ``body[s:e]`` that a compass word gives: "northern
    Nigeria", "southeast Turkey", "Nigeria's northeast"."""
    before = body[max(0, s - 16) : s].split()
    if before:
        vec = _COMPASS_VECTORS.get(before[-1].lower())
        if vec is not None:
            return vec
    if body[e : e + 2] in ("'s", "\u2019s"):
        after = body[e + 2 : e + 20].split()
        if after:
            return _COMPASS_VECTORS.get(after[0].lower().rstrip(".,;:"))
    return None


def _dateline_elsewhere(geo: _Geo, dl: Place) -> bool:
    """Whether the story places its events in a part of the dateline's country on the other side
    from the dateline city: then the reporter filed from elsewhere, and the city's region is not
    the event's ("LAGOS - ... in northern Nigeria"; Lagos lies south of the country's middle)."""
    if dl.lat is None or dl.lon is None or not on(R_DATELINE_ELSEWHERE):
        return False
    g = geo.g
    middle = g.country_middle(dl.country) if g is not None and dl.country else None
    if middle is None:
        return False
    body = geo.doc.body
    for s, e, p in geo.found:
        if p.kind != "country" or p.country != dl.country:
            continue
        vec = _country_compass(body, s, e)
        if vec is None:
            continue
        north, east = vec
        if north * (dl.lat - middle[0]) < 0 or east * (dl.lon - middle[1]) < 0:
            fired(R_DATELINE_ELSEWHERE)
            return True
    return False


def _capital_dateline(g: Gazetteer, dl: Place) -> bool:
    """Whether the dateline is the national capital, where wire services file the whole country's
    news from: it says nothing of the event's region (a provincial city's dateline often does)."""
    capital = g.capital(dl.country) if dl.country else None
    # ("NEW DELHI" read as Delhi, the city that holds the capital district: the capital still)
    return capital is not None and capital.region_code == dl.region_code and (
        capital.name == dl.name or capital.name.endswith(" " + dl.name) or dl.name.endswith(" " + capital.name))


def _note_city(cities: dict[str, dict[str, Place | None]], p: Place) -> None:
    """Record the city a place of a story is, or lies in (a district: its city, not itself)."""
    if p.kind in _COARSE or p.region_code is None:
        return
    name = p.city or p.name
    known = cities.setdefault(p.region_code, {})
    if p.kind == "city" and p.city in (None, p.name):
        known[name] = p
    else:
        known.setdefault(name, None)


@step("places")
def places_step(doc: Doc) -> None:
    """Refine where each incident is (module docstring), after the merge step."""
    g = _world_gazetteer(gazetteer())
    if g is None or not doc.drafts:
        return
    if doc.mentions and not _about_the_world(doc):
        # an Iraqi report: Iraq's places are resolved as they always were, except that "in the
        # capital" names the capital, not the place of the sentence before
        if on(R_CAPITAL_NOT_CONTEXT):
            for d in doc.drafts:
                _capital_not_context(d, doc, g)
        wire = _geo_for(doc, g) if on(R_IRAQ_WIRE) and parse_dateline(doc.body, g)[1] == "IQ" else None
        if wire is not None:
            _lead_at_dateline(doc, wire, None, known=False)
        if on(R_ONLY_PLACE):
            _only_place(doc, g)
        if wire is not None:
            _place_in_story_region(doc, wire)
        return
    geo = _geo_for(doc, g)
    single: Place | None = None
    single_done = False
    for d in doc.drafts:
        if _straddles(d):
            continue  # ("in X's A and B provinces": the country, as the locate step decided)
        try:
            _refine(d, doc, g, geo)
        except Exception:  # a gazetteer bug must not stop extraction
            continue
        m = d.mention.place if d.mention is not None else None
        ctx = d.context_mention.place if d.context_mention is not None else None
        # no place, or only the article's country: the story's own region, if it has one
        vague = _no_place_below(d, geo.ctx.primary)
        if m is None and ctx is not None and ctx.kind == "country" and ctx.country != geo.ctx.primary:
            d.context_mention = None  # "the border with Ivory Coast": not where this happened
        if m is not None and m.kind == "country" and m.country != geo.ctx.primary and \
                geo.ctx.primary is not None and not located(doc.body, d.mention.start, d.mention.end):  # type: ignore[union-attr]
            # "an Israeli strike ... amid exchanges between Israel and ...": an actor, not the place
            d.mention, m, vague = None, None, True
        if vague and d is doc.drafts[0]:
            if not single_done:
                single = _article_place(doc, geo)
                single_done = True
            if _lead_at_dateline(doc, geo, single):
                continue
        if vague and (geo.ctx.primary != "IQ" or (geo.ctx.dateline is not None and on(R_IRAQ_WIRE))):
            if not single_done:
                single = _article_place(doc, geo)
                single_done = True
            if single is not None and (m is None or single.kind != "country"):
                _place_at(d, single, m is not None)


def _place_at(d: Draft, place: Place, named: bool) -> None:
    """Put an incident at ``place``: in place of the country its mention names (``named``), else
    as its context (it names no place)."""
    if named and d.mention is not None:
        d.mention = Mention(d.mention.start, d.mention.end, d.mention.name, place)
    else:
        d.context_mention = Mention(d.ev_start, d.ev_start, place.name, place)


def _no_place_below(d: Draft, country: str | None) -> bool:
    """Whether an incident is placed no finer than ``country``: no place of its own (or only a
    country as its context), or the country itself."""
    m = d.mention.place if d.mention is not None else None
    if m is not None:
        return m.kind == "country" and m.country == country
    ctx = d.context_mention.place if d.context_mention is not None else None
    return ctx is None or ctx.kind == "country"


def _place_in_story_region(doc: Doc, geo: _Geo) -> None:
    """A wire story about Iraq (datelined "MOSUL, Iraq (Wire) -"): its incidents told with no
    place, or with the country only, are in the story's own region (:func:`_article_place`), as
    a story about any other country's are; a round-up's (no dateline) keep no region."""
    fired(R_IRAQ_WIRE)
    single: Place | None = None
    done = False
    for d in doc.drafts:
        if not _no_place_below(d, "IQ"):
            continue
        if not done:
            single, done = _article_place(doc, geo), True
        if single is None or single.kind == "country":
            return
        _place_at(d, single, d.mention is not None and d.mention.place is not None)


def _dateline_city(doc: Doc, g: Gazetteer, d: Draft) -> Place | None:
    """"KABUL (Wire) - Gunmen killed two policemen in the city ...": with no city named before
    the incident, "the city" is the dateline's (a city of the gazetteer), or None."""
    if any(mm.place is not None and mm.place.kind == "city" and mm.start < d.ev_end for mm in doc.mentions):
        return None
    try:
        dl, _, end = parse_dateline(doc.body, g)
    except Exception:  # a gazetteer bug must not stop extraction
        return None
    return dl if dl is not None and dl.kind == "city" and end <= d.ev_start + len(doc.body[d.ev_start:d.ev_end]) \
        else None


def _only_place(doc: Doc, g: Gazetteer) -> None:
    """An Iraqi report that names one city only (its total told for that city, then four attacks
    told without a place): its unplaced incidents are in that city. Names of countries do not
    count against it; two cities do, unless they lie in one province (two towns of Kirkuk
    province: the incidents are in the province)."""
    unplaced = [d for d in doc.drafts if d.mention is None and d.context_mention is None and d.unknown_name is None]
    if not unplaced:
        return
    only: Mention | None = None
    first: Mention | None = None
    code: str | None = None
    one_city = True
    for m in doc.mentions:
        p = m.place
        if p is None or p.kind == "country":
            continue
        if p.region_code is None or (code is not None and p.region_code != code):
            return
        code = p.region_code
        if first is None:
            first = m
        if p.kind == "region":
            one_city = False
        elif only is None:
            only = m
        elif (only.place.city or only.place.name) != (p.city or p.name):  # type: ignore[union-attr]
            one_city = False
    if first is None or code is None:
        return
    if one_city and only is not None:
        around = only
    else:
        region = g.region(code) if on(R_ONE_PROVINCE) else None
        if region is None:
            return
        fired(R_ONE_PROVINCE)
        around = Mention(first.start, first.end, region.name, region)
    fired(R_ONLY_PLACE)
    for d in unplaced:
        d.context_mention = around


def _capital_not_context(d: Draft, doc: Doc, g: Gazetteer) -> None:
    """An incident of an Iraqi report with no place of its own, told "in the capital" (not
    carried "to the capital"), is in the capital of the country of the place around it (Iraq's
    without one)."""
    if d.mention is not None:
        return
    text = doc.body[d.ev_start : d.ev_end]
    if "capital" not in text:
        return
    m = _CAPITAL.search(text)
    if m is None or text[max(0, m.start() - 3) : m.start()] == "to ":
        return
    around = d.context_mention.place if d.context_mention is not None else None
    capital = _capital_place(g, text, around if around is not None else g.country("IQ"), None)
    if capital is not None and (around is None or capital.name != around.name):
        fired(R_CAPITAL_NOT_CONTEXT)
        d.mention = Mention(d.ev_start, d.ev_start, capital.name, capital)


def _paragraph_start(doc: Doc, sent: Sentence) -> int:
    """The offset where the sentence's paragraph starts."""
    start = sent.start
    i = sent.index - 1
    while i >= 0 and doc.sentences[i].paragraph == sent.paragraph:
        start = doc.sentences[i].start
        i -= 1
    return start


def _refine(d: Draft, doc: Doc, g: Gazetteer, geo: _Geo) -> None:
    """A finer place for one incident: a minor place after a cue, or a capital."""
    m = d.mention
    place = m.place if m is not None else None
    if place is not None and place.kind not in _COARSE:
        return
    around = place if place is not None else (d.context_mention.place if d.context_mention is not None else None)
    text = doc.body[d.ev_start : d.ev_end]
    capital = _capital_place(g, text, around, geo)
    if capital is None and (place is None or place.kind == "country") and d.unknown_name is None:
        # "X's capital was hit by another attack on Sunday. Seven people were killed when ...":
        # the capital the paragraph named before the figure's sentence
        opening = _paragraph_start(doc, d.sentence)
        if opening < d.ev_start and "capital" in doc.body[opening : d.ev_start]:
            capital = _capital_place(g, doc.body[opening : d.ev_start], around, geo)
    if capital is None and (place is None or place.kind == "country") and d.unknown_name is None and (
            "the city" in text) and on(R_DATELINE_CITY):
        capital = _dateline_city(doc, g, d)
        if capital is not None:
            fired(R_DATELINE_CITY)
    if capital is not None:
        d.mention = Mention(d.ev_start, d.ev_start, capital.name, capital)
        d.unknown_name = None
        return
    if place is not None and place.kind == "region":
        return  # the region is known; a town after a cue would only refine the precision
    if (m is None or around is None or around.kind == "country") and _has_compass(text):
        compass = _compass_region(g, text, around.country if around is not None else geo.ctx.primary)
        if compass is not None:
            d.mention = Mention(d.ev_start, d.ev_start, compass.name, compass)
            return
    # (without a place of its own, the locate step already looked for an unknown name)
    name = d.unknown_name if m is None else _unknown_name(text)
    if name is None:
        return
    found = _minor_place(g, name, around, geo)
    if found is None and around is not None and around.kind == "country":
        # a region of the country the gazetteer does not find in running text ("Cameroon's
        # Northwest": a compass word alone is no place)
        found = _region_of_country(g, name, around.country)
    if found is None and on(R_NEXT_CUE):
        # "in the village of X, in Y province": a village the gazetteer lacks, then the place
        # that holds it, named after a cue of its own
        for other in _cue_names(text)[1:3]:
            found = _minor_place(g, other, around, geo)
            if found is None and around is not None and around.kind == "country":
                found = _region_of_country(g, other, around.country)
            if found is not None:
                fired(R_NEXT_CUE)
                name = other
                break
    if found is None:
        # an unknown place in a story about one country: at least the country is known
        if d.unknown_name is not None and d.context_mention is None and geo.ctx.primary is not None:
            country = g.country(geo.ctx.primary)
            if country is not None:
                d.context_mention = Mention(d.ev_start, d.ev_start, country.name, country)
        return
    pos = text.find(name)
    start = d.ev_start + max(pos, 0)
    d.mention = Mention(start, start + len(name), name, found)
    d.unknown_name = None
