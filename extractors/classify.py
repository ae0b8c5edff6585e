"""Step ``classify``: method and perpetrator of each incident from documented cue lists.

Cues are looked up in the incident's own clause first, then its whole sentence, then (for the
method) the sentence before it in the same paragraph ("A suicide bomber approached the queue of
recruits. Nine died."). Perpetrator cues ignore the victims' own words, so "a bomb killed two
policemen" is not blamed on the police. Matching is on token sets (one set test per label), with
multi-word cues confirmed by a substring test only when their first word is present.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from extractors.attribution import may_attribute, speech_spans
from extractors.lexicon import METHOD_CUES, PERPETRATOR_CUES
from extractors.pipeline import Doc, Draft, step
from extractors.rules import fired, on, rule
from extractors.segment import KeyWords, Sentence, key_mask, token_set, tokenize

R_SPEAKER: Final = rule("classify.speaker", "a source ('..., police said') is not the perpetrator")
R_SCENE: Final = rule("classify.scene_sentence", "without a cue, the method of the scene-setting sentence before")


class _Table:
    """A cue table compiled for lookup: the first label (in table order) whose cue occurs wins.

    Every word that can start a cue maps, in one dict, to the position of the first label with
    that single-word cue and to whether multi-word cues ("car bomb") start with it; so a token
    list is read once, with one lookup per token. Multi-word cues are confirmed by a substring
    test on the text, and only those of a label earlier than the best single-word one.

    A token that ends with a dot ("i.e.d.") also counts as the word without it, because the
    tables are written without the last dot ("i.e.d"): every word is entered with a trailing dot
    too (only the tokeniser's initialisms end with a dot, always a single one).
    """

    __slots__ = ("labels", "lookup", "multi_by_first", "words")

    def __init__(self, cues: list[tuple[str, tuple[str, ...]]]) -> None:
        self.labels = [label for label, _ in cues]
        none = len(self.labels)
        single: dict[str, int] = {}
        # multi-word cues by first word, each list in table order
        self.multi_by_first: dict[str, list[tuple[int, str]]] = {}
        for pos, (_, words) in enumerate(cues):
            for w in words:
                if " " in w:
                    self.multi_by_first.setdefault(w.split(" ", 1)[0], []).append((pos, w))
                else:
                    single.setdefault(w, pos)
        # word -> 2 * (position of its single-word cue, or len(labels)) + (1 if a multi-word cue
        # starts with it)
        self.lookup: dict[str, int] = {}
        for word in {*single, *self.multi_by_first}:
            value = 2 * single.get(word, none) + (1 if word in self.multi_by_first else 0)
            for key in (word, word + "."):
                old = self.lookup.get(key)
                self.lookup[key] = value if old is None else min(old & ~1, value & ~1) | (old & 1) | (value & 1)
        self.words = frozenset(self.lookup)

    def any_in(self, toks: Iterable[str]) -> bool:
        """Whether one of ``toks`` is a cue word or starts a multi-word cue."""
        return not self.words.isdisjoint(toks)

    def first(self, toks: list[str], text: str | None = None) -> str | None:
        """The label of the earliest cue group with a cue among ``toks``, or None.

        ``text`` is ``" ".join(toks)`` (joined here when a multi-word cue needs it and it is not
        given).
        """
        n_labels = len(self.labels)
        best = n_labels
        lookup = self.lookup
        firsts: list[str] = []  # tokens that may start a multi-word cue
        # (the few cue words among the tokens are found by one set operation in C)
        for t in self.words.intersection(toks):
            value = lookup[t]
            if value >> 1 < best:
                best = value >> 1
            if value & 1:
                firsts.append(t)
        # the earliest multi-word cue before ``best`` whose first word is present and phrase occurs
        multi_by_first = self.multi_by_first
        for t in firsts:
            for first in (t, t.rstrip(".")) if t.endswith(".") else (t,):
                for pos, phrase in multi_by_first.get(first, []):
                    if pos >= best:
                        break
                    if text is None:
                        text = " ".join(toks)
                    if phrase in text:
                        best = pos
                        break
        return self.labels[best] if best < n_labels else None


_METHOD: Final = _Table(METHOD_CUES)
_PERPETRATOR: Final = _Table(PERPETRATOR_CUES)
# (whether a sentence has any cue word is a bit of its key-word mask, which the steps before
# mostly computed already: an ``isdisjoint`` method call per table and sentence cost more)
_METHOD_KEYS: Final = KeyWords(_METHOD.words)
_PERPETRATOR_KEYS: Final = KeyWords(_PERPETRATOR.words)


def sentence_method(s: Sentence) -> str | None:
    """The method a sentence's first cue names (:data:`extractors.lexicon.METHOD_CUES` order), or
    None without a cue: for steps before classification that compare two tellings."""
    return _METHOD.first(s.toks, " ".join(s.toks)) if _METHOD_KEYS.in_mask(key_mask(s)) else None


class _SentenceCues:
    """Per-sentence work shared by every incident of the sentence (computed once per article)."""

    __slots__ = ("found_dead", "has_method_cue", "has_perpetrator_cue", "method", "told")

    def __init__(self, s: Sentence) -> None:
        words = token_set(s)
        self.found_dead = "found" in words and "dead" in words  # (both halves of "found dead")
        keys = key_mask(s)  # (= _METHOD.any_in(token_set(s)), and the same for _PERPETRATOR)
        self.has_method_cue = _METHOD_KEYS.in_mask(keys)
        # (the tokens joined only when a multi-word cue may need them: most sentences have none)
        self.method = _METHOD.first(s.toks) if self.has_method_cue else None
        self.has_perpetrator_cue = _PERPETRATOR_KEYS.in_mask(keys)
        # the sentence's tokens with its attribution phrases blanked ("..., police said"): a
        # source is not the perpetrator (same length, so victim spans keep their indexes)
        spans = speech_spans(s.toks) if (self.has_perpetrator_cue or self.has_method_cue) and may_attribute(
            s) and on(R_SPEAKER) else []
        if spans:
            fired(R_SPEAKER)
        self.told = s.toks if not spans else _blank(s.toks, spans)


def _blank(toks: list[str], spans: list[tuple[int, int]]) -> list[str]:
    out = list(toks)
    for start, end in spans:
        # (a group merged from another sentence may reach past this one's tokens)
        for i in range(start, min(end, len(out))):
            out[i] = ""
    return out


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
    if sc.has_method_cue or sc.found_dead:
        seg = _outside_victims(sc.told, d, d.tok_start, d.tok_end)
        seg_text = " ".join(seg)
        if "found dead" in seg_text:
            return "bodies_found"
        if sc.has_method_cue:  # the clause's own words first
            label = _METHOD.first(seg, seg_text)
    if label is None:
        label = sc.method
    if label is None and s.index > 0:
        prev = doc.sentences[s.index - 1]
        # only a scene-setting sentence without its own incident ("A suicide bomber approached ...")
        if prev.paragraph == s.paragraph and prev.index not in told and on(R_SCENE):
            label = _cues(cache, prev).method
            if label == "bodies_found":
                label = None
            if label is not None:
                fired(R_SCENE)
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


def perpetrator_of(d: Draft, cache: dict[int, _SentenceCues] | None = None,
                   victims: list[Draft] | None = None) -> str:
    """Perpetrator label (records.Perpetrator) of a draft incident, ignoring the victims' words
    (of every incident of the sentence, ``victims``: "six soldiers were wounded in A and three in
    B" does not make the soldiers the attackers of B) and the sources' ("..., police said")."""
    s = d.sentence
    sc = _cues({} if cache is None else cache, s)
    if not sc.has_perpetrator_cue:
        return "unknown"  # no cue anywhere in the sentence
    toks = sc.told
    others = [o for o in victims or () if o is not d and o.sentence is s]
    if others:
        toks = _blank(toks, [(g.start, g.end) for o in others for g in (*o.killed, *o.wounded)])
    return _PERPETRATOR.first(_outside_victims(toks, d, 0, len(s.toks))) or "unknown"


@step("classify")
def classify_step(doc: Doc) -> None:
    """Label method and perpetrator of every draft."""
    told = frozenset(d.sentence.index for d in doc.drafts)
    cache: dict[int, _SentenceCues] = {}
    for d in doc.drafts:
        d.method = method_of(doc, d, told, cache)
        d.perpetrator = perpetrator_of(d, cache, doc.drafts)
