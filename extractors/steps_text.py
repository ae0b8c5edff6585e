"""Steps ``segment``, ``clauses`` and ``context``: sentences, casualty hits, and what does not count."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Final

from extractors.clauses import SPEECH, Group, Hit, find_hits
from extractors.context import is_overall, toll_statement, toll_window
from extractors.furniture import blank_spans, link_block_spans
from extractors.lexicon import CAUSE_WORDS
from extractors.markup import html_to_text, looks_like_html
from extractors.pipeline import Doc, SentHits, step
from extractors.quantities import Quantity, quantity_at, word_value
from extractors.record import bisect_left
from extractors.rules import fired, on, rule
from extractors.scope import (
    CUMULATIVE,
    EARLIER,
    EVENT,
    PLAIN_EVENT,
    RETROSPECTIVE,
    Scope,
    dates_wounds,
    governs,
    hit_scopes,
    remains_of_another_era,
    running_total_span,
)
from extractors.segment import (
    MAX_SENTENCE_CHARS,
    KeyWords,
    Sentence,
    islamic_state,
    key_mask,
    prose_paragraphs,
    prose_start,
    safe_lower,
    segment,
    token_offsets,
    token_set,
    tokenize,
    unwrap,
)
from extractors.stated import names_cause, strong_scope
from extractors.timex import (
    MONTHS,
    TimeExpr,
    find_times,
    may_hold_times,
    sentence_times,
    story_year,
    weekend_start,
    weekly_period,
)

# Cheap pre-filter: only sentences containing a trigger stem are tokenised and parsed.
# (a loop of plain substring tests on the lower-cased text: about 3x faster than one regex
# alternation of the same stems, which CPython's engine tries stem by stem at every position;
# the most frequent stems come first, because the loop stops at the first one found; typed as
# a tuple of any length, so that compiled code indexes it in place instead of boxing a new
# tuple and iterating it through the generic iterator at every call)
_STEMS: Final[tuple[str, ...]] = (
    "kill", "wound", "dead", "bod", "injur", "death", "died", "execut", "gunned", "assassinat", "grave", "murder",
    "massacr", "corpse", "slain", "behead", "neutrali", "slay", "slew", "hurt", "perish", "maimed", "toll", "hanged",
    "lives", "fatalit", "his life", "her life", "martyr", "succumb", "hospital", "slaughter", "eliminat", "fatally",
    "liquidat",
)


def has_stem(low: str) -> bool:
    """Whether a lower-cased sentence contains a casualty trigger stem."""
    for stem in _STEMS:  # noqa: SIM110 (a plain loop: any() over a generator is slower here)
        if stem in low:
            return True
    return False


R_INVISIBLE: Final = rule("text.invisible", "soft hyphens and zero-width characters are dropped before reading")
_INVISIBLE_CHARS: Final = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE: Final = {ord(c): None for c in _INVISIBLE_CHARS}


def _has_invisible(body: str) -> bool:
    if body.isascii():  # (a flag CPython keeps on the string: most bodies are answered at once)
        return False
    for c in _INVISIBLE_CHARS:  # noqa: SIM110 (six substring tests in C)
        if c in body:
            return True
    return False


R_HTML: Final = rule("text.html", "a body sent as HTML markup is read as its text, one paragraph per block")
R_UNWRAP: Final = rule("text.unwrap", "a hard-wrapped body's wrapped lines are joined into their paragraphs")
R_LINK_BLOCKS: Final = rule(
    "text.link_blocks", "a block of links to other stories ('Related coverage', 'Read more: ...') is not the story")
R_TITLE_REPEATED: Final = rule("text.title_repeated", "the headline repeated in the body is not read again")
R_CAPTION: Final = rule("text.caption", "a paragraph with a photograph's credit or label is a caption, not read")
_REPEAT_CHARS: Final = 50
R_SENTENCE_REPEATED: Final = rule(
    "text.sentence_repeated",
    "a sentence of 50 characters or more that the body already holds word for word (a page's teaser) is read once",
)
R_HEADLINE_LIKE: Final = rule("text.headline_like", "a short line without closing punctuation is a caption")
R_REPORT_DAY: Final = rule("context.report_day", "a story is about the day its opening figure names")
R_WEEKEND: Final = rule(
    "context.weekend", "a report opening with the weekend's figure ('died over the weekend') counts Saturday's "
    "and Sunday's incidents as its own")
R_LEAD_PERIOD: Final = rule(
    "context.lead_period",
    "a story's opening attack dated by a recent period ('last week', 'two days ago') is the story's event",
)
R_CAPTION_DATE: Final = rule(
    "context.caption_date",
    "an undated page whose photo caption or lead gives a full date ('Kabul, June 3, 2017') is read as of that day",
)
_MONTHS_RE: Final = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June|July|Aug(?:ust|\.)?|"
                     r"Sep(?:tember|t?\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_FULL_DATE: Final = re.compile(
    rf"\b(?:(?P<m1>{_MONTHS_RE})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTHS_RE}),?\s+(?P<y2>(?:19|20)\d\d))\b")
_OLD_PHOTO: Final = ("file", "archive", "taken in", "in this ")


def _caption_date(doc: Doc) -> date | None:
    """For an undated page, the full date a photo caption or the lead gives, up to the lead's
    end ("Policemen at the site in Kabul on June 3, 2017."): the page is of that day or soon
    after. Not from a line that shows an old picture ("A file photo of ...")."""
    body = doc.body
    end = doc.sent_hits[0].sentence.end if doc.sent_hits else 0
    # (the years first, found by substring tests in C: the date pattern is tried only just before
    # one, not at every character of the opening)
    years: list[int] = []
    for century in ("19", "20"):
        i = body.find(century, 0, end)
        while i >= 0:
            if i + 4 <= end and body[i + 2 : i + 4].isdigit() and (i == 0 or not body[i - 1].isalnum()) and (
                    i + 4 == len(body) or not body[i + 4].isalnum()):
                years.append(i)
            i = body.find(century, i + 1, end)
    for y in sorted(years):
        m = _FULL_DATE.search(body, max(0, y - 20), y + 4)
        if m is None or m.end() != y + 4:
            continue
        line = body[body.rfind("\n", 0, m.start()) + 1 : m.end()].lower()
        if any(w in line for w in _OLD_PHOTO):
            continue
        month = (m.group("m1") or m.group("m2"))[:3].lower()
        try:
            return date(int(m.group("y1") or m.group("y2")), MONTHS[month], int(m.group("d1") or m.group("d2")))
        except ValueError:
            continue
    return None


R_TOLD_WEEKDAY: Final = rule(
    "context.told_weekday",
    "an undated story whose lead is told on a weekday (\"police said on Tuesday\") dates its other weekdays from it",
)


def told_weekday(toks: list[str]) -> int | None:
    """The weekday (Monday = 0) a sentence is told on: "..., officials said on Tuesday", "told
    reporters Tuesday" (a speech verb among the three words before it), else None."""
    for i in range(1, len(toks)):
        t = toks[i]
        if t not in _WEEKDAY_INDEX:
            continue
        j = i - 1
        if toks[j] == "on":
            j -= 1
        for k in range(j, max(j - 3, -1), -1):
            if toks[k] in SPEECH:
                return _WEEKDAY_INDEX[t]
    return None


R_FURNITURE_SKIPPED: Final = rule(
    "context.lead_past_furniture",
    "the opening figure is found past a page's photo credits and link lines between the paragraphs of prose",
)
R_LEAD_SHORT_SPAN: Final = rule(
    "context.lead_short_span", "an opening figure over a span of three days or less ('killed in two days of "
    "clashes') is the story's event, not a cumulative count")
R_FOLLOW_UP: Final = rule("context.follow_up", "'Also, N were wounded' shares the scope of the sentence before")
R_TOLL_INCREASE: Final = rule("context.toll_increase", "of a toll update ('rose by 3 to 16') only the increase counts")
R_OVERALL: Final = rule("context.overall", "'Overall, N were killed' restates the figures told before it")
R_TOLL_FROM: Final = rule(
    "context.toll_from", "a toll update told with its earlier level ('rose to 45, up from 38') counts the difference")
R_UP_FROM: Final = rule("context.up_from", "'38 wounded, up from eight': only the increase is new")
R_WEEKLY: Final = rule("context.weekly_period", "a weekly report (its title or opening figure says so) counts its week")
R_TOLL_SCOPE: Final = rule("context.toll_scope", "a toll statement about another time updates nothing")
R_CAMPAIGN_TOLL: Final = rule(
    "context.campaign_toll",
    "the toll of a war, an insurgency or a months-long span ('the eight-month war') sums many days",
)
_CAMPAIGN_TOLL_WORDS: Final = frozenset((
    "war", "wars", "conflict", "conflicts", "insurgency", "campaign", "uprising", "revolution", "crisis",
    "intifada", "occupation", "civil",
))
_SPAN_SUFFIXES: Final = ("-month", "-year", "-week", "-long", "-decade", "-months", "-years", "-weeks")
_INHERITED: Final = frozenset((CUMULATIVE, EARLIER, RETROSPECTIVE))
"""Scopes a follow-up sentence ("Also, 106 were wounded.") takes from the sentence before it."""
_OVERALL_KEYS: Final = KeyWords(("overall", "altogether", "total", "all", "combined", "tally", "monthly", "weekly"))
_TOLL_KEYS: Final = KeyWords(("toll", "figure", "figures", "number", "casualties"))
_TOLL_LEVEL_KEYS: Final = KeyWords(("toll", "tolls", "count", "number"))
_WOUND_WORDS: Final = frozenset(("wounded", "injured", "hurt", "wounding", "injuring"))
_REVISION_KEYS: Final = KeyWords(("revised", "corrected", "lowered", "updated"))
_TERMINAL: Final = frozenset('.!?:;")\u201d\u2019')


# a photograph's credit or label: "(Photo: Reuters)", "Photo: ...", "File photo", "(AFP Photo)"
_CAPTION: Final = re.compile(
    r"\((?:[a-z]+ )?(?:photo|picture|image)\b|\b(?:photo|picture|image)s?\s*:|\bfile (?:photo|picture)\b"
    r"|\bphoto credit\b"
)


_CAPTION_WORDS: Final = 35


def _caption_paragraphs(doc: Doc, low_body: str) -> set[int]:
    """Paragraphs that hold a photograph's credit or label: a caption ("Relatives of a man killed
    in the attack mourn ... (Photo: Wire)") tells no figure of its own."""
    out: set[int] = set()
    # (the pattern is tried only around each "photo", "picture" or "image" the body holds: tried
    # along a whole report, a pattern without a literal prefix costs hundreds of instructions per
    # character)
    starts: list[int] | None = None
    for word in ("photo", "picture", "image"):
        i = low_body.find(word)
        while i >= 0:
            if _CAPTION.search(low_body, max(0, i - 12), i + len(word) + 8) is not None:
                if starts is None:
                    starts = [sent.start for sent in doc.sentences]
                k = bisect_left(starts, i + 1) - 1
                if k >= 0:
                    out.add(doc.sentences[k].paragraph)
            i = low_body.find(word, i + 1)
    if not out:
        return out
    words: dict[int, int] = {}
    for sent in doc.sentences:
        words[sent.paragraph] = words.get(sent.paragraph, 0) + sent.text.count(" ") + 1
    # (a caption is short: a credit at the end of a paragraph of the story, "... - File Photo by
    # AP", leaves the paragraph a paragraph)
    return {p for p in out if words[p] <= _CAPTION_WORDS}


R_PERIOD_LEFT_OUT: Final = rule(
    "text.period_left_out",
    "a line of prose between two paragraphs of prose, ending on its speaker, or the whole body, its period left "
    "out, is a sentence, not a headline",
)
_PROSE_OPENERS: Final = ("A ", "An ", "The ", "In ", "At ", "Near ", "Two ", "Three ", "Four ", "Five ")


def _period_left_out(doc: Doc, i: int, last: int) -> bool:
    """Whether the unpunctuated line ``i`` is a sentence whose period the author left out: between
    two paragraphs that end as prose does, opening as prose does ("A bombing at a market ...
    left three dead"), not in title case as headlines and links to other stories are."""
    if last == 0:
        return True  # the whole body (a feed's summary line): there is no story it could head
    if _attributed_end(doc.sentences[i].text):
        return True  # ", police said": a headline names no speaker after a comma
    if i == 0 or i == last:
        return False
    before, line, after = doc.sentences[i - 1].text.rstrip(), doc.sentences[i].text, doc.sentences[i + 1].text.rstrip()
    if not before or before[-1] not in _TERMINAL or not after or after[-1] not in _TERMINAL:
        return False
    if not line.startswith(_PROSE_OPENERS):
        return False
    words = line.split()
    return 3 * sum(1 for w in words if w[:1].isupper()) <= len(words)


def _attributed_end(line: str) -> bool:
    """Whether a line ends on a speaker after a comma ("..., officials said on Monday")."""
    comma = line.rfind(",")
    if comma < 0:
        return False
    tail = line[comma + 1 :].lower().split()
    return 2 <= len(tail) <= 7 and not SPEECH.isdisjoint(tail)


def _headline_like(sent: Sentence, alone: bool) -> bool:
    """A short one-line paragraph without closing punctuation: a headline, link or caption."""
    text = sent.text.rstrip()
    return alone and bool(text) and text[-1] not in _TERMINAL and text.count(" ") < 14


def _rise_from(toks: list[str], kind: str, level: Quantity) -> list[Hit]:
    """The increase a toll update states as its earlier level ("rose to 45, up from 38", "climbed
    from 38 to 45"), as a hit of its own kind, or no hit: a number after "from", within a few
    words of the new level and smaller than it (not a year: "up from 2019's toll" is larger)."""
    lo = max(0, level.start - 6)
    for i in range(lo, min(len(toks) - 1, level.end + 6)):
        if toks[i] != "from" or level.start <= i < level.end:
            continue
        q = quantity_at(toks, i + 1) if word_value(toks[i + 1]) is not None else None
        if q is None or q.vague is not None or not 0 < q.value < level.value:
            continue
        v = level.value - q.value
        return [Hit(kind, level.start, level.start, level.end,
                    [Group("unknown", v, v, v, None, level.start, level.end)], "passive")]
    return []


def _up_from(sh: SentHits) -> None:
    """"Some 41 were hurt, up from nine in the first reports": only the increase is new."""
    toks = sh.sentence.toks
    for i in range(len(toks) - 2):
        if toks[i] == "up" and toks[i + 1] == "from" and word_value(toks[i + 2]) is not None:
            before = [h for h in sh.hits if h.groups and h.groups[0].start < i]
            q = quantity_at(toks, i + 2)
            if before and q is not None and 0 < q.value < before[-1].value and len(before[-1].groups) == 1:
                fired(R_UP_FROM)
                g = before[-1].groups[0]
                v = g.value - q.value
                before[-1].groups[0] = Group(g.category, v, v, v, None, g.start, g.end)
                # the earlier figure's own hit ("eight injured") is not new either
                sh.hits = [h for h in sh.hits if not h.groups or h.groups[0].start < i]
            return


def _capitals(sent: Sentence, low: str) -> Callable[[int], bool]:
    """Lazy "is token i capitalised in the original text" (offsets computed only when asked;
    ``low`` is the sentence lower-cased, as the tokeniser read it)."""

    def is_cap(i: int) -> bool:
        toks = sent.toks
        if i < len(toks) and toks[i][:1].isalpha() and toks[i][:1].upper() + toks[i][1:] not in sent.text:
            return False  # (no capitalised form anywhere in the sentence: no offsets needed)
        starts = token_offsets(sent, low)
        return i < len(starts) and sent.text[starts[i] - sent.start].isupper()

    return is_cap


@step("segment")
def segment_step(doc: Doc) -> None:
    """Split the body into paragraphs and sentences with offsets (a hard-wrapped body unwrapped
    first: :func:`extractors.segment.unwrap`)."""
    if on(R_INVISIBLE) and _has_invisible(doc.body):
        fired(R_INVISIBLE)  # "Mo\u00adsul": a soft hyphen or zero-width character splits no name
        doc.body = doc.body.translate(_INVISIBLE)
    if "<" in doc.body and on(R_HTML) and looks_like_html(doc.body):  # (the test first: markup.py is not compiled)
        fired(R_HTML)  # a body sent as a page's markup: its text, paragraphs kept apart
        doc.body = html_to_text(doc.body)
    if on(R_UNWRAP):
        body = unwrap(doc.body)
        if body is not doc.body:
            fired(R_UNWRAP)
            doc.body = body
    doc.sentences = segment(doc.body)
    if on(R_LINK_BLOCKS):
        spans = link_block_spans(doc.sentences)
        if spans:
            fired(R_LINK_BLOCKS)  # other stories' headlines under "Related coverage": not this story's places
            doc.body = blank_spans(doc.body, spans)
            doc.sentences = segment(doc.body)


def _initials_is(body: str) -> bool:
    """Whether the body may write the group's initials "IS" as a word (segment.islamic_state):
    most bodies hold no "IS" at all, and most that do hold it inside "ISIS"."""
    return "IS" in body and (" IS " in body or " IS'" in body or " IS\u2019" in body or "(IS" in body
                             or " IS," in body or " IS-" in body or "\nIS " in body or body.startswith("IS "))


@step("clauses")
def clauses_step(doc: Doc) -> None:
    """Tokenise trigger-bearing sentences and parse their casualty clauses."""
    out: list[SentHits] = []
    title = (getattr(doc.article, "title", None) or "").strip()
    title = title if len(title) >= 20 else ""
    last = len(doc.sentences) - 1
    low_body = safe_lower(doc.body)
    seen: list[str] = []
    sizes: set[int] = set()
    captions = _caption_paragraphs(doc, low_body) if on(R_CAPTION) else set()
    caps_is = _initials_is(doc.body)
    for i, sent in enumerate(doc.sentences):
        if len(sent.text) > MAX_SENTENCE_CHARS:
            continue
        low = low_body[sent.start : sent.end]
        if not has_stem(low):
            continue
        if captions and sent.paragraph in captions:
            fired(R_CAPTION)
            continue  # a photograph's caption: its figures are the story's, told in its text
        if title and title in sent.text and on(R_TITLE_REPEATED):
            fired(R_TITLE_REPEATED)
            continue  # the headline repeated in the body ("Source: <title> | Outlet")
        size = len(sent.text)
        if size >= _REPEAT_CHARS:
            # (long sentences only: two short formulaic lines, "A policeman was shot dead.", can be
            # two events under two place headings; the lengths first, so that most sentences are
            # never hashed)
            if size in sizes and sent.text in seen and on(R_SENTENCE_REPEATED):
                fired(R_SENTENCE_REPEATED)
                continue  # a stored page that shows its summary, then the story that opens with it
            sizes.add(size)
            seen.append(sent.text)
        alone = (i == last or doc.sentences[i + 1].paragraph != sent.paragraph) and (
            i == 0 or doc.sentences[i - 1].paragraph != sent.paragraph
        )
        if _headline_like(sent, alone) and on(R_HEADLINE_LIKE):
            if on(R_PERIOD_LEFT_OUT) and _period_left_out(doc, i, last):
                fired(R_PERIOD_LEFT_OUT)
            else:
                fired(R_HEADLINE_LIKE)
                continue
        tokenize(sent, low)
        if caps_is:
            islamic_state(sent, low)
        tokset = token_set(sent)  # (built once here, then shared by the steps after this one)
        hits = find_hits(sent.toks, _capitals(sent, low), tokset)
        toll = toll_statement(sent.toks) if _TOLL_LEVEL_KEYS.in_sentence(sent) else None
        if hits or toll is not None or ("by" in tokset and _TOLL_KEYS.in_sentence(sent)):
            # (a toll update may state its increase, or its level, without a victim phrase)
            sh = SentHits(sent, hits, lower=low)
            sh.toll = toll
            out.append(sh)
    doc.sent_hits = out


def _year_for(doc: Doc, sent: Sentence) -> int | None:
    """The year that dates years in an undated report (:func:`extractors.timex.story_year`), read
    from the body only when a sentence may name a year: most reports are dated, and most
    sentences name none."""
    if doc.published is not None:
        return None
    text = sent.text
    if "19" not in text and "20" not in text:
        return None
    if doc.ref_year < 0:
        doc.ref_year = story_year(doc.body) or 0
        low = safe_lower(doc.body)
        doc.ref_year_recalled = any(day in low for day in _WEEKDAYS)
    return doc.ref_year or None


_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_INDEX: Final = {day: i for i, day in enumerate(_WEEKDAYS)}


def _times(doc: Doc, sent: Sentence) -> list[TimeExpr]:
    """The sentence's times, read against the report's day, year and period."""
    year = _year_for(doc, sent)  # (first: it works out whether the report's latest year is a recalled one)
    return sentence_times(sent, doc.report_day, year, doc.period_start, doc.ref_year_recalled, doc.report_weekday)


_SHORT_SPAN_DAYS: Final = 3
_SPAN_UNITS: Final = {"day": 1, "days": 1, "hours": 24}


def _short_span(cue: str) -> bool:
    """Whether a span cue covers at most three days: "in two days", "over the past 48 hours"."""
    words = cue.split()
    if len(words) < 2 or words[-1] not in _SPAN_UNITS:
        return False
    per_day = _SPAN_UNITS[words[-1]]
    value = 1 if words[-2] in ("a", "the", "past", "last") and words[-1] == "day" else word_value(words[-2])
    return value is not None and 0 < value <= _SHORT_SPAN_DAYS * per_day


def _is_lead(doc: Doc, sh: SentHits) -> bool:
    """Whether a sentence is the story's opening figure: the first with hits, in the opening paragraphs."""
    return bool(doc.sent_hits) and doc.sent_hits[0] is sh and sh.sentence.paragraph <= prose_start(doc.sentences) + 1


def _set_scopes(doc: Doc, sh: SentHits) -> None:
    """Decide the scope of every hit of a sentence; keep the event hits, set aside the others."""
    sent = sh.sentence
    scopes = hit_scopes(sent.toks, token_set(sent), key_mask(sent), sh.lower, sh.hits,
                        _times(doc, sent))
    kept: list[Hit] = []
    # (an index loop: zip(..., strict=True) is a generic call when compiled)
    for k in range(len(scopes)):
        h, sc = sh.hits[k], scopes[k]
        if sc.kind == CUMULATIVE and _short_span(sc.cue) and _is_lead(doc, sh) and on(R_LEAD_SHORT_SPAN):
            # "12 people were killed in two days of clashes" opening a story: the clashes are its event
            fired(R_LEAD_SHORT_SPAN)
            sc = PLAIN_EVENT
        if sc.kind == EVENT and h.voice == "body" and _may_date_an_era(doc, sh.sentence.paragraph):
            cue = remains_of_another_era(h, _paragraph_tokens(doc, sh.sentence.paragraph), doc.report_day,
                                         _year_for(doc, sent))
            if cue is not None:
                sc = Scope(RETROSPECTIVE, cue)
        if sc.kind == EVENT:
            kept.append(h)
        else:
            sh.dropped.append((h, sc))
    if sh.hits and not kept:
        sh.excluded = sh.dropped[0][1].kind
    sh.hits = kept


_ERA_HINTS: Final = ("19", "20", "saddam", "baath", "ba'ath", "anfal", "iran-iraq", "decades")


def _may_date_an_era(doc: Doc, paragraph: int) -> bool:
    """Substring tests on the paragraph before it is tokenised (most have no year or era word)."""
    start = end = -1
    for sent in doc.sentences:
        if sent.paragraph == paragraph:
            if start < 0:
                start = sent.start
            end = sent.end
        elif sent.paragraph > paragraph:
            break
    low = safe_lower(doc.body[start:end])
    return any(h in low for h in _ERA_HINTS)


def _paragraph_tokens(doc: Doc, paragraph: int) -> list[list[str]]:
    """The tokens of every sentence of a paragraph (tokenising those not read yet)."""
    out: list[list[str]] = []
    for sent in doc.sentences:
        if sent.paragraph == paragraph:
            tokenize(sent)
            out.append(sent.toks)
        elif sent.paragraph > paragraph:
            break
    return out


def _toll_noun_before(toks: list[str], end: int) -> int:
    """The index of the toll noun ("toll", "number") a toll figure at ``end`` belongs to, or -1."""
    for i in range(end - 1, max(end - 24, -1), -1):
        if toks[i] in ("toll", "tolls", "count", "number"):
            return i
    return -1


def _scope_toll(doc: Doc, sh: SentHits) -> None:
    """A toll statement is a figure too: "the toll from last week's bombing rose to 53" is not
    about the report's period, so it updates nothing."""
    if sh.toll is None:
        return
    kind, q, _ = sh.toll
    sent = sh.sentence
    probe = Hit(kind, q.start, q.start, q.end, [Group("unknown", q.value, q.low, q.high, None, q.start, q.end)])
    noun = _toll_noun_before(sent.toks, q.start)
    if noun >= 0 and on(R_CAMPAIGN_TOLL):
        for t in sent.toks[noun : q.start]:
            if t in _CAMPAIGN_TOLL_WORDS or t.endswith(_SPAN_SUFFIXES):
                # "the death toll in the eight-month war passed 35,000": a campaign's toll
                fired(R_CAMPAIGN_TOLL)
                sh.dropped.append((probe, Scope(CUMULATIVE, t)))
                sh.toll = None
                return
    scope = hit_scopes(sent.toks, token_set(sent), key_mask(sent), sh.lower, [probe],
                       _times(doc, sent))[0]
    if scope.kind != EVENT:
        fired(R_TOLL_SCOPE)
        sh.dropped.append((probe, scope))
        sh.toll = None


def _exclude_all(sh: SentHits, scope: Scope) -> None:
    sh.dropped.extend((h, scope) for h in sh.hits)
    sh.hits = []
    sh.excluded = scope.kind




def _lead_period_day(times: list[TimeExpr], sh: SentHits, published: date) -> date | None:
    """The day a story's opening figure is dated to by a recent period of its own ("gunmen killed
    14 villagers in a raid last week, residents said on Tuesday", "... two days ago"), or None.

    Read in a round-up, such a time marks a figure of an earlier day; a story's opening is its
    event, filed late (remote places, rights groups' accounts), and the period dates it. Only an
    opening that names an attack (:func:`extractors.stated.names_cause`): "violence killed 300
    last week" is a toll, and "last month", "last year" are never an event's date; a day that
    dates the figures ("today", "on Friday") dates them instead. ``published``: the day the
    period counts back from (the telling's, when the lead names it)."""
    toks = sh.sentence.toks
    if any(t.day is not None and governs(toks, 0, t) for t in times):
        return None
    found: date | None = None
    for t in times:
        if t.relation != "earlier" or t.day is not None:
            continue
        if t.end < len(toks) and toks[t.end] in CAUSE_WORDS:
            return None  # "the toll from last week's bombing": it dates an event the sentence names
        words = toks[t.start:t.end]
        back = 0
        if words[-1] == "ago" and len(words) >= 2 and words[-2] in ("day", "days"):
            back = word_value(words[0]) or 2 if len(words) == 3 else 2
        elif words[0] == "earlier" and words[-1] == "week":
            back = max(1, min(2, published.weekday()))  # earlier this week: no further than its Monday
        elif words[0] == "last" and words[-1] == "week":
            back = 7
        elif words[0] == "last" and words[-1] == "weekend":
            back = published.weekday() + 2  # the Saturday before
        if not 0 < back <= 14 or found is not None:
            return None
        found = published - timedelta(days=back)
    if found is None or not names_cause(sh.lower):
        return None
    return found


R_EVENT_DAY_AFTER: Final = rule(
    "context.event_day_after",
    "a story whose lead says only when it was told is dated by the retelling after it ('The attack happened on "
    "Thursday')",
)
_RETELLING_SUBJECTS: Final = frozenset((
    "attack", "attacks", "attackers", "assailants", "gunmen", "militants", "raid", "assault", "ambush", "bombing",
    "blast", "explosion", "strike", "incident", "killings", "massacre", "violence", "clashes", "fighting",
))
_DAY_NAMES: Final = frozenset((*_WEEKDAYS, *MONTHS))
_DAY_AFTER_REACH: Final = 3
"""Sentences after the lead in which its event's day may be told."""


def _event_day_after(doc: Doc, lead: SentHits) -> date | None:
    """The day of a story's event told right after a lead that only says when it was told
    ("Gunmen killed 22 villagers, the government said on Friday. The attackers stormed the
    village on Thursday, ..."): a sentence opening with the event or its attackers ("The attack",
    "The gunmen"), with a day up to three days before the publication. None otherwise, or when
    the lead names no attack (a round-up's total)."""
    published = doc.published
    if published is None:
        return None
    first = lead.sentence.index + 1
    for sent in doc.sentences[first : first + _DAY_AFTER_REACH]:
        toks = sent.toks
        if sent.paragraph > lead.sentence.paragraph + 1 or len(toks) < 3:
            return None
        if toks[0] != "the" or toks[1] not in _RETELLING_SUBJECTS:
            continue
        # (a weekday or a month names the day: most retellings name none, and find_times is dear)
        if _DAY_NAMES.isdisjoint(toks) or not names_cause(lead.lower or safe_lower(lead.sentence.text)):
            return None
        for t in find_times(toks, published):
            if t.relation == "earlier" and t.day is not None and 0 < (published - t.day).days <= 3:
                return t.day
        return None
    return None


def _without_running_total(sh: SentHits) -> str:
    """The sentence (lowercased) without its running total's phrase ("taking the week's tally
    to"): a running total after new figures does not make them a restated overall figure."""
    span = running_total_span(sh.sentence.toks) if "total" in sh.lower or "tally" in sh.lower else None
    if span is None:
        return sh.lower
    toks = sh.sentence.toks
    return " ".join(toks[: span[0]] + toks[span[1] + 1 :])


_WHEN_WORDS: Final = frozenset((
    "on", "by", "late", "early", "overnight", "today", "yesterday", "morning", "afternoon", "evening", "night",
    *_WEEKDAYS,
))


def _beside(toks: list[str], end: int, start: int) -> bool:
    """Whether a figure starting at ``start`` is coordinated with a new toll ending at ``end``:
    "rose to 14, with 30 wounded", "and 30 were wounded", or after the toll's attribution ("rose to
    120, the president said Sunday, and more than 300 others were wounded")."""
    between = toks[end:start]
    if not ("with" in between or "and" in between):
        return False
    if 0 <= start - end <= 3:
        return True
    if 0 <= start - end <= 7 and sum(1 for t in between if t not in _WHEN_WORDS) <= 3:
        return True  # "rose to 40 on Sunday, with 82 wounded": the day the level was told between
    return start - end <= 10 and between[:1] == [","] and not SPEECH.isdisjoint(between)


def report_day(doc: Doc) -> date | None:
    """The day the report is about: its publication date, unless its opening figure is dated to
    an earlier day ("Militants attacked a checkpoint on Friday, killing 12", published on Monday):
    a story filed days after its event is about that day, and "earlier" is judged from it."""
    if doc.published is None and on(R_CAPTION_DATE):
        doc.published = _caption_date(doc)
        if doc.published is not None:
            fired(R_CAPTION_DATE)
    # (paragraphs are counted from the first line of prose: a stored page may open with its menu,
    # related headlines, a byline and a date, none of them a sentence)
    opening = prose_start(doc.sentences)
    lead = doc.sent_hits[0].sentence if doc.sent_hits and doc.sent_hits[0].sentence.paragraph <= opening + 1 \
        else None
    if on(R_WEEKLY):
        doc.period_start = weekly_period(doc.article.title, lead.toks if lead is not None else None, doc.published,
                                         token_set(lead) if lead is not None else None)
        if doc.period_start is not None:
            fired(R_WEEKLY)
            return doc.published
    if lead is not None and doc.published is not None and on(R_WEEKEND) and "weekend" in token_set(lead):
        doc.period_start = weekend_start(lead.toks, doc.published)
        if doc.period_start is not None:
            fired(R_WEEKEND)
    for sh in doc.sent_hits[:1]:
        # the lead is in the first three paragraphs of prose: a photograph's credit and caption
        # between the opening and the lead are not paragraphs of the story
        para = sh.sentence.paragraph
        near = para <= opening + 2
        if not near and on(R_FURNITURE_SKIPPED) and prose_paragraphs(doc.sentences, opening, para) <= 2:
            fired(R_FURNITURE_SKIPPED)
            near = True
        if doc.published is None and near and on(R_TOLD_WEEKDAY):
            doc.report_weekday = told_weekday(sh.sentence.toks)
            if doc.report_weekday is not None:
                fired(R_TOLD_WEEKDAY)
        if doc.published is None or not near or not on(R_REPORT_DAY):
            break
        times = find_times(sh.sentence.toks, doc.published)
        day = doc.published
        for t in times:
            if t.relation == "earlier" and t.day is not None and not _dates_wounds_before(sh.sentence.toks, t.start):
                fired(R_REPORT_DAY)
                day = t.day
                break
        if day == doc.published and all(t.relation == "report" for t in times) and on(R_EVENT_DAY_AFTER):
            after = _event_day_after(doc, sh)
            if after is not None:
                fired(R_EVENT_DAY_AFTER)
                day = after
                # (the lead's times say when it was told, "the government said on Friday": the
                # event is on the day told after it)
                times = [TimeExpr(x.start, x.end, "report", after, x.text) for x in times]
        # the telling's day ("residents said on Tuesday") is the day a recent period counts back from
        recent = _lead_period_day(times, sh, day) if on(R_LEAD_PERIOD) else None
        if recent is not None:
            fired(R_LEAD_PERIOD)
        if day != doc.published or recent is not None:
            if may_hold_times(sh.sentence):
                # the lead's own times, read against the publication date, are kept: read again
                # against the day they name, "last Thursday" would name the Thursday before it
                # (and a day between the event and the publication, "rose to 40 on Sunday" in a
                # story of Saturday's bombing filed days later, is when it was told, not earlier)
                sh.sentence.times = [
                    TimeExpr(x.start, x.end, "report", x.day, x.text) if x.day is not None and (
                        x.day == day or (day is not None and doc.published is not None
                                         and day < x.day <= doc.published))
                    else TimeExpr(x.start, x.end, "report", recent, x.text)
                    if recent is not None and x.relation == "earlier" and x.day is None else x
                    for x in times
                ]
            return recent if recent is not None else day
        # the report is about its publication day: these are the times the scope step reads
        # for this sentence (same tokens and day; a dated report dates no year by the story),
        # so they are kept instead of found again (where that step would look for any)
        if may_hold_times(sh.sentence):
            sh.sentence.times = times
    return doc.published


def _dates_wounds_before(toks: list[str], start: int) -> bool:
    """Whether a time at ``start`` follows "wounds sustained" in its clause (up to eight words back)."""
    for k in range(start - 1, max(start - 9, 0), -1):
        if toks[k] in (",", ";", "."):
            return False
        if dates_wounds(toks, k):
            return True
    return False


R_OWN_EVENT_FOLLOWS: Final = rule(
    "context.own_event_follows",
    "'Also, a body was found in X' after an earlier day's sentence tells an event of its own, not that day's",
)


def _event_of_its_own(sh: SentHits) -> bool:
    """Whether an "Also, ..." sentence tells an event of its own: bodies found, or a cause named
    ("Also, a bomb wounded two in X"), not more victims of the sentence before ("Also, 12 were
    wounded")."""
    if not on(R_OWN_EVENT_FOLLOWS):
        return False
    own = any(h.voice == "body" for h in sh.hits) or names_cause(sh.lower or safe_lower(sh.sentence.text))
    if own:
        fired(R_OWN_EVENT_FOLLOWS)
    return own


@step("context")
def context_step(doc: Doc) -> None:
    """Give every figure its scope (:mod:`extractors.scope`); keep only the increase of toll updates."""
    prev: SentHits | None = None
    doc.report_day = report_day(doc)
    told = False  # whether a counted figure came before (an "overall" figure restates those)
    for sh in doc.sent_hits:
        # "During June, 249 were killed. Also, 106 were wounded.": the follow-up shares the scope
        if (
            prev is not None
            and prev.excluded in _INHERITED
            and prev.sentence.paragraph == sh.sentence.paragraph
            and prev.sentence.index == sh.sentence.index - 1
            and sh.sentence.toks[0] in ("also", "another", "additionally", "moreover", "however")
            and not strong_scope(sh)  # "Also, 82 Iraqis were killed": a total of its own
            and not _event_of_its_own(sh)
            and on(R_FOLLOW_UP)
        ):
            fired(R_FOLLOW_UP)
            _exclude_all(sh, Scope(prev.excluded or EARLIER, "follows " + prev.dropped[0][1].cue
                                   if prev.dropped else ""))
            prev = sh
            continue
        prev = sh
        _set_scopes(doc, sh)
        if sh.toll is not None and on(R_TOLL_SCOPE):
            _scope_toll(doc, sh)
        if sh.excluded is not None:
            continue
        told_here = bool(sh.hits)
        toks = sh.sentence.toks
        tokset = token_set(sh.sentence)
        keys = key_mask(sh.sentence)
        window = toll_window(toks, sh.lower) if _TOLL_KEYS.in_mask(keys) and on(R_TOLL_INCREASE) else None
        if window is not None and _REVISION_KEYS.in_mask(keys) and "by" not in tokset:
            continue  # "officials corrected the toll to three dead": a correction, applied by the merge step
        if window is None and _OVERALL_KEYS.in_mask(keys) and is_overall(_without_running_total(sh)) and told and on(
                R_OVERALL):
            # "Overall, three people were killed": a restatement of the figures told before it
            # (the first figure of an article restates nothing: "A total of 147 were killed")
            fired(R_OVERALL)
            sh.excluded = "overall"
            continue
        if window is not None:
            fired(R_TOLL_INCREASE)
            lo, hi = window
            kept = [h for h in sh.hits if h.groups and lo <= h.groups[0].start < hi]
            if not kept and lo < hi:
                # "the count of fighters killed rose by 14 to 37 dead": the increase counts
                q = quantity_at(toks, lo) if word_value(toks[lo]) is not None else None
                if q is not None and q.value:
                    kind = sh.hits[0].kind if sh.hits else ("w" if _WOUND_WORDS & tokset else "k")
                    g = Group("unknown", q.value, q.low, q.high, None, q.start, q.end)
                    kept = [Hit(kind, lo, q.start, q.end, [g], "passive")]
            if not kept and sh.toll is not None and sh.toll[2] and on(R_TOLL_FROM):
                # "the toll rose to 45, up from 38" / "climbed from 38 to 45": the difference is new
                kept = _rise_from(toks, sh.toll[0], sh.toll[1])
            if sh.toll is not None and sh.toll[2]:
                # "the toll rose to 14, with 30 wounded" / "and 30 were wounded": the other kind's
                # level, coordinated right after the new toll (not "after two injured died")
                q_end = sh.toll[1].end
                sh.beside_toll = [h for h in sh.hits if h not in kept and h.kind != sh.toll[0] and h.groups
                                  and _beside(toks, q_end, h.groups[0].start)]
            sh.hits = kept
            if not sh.hits:
                sh.excluded = "toll"
        elif "up from" in sh.lower and on(R_UP_FROM):
            _up_from(sh)
        told = told or told_here
