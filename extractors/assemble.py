"""Steps ``assemble`` and ``merge``: group hits into incidents and fold restatements into them.

Within a sentence, hits belong to one incident ("killed one and wounded three") until an active
clause names a new cause ("..., and a mortar round killed a shepherd"). A following sentence that
only adds wounded to a killed-only incident without a cause or place of its own ("A woman was also
injured.") completes it. "in separate attacks" splits a clause into one incident per victim.
A later clause that restates an earlier figure — attributed ("officials said"), referring back
("in the attack", "among the dead", "one of the bombers") and not larger than the figure it
restates — only fills what the earlier incident lacked, so nothing is counted twice.
"""

from __future__ import annotations

import re
from typing import Final

from extractors.attribution import may_attribute, speech_spans
from extractors.classify import sentence_method
from extractors.clauses import Group, Hit
from extractors.gazetteer import Place, place_contains
from extractors.lexicon import CAUSE_WORDS, PERSON_WORDS
from extractors.pipeline import Doc, Draft, SentHits, step
from extractors.quantities import word_value
from extractors.record import bisect_left
from extractors.rules import fired, on, rule
from extractors.scope import EARLIER, anterior_markers, clause_bounds, clause_of
from extractors.segment import KeyWords, key_mask, prose_start, safe_lower, search_after, token_offsets, token_set

R_NEW_CAUSE: Final = rule("assemble.new_cause", "a clause naming a new cause in a sentence starts a new incident")
R_SAME_VERB: Final = rule("assemble.same_verb", "a second object or subject of one verb is a second incident")
R_PLACES_APART: Final = rule("assemble.places_apart",
                             "clauses (';', 'while', ', and') in different regions are two events")
R_SEPARATE: Final = rule("assemble.separate", "'in separate attacks' splits a clause into one incident per victim")
R_COMPLETES: Final = rule("assemble.wounded_completes", "'A bystander was wounded.' completes the incident before")
R_DIED_LATER: Final = rule("assemble.died_later",
                            "'one of the wounded later died': the dead leave the incident's wounded")
R_SAME_PERSON: Final = rule("merge.same_person",
                             "'The leader was driving ... killing him' retells the death of the leader told before")
R_QUOTED_TOLL: Final = rule("merge.quoted_toll",
                             "an earlier incident's killed figure quoted or referred back to in another paragraph")
R_SUBSET_BEFORE: Final = rule("merge.subset_before",
                               "'six of those killed ...' a paragraph after the incident: a part of it")
R_ORDINAL_EVENT: Final = rule("assemble.ordinal_event",
                               "'..., while four were killed in the second attack': another event of a series")
R_SERIES_PART: Final = rule("merge.series_part",
                             "'60 hurt in the first blast': the other figure of the event of a series it names")
R_ALSO: Final = rule("assemble.also_adds", "'Two civilians were also killed.' adds to the incident before")
R_ALTERNATIVE: Final = rule("merge.alternative_source", "another source's figure fills what the incident lacks")
R_REVISION: Final = rule("merge.revision", "a revised figure replaces the one before it")
R_RESTATEMENT: Final = rule("merge.restatement", "an attributed, back-referring or subset figure restates one")
R_SUBSET_OF_TOTAL: Final = rule("merge.subset_of_total", "'N of the dead...' before any incident is part of the total")
R_TWIN: Final = rule("merge.restated_twin", "the same specific figures told again are one incident")
R_PREVIEW: Final = rule("merge.preview", "an approximate opening figure previews a precise later one")
R_SEPARATE_CLAUSE: Final = rule("assemble.separate_clause",
                                 "a clause told 'in a separate attack' after a boundary is another incident")
R_COLON: Final = rule("merge.colon_itemized", "'killed five: a blast killed three, gunmen two' is the items' sum")
R_COLON_APART: Final = rule(
    "assemble.colon_apart", "'announced four soldiers' deaths: one was shot in A, ...': items after a colon go apart"
)
R_ONE_TOLD_AGAIN: Final = rule(
    "merge.one_told_again",
    "a single death of the opening told again in the body with the same victim and words ('a Syrian shepherd') is one",
)
R_SET_ASIDE_ITEMS: Final = rule(
    "merge.set_aside_items",
    "a summary's items include those of earlier days set aside ('five soldiers died: one today, ... one on Tuesday')",
)
R_BREAKDOWN: Final = rule("merge.breakdown", "a province's figure split by town after it is told once")
R_ITEMIZED: Final = rule("merge.itemized", "a 'separate incidents' figure itemized after it is a summary")
_SEPARATE: Final = re.compile(r"\b(?:in (?:two |three |four |several )?separate|(?:two|three|four|several) separate)\b")
_ALSO: Final = re.compile(r"\b(?:also|as well)\b")
_POSSIBLY: Final = re.compile(r"\b(?:possibly|perhaps|maybe)\b[^.;]{0,20}\bseparate\b")
_ATTRIBUTION: Final = re.compile(r"\b(?:said|says|told|added|according to|confirmed|stated)\b")
_BACK_REFERENCE: Final = re.compile(
    r"\b(?:in|by|during|from) the (?:attack|blast|explosion|bombing|raid|strike|airstrike|assault|ambush|"
    r"incident|shelling|suicide attack)(?:s|es)?\b|\bin the same (?:car|attack|vehicle)\b"
)
_SUBSET: Final = re.compile(
    r"\bamong the (?:dead|killed|victims|wounded|injured)\b"
    r"|\b(?:of|among) (?:those|the) (?:killed|dead|wounded|injured)\b|\bone of the\b"
)
def _dead_included(text: str) -> bool:
    """Whether ``text`` holds "the dead included" (or wounded, injured): a substring scan for
    " includ" first, which most sentences with "including" pass only once."""
    i = text.find(" includ")
    while i >= 0:
        if text.endswith(("dead", "wounded", "injured"), 0, i):
            return True
        i = text.find(" includ", i + 7)
    return False


_SUBSET_OF: Final = frozenset(("dead", "killed", "victims", "wounded", "injured", "casualties", "bodies"))
# another source's figure for the same event: never added, at most fills a gap
_ALTERNATIVE: Final = re.compile(
    r"\b(?:other|another|different|some) (?:sources?|reports?|officials?|accounts?|estimates?)\b"
)
_REVISED: Final = re.compile(r"\b(?:revised|corrected|lowered|updated)\b[^.;]{0,40}\bto\b")
# Literal starts of every match of the patterns above, for segment.search_after (the patterns
# open with \b and a word alternation, which CPython's engine tries at every character)
_SEPARATE_STARTS: Final[tuple[str, ...]] = ("in ", "two ", "three ", "four ", "several ")
_ALSO_STARTS: Final[tuple[str, ...]] = ("also", "as well")
_POSSIBLY_STARTS: Final[tuple[str, ...]] = ("possibly", "perhaps", "maybe")
_ATTRIBUTION_STARTS: Final[tuple[str, ...]] = (
    "said", "says", "told", "added", "according to", "confirmed", "stated",
)
_BACK_REFERENCE_STARTS: Final[tuple[str, ...]] = ("in the ", "by the ", "during the ", "from the ")
_SUBSET_STARTS: Final[tuple[str, ...]] = ("among th", "of th", "one of the")
_ALTERNATIVE_STARTS: Final[tuple[str, ...]] = ("other ", "another ", "different ", "some ")
_REVISED_STARTS: Final[tuple[str, ...]] = ("revised", "corrected", "lowered", "updated")
_ATTRIBUTION_KEYS: Final = KeyWords(("said", "says", "told", "added", "according", "confirmed", "stated"))
_SUBSET_KEYS: Final = KeyWords(("among", "of"))
_INCLUDED_KEYS: Final = KeyWords(("included", "include", "includes"))
_ALTERNATIVE_KEYS: Final = KeyWords(("other", "another", "different", "some"))
_REVISION_KEYS: Final = KeyWords(("revised", "corrected", "lowered", "updated"))
_POOL: Final = 12  # how far back a restatement may reach inside a paragraph
_LOOSE: Final = frozenset(("over", "more than", "upwards of", "about", "around", "nearly", "almost", "some"))
_BOUNDARY: Final = frozenset((",", ";", "and", "while", "but", "as", "whereas"))
_SPLIT_MAX: Final = 6
_CAUSE_OR_SHOT: Final = KeyWords([*CAUSE_WORDS, "shot", "shooting"])


def _tells_separate(toks: list[str]) -> bool:
    return "separate" in toks or "separately" in toks


def _new_event(toks: list[str], prev: Hit, h: Hit, separate: bool = False) -> int | None:
    """Token index where a new incident starts before hit ``h``, or None if ``h`` continues ``prev``."""
    if h.trigger == prev.trigger and on(R_SAME_VERB):
        # a second object (or subject) of the same verb, told at its own place: "killed five in
        # one town and three in another", "four were killed in one town and two in another"
        fired(R_SAME_VERB)
        return max(prev.end, h.start - 1)
    if ":" in toks[prev.end : h.start] and on(R_COLON_APART):
        # "the army announced four soldiers' deaths: one was shot in A, ...": a figure closed by
        # a colon heads the items told after it (a summary, or a heading of one)
        fired(R_COLON_APART)
        return prev.end + toks[prev.end : h.start].index(":") + 1
    if separate and _tells_separate(toks[prev.end : h.end + 6]) and on(R_SEPARATE_CLAUSE):
        # "a guard was shot dead; three pupils were hurt in a separate attack"
        for i in range(prev.end, h.start):
            if toks[i] in (";", "while", "whereas") or (toks[i] == "and" and toks[i - 1] == ","):
                fired(R_SEPARATE_CLAUSE)
                return i
    if on(R_ORDINAL_EVENT):
        cut = _ordinal_event(toks, prev, h)
        if cut is not None:
            fired(R_ORDINAL_EVENT)
            return cut
    if h.voice == "passive" and on(R_PASSIVE_METHOD):
        cut = _passive_other_method(toks, prev, h)
        if cut is not None:
            fired(R_PASSIVE_METHOD)
            return cut
    if h.voice != "active" or not on(R_NEW_CAUSE):
        return None
    cause = None
    for i in range(prev.end, h.trigger):
        if toks[i] in CAUSE_WORDS:
            cause = i
            break
    if cause is None:
        return None
    fired(R_NEW_CAUSE)
    for i in range(prev.end, cause):
        if toks[i] in (";", "while", "whereas"):
            return i  # "a bomb in A killed two; in B, a mortar ...": the place after ";" is the new event's
    for i in range(cause - 1, prev.end - 1, -1):
        if toks[i] in _BOUNDARY:
            return i
    return cause


R_PASSIVE_METHOD: Final = rule(
    "assemble.passive_method",
    "'a bomb killed three; a civilian was shot dead': a passive clause whose verb tells another weapon")
_EXPLOSIVE_WORDS: Final = frozenset((
    "bomb", "bombs", "blast", "blasts", "explosion", "explosions", "bombing", "bomber", "ied", "mortar", "mortars",
    "rocket", "rockets", "grenade", "airstrike", "airstrikes", "shelling", "shell", "shells", "mine", "landmine",
    "drone", "missile", "artillery",
))
_SHOT_VERBS: Final = frozenset(("shot", "gunned", "stabbed", "beheaded", "executed", "hanged", "strangled"))


def _passive_other_method(toks: list[str], prev: Hit, h: Hit) -> int | None:
    """The boundary (";", "while", "whereas") before a passive clause whose own verb tells a
    weapon of another kind than the explosive of the clause before ("a car bomb killed three
    policemen; a civilian was shot dead"): another incident. None otherwise."""
    boundary = next((i for i in range(prev.end, min(h.start, h.trigger)) if toks[i] in (";", "while", "whereas")),
                    None)
    if boundary is None:
        return None
    if not any(toks[i] in _SHOT_VERBS for i in range(boundary + 1, h.trigger + 1)):
        return None
    if not any(t in _EXPLOSIVE_WORDS for t in toks[max(0, prev.start - 6) : boundary]):
        return None
    return boundary


_ORDINALS: Final = frozenset(("second", "third", "fourth", "another", "other", "latter", "later"))
_EVENT_WORDS: Final = frozenset((
    "attack", "attacks", "bombing", "blast", "explosion", "strike", "airstrike", "raid", "ambush", "shooting",
    "bomb", "assault", "incident",
))


def _ordinal_event(toks: list[str], prev: Hit, h: Hit) -> int | None:
    """"30 died in the first bombing ..., while four died in the second attack": a
    clause after ";", "while" or "whereas" whose figures are told of another event of a
    series (the second, another, the other attack) is that event. Returns the boundary."""
    end = h.start if h.voice == "active" else min(h.start, h.trigger)
    for i in range(prev.end, max(end, prev.end)):
        if toks[i] in (";", "while", "whereas"):
            if _names_event(toks[i + 1 : min(len(toks), h.end + 8)], _ORDINALS) or (
                    # "... in the first blast, while 25 others were hurt in the restaurant attack"
                    _names_event(toks[max(0, prev.start - 2) : i], _FIRST)
                    and _names_event(toks[i + 1 : min(len(toks), h.end + 8)], None)):
                return i
            return None
    return None


_FIRST: Final = frozenset(("first",))


def _names_event(window: list[str], ordinals: frozenset[str] | None) -> bool:
    """Whether the words name an event of a series: an ordinal (of ``ordinals``) one or two words
    before an event noun ("the second suicide attack"); with None, any "the <word> <event>"."""
    for j in range(len(window) - 1):
        w = window[j]
        opens = (w in ordinals) if ordinals is not None else w == "the"
        if opens and (window[j + 1] in _EVENT_WORDS or (j + 2 < len(window) and window[j + 2] in _EVENT_WORDS)):
            return True
    return False


def _char(sh: SentHits, tok: int) -> int:
    s = sh.sentence
    starts = token_offsets(s, sh.lower)
    return starts[tok] if tok < len(starts) else s.end


_PLACE_BOUNDARY: Final = frozenset((";", "while", "whereas"))


def _other_place_after(doc: Doc, sh: SentHits, prev: Hit, h: Hit) -> int | None:
    """A clause boundary (";", "while", ", and") between two hits that each name places of their own, in
    different regions: "a soldier was killed south of A; a second was shot dead near B" tells two
    events. Returns the boundary's token index."""
    toks = sh.sentence.toks
    cut = None
    for i in range(prev.end, min(h.start, h.trigger) if h.voice == "active" else h.start):
        # (", and" opens a clause of its own too: "militants executed eight men in A, and police
        # found four bodies in B"; so does "and" before a second verb: "killed three in A and
        # wounded five in B")
        if toks[i] in _PLACE_BOUNDARY or (toks[i] == "and" and i and (toks[i - 1] == "," or i + 1 == h.trigger)):
            cut = i
            break
    if cut is None or not doc.mentions:
        return None
    # (two places with regions in the sentence at least, before its token offsets are worked out)
    mstarts = doc.mention_starts()
    i = bisect_left(mstarts, sh.sentence.start)
    placed = 0
    while i < len(mstarts) and mstarts[i] < sh.sentence.end and placed < 2:
        p = doc.mentions[i].place
        if p is not None and p.region_code:
            placed += 1
        i += 1
    # ("..., while in B four were killed": the second clause opens at a place of its own, and the
    # first may name its place in words the gazetteer does not know, "in the Afghan capital")
    opens_at_place = toks[cut] in _PLACE_BOUNDARY and cut + 2 < len(toks) and toks[cut + 1] == "in" and (
        prev.kind == h.kind)
    if placed < (1 if opens_at_place else 2):
        return None
    starts = token_offsets(sh.sentence, sh.lower)
    if cut >= len(starts):
        return None
    at = starts[cut]
    # (the second hit's clause ends at the next strong boundary: a place after it is another's)
    until = sh.sentence.end
    for j in range(h.end, len(toks)):
        if toks[j] in _PLACE_BOUNDARY:
            if j < len(starts):
                until = starts[j]
            break
    if may_attribute(sh.sentence) and on(R_SPEAKER_APART):
        # "... and wounded 249, the health ministry in X said": the speaker's place is nobody's event
        for a, _ in speech_spans(toks):
            if h.trigger < a < len(starts) and starts[a] < until:
                fired(R_SPEAKER_APART)
                until = starts[a]
                break
    lo = sh.sentence.start
    if toks[cut] == "and" and toks[cut - 1] != "," and prev.trigger < len(starts):
        # "killed three in A and wounded five in B": each verb with a place of its own, after it
        # (a place that opens the sentence, "A: a bomber ... killing 45 and injuring 60 in B",
        # is the whole sentence's)
        lo = starts[prev.trigger]
    before = {m.place.region_code for m in doc.mentions
              if lo <= m.start < at and m.place is not None and m.place.region_code}
    after = {m.place.region_code for m in doc.mentions
             if at <= m.start < until and m.place is not None and m.place.region_code}
    # (places in different regions: two towns of one region may be one event told precisely)
    if before and after and not (before & after):
        return cut
    if not before and after and opens_at_place and on(R_PLACES_APART):
        near = starts[min(cut + 4, len(starts) - 1)]  # "while in (eastern) B", "while in the B region"
        if any(at <= m.start <= near and m.place is not None and m.place.region_code for m in doc.mentions):
            fired(R_PLACES_APART)
            return cut
    if before and after and (
        # (";" or "while" between two figures of one kind: "... killed in A, while in B a policeman
        # died"; the wounded after "while" are often the same event's, told with a road's name)
        (toks[cut] in _PLACE_BOUNDARY and prev.kind == h.kind) or cut + 1 == h.trigger
        or (h.voice == "passive" and any(t in _BE for t in toks[cut + 1 : h.trigger]))
    ) and on(R_PLACES_APART):
        # a clause of its own ("..., and two civilians were injured in B") at a place of its own,
        # neither place holding the other (a town and its quarter may be one event told twice)
        # (the places nearest the boundary: "In Baghdad, a bomb ... in Karrada; another in Mansour")
        places_before = [m.place for m in doc.mentions if lo <= m.start < at and m.place]
        places_after = [m.place for m in doc.mentions if at <= m.start < until and m.place]
        if _apart(places_before[-1], places_after[0]):
            return cut
    if before and after and prev.voice != h.voice and "body" in (prev.voice, h.voice):
        # a killing at one town, bodies found at another: two events even in one province
        names_before = {m.place.name for m in doc.mentions if lo <= m.start < at and m.place}
        names_after = {m.place.name for m in doc.mentions if at <= m.start < until and m.place}
        if not (names_before & names_after):
            return cut
    return None


_BE: Final = frozenset(("was", "were", "is", "are", "been"))
_ATTACKER_HEADS: Final = frozenset((
    "attackers", "attacker", "assailants", "assailant", "gunmen", "gunman", "militants", "insurgents", "terrorists",
    "bombers", "jihadists", "raiders",
))
"""Nouns that name the attack's own side: killed by the side that responded, they are new victims."""


def _apart(a: Place, b: Place) -> bool:
    """Two places neither of which holds the other: towns or quarters of their own."""
    if a.kind in ("country", "region") or b.kind in ("country", "region") or a.name == b.name:
        return False
    return a.city != b.name and b.city != a.name


def _drafts_for(doc: Doc, sh: SentHits) -> list[Draft]:
    s = sh.sentence
    toks = s.toks
    drafts: list[Draft] = []
    cur: Draft | None = None
    prev: Hit | None = None
    separate = len(sh.hits) > 1 and "separate" in (sh.lower or sh.sentence.text)  # (one C-level test)
    for h in sh.hits:
        cut = None if prev is None else _new_event(toks, prev, h, separate)
        if cut is None and prev is not None and on(R_PLACES_APART):
            cut = _other_place_after(doc, sh, prev, h)
            if cut is not None:
                fired(R_PLACES_APART)
        if cur is None or cut is not None:
            if cur is not None and cut is not None:
                cur.tok_end = cut
                cur.ev_end = _char(sh, cut)
            start_tok = 0 if cur is None or cut is None else cut
            cur = Draft(sentence=s, tok_start=start_tok, tok_end=len(toks), ev_start=_char(sh, start_tok) if
                        start_tok else s.start, ev_end=s.end)
            drafts.append(cur)
        (cur.killed if h.kind == "k" else cur.wounded).extend(h.groups)
        cur.agent = cur.agent or h.agent
        prev = h
    if drafts and sh.dropped and prev is not None and on(R_DROPPED_CLAUSE):
        _end_before_dropped(sh, drafts[-1], prev)
    cause_words = _CAUSE_OR_SHOT.in_sentence(s)  # (no cause word in the sentence: none in a clause)
    for d in drafts:
        d.has_cause = cause_words and not _CAUSE_OR_SHOT.words.isdisjoint(toks[d.tok_start : d.tok_end])
    return drafts


R_SPEAKER_APART: Final = rule(
    "assemble.speaker_not_apart",
    "a place inside the attribution after a figure ('the ministry in X said') sets no event apart")
R_DROPPED_CLAUSE: Final = rule(
    "assemble.dropped_clause",
    "a later clause whose figure is not this event's ('..., a day after eight died in a stampede in X') is not "
    "its place",
)


def _end_before_dropped(sh: SentHits, d: Draft, last: Hit) -> None:
    """End the sentence's last incident where a later clause tells a figure set aside (an
    earlier event, an accident): that clause's places and causes are its own event's."""
    toks = sh.sentence.toks
    after = [h.trigger for h, _ in sh.dropped if h.trigger > last.trigger]
    if not after:
        return
    starts = clause_bounds(toks, anterior_markers(toks))
    own = clause_of(starts, last.trigger)
    other = clause_of(starts, min(after))
    if other > own and starts[other] > d.tok_start and starts[other] < d.tok_end:
        fired(R_DROPPED_CLAUSE)
        d.tok_end = starts[other]
        d.ev_end = _char(sh, starts[other])


def _same_clause_as_figures(sh: SentHits) -> bool:
    """Whether "separate" qualifies the events of the figures, not an aside ("a raid that some
    outlets first counted as two separate events"): it lies in the clause of one of the triggers."""
    toks = sh.sentence.toks
    starts = clause_bounds(toks, [])
    clauses = {clause_of(starts, h.trigger) for h in sh.hits}
    return any(t == "separate" and clause_of(starts, i) in clauses for i, t in enumerate(toks))


_EVENT_COUNTS: Final = {"two ": 2, "three ": 3, "four ": 4}


def _split_separate(d: Draft, told: str) -> list[Draft]:
    """One incident per victim for "shot three farmers dead in separate incidents". When the
    sentence counts the events (``told`` is the matched phrase: "in two separate gunfights") and
    they are not one per victim, the victims' split among them is unknown: one incident keeps
    the figures whole."""
    units: list[tuple[str, Group]] = []
    for kind, groups in (("k", d.killed), ("w", d.wounded)):
        for g in groups:
            if g.vague is not None or g.value > _SPLIT_MAX:
                return [d]
            units.extend((kind, Group(g.category, 1, 1, 1, None, g.start, g.end)) for _ in range(g.value))
    if len(units) < 2:
        return [d]
    for word, count in _EVENT_COUNTS.items():
        if word in told and count != len(units):
            return [d]
    out = []
    for kind, g in units:
        nd = Draft(sentence=d.sentence, tok_start=d.tok_start, tok_end=d.tok_end, ev_start=d.ev_start,
                   ev_end=d.ev_end, agent=d.agent, has_cause=d.has_cause)
        nd.split = True
        (nd.killed if kind == "k" else nd.wounded).append(g)
        out.append(nd)
    return out


@step("assemble")
def assemble_step(doc: Doc) -> None:
    """Turn the counted hits into draft incidents (one per event)."""
    drafts: list[Draft] = []
    tail = -2  # the last sentence told of the last draft (its own, or one folded into it)
    for sh in doc.sent_hits:
        if sh.excluded is not None or sh.sentence.index in doc.stated_sentences:
            continue
        new = _drafts_for(doc, sh)
        # cheap key-word tests decide whether a pattern can match at all
        toks = token_set(sh.sentence)
        keys = key_mask(sh.sentence)
        told = search_after(_SEPARATE, sh.lower, _SEPARATE_STARTS) if "separate" in toks and len(new) == 1 else None
        if (
            told is not None
            and not search_after(_POSSIBLY, sh.lower, _POSSIBLY_STARTS)
            and _same_clause_as_figures(sh)
            and on(R_SEPARATE)
        ):
            new = _split_separate(new[0], told.group(0))
            if len(new) > 1:
                fired(R_SEPARATE)
        attributed = _ATTRIBUTION_KEYS.in_mask(keys) and search_after(_ATTRIBUTION, sh.lower,
                                                                      _ATTRIBUTION_STARTS) is not None
        back = "the" in toks and _back_reference(sh.lower)
        subset_possible = _SUBSET_KEYS.in_mask(keys)
        included = _INCLUDED_KEYS.in_mask(keys)
        alternative = _ALTERNATIVE_KEYS.in_mask(keys) and search_after(_ALTERNATIVE, sh.lower,
                                                                       _ALTERNATIVE_STARTS) is not None
        revision = _REVISION_KEYS.in_mask(keys) and search_after(_REVISED, sh.lower, _REVISED_STARTS) is not None
        for d in new:
            d.attribution, d.back_reference = attributed, back
            d.subset = (subset_possible and _is_subset(sh.sentence.toks, d)) or (included and _told_included(
                sh.sentence.toks, d))
            d.alternative, d.revision = alternative, revision
        if drafts and len(new) == 1 and on(R_DIED_LATER) and _died_later(doc, drafts[-1], new[0]):
            fired(R_DIED_LATER)
            tail = sh.sentence.index
            continue
        # "A bystander was wounded." completes the killed-only incident just before it
        if (
            drafts
            and len(new) == 1
            and new[0].k == 0
            and new[0].w > 0
            and not new[0].agent
            and not new[0].has_cause
            and not new[0].subset  # ("the wounded included two passers-by": a part of a toll told before)
            and drafts[-1].w == 0
            and drafts[-1].k > 0
            and drafts[-1].sentence.paragraph == sh.sentence.paragraph
            and _follows(drafts[-1], tail, sh)
            and not _has_own_place(doc, new[0])
            and on(R_COMPLETES)
        ):
            fired(R_COMPLETES)
            prev = drafts[-1]
            prev.wounded.extend(new[0].wounded)
            prev.ev_end = new[0].ev_end
            tail = sh.sentence.index
            continue
        # "Two civilians were also killed." adds victims to the incident just told, as does "The
        # battle also killed 31 gunmen" (its subject refers back to that incident's event)
        if (
            drafts
            and len(new) == 1
            and ((("also" in toks or "well" in toks) and search_after(_ALSO, sh.lower, _ALSO_STARTS))
                 or _counted_on(sh.sentence.toks, new[0]))
            and _also_adds(doc, drafts[-1], new[0], sh)
            and on(R_ALSO)
        ):
            fired(R_ALSO)
            prev = drafts[-1]
            prev.killed.extend(new[0].killed)
            prev.wounded.extend(new[0].wounded)
            prev.ev_end = new[0].ev_end
            tail = sh.sentence.index
            continue
        drafts.extend(new)
        tail = sh.sentence.index
    doc.drafts = drafts


_COUNT_ON: Final = frozenset(("second", "third", "fourth", "fifth", "sixth"))


def _counted_on(toks: list[str], d: Draft) -> bool:
    """Whether the draft's victims are counted on from the ones before ("a third man, a teenager,
    was killed" after two): more victims of the same incident, as "also" tells."""
    groups = d.killed or d.wounded
    if len(groups) != 1 or not on(R_COUNTED_ON):
        return False
    g = groups[0]
    if g.start + 1 < len(toks) and toks[g.start] in ("a", "an") and toks[g.start + 1] in _COUNT_ON:
        fired(R_COUNTED_ON)
        return True
    return False


R_COUNTED_ON: Final = rule("assemble.counted_on", "'a third man was killed' after two adds to the incident before")
R_ALSO_FOUND: Final = rule(
    "assemble.also_found_apart",
    "bodies 'also found' after an attack are a discovery of their own, not more victims of the attack",
)


R_FOLDED_TAIL: Final = rule(
    "assemble.after_folded",
    "a sentence that completes an incident may follow the sentence last folded into it (a victim's relatives "
    "killed as well, then the wounded)",
)


def _follows(prev: Draft, tail: int, sh: SentHits) -> bool:
    """Whether ``sh`` comes right after the incident ``prev``: after its own sentence, or after
    the last sentence folded into it."""
    if prev.sentence.index == sh.sentence.index - 1:
        return True
    if tail == sh.sentence.index - 1 and on(R_FOLDED_TAIL):
        fired(R_FOLDED_TAIL)
        return True
    return False


_GENERIC_HEADS: Final = frozenset(("man", "woman", "victim", "person", "body", "boy", "girl", "child"))
R_SAME_PERSON_OBJECT: Final = rule(
    "merge.same_person_object", "'gunmen killed the analyst', after 'an analyst was shot dead': the same person again")
_SAME_PERSON_REACH: Final = 3
"""Paragraphs back that a definite retelling ("The leader was driving ... killing him") may reach."""


_SUBSET_REACH: Final = 2
"""Paragraphs back in which "N of those killed" may find the incident it is a part of."""


def _whole_of(d: Draft, kept: list[Draft]) -> Draft | None:
    """The incident of an earlier paragraph (up to :data:`_SUBSET_REACH` back) that a part ("six
    of those killed") belongs to: the latest with at least as many killed and wounded, in a
    compatible region, with no cause or place of the part's own to set it apart."""
    if d.has_cause or d.agent:
        return None
    para = d.sentence.paragraph
    for c in reversed(kept):
        if para - c.sentence.paragraph > _SUBSET_REACH:
            return None
        if c.sentence.paragraph < para and _compatible(c, d) and c.k >= d.k and c.w >= d.w:
            return c
    return None


_SERIES: Final = {"first": 0, "second": 1, "third": 2}
_SERIES_NOUNS: Final = frozenset(("attack", "bombing", "blast", "explosion", "strike", "raid", "bomb", "shooting"))
_PLAIN: Final = frozenset(("the", "a", "an", "in", "at", "of", "on", "near", "and", "were", "was", "killed",
                           "wounded", "injured", "people", "others", "other", "that", "which", "while", ","))


_SERIES_KEYS: Final = KeyWords(_SERIES_NOUNS)


def series_name(d: Draft) -> tuple[int, str] | None:
    """How a retelling names the event of a series: (its rank, "") for "the first blast", (-1,
    the word) for "the restaurant attack", else None."""
    toks = d.sentence.toks[d.tok_start : d.tok_end]
    if _SERIES_NOUNS.isdisjoint(toks):
        return None  # (most clauses: one set test)
    for j in range(len(toks) - 1):
        if toks[j + 1] in _SERIES_NOUNS or (j + 2 < len(toks) and toks[j + 2] in _SERIES_NOUNS):
            rank = _SERIES.get(toks[j])
            if rank is not None:
                return rank, ""
            if toks[j + 1] in _SERIES_NOUNS and toks[j] not in _PLAIN and j and toks[j - 1] == "the":
                return -1, toks[j]
    return None


def series_event(name: tuple[int, str], events: list[Draft]) -> Draft | None:
    """The event of ``events`` that a :func:`series_name` names: by rank, or the one event whose
    own clause holds the word."""
    rank, word = name
    if rank >= 0:
        return events[rank] if rank < len(events) else None
    told = [e for e in events if word in e.sentence.toks[e.tok_start : e.tok_end]]
    return told[0] if len(told) == 1 else None


def _same_person(d: Draft, kept: list[Draft]) -> Draft | None:
    """"A local leader of the militia was shot dead ..." and, later, "The leader was driving home
    when gunmen ... killing him": a sentence that opens with a definite person ("the <noun>") and
    tells one death, of that person or of a pronoun, retells the earlier death of someone told
    with the same noun. A generic noun (man, victim) must match in the paragraph just before."""
    toks = d.sentence.toks
    if len(toks) < 3:
        return None
    g = d.killed[0]
    victim = toks[g.start : g.end]
    head = ""
    back = 8
    if toks[0] == "the":
        for i in range(1, min(4, len(toks))):
            if toks[i] in PERSON_WORDS:
                head = toks[i]
                break
            if not toks[i].isalpha():
                return None
        if not head or not (victim in (["him"], ["her"]) or (g.start == 0 and head in victim)):
            return None
    elif 2 <= len(victim) <= 3 and victim[0] == "the" and victim[-1].isalpha() and on(R_SAME_PERSON_OBJECT):
        # "... shot and killed the analyst in Zayouna", after "a security analyst was
        # assassinated": the definite object, not only a definite subject, names that person
        head = victim[-1]
        if head in _GENERIC_HEADS:
            return None
        back = 0  # (the earlier person must be the earlier victim itself, not its attacker)
    else:
        return None
    reach = 1 if head in _GENERIC_HEADS else _SAME_PERSON_REACH
    para = d.sentence.paragraph
    for e in reversed(kept):
        if para - e.sentence.paragraph > reach:
            break
        if e.k < 1 or e.sentence.index == d.sentence.index:
            continue
        etoks = e.sentence.toks
        for eg in e.killed:
            # (the person may be named before the phrase the parser took: "a sheikh who led a
            # militia was shot dead")
            for i in range(max(0, eg.start - back), eg.end):
                if etoks[i] == head and ("a" in etoks[max(0, i - 3) : i] or "an" in etoks[max(0, i - 3) : i]):
                    if not back:
                        fired(R_SAME_PERSON_OBJECT)
                    return e
    return None


_WOUND_NOUNS: Final = frozenset(("wounded", "injured"))


R_SAME_PERSON_DIED: Final = rule(
    "assemble.same_person_died",
    "'a bomb wounded a policeman. The policeman later died': the wounded person is dead, not one more victim",
)


def _same_person_died(doc: Doc, prev: Draft, d: Draft, g: Group, phrase: list[str]) -> bool:
    """"The policeman later died", right after an incident that wounded one policeman: that
    person moves from the wounded to the killed."""
    if len(phrase) != 2 or phrase[0] != "the" or g.value != 1 or _has_own_place(doc, d):
        return False
    ptoks = prev.sentence.toks
    for i, w in enumerate(prev.wounded):
        if w.vague is None and w.value >= 1 and 0 < w.end <= len(ptoks) and ptoks[w.end - 1] == phrase[1]:
            fired(R_SAME_PERSON_DIED)
            prev.killed = [*prev.killed, Group(w.category, 1, 1, 1, None, g.start, g.end, None)]
            rest = w.value - 1
            kept = [] if rest == 0 else [Group(w.category, rest, max(1, w.low - 1), None if w.high is None else
                                               w.high - 1, None, w.start, w.end, w.qualifier)]
            prev.wounded = [*prev.wounded[:i], *kept, *prev.wounded[i + 1:]]
            prev.ev_end = d.ev_end
            return True
    return False


def _died_later(doc: Doc, prev: Draft, d: Draft) -> bool:
    """"Three soldiers were wounded. One of the wounded later died": a part of an incident's
    wounded told dead in the sentences after it moves from its wounded to its killed (the final
    figures of the event count them so), instead of adding a victim or making a new incident.
    The dead must be told as a part ("one of the wounded", "two of the soldiers", "one of them")
    of the incident just told in the same paragraph, with no cause or place of their own; a part
    of people not said to be wounded ("two of the soldiers") only when the incident had no dead
    to be a part of. Moves ``d``'s dead into ``prev`` and says whether it did."""
    if d.w or not d.k or d.agent or d.has_cause or len(d.killed) != 1 or not prev.wounded:
        return False
    if prev.sentence.paragraph != d.sentence.paragraph or not 0 < d.sentence.index - prev.sentence.index <= 2:
        return False
    g = d.killed[0]
    toks = d.sentence.toks
    phrase = toks[g.start : g.end]
    if "of" not in phrase and g.vague is None and on(R_SAME_PERSON_DIED):
        return _same_person_died(doc, prev, d, g, phrase)
    if "of" not in phrase or g.vague is not None:
        return False
    explicit = not _WOUND_NOUNS.isdisjoint(phrase)
    last = prev.wounded[-1]
    if (prev.k and not explicit) or last.vague is not None or last.value <= g.value or _has_own_place(doc, d):
        return False
    cat = last.category if g.category == "unknown" else g.category
    prev.killed = [*prev.killed, Group(cat, g.value, g.low, g.high, None, g.start, g.end, g.qualifier)]
    prev.wounded = [*prev.wounded[:-1], Group(last.category, last.value - g.value,
                                              last.low - g.value if last.low > g.value else 1,
                                              None if last.high is None else last.high - g.value,
                                              None, last.start, last.end, last.qualifier)]
    prev.ev_end = d.ev_end
    return True


_EVENT_NOUNS: Final = frozenset((
    "fighting", "clashes", "clash", "blast", "explosion", "attack", "bombing", "strike", "strikes", "raid",
    "ambush", "shelling", "operation", "assault", "airstrike", "airstrikes", "bomb", "battle",
))


def _refers_back_as_subject(toks: list[str]) -> int:
    """The sentence opens with a definite event ("The fighting ...", "The blast ...", "The
    suspected suicide bombing ..."): the event just told, not a new one. Returns the index after
    the event noun, else 0."""
    if len(toks) < 2 or toks[0] not in ("the", "that", "this"):
        return 0
    for i in range(1, min(5, len(toks))):
        if toks[i] in _EVENT_NOUNS:
            return i + 1
        if not toks[i].isalpha():
            return 0
    return 0


def _also_adds(doc: Doc, prev: Draft, d: Draft, sh: SentHits) -> bool:
    """"Two civilians were also killed." (no cause of its own) right after an incident of the same
    paragraph, or "The suspected bombing ... also wounded 70" (a subject that refers back to the
    event) right after an incident of this paragraph or the one before: its victims are that
    incident's. A place of its own sets it apart, unless it is named inside the subject that
    refers back (the event's site, told again)."""
    toks = sh.sentence.toks
    back = _refers_back_as_subject(toks)
    if (d.agent or d.has_cause) and not back:
        return False
    if sh.hits and all(h.voice == "body" for h in sh.hits) and on(R_ALSO_FOUND):
        # corpses "also" found, told after a bombing: a discovery is an incident of
        # its own, not more victims of the attack just told
        fired(R_ALSO_FOUND)
        return False
    para = sh.sentence.paragraph
    if back:
        if not (prev.sentence.paragraph == para or (
                prev.sentence.paragraph == para - 1 and prev.sentence.index == sh.sentence.index - 1)):
            return False
    elif prev.sentence.paragraph != para or prev.sentence.index != sh.sentence.index - 1:
        return False
    if not _has_own_place(doc, d):
        return True
    if not back:
        return False
    verb = next((i for i in range(back, len(toks)) if toks[i] in ("also", "killed", "wounded", "injured")), back)
    limit = token_offsets(sh.sentence)[verb] if verb < len(toks) else sh.sentence.end
    starts = doc.mention_starts()
    i = bisect_left(starts, d.ev_start)
    while i < len(starts) and starts[i] < d.ev_end:
        m = doc.mentions[i]
        if m.place is not None and m.start >= limit:
            return False
        i += 1
    return True


def _back_reference(lower: str) -> bool:
    """``_BACK_REFERENCE`` found in the sentence: every match holds "in the ", "by the ",
    "during the " or "from the ", so four substring tests settle most sentences in C."""
    return (
        "in the " in lower or "by the " in lower or "during the " in lower or "from the " in lower
    ) and search_after(_BACK_REFERENCE, lower, _BACK_REFERENCE_STARTS) is not None


def _told_included(toks: list[str], d: Draft) -> bool:
    """"The dead included two policemen": the figure is part of one already told."""
    return _dead_included(" ".join(toks[max(0, d.tok_start - 3) : d.tok_start + 3]))


def _is_subset(toks: list[str], d: Draft) -> bool:
    """"Two of the dead were policemen": the figure is part of one already told."""
    last = max((g.end for g in (*d.killed, *d.wounded)), default=d.tok_end)
    text = " ".join(toks[d.tok_start : last + 5])
    # (every match holds "of the", "of those", "among the" or "among those": substring tests first)
    if not ("of th" in text or "among th" in text):
        return False
    m = search_after(_SUBSET, text, _SUBSET_STARTS)
    if m is None:
        return False
    if m.group() == "one of the" and on(R_ONE_OF_PERSONS):
        # "one of the victims", "one of the wounded soldiers"; not "gunmen attacked one of the
        # army convoys, killing one driver": a part of a group of people, not of things
        head = _np_head(text[m.end() :].split())
        if head is not None and head not in _SUBSET_OF and head not in PERSON_WORDS:
            fired(R_ONE_OF_PERSONS)
            return False
    return True


_NP_ENDS: Final = frozenset((",", ";", ".", "in", "on", "at", "near", "who", "which", "that", "and", "was", "were",
                             "is", "are", "had", "has", "have", "when", "as", "after", "before", "by", "with", "from"))


def _np_head(words: list[str]) -> str | None:
    """The last word of the noun phrase that ``words`` open ("armoured army supply convoys, ..."
    -> "convoys"), or None when it runs on past five words."""
    for i, w in enumerate(words[:6]):
        if w in _NP_ENDS or w.endswith("ing"):
            return words[i - 1] if i else None
    return None


R_ONE_OF_PERSONS: Final = rule(
    "merge.one_of_persons",
    "\"one of the\" restates a figure when people follow (\"one of the victims\"), not things (\"one of the convoys\")",
)


def _has_own_place(doc: Doc, d: Draft) -> bool:
    starts = doc.mention_starts()
    i = bisect_left(starts, d.ev_start)
    while i < len(starts) and starts[i] < d.ev_end:
        if doc.mentions[i].place is not None:
            return True
        i += 1
    return False


def _compatible_region(a: Draft, b: Draft) -> bool:
    ra, rb = a.region_code(), b.region_code()
    return ra is None or rb is None or ra == rb


def _compatible(a: Draft, b: Draft) -> bool:
    if not _compatible_region(a, b):
        return False
    return (b.k <= a.k or a.k == 0) and (b.w <= a.w or a.w == 0) and (b.k > 0 or b.w > 0)


def _fold(into: Draft, d: Draft) -> None:
    into.told_again_in(d)
    if into.k == 0 and d.k > 0:
        into.killed = d.killed
    if into.w == 0 and d.w > 0:
        into.wounded = d.wounded
    if d.mention is not None and d.mention.place is not None:
        mine = into.mention
        same_region = mine is not None and mine.place is not None and (
            mine.place.region_code == d.mention.place.region_code
        )
        coarse = mine is not None and mine.place is not None and mine.place.precision in ("region", "country")
        if mine is None or mine.place is None or into.region_code() is None or (same_region and coarse):
            into.mention = d.mention


@step("merge")
def merge_step(doc: Doc) -> None:
    """Fold restated figures into the incident they restate; drop zero-count duplicates.

    Indexes (by paragraph, by figures, unplaced) keep this linear in the number of incidents.
    """
    kept: list[Draft] = []
    by_para: dict[int, list[Draft]] = {}
    by_key: dict[tuple[int, int, tuple[tuple[str, int, int], ...]], list[Draft]] = {}
    by_killed: dict[int, list[Draft]] = {}
    unplaced: list[Draft] = []
    round_up = bool(doc.stated_sentences)
    for d in doc.drafts:
        same_para = by_para.get(d.sentence.paragraph, [])
        if ((d.alternative and on(R_ALTERNATIVE)) or (d.revision and on(R_REVISION))) and same_para:
            last = same_para[-1]
            if d.revision:  # "police later corrected the toll to two dead and four hurt": the new figure
                fired(R_REVISION)
                last.killed = d.killed or last.killed
                last.wounded = d.wounded or last.wounded
            else:
                fired(R_ALTERNATIVE)
                _fold(last, d)
            continue
        name = series_name(d) if len(kept) > 1 and _SERIES_KEYS.in_mask(key_mask(d.sentence)) and (
            not d.k or not d.w) and on(R_SERIES_PART) else None
        if name is not None:
            # "60 hurt in the first blast" after a paragraph telling each blast's dead
            told = [c for c in kept[-_POOL:] if c.sentence.paragraph >= d.sentence.paragraph - 1
                    and (c.k or c.w) and _compatible_region(c, d)]
            named = series_event(name, told) if len(told) > 1 else None
            if named is not None and (named.w == 0 if d.w else named.k == 0):
                fired(R_SERIES_PART)
                _fold(named, d)
                continue
        if d.k == 1 and not d.w and on(R_SAME_PERSON):
            earlier = _same_person(d, kept)
            if earlier is not None:
                fired(R_SAME_PERSON)
                _fold(earlier, d)
                continue
        if (d.attribution or d.back_reference or d.subset) and on(R_RESTATEMENT) and not _opens_separate(d):
            pool = list(same_para[-_POOL:])
            # an earlier figure told without a usable place ("a mine somewhere in the north killed a boy")
            # (one at a time: ``c not in pool`` compares by value, so of two equal drafts, e.g.
            # the halves of a "separate attacks" split, only the first joins the pool; an explicit
            # loop keeps that when compiled, where extend() evaluates its generator first)
            for c in unplaced[-_POOL:]:
                # (not a half of a "separate attacks" split: a placeholder its items replace)
                if c.region_code() is None and not c.split and c not in pool and c.k == d.k and c.w in (0, d.w):
                    pool.append(c)
            target = None
            # an attributed clause with a cause of its own ("activists said two mortar shells
            # wounded two") may be another event: only an exact restatement folds
            own_event = d.attribution and d.has_cause and not (d.back_reference or d.subset)
            # attackers killed by the side that responded ("soldiers killed all three attackers")
            # are other victims than the ones the attack killed
            responders = d.agent and _categories(d) == {"militant"} and all(
                d.sentence.toks[g.end - 1] in _ATTACKER_HEADS for g in d.killed
            )
            for c in reversed(pool):
                if not _compatible(c, d) or (own_event and (c.k, c.w) != (d.k, d.w)):
                    continue
                if d.subset and ((d.w and not c.w) or (d.k and not c.k)):
                    continue  # ("the wounded included two": a part of wounded told before, not of the dead)
                if round_up and c.sentence is d.sentence and not (
                        d.back_reference or d.subset or c.subset or _partitive(c)):
                    # below a round-up's stated total, "he said nine were killed in A and three in
                    # B" is one telling of two incidents (a breakdown, "three of them died in A and
                    # one in B", is still folded whole); in a story of one event, "eight died at the
                    # scene and four in hospital" is one figure told in parts
                    continue
                if responders and "militant" not in _categories(c) and not (d.back_reference or d.subset):
                    continue
                if _told_elsewhere(c, d) and on(R_TOLD_ELSEWHERE):
                    # "they killed six militants in B" after "airstrikes killed 15 in A": each
                    # names its own town, so neither retells the other
                    fired(R_TOLD_ELSEWHERE)
                    continue
                if _other_victims(c, d) and on(R_OTHER_VICTIMS):
                    # "three militants were killed in the exchange, they added" after five
                    # soldiers: no one of a kind the incident did not count can restate it
                    fired(R_OTHER_VICTIMS)
                    continue
                if target is None or (c.k == d.k and target.k != d.k):
                    target = c
            if target is not None:
                fired(R_RESTATEMENT)
                _fold(target, d)
                continue
            if d.subset and not kept and doc.stated_sentences and not d.has_cause and on(R_SUBSET_OF_TOTAL):
                # "Nine of the dead were discovered in a ditch", right after the report's
                # total and before any incident: a part of the total, told again later
                fired(R_SUBSET_OF_TOTAL)
                continue
            if d.subset and on(R_SUBSET_BEFORE):
                # "Six of those killed wore uniforms", a paragraph after the clash
                # that killed 11: a part of an incident told in an earlier paragraph
                earlier = _whole_of(d, kept)
                if earlier is not None:
                    fired(R_SUBSET_BEFORE)
                    _fold(earlier, d)
                    continue
        key = _breakdown_key(d)
        twin = _restated_twin(by_key.get(key, []), d, key) if on(R_TWIN) else None
        if twin is None and d.k >= _QUOTED_MIN and not d.w and (d.attribution or d.back_reference) and on(
                R_QUOTED_TOLL):
            twin = _quoted_toll(by_killed.get(d.k, []), d)
            if twin is not None:
                fired(R_QUOTED_TOLL)
            elif d.attribution and d.back_reference and on(R_QUOTED_LOWER):
                twin = _quoted_lower(kept, d)
                if twin is not None:
                    fired(R_QUOTED_LOWER)
        if twin is not None:
            fired(R_TWIN)
            _fold(twin, d)
            continue
        if d.k >= 2 and not d.w and on(R_ATTACKERS_AGAIN):
            whole = _attackers_counted(d, kept)
            if whole is not None:
                fired(R_ATTACKERS_AGAIN)
                continue  # (the attackers' dead are already the whole's part: nothing to fold)
        kept.append(d)
        by_para.setdefault(d.sentence.paragraph, []).append(d)
        by_key.setdefault(key, []).append(d)
        by_killed.setdefault(d.k, []).append(d)
        if d.region_code() is None:
            unplaced.append(d)
    if on(R_PREVIEW):
        kept = _drop_previews(doc, kept)
    if doc.stated_sentences and on(R_SUMMARY_RETOLD):
        kept = _drop_summary_retellings(doc, kept)
    if on(R_PART_OF_TOTAL):
        _totals_behind_parts(doc, kept)
    kept = _drop_itemized(kept) if on(R_ITEMIZED) else kept
    # (a colon's summary first: it may be among the items of an opening summary before it)
    kept = _drop_colon_summaries(doc, kept) if on(R_COLON) else kept
    kept = _drop_unplaced_summaries(doc, kept) if on(R_UNPLACED_SUMMARY) else kept
    kept = _drop_events_summaries(kept) if on(R_EVENTS_SUMMARY) else kept
    doc.drafts = _drop_breakdowns(kept) if on(R_BREAKDOWN) else kept


_SEPARATE_OPENERS: Final = ("in a separate ", "in another ", "separately", "in a second ", "in a third ")


R_ATTACKERS_AGAIN: Final = rule(
    "merge.attackers_again",
    "'villagers killed four of the attackers', after an incident whose dead included four attackers: that part "
    "told again",
)


def _attackers_counted(d: Draft, kept: list[Draft]) -> Draft | None:
    """The earlier incident of the region whose dead are a breakdown with exactly ``d``'s killed as
    its attackers' part ("13 people including four of the gunmen were killed ..."), when ``d``
    tells only attackers killed, back-referred ("four of the attackers", "the attackers"): the
    same dead told again, by the side that killed them."""
    toks = d.sentence.toks
    for g in d.killed:  # ("four of the attackers", "the gunmen": attackers told before)
        if g.category != "militant" or not 2 <= g.end <= len(toks) or toks[g.end - 1] not in _ATTACKER_HEADS \
                or toks[g.end - 2] != "the":
            return None
    for c in reversed(kept):
        if c.region_code() != d.region_code() or len(c.killed) < 2:
            continue
        part = sum(g.value for g in c.killed if g.category == "militant")
        if part == d.k and part < c.k:
            return c
    return None


def _partitive(d: Draft) -> bool:
    """Whether the draft's clause counts a part of victims told before ("three of them died")."""
    toks = d.sentence.toks
    for i in range(max(d.tok_start, 1), min(d.tok_end, len(toks))):
        if toks[i] in ("them", "those", "whom") and toks[i - 1] == "of":
            return True
    return False


def _opens_separate(d: Draft) -> bool:
    """Whether the draft's sentence opens by telling of another event ("In a separate event,
    ten militiamen were killed ...; a boy also died in the incident"): its back references are to
    its own event, never to an earlier one."""
    low = safe_lower(d.sentence.text[:40])
    for lead in ("and ", "also, ", "also "):
        if low.startswith(lead):
            low = low[len(lead):]
    return low.startswith(_SEPARATE_OPENERS)


R_SUMMARY_RETOLD: Final = rule(
    "merge.summary_retold",
    "an incident in the paragraph of the report's stated total, told again later with the same killed and "
    "wounded at the same place, is one incident",
)
_RETOLD_MIN: Final = 10
"""Killed plus wounded from which equal figures at one place are taken for one incident told
twice (two small incidents of one town can share "one killed, two wounded")."""


def _retold(c: Draft, d: Draft) -> bool:
    """Whether a later draft ``d`` may tell the summary's ``c`` again: the same killed and wounded,
    of the same victims or :data:`_RETOLD_MIN` in all, or the same killed (two or more) of the
    same victims where the summary gave no wounded ("Three soldiers were killed in Anbar" in the
    opening, "three soldiers died of their wounds ... in Anbar" in the body)."""
    if c.k != d.k or (c.w and c.w > d.w) or (not c.w and c.k < 2):
        return False
    mine, told = _categories(c), _categories(d)
    if _unplaced(c):
        # an unplaced summary figure (five Danes hurt on their convoy), told again with the same
        # figures and a place (five Danish troops hurt near Basra), one side naming its victims
        # in words the other does not use. (Two figures of the same known victims are not
        # enough without a place: four American soldiers killed, in the summary, and four
        # Iraqi soldiers killed in a town.)
        # (a summary may give the wounded of note only: "and wounded the governor")
        return ((c.w == d.w or 0 < c.w < d.w) and c.k + c.w >= _RETOLD_UNPLACED
                and (mine <= {"unknown"} or told <= {"unknown"}))
    shared = mine & told
    shared.discard("unknown")
    if shared or (c.w > 0 and c.k + c.w >= _RETOLD_MIN):
        return True
    # victims one side names in words the lexicon lacks (a rare or misspelt noun) are no other
    # victims: the same figures at one town by the same means are the same telling
    if not (mine <= {"unknown"} or told <= {"unknown"}):
        return False
    method = sentence_method(c.sentence)
    return method is not None and method == sentence_method(d.sentence)


_RETOLD_UNPLACED: Final = 3


def _unplaced(d: Draft) -> bool:
    p = d.mention.place if d.mention is not None else None
    return p is None or p.precision == "country"


def _same_town(c: Draft, d: Draft) -> bool:
    """Whether two drafts are placed in one town (the same place, or places of one city: "the
    base near Baghdad airport" and "Baghdad")."""
    if _unplaced(c):
        return True  # (the summary named no place: the figures and victims decide, _retold)
    a = c.mention.place if c.mention is not None else None
    b = d.mention.place if d.mention is not None else None
    if a is None or b is None or _other_places(c, d):
        return False
    return a is b or (a.region_code == b.region_code and (a.city or a.name) == (b.city or b.name))


R_PART_OF_TOTAL: Final = rule(
    "merge.part_of_total",
    "a figure told again as a part of a larger one ('six of the 40 injured are critical') was that part: the "
    "incident has the larger",
)
_PART_OF: Final = re.compile(
    r" of the (?:(injured|wounded|dead|killed) ([a-z0-9,-]+)|([a-z0-9,-]+) (injured|wounded|dead))\b"
)


def _totals_behind_parts(doc: Doc, drafts: list[Draft]) -> None:
    """"six of the injured 40 troops are critical", "five of the 30 wounded are in a serious
    condition": when an incident of the paragraph or the one before has the part (six) as its
    figure of that kind, the part was all the lead gave of a larger figure (40): the incident
    takes the whole."""
    if not drafts:
        return
    excluded: set[int] | None = None
    for sent in doc.sentences:
        # (the part's sentence has no casualty clause of its own: "were critical"; substring
        # tests in C settle almost every sentence)
        text = sent.text
        i = text.find(" of the ")
        while i >= 0:
            window = text[i + 8 : i + 30]
            if "injured" in window or "wounded" in window or "dead" in window or "killed" in window:
                break
            i = text.find(" of the ", i + 1)
        if i < 0:
            continue
        if excluded is None:
            excluded = {sh.sentence.index for sh in doc.sent_hits if sh.excluded is not None}
        if sent.index in excluded:
            continue
        low = safe_lower(text)
        m = _PART_OF.match(low, i)
        before = low[max(0, i - 16) : i].split()
        if m is None or not before:
            continue
        part = word_value(before[-1])
        whole = word_value(m.group(2) or m.group(3) or "")
        kind = m.group(1) or m.group(4)
        if part is None or whole is None or not 0 < part < whole:
            continue
        wounded = kind in ("injured", "wounded")
        para = sent.paragraph
        for d in drafts:
            if d.sentence.paragraph not in (para, para - 1) or d.sentence.index > sent.index:
                continue
            groups = d.wounded if wounded else d.killed
            if len(groups) == 1 and groups[0].value == part:
                fired(R_PART_OF_TOTAL)
                g = groups[0]
                groups[0] = Group(g.category, whole, whole, whole, None, g.start, g.end, g.qualifier)
                break


def _drop_summary_retellings(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """A round-up's opening paragraph states the day's total and may tell its main incident with
    it (foreign guards killed and wounded by rockets on a base, then the Iraqis killed "in other
    attacks"); the body tells that incident again in its place's paragraph, in other words.
    Both are in one town, with the same figures (:func:`_retold`): the later telling is folded
    into the first, whose missing wounded it fills."""
    stated_paragraphs = {doc.sentences[i].paragraph for i in doc.stated_sentences if i < len(doc.sentences)}
    summary = [d for d in drafts if d.sentence.paragraph in stated_paragraphs and (d.k or d.w)]
    if not summary:
        return drafts
    out: list[Draft] = []
    for d in drafts:
        told = None
        own = d.mention is not None and d.mention.place is not None
        # (a telling placed by its paragraph only, a compound in Mosul named the sentence before
        # "Seven people were killed", may retell a summary that names no place)
        by_context = not own and d.context_mention is not None and d.context_mention.place is not None
        if d.sentence.paragraph not in stated_paragraphs and (d.k or d.w):
            for c in summary:
                if c.sentence.index >= d.sentence.index:
                    continue
                # (by context, only a summary with both figures: "four killed" alone is too common)
                if (own or (by_context and _unplaced(c) and c.k and c.w)) and _retold(c, d) and _same_town(c, d):
                    told = c
                    break
                if _one_told_again(c, d) and (d.region_code() is None or d.region_code() == c.region_code() or (
                        _unplaced(c))):
                    told = c
                    break
        if told is not None:
            fired(R_SUMMARY_RETOLD)
            _fold(told, d)
            if d.w > told.w:
                told.wounded = d.wounded  # (the body's fuller count: the summary gave the wounded of note)
            if told.region_code() is None and d.region_code() is not None:
                told.context_mention = d.mention if own else d.context_mention
            continue
        out.append(d)
    return out


_ARTICLES: Final = frozenset(("a", "an", "the", "one"))


def _one_told_again(c: Draft, d: Draft) -> bool:
    """Whether the body's ``d`` tells the summary's single death ``c`` again in its words: the same
    victim phrase of two words or more ("a Syrian shepherd") and two more words in common (the
    shepherd killed when he would not hand over his flock, in the opening and in the body)."""
    if c.k != 1 or d.k != 1 or c.w != d.w or len(c.killed) != 1 or len(d.killed) != 1 or not on(R_ONE_TOLD_AGAIN):
        return False
    ctoks, dtoks = c.sentence.toks, d.sentence.toks
    mine = [t for t in ctoks[c.killed[0].start : c.killed[0].end] if t not in _ARTICLES]
    if len(mine) < 2 or mine != [t for t in dtoks[d.killed[0].start : d.killed[0].end] if t not in _ARTICLES]:
        return False
    words = {t for t in ctoks if len(t) >= 5 and t.isalpha()} - set(mine)
    if len(words.intersection(dtoks)) < 2:
        return False
    fired(R_ONE_TOLD_AGAIN)
    return True


def _drop_breakdowns(drafts: list[Draft]) -> list[Draft]:
    """A province's figure told with its cause, then split by town in the sentences after it with
    no cause of their own ("Russian attacks killed three in the region. Two died in A and one in
    B."): the split tells the same dead again. Detected when the next incidents of the paragraph,
    placed in the province, add up exactly to its killed figure."""
    out: list[Draft] = []
    i = 0
    n = len(drafts)
    while i < n:
        d = drafts[i]
        out.append(d)
        i += 1
        place = d.mention.place if d.mention is not None else None
        if place is None or place.precision not in ("region", "country") or d.k < 2 or not (d.has_cause or d.agent):
            continue
        region = d.region_code()
        if region is None:
            continue
        k = w = 0
        j = i
        while j < n and k < d.k and drafts[j].sentence.paragraph == d.sentence.paragraph and (
                drafts[j].sentence.index != d.sentence.index and not (drafts[j].has_cause or drafts[j].agent)
                and drafts[j].region_code() == region):
            k += drafts[j].k
            w += drafts[j].w
            j += 1
        if j - i >= 2 and k == d.k and w <= d.w:
            fired(R_BREAKDOWN)
            i = j  # (the parts go; the province's figure stays)
    return out


_ANYONE: Final = frozenset(("unknown",))
_ITEMS: Final = 4  # how many following incidents may itemize a "separate incidents" figure


def _drop_itemized(drafts: list[Draft]) -> list[Draft]:
    """A figure told "in separate incidents" and then itemized incident by incident ("Two soldiers
    died in separate incidents. One was killed by a bomb near A. A second was shot in B.") is a
    summary of the incidents that follow: they count, it does not. Detected when the next
    incidents, from later sentences, add up exactly to the split figure, victims alike."""
    out: list[Draft] = []
    i = 0
    n = len(drafts)
    while i < n:
        d = drafts[i]
        if not d.split:
            out.append(d)
            i += 1
            continue
        j = i
        while j < n and drafts[j].split and drafts[j].sentence.index == d.sentence.index:
            j += 1
        siblings = drafts[i:j]
        k, w = sum(x.k for x in siblings), sum(x.w for x in siblings)
        cats = _categories(d)
        sk = sw = 0
        m = j
        while m < n and m - j < _ITEMS and (sk, sw) != (k, w) and sk <= k and sw <= w:
            sk += drafts[m].k
            sw += drafts[m].w
            if not _categories(drafts[m]) - _ANYONE <= cats:  # (an item of unknown kind may be of the summary's)
                break
            m += 1
        if (sk, sw) == (k, w) and m - j >= 2:
            fired(R_ITEMIZED)
            i = j  # the summary goes; its items stay
            continue
        out.extend(siblings)
        i = j
    return out


R_UNPLACED_SUMMARY: Final = rule(
    "merge.unplaced_summary",
    "a figure with no region ('four more soldiers died in Iraq') that the next incidents, each placed, add up to "
    "exactly is their summary",
)


def _unplaced_figure(d: Draft) -> bool:
    """Whether a figure names no place at all, or the country only ("in Iraq")."""
    return d.unknown_name is None and d.context_mention is None and _names_no_place(d)


def _names_no_place(d: Draft) -> bool:
    m = d.mention
    return m is None or m.place is None or m.place.precision == "country"


R_EVENTS_SUMMARY: Final = rule(
    "merge.events_summary",
    "'attacks in and around the capital killed five' followed by incidents adding up to exactly five: the "
    "summary of those incidents, not one more",
)
_SUMMED_EVENTS: Final = frozenset(("attacks", "bombings", "blasts", "explosions", "shootings", "airstrikes",
                                   "violence"))
"""Subjects (or complements: "were killed in attacks") that make a figure the sum of several events.
Narrower than the stated step's plural events: "clashes", "strikes" and "raids" often tell one event."""
_SUMMED_EVENT_KEYS: Final = KeyWords(_SUMMED_EVENTS)


def _tells_events(d: Draft) -> bool:
    """Whether the draft's figures are told of plural events, in their own clause ("Attacks in A
    killed five", "five were killed in bombings in A"), with victims of no one kind."""
    if not _SUMMED_EVENT_KEYS.in_sentence(d.sentence):
        return False
    toks = d.sentence.toks
    end = min(len(toks), d.tok_end)
    while end < len(toks) and toks[end] not in (",", ";"):
        end += 1
    if not any(t in _SUMMED_EVENTS for t in toks[d.tok_start if d.tok_start < end else 0 : end]):
        return False
    return any(g.category == "unknown" for g in d.killed) or not d.killed


def _drop_events_summaries(drafts: list[Draft]) -> list[Draft]:
    """A figure of plural events followed, from the next sentences on, by two to
    :data:`_ITEMS` incidents whose killed and wounded add up to it exactly: their summary (the
    items count, it does not)."""
    out: list[Draft] = []
    for i, d in enumerate(drafts):
        if d.k and not d.split and i + 2 < len(drafts) and _tells_events(d):
            sk = sw = 0
            m = i + 1
            while m < len(drafts) and m - i <= _ITEMS and drafts[m].sentence.index > d.sentence.index and (
                    sk < d.k or sw < d.w):
                sk += drafts[m].k
                sw += drafts[m].w
                m += 1
            if m - i - 1 >= 2 and (sk, sw) == (d.k, d.w):
                fired(R_EVENTS_SUMMARY)
                continue  # the summary goes; its items stay
        out.append(d)
    return out


R_FOREIGN_ITEMS: Final = rule(
    "merge.foreign_items",
    "foreign troops' deaths announced at the top, then itemized further down (two died in A, a third in B): the "
    "items count, the announcement does not",
)
_FOREIGN_FORCES: Final = frozenset((
    "u.s.", "american", "americans", "british", "briton", "britons", "marine", "marines", "coalition", "nato",
    "polish", "danish", "italian", "australian", "georgian", "ukrainian", "korean", "japanese", "spanish",
    "salvadoran", "estonian", "bulgarian", "romanian", "dutch", "czech", "turkish", "iranian", "french", "german",
))
"""Words naming foreign forces: a report's announcement of their dead and its items share them."""


def _foreign_items_later(drafts: list[Draft], i: int, cats: set[str]) -> bool:
    """Whether the unplaced killed figure ``drafts[i]`` of foreign forces is itemized by a later
    run of incidents (any later paragraph) that opens with a sentence naming the same forces:
    two items or more, each placed, adding up to it exactly, of its kind (or of no known kind:
    "a third died in B")."""
    d = drafts[i]
    marks = _FOREIGN_FORCES.intersection(d.sentence.toks)
    if not marks:
        return False
    n = len(drafts)
    for j in range(i + 1, n):
        first = drafts[j]
        if first.sentence.index == d.sentence.index or marks.isdisjoint(first.sentence.toks):
            continue
        sk = items = 0
        m = j
        while m < n and items < _ITEMS and sk < d.k:
            item = drafts[m]
            if item.region_code() is None or item.w or not _categories(item) - _ANYONE <= cats or (
                    item.sentence.paragraph > first.sentence.paragraph + 1):
                break
            sk += item.k
            items += 1
            m += 1
        return items >= 2 and sk == d.k
    return False


def _drop_unplaced_summaries(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """"The military announced the deaths of four more soldiers." then "Two died in a bombing in A.
    A third was shot in B, and a fourth was killed in C.": a figure placed in no region (no place,
    or the country only) told before incidents that each have a region and add up to it exactly,
    victims alike, is their summary: they count, it does not. Only in the report's opening
    paragraphs, where summaries are told (a figure further down, "two corpses turned up west
    of the town", is an incident however the next ones add up); two items or more, in the
    sentences right after it (in its paragraph or the next); a province's figure split by town
    is :func:`_drop_breakdowns`' case instead."""
    out: list[Draft] = []
    n = len(drafts)
    opening = prose_start(doc.sentences) + 1
    for i, d in enumerate(drafts):
        strict = _unplaced_figure(d)
        # (a figure of its own naming no place, but in a paragraph that names one: only items of
        # other days set aside can tell it is a summary)
        if d.k < 2 or d.sentence.paragraph > opening or i + 2 >= n or not (strict or (
                d.region_code() is None and d.unknown_name is None and _names_no_place(d))):
            out.append(d)
            continue
        cats = _categories(d)
        sk = sw = 0
        m = i + 1
        placed = True  # (every item has a region)
        while m < n and m - i <= _ITEMS and sk < d.k:
            item = drafts[m]
            if (item.sentence.index == d.sentence.index or item.sentence.paragraph > d.sentence.paragraph + 1
                    or not (_categories(item) <= cats or cats == {"unknown"})):
                break
            placed = placed and item.region_code() is not None
            if not placed and not on(R_SET_ASIDE_ITEMS):
                break
            sk += item.k
            sw += item.w
            m += 1
        if strict and placed and m - i - 1 >= 2 and sk == d.k and sw >= d.w:
            fired(R_UNPLACED_SUMMARY)
            continue  # the summary goes; its items stay
        if strict and not d.w and on(R_FOREIGN_ITEMS) and _foreign_items_later(drafts, i, cats):
            fired(R_FOREIGN_ITEMS)
            continue
        if m - i - 1 >= 1 and sk < d.k:
            # items of other days, set aside, told with them ("a soldier was shot on Wednesday")
            aside = _set_aside(doc, d, d.tok_end, (d.sentence.paragraph, d.sentence.paragraph + 1), cats)
            if aside.items and m - i - 1 + aside.items >= 2 and sk + aside.k == d.k and sw + aside.w >= d.w:
                fired(R_UNPLACED_SUMMARY)
                fired(R_SET_ASIDE_ITEMS)
                continue
        out.append(d)
    return out


def _drop_colon_summaries(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """"Attacks in A killed five people: a bomb blast killed three, gunmen shot dead two": a
    figure closed by a colon and itemized after it, in the same paragraph, is the items' sum
    (two items or more; the wounded add up too, unless the summary gives none). Items of earlier
    days that the scope rules set aside are items too (:func:`_set_aside`)."""
    out: list[Draft] = []
    n = len(drafts)
    for i, d in enumerate(drafts):
        if ":" not in d.sentence.text:
            out.append(d)
            continue
        toks = d.sentence.toks
        last = max((g.end for g in (*d.killed, *d.wounded)), default=d.tok_end)
        if ":" in toks[last : d.tok_end]:
            colon = last + toks[last : d.tok_end].index(":")
            aside = _set_aside(doc, d, colon, (d.sentence.paragraph,), _categories(d))
            sk = sw = 0
            m = i + 1
            while m < n and drafts[m].sentence.paragraph == d.sentence.paragraph and sk + aside.k < d.k:
                sk += drafts[m].k
                sw += drafts[m].w
                m += 1
            if m - i - 1 + aside.items >= 2 and sk + aside.k == d.k and (sw + aside.w == d.w or d.w == 0):
                fired(R_COLON)
                if aside.items:
                    fired(R_SET_ASIDE_ITEMS)
                continue  # the summary goes; its items stay
        out.append(d)
    return out


class _Aside:
    """Figures the scope rules set aside after a summary: how many items, killed, wounded."""

    __slots__ = ("items", "k", "w")

    def __init__(self) -> None:
        self.items = 0
        self.k = 0
        self.w = 0


def _set_aside(doc: Doc, d: Draft, after: int, paragraphs: tuple[int, ...], cats: set[str]) -> _Aside:
    """The figures told after token ``after`` of the summary ``d``'s sentence, in ``paragraphs``,
    that were set aside as another day's ("a soldier was shot on Wednesday"): items of a summary
    that counts the days together (the military's tally of its dead), of its victims (``cats``,
    or any when they are unknown). Off with :data:`R_SET_ASIDE_ITEMS`."""
    out = _Aside()
    if not on(R_SET_ASIDE_ITEMS):
        return out
    first = d.sentence.index
    for sh in doc.sent_hits:
        s = sh.sentence
        if s.index < first or s.paragraph not in paragraphs or not sh.dropped:
            continue
        for h, scope in sh.dropped:
            if s.index == first and h.start <= after:
                continue
            if scope.kind != EARLIER:
                continue
            if cats != {"unknown"} and not {g.category for g in h.groups if g.value} <= cats | {"unknown"}:
                continue
            value = sum(g.value for g in h.groups)
            if h.kind == "k":
                out.k += value
            else:
                out.w += value
            out.items += 1
    return out


def _categories(d: Draft) -> set[str]:
    return {g.category for g in (*d.killed, *d.wounded) if g.value}


R_TOLD_ELSEWHERE: Final = rule(
    "merge.told_elsewhere",
    "a figure told at a town of its own, other than the incident's and not inside it, restates nothing",
)
_MILITANTS: Final = frozenset(("militant",))
_TOWN_OR_FINER: Final = frozenset(("city", "district", "neighbourhood", "site"))


def _told_elsewhere(c: Draft, d: Draft) -> bool:
    """Whether ``c`` and ``d`` each name, in their own sentence, a town (or finer) and the two
    are different places, neither inside the other."""
    a = c.mention.place if c.mention is not None else None
    b = d.mention.place if d.mention is not None else None
    if a is None or b is None or a.precision not in _TOWN_OR_FINER or b.precision not in _TOWN_OR_FINER:
        return False
    return not (place_contains(a, b) or place_contains(b, a))


R_OTHER_VICTIMS: Final = rule(
    "merge.other_victims",
    "a figure of the other side's dead (militants after soldiers, or soldiers after militants) restates nothing",
)


def _other_victims(c: Draft, d: Draft) -> bool:
    """Whether ``d``'s dead (or, told without dead, its wounded) and ``c``'s are the two sides of a
    fight: all of a known kind, militants on one side only (people of unknown kind may be anyone,
    so they never decide)."""
    side_d, side_c = (d.killed, c.killed) if d.k else (d.wounded, c.wounded)
    mine = {g.category for g in side_d if g.value}
    theirs = {g.category for g in side_c if g.value}
    if not mine or not theirs or "unknown" in mine or "unknown" in theirs:
        return False
    # (the two sides of a fight: civilians and forces are told apart less surely, "guards" and
    # "officials" of either kind)
    return (mine == _MILITANTS and "militant" not in theirs) or (theirs == _MILITANTS and "militant" not in mine)


def _drop_previews(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """An approximate figure in a roundup's opening paragraph ("Roughly twenty gunmen were also
    killed in Mosul") previews a precise one told later ("In Mosul, 22 gunmen were
    killed"): the same casualties restated, so only the later one counts."""
    if not drafts or not doc.sentences:
        return drafts
    opening = doc.sentences[0].paragraph
    if len({d.sentence.paragraph for d in drafts}) < 4:
        return drafts
    out = []
    for d in drafts:
        approximate = any(g.vague or g.qualifier in _LOOSE for g in (*d.killed, *d.wounded))
        if d.sentence.paragraph == opening and approximate and d.k:
            region, cats = d.region_code(), _categories(d)
            if region is not None and any(
                o.sentence.paragraph > opening and o.region_code() == region and _categories(o) == cats
                and o.k >= d.k
                for o in drafts
            ):
                fired(R_PREVIEW)
                continue
        out.append(d)
    return out


def _breakdown_key(d: Draft) -> tuple[int, int, tuple[tuple[str, int, int], ...]]:
    killed, wounded = d.killed, d.wounded
    if len(killed) + len(wounded) == 1:  # most drafts: one victim group, no table needed
        if killed:
            g = killed[0]
            return g.value, 0, ((g.category, g.value, 0),)
        g = wounded[0]
        return 0, g.value, ((g.category, 0, g.value),)
    cats: dict[str, list[int]] = {}
    for g in d.killed:
        cats.setdefault(g.category, [0, 0])[0] += g.value
    for g in d.wounded:
        cats.setdefault(g.category, [0, 0])[1] += g.value
    return d.k, d.w, tuple(sorted((c, k, w) for c, (k, w) in cats.items()))


_COARSE_KINDS: Final = frozenset(("region", "country"))
_QUOTED_MIN: Final = 3
"""Killed from which a quoted or back-referring toll equal to an earlier incident's is that incident."""


R_QUOTED_LOWER: Final = rule(
    "merge.quoted_lower",
    "a source quoted on 'the attack' told a few paragraphs before, with a lower toll and no place of its own, "
    "gives another account of it",
)
_QUOTED_REACH: Final = 3


def _quoted_lower(kept: list[Draft], d: Draft) -> Draft | None:
    """An officer quoted on "the raids" with a lower toll, paragraphs after they were told with
    more dead: attributed, referring back, no wounded and no place of its own, a lower
    killed figure than the latest incident of the last few paragraphs (in its region): another
    account of that incident, whose figure stands."""
    pd = d.mention.place if d.mention is not None else None
    if pd is not None and pd.kind not in _COARSE_KINDS:
        return None
    para = d.sentence.paragraph
    for c in reversed(kept):
        if c.sentence.paragraph < para - _QUOTED_REACH:
            break
        if c.k > d.k and _compatible_region(c, d) and not (_other_victims(c, d) and on(R_OTHER_VICTIMS)):
            return c
    return None


def _quoted_toll(candidates: list[Draft], d: Draft) -> Draft | None:
    """An official quoted on an incident told earlier, in another paragraph ("'17 people were
    killed in the blast,' the governor said"): the same killed figure, no wounded of its own,
    attributed or referring back to the event, no victims of another kind and no other town of
    the same province. ``candidates``: the earlier incidents with that killed figure."""
    mine = {g.category for g in d.killed} - {"unknown"}
    rd = d.region_code()
    for c in candidates:
        rc = c.region_code()
        if rc is not None and rd is not None and rc != rd:
            continue
        if mine and not mine <= {g.category for g in c.killed}:
            continue
        pc = c.mention.place if c.mention is not None else None
        pd = d.mention.place if d.mention is not None else None
        if pc is not None and pd is not None and pc.kind not in _COARSE_KINDS and pd.kind not in _COARSE_KINDS and (
                (pc.city or pc.name) != (pd.city or pd.name)):
            continue  # another town or city: another incident with the same toll
        return c
    return None


def _restated_twin(
    candidates: list[Draft], d: Draft, key: tuple[int, int, tuple[tuple[str, int, int], ...]]
) -> Draft | None:
    """An earlier incident told again with the same figures and victims ("killing four soldiers and
    two drivers" in the lead and again in the body), when the figures are specific enough.
    ``candidates`` are the earlier incidents with the same figures (``key``)."""
    if key[0] + key[1] < 3 or (len(key[2]) < 2 and not (d.attribution or d.back_reference)):
        return None
    for c in candidates:
        if _breakdown_key(c) != key:
            continue
        rc, rd = c.region_code(), d.region_code()
        if rc is not None and rd is not None and rc != rd:
            continue
        if _other_places(c, d) and on(R_TWIN_PLACES):
            fired(R_TWIN_PLACES)  # "two policemen killed, three wounded" in Zayouna, then the same in Amil
            continue
        return c
    return None


R_TWIN_PLACES: Final = rule(
    "merge.twin_places",
    "the same figures told of two neighbourhoods of one city are two incidents",
)
_SPOT_PRECISION: Final = frozenset(("neighbourhood", "district", "site"))


def _other_places(c: Draft, d: Draft) -> bool:
    """Whether two drafts name two different neighbourhoods (districts, sites) of one city in
    their own sentences: a lead and its body may name a city and a town near it for one
    incident, but not two quarters of the city."""
    a = c.mention.place if c.mention is not None else None
    b = d.mention.place if d.mention is not None else None
    if a is None or b is None or a is b or a.city is None or a.city != b.city:
        return False
    return a.precision in _SPOT_PRECISION and b.precision in _SPOT_PRECISION and a.name != b.name
