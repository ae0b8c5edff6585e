"""HTML to plain text (stdlib :mod:`html.parser`): feed entries' summaries, and article bodies
sent as HTML in a JSON message or a file (:func:`looks_like_html`)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

# Elements that end a line of text when they open or close.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
    "td", "th", "tr", "ul",
})
_SKIPPED_TAGS = frozenset({"script", "style", "template"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment: tags dropped, entities decoded, paragraphs kept apart by a blank line.

    >>> html_to_text("<p>Two <b>killed</b> in Mosul.</p><p>Police&nbsp;said so.</p>")
    'Two killed in Mosul.\\n\\nPolice said so.'
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# Tags a page's markup is made of: two of them (or one closing tag of a block) make a body HTML.
_TAG: Final = re.compile(
    r"</?(?:p|br|div|span|a|b|i|em|strong|u|ul|ol|li|h[1-6]|table|tr|td|th|blockquote|figure|figcaption|section|"
    r"article|header|footer|nav|img|script|style)\b[^<>]{0,400}>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether a body is HTML markup rather than text: two tags of a page's markup at least
    ("<p>", "<br/>", "</div>"). A lone "<" or an angle-bracketed word in prose is not."""
    if "<" not in text:  # (most bodies: one test in C)
        return False
    found = _TAG.search(text)
    return found is not None and _TAG.search(text, found.end()) is not None
