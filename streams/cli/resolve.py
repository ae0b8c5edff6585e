"""``casualty resolve [PATH ...]``: articles in, resolved events out (extraction + resolution, offline).

Inputs are those of ``casualty extract`` (``.json`` one article, ``.jsonl`` one per line,
``.txt`` the body alone, corpus-format files, stdin with no path), plus folders, whose
``.json``/``.jsonl``/``.ndjson``/``.txt`` files are read in name order. Articles are resolved in
the order given. The output is the final version of every event, one
:class:`schemas.records.Event` JSON object per line, in the order the events were created;
``--changes`` writes every change instead (the event version, the delta of its figures).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import click
import orjson

from extractors import extract as run_extract
from schemas.codec import dumps
from schemas.records import Article, Event
from streams.cli.extract import BadItem, _format_of, iter_items
from streams.events.resolver import EventChange, Resolver

_SUFFIXES = (".json", ".jsonl", ".ndjson", ".txt")


def expand(paths: tuple[Path, ...]) -> list[Path]:
    """Paths as given, each folder replaced by its article files in name order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _SUFFIXES))
        else:
            out.append(path)
    return out


def read_articles(paths: tuple[Path, ...], fmt: str) -> Iterator[Article | str]:
    """Every article of the inputs in order, or, for an unreadable item, a ``FILE[:LINE]: reason``."""
    sources = [(str(p), _format_of(p, fmt)) for p in expand(paths)] or [("-", "txt" if fmt == "auto" else fmt)]
    for name, kind in sources:
        try:
            stream: BinaryIO = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115
        except OSError as exc:
            yield f"{name}: cannot open: {exc.strerror or exc}"
            continue
        try:
            for lineno, item in iter_items(name, stream, kind):
                yield f"{name}:{lineno}: {item}" if isinstance(item, BadItem) else item
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()


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
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["auto", "json", "jsonl", "txt"]), default="auto", show_default=True,
    help="Input format; auto = by file extension (stdin: txt).",
)
@click.option("--changes", is_flag=True, help="Write every change (event version and figure delta) as it happens.")
def resolve(paths: tuple[Path, ...], fmt: str, changes: bool) -> None:
    """Extract incidents from articles and resolve them into events (one JSON object per event)."""
    out = sys.stdout.buffer
    failed = 0
    resolver = Resolver()
    final: dict[str, Event] = {}
    for article in read_articles(paths, fmt):
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
