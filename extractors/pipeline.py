"""The extraction pipeline: a shared :class:`Doc` state and an ordered registry of named steps.

Modelled on spaCy components: each step is a plain function ``step(doc) -> None`` registered
under a name with :func:`step`; :data:`PIPELINE` lists the default order, and
:func:`run` applies a list of step names to a doc. Steps only read and write ``Doc`` fields, so a
step can be tested alone (build a Doc, run the steps before it, check its output) or replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extractors.clauses import Group, Hit
from extractors.segment import Sentence

StepFn = Callable[["Doc"], None]
REGISTRY: dict[str, StepFn] = {}


def step(name: str) -> Callable[[StepFn], StepFn]:
    """Register a pipeline step under ``name`` (decorator)."""

    def deco(fn: StepFn) -> StepFn:
        REGISTRY[name] = fn
        return fn

    return deco


@dataclass(slots=True)
class Mention:
    """A place mention in the body: offsets, the text as written and the gazetteer entry (or None)."""

    start: int
    end: int
    name: str
    place: Any | None  # extractors.gazetteer.Place; Any keeps this module import-light


@dataclass(slots=True)
class SentHits:
    """Casualty hits of one sentence plus what the context steps decided about them."""

    sentence: Sentence
    hits: list[Hit]
    excluded: str | None = None
    lower: str = ""


@dataclass(slots=True)
class Draft:
    """An incident being assembled: victim groups by kind, evidence span, place and labels."""

    sentence: Sentence
    killed: list[Group] = field(default_factory=list)
    wounded: list[Group] = field(default_factory=list)
    tok_start: int = 0
    tok_end: int = 0
    ev_start: int = 0
    ev_end: int = 0
    mention: Mention | None = None
    context_mention: Mention | None = None
    unknown_name: str | None = None
    method: str = "unknown"
    perpetrator: str = "unknown"
    agent: bool = False
    has_cause: bool = False
    back_reference: bool = False
    attribution: bool = False
    subset: bool = False
    alternative: bool = False
    revision: bool = False
    event_date: date | None = None

    # (k and w are read many times per draft by assemble and merge; most drafts have at most
    # one group per side, so those cases skip the generator)
    @property
    def k(self) -> int:
        """Stated killed."""
        groups = self.killed
        if len(groups) < 2:
            return groups[0].value if groups else 0
        return sum(g.value for g in groups)

    @property
    def w(self) -> int:
        """Stated wounded."""
        groups = self.wounded
        if len(groups) < 2:
            return groups[0].value if groups else 0
        return sum(g.value for g in groups)

    def region_code(self) -> str | None:
        """Region code of the resolved place (sentence place first, then context)."""
        m = self.mention if self.mention is not None and self.mention.place is not None else self.context_mention
        if m is None or m.place is None:
            return None
        code: str | None = m.place.region_code
        return code


@dataclass(slots=True)
class Doc:
    """Everything the steps share while extracting one article."""

    article: Any  # schemas.records.Article
    body: str
    published: date | None = None
    sentences: list[Sentence] = field(default_factory=list)
    sent_hits: list[SentHits] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    stated_killed: int | None = None
    stated_wounded: int | None = None
    stated_phrase: str | None = None
    stated_sentences: set[int] = field(default_factory=set)
    drafts: list[Draft] = field(default_factory=list)
    incidents: list[Any] = field(default_factory=list)
    summary: Any = None
    _mention_starts: list[int] | None = None

    def mention_starts(self) -> list[int]:
        """Start offsets of :attr:`mentions` (sorted), cached for bisection."""
        if self._mention_starts is None or len(self._mention_starts) != len(self.mentions):
            self._mention_starts = [m.start for m in self.mentions]
        return self._mention_starts


def run(doc: Doc, names: list[str]) -> Doc:
    """Apply the named steps to ``doc`` in order."""
    for name in names:
        REGISTRY[name](doc)
    return doc
