"""What ``casualty feed`` and ``casualty extract`` read, and how an item becomes an Article: one module,
so both commands take the same inputs and report the same problems in the same words.

Targets: files (``.json`` one article or an array, ``.jsonl`` one per line, ``.txt`` the body of one
article whose id is the file stem), folders (recursively, in name order), RSS/Atom feeds (``.xml``,
``.rss``, ``.atom`` files and ``file://``/``http(s)://`` URLs) and ``-`` for stdin. ``--format``
forces how files and stdin are read; on stdin, ``auto`` reads JSON lines when the first non-blank
line starts with ``{`` and the whole input as the body of one article otherwise.

Every item is validated with :mod:`schemas.validation` (the worker's own rules, so the error
texts are the dead-letter reasons); corpus-format objects (``text`` instead of ``body``) are
converted as the corpus README says. ``--source`` and ``--published`` fill in articles that lack them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import orjson

from schemas.records import Article
from schemas.validation import DEFAULT_MAX_BYTES, ArticleError, parse_article, parse_article_obj
from streams.feed.files import ARTICLE_SUFFIXES, folder_files, read_file, read_lines
from streams.feed.items import Item
from streams.feed.rss import FEED_SUFFIXES, is_feed_url, read_feed
from streams.feed.state import SentEntries

SourceKind = Literal["file", "stdin", "feed", "missing"]
Format = Literal["auto", "json", "jsonl", "txt"]
FORMATS: tuple[str, ...] = ("auto", "json", "jsonl", "txt")
STDIN = "<stdin>"


@dataclass(frozen=True, slots=True)
class Source:
    """One input named on the command line (a folder expands to one Source per file)."""

    kind: SourceKind
    target: str


@dataclass(frozen=True, slots=True)
class Defaults:
    """Values for articles that do not carry their own (``--source``, ``--published``)."""

    source: str | None = None
    published: str | None = None


NO_DEFAULTS = Defaults()
"""Nothing to fill in."""


def plan_sources(targets: Iterable[str]) -> list[Source]:
    """Classify targets: ``-`` is stdin, URLs and ``.xml/.rss/.atom`` files are feeds, folders expand
    (recursively, to their article and feed files in name order). No target at all means stdin.
    """
    targets = list(targets)
    if not targets:
        return [Source("stdin", STDIN)]
    sources: list[Source] = []
    for target in targets:
        if target == "-":
            sources.append(Source("stdin", STDIN))
        elif is_feed_url(target):
            sources.append(Source("feed", target))
        else:
            path = Path(target)
            if path.is_dir():
                sources.extend(
                    Source("feed" if p.suffix.lower() in FEED_SUFFIXES else "file", str(p))
                    for p in folder_files(path, ARTICLE_SUFFIXES + FEED_SUFFIXES)
                )
            elif not path.exists():
                sources.append(Source("missing", target))
            elif path.suffix.lower() in FEED_SUFFIXES:
                sources.append(Source("feed", target))
            else:
                sources.append(Source("file", target))
    return sources


def read_stdin(stream: BinaryIO, fmt: str = "auto", name: str = STDIN) -> Iterator[Item]:
    """Items from stdin: JSON lines (read as they arrive), one JSON document, or one text body."""
    if fmt == "jsonl":
        yield from read_lines(iter(stream.readline, b""), name)
        return
    if fmt in ("json", "txt"):
        yield from _read_whole(stream.read(), fmt, name)
        return
    # auto: look at the first non-blank line without reading further (a pipe may be a live wire)
    head: list[bytes] = []
    for line in iter(stream.readline, b""):
        head.append(line)
        if line.strip():
            break
    first = b"".join(head).lstrip(b"\xef\xbb\xbf").lstrip()
    if first.startswith(b"{"):
        yield from read_lines(_chain(head, iter(stream.readline, b"")), name)
    elif first:
        yield from _read_whole(b"".join(head) + stream.read(), "txt", name)


def _chain(first: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from first
    yield from rest


def _read_whole(data: bytes, fmt: str, name: str) -> Iterator[Item]:
    suffix = {"json": ".json", "txt": ".txt", "jsonl": ".jsonl"}[fmt]
    yield from read_file(Path(name + suffix), label=name, data=data, text_id=None)


def source_items(source: Source, *, fmt: str = "auto", raw: bool = False, topic: str = "",
                 sent: SentEntries | None = None, stdin: BinaryIO | None = None) -> Iterator[Item]:
    """The items of one source (feed entries already sent to ``topic`` come as ``already_sent`` items)."""
    if source.kind == "stdin":
        yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, "jsonl" if raw else fmt)
    elif source.kind == "feed":
        yield from read_feed(source.target, topic, sent if sent is not None else SentEntries(None))
    elif source.kind == "missing":
        yield Item.bad(source.target, "no such file or directory")
    elif raw and Path(source.target).suffix.lower() == ".txt":
        yield Item.bad(source.target, "--raw sends JSON lines or JSON files as they are, not .txt")
    else:
        yield from read_file(Path(source.target), forced=None if fmt == "auto" else fmt)


def _corpus_record(obj: Any) -> bool:
    return isinstance(obj, dict) and "body" not in obj and isinstance(obj.get("text"), str)


def _from_corpus(obj: dict[str, Any], stem: str) -> dict[str, Any]:
    """A corpus-format object (shared/corpus README) as an article object."""
    from extractors.corpus import article_from_record

    article = article_from_record(obj, str(obj.get("id") or stem))
    return {"id": article.id, "source": article.source, "url": article.url, "title": article.title,
            "published": article.published, "body": article.body}


def to_article(item: Item, defaults: Defaults = NO_DEFAULTS, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Validate an item into an Article (schemas.validation's rules); raises ArticleError."""
    obj: Any = item.obj
    if obj is None:
        payload = item.payload or b""
        if defaults == NO_DEFAULTS and not payload.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return parse_article(payload, max_bytes=max_bytes)  # the size check comes before decoding
        try:
            obj = orjson.loads(payload.removeprefix(b"\xef\xbb\xbf"))
        except orjson.JSONDecodeError:
            return parse_article(payload, max_bytes=max_bytes)  # reports the JSON error precisely
        if not _corpus_record(obj) and defaults == NO_DEFAULTS:
            return parse_article(payload, max_bytes=max_bytes)
    if _corpus_record(obj):
        obj = _from_corpus(obj, Path(item.origin.split(":")[0].split("[")[0]).stem)
    if isinstance(obj, dict):
        obj = {**obj}
        for field, value in (("source", defaults.source), ("published", defaults.published)):
            if value is not None and obj.get(field) in (None, ""):
                obj[field] = value
    return parse_article_obj(obj, max_bytes=max_bytes)


def describe(error: ArticleError) -> str:
    """The one-line reason both commands print for an item they skip."""
    return f"{error.reason} [{error.code}]"


__all__ = ["FORMATS", "NO_DEFAULTS", "Defaults", "Source", "describe", "plan_sources", "read_stdin", "source_items",
           "to_article"]
