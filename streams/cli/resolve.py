"""``casualty resolve [PATH ...]``: articles in, resolved events out (extraction + resolution, offline).

Reads exactly what ``casualty extract`` and ``casualty feed`` read (:mod:`streams.feed.sources`:
files, folders in name order, RSS/Atom feeds, stdin), validated with the worker's rules, and resolves
the articles in the order given. The output is the final version of every event, one
:class:`schemas.records.Event` JSON object per line, in the order the events were created;
``--changes`` writes every change instead (the event version, the delta of its figures).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click
import orjson

from extractors import extract as run_extract
from schemas.codec import dumps
from schemas.records import Article, Event
from schemas.validation import ArticleError
from streams.cli.input_options import defaults_from, input_options
from streams.events.resolver import EventChange, Resolver
from streams.feed.sources import Defaults, describe, plan_sources, source_items, to_article


def read_articles(paths: tuple[str, ...], fmt: str, defaults: Defaults | None = None) -> Iterator[Article | str]:
    """Every article of the inputs in order, or, for an unreadable item, a ``ORIGIN: reason``."""
    defaults = defaults or Defaults()
    for source in plan_sources(paths):
        for item in source_items(source, fmt=fmt):
            if item.error is not None:
                yield f"{item.origin}: {item.error}"
                continue
            try:
                yield to_article(item, defaults)
            except ArticleError as exc:
                yield f"{item.origin}: {describe(exc)}"


def _change_line(change: EventChange) -> bytes:
    delta = change.delta
    payload = {
        "record": "change",
        "event_id": change.event.event_id,
        "version": change.event.version,
        "new": change.is_new,
        "delta": {"killed": delta.killed, "wounded": delta.wounded, "killed_min": delta.killed_min,
                  "killed_max": delta.killed_max, "wounded_min": delta.wounded_min,
                  "wounded_max": delta.wounded_max},
        "event": orjson.loads(dumps(change.event)),
    }
    return orjson.dumps(payload) + b"\n"


@click.command(name="resolve")
@click.argument("paths", nargs=-1, metavar="[PATH|URL|-]...")
@click.option("--changes", is_flag=True, help="Write every change (event version and figure delta) as it happens.")
@input_options
def resolve(paths: tuple[str, ...], changes: bool, fmt: str, default_source: str | None,
            default_published: str | None) -> None:
    """Extract incidents from articles and resolve them into events (one JSON object per event).

    PATHS are what `casualty extract` takes; articles are resolved in the order given, so give
    earlier reports first.

    \b
    Examples:
      casualty resolve day1.json day2.json
      casualty resolve --changes reports/ | jq -c '[.event_id, .version, .delta.killed]'
    """
    out = sys.stdout.buffer
    failed = 0
    resolver = Resolver()
    final: dict[str, Event] = {}
    for article in read_articles(paths, fmt, defaults_from(default_source, default_published)):
        if isinstance(article, str):
            click.echo(article, err=True)
            failed += 1
            continue
        for change in resolver.resolve(run_extract(article).incidents).changes:
            final[change.event.event_id] = change.event
            if changes:
                out.write(_change_line(change))
    if not changes:
        for event in final.values():
            out.write(dumps(event) + b"\n")
    out.flush()
    if failed:
        click.echo(f"{failed} item(s) skipped", err=True)
        sys.exit(1)
