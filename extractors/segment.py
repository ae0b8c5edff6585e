"""Segmentation: paragraphs, sentences and word tokens, all with character offsets into the body.

Regex-based on purpose: news-wire text is well punctuated, and a statistical sentencizer would
cost two orders of magnitude more time per article. Every pattern here is linear (no nested
quantifiers), so a 1 MiB body is segmented in milliseconds.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import Any, Final

from extractors.record import COMPILED, Record

MAX_SENTENCE_CHARS: Final = 2000
"""Longer "sentences" (tables, run-on scraped text) are kept for context but not parsed."""

# A sentence ends at . ! ? (optionally followed by a closing quote/bracket) plus whitespace
# (compiled, :func:`_end_spans` finds the same spans without the regex).
_SENT_END: Final = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_TERMINATORS: Final = ".!?"
_CLOSERS: Final = "\"'\u201d\u2019)]"
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
# ("u.s.-backed" is one word: a hyphen inside a word is no dash, and the dash stops a phrase)
_TOKEN: Final = re.compile(r"[a-z]\.(?:[a-z]\.)+(?:-\w+)*|\d{1,3}(?:,\d{3})+(?!\d)|\w+(?:[-'\u2019]\w+)*|[^\w\s]")
_TRAILING_PUNCT: Final = ".,;:!?\"')]}\u201d"
"""Punctuation that may close a word ("said.", "people,"): never part of a token, always a token
of its own (see :func:`_find_tokens`)."""


_NO_TOKENS: Final[list[str]] = []
_NO_OFFSETS: Final[list[int]] = []


class Sentence(Record):
    """A sentence: its text, offsets into the body, paragraph index and (lazily) its tokens."""

    __slots__ = ("end", "ends", "index", "keys", "paragraph", "start", "starts", "text", "times", "toks", "tokset")
    FIELDS = ("text", "start", "end", "paragraph", "index", "toks", "starts", "ends", "tokset", "keys")

    def __init__(self, text: str, start: int, end: int, paragraph: int, index: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.paragraph = paragraph
        self.index = index
        # (shared empty lists until the sentence is tokenised or its offsets are read: most
        # sentences never are, and three new lists per sentence cost more than the sentence; the
        # functions that fill them assign new lists and never append to these)
        self.toks: list[str] = _NO_TOKENS
        self.starts: list[int] = _NO_OFFSETS
        self.ends: list[int] = _NO_OFFSETS
        self.tokset: frozenset[str] | None = None
        self.keys = -1  # key-word mask (see KeyWords), -1 until computed
        self.times: list[Any] | None = None  # time expressions (extractors.timex.sentence_times), once read


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


def _end_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``_SENT_END.finditer(text)``: :func:`_found_end_spans` when compiled, where
    it is faster; interpreted, its loop costs more than the regex scan."""
    if COMPILED:
        return _found_end_spans(text)
    return [m.span() for m in _SENT_END.finditer(text)]


def _found_end_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``_SENT_END.finditer(text)``, found without the regex scan.

    CPython's regex engine tests every character of the text against the leading class; here
    ``str.find`` (a C memchr scan) finds the few terminators and only those are looked at.
    Same spans: a match is a terminator, the closing marks after it and all the whitespace after
    those (neither contains a terminator, so matches never overlap or hide one another), and a
    terminator not followed by that shape starts no match.
    """
    cands: list[int] = []
    for ch in _TERMINATORS:
        i = text.find(ch)
        while i >= 0:
            cands.append(i)
            i = text.find(ch, i + 1)
    cands.sort()
    n = len(text)
    out: list[tuple[int, int]] = []
    for c in cands:
        j = c + 1
        while j < n and text[j] in _CLOSERS:
            j += 1
        if j < n and text[j].isspace():  # (str.isspace is exactly the regex's \s)
            k = j + 1
            while k < n and text[k].isspace():
                k += 1
            out.append((c, k))
    return out


def split_sentences(text: str, base: int, paragraph: int, first_index: int) -> list[Sentence]:
    """Split one paragraph into sentences; offsets are absolute (``base`` = paragraph start)."""
    out: list[Sentence] = []
    start = 0
    n = len(text)
    for dot, end in _end_spans(text):
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


_LINE_ENDS: Final = frozenset('.!?:;"\u201d\u2019)]')
_WRAP_SLACK: Final = 25
"""A wrapped line is at most this many characters shorter than the text's widest line."""
_WRAP_MIN: Final = 35
_WRAP_WIDTH_MAX: Final = 100
"""A text with lines wider than this has one line per paragraph: it is not wrapped."""


def unwrap(body: str) -> str:
    """A hard-wrapped body (a plain-text wire or mailing list, lines of ~60-80 characters that
    cut sentences) with the newline after each wrapped line made a space, so that a paragraph is
    one line again; any other body is returned as it is. The length is kept, so offsets into
    the result are offsets into the body as received.

    A line is wrapped when it is close to the text's width, does not end a sentence and is
    followed by text; a text is wrapped when it has two such lines or more and no line wider
    than ``_WRAP_WIDTH_MAX`` (a text with a paragraph per line has much longer lines)."""
    if "\n" not in body:
        return body
    # (a wrapped text wraps every line: one wide line among the first eight settles most bodies
    # without splitting them)
    start = 0
    for _ in range(8):
        nl = body.find("\n", start)
        end = len(body) if nl < 0 else nl
        if end - start > _WRAP_WIDTH_MAX + 20:
            return body
        if nl < 0:
            break
        start = nl + 1
    lines = body.split("\n")
    # (most bodies have a paragraph per line, far wider than any wrap: one C-level pass settles them)
    if max(map(len, lines)) > _WRAP_WIDTH_MAX + 20:
        return body
    width = max(len(ln.rstrip()) for ln in lines)
    if width > _WRAP_WIDTH_MAX:
        return body
    floor = max(_WRAP_MIN, width - _WRAP_SLACK)
    wrapped: list[int] = []
    pos = 0
    for i, ln in enumerate(lines[:-1]):
        end = pos + len(ln)
        text = ln.rstrip()
        if len(text) >= floor and text[-1] not in _LINE_ENDS and lines[i + 1].strip():
            wrapped.append(end)  # (the offset of the newline after this line)
        pos = end + 1
    if len(wrapped) < 2:
        return body
    chars = list(body)
    for k in wrapped:
        chars[k] = " "
    return "".join(chars)


def segment(body: str) -> list[Sentence]:
    """Paragraphs (one per non-empty line) split into sentences, with absolute offsets."""
    sentences: list[Sentence] = []
    para = 0
    pos = 0  # offset of the current line
    bulleted = not body.isascii() and any(b in body for b in _BULLETS)
    for raw in body.split("\n"):
        line_start = pos
        pos += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            continue
        if bulleted and any(b in raw for b in _BULLETS):
            # "... in Dora. \u2022 Mosul: gunmen killed ...": items bulleted inside one line are
            # paragraphs of their own, as they would be one per line
            for start, item in _bullet_items(raw):
                item_stripped = item.strip()
                if item_stripped:
                    lead = len(item) - len(item.lstrip())
                    sentences.extend(split_sentences(item_stripped, line_start + start + lead, para,
                                                     len(sentences)))
                    para += 1
            continue
        lead = len(raw) - len(raw.lstrip())
        sentences.extend(split_sentences(stripped, line_start + lead, para, len(sentences)))
        para += 1
    return sentences


_BULLETS: Final = ("\u2022", "\u25aa", "\u25cf")
"""Bullet characters that may separate items inside one line of a stored page."""


def _bullet_items(line: str) -> list[tuple[int, str]]:
    """``(offset, text)`` of the items a line's bullets separate (the bullets themselves left out)."""
    out: list[tuple[int, str]] = []
    start = 0
    for i, c in enumerate(line):
        if c in _BULLETS:
            out.append((start, line[start:i]))
            start = i + 1
    out.append((start, line[start:]))
    return out


def normalise(tok: str) -> str:
    """Lower-case, straight apostrophes, possessive ``'s`` dropped ("man's" -> "man")."""
    t = tok.lower().replace(_RSQUO, "'")
    if t.endswith("'s"):
        t = t[:-2]
    return t


_RSQUO: Final = "\u2019"


def safe_lower(text: str) -> str:
    """Lower-case with straight apostrophes, guaranteed to keep the length (offsets stay valid)."""
    if not text.isascii():
        # Half the reports are ASCII but for their curly apostrophes: straightened first, the
        # text takes CPython's ASCII lower-casing, many times faster than the general one (and
        # the result is the same: the apostrophe has no case)
        plain = text.replace(_RSQUO, "'")
        if plain.isascii():
            return plain.lower()
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
    if "(" in low or _scare_quoted(low):
        _tokenize_slow(sent, low)
        return
    toks = _find_tokens(low)
    if "'s" in low:  # rare: strip possessives only when the text has one
        toks = [t[:-2] if t.endswith("'s") else t for t in toks]
    sent.toks = toks


_IS_WORD: Final = re.compile(r"\bis\b")


def islamic_state(sent: Sentence, low: str) -> None:
    """"10 IS militants were killed", "IS claimed the attack": the group's initials, written in
    capitals, are the token "isis", not the verb (lower-cased they are the same word). Tokens and
    words are matched in order; when they do not pair up one to one nothing changes. (Called by
    the clauses step on a tokenised sentence, when the body holds "IS" at all.)"""
    text = sent.text
    toks = sent.toks
    if "is" not in toks or "IS" not in text or text.isupper():
        return  # (a headline in capitals: "IS" is the verb as often as the group)
    caps = [text[m.start() : m.end()] == "IS" for m in _IS_WORD.finditer(low)]
    at = [i for i, t in enumerate(toks) if t == "is"]
    if len(caps) != len(at) or True not in caps:
        return
    for i, cap in zip(at, caps, strict=True):
        if cap:
            toks[i] = "isis"


def _find_tokens(low: str) -> list[str]:
    r"""``_TOKEN.findall(low)``, faster: no token contains or needs whitespace, so the text is
    cut at whitespace first, and the regex reads only the chunks it could cut differently.

    * a chunk of letters and digits (most words, plain numbers) is one token as it stands: the
      initialism and thousands branches need a dot or a comma, so ``\w+`` takes it whole
      (``str.isalnum`` is exactly the regex's ``\w`` without ``_``);
    * the same followed by closing punctuation ("said.", "people,", 'killed."') is that word
      and then one token per punctuation character, each of them ``[^\w\s]``;
    * everything else ("u.s.", "1,200", "60-year-old", "shi'ite,") goes through the regex.
    """
    toks: list[str] = []
    # (toks.append, not a local alias: compiled, the alias is a generic call, the method a C call)
    for chunk in low.split():
        if chunk.isalnum():
            toks.append(chunk)
            continue
        core = chunk.rstrip(_TRAILING_PUNCT)
        if core and len(core) < len(chunk) and core.isalnum():
            toks.append(core)
            for c in chunk[len(core) :]:
                toks.append(c)
        else:
            toks += _TOKEN.findall(chunk)
    return toks


def search_after(pattern: re.Pattern[str], text: str, starts: tuple[str, ...]) -> re.Match[str] | None:
    """``pattern.search(text)`` for a pattern whose every match begins with one of ``starts``
    (literal prefixes of its alternatives): the pattern is tried only where one of them occurs.

    A pattern that opens with ``\\b`` and an alternation of words gives CPython's engine no
    literal to skip ahead to, so it tries the pattern at every character (some 100 instructions
    each); ``str.find`` reaches the few places a match can begin in C, and ``match`` tries it
    there, leftmost first. ``match(text, pos)`` reads ``\\b`` and lookbehinds against the
    characters before ``pos`` as ``search`` does, so the first success is ``search``'s match.
    """
    at: list[int] = []
    for s in starts:
        i = text.find(s)
        while i >= 0:
            at.append(i)
            i = text.find(s, i + 1)
    if len(at) > 1:
        at.sort()
    last = -1
    for pos in at:
        if pos != last:
            m = pattern.match(text, pos)
            if m is not None:
                return m
            last = pos
    return None


def token_set(sent: Sentence) -> frozenset[str]:
    """The distinct tokens of a tokenised sentence, built once and shared by the steps that test
    key words before running a regex (context, assemble, classify)."""
    ts = sent.tokset
    if ts is None:
        ts = sent.tokset = frozenset(sent.toks)
    return ts


_KEY_BITS: Final[dict[str, int]] = {}
"""Every registered key word -> the OR of the bits of the :class:`KeyWords` sets holding it."""
_KEY_SETS: Final[list[frozenset[str]]] = []
_KEY_WORDS: Final[set[str]] = set()
"""Every registered key word (the keys of :data:`_KEY_BITS`, as a set)."""


class KeyWords:
    """A set of key words whose presence in a sentence gates a rule (mostly a regex scan).

    The steps ask "does this sentence contain any of these words?" a dozen times per sentence
    (historical, hypothetical, attribution, toll ... gates). As set intersections each question
    costs a method call and a probe per word; here every set gets one bit, a sentence's tokens
    are looked up once (:func:`key_mask`, cached on the sentence) and each question is an AND.
    Create instances as module constants (at import, before any sentence is read): a sentence's
    mask holds the sets registered when it was computed.
    """

    __slots__ = ("bit", "words")

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self.bit = 1 << len(_KEY_SETS)
        _KEY_SETS.append(self.words)
        for w in self.words:
            _KEY_BITS[w] = _KEY_BITS.get(w, 0) | self.bit
        _KEY_WORDS.update(self.words)

    def in_sentence(self, sent: Sentence) -> bool:
        """Whether a tokenised sentence has one of the words."""
        return key_mask(sent) & self.bit != 0

    def in_mask(self, mask: int) -> bool:
        """Whether a mask from :func:`key_mask` or :func:`mask_of` has one of the words."""
        return mask & self.bit != 0


def key_mask(sent: Sentence) -> int:
    """The OR of the :class:`KeyWords` bits of a tokenised sentence's tokens (computed once)."""
    mask = sent.keys
    if mask < 0:
        mask = mask_of(token_set(sent))
        sent.keys = mask
    return mask


def mask_of(tokens: Iterable[str]) -> int:
    """The OR of the :class:`KeyWords` bits of ``tokens``."""
    mask = 0
    # (the few key words among the tokens are found by one set operation in C, then looked up)
    for word in _KEY_WORDS.intersection(tokens):
        mask |= _KEY_BITS[word]
    return mask


def token_offsets(sent: Sentence, low: str | None = None) -> list[int]:
    """Absolute start offset of every token of ``sent`` (computed once, then cached).

    ``low`` is ``safe_lower(sent.text)`` when the caller already has it.
    """
    if not sent.starts:
        if low is None:
            low = safe_lower(sent.text)
        if "(" in low:  # asides may be dropped: the full tokeniser decides which tokens remain
            _tokenize_slow(sent, low, keep_tokens=False)
        else:  # every token is a regex match: its span is all we need
            starts: list[int] = []
            ends: list[int] = []
            _spans(low, sent.start, starts, ends)
            if not sent.toks:
                tokenize(sent, low)
            if len(starts) != len(sent.toks):
                # (the tokens dropped a quoted word's marks: the full tokeniser's spans match them)
                _tokenize_slow(sent, low, keep_tokens=False)
            else:
                sent.starts, sent.ends = starts, ends
    return sent.starts


def _spans(low: str, base: int, starts: list[int], ends: list[int]) -> None:
    """Append the absolute spans of ``_TOKEN.finditer(low)``, chunk by chunk as
    :func:`_find_tokens` reads them (the regex only for the chunks it reads with the regex)."""
    pos = 0
    for chunk in low.split():
        # (the chunk's first occurrence from ``pos`` is the chunk itself: only whitespace lies
        # between, and a chunk starts with a non-space character)
        at = low.find(chunk, pos)
        pos = at + len(chunk)
        if chunk.isalnum():
            starts.append(base + at)
            ends.append(base + pos)
            continue
        core = chunk.rstrip(_TRAILING_PUNCT)
        if core and len(core) < len(chunk) and core.isalnum():
            starts.append(base + at)
            ends.append(base + at + len(core))
            for j in range(base + at + len(core), base + pos):
                starts.append(j)
                ends.append(j + 1)
        else:
            for m in _TOKEN.finditer(chunk):
                starts.append(base + at + m.start())
                ends.append(base + at + m.end())


_QUOTE_MARKS: Final = frozenset(("\"", "'", "\u201c", "\u201d", "\u2018"))
_SCARE_QUOTE: Final = re.compile("[\"'\u201c\u2018\u201d][a-z]+[\"'\u201d]")
"""(a closing curly mark opens a word too: some pages write both marks the same way)"""


def _scare_quoted(low: str) -> bool:
    """Whether a single word stands in quotation marks ('were "neutralised"'): an official's word
    quoted, not speech, so the marks are dropped and the clause reads through them. (Substring
    tests first, in C, and the curly marks only in a text that is not ASCII, a flag CPython keeps:
    most sentences have no mark, and the regex would be tried at every character.)"""
    if low.isascii():
        if '"' not in low and " '" not in low:
            return False
    elif '"' not in low and "\u201c" not in low and "\u2018" not in low and " '" not in low and "\u201d" not in low:
        return False
    return _SCARE_QUOTE.search(low) is not None


def _tokenize_slow(sent: Sentence, low: str, keep_tokens: bool = True) -> None:
    """Tokenise with offsets, dropping short asides "(PKK)" and the quotation marks around a
    single word so noun phrases and clauses read through them (``keep_tokens=False``: only the
    offsets are wanted)."""
    toks: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    base = sent.start
    paren = -1  # index in toks of an open "(" whose group may be dropped
    # the spans of _TOKEN.finditer(low), read chunk by chunk (_spans: the regex only for the
    # chunks it would cut differently; a regex match per token cost some 2,800 instructions)
    found_starts: list[int] = []
    found_ends: list[int] = []
    _spans(low, 0, found_starts, found_ends)
    n = len(found_starts)
    skip = -1  # the closing mark of a quoted single word
    for k in range(n):
        s, e = found_starts[k], found_ends[k]
        tok = low[s:e]
        if k == skip:
            continue
        if tok in _QUOTE_MARKS and k + 2 < n and low[found_starts[k + 2]:found_ends[k + 2]] in _QUOTE_MARKS and (
                low[found_starts[k + 1]:found_ends[k + 1]].isalpha()) and found_ends[k] == found_starts[k + 1] and (
                found_ends[k + 1] == found_starts[k + 2]):
            skip = k + 2
            continue
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
        toks.append(tok)
        starts.append(base + s)
        ends.append(base + e)
    sent.starts, sent.ends = starts, ends
    if keep_tokens:
        sent.toks = toks


_PROSE_ENDS: Final = (".", "!", "?", '"', "\u201d", "\u2019", ")", ".'")


def prose_start(sentences: list[Sentence]) -> int:
    """The paragraph of the body's first sentence of prose (one that ends as sentences do and has
    the words of one): the lines before it are a page's furniture (menus, related headlines,
    bylines, a date and time "(UTC+3)")."""
    for i in range(min(12, len(sentences))):  # (no slice: most reports return at the first)
        text = sentences[i].text
        if text.endswith(_PROSE_ENDS) and text.count(" ") >= _PROSE_WORDS - 1:  # (sentences are stripped)
            return sentences[i].paragraph
    return 0


def prose_paragraphs(sentences: list[Sentence], start: int, end: int) -> int:
    """How many paragraphs from ``start`` up to (not including) ``end`` hold a sentence of prose:
    the lines of a page's furniture between them (photo credits, "Read more" links, "Advertisement")
    are not counted."""
    seen = -1
    n = 0
    for sent in sentences:
        p = sent.paragraph
        if p >= end:
            break
        if p < start or p == seen:
            continue
        text = sent.text
        if text.endswith(_PROSE_ENDS) and text.count(" ") >= _PROSE_WORDS - 1:
            seen = p
            n += 1
    return n


_PROSE_WORDS: Final = 8
