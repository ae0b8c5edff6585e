"""Steps ``segment``, ``clauses`` and ``context``: sentences, casualty hits, and what does not count."""

from __future__ import annotations

import re

from extractors.clauses import find_hits
from extractors.context import excluded_reason, is_overall, toll_window
from extractors.pipeline import Doc, SentHits, step
from extractors.segment import MAX_SENTENCE_CHARS, segment, tokenize

# Cheap pre-filter: only sentences containing a trigger stem are tokenised and parsed.
_TRIGGER = re.compile(
    r"kill|dead|died|slain|slay|slew|execut|behead|massacr|assassinat|wound|injur|hurt|bod(?:y|ies)|"
    r"corpse|perish|murder|death|gunned|maimed",
    re.IGNORECASE,
)


@step("segment")
def segment_step(doc: Doc) -> None:
    """Split the body into paragraphs and sentences with offsets."""
    doc.sentences = segment(doc.body)


@step("clauses")
def clauses_step(doc: Doc) -> None:
    """Tokenise trigger-bearing sentences and parse their casualty clauses."""
    out: list[SentHits] = []
    for sent in doc.sentences:
        if len(sent.text) > MAX_SENTENCE_CHARS or not _TRIGGER.search(sent.text):
            continue
        tokenize(sent)
        hits = find_hits(sent.toks)
        if hits:
            out.append(SentHits(sent, hits, lower=sent.text.lower()))
    doc.sent_hits = out


@step("context")
def context_step(doc: Doc) -> None:
    """Mark sentences whose figures are out of scope; keep only the increase of toll updates."""
    for sh in doc.sent_hits:
        reason = excluded_reason(sh.lower, sh.sentence.text, doc.published)
        if reason is None and is_overall(sh.lower):
            reason = "overall"
        if reason is not None:
            sh.excluded = reason
            continue
        window = toll_window(sh.sentence.toks, sh.lower)
        if window is not None:
            lo, hi = window
            sh.hits = [h for h in sh.hits if h.groups and lo <= h.groups[0].start < hi]
            if not sh.hits:
                sh.excluded = "toll"
