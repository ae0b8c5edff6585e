"""Step ``stated``: the report's own total ("At least 129 were killed and 8 wounded across Iraq").

A sentence is the report-level total when its figures are generic (people, Iraqis, a bare number)
or it carries a scope word (across, nationwide, altogether, mostly, "in separate attacks", a
closing colon, plural attacks/violence), it names no single cause (bomb, airstrike ...) unless a
scope word says it spans several events, and at least one incident follows it. A wire story's
opening toll about one event is therefore *not* a total: it stays the incident.
A following "Another 18 were wounded." completes the total.
"""

from __future__ import annotations

import re

from extractors.pipeline import Doc, SentHits, step

_SCOPE = re.compile(
    r"\b(?:across|nationwide|throughout|altogether|overall|in total|in all|around the country|mostly|"
    r"iraqis|afghans|syrians|in (?:two|three|four|five|several|a series of|multiple) (?:separate )?"
    r"(?:incidents|attacks|bombings)|separate attacks|attacks|violence|incidents|bombings|shootings|airstrikes)\b"
    r"|:\s*$"
)
_CAUSE = re.compile(
    r"\b(?:bomb|bombs|blast|blasts|explosion|bomber|bombing|airstrike|air strike|strike|shelling|shells|mortars?|"
    r"rockets?|artillery|grenade|gunmen|gunman|sniper|clash|clashes|attack|raid|ambush|i\.e\.d|ied|mine|fire)\b"
)
_LEAD_TOKENS = frozenset(("another", "more", "others", "other"))


def _generic(sh: SentHits) -> bool:
    return all(g.category == "unknown" for h in sh.hits for g in h.groups)


def _numeric(sh: SentHits) -> bool:
    return any(h.value > 0 for h in sh.hits)


def _has_place(doc: Doc, sh: SentHits) -> bool:
    s = sh.sentence
    for m in doc.mentions:
        if s.start <= m.start < s.end and m.place is not None and m.place.kind not in ("country",):
            return True
    return False


def is_total(doc: Doc, sh: SentHits) -> bool:
    """Whether a sentence states the report-level total rather than one incident."""
    if not _numeric(sh) or sh.excluded not in (None, "overall"):
        return False
    scope = _SCOPE.search(sh.lower) is not None
    if scope:
        return True
    return _generic(sh) and not _CAUSE.search(sh.lower) and not _has_place(doc, sh)


@step("stated")
def stated_step(doc: Doc) -> None:
    """Find the stated total, record it in the doc and drop its hits from incident building."""
    candidates = [sh for sh in doc.sent_hits if sh.excluded in (None, "overall")]
    for idx, sh in enumerate(candidates):
        if not is_total(doc, sh):
            continue
        later = [o for o in candidates[idx + 1 :] if _numeric(o)]
        if not later:
            return
        killed = sum(h.value for h in sh.hits if h.kind == "k")
        wounded = sum(h.value for h in sh.hits if h.kind == "w")
        phrase_end = sh.sentence.end
        doc.stated_sentences.add(sh.sentence.index)
        # "At least 56 people were killed today ... Another 18 people were wounded."
        nxt = later[0]
        if (
            nxt.sentence.index == sh.sentence.index + 1
            and all(h.kind != "k" or killed == 0 for h in nxt.hits)
            and _generic(nxt)
            and nxt.sentence.toks
            and nxt.sentence.toks[0] in _LEAD_TOKENS
            and wounded == 0
        ):
            wounded = sum(h.value for h in nxt.hits if h.kind == "w")
            doc.stated_sentences.add(nxt.sentence.index)
            phrase_end = nxt.sentence.end
        doc.stated_killed = killed if killed or wounded == 0 else None
        doc.stated_wounded = wounded if any(h.kind == "w" for h in sh.hits) or wounded else None
        if doc.stated_killed == 0 and not any(h.kind == "k" for h in sh.hits):
            doc.stated_killed = None
        doc.stated_phrase = doc.body[sh.sentence.start : phrase_end]
        return
    # the "overall" exclusion only ever applies to the total itself; others stay excluded
