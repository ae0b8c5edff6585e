"""Step ``classify``: method and perpetrator of each incident from documented cue lists.

Cues are looked up in the incident's own clause first, then its whole sentence, then (for the
method) the sentence before it in the same paragraph ("A suicide bomber walked into a crowd.
Twelve were killed."). Perpetrator cues ignore the victims' own words, so "a bomb killed two
policemen" is not blamed on the police. Matching is on token sets (one set test per label), with
multi-word cues confirmed by a substring test only when their first word is present.
"""

from __future__ import annotations

import re
from typing import Final

from extractors.lexicon import METHOD_CUES, PERPETRATOR_CUES
from extractors.pipeline import Doc, Draft, step
from extractors.segment import Sentence, token_set, tokenize


class _Table:
    """A cue table compiled for lookup: the first label (in table order) whose cue occurs wins.

    Single-word cues go into one dict word -> position of its label, so a token set is scanned
    once instead of once per label; multi-word cues ("car bomb") are confirmed by a substring
    test on the text, and only those of a label earlier than the best single-word one.
    """

    __slots__ = ("keys", "labels", "multi", "multi_by_first", "multi_firsts", "single", "words")

    def __init__(self, cues: list[tuple[str, tuple[str, ...]]]) -> None:
        self.labels = [label for label, _ in cues]
        self.single: dict[str, int] = {}
        self.multi: list[tuple[int, str, str]] = []  # (position, first word, phrase)
        for pos, (_, words) in enumerate(cues):
            for w in words:
                if " " in w:
                    self.multi.append((pos, w.split(" ", 1)[0], w))
                else:
                    self.single.setdefault(w, pos)
        self.keys = frozenset(self.single)
        # multi-word cues by first word, each list in table order: only the lists of first words
        # present in a sentence are read
        self.multi_by_first: dict[str, list[tuple[int, str]]] = {}
        for pos, first, phrase in self.multi:
            self.multi_by_first.setdefault(first, []).append((pos, phrase))
        self.multi_firsts = frozenset(self.multi_by_first)
        self.words = self.keys | self.multi_firsts
        """Every token that can start a cue (a disjoint token set matches no label)."""

    def first(self, tokens: set[str], text: str) -> str | None:
        """The label of the earliest matching cue group, or None."""
        best = len(self.labels)
        single = self.single
        for t in self.keys.intersection(tokens):  # (the few cue words present, found in C)
            pos = single[t]
            if pos < best:
                best = pos
        # the earliest multi-word cue before ``best`` whose first word is present and phrase occurs
        for first in self.multi_firsts.intersection(tokens):
            for pos, phrase in self.multi_by_first[first]:
                if pos >= best:
                    break
                if phrase in text:
                    best = pos
                    break
        return self.labels[best] if best < len(self.labels) else None


_METHOD: Final = _Table(METHOD_CUES)
_PERPETRATOR: Final = _Table(PERPETRATOR_CUES)


def _first(tokens: set[str], text: str, table: _Table) -> str | None:
    return table.first(tokens, text)


class _SentenceCues:
    """Per-sentence work shared by every incident of the sentence (computed once per article)."""

    __slots__ = ("dotted", "has_method_cue", "method", "text", "tokens")

    def __init__(self, s: Sentence) -> None:
        self.text = " ".join(s.toks)
        self.tokens = set(token_set(s))
        # "i.e.d." is also looked up as "i.e.d" (the cue tables are written without the last dot);
        # in the joined text such a token shows as a non-space before a dot that ends a token, so
        # one regex search skips the token loop in the (usual) sentence without one
        self.dotted = (
            [t for t in self.tokens if len(t) > 1 and t[-1] == "."] if _DOTTED_TOKEN.search(self.text) else []
        )
        if self.dotted:
            self.tokens.update(t.rstrip(".") for t in self.dotted)
        self.has_method_cue = not _METHOD.words.isdisjoint(self.tokens)
        self.method = _first(self.tokens, self.text, _METHOD) if self.has_method_cue else None

    def subset(self, toks: list[str]) -> set[str]:
        """Token set of a part of the sentence, with the same dotted-token rule."""
        out = set(toks)
        if self.dotted:
            out.update(t.rstrip(".") for t in self.dotted if t in out)
        return out


_DOTTED_TOKEN: Final = re.compile(r"[^ ]\.(?= |$)")


def _cues(cache: dict[int, _SentenceCues], s: Sentence) -> _SentenceCues:
    c = cache.get(s.index)
    if c is None:
        tokenize(s)
        c = cache[s.index] = _SentenceCues(s)
    return c


def method_of(
    doc: Doc, d: Draft, told: frozenset[int] = frozenset(), cache: dict[int, _SentenceCues] | None = None
) -> str:
    """Method label (records.Method) of a draft incident (``told``: sentences with incidents;
    ``cache``: per-sentence cue sets shared by the incidents of one article)."""
    cache = {} if cache is None else cache
    s = d.sentence
    sc = _cues(cache, s)
    n = len(s.toks)
    # (groups merged in from a following sentence index that sentence's tokens: bounds-checked)
    if any(0 < g.end <= n and s.toks[g.end - 1] in _BODY for g in d.killed):
        return "bodies_found"
    label = None
    # The clause's own words (victim phrases left out) only matter when the sentence has a cue
    # word, or both halves of "found dead" (which may meet once a victim phrase between is cut).
    if sc.has_method_cue or ("found" in sc.text and "dead" in sc.text):
        seg = _outside_victims(s.toks, d, d.tok_start, d.tok_end)
        seg_text = " ".join(seg)
        if "found dead" in seg_text:
            return "bodies_found"
        if sc.has_method_cue:  # the clause's own words first
            label = _first(sc.subset(seg), seg_text, _METHOD)
    if label is None:
        label = sc.method
    if label is None and s.index > 0:
        prev = doc.sentences[s.index - 1]
        # only a scene-setting sentence without its own incident ("A suicide bomber walked in ...")
        if prev.paragraph == s.paragraph and prev.index not in told:
            label = _cues(cache, prev).method
            if label == "bodies_found":
                label = None
    return label or "unknown"


_BODY: Final = frozenset(("body", "bodies", "corpse", "corpses"))


def _outside_victims(toks: list[str], d: Draft, lo: int, hi: int) -> list[str]:
    """``toks[lo:hi]`` without the victim phrases' tokens, joined from slices between the (few)
    victim spans rather than testing every token index against a set."""
    groups = (*d.killed, *d.wounded)
    if len(groups) == 1:  # the usual incident: one victim phrase, two slices
        g = groups[0]
        if g.end <= lo or g.start >= hi:
            return toks[lo:hi]
        return toks[lo : g.start] + toks[g.end : hi] if g.start > lo else toks[max(lo, g.end) : hi]
    out: list[str] = []
    pos = lo
    for start, end in sorted((g.start, g.end) for g in groups):
        if end <= pos:
            continue
        if start >= hi:
            break
        if start > pos:
            out += toks[pos:start]
        pos = end
    if pos < hi:
        out += toks[pos:hi]
    return out


def perpetrator_of(d: Draft, cache: dict[int, _SentenceCues] | None = None) -> str:
    """Perpetrator label (records.Perpetrator) of a draft incident, ignoring the victims' words."""
    s = d.sentence
    sc = _cues({} if cache is None else cache, s)
    if _PERPETRATOR.words.isdisjoint(sc.tokens):
        return "unknown"  # no cue anywhere in the sentence
    toks = _outside_victims(s.toks, d, 0, len(s.toks))
    return _first(sc.subset(toks), " ".join(toks), _PERPETRATOR) or "unknown"


@step("classify")
def classify_step(doc: Doc) -> None:
    """Label method and perpetrator of every draft."""
    told = frozenset(d.sentence.index for d in doc.drafts)
    cache: dict[int, _SentenceCues] = {}
    for d in doc.drafts:
        d.method = method_of(doc, d, told, cache)
        d.perpetrator = perpetrator_of(d, cache)
