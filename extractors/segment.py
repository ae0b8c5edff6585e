"""Segmentation: paragraphs, sentences and word tokens, all with character offsets into the body.

Regex-based on purpose: news-wire text is well punctuated, and a statistical sentencizer would
cost two orders of magnitude more time per article. Every pattern here is linear (no nested
quantifiers), so a 1 MiB body is segmented in milliseconds.
"""

from __future__ import annotations

import re
import string
from typing import Final

from extractors.record import Record

MAX_SENTENCE_CHARS: Final = 2000
"""Longer "sentences" (tables, run-on scraped text) are kept for context but not parsed."""

_PARA: Final = re.compile(r"[^\n]+")
# A sentence ends at . ! ? (optionally followed by a closing quote/bracket) plus whitespace.
_SENT_END: Final = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_OPENERS: Final = "\"\u201c\u2018'("
_ABBREV: Final = frozenset(
    (
        "mr", "mrs", "ms", "dr", "gen", "lt", "col", "capt", "maj", "sgt", "brig", "gov", "rep", "sen", "st",
        "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "adm", "cpl", "pvt", "maj.gen", "lt.gen", "rev", "prof", "sr", "jr", "mt", "ft"
    )
)
# Applied to lower-cased text only (safe_lower), so initialisms need only [a-z]: "u.s.", "i.e.d."
# (a lower-case class and no counted repeat make CPython's matcher about 1.6x faster here)
_TOKEN: Final = re.compile(r"[a-z]\.(?:[a-z]\.)+|\d{1,3}(?:,\d{3})+(?!\d)|\w+(?:[-'\u2019]\w+)*|[^\w\s]")


class Sentence(Record):
    """A sentence: its text, offsets into the body, paragraph index and (lazily) its tokens."""

    __slots__ = ("end", "ends", "index", "paragraph", "start", "starts", "text", "toks", "tokset")
    FIELDS = ("text", "start", "end", "paragraph", "index", "toks", "starts", "ends", "tokset")

    def __init__(self, text: str, start: int, end: int, paragraph: int, index: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.paragraph = paragraph
        self.index = index
        self.toks: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.tokset: frozenset[str] | None = None


_ASCII_WORD: Final = string.ascii_letters + "."
_LOOKBACK: Final = 48


def _word_start(text: str, dot: int) -> int:
    """Start of the run of letters and dots that ends at ``text[dot]``.

    ``rstrip`` over a short window finds an ASCII run in C; the character loop runs only when the
    run may go on (it fills the window, or a non-ASCII character before it may be a letter).
    """
    lo = max(0, dot - _LOOKBACK)
    j = lo + len(text[lo:dot].rstrip(_ASCII_WORD))
    if j > lo and text[j - 1].isascii():
        return j
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    return j


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``text[dot]`` ends an abbreviation rather than a sentence."""
    j = _word_start(text, dot)
    word = text[j:dot].lower()
    if not word:
        return False
    # Single letters and dotted initialisms ("U.S.", "I.E.D.") rarely end a sentence here.
    return word in _ABBREV or len(word) == 1 or "." in word


def _plain_word_before(text: str, dot: int) -> bool:
    j = dot
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    word = text[j:dot]
    return len(word) >= 3 and word.islower() and word not in _ABBREV and (j == 0 or text[j - 1] in " \t")


def split_sentences(text: str, base: int, paragraph: int, first_index: int) -> list[Sentence]:
    """Split one paragraph into sentences; offsets are absolute (``base`` = paragraph start)."""
    out: list[Sentence] = []
    start = 0
    n = len(text)
    for m in _SENT_END.finditer(text):
        dot, end = m.span()
        full_stop = text[dot] == "."
        nxt = text[end] if end < n else ""
        # a lower-case start after a full stop that ends a plain word is still a new sentence
        if nxt and not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS) and not (
            nxt.islower() and full_stop and _plain_word_before(text, dot)
        ):
            continue
        if full_stop and _is_abbreviation(text, dot):
            continue
        seg = text[start:end].rstrip()
        if seg:
            out.append(Sentence(seg, base + start, base + start + len(seg), paragraph, first_index + len(out)))
        start = end
    seg = text[start:].rstrip()
    if seg:
        out.append(Sentence(seg, base + start, base + start + len(seg), paragraph, first_index + len(out)))
    return out


def segment(body: str) -> list[Sentence]:
    """Paragraphs (one per non-empty line) split into sentences, with absolute offsets."""
    sentences: list[Sentence] = []
    para = 0
    for m in _PARA.finditer(body):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        sentences.extend(split_sentences(stripped, m.start() + lead, para, len(sentences)))
        para += 1
    return sentences


def normalise(tok: str) -> str:
    """Lower-case, straight apostrophes, possessive ``'s`` dropped ("man's" -> "man")."""
    t = tok.lower().replace(_RSQUO, "'")
    if t.endswith("'s"):
        t = t[:-2]
    return t


_RSQUO: Final = "\u2019"


def safe_lower(text: str) -> str:
    """Lower-case with straight apostrophes, guaranteed to keep the length (offsets stay valid)."""
    low = text.lower()
    if len(low) != len(text):  # e.g. "İ" lower-cases to two code points
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.replace(_RSQUO, "'")


def tokenize(sent: Sentence, low: str | None = None) -> None:
    """Fill ``sent.toks`` with normalised tokens (lower-case, straight apostrophes, no ``'s``).

    ``low`` is ``safe_lower(sent.text)`` when the caller already has it. Offsets are computed on
    demand by :func:`token_offsets` (only incident boundaries need them).
    """
    if sent.toks:
        return
    if low is None:
        low = safe_lower(sent.text)
    if "(" in low:
        _tokenize_slow(sent, low)
        return
    toks = _find_tokens(low)
    if "'s" in low:  # rare: strip possessives only when the text has one
        toks = [t[:-2] if t.endswith("'s") else t for t in toks]
    sent.toks = toks


def _find_tokens(low: str) -> list[str]:
    """``_TOKEN.findall(low)``, faster: no token contains or needs whitespace, so the text is
    cut at whitespace first and a purely alphabetic chunk (most words) is one token as it
    stands; only the other chunks ("said.", "60-year-old", "u.s.") go through the regex."""
    toks: list[str] = []
    append = toks.append
    for chunk in low.split():
        if chunk.isalpha():
            append(chunk)
        else:
            toks += _TOKEN.findall(chunk)
    return toks


def token_set(sent: Sentence) -> frozenset[str]:
    """The distinct tokens of a tokenised sentence, built once and shared by the steps that test
    key words before running a regex (context, assemble, classify)."""
    ts = sent.tokset
    if ts is None:
        ts = sent.tokset = frozenset(sent.toks)
    return ts


def token_offsets(sent: Sentence) -> list[int]:
    """Absolute start offset of every token of ``sent`` (computed once, then cached)."""
    if not sent.starts:
        low = safe_lower(sent.text)
        if "(" in low:  # asides may be dropped: the full tokeniser decides which tokens remain
            _tokenize_slow(sent, low, [])
        else:  # every regex match is a token: its span is all we need
            base = sent.start
            spans = [m.span() for m in _TOKEN.finditer(low)]
            sent.starts = [base + s for s, _ in spans]
            sent.ends = [base + e for _, e in spans]
    return sent.starts


def _tokenize_slow(sent: Sentence, low: str, into: list[str] | None = None) -> None:
    """Tokenise with offsets, dropping short asides "(PKK)" so noun phrases read through them."""
    toks = sent.toks if into is None else into
    starts, ends = sent.starts, sent.ends
    del toks[:], starts[:], ends[:]
    base = sent.start
    paren = -1  # index in toks of an open "(" whose group may be dropped
    for m in _TOKEN.finditer(low):
        tok = m.group()
        if tok == "(":
            paren = len(toks)
        elif tok == ")" and paren >= 0:
            if len(toks) - paren <= 5:
                del toks[paren:], starts[paren:], ends[paren:]
                paren = -1
                continue
            paren = -1
        if tok.endswith("'s"):
            tok = tok[:-2]
        s, e = m.span()
        toks.append(tok)
        starts.append(base + s)
        ends.append(base + e)
