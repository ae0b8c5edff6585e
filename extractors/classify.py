"""Step ``classify``: method and perpetrator of each incident from documented cue lists.

Cues are looked up in the incident's own clause first, then its whole sentence, then (for the
method) the sentence before it in the same paragraph ("A suicide bomber walked into a crowd.
Twelve were killed."). Perpetrator cues ignore the victims' own words, so "a bomb killed two
policemen" is not blamed on the police. Matching is on token sets (one set test per label), with
multi-word cues confirmed by a substring test only when their first word is present.
"""

from __future__ import annotations

from extractors.lexicon import METHOD_CUES, PERPETRATOR_CUES
from extractors.pipeline import Doc, Draft, step
from extractors.segment import tokenize

_Table = list[tuple[str, frozenset[str], tuple[tuple[str, str], ...]]]


def _compile(cues: list[tuple[str, tuple[str, ...]]]) -> _Table:
    out: _Table = []
    for label, words in cues:
        single = frozenset(w for w in words if " " not in w)
        multi = tuple((w.split(" ", 1)[0], w) for w in words if " " in w)
        out.append((label, single, multi))
    return out


_METHOD = _compile(METHOD_CUES)
_PERPETRATOR = _compile(PERPETRATOR_CUES)


def _first(tokens: set[str], text: str, table: _Table) -> str | None:
    for label, single, multi in table:
        if not single.isdisjoint(tokens):
            return label
        for first, phrase in multi:
            if first in tokens and phrase in text:
                return label
    return None


def _token_set(toks: list[str]) -> set[str]:
    out = set(toks)
    out.update(t.rstrip(".") for t in toks if t.endswith("."))  # "i.e.d." -> "i.e.d"
    return out


def method_of(doc: Doc, d: Draft, told: frozenset[int] = frozenset()) -> str:
    """Method label (records.Method) of a draft incident (``told``: sentences with incidents)."""
    s = d.sentence
    victim = _victim_tokens(d)
    seg = [t for i, t in enumerate(s.toks[d.tok_start : d.tok_end], d.tok_start) if i not in victim]
    seg_text = " ".join(seg)
    n = len(s.toks)
    # (groups merged in from a following sentence index that sentence's tokens: bounds-checked)
    if "found dead" in seg_text or any(0 < g.end <= n and s.toks[g.end - 1] in _BODY for g in d.killed):
        return "bodies_found"
    label = _first(_token_set(seg), seg_text, _METHOD)
    if label is None:
        label = _first(_token_set(s.toks), " ".join(s.toks), _METHOD)
    if label is None and s.index > 0:
        prev = doc.sentences[s.index - 1]
        # only a scene-setting sentence without its own incident ("A suicide bomber walked in ...")
        if prev.paragraph == s.paragraph and prev.index not in told:
            tokenize(prev)
            label = _first(_token_set(prev.toks), " ".join(prev.toks), _METHOD)
            if label == "bodies_found":
                label = None
    return label or "unknown"


_BODY = frozenset(("body", "bodies", "corpse", "corpses"))


def _victim_tokens(d: Draft) -> set[int]:
    victim: set[int] = set()
    for g in (*d.killed, *d.wounded):
        victim.update(range(g.start, g.end))
    return victim


def perpetrator_of(d: Draft) -> str:
    """Perpetrator label (records.Perpetrator) of a draft incident, ignoring the victims' words."""
    s = d.sentence
    victim = _victim_tokens(d)
    toks = [t for i, t in enumerate(s.toks) if i not in victim]
    return _first(_token_set(toks), " ".join(toks), _PERPETRATOR) or "unknown"


@step("classify")
def classify_step(doc: Doc) -> None:
    """Label method and perpetrator of every draft."""
    told = frozenset(d.sentence.index for d in doc.drafts)
    for d in doc.drafts:
        d.method = method_of(doc, d, told)
        d.perpetrator = perpetrator_of(d)
