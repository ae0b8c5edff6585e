"""The files ``casualty eval`` scores: corpus-format reports (docs/corpus-format.md), one per ``.json``
file or one per line of a ``.jsonl`` file, named directly or found in folders.

A unit (a file) is named before it is opened, so a fold that must stay unread is skipped without
reading it (:func:`units` yields names and loaders). A file that is not in the corpus format, such
as an article (``body`` instead of ``text``), is refused with a reason instead of scoring "0/0".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from extractors.corpus import LabelledArticle, article_from_record, load_file, report_kind

SUFFIXES = (".json", ".jsonl")
FORMAT_DOC = "docs/corpus-format.md"


class NotLabelled(ValueError):
    """A file that cannot be scored; ``str(exc)`` says why, for a person."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One file to score: its name (the fold key) and how to read its reports."""

    path: Path
    load: Callable[[], list[LabelledArticle]]

    @property
    def name(self) -> str:
        return self.path.stem


def _check(record: Any, where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise NotLabelled(f"{where}: expected a JSON object, got {type(record).__name__}")
    if "text" not in record:
        if "body" in record:
            raise NotLabelled(f"{where}: an article (it has 'body'), not a labelled report: casualty eval scores "
                              f"the corpus format ('text', stated totals, 'gold'; see {FORMAT_DOC}); "
                              "use casualty extract for articles")
        raise NotLabelled(f"{where}: not a labelled report: it has no 'text' field (see {FORMAT_DOC})")
    return record


def _from_record(record: dict[str, Any], path: Path, stem: str) -> LabelledArticle:
    """The same reading as :func:`extractors.corpus.load_file`, for one decoded record."""
    gold = record.get("gold")
    return LabelledArticle(
        article=article_from_record(record, stem), path=str(path), stated_killed=record.get("headline_killed"),
        stated_wounded=record.get("headline_wounded"), complete=bool(record.get("complete")),
        gold=gold if isinstance(gold, list) else None, gold_killed=record.get("gold_killed"),
        gold_wounded=record.get("gold_wounded"),
        extra={k: record[k] for k in ("event_cluster", "event_date") if k in record}, kind=report_kind(record),
    )


def _load_json(path: Path) -> list[LabelledArticle]:
    _check(orjson.loads(path.read_bytes()), str(path))
    return [load_file(path)]


def _load_jsonl(path: Path) -> list[LabelledArticle]:
    out = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = _check(orjson.loads(line), f"{path}:{number}")
        except orjson.JSONDecodeError as exc:
            raise NotLabelled(f"{path}:{number}: invalid JSON: {exc}") from None
        out.append(_from_record(record, path, str(record.get("id") or f"{path.stem}-{number}")))
    return out


def units(paths: Iterable[Path]) -> Iterator[Unit]:
    """The files named or found (sorted, not recursively) in folders, each with its loader."""
    for given in paths:
        found = sorted(p for p in given.iterdir() if p.suffix in SUFFIXES) if given.is_dir() else [given]
        for path in found:
            yield Unit(path, (lambda p=path: _load_jsonl(p)) if path.suffix == ".jsonl" else
                       (lambda p=path: _load_json(p)))


def labelled(paths: Iterable[Path], keep: Callable[[str], bool],
             problem: Callable[[str], None]) -> Iterator[LabelledArticle]:
    """Every report of the files whose name ``keep`` accepts (others are never opened); a file that
    cannot be read or is not labelled is passed to ``problem`` as one line and skipped."""
    for unit in units(paths):
        if not keep(unit.name):
            continue
        try:
            yield from unit.load()
        except NotLabelled as exc:
            problem(str(exc))
        except (OSError, ValueError) as exc:
            problem(f"{unit.path}: cannot read: {exc}")
