"""Step ``stated``: the report's own total ("Some 87 died and 14 were hurt across Iraq").

A sentence is the report-level total when its figures are generic (people, Iraqis, a bare number)
or it carries a scope word (across, nationwide, altogether, mostly, "in separate attacks", a
closing colon, plural attacks/violence), it names no single cause (bomb, airstrike ...) unless a
scope word says it spans several events, and at least one incident follows it. A wire story's
opening toll about one event is therefore *not* a total: it stays the incident.
A following "Another 18 were wounded." completes the total.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from extractors.clauses import Hit
from extractors.context import toll_window
from extractors.pipeline import Doc, SentHits, step
from extractors.record import bisect_left
from extractors.rules import fired, on, rule
from extractors.scope import RUNNING_CUES
from extractors.segment import prose_start, search_after
from extractors.timex import names_a_week

R_STRONG: Final = rule("stated.strong", "a figure with a scope word (Iraqis, across, nationwide, a colon) is the total")
R_MULTI: Final = rule("stated.several_events", "generic victims 'in separate attacks' sum several events: a total")
R_WEAK: Final = rule("stated.plural_events", "generic victims of plural events ('attacks killed 7') are a total")
R_BARE: Final = rule("stated.bare_toll", "the first figure, with no cause and no place, is the total")
R_CONTINUATION: Final = rule("stated.continuation", "'Another 18 were wounded' right after the total completes it")
R_SUMMARY: Final = rule("stated.summary_paragraph", "an opening paragraph that adds up to the rest is a summary")
R_PARTS: Final = rule("stated.parts", "a total given in parts ('Also, 61 Iraqis died') adds up")
R_BARE_PART: Final = rule(
    "stated.bare_part", "'Also, one soldier was killed.' beside the total, with no cause or place, is a part of it "
    "when the body tells it again")
R_ACROSS_COUNTRY: Final = rule("stated.across_country", "'across Ukraine': a figure spanning a country is the total")
R_PERIOD: Final = rule("stated.period_total", "a weekly report's figure dated by its week is its total")
R_RUNNING: Final = rule("stated.running_total", "a report's total 'so far' is its total, not a cumulative toll")
R_NOTHING_SUMMED: Final = rule(
    "stated.nothing_summed", "a generic toll of dead with no dead told after it is an incident, not a total")

# Words that make a sentence a report-level total whatever else it says.
_STRONG_SCOPE: Final = re.compile(
    r"\b(?:altogether|overall|in total|in all|nationwide|throughout the country|"
    r"across (?:iraq|the country|the nation|(?:central|northern|southern|western|eastern)\b)|around the country)\b"
    r"|:\s*$"
)
_NATIONALS: Final = frozenset(("iraqis", "afghans", "syrians"))
"""A nation's people as the victims of a figure ("Nineteen Afghans died on Friday"): a national total."""
# Plural event words: a total when its victims are generic ("attacks killed 11 people").
# ("mostly" spreads a toll over places, "24 killed, mostly in the capital"; "25 killed, mostly
# soldiers" tells who one event's dead were)
_WEAK_SCOPE: Final = re.compile(
    r"\b(?:attacks|violence|incidents|bombings|shootings|airstrikes|mostly (?:in|across|around)\b)")
_MULTI: Final = re.compile(
    r"\bin (?:two|three|four|five|several|a series of|multiple|separate|various) (?:separate )?"
    r"(?:incidents|attacks|bombings|events)\b"
)
_CAUSE: Final = re.compile(
    r"\b(?:bomb|bombs|blast|blasts|explosion|bomber|bombing|bombed|airstrike|air strike|strike|shelling|shells|"
    r"shelled|mortars?|rockets?|artillery|grenade|gunmen|gunman|sniper|clash|clashes|attack|raid|ambush|i\.e\.d|ied|"
    r"mine|fire|struck|attacked|stormed|raided|ambushed|opened fire|"
    # the manner of a killing names one event's cause as much as a weapon does
    r"stabbed|stabbing|knife|knifed|hacked|machete|machetes|beheaded|shot|gunned|beaten|burned|burnt|strangled|"
    r"lynched|missile|missiles|drone|drones|explosives?)\b"
)
_ATTRIBUTION: Final = re.compile(r"\b(?:said|says|told|added|according to)\b")
_CAUSE_STARTS: Final[tuple[str, ...]] = (
    "bomb", "blast", "explosion", "airstrike", "air strike", "strike", "shell", "mortar", "rocket", "artillery",
    "grenade", "gunm", "sniper", "clash", "attack", "raid", "ambush", "i.e.d", "ied", "mine", "fire", "struck",
    "stormed", "opened fire", "stab", "knife", "hacked", "machete", "beheaded", "shot", "gunned", "beaten", "burn",
    "strangled", "lynched", "missile", "drone", "explosive",
)
"""Literals every match of ``_CAUSE`` begins with (:func:`extractors.segment.search_after`)."""


def names_cause(lower: str) -> bool:
    """Whether a sentence (lowercased) names an attack's cause or manner: a weapon, an attack, a
    killing's manner ("bomb", "raided", "beheaded"); a toll ("violence killed 40") names none."""
    return search_after(_CAUSE, lower, _CAUSE_STARTS) is not None


def _gated(keys: tuple[str, ...], pattern: re.Pattern[str], starts: tuple[str, ...] | None = None
           ) -> Callable[[str], bool]:
    """``pattern.search`` behind substring tests: ``keys`` holds a literal every match contains,
    so most sentences are rejected by a few C-level ``in`` tests instead of a regex alternation
    (which CPython tries word by word at every position). ``starts``: literals every match
    begins with (``keys`` when None), where the search begins (:func:`segment.search_after`)."""
    first = keys if starts is None else starts

    def search(lower: str) -> bool:
        for key in keys:
            if key in lower:
                return search_after(pattern, lower, first) is not None
        return False

    return search


# (every match of these patterns begins with one of its keys, except _MULTI's: "in ...")
_strong_words: Final = _gated(("altogether", "overall", "in total", "in all", "nationwide", "throughout the country",
                               "across ", "around the country", ":"), _STRONG_SCOPE)


def _strong(sh: SentHits, hits: list[Hit] | None = None) -> bool:
    """A scope phrase, or a nation's people as the head of one of the figures' victim phrases
    (not merely named elsewhere in the sentence: "40 militants, four of them Afghans");
    ``hits``: the sentence's figures when they are not (yet) its hits."""
    if _strong_words(sh.lower):
        return True
    if "across " in sh.lower and on(R_ACROSS_COUNTRY) and _across_country(sh.sentence.text):
        fired(R_ACROSS_COUNTRY)
        return True
    toks = sh.sentence.toks
    return any(0 < g.end <= len(toks) and toks[g.end - 1] in _NATIONALS
               for h in (sh.hits if hits is None else hits) for g in h.groups)
_ACROSS_NAME: Final = re.compile(r"\bacross (?:the )?([A-Z][\w'\u2019\-]+(?: [A-Z][\w'\u2019\-]+){0,2})")


def _across_country(text: str) -> bool:
    """Whether the sentence spans a whole country it names ("across Ukraine", "across Nigeria"),
    as "across Iraq" or "nationwide" do."""
    m = _ACROSS_NAME.search(text)
    if m is None:
        return False
    from extractors.locations import gazetteer  # (late: the places module imports the steps)

    g = gazetteer()
    try:
        places = g.lookup_all(m.group(1)) if g is not None else []
    except Exception:  # a gazetteer bug must not stop extraction
        return False
    return bool(places) and places[0].kind == "country"


_weak: Final = _gated(("attacks", "violence", "incidents", "bombings", "shootings", "airstrikes", "mostly"),
                      _WEAK_SCOPE)
_multi: Final = _gated(("incidents", "attacks", "bombings", "events"), _MULTI, ("in ",))
_attributed: Final = _gated(("said", "says", "told", "added", "according to"), _ATTRIBUTION)
_LEAD_TOKENS: Final = frozenset(("another", "more", "others", "other"))


def strong_scope(sh: SentHits) -> bool:
    """Whether a sentence's figures are marked as a report-level total (Iraqis as victims, across
    the country, nationwide, altogether, a closing colon)."""
    return _strong(sh)


def _continues(sh: SentHits) -> bool:
    """A sentence that adds to the one before it ("Also, ...", "Another ..."): not a total of its own."""
    toks = sh.sentence.toks
    return bool(toks) and toks[0] in ("also", "another", "meanwhile", "additionally", "separately")


def _told_again(doc: Doc, part: SentHits) -> bool:
    """Whether a later paragraph tells a group of ``part`` again: a figure of the same kind and
    value, of victims of the same known kind (set aside as another day's or not), or figures
    told one after the other in one paragraph that add up to it, the first of that kind of
    victims and the others of it or unknown ("three soldiers were killed ...; a fourth died")."""
    told = {(h.kind, h.value, g.category) for h in part.hits for g in h.groups if g.category != "unknown"}
    if not told:
        return False
    para = part.sentence.paragraph
    runs: dict[int, list[tuple[str, int, str]]] = {}  # later paragraph -> its figures in order
    for sh in doc.sent_hits:
        if sh.sentence.paragraph <= para:
            continue
        for h in [*sh.hits, *(x for x, _ in sh.dropped)]:
            for g in h.groups:
                if (h.kind, h.value, g.category) in told:
                    return True
                runs.setdefault(sh.sentence.paragraph, []).append((h.kind, g.value, g.category))
    if not on(R_TOLD_IN_PARTS):
        return False
    for kind, value, category in told:
        for figures in runs.values():
            for i, (k, v, c) in enumerate(figures):
                if k != kind or c != category:
                    continue
                total = v
                for k2, v2, c2 in figures[i + 1:]:
                    if total >= value or k2 != kind or c2 not in (category, "unknown"):
                        break
                    total += v2
                if total == value and on(R_TOLD_IN_PARTS):
                    fired(R_TOLD_IN_PARTS)
                    return True
    return False


R_TOLD_IN_PARTS: Final = rule(
    "stated.told_in_parts",
    "an opening's bare group ('also, four soldiers died') is the total's part when a later paragraph tells it "
    "in parts that add up to it",
)


def _adds(sh: SentHits) -> bool:
    """A sentence that adds a group to what was just told ("Also, ...", "... as well")."""
    toks = sh.sentence.toks
    return _continues(sh) or "also" in toks or (len(toks) > 2 and toks[-3:-1] == ["as", "well"])


def _generic(sh: SentHits) -> bool:
    return all(g.category == "unknown" for h in sh.hits for g in h.groups)


def _numeric(sh: SentHits) -> bool:
    """Whether the sentence states a number of casualties (bodies found are events, never a
    total by themselves)."""
    for h in sh.hits:
        if h.voice == "body":
            continue
        for g in h.groups:
            if g.value:  # (counts are never negative: a positive group is a positive hit)
                return True
    return False


def _has_place(doc: Doc, sh: SentHits) -> bool:
    s = sh.sentence
    starts = doc.mention_starts()
    i = bisect_left(starts, s.start)
    while i < len(starts) and starts[i] < s.end:
        m = doc.mentions[i]
        if m.place is not None and m.place.kind != "country":
            return True
        i += 1
    return False


_WEAK_WORDS: Final = frozenset(("attacks", "violence", "incidents", "bombings", "shootings", "airstrikes", "mostly"))


def _weak_in_figures_clause(sh: SentHits) -> bool:
    """The plural event word belongs to the figures: it comes before the comma that closes their
    clause ("Attacks in X killed 7", "7 were killed in attacks in X"), not in an aside after it
    ("..., an official said, the latest in a string of attacks")."""
    toks = sh.sentence.toks
    end = max((h.end for h in sh.hits), default=len(toks))
    while end < len(toks) and toks[end] not in (",", ";"):
        end += 1
    return any(t in _WEAK_WORDS and (t != "mostly" or toks[i + 1 : i + 2] in (["in"], ["across"], ["around"]))
               for i, t in enumerate(toks[:end]))


def _is_total(doc: Doc, sh: SentHits, numeric: bool, strong: bool | None) -> bool:
    """Whether a sentence states the report-level total rather than one incident (``numeric``:
    ``_numeric(sh)``; ``strong``: ``_strong(sh)``, or None to work it out)."""
    if not numeric or sh.excluded not in (None, "overall"):
        return False
    if (strong if strong is not None else _strong(sh)) and on(R_STRONG):
        fired(R_STRONG)
        return True
    if doc.period_start is not None and sh.sentence.times and on(R_PERIOD) and any(
        t.relation == "report" and names_a_week(t.text.split()) for t in sh.sentence.times
    ):
        fired(R_PERIOD)
        return True  # a weekly report's "... were killed over the past week": its total
    if _multi(sh.lower) and any(g.category == "unknown" for h in sh.hits for g in h.groups) and on(R_MULTI):
        fired(R_MULTI)
        return True  # "24 people, including 14 fighters, were killed in separate attacks in A, B and C"
    if not _generic(sh) or "of them" in sh.lower:
        return False
    if _weak(sh.lower) and _weak_in_figures_clause(sh) and on(R_WEAK):
        fired(R_WEAK)
        return True  # "Attacks in Diyala province killed at least 7 people, officials said"
    if _attributed(sh.lower):
        return False  # "It said 19 were wounded": one source's figure, not a report's total
    # a bare toll with no cause and no place is a total only where a total is stated: ahead of
    # the incidents it sums, not added to them ("... were also killed")
    if "also" in sh.sentence.toks or not _first_figure(doc, sh) or not on(R_BARE):
        return False
    killed = any(h.kind == "k" and h.value for h in sh.hits)
    bare = killed and not names_cause(sh.lower) and not _has_place(doc, sh)
    if bare:
        fired(R_BARE)
    return bare


_PLURAL_EVENTS: Final = frozenset((
    "blasts", "attacks", "bombings", "explosions", "strikes", "airstrikes", "raids", "clashes", "bombs", "assaults",
))


def _plural_events_again(toks: list[str]) -> bool:
    """"The bombings also hurt 75 people", "The attacks also left 80 wounded": a sentence whose
    subject refers back to the several events a total sums."""
    return len(toks) > 2 and toks[0] == "the" and toks[1] in _PLURAL_EVENTS and "also" in toks[2:4]


def _first_figure(doc: Doc, sh: SentHits) -> bool:
    """Whether no counted figure comes before this sentence's."""
    for o in doc.sent_hits:
        if o is sh:
            return True
        if o.excluded in (None, "overall") and _numeric(o):
            return False
    return True


def _running_total(sh: SentHits) -> bool:
    """A sentence set aside only as a toll up to now, with a strong total marker: restored as a
    candidate for the report's total (its figures go back to its hits)."""
    if sh.excluded != "cumulative" or not sh.dropped or not all(sc.cue in RUNNING_CUES for _, sc in sh.dropped):
        return False
    if not on(R_RUNNING) or not _strong(sh, [h for h, _ in sh.dropped]):
        return False
    fired(R_RUNNING)
    sh.hits = [h for h, _ in sh.dropped]
    sh.dropped = []
    sh.excluded = None
    return True


@step("stated")
def stated_step(doc: Doc) -> None:
    """Find the stated total, record it in the doc and drop its hits from incident building."""
    candidates = [sh for sh in doc.sent_hits if sh.excluded in (None, "overall") or _running_total(sh)]
    numeric = [_numeric(sh) for sh in candidates]  # (each test once: the loop below revisits them)
    # a strongly marked total ("... across Iraq", "...:") wins over an earlier generic one
    strong = [i for i, sh in enumerate(candidates) if numeric[i] and _strong(sh)]
    strong_set = set(strong)
    order = strong + [i for i in range(len(candidates)) if i not in strong_set]
    for idx in order:
        sh = candidates[idx]
        if not _is_total(doc, sh, numeric[idx], idx in strong_set if numeric[idx] else None):
            continue
        later = [o for o, num in zip(candidates[idx + 1 :], numeric[idx + 1 :], strict=True) if num]
        # a total is followed by the incidents it sums; a strongly marked one ("Some 140 died
        # across Iraq") may come after the lead story it also sums
        if not later and not (idx in strong_set and sum(numeric) > 1):
            continue
        # (nor is a generic toll of dead a total when nothing after it tells of dead: "Gunmen killed
        # 21 people in attacks on three villages ... Eight were wounded" is one story's event)
        # (any later dead: bodies found too, which ``later`` leaves out)
        dead_later = any(h.kind == "k" and h.value for o in candidates[idx + 1 :] for h in o.hits)
        if (idx not in strong_set and not dead_later and any(h.kind == "k" and h.value for h in sh.hits)
                and on(R_NOTHING_SUMMED)):
            fired(R_NOTHING_SUMMED)
            continue
        # (bodies found named beside the total are an event of their own: "... and the discovery
        # of 75 bodies")
        killed = sum(h.value for h in sh.hits if h.kind == "k" and h.voice != "body")
        wounded = sum(h.value for h in sh.hits if h.kind == "w")
        phrase_end = sh.sentence.end
        doc.stated_sentences.add(sh.sentence.index)
        # "Some 47 people died on Monday ... Another 23 people were hurt."
        nxt = later[0] if later else sh
        if (
            nxt is not sh
            and all(h.kind != "k" or killed == 0 for h in nxt.hits)
            and _generic(nxt)
            and nxt.sentence.toks
            and wounded == 0
            and (
                # "Another 18", "At least 10 more"
                (nxt.sentence.index == sh.sentence.index + 1 and not _LEAD_TOKENS.isdisjoint(nxt.sentence.toks[:5]))
                # "The bombings also hurt 75 people": the events the total sums, told again
                or (nxt.sentence.index <= sh.sentence.index + 3 and _plural_events_again(nxt.sentence.toks))
            )
            and on(R_CONTINUATION)
        ):
            fired(R_CONTINUATION)
            wounded = sum(h.value for h in nxt.hits if h.kind == "w")
            doc.stated_sentences.add(nxt.sentence.index)
            phrase_end = nxt.sentence.end
        # "Two guards died in separate attacks. Also, 61 Iraqis were killed on Monday.": a
        # report that gives its total in parts, one group after the other, adds them up
        has_wounded = any(h.kind == "w" for h in sh.hits)
        for part in later:
            if part.sentence.paragraph != sh.sentence.paragraph or not on(R_PARTS):
                break
            bare = False
            if not (_strong(part) or _multi(part.lower)):
                # "Also, a Marine died.": no cause and no place of its own, beside the
                # total, it is the total's other group when the body tells it again (where and how)
                bare = (_adds(part) and not names_cause(part.lower) and not _has_place(doc, part)
                        and on(R_BARE_PART) and _told_again(doc, part))
            if not _adds(part) or not (bare or _strong(part) or _multi(part.lower)):
                continue
            if bare:
                fired(R_BARE_PART)
            fired(R_PARTS)
            killed += sum(h.value for h in part.hits if h.kind == "k")
            wounded += sum(h.value for h in part.hits if h.kind == "w")
            has_wounded = has_wounded or any(h.kind == "w" for h in part.hits)
            doc.stated_sentences.add(part.sentence.index)
            phrase_end = part.sentence.end
        # "Two soldiers were killed in separate attacks. Also, 23 Iraqis were killed.": the total
        # that adds ("Also") completes a summary of several events told just before it
        if _adds(sh) and on(R_PARTS):
            before = [o for o, num in zip(candidates[:idx], numeric[:idx], strict=True) if num]
            if before:
                part = before[-1]
                if part.sentence.paragraph == sh.sentence.paragraph and (_multi(part.lower) or _strong(part)):
                    fired(R_PARTS)
                    killed += sum(h.value for h in part.hits if h.kind == "k")
                    wounded += sum(h.value for h in part.hits if h.kind == "w")
                    has_wounded = has_wounded or any(h.kind == "w" for h in part.hits)
                    doc.stated_sentences.add(part.sentence.index)
        doc.stated_killed = killed if killed or wounded == 0 else None
        doc.stated_wounded = wounded if has_wounded or wounded else None
        if doc.stated_killed == 0 and not any(h.kind == "k" for h in sh.hits):
            doc.stated_killed = None
        doc.stated_phrase = doc.body[min(doc.sentences[i].start for i in doc.stated_sentences) : phrase_end]
        return
    _summary_paragraph(doc, candidates, numeric)


def _toll_increase(sh: SentHits) -> bool:
    """Whether the sentence tells a toll's increase ("the toll climbed by two, to 13")."""
    window = toll_window(sh.sentence.toks, sh.lower) if "by" in sh.sentence.toks else None
    return window is not None and window[0] < window[1]


def _close(a: int, b: int) -> bool:
    return abs(a - b) <= max(2, 0.1 * b)


_SMALL_SUMMARY: Final = 10


def _summary_paragraph(doc: Doc, candidates: list[SentHits], numeric_flags: list[bool]) -> None:
    """An opening paragraph whose figures add up to everything listed after it is a summary.

    e.g. an opening paragraph saying that 150 insurgents and one soldier died around the country and
    nine people were hurt, followed by incidents that add up to 151 killed and 9 wounded.
    """
    numeric = [sh for sh, num in zip(candidates, numeric_flags, strict=True) if num]
    if len(numeric) < 4 or not on(R_SUMMARY):
        return
    first_para = numeric[0].sentence.paragraph
    if first_para != prose_start(doc.sentences):  # (a page's date and byline lines come before)
        return
    # (a toll update in the opening paragraph, "yesterday's toll climbed by two", tells an earlier
    # event's new dead: it is no part of the day's summary)
    head = [sh for sh in numeric if sh.sentence.paragraph == first_para and not _toll_increase(sh)]
    rest = [sh for sh in numeric if sh.sentence.paragraph != first_para]
    if len(rest) < 3:
        return
    hk = sum(h.value for sh in head for h in sh.hits if h.kind == "k")
    hw = sum(h.value for sh in head for h in sh.hits if h.kind == "w")
    rk = sum(h.value for sh in rest for h in sh.hits if h.kind == "k")
    rw = sum(h.value for sh in rest for h in sh.hits if h.kind == "w")
    # (small figures must add up exactly: a wire story's lead "killing one" is not the summary of
    # the retellings that follow it, whose ones and twos are always within 2 of it)
    if hk and (hk == rk if hk < _SMALL_SUMMARY else _close(hk, rk)) and (hw == 0 or _close(hw, rw)):
        fired(R_SUMMARY)
        doc.stated_killed, doc.stated_wounded = hk, hw if hw else None
        doc.stated_sentences.update(sh.sentence.index for sh in head)
        doc.stated_phrase = doc.body[head[0].sentence.start : head[-1].sentence.end]
