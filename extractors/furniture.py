"""A stored page's furniture that is not the story: blocks of links to other stories.

A page saved with its story often keeps the lists a site prints around it: a "Related coverage"
or "You may also like" header followed by other stories' headlines, or a single "Read more: ..."
line. Their headlines are not read as incidents (a line without closing punctuation is a caption
already), but the places they name would still vote for the story's place: a story about a bomb
"in northwestern Pakistan" would be placed in Quetta because a related headline names it.

:func:`blank_link_blocks` overwrites such blocks with spaces (the body's length and every offset
are kept, as :func:`extractors.segment.unwrap` keeps them).
"""

from __future__ import annotations

from typing import Final

_HEADERS: Final = frozenset((
    "related", "related coverage", "related content", "related stories", "related articles", "related news",
    "related posts", "related links", "read more", "read also", "also read", "see also", "you may also like",
    "you might also like", "recommended", "recommended stories", "more stories", "more news", "most read",
    "most popular", "trending", "trending now", "latest news", "top stories", "more on this story",
    "more from reuters", "other stories", "further reading",
))
"""Lines (lower case, without a closing colon) that open a block of links to other stories."""

_INLINE: Final = ("read more:", "read also:", "also read:", "related:", "see also:", "related coverage:")
"""Openings of a single line that links to another story ("READ MORE: Blast kills five in ...")."""

_CUES: Final = ("related", "read more", "read also", "also read", "see also", "also like", "recommended",
                "more stories", "more news", "most read", "most popular", "trending", "latest news", "top stories",
                "more on this", "more from", "other stories", "further reading")
"""Substrings one of which a body must hold for any block to be looked for (most hold none)."""

_SENTENCE_ENDS: Final = (".", "!", "?", '"', "\u201d", "'", "\u2019", ")")
_BULLETS: Final = "*\u2022-\u2013\u2014>\u25aa\u25cf"
_BULLET_WORDS_MAX: Final = 25
_HEADLINE_WORDS_MAX: Final = 14
"""A headline is short: a longer line without its period is prose that lost it."""


def _is_link_line(line: str) -> bool:
    """A line of a link block: a bullet, or a short headline without a sentence's closing mark."""
    text = line.strip()
    if not text:
        return True
    words = len(text.split())
    if text[0] in _BULLETS:
        return words <= _BULLET_WORDS_MAX
    return not text.endswith(_SENTENCE_ENDS) and words <= _HEADLINE_WORDS_MAX


def _is_rule_line(line: str) -> bool:
    """A separator ("__________", "* * *"): it closes a block, the story goes on after it."""
    text = line.strip()
    return len(text) >= 3 and not any(c.isalnum() for c in text)


def blank_link_blocks(body: str) -> str:
    """``body`` with its blocks of links to other stories overwritten by spaces (same length);
    ``body`` itself when it has none."""
    low = body.lower()
    if not any(cue in low for cue in _CUES):
        return body
    lines = body.split("\n")
    out: list[str] = []
    in_block = False
    changed = False
    for line in lines:
        key = line.strip().lower().rstrip(":").strip()
        if key in _HEADERS:
            in_block = True
            changed = True
            out.append(" " * len(line))
            continue
        if in_block and _is_rule_line(line):
            in_block = False
            out.append(line)
            continue
        if in_block and _is_link_line(line):
            out.append(" " * len(line))
            continue
        in_block = False
        if key.startswith(_INLINE):
            changed = True
            out.append(" " * len(line))
            continue
        out.append(line)
    return "\n".join(out) if changed else body
