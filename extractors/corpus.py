"""Labelled corpus files (format of ``shared/corpus``) -> Articles plus their labels."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from schemas.records import Article


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    """An article with the report's stated totals and, when labelled, its gold incidents."""

    article: Article
    path: str
    stated_killed: int | None
    stated_wounded: int | None
    complete: bool
    gold: list[dict[str, Any]] | None = None
    gold_killed: int | None = None
    gold_wounded: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    kind: str = "daily"


def article_from_record(rec: dict[str, Any], stem: str) -> Article:
    """Body = text without its first line when that line equals the title; id = file stem."""
    text = str(rec.get("text") or "")
    title = rec.get("title")
    first, sep, rest = text.partition("\n")
    body = rest if sep and title is not None and first.strip() == str(title).strip() else text
    if not body.strip():
        body = text or " "
    return Article.model_construct(
        id=stem, source=rec.get("outlet"), url=rec.get("url"), title=title, published=rec.get("published"),
        body=body, language="en", received_at=None,
    )


ROUNDUP_OUTLETS: frozenset[str] = frozenset(("antiwar",))
"""Outlets whose reports are daily round-ups (a stated total, then one line per place)."""


def report_kind(rec: dict[str, Any]) -> str:
    """``"daily"`` (a round-up of many incidents) or ``"wire"`` (a story about one or a few events):
    the file's own ``kind`` when it has one, else by outlet."""
    kind = rec.get("kind")
    if kind in ("daily", "wire"):
        return str(kind)
    return "daily" if str(rec.get("outlet") or "").lower() in ROUNDUP_OUTLETS else "wire"


def load_file(path: Path) -> LabelledArticle:
    """Read one corpus JSON file (raises ValueError/OSError on unreadable input)."""
    rec = orjson.loads(path.read_bytes())
    if not isinstance(rec, dict):
        raise ValueError(f"{path}: not a JSON object")
    gold = rec.get("gold")
    return LabelledArticle(
        article=article_from_record(rec, path.stem),
        path=str(path),
        stated_killed=rec.get("headline_killed"),
        stated_wounded=rec.get("headline_wounded"),
        complete=bool(rec.get("complete")),
        gold=gold if isinstance(gold, list) else None,
        gold_killed=rec.get("gold_killed"),
        gold_wounded=rec.get("gold_wounded"),
        extra={k: rec[k] for k in ("event_cluster", "event_date") if k in rec},
        kind=report_kind(rec),
    )


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """JSON files named directly or found (sorted) inside the given folders."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from sorted(path.glob("*.json"))
        else:
            yield path
