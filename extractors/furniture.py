"""A stored page's furniture that is not the story: blocks of links to other stories.

A page saved with its story often keeps the lists a site prints around it: a "Related coverage"
or "You may also like" header followed by other stories' headlines, or a single "Read more: ..."
line. Their headlines are not read as incidents (a line without closing punctuation is a caption
already), but the places they name would still vote for the story's place: a story about a bomb
"in northwestern Pakistan" would be placed in Quetta because a related headline names it.

:func:`link_block_spans` finds such blocks among the body's segmented sentences (one paragraph
per line), so that a body without them costs a length test per sentence, and
:func:`blank_spans` overwrites them with spaces (the body's length and every offset are kept, as
:func:`extractors.segment.unwrap` keeps them).
"""

from __future__ import annotations

import re
from typing import Final

from extractors.segment import Sentence

_HEADERS: Final = frozenset((
    "related", "related coverage", "related content", "related stories", "related articles", "related news",
    "related posts", "related links", "read more", "read also", "also read", "see also", "you may also like",
    "you might also like", "recommended", "recommended stories", "more stories", "more news", "most read",
    "most popular", "trending", "trending now", "latest news", "latest headlines", "top stories",
    "more on this story", "other stories", "further reading",
))
"""Lines (lower case, without a closing colon) that open a block of links to other stories."""
_HEADER_CHARS: Final = 24
"""The longest header: a longer line is no header (most lines are answered by their length)."""

_INLINE: Final = ("READ MORE:", "Read more:", "Read More:", "READ ALSO:", "Read also:", "ALSO READ:", "Also read:",
                  "RELATED:", "Related:", "SEE ALSO:", "See also:")
"""Openings of a single line that links to another story ("READ MORE: Blast kills five in ...")."""
_INLINE_COLON: Final = 12
"""Every opening of :data:`_INLINE` has its colon before this index (a sentence without one there
is answered by one bounded search)."""

_SENTENCE_ENDS: Final = (".", "!", "?", '"', "\u201d", "'", "\u2019", ")")
_BULLETS: Final = "*\u2022-\u2013\u2014>\u25aa\u25cf"
_BULLET_WORDS_MAX: Final = 25
_HEADLINE_WORDS_MAX: Final = 14
"""A headline is short: a longer line without its period is prose that lost it."""


_HEADER_OPENINGS: Final = ("more from ", "more in ", "latest from ", "latest in ", "more stories from ")
"""Openings of a header naming a section or a place ("More from Africa", "Latest in Nigeria")."""


_COPYRIGHT: Final = ("Copyright", "COPYRIGHT", "\u00a9")
_COPYRIGHT_NOTICE: Final = re.compile(r"\b(?:19|20)\d\d\b|[Rr]ights [Rr]eserved")
"""A notice, with its year or its reserved rights; not a photograph's credit ("Copyright AFP")."""
_PROSE_WORDS: Final = 11
"""Spaces in a sentence of the story's prose (twelve words or more): a copyright line after one ends it."""


_AGENCY_DATELINE: Final = re.compile(
    r"[A-Z][A-Z .'-]{2,40}(?:, [A-Z][\w .]{2,30})? \((?:AP|Reuters|AFP|Xinhua|dpa|DPA|Anadolu|AA|UPI|IANS|PTI|APP|"
    r"Bernama|Kyodo|Yonhap|ANI)\)")
"""An agency's dateline opening a story ("KYIV, Ukraine (AP) -")."""


def _is_header(text: str) -> bool:
    low = text.lower().rstrip(":").strip()
    if low in _HEADERS:
        return True
    for opening in _HEADER_OPENINGS:
        if low.startswith(opening):
            return " " not in low[len(opening):]  # (one word after it: a section or a country)
    return False


_HEADLINE_VERBS: Final = frozenset(("kills", "kill", "wounds", "injures", "hurts", "claims"))
"""Present-tense casualty verbs: a headline's tense ("Suicide bomber kills 5 in mosque."), where
a story's own sentences tell the past."""


def _is_link_line(text: str) -> bool:
    """A line of a link block: a bullet, or a short headline without a sentence's closing mark,
    or with one when it tells its casualties in a headline's present tense."""
    words = text.count(" ") + 1
    if text[0] in _BULLETS:
        return words <= _BULLET_WORDS_MAX
    if words > _HEADLINE_WORDS_MAX:
        return False
    return not text.endswith(_SENTENCE_ENDS) or not _HEADLINE_VERBS.isdisjoint(text.lower().split())


def _is_rule_line(text: str) -> bool:
    """A separator ("__________", "* * *"): it closes a block, the story goes on after it."""
    return len(text) >= 3 and not any(c.isalnum() for c in text)


def link_block_spans(sentences: list[Sentence]) -> list[tuple[int, int]]:
    """Body spans ``(start, end)`` of the blocks of links to other stories: a header line and the
    link lines right after it, and single "READ MORE: ..." lines (the sentences of a segmented
    body, one paragraph per line)."""
    spans: list[tuple[int, int]] = []
    block = -1  # the paragraph a link line must have to go on with the block
    n = len(sentences)
    prose = False  # (a sentence of the story read already: a copyright line after it ends the story)
    for i in range(n):
        sent = sentences[i]
        text = sent.text
        if prose and text and (text[0] == "C" or text[0] == "\u00a9") and text.startswith(_COPYRIGHT) and (
                _COPYRIGHT_NOTICE.search(text)):
            # "Copyright 2022 The Associated Press. All rights reserved.": the story has ended;
            # what a stored page shows after it (the next story, a digest) is not this story
            spans.append((sent.start, sentences[-1].end))
            break
        prose = prose or text.count(" ") >= _PROSE_WORDS
        # (the cheap tests first: most sentences are long, in no block, and open on no link word)
        header = len(text) <= _HEADER_CHARS and _is_header(text)
        if block == sent.paragraph and text[:1].isupper() and _AGENCY_DATELINE.match(text) is not None:
            # under a header of other stories, another story's dateline ("KYIV, Ukraine (AP) -"):
            # the page shows that story whole, to its end
            spans.append((sent.start, sentences[-1].end))
            break
        if (header or block == sent.paragraph) and _alone(sentences, i):
            if header:
                spans.append((sent.start, sent.end))
                block = sent.paragraph + 1
                continue
            if not _is_rule_line(text) and _is_link_line(text):
                # (paragraphs are the non-empty lines: blank lines between two links do not count)
                spans.append((sent.start, sent.end))
                block = sent.paragraph + 1
                continue
        block = -1
        if text.find(":", 0, _INLINE_COLON) > 0 and text.startswith(_INLINE):
            spans.append((sent.start, sent.end))
    return spans


def _alone(sentences: list[Sentence], i: int) -> bool:
    """Whether sentence ``i`` is a paragraph (a line) by itself."""
    p = sentences[i].paragraph
    return (i + 1 == len(sentences) or sentences[i + 1].paragraph != p) and (i == 0 or sentences[i - 1].paragraph != p)


def blank_spans(body: str, spans: list[tuple[int, int]]) -> str:
    """``body`` with each span overwritten by spaces (same length, offsets kept)."""
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts.append(body[last:start])
        parts.append(" " * (end - start))
        last = end
    parts.append(body[last:])
    return "".join(parts)
