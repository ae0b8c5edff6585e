"""Bundled demo data: hand-written sample articles, malformed messages and the expected table.

The sample articles are our own reports in the genre of the corpus (daily Iraq roundups, single-event
wire stories, two Syrian and one Afghan story, one report with only vague counts). The expected
table is what a careful reader counts in them following the corpus README convention; ``truth.json``
lists the incidents behind it, article by article. ``casualty demo`` feeds the articles and the
malformed messages, and its test checks that the live table equals :func:`expected_tables`.
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

__all__ = ["expected_incidents", "expected_tables", "malformed_messages", "sample_articles"]


def _root() -> Traversable:
    return files(__name__)


def sample_articles() -> list[dict[str, Any]]:
    """The sample articles (``id``, ``source``, ``url``, ``title``, ``published``, ``body``), sorted
    by publication date, then id, so feeding them in order reads like a week of news."""
    folder = _root() / "articles"
    articles = [
        json.loads(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    ]
    return sorted(articles, key=lambda a: (a["published"], a["id"]))


def malformed_messages() -> list[bytes]:
    """Malformed ``articles`` messages, one per line of ``malformed.jsonl`` (without the newline):
    invalid JSON, a JSON array, a missing body, a body that is a number, an empty body."""
    data = (_root() / "malformed.jsonl").read_bytes()
    return [line for line in data.split(b"\n") if line.strip()]


def expected_tables() -> dict[str, dict[str, int]]:
    """The exact per-region table for the sample articles: ``{region_code: {killed, wounded,
    incidents}}``; incidents with 0 killed and 0 wounded are not counted."""
    table: dict[str, dict[str, int]] = json.loads((_root() / "expected_tables.json").read_text("utf-8"))
    return table


def expected_incidents() -> dict[str, list[dict[str, Any]]]:
    """The incidents behind :func:`expected_tables`, per article id: ``place``, ``region_code``,
    ``killed``, ``wounded`` (articles with no countable incident map to an empty list)."""
    truth: dict[str, list[dict[str, Any]]] = json.loads((_root() / "truth.json").read_text("utf-8"))
    return truth
