"""Who tells the figures: attribution phrases are neither the perpetrator nor the place.

"..., police said", "the army said", "a Baghdad official told reporters", "according to the
provincial council": the speaker's words name a source, so their police, army or city must not
become the incident's perpetrator or place. :func:`speech_spans` finds those token spans:

* a clause ending a sentence or a comma stretch: ", <speaker> said/told/added ..." up to the
  next comma or the end;
* a sentence opened by its source: "<speaker> said (that) ..." up to the speech verb (and a
  following "that");
* "according to <source>" up to the next comma or the end.

A stretch that holds a casualty trigger is not a speaker (it tells the event itself).
"""

from __future__ import annotations

from typing import Final

from extractors.lexicon import ACTIVE_KILL, ACTIVE_WOUND, PASSIVE_KILL, PASSIVE_WOUND
from extractors.segment import KeyWords, Sentence

SPEECH_VERBS: Final = frozenset((
    "said", "says", "told", "added", "stated", "confirmed", "announced", "reported", "claimed", "quoted", "tweeted",
))
_TRIGGERS: Final = ACTIVE_KILL | ACTIVE_WOUND | PASSIVE_KILL | PASSIVE_WOUND | frozenset(("dead", "died"))
_OPENERS: Final = frozenset((",", ";", ":", '"', "\u201c", "\u201d"))
_MAX_SPEAKER: Final = 14
"""Longest speaker phrase, in tokens ("a spokesman for the provincial governor of Kandahar")."""


_SPEECH_KEYS: Final = KeyWords((*SPEECH_VERBS, "according"))


def may_attribute(sent: Sentence) -> bool:
    """Cheap test before :func:`speech_spans`: a speech verb or "according" in a tokenised
    sentence (a bit of its key-word mask)."""
    return _SPEECH_KEYS.in_sentence(sent)


def speech_spans(toks: list[str]) -> list[tuple[int, int]]:
    """Token spans ``[start, end)`` of the attribution phrases of a tokenised sentence."""
    spans: list[tuple[int, int]] = []
    n = len(toks)
    for v, t in enumerate(toks):
        if t in SPEECH_VERBS:
            start = v
            while start > 0 and toks[start - 1] not in _OPENERS and v - start < _MAX_SPEAKER:
                start -= 1
            if v - start >= _MAX_SPEAKER or _TRIGGERS.intersection(toks[start:v]):
                continue
            if start == 0:
                end = v + 1
                if end < n and toks[end] == "that":
                    end += 1
            else:
                end = v + 1
                while end < n and toks[end] not in (",", ";", ".") and end - v < _MAX_SPEAKER:
                    end += 1
                if _TRIGGERS.intersection(toks[v + 1 : end]):
                    end = v + 1
            spans.append((start, end))
        elif t == "according" and v + 1 < n and toks[v + 1] == "to":
            end = v + 2
            while end < n and toks[end] not in (",", ";", ".") and end - v < _MAX_SPEAKER:
                end += 1
            if not _TRIGGERS.intersection(toks[v:end]):
                spans.append((v, end))
    return spans


ARMED_SPEAKERS: Final = frozenset((
    "taliban", "shabab", "al-shabab", "shabaab", "al-shabaab", "isis", "isil", "daesh", "qaeda", "al-qaeda",
    "boko", "militants", "militant", "insurgents", "insurgent", "rebels", "rebel", "jihadists", "jihadist",
))
"""Speakers whose casualty figures are a side's claim (the attackers' own count of what they did)."""


def disputed_claim(toks: list[str]) -> bool:
    """Whether a tokenised sentence gives its figures as a claim: told by an armed group ("the
    Taliban said their fighters killed 20 soldiers") or called unverified or denied ("a figure
    that could not be verified", "could not be independently confirmed", "a claim the army
    denied")."""
    if "unverified" in toks or "unconfirmed" in toks or "denied" in toks or "denies" in toks:
        return True
    for i, t in enumerate(toks):
        # "could not be (independently) verified / confirmed"
        if t in ("verified", "confirmed") and "not" in toks[max(0, i - 4) : i] and "be" in toks[max(0, i - 3) : i]:
            return True
    if not ARMED_SPEAKERS.intersection(toks):
        return False
    return any(not ARMED_SPEAKERS.isdisjoint(toks[start:end]) for start, end in speech_spans(toks))


def outside(toks: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """The tokens not inside any of the spans."""
    if not spans:
        return toks
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start > pos:
            out += toks[pos:start]
        pos = max(pos, end)
    out += toks[pos:]
    return out
