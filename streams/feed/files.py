"""Articles from files, folders and stdin.

=========  ==============================================================================
``.json``  one article object, or a JSON array of article objects
``.jsonl`` one article object per line (blank lines are ignored)
``.txt``   the whole file is the body of one article; its id is the file stem
stdin      see :func:`streams.feed.sources.read_stdin` (JSON lines, or one text body)
=========  ==============================================================================

Folders are read recursively, files in name order, taking only these three suffixes (and feeds,
see :mod:`streams.feed.rss`). Decoding
problems become :class:`~streams.feed.items.Item` errors that name the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson

from streams.feed.items import Item

ARTICLE_SUFFIXES = (".json", ".jsonl", ".txt")
_BOM = b"\xef\xbb\xbf"


def folder_files(folder: Path, suffixes: tuple[str, ...] = ARTICLE_SUFFIXES) -> list[Path]:
    """The files under ``folder`` (recursively) with one of ``suffixes``, sorted by path."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def read_file(path: Path, label: str | None = None, *, data: bytes | None = None, forced: str | None = None,
              text_id: str | None = "") -> Iterator[Item]:
    """The items of one ``.json``, ``.jsonl`` or ``.txt`` file; ``label`` names it in reports.

    ``data``: the content when it is already read (stdin); ``forced``: read as ``json``, ``jsonl``
    or ``txt`` whatever the suffix; ``text_id``: the id of a text article ("" = the file stem,
    None = derived from the content).
    """
    name = label or str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Item.bad(name, f"cannot read: {exc.strerror or exc}")
            return
    kind = forced or {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".txt": "txt"}.get(path.suffix.lower())
    if kind == "jsonl":
        yield from read_lines(data.splitlines(), name)
    elif kind == "json":
        yield from _read_json_document(data, name)
    elif kind == "txt":
        yield _read_text(data, name, path.stem if text_id == "" else text_id)
    else:
        yield Item.bad(name, f"unsupported file type {path.suffix or '(none)'}: expected .json, .jsonl or .txt")


def read_lines(lines: Iterable[bytes], name: str) -> Iterator[Item]:
    """One item per non-blank line (JSON lines); origins are ``name:line``."""
    for number, line in enumerate(lines, start=1):
        line = line.rstrip(b"\r\n")
        if number == 1 and line.startswith(_BOM):
            line = line[len(_BOM):]
        if line.strip():
            yield Item(origin=f"{name}:{number}", payload=line)


def read_stream(stream: BinaryIO, name: str = "<stdin>") -> Iterator[Item]:
    """JSON lines from a binary stream, read as they arrive (a pipe can feed a live wire)."""
    yield from read_lines(iter(stream.readline, b""), name)


def _read_json_document(data: bytes, name: str) -> Iterator[Item]:
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        yield Item.bad(f"{name}:{exc.lineno}", f"invalid JSON: {exc.msg} (column {exc.colno})")
        return
    if isinstance(value, list):
        for index, element in enumerate(value):
            if isinstance(element, dict):
                yield Item(origin=f"{name}[{index}]", obj=element)
            else:
                yield Item.bad(f"{name}[{index}]", f"expected an article object, got {type(element).__name__}")
    else:
        # One object (or a wrong value, which validation reports precisely).
        yield Item(origin=name, payload=data)


def _read_text(data: bytes, name: str, article_id: str | None) -> Item:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Item.bad(name, f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}")
    return Item(origin=name, obj={"body": text} if article_id is None else {"id": article_id, "body": text})
