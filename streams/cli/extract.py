"""``casualty extract [--summary] [PATH ...]``: articles in, incident JSON lines out, no Kafka needed.

Reads exactly what ``casualty feed`` reads (:mod:`streams.feed.sources`: files, folders, RSS/Atom
feeds, stdin) and validates it with the worker's rules, so a file that extracts here feeds there,
and a bad item is reported in the same words (``FILE:LINE: reason [code]``). Bad items are skipped
and make the command exit with status 1 after every good item has been written.
"""

from __future__ import annotations

import sys
from typing import Any

import click
import orjson

from extractors import extract as run_extract
from schemas.validation import ArticleError
from streams.cli.input_options import defaults_from, input_options
from streams.feed.sources import describe, plan_sources, source_items, to_article


def _line(record: Any, kind: str) -> bytes:
    payload = {"record": kind, **record.model_dump(mode="json")}
    return orjson.dumps(payload) + b"\n"


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH|URL|-]...")
@click.option("--summary", is_flag=True, help="Also write one ArticleSummary line per article.")
@input_options
def extract_cmd(paths: tuple[str, ...], summary: bool, fmt: str, default_source: str | None,
                default_published: str | None) -> None:
    """Extract incidents from articles and write them as JSON lines to stdout.

    PATHS are what `casualty feed` takes: .json, .jsonl and .txt files (a .txt file's id is its
    stem), folders, RSS/Atom feeds, or - for stdin (the default): JSON lines, or plain text as the
    body of one article. Corpus-format files (`text` instead of `body`) are read too.

    \b
    Examples:
      casualty extract report.txt --published 2026-03-02
      echo "Gunmen killed two policemen in Kirkuk." | casualty extract --summary
      casualty extract streams/demo/articles/ | jq -c '[.location.region_code, .killed]'
    """
    out = sys.stdout.buffer
    failed = 0
    defaults = defaults_from(default_source, default_published)
    for source in plan_sources(paths):
        for item in source_items(source, fmt=fmt):
            if item.error is not None:
                click.echo(f"{item.origin}: {item.error}", err=True)
                failed += 1
                continue
            try:
                article = to_article(item, defaults)
            except ArticleError as exc:
                click.echo(f"{item.origin}: {describe(exc)}", err=True)
                failed += 1
                continue
            result = run_extract(article)
            for inc in result.incidents:
                out.write(_line(inc, "incident"))
            if summary:
                out.write(_line(result.summary, "summary"))
            out.flush()
    if failed:
        click.echo(f"{failed} item(s) skipped", err=True)
        sys.exit(1)


extract = extract_cmd  # the name main.py's lazy registry looks up
extract.name = "extract"
