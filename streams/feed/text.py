"""HTML to plain text for feed entries: the converter lives with the extractor, which also reads
article bodies sent as HTML (:mod:`extractors.markup`)."""

from extractors.markup import html_to_text, looks_like_html

__all__ = ["html_to_text", "looks_like_html"]
