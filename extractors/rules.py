"""The named rules of the extractor: a registry to count them and to switch them off.

Every decision a step takes on general evidence is a named rule (``scope.span``,
``story.fold``, ``stated.total.strong`` ...), registered once at import with a one-line
description. A step asks :func:`on` before it applies a rule and calls :func:`fired` when it
does. That gives two honest measurements (``casualty eval --rules``):

* **coverage**: how often each rule fires on a corpus (:func:`tracing`);
* **ablation**: what changes when one rule is off (:func:`disabled`): the reports whose output
  changes and the gold-matched incidents the rule was decisive for.

A rule that fires only in its own unit test, or changes a single report, is a pattern for one
sentence, not a mechanism: the README's rule table lists the figures so such rules stand out.
Switching rules off is for measurement only; the worker never does it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

RULES: Final[dict[str, str]] = {}
"""Rule name -> what it does (one line), in registration order."""

_OFF: Final[set[str]] = set()
_COUNTS: Final[list[Counter[str]]] = []


def rule(name: str, description: str) -> str:
    """Register a rule (at import time); returns its name, for the module's constant."""
    if name in RULES and RULES[name] != description:
        raise ValueError(f"rule {name!r} registered twice with different descriptions")
    RULES[name] = description
    return name


def on(name: str) -> bool:
    """Whether a rule applies (always, except while :func:`disabled` measures its effect)."""
    return name not in _OFF


def fired(name: str) -> None:
    """Record that a rule was applied (counted only while :func:`tracing`)."""
    if _COUNTS:
        _COUNTS[-1][name] += 1


@contextmanager
def disabled(*names: str) -> Iterator[None]:
    """Switch rules off for the duration (to measure what each one decides)."""
    unknown = [n for n in names if n not in RULES]
    if unknown:
        raise KeyError(f"unknown rules: {', '.join(unknown)}")
    before = set(_OFF)
    _OFF.update(names)
    try:
        yield
    finally:
        _OFF.clear()
        _OFF.update(before)


@contextmanager
def tracing() -> Iterator[Counter[str]]:
    """Count :func:`fired` calls for the duration; yields the counter."""
    counts: Counter[str] = Counter()
    _COUNTS.append(counts)
    try:
        yield counts
    finally:
        _COUNTS.pop()
