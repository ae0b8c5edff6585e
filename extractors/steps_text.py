"""Steps ``segment``, ``clauses`` and ``context``: sentences, casualty hits, and what does not count."""

from __future__ import annotations

from extractors.clauses import find_hits
from extractors.context import excluded_reason, is_overall, toll_window
from extractors.pipeline import Doc, SentHits, step
from extractors.segment import MAX_SENTENCE_CHARS, Sentence, safe_lower, segment, tokenize

# Cheap pre-filter: only sentences containing a trigger stem are tokenised and parsed.
# (plain substring tests on the lower-cased body: much faster than one case-insensitive regex)
_STEMS = ("kill", "dead", "died", "slain", "slay", "slew", "execut", "behead", "massacr", "assassinat", "wound",
          "injur", "hurt", "bod", "corpse", "perish", "murder", "death", "gunned", "maimed", "grave")


_OVERALL_KEYS = frozenset(("overall", "altogether", "total", "all", "combined", "tally"))
_TOLL_KEYS = frozenset(("toll", "figure", "figures", "number"))
_TERMINAL = frozenset('.!?:;")\u201d\u2019')


def _headline_like(sent: Sentence, alone: bool) -> bool:
    """A short one-line paragraph without closing punctuation: a headline, link or caption."""
    text = sent.text.rstrip()
    return alone and bool(text) and text[-1] not in _TERMINAL and text.count(" ") < 14


@step("segment")
def segment_step(doc: Doc) -> None:
    """Split the body into paragraphs and sentences with offsets."""
    doc.sentences = segment(doc.body)


@step("clauses")
def clauses_step(doc: Doc) -> None:
    """Tokenise trigger-bearing sentences and parse their casualty clauses."""
    out: list[SentHits] = []
    title = (getattr(doc.article, "title", None) or "").strip()
    title = title if len(title) >= 20 else ""
    last = len(doc.sentences) - 1
    low_body = safe_lower(doc.body)
    for i, sent in enumerate(doc.sentences):
        if len(sent.text) > MAX_SENTENCE_CHARS:
            continue
        low = low_body[sent.start : sent.end]
        if not any(stem in low for stem in _STEMS):
            continue
        if title and title in sent.text:
            continue  # the headline repeated in the body ("Source: <title> | Outlet")
        alone = (i == last or doc.sentences[i + 1].paragraph != sent.paragraph) and (
            i == 0 or doc.sentences[i - 1].paragraph != sent.paragraph
        )
        if _headline_like(sent, alone):
            continue
        tokenize(sent)
        hits = find_hits(sent.toks)
        if hits:
            out.append(SentHits(sent, hits, lower=low))
    doc.sent_hits = out


@step("context")
def context_step(doc: Doc) -> None:
    """Mark sentences whose figures are out of scope; keep only the increase of toll updates."""
    for sh in doc.sent_hits:
        reason = excluded_reason(sh.lower, sh.sentence.text, doc.published, sh.sentence.toks)
        if reason is None and not _OVERALL_KEYS.isdisjoint(sh.sentence.toks) and is_overall(sh.lower):
            reason = "overall"
        if reason is not None:
            sh.excluded = reason
            continue
        window = None if _TOLL_KEYS.isdisjoint(sh.sentence.toks) else toll_window(sh.sentence.toks, sh.lower)
        if window is not None:
            lo, hi = window
            sh.hits = [h for h in sh.hits if h.groups and lo <= h.groups[0].start < hi]
            if not sh.hits:
                sh.excluded = "toll"
