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
from extractors.gazetteer import Place
from extractors.record import Record
from extractors.segment import Sentence

StepFn = Callable[["Doc"], None]
REGISTRY: dict[str, StepFn] = {}


def step(name: str) -> Callable[[StepFn], StepFn]:
    """Register a pipeline step under ``name`` (decorator)."""

    def deco(fn: StepFn) -> StepFn:
        REGISTRY[name] = fn
        return fn

    return deco


class Mention(Record):
    """A place mention in the body: offsets, the text as written and the gazetteer entry (or None)."""

    __slots__ = ("end", "name", "place", "start")
    FIELDS = ("start", "end", "name", "place")

    def __init__(self, start: int, end: int, name: str, place: Place | None) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.place = place


class SentHits(Record):
    """Casualty hits of one sentence plus what the context steps decided about them."""

    __slots__ = ("beside_toll", "dropped", "excluded", "hits", "lower", "sentence", "toll")
    FIELDS = ("sentence", "hits", "excluded", "lower", "dropped", "toll", "beside_toll")

    def __init__(self, sentence: Sentence, hits: list[Hit], excluded: str | None = None, lower: str = "") -> None:
        self.sentence = sentence
        self.hits = hits
        self.excluded = excluded
        self.lower = lower
        self.dropped: list[tuple[Hit, Any]] = []  # hits set aside with their scope (extractors.scope.Scope)
        self.toll: tuple[str, Any, bool] | None = None  # a toll's stated level (extractors.context.toll_statement)
        self.beside_toll: list[Hit] = []  # figures of the other kind told with a toll update ("..., with 30 wounded")


class Draft(Record):
    """An incident being assembled: victim groups by kind, evidence span, place and labels."""

    __slots__ = ("agent", "alternative", "attribution", "back_reference", "context_mention", "ev_end", "ev_start",
                 "has_cause", "killed", "mention", "method", "perpetrator", "retellings", "revision", "sentence",
                 "split", "status", "status_reason", "subset", "tok_end", "tok_start", "unknown_name", "wounded")
    FIELDS = ("sentence", "killed", "wounded", "tok_start", "tok_end", "ev_start", "ev_end", "mention",
              "context_mention", "unknown_name", "method", "perpetrator", "agent", "has_cause", "back_reference",
              "attribution", "subset", "alternative", "revision", "retellings", "status", "status_reason", "split")

    def __init__(self, sentence: Sentence, *, tok_start: int = 0, tok_end: int = 0, ev_start: int = 0,
                 ev_end: int = 0, agent: bool = False, has_cause: bool = False) -> None:
        self.sentence = sentence
        self.killed: list[Group] = []
        self.wounded: list[Group] = []
        self.tok_start = tok_start
        self.tok_end = tok_end
        self.ev_start = ev_start
        self.ev_end = ev_end
        self.mention: Mention | None = None
        self.context_mention: Mention | None = None
        self.unknown_name: str | None = None
        self.method = "unknown"
        self.perpetrator = "unknown"
        self.agent = agent
        self.has_cause = has_cause
        self.back_reference = False
        self.attribution = False
        self.subset = False
        self.alternative = False
        self.revision = False
        # later sentences that told this incident again (extractors.story): where its day may be
        # told when its own sentence names none ("30 dead as a blast hits a bus depot", then
        # "... died when the device went off at the depot on Friday")
        self.retellings: tuple[Sentence, ...] = ()
        self.split = False  # one of the incidents a "separate attacks" clause was split into
        self.status = "counted"  # or "suspect" (extractors.selfcheck)
        self.status_reason: str | None = None

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

    def told_again_in(self, d: Draft) -> None:
        """Note ``d``, a later telling of this incident folded into it, as a sentence that may
        tell its day: only when it gives one of the same figures (a later count's day is the
        update's, not the event's)."""
        if d.sentence is not self.sentence and ((d.k and d.k == self.k) or (d.w and d.w == self.w)):
            self.retellings = (*self.retellings, d.sentence, *d.retellings)

    def region_code(self) -> str | None:
        """Region code of the resolved place (sentence place first, then context)."""
        m = self.mention if self.mention is not None and self.mention.place is not None else self.context_mention
        if m is None or m.place is None:
            return None
        return m.place.region_code


@dataclass(slots=True)
class Doc:
    """Everything the steps share while extracting one article."""

    article: Any  # schemas.records.Article
    body: str
    published: date | None = None
    report_day: date | None = None  # the day the report is about (extractors.steps_text.report_day)
    period_start: date | None = None  # first day of a weekly report (extractors.timex.weekly_period)
    ref_year: int = -1  # latest year the body names, for undated reports (-1: not read yet, 0: none)
    ref_year_recalled: bool = False  # an undated report telling its events by weekday: ref_year is a recalled one
    report_weekday: int | None = None  # an undated report: the weekday its lead is told on ("said on Tuesday")
    sentences: list[Sentence] = field(default_factory=list)
    sent_hits: list[SentHits] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    stated_killed: int | None = None
    stated_wounded: int | None = None
    stated_phrase: str | None = None
    stated_sentences: set[int] = field(default_factory=set)
    headline_killed: int | None = None
    headline_wounded: int | None = None
    drafts: list[Draft] = field(default_factory=list)
    lead: Draft | None = None  # a single-event story's lead incident (extractors.story)
    marked: list[Draft] = field(default_factory=list)  # a story's events its text calls other events
    incidents: list[Any] = field(default_factory=list)
    summary: Any = None
    # the locate and places steps' view of the world (extractors.locations._Geo), worked out on
    # first use and kept here so that it dies with the extraction: the article's country
    # context (extractors.geocontext.CountryContext) and every place the body names
    country_context: Any = None
    found_places: list[tuple[int, int, Place]] | None = None
    # where a place name may start in each paragraph the gazetteer read (paragraph index -> spans
    # from the paragraph's start), kept so the country context reads the opening's capitalised
    # words without scanning them again
    paragraph_spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    settled_places: set[int] = field(default_factory=set)  # mention starts whose place the text settles
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
