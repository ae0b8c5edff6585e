"""Articles from RSS and Atom feeds, parsed with feedparser.

A feed is a local file, a ``file://`` URL (both work offline) or an ``http(s)://`` URL fetched
with a timeout. Each entry becomes one article:

* ``id``: the entry's guid (RSS) or id (Atom), else its link; entries with neither are skipped;
* ``title``: the entry title, HTML stripped; ``body``: its content (else summary), HTML stripped,
  else the title;
* ``published``: the entry's published (else updated) time, as ISO-8601 UTC;
* ``source``: the feed's title; ``url``: the entry link; ``language``: the feed's language.

Entries whose id was already sent to the topic (see :mod:`streams.feed.state`) are yielded as
``already_sent`` items, which the feeder counts and does not send again.
"""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from streams.feed.items import Item
from streams.feed.state import SentEntries
from streams.feed.text import html_to_text

FEED_SUFFIXES = (".xml", ".rss", ".atom")
FETCH_TIMEOUT_S = 30.0
USER_AGENT = "casualty-stream-feed/1.0"


def is_feed_url(target: str) -> bool:
    """True for ``http://``, ``https://`` and ``file://`` URLs."""
    scheme = urllib.parse.urlsplit(target).scheme.lower()
    return scheme in ("http", "https", "file")


def fetch(target: str, timeout: float = FETCH_TIMEOUT_S) -> bytes:
    """The bytes of a feed given as a path, a ``file://`` URL or an ``http(s)://`` URL."""
    parts = urllib.parse.urlsplit(target)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return Path(urllib.request.url2pathname(parts.path)).read_bytes()
    if scheme in ("http", "https"):
        request = urllib.request.Request(target, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read()
            return data
    return Path(target).read_bytes()


def read_feed(target: str, topic: str, sent: SentEntries) -> Iterator[Item]:
    """The not-yet-sent entries of one feed, oldest first; problems become error items."""
    try:
        data = fetch(target)
    except (OSError, ValueError) as exc:
        yield Item.bad(target, f"cannot fetch feed: {getattr(exc, 'reason', None) or exc}")
        return
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        yield Item.bad(target, f"not an RSS or Atom feed: {parsed.get('bozo_exception')}")
        return
    if not parsed.get("version"):
        # e.g. an HTML page saved as .xml: feedparser reads it without complaint and finds nothing
        yield Item.bad(target, "not an RSS or Atom feed: no <rss>, <feed> or <rdf:RDF> element (an HTML page?)")
        return
    feed_info = parsed.get("feed", {})
    source = _clean(feed_info.get("title")) or None
    language = _clean(feed_info.get("language")) or None
    pending: set[str] = set()
    entries = list(enumerate(parsed.entries, start=1))
    # Feeds list the newest first; send the oldest first so the stream reads in order.
    entries.sort(key=lambda pair: _entry_time(pair[1]) or (), reverse=False)
    for number, entry in entries:
        origin = f"{target} entry {number}"
        entry_id = _clean(entry.get("id")) or _clean(entry.get("link"))
        if not entry_id:
            yield Item.bad(origin, "entry has neither a guid/id nor a link, so it cannot be de-duplicated")
            continue
        if entry_id in pending:
            continue
        if (topic, entry_id) in sent:
            yield Item.known(origin, entry_id)
            continue
        pending.add(entry_id)
        article = entry_article(entry, entry_id, source=source, language=language)
        if article is None:
            yield Item.bad(origin, f"entry {entry_id!r} has no title, summary or content")
            continue
        yield Item(origin=origin, obj=article, entry_key=entry_id)


def entry_article(
    entry: Any, entry_id: str, *, source: str | None = None, language: str | None = None
) -> dict[str, Any] | None:
    """The article dict of one feedparser entry, or None when the entry has no text."""
    title = html_to_text(entry.get("title") or "") or None
    contents = [c.get("value", "") for c in entry.get("content") or [] if c.get("value")]
    text = html_to_text("\n".join(contents)) if contents else ""
    if not text:
        text = html_to_text(entry.get("summary") or "")
    body = text or title
    if not body:
        return None
    article: dict[str, Any] = {"id": entry_id, "title": title, "body": body, "url": entry.get("link") or None}
    if source:
        article["source"] = source
    if language:
        article["language"] = language
    moment = _entry_time(entry)
    if moment is not None:
        article["published"] = datetime(*moment[:6], tzinfo=UTC).isoformat().replace("+00:00", "Z")
    return article


def _entry_time(entry: Any) -> time.struct_time | None:
    value: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    return value


def _clean(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
