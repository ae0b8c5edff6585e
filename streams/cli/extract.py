"""``casualty extract [--summary] [PATH ...]``: articles in, incident JSON lines out.

Inputs: ``.json`` (one article object), ``.jsonl`` (one per line), ``.txt`` (the body alone; the
file stem is the id). With no path the body is read from stdin. An article object needs ``body``
(or a corpus-format ``text``); ``id`` is derived from the url or the body when absent.
Unreadable items are reported on stderr as ``FILE:LINE: reason``, skipped, and make the command
exit with status 1 after every good item has been written.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import click
import orjson
from pydantic import ValidationError

from extractors import extract as run_extract
from extractors.corpus import article_from_record
from schemas.records import Article


class BadItem(Exception):
    """An input item that cannot become an Article; the message says why."""


def derive_id(obj: dict[str, Any]) -> str:
    """A stable id for an article without one: sha256 of its url, else of its body."""
    basis = obj.get("url") or obj.get("body") or obj.get("text") or ""
    return hashlib.sha256(str(basis).encode()).hexdigest()[:16]


def article_from_obj(obj: Any, default_id: str | None = None) -> Article:
    """Validate one decoded JSON value as an Article (corpus-format objects are converted)."""
    if not isinstance(obj, dict):
        raise BadItem(f"expected a JSON object, got {type(obj).__name__}")
    if "body" not in obj and isinstance(obj.get("text"), str):
        stem = str(obj.get("id") or default_id or derive_id(obj))
        return article_from_record(obj, stem)
    data = dict(obj)
    if not data.get("id"):
        data["id"] = derive_id(data)
    try:
        return Article.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "article"
        raise BadItem(f"{where}: {first.get('msg', 'invalid')}") from None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadItem(f"not UTF-8 (byte {exc.start})") from None


def _loads(raw: bytes) -> Any:
    _decode(raw)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadItem(f"invalid JSON: {exc}") from None


def iter_items(name: str, stream: BinaryIO, fmt: str) -> Iterator[tuple[int, Article | BadItem]]:
    """(line number, Article or the error) for every item of one input."""
    if fmt == "jsonl":
        for lineno, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            try:
                yield lineno, article_from_obj(_loads(raw))
            except BadItem as exc:
                yield lineno, exc
        return
    data = stream.read()
    if fmt == "json":
        try:
            yield 1, article_from_obj(_loads(data), default_id=Path(name).stem)
        except BadItem as exc:
            yield 1, exc
        return
    try:
        body = _decode(data)
        if not body.strip():
            raise BadItem("empty body")
        art_id = Path(name).stem if name != "-" else hashlib.sha256(data).hexdigest()[:16]
        yield 1, Article.model_construct(id=art_id, body=body, language="en", source=None, url=None,
                                         title=None, published=None, received_at=None)
    except BadItem as exc:
        yield 1, exc


def _format_of(path: Path, forced: str) -> str:
    if forced != "auto":
        return forced
    suffix = path.suffix.lower()
    return {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix, "txt")


def _line(record: Any, kind: str) -> bytes:
    payload = {"record": kind, **record.model_dump(mode="json")}
    return orjson.dumps(payload) + b"\n"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--summary", is_flag=True, help="Also write one ArticleSummary line per article.")
@click.option(
    "--format", "fmt", type=click.Choice(["auto", "json", "jsonl", "txt"]), default="auto", show_default=True,
    help="Input format; auto = by file extension (stdin: txt).",
)
def extract_cmd(paths: tuple[Path, ...], summary: bool, fmt: str) -> None:
    """Extract incidents from articles and write them as JSON lines to stdout."""
    out = sys.stdout.buffer
    failed = 0
    sources: list[tuple[str, str]] = [(str(p), _format_of(p, fmt)) for p in paths] or [
        ("-", "txt" if fmt == "auto" else fmt)
    ]
    for name, kind in sources:
        try:
            stream: BinaryIO = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115
        except OSError as exc:
            click.echo(f"{name}: cannot open: {exc.strerror or exc}", err=True)
            failed += 1
            continue
        try:
            for lineno, item in iter_items(name, stream, kind):
                if isinstance(item, BadItem):
                    click.echo(f"{name}:{lineno}: {item}", err=True)
                    failed += 1
                    continue
                result = run_extract(item)
                for inc in result.incidents:
                    out.write(_line(inc, "incident"))
                if summary:
                    out.write(_line(result.summary, "summary"))
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
    out.flush()
    if failed:
        click.echo(f"{failed} item(s) skipped", err=True)
        sys.exit(1)


extract = extract_cmd  # the name main.py's lazy registry looks up
extract.name = "extract"
