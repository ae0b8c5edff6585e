"""Step ``classify``: method and perpetrator of each incident from documented cue lists.

Cues are looked up in the incident's own clause first, then its whole sentence, then the sentence
before it in the same paragraph ("A suicide bomber walked into a crowd. Twelve were killed.").
"""

from __future__ import annotations

from extractors.lexicon import METHOD_CUES, PERPETRATOR_CUES
from extractors.pipeline import Doc, Draft, step


def _first_cue(text: str, cues: list[tuple[str, tuple[str, ...]]]) -> str | None:
    for label, words in cues:
        for w in words:
            i = text.find(w)
            while i != -1:
                before = text[i - 1] if i else " "
                after = text[i + len(w)] if i + len(w) < len(text) else " "
                if not before.isalnum() and not after.isalpha():
                    return label
                i = text.find(w, i + 1)
    return None


def _texts(doc: Doc, d: Draft) -> list[str]:
    seg = doc.body[d.ev_start : d.ev_end].lower()
    out = [seg, d.sentence.text.lower()]
    i = d.sentence.index
    if i > 0 and doc.sentences[i - 1].paragraph == d.sentence.paragraph:
        out.append(doc.sentences[i - 1].text.lower())
    return out


def method_of(doc: Doc, d: Draft) -> str:
    """Method label (records.Method) of a draft incident."""
    texts = _texts(doc, d)
    if any(g.category for g in d.killed) and "found dead" in texts[0]:
        return "bodies_found"
    for n, t in enumerate(texts):
        label = _first_cue(t, METHOD_CUES)
        if label is not None and not (n == 2 and label == "bodies_found"):
            return label
    return "unknown"


def perpetrator_of(doc: Doc, d: Draft) -> str:
    """Perpetrator label (records.Perpetrator) of a draft incident."""
    for t in _texts(doc, d)[:2]:
        label = _first_cue(t, PERPETRATOR_CUES)
        if label is not None:
            return label
    return "unknown"


@step("classify")
def classify_step(doc: Doc) -> None:
    """Label method and perpetrator of every draft."""
    for d in doc.drafts:
        d.method = method_of(doc, d)
        d.perpetrator = perpetrator_of(doc, d)
