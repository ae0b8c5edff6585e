"""The scope of every casualty figure: is it an event of this report's period, or something else?

A report states many figures that are not its own incidents: a campaign's running count, the
victims of an old massacre being reburied, an earlier attack recalled as background, a
hypothetical, an accident. Each casualty hit gets one scope, decided from general evidence of
the sentence it is in, never from one report's wording:

* ``event`` (counted): none of the below; a time of the report's own period (today, yesterday,
  last night, a weekday 0-1 days back, the report's date) confirms it.
* ``cumulative``: a span time in the figure's clause or fronted before it (so far, since, this
  year, in the past N months, during the month, every day, on average; :mod:`extractors.timex`;
  a report's own total "so far" is still read as its total by ``stated``);
  an active perfect whose subject is a campaign or a plural of events ("airstrikes have killed")
  with no time of the report's period.
* ``earlier``: an earlier time point in the clause or fronted (last week, N days ago, a weekday
  2+ days back, another month or year); a clause opened by "<N> <days, weeks...> after/before"
  ("a week after two bombers killed ...") or by "since" a few words after a superlative ("the
  deadliest attack since a truck bomb killed ..."); a past perfect ("had been killed") outside reported
  speech, with no time of the report's period.
* ``retrospective``: a reburial, repatriation, anniversary or commemoration; exhumed remains or
  graves dated to an earlier era (a decade, a former regime or war, an earlier year).
* ``not_casualty``: a non-violent death (accident, fire, disease, disaster); a hypothetical or an
  intention (could kill, threatened to kill); a future time.

A time expression does not date the figures when it only compares ("the deadliest day this
month") or dates the telling ("..., police said on Monday"); a clause opened by "when" right
after a time takes that time ("the highest since September 30, when 33 were killed").

Other scopes are decided by the steps that see more than one sentence: the report's own total
(``stated``), restatements of an incident already told (``merge``), and figures placed in
another country than the report's (``locate``). A clause is the stretch of tokens between
boundaries (";", ":", relative pronouns, "while", "whereas", "but", "although", a comma before a
conjunction, and the anterior markers); a time expression governs the figures of its own clause,
and a time written at the head of the sentence ("Last week, ...") governs every clause that has
none of its own.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from extractors.clauses import ORDINALS, SPEECH, Hit
from extractors.lexicon import PERSON_WORDS
from extractors.record import Record
from extractors.rules import fired, on, rule
from extractors.segment import KeyWords, search_after
from extractors.timex import UNITS, TimeExpr, anterior_markers, find_times

EVENT: Final = "event"
CUMULATIVE: Final = "cumulative"
EARLIER: Final = "earlier"
RETROSPECTIVE: Final = "retrospective"
NOT_CASUALTY: Final = "not_casualty"
RESTATED: Final = "restated"
OTHER_SCOPE: Final = "other_scope"
REPORT_TOTAL: Final = "report_total"
SCOPES: Final = (EVENT, CUMULATIVE, EARLIER, RETROSPECTIVE, RESTATED, OTHER_SCOPE, REPORT_TOTAL, NOT_CASUALTY)
"""Every scope a figure can get; only ``event`` figures become counted incidents."""


class Scope(Record):
    """A figure's scope and the words that decided it (``cue``; empty for a plain event)."""

    __slots__ = ("cue", "kind")
    FIELDS = ("kind", "cue")

    def __init__(self, kind: str, cue: str = "") -> None:
        self.kind = kind
        self.cue = cue


PLAIN_EVENT: Final = Scope(EVENT)

R_SEMICOLON_PART: Final = rule(
    "scope.semicolon_part",
    "a non-violent or hypothetical cue holds for the figures of its own part of a sentence split by a semicolon",
)
R_NON_VIOLENT: Final = rule("scope.non_violent", "deaths by accident, fire, disease or disaster are not casualties")
R_HYPOTHETICAL: Final = rule("scope.hypothetical", "a modal or an intention governs the verb: not a casualty")
R_RETRO: Final = rule("scope.retrospective", "reburials, anniversaries, remains dated to an earlier era")
R_SCENE_COMMEMORATION: Final = rule(
    "scope.scene_commemoration", "an attack during a memorial or at an anniversary rally is an event of its own day")
R_REMAINS_ERA: Final = rule("scope.remains_era", "bodies found, with an earlier era named in the paragraph")
R_ANTERIOR: Final = rule(
    "scope.anterior_clause",
    "a clause opened by '<N> days/weeks after' or by 'since' after a superlative is an earlier event",
)
R_RELATIVE: Final = rule("scope.relative_clause",
                         "'the 2008 assault that killed 166': a relative clause has its antecedent's time")
R_SPAN: Final = rule("scope.span", "a span time governing the figure (so far, since, this year...): cumulative")
R_EARLIER: Final = rule("scope.earlier", "an earlier time point governing the figure: an earlier event")
R_FRONTED: Final = rule("scope.fronted_time", "a time at the head of the sentence governs clauses without one")
R_WHEN: Final = rule("scope.when_clause", "a clause opened by 'when' takes the time named just before it")
R_NOT_GOVERNING: Final = rule("scope.comparison_or_telling", "times that compare or date the telling do not scope")
R_PAST_PERFECT: Final = rule("scope.past_perfect", "a past perfect outside reported speech is background")
R_DENIED: Final = rule("scope.denied", "figures a sentence denies ('denied reports that 30 died') are not counted")
R_PARTITIVE: Final = rule("scope.partitive", "'Of the 31 killed, ...' opens a breakdown of figures told already")
R_CAMPAIGN: Final = rule("scope.campaign_perfect", "an active perfect with a campaign as subject is cumulative")
R_ONE_OF: Final = rule(
    "scope.one_of_many",
    "'X was shot dead, one of eight people killed ...': the eight include X (a day's total, or X's event's toll)",
)
R_INSTEAD: Final = rule("scope.other_account",
                        "'...; however, police said they found 19 bodies instead': another account of the same dead")
R_CONFESSED: Final = rule(
    "scope.confessed",
    "'confessed to killing five', 'a suspect claiming to have killed 16': a past crime owned up to, not an event",
)
RUNNING_CUES: Final = frozenset(("so far", "thus far", "to date", "until now", "until today"))
"""Cues of a toll "up to now" from no stated start: cumulative for a round-up's incidents, but a
report's own total ("So far, 17 Afghans have lost their lives") or a story's running toll."""

_NON_VIOLENT: Final = re.compile(
    r"\b(?:(?:a|the|massive|huge) (?:fire|blaze)\b(?! on)|accident|accidental|crash(?:ed)?|drown(?:ed|ing)?|"
    r"electrocut\w*|heat ?stroke|cholera|covid|coronavirus|earthquake|flood(?:s|ing)?|stampede|"
    r"natural causes|collapsed?|heart attack|non-hostile|non-combat|plunged|overturned|capsized|derailed|"
    r"collided|collision|landslides?|mudslides?|avalanche|lightning|cyclone|typhoon|hurricane|starvation|hunger|"
    r"malnutrition|disease|illness)\b"
)
_NON_VIOLENT_KEYS: Final = KeyWords(
    (
        "fire", "blaze", "accident", "accidental", "crash", "crashed", "drown", "drowned", "drowning",
        "electrocuted", "electrocution", "heat", "heatstroke", "cholera", "covid", "coronavirus", "earthquake",
        "flood", "floods", "flooding", "stampede", "natural", "collapse", "collapsed", "heart", "non-hostile",
        "non-combat", "plunged", "overturned", "capsized", "derailed", "collided", "collision", "landslide",
        "landslides", "mudslide", "mudslides", "avalanche", "lightning", "cyclone", "typhoon", "hurricane",
        "starvation", "hunger", "malnutrition", "disease", "illness"
    )
)
# a modal or an intention governing the casualty verb itself ("could kill hundreds", "threatened to kill")
_HYPOTHETICAL: Final = re.compile(
    r"\b(?:could|would|might|may|will)(?: not)?(?: have)?(?: be)? (?:\w+ )?(?:kill|killed|wound|wounded|injure|"
    r"injured|hurt|die|dead)\b|\b(?:threaten(?:s|ed)?|vow(?:s|ed)?|plan(?:s|ned)?|tried|trying|attempt(?:s|ed)?) to "
    r"(?:kill|behead|execute|attack|assassinate)\b"
)
# (the literals every match of the two patterns begins with, for segment.search_after)
_NON_VIOLENT_STARTS: Final[tuple[str, ...]] = (
    "a fire", "a blaze", "the fire", "the blaze", "massive fire", "massive blaze", "huge fire", "huge blaze",
    "accident", "crash", "drown", "electrocut", "heat", "cholera", "covid", "coronavirus", "earthquake", "flood",
    "stampede", "natural causes", "collapse", "heart attack", "non-hostile", "non-combat", "plunged", "overturned",
    "capsized", "derailed", "collided", "collision", "landslide", "mudslide", "avalanche", "lightning", "cyclone",
    "typhoon", "hurricane", "starvation", "hunger", "malnutrition", "disease", "illness",
)
_HYPOTHETICAL_STARTS: Final[tuple[str, ...]] = (
    "could", "would", "might", "may", "will", "threaten", "vow", "plan", "tried", "trying", "attempt",
)
_HYPOTHETICAL_KEYS: Final = KeyWords(("could", "would", "might", "may", "will", "threaten", "threatens",
                                      "threatened", "vow", "vows", "vowed", "plan", "plans", "planned", "tried",
                                      "trying", "attempt", "attempts", "attempted"))
_RETRO_STRONG: Final = frozenset((
    "reburied", "reburial", "reburials", "repatriated", "repatriation", "anniversary", "commemorate",
    "commemorated", "commemorating", "commemoration", "memorial",
))
_RETRO_REMAINS: Final = frozenset(("exhumed", "exhumation", "exhuming", "remains", "grave", "graves"))
_ERA: Final = frozenset((
    "saddam", "baath", "baathist", "ba'ath", "ba'athist", "anfal", "iran-iraq", "decades", "decades-old",
))
"""Words that date victims to an earlier era by themselves (decades and years are read as times)."""
_RETRO_KEYS: Final = KeyWords((*_RETRO_STRONG, *_RETRO_REMAINS))
def _current_war(tokset: frozenset[str]) -> bool:
    """Whether the words name an armed group of today's wars (:data:`_CURRENT_ACTORS`, or
    "Islamic State"): its victims' graves are that war's, whatever year they died."""
    if (not _CURRENT_ACTORS.isdisjoint(tokset) or ("islamic" in tokset and "state" in tokset)) and on(
            R_CURRENT_WAR_GRAVE):
        fired(R_CURRENT_WAR_GRAVE)
        return True
    return False


R_GRAVE_FOUND_NOW: Final = rule(
    "scope.grave_found_now", "a time dating the killing of the dead found ('killed in 2014') does not date the finding")
_KILLED_PARTICIPLES: Final = frozenset(("killed", "executed", "murdered", "massacred", "slain", "kidnapped",
                                        "abducted"))


def _killing_dated(toks: list[str], h: Hit, t: TimeExpr) -> bool:
    """Whether a time after a body or grave figure follows a participle telling how the dead died
    ("the remains of 20 Yazidis killed by the group in 2014"), so it dates that, not the finding."""
    return t.start > h.start and any(toks[k] in _KILLED_PARTICIPLES for k in range(h.start, min(t.start, len(toks))))


R_CURRENT_WAR_GRAVE: Final = rule(
    "scope.current_war_grave",
    "remains of victims an armed group of today's wars killed years ago are that war's dead, not another era's",
)
_CURRENT_ACTORS: Final = frozenset((
    "isis", "isil", "daesh", "qaeda", "al-qaeda", "shabab", "al-shabab", "al-shabaab", "shabaab", "taliban",
    "boko", "jihadists", "jihadist",
))
"""Armed groups of the wars the reports cover (and "Islamic State" by its short names)."""
_BOUNDARY_WORDS: Final = frozenset((
    ";", ":", "while", "whereas", "although", "though", "where", "which", "who", "whom", "whose", "but",
))
_AFTER_COMMA: Final = frozenset((
    "and", "as", "when", "bringing", "raising", "taking", "pushing", "adding", "amid", "in", "on", "after",
    "before", "since",
))
_CAMPAIGN_SUBJECTS: Final = frozenset((
    "airstrikes", "strikes", "attacks", "bombings", "raids", "clashes", "fighting", "violence", "war", "conflict",
    "campaign", "coalition", "offensive", "operations", "insurgency", "group", "militants", "forces", "shelling",
    "battles", "operation",
))
# (key-word masks instead of set methods: a method call costs hundreds of instructions compiled)
_UNIT_KEYS: Final = KeyWords((*UNITS, "since"))
_PERFECT_KEYS: Final = KeyWords(("have", "has", "had"))
_SPEECH_KEYS: Final = KeyWords((*SPEECH, "according"))
_PRIORITY: Final = {"span": 4, "earlier": 3, "later": 2, "open": 1, "report": 0}
_SUPERLATIVES: Final = frozenset(("deadliest", "bloodiest", "worst", "highest", "largest", "biggest", "heaviest",
                                  "first", "most", "last", "latest"))
_ATTRIBUTING: Final = frozenset((*SPEECH, "according", "released", "published", "announced", "statement",
                                 "report", "reports", "citing", "quoted"))


def sentence_scope(low: str, keys: int) -> Scope | None:
    """A scope that holds for every figure of the sentence (non-violent, hypothetical), or None."""
    if _NON_VIOLENT_KEYS.in_mask(keys) and "opened fire" not in low and "gunfire" not in low and on(R_NON_VIOLENT):
        m = search_after(_NON_VIOLENT, low, _NON_VIOLENT_STARTS)
        if m is not None:
            fired(R_NON_VIOLENT)
            return Scope(NOT_CASUALTY, m.group())
    if _HYPOTHETICAL_KEYS.in_mask(keys) and on(R_HYPOTHETICAL):
        m = search_after(_HYPOTHETICAL, low, _HYPOTHETICAL_STARTS)
        if m is not None:
            fired(R_HYPOTHETICAL)
            return Scope(NOT_CASUALTY, m.group())
    return None


_THAT_NOT_RELATIVE: Final = frozenset(("so", "such", "said", "says", "say", "reported", "claimed", "announced"))


def _opens_clause(toks: list[str], i: int) -> bool:
    t = toks[i]
    if t in _BOUNDARY_WORDS or (toks[i - 1] == "," and t in _AFTER_COMMA):
        return True
    # a relative "that" ("the attack that killed ..."), not reported speech ("said that ...")
    return t == "that" and toks[i - 1] not in _THAT_NOT_RELATIVE


_CLAUSE_WORDS: Final = _BOUNDARY_WORDS | _AFTER_COMMA | {"that"}
_CLAUSE_WORDS_OR_COMMA: Final = _CLAUSE_WORDS | {","}


_RANKING: Final = _SUPERLATIVES | ORDINALS
"""Words that rank an event among others ("the third attack", "the deadliest")."""


def _closes_attribution(toks: list[str], comma: int) -> bool:
    """Whether the comma at ``comma`` ends an attribution told after the figures ("..., police
    said on Monday,"): a speech verb among the four tokens before it, after a comma of its own."""
    for j in range(comma - 1, max(comma - 5, 0), -1):
        t = toks[j]
        if t in SPEECH:
            return toks[j - 1] != "," and any(toks[k] == "," for k in range(max(j - 4, 0), j))
        if t == ",":
            return False
    return False


def clause_bounds(toks: list[str], markers: list[int]) -> list[int]:
    """Token indices where a new clause starts (always including 0), sorted."""
    starts = [0]
    # (only tokens that can open a clause are examined: a set lookup each, no call)
    n = len(toks)
    for i in range(1, n):
        t = toks[i]
        if t not in _CLAUSE_WORDS_OR_COMMA:
            continue
        if t != ",":
            if _opens_clause(toks, i):
                starts.append(i)
        elif i + 2 < n and toks[i + 1] in ("the", "a") and toks[i + 2] in _RANKING:
            # "..., the third attack in the city this week": an appositive that ranks the event
            # among others has times of its own
            starts.append(i + 1)
        elif i + 1 < n and _closes_attribution(toks, i):
            # "..., officials said on Monday, the 40th such attack this year": an aside about
            # the report follows the attribution, with times of its own
            starts.append(i + 1)
    for m in markers:
        # "a week after": the clause starts at the distance ("a week"), not at "after"
        j = m - 1
        while j > 0 and toks[j - 1] not in (",", ";") and m - j < 4 and toks[j - 1] not in _BOUNDARY_WORDS:
            j -= 1
        starts.append(j)
    return sorted(set(starts))


def clause_of(starts: list[int], tok: int) -> int:
    """The index of the clause (see :func:`clause_bounds`) that token ``tok`` lies in."""
    k = 0
    for idx, s in enumerate(starts):
        if s <= tok:
            k = idx
        else:
            break
    return k


def _relation(times: list[TimeExpr]) -> TimeExpr | None:
    best: TimeExpr | None = None
    for t in times:
        if best is None or _PRIORITY[t.relation] > _PRIORITY[best.relation]:
            best = t
    return best


def _perfect_infinitive(toks: list[str], trigger: int) -> bool:
    """Whether the verb is a perfect infinitive ("claimed to have killed 50"): a claim about the
    event told, not a campaign's present perfect ("forces have killed 500 since May")."""
    for j in range(trigger - 1, max(trigger - 4, 0), -1):
        if toks[j] == "have":
            return j > 0 and toks[j - 1] == "to"
    return False


def _verb_group(toks: list[str], trigger: int) -> list[str]:
    """The auxiliaries before a trigger ("have also been", "had")."""
    out: list[str] = []
    j = trigger - 1
    while j >= 0 and trigger - j <= 4 and toks[j] in ("have", "has", "had", "been", "also", "reportedly", "now",
                                                        "already", "since", "being", "be"):
        out.append(toks[j])
        j -= 1
    return out


_SCENE_BEFORE: Final = frozenset(("during", "at", "attending", "targeting", "outside"))
"""Words before a commemoration that make it the scene of the event ("a bomb went off during a
memorial service", "gunmen fired at an anniversary rally"), not what the figures commemorate."""


_GATHERINGS: Final = frozenset((
    "ceremony", "ceremonies", "rally", "gathering", "procession", "march", "service", "event", "celebration",
    "celebrations", "festival", "crowd", "crowds", "mourners", "pilgrims", "concert", "parade",
))
_MARKING: Final = frozenset(("marking", "mark", "commemorating", "celebrating", "honouring", "honoring", "for", "on"))


def _gathering_for(toks: list[str], i: int) -> bool:
    """Whether the commemoration word at ``i`` is what a gathering that is the event's scene is
    held for ("blasts at a ceremony marking the anniversary of ..."): the gathering is the scene,
    and the commemoration says what brought people there."""
    j = i - 1
    while j >= 0 and i - j <= 3 and toks[j] not in _MARKING:
        j -= 1
    if j < 1 or i - j > 3:
        return False
    # (the gathering itself is where the event happened: "explosions at a ceremony marking ...";
    # "thousands attended a ceremony marking ..." remembers the anniversary's dead)
    return any(toks[k] in _GATHERINGS and any(toks[x] in _SCENE_BEFORE for x in range(max(0, k - 3), k))
               for k in range(max(0, j - 3), j))


def _scene_only(toks: list[str], strong: frozenset[str]) -> bool:
    """Whether every commemoration word of a sentence is the scene of its event: within three
    words after :data:`_SCENE_BEFORE`, with no comma between, or what a gathering is held for
    (:func:`_gathering_for`)."""
    for i, t in enumerate(toks):
        if t not in strong:
            continue
        if _gathering_for(toks, i) and on(R_GATHERING_FOR):
            fired(R_GATHERING_FOR)
            continue
        j = i - 1
        while j >= 0 and i - j <= 3 and toks[j] not in _SCENE_BEFORE and toks[j] != ",":
            j -= 1
        if j < 0 or i - j > 3 or toks[j] not in _SCENE_BEFORE:
            return False
    return True


def _retrospective(toks: list[str], tokset: frozenset[str], times: list[TimeExpr]) -> str | None:
    strong = _RETRO_STRONG & tokset
    if strong and not (on(R_SCENE_COMMEMORATION) and _scene_only(toks, strong)):
        return min(strong)
    if strong:
        fired(R_SCENE_COMMEMORATION)
    remains = _RETRO_REMAINS & tokset
    if not remains:
        return None
    era = _ERA & tokset
    if era:
        return f"{min(remains)} ... {min(era)}"
    if _current_war(tokset):
        # "the remains of 20 Yazidis killed by Islamic State in 2014", exhumed years later: a
        # grave of the war the reports are about, not of another era (a decade or a former regime
        # named beside it still is: "the Saddam era" above)
        return None
    for t in times:
        if t.relation == "earlier" and t.day is None and any(c.isdigit() for c in t.text):
            return f"{min(remains)} ... {t.text}"  # an earlier year or decade
    return None


def remains_of_another_era(hit: Hit, paragraph: list[list[str]], published: date | None,
                           story_year: int | None) -> str | None:
    """For bodies or a grave found, era evidence anywhere in the paragraph ("A mass grave was
    unearthed. The victims were likely killed in the 1980s."), or None."""
    if hit.voice != "body" or not on(R_REMAINS_ERA):
        return None
    # (a year alone does not date a grave of today's wars to another era: see _current_war)
    current = any(_current_war(frozenset(toks)) for toks in paragraph)
    for toks in paragraph:
        cue = era_cue(toks, published, story_year, years=not current)
        if cue is not None:
            fired(R_REMAINS_ERA)
            return cue
    return None


def era_cue(toks: list[str], published: date | None, story_year: int | None, years: bool = True) -> str | None:
    """Words dating victims to an earlier era: a former regime or war, a decade, a year two or
    more years before the report ("likely killed in the 1980s", "victims of the Anfal campaign");
    ``years=False``: no bare year (a decade still counts)."""
    era = _ERA.intersection(toks)
    if era:
        return min(era)
    ref = published.year if published is not None else story_year
    for t in find_times(toks, published, story_year):
        if t.relation != "earlier" or t.day is not None:
            continue
        year = t.text[:4]
        if year.isdigit() and (len(t.text) == 5 or (years and ref is not None and ref - int(year) >= 2)):
            return t.text
    return None


R_WOUNDS_DATED: Final = rule(
    "scope.wounds_dated", "a time dating the wounds a victim died of ('wounds sustained on Monday') dates no death")
_INCURRED: Final = frozenset(("sustained", "suffered", "received", "incurred"))
_WOUND_NOUNS: Final = frozenset(("wounds", "wound", "injuries", "injury"))


R_SPAN_TOLD: Final = rule(
    "scope.span_told", "a span after a speech verb ('said the toll since October had risen') is what was said")


def dates_wounds(toks: list[str], k: int) -> bool:
    """Whether ``toks[k]`` opens a phrase dating wounds ("wounds sustained ... on Monday"): the
    time after it is the day the wounds were taken, not the day of the death the report tells."""
    if toks[k] in _INCURRED and k and toks[k - 1] in _WOUND_NOUNS and on(R_WOUNDS_DATED):
        fired(R_WOUNDS_DATED)
        return True
    return False


def governs(toks: list[str], clause_start: int, t: TimeExpr) -> bool:
    """Whether a time expression dates the figures of its clause. Not when it only compares
    ("the deadliest day this month", "the highest since September") or dates the telling
    ("..., police said on Monday", "according to a report released on Tuesday")."""
    if t.start > clause_start and toks[t.end - 1] == "earlier" and t.end - t.start >= 3:
        # "three days earlier" counts back from another event: fronted ("Three days earlier, the
        # group killed 22") it dates the sentence; after a verb it may date a clause of its own
        # ("executed three villagers they had abducted a week earlier")
        return False
    since = False  # "the deadliest blast in the province since the offensive of 2014"
    spans = t.relation == "span" and on(R_SPAN_TOLD)  # ("said since October" dates no saying)
    for k in range(t.start - 1, clause_start - 1, -1):
        w = toks[k]
        if dates_wounds(toks, k):
            return False
        since = since or w == "since"
        if (w in _SUPERLATIVES or w in _ATTRIBUTING) and (since or t.start - k <= 6):
            if spans and w in _ATTRIBUTING:
                # "the ministry said the toll since October 7 had risen to 37,124": a span is
                # the period of what was said, never the time of the saying
                fired(R_SPAN_TOLD)
                return True
            # (but "the UN said 1,119 were killed last month": the time of what was said)
            return w in _ATTRIBUTING and not since and _reported_clause(toks, k + 1, t.start)
    return True


_FINITE: Final = frozenset(("was", "were", "is", "are", "has", "have", "had", "killed", "died", "wounded",
                            "injured", "dead"))


def _reported_clause(toks: list[str], start: int, end: int) -> bool:
    """Whether the words between a speech verb and a time make a clause of their own (a verb or
    a figure: "said 19 people were killed"): the time then dates what was said, not the saying."""
    return any(toks[k] in _FINITE or toks[k][:1].isdigit() for k in range(start, end))


_DENYING: Final = frozenset(("denied", "denies", "deny", "denying", "dismissed", "dismisses", "dismissing",
                             "rejected", "rejects", "rejecting", "refuted", "refutes", "refuting"))
_REPORTED: Final = frozenset(("reports", "report", "claims", "claim", "rumours", "rumors", "allegations", "that"))
_FALSE: Final = frozenset(("false", "untrue", "unfounded", "baseless", "incorrect", "fabricated"))
_DENIAL_KEYS: Final = KeyWords((*_DENYING, *_FALSE))
_DENIAL_ENDS: Final = frozenset((";", "but", "while", "whereas"))


def _denied_span(toks: list[str], tokset: frozenset[str]) -> tuple[int, int] | None:
    """The tokens whose figures a sentence denies: after "denied reports that", "dismissed claims
    that" (to the clause's end), or between "reports" and a "proved false" after them; or None."""
    if not _DENYING.isdisjoint(tokset):
        for i, t in enumerate(toks):
            if t in _DENYING and any(w in _REPORTED for w in toks[i + 1 : i + 5]):
                end = next((k for k in range(i + 1, len(toks)) if toks[k] in _DENIAL_ENDS), len(toks))
                return i, end
    if not _FALSE.isdisjoint(tokset):
        for i, t in enumerate(toks):
            if t in ("reports", "claims", "rumours", "rumors"):
                for k in range(i + 1, min(len(toks), i + 16)):
                    if toks[k] in _FALSE:
                        return i, k
    return None


R_RUNNING_TOTAL: Final = rule(
    "scope.running_total",
    "'..., taking the week's tally to 31 dead': the figures of a running total are not new",
)
_BRINGING: Final = ("bringing", "raising", "pushing", "taking", "brings", "raises", "pushes", "takes")
_RUNNING_KEYS: Final = KeyWords(_BRINGING)
_TOTAL_NOUNS: Final = frozenset(("total", "toll", "tally", "number", "count", "figure"))


def running_total_span(toks: list[str]) -> tuple[int, int] | None:
    """The tokens of "taking the (week's) tally to": (index of the verb, index of "to"), or None."""
    for i, t in enumerate(toks):
        if t not in _BRINGING:
            continue
        for j in range(i + 1, min(len(toks) - 1, i + 6)):
            if toks[j] in _TOTAL_NOUNS and toks[j + 1] == "to":
                return i, j + 1
            if toks[j] in (",", ";", "."):
                break
    return None


def hit_scopes(toks: list[str], tokset: frozenset[str], keys: int, low: str, hits: list[Hit],
               times: list[TimeExpr]) -> list[Scope]:
    """The scope of each hit of one tokenised sentence (``keys``: its key-word mask; ``times``:
    its time expressions, :func:`extractors.timex.sentence_times`). Figures the sentence denies
    ("the army denied reports that 30 soldiers were killed") are not casualties."""
    scopes = _hit_scopes(toks, tokset, keys, low, hits, times)
    if len(toks) > 2 and toks[0] == "of" and toks[1] == "the" and on(R_PARTITIVE):
        # "Of the 31 killed, 25 were militants": the figures told already, broken down
        for n, h in enumerate(hits):
            if h.start == 2:
                fired(R_PARTITIVE)
                scopes = [*scopes[:n], Scope(RESTATED, "of the"), *scopes[n + 1:]]
    if len(hits) > 1 and _ONE_KEYS.in_mask(keys) and "of" in tokset and on(R_ONE_OF):
        scopes = _one_of_many(toks, hits, scopes)
    if len(hits) > 1 and _INSTEAD_KEYS.in_mask(keys) and on(R_INSTEAD):
        scopes = _other_account(toks, hits, scopes)
    if _OWNING_UP_KEYS.in_mask(keys) and on(R_CONFESSED):
        for n, h in enumerate(hits):
            cue = _owned_up(toks, h.trigger)
            if cue is not None and scopes[n].kind == EVENT:
                fired(R_CONFESSED)
                scopes = [*scopes[:n], Scope(EARLIER, cue), *scopes[n + 1:]]
    if _RUNNING_KEYS.in_mask(keys) and len(hits) > 1 and on(R_RUNNING_TOTAL):
        span = running_total_span(toks)
        if span is not None:
            for n, h in enumerate(hits):
                if h.groups and h.groups[0].start > span[1] and scopes[n].kind == EVENT:
                    fired(R_RUNNING_TOTAL)
                    scopes = [*scopes[:n], Scope(CUMULATIVE, "bringing the total to"), *scopes[n + 1:]]
    if _DENIAL_KEYS.in_mask(keys) and on(R_DENIED):
        span = _denied_span(toks, tokset)
        if span is not None and any(span[0] < h.start < span[1] for h in hits):
            fired(R_DENIED)
            scopes = [Scope(NOT_CASUALTY, "denied") if span[0] < h.start < span[1] else sc
                      for h, sc in zip(hits, scopes, strict=True)]
    return scopes


_SEVERAL_EVENTS: Final = frozenset((
    "violence", "attacks", "incidents", "bombings", "shootings", "clashes", "across", "nationwide", "parts",
    "separate", "throughout", "elsewhere", "around", "country", "countrywide",
))


def _one_of_many(toks: list[str], hits: list[Hit], scopes: list[Scope]) -> list[Scope]:
    """"A leader was shot dead in X, one of eight people killed ...": the eight include him. When
    the figure's clause spans several events ("in violence across the country") it is the day's
    total, not an incident; otherwise it is his event's toll and his own figure is part of it."""
    for n in range(1, len(hits)):
        h = hits[n]
        g = h.groups[0]
        s = g.start
        if not (s >= 3 and toks[s - 1] == "of" and toks[s - 2] == "one" and toks[s - 3] == ","
                and h.kind == "k" and g.value > 1 and hits[n - 1].kind == "k" and hits[n - 1].value == 1):
            continue
        end = h.end
        while end < len(toks) and toks[end] not in (",", ";", "."):
            end += 1
        fired(R_ONE_OF)
        if not _SEVERAL_EVENTS.isdisjoint(toks[h.end:end]):
            scopes = [*scopes[:n], Scope(REPORT_TOTAL, "one of"), *scopes[n + 1:]]
        else:
            scopes = [*scopes[:n - 1], Scope(RESTATED, "one of"), *scopes[n:]]
    return scopes


_CONTRAST: Final = frozenset(("however", "but", "while", "whereas"))


def _other_account(toks: list[str], hits: list[Hit], scopes: list[Scope]) -> list[Scope]:
    """"Troops reported killing 20 fighters near X; however, the police reported 19 civilians'
    bodies instead": two accounts of one event's dead, not two events. The larger figure is
    kept (as the figure rule keeps the highest of two outlets'), the other is a restatement."""
    where = [i for i, t in enumerate(toks) if t in _CONTRAST]
    if not where:
        return scopes
    c = where[0]
    before = [n for n, h in enumerate(hits) if h.kind == "k" and h.trigger < c and scopes[n].kind == EVENT]
    after = [n for n, h in enumerate(hits) if h.kind == "k" and h.trigger > c and scopes[n].kind == EVENT]
    if len(before) != 1 or len(after) != 1 or "instead" not in toks[c:]:
        return scopes
    a, b = before[0], after[0]
    drop = b if hits[b].value <= hits[a].value else a
    fired(R_INSTEAD)
    return [*scopes[:drop], Scope(RESTATED, "instead"), *scopes[drop + 1:]]


_PUNISHED: Final = frozenset((
    "executed", "sentenced", "hanged", "convicted", "jailed", "arrested", "detained", "beheaded", "punished",
    "condemned", "tried", "charged", "accused", "imprisoned", "suspected", "guilty",
))
"""Words of a punishment or a charge, whose reason ("for murdering a guard", "accused of killing")
is a past crime."""
_CONFESSING: Final = frozenset(("confessed", "confesses", "confessing", "confess", "admitted", "admits",
                                "admitting", "admit"))
_CLAIMING: Final = frozenset(("claimed", "claims", "claiming", "claim", "boasted", "boasting", "bragged"))
_OWNING_UP: Final = _CONFESSING | _CLAIMING
_OWNING_UP_KEYS: Final = KeyWords((*_OWNING_UP, *_PUNISHED))
_ONE_KEYS: Final = KeyWords(("one",))
_INSTEAD_KEYS: Final = KeyWords(("instead",))
_IN_CUSTODY: Final = frozenset(("suspect", "suspects", "detainee", "detainees", "prisoner", "prisoners",
                                "arrested", "detained", "captured", "confessed", "confessions", "confession"))


def _owned_up(toks: list[str], t: int) -> str | None:
    """A killing someone owns up to: "confessed to killing", "admitted murdering" (a crime of the
    past, whenever it is told), or "claiming to have killed" said by someone in custody (a group's
    claim of a fresh attack stays an event). Returns the words, else None."""
    if t >= 2 and toks[t - 1] == "to" and toks[t - 2] in _CONFESSING:
        return f"{toks[t - 2]} to {toks[t]}"
    if t >= 2 and toks[t - 1] in ("for", "of") and toks[t].endswith("ing") and not _PUNISHED.isdisjoint(
            toks[max(0, t - 6) : t - 1]):
        return f"{toks[t - 1]} {toks[t]}"  # "executed for murdering a guard": the crime is past
    if t >= 1 and toks[t - 1] in _CONFESSING:
        return f"{toks[t - 1]} {toks[t]}"
    if t >= 3 and toks[t - 1] == "have" and toks[t - 2] == "to" and toks[t - 3] in _OWNING_UP and (
            toks[t - 3] in _CONFESSING or not _IN_CUSTODY.isdisjoint(toks[:t - 3])):
        return f"{toks[t - 3]} to have {toks[t]}"
    return None


R_SINCE_TODAY: Final = rule(
    "scope.since_today", "'killed since the fighting began yesterday': a span from the report's own days is its own"
)


def _since_the_reports_days(times: list[TimeExpr], since: TimeExpr) -> bool:
    """Whether a "since" is followed, within its clause's few words, by a day of the report itself
    (today, yesterday, the report's weekday): the span is the report's own coverage."""
    return any(t.relation == "report" and t.day is not None and 0 <= t.start - since.end <= 5 for t in times)


R_GATHERING_FOR: Final = rule(
    "scope.gathering_for",
    "'blasts at a ceremony marking the anniversary of X's death': the gathering is the scene, the anniversary "
    "its reason")
R_CLAUSE_PART: Final = rule(
    "scope.clause_part",
    "an accident or a modal told in one clause ('a day after eight died in a stampede') scopes that clause's "
    "figures only")
R_ASIDE_TIME: Final = rule(
    "scope.aside_time",
    "a time inside a relative clause between commas ('X, where ... on Sunday,') dates that clause only")
_RELATIVE_OPENERS: Final = frozenset(("where", "which", "who", "whose", "whom"))


def _in_relative_aside(toks: list[str], t: TimeExpr, hits: list[Hit]) -> bool:
    """Whether a time lies in a relative clause set off by commas (", where a siege was broken
    on Sunday,") that holds no casualty verb of the sentence: it dates that clause's own event."""
    j = t.start - 1
    while j >= 0 and toks[j] not in (",", ";", ".", ":"):
        j -= 1
    if j < 0 or toks[j] != "," or j + 1 >= len(toks) or toks[j + 1] not in _RELATIVE_OPENERS:
        return False
    k = t.end
    while k < len(toks) and toks[k] not in (",", ";", ".", ":"):
        k += 1
    if k >= len(toks) or toks[k] != ",":
        return False
    return not any(j < h.trigger < k for h in hits)


def _hit_scopes(toks: list[str], tokset: frozenset[str], keys: int, low: str, hits: list[Hit],
                times: list[TimeExpr], whole_read: bool = False) -> list[Scope]:
    whole = None if whole_read else sentence_scope(low, keys)
    if whole is not None:
        if ";" in tokset and on(R_SEMICOLON_PART):
            # "three soldiers were killed by a bomb; a fourth died in an accident": the cue holds
            # for the figures of its own part of the sentence only
            part = low.count(";", 0, max(0, low.find(whole.cue)))
            parts = [sum(1 for t in toks[: h.trigger] if t == ";") for h in hits]
            if any(p != part for p in parts):
                fired(R_SEMICOLON_PART)
                rest = _hit_scopes(toks, tokset, keys, low, hits, times, whole_read=True)
                return [whole if p == part else r for p, r in zip(parts, rest, strict=True)]
        if len(hits) > 1 and on(R_CLAUSE_PART):
            # "gunmen killed three ..., a day after eight died in a stampede": the cue holds for
            # the figures of its own clause when another clause has figures of its own
            cue_word = whole.cue.rsplit(" ", 1)[-1]
            cue_at = toks.index(cue_word) if cue_word in tokset else -1
            if cue_at >= 0:
                starts = clause_bounds(toks, anterior_markers(toks))
                cue_clause = clause_of(starts, cue_at)
                clauses = [clause_of(starts, h.trigger) for h in hits]
                if cue_clause in clauses and any(c != cue_clause for c in clauses):
                    fired(R_CLAUSE_PART)
                    rest = _hit_scopes(toks, tokset, keys, low, hits, times, whole_read=True)
                    return [whole if c == cue_clause else r for c, r in zip(clauses, rest, strict=True)]
        return [whole] * len(hits)
    # (the anterior markers need a unit word: "a week after")
    timed = bool(times) or _UNIT_KEYS.in_mask(keys)
    if _RETRO_KEYS.in_mask(keys) and on(R_RETRO):
        cue = _retrospective(toks, tokset, times)
        if cue is not None:
            fired(R_RETRO)
            return [Scope(RETROSPECTIVE, cue)] * len(hits)
    if not timed and not _PERFECT_KEYS.in_mask(keys):
        return [PLAIN_EVENT] * len(hits)
    markers = anterior_markers(toks) if timed else []
    if markers and times:
        # "the worst since 2015": "since" opens a time there, not an earlier event's clause
        markers = [m for m in markers if toks[m] != "since" or not any(t.start <= m + 1 < t.end for t in times)]
    # (clauses matter only to place the times: a sentence without any is one clause for the
    # perfect-aspect tests below)
    starts = clause_bounds(toks, markers) if times or markers else [0]
    marker_clauses = {clause_of(starts, m) for m in markers}
    by_clause: dict[int, list[TimeExpr]] = {}
    last_time: dict[int, TimeExpr] = {}
    for t in times:
        if "," in toks and _in_relative_aside(toks, t, hits) and on(R_ASIDE_TIME):
            fired(R_ASIDE_TIME)  # "In X, where a siege was broken on Sunday, 14 were killed"
            continue
        c = clause_of(starts, t.start)
        last_time[c] = t
        if not on(R_NOT_GOVERNING) or governs(toks, starts[c], t):
            by_clause.setdefault(c, []).append(t)
        else:
            fired(R_NOT_GOVERNING)
    # ", when 33 people were killed": a clause opened by "when" refers to the time just named
    if on(R_WHEN):
        for c, s in enumerate(starts):
            if c and toks[s] == "when" and c not in by_clause and (c - 1) in last_time:
                by_clause[c] = [last_time[c - 1]]
                fired(R_WHEN)
    relative_of: dict[int, int] = {}  # a relative clause -> the clause of its antecedent
    if on(R_RELATIVE):
        for c, s in enumerate(starts):
            if c and toks[s] in ("that", "which") and c not in by_clause and (
                (c - 1) in last_time or (c - 1) in marker_clauses
            ):
                # "the deadliest since the 2008 assault on Mumbai that killed 166": the relative
                # clause tells of its antecedent, at the antecedent's time
                fired(R_RELATIVE)
                relative_of[c] = c - 1
                if (c - 1) in by_clause:
                    by_clause[c] = by_clause[c - 1]
    # a time written at the head of the sentence, before any figure, governs the clauses without one
    first_hit = min((h.start for h in hits), default=len(toks))
    fronted = [t for t in by_clause.get(0, []) if t.end <= first_hit] if starts and on(R_FRONTED) else []
    speech = _SPEECH_KEYS.in_mask(keys)
    out: list[Scope] = []
    for h in hits:
        c = clause_of(starts, h.trigger)
        own = by_clause.get(c)
        mc = relative_of.get(c, c)
        if mc in marker_clauses and on(R_ANTERIOR):
            fired(R_ANTERIOR)
            m = next(m for m in markers if clause_of(starts, m) == mc)
            out.append(Scope(EARLIER, " ".join(toks[max(starts[mc], m - 3) : m + 1])))
            continue
        governing = _relation(own) if own else (_relation(fronted) if fronted else None)
        if governing is not None and not own:
            fired(R_FRONTED)
        aux = _verb_group(toks, h.trigger)
        active = h.voice == "active"
        left = h.start - 1 if h.start > 0 and toks[h.start - 1] in ("left", "leaving") else -1
        if left >= 0 and not active:
            # "the insurgency has left 40,000 people dead": the verb is "left", with its subject
            aux, active = _verb_group(toks, left), True
        if (governing is None or governing.relation == "open") and active and (
            "have" in aux or "has" in aux
        ) and not _perfect_infinitive(toks, h.trigger) and on(R_CAMPAIGN):
            # "the clashes have claimed 100 lives until now": a campaign's toll, not the event's
            lo = max(starts[c], h.trigger - 8)
            if toks[starts[c]] in ("that", "which") and starts[c] >= 1:
                lo = max(0, starts[c] - 4)  # "a string of attacks that have killed hundreds": the antecedent
            # a campaign word in a phrase that modifies people ("troops of Operation X have killed
            # seven") is not the subject: the people are
            campaign = {
                toks[i] for i in range(lo, h.trigger) if toks[i] in _CAMPAIGN_SUBJECTS
                and not (i >= 2 and toks[i - 1] == "of" and toks[i - 2] in PERSON_WORDS)
            }
            if campaign:
                fired(R_CAMPAIGN)
                out.append(Scope(CUMULATIVE, f"{min(campaign)} have {toks[h.trigger]}"))
                continue
        if governing is not None and governing.relation in ("span", "open") and on(R_SPAN):
            if governing.text == "since" and _since_the_reports_days(times, governing) and on(R_SINCE_TODAY):
                # "killed since fighting began yesterday": a span from the report's own days is its
                fired(R_SINCE_TODAY)
                out.append(PLAIN_EVENT)
                continue
            fired(R_SPAN)
            out.append(Scope(CUMULATIVE, governing.text))
            continue
        if governing is not None and governing.relation == "earlier" and h.voice == "body" and _killing_dated(
                toks, h, governing) and on(R_GRAVE_FOUND_NOW):
            # "a grave holding 20 villagers killed by the group in 2014 was exhumed": the year
            # dates the killing; the grave is found now (another era is told apart above)
            fired(R_GRAVE_FOUND_NOW)
            out.append(PLAIN_EVENT)
            continue
        if governing is not None and governing.relation in ("earlier", "later") and on(R_EARLIER):
            fired(R_EARLIER)
            out.append(Scope(EARLIER if governing.relation == "earlier" else NOT_CASUALTY, governing.text))
            continue
        if governing is None and "had" in aux and not speech and on(R_PAST_PERFECT):
            fired(R_PAST_PERFECT)
            out.append(Scope(EARLIER, "had " + toks[h.trigger]))
            continue
        out.append(PLAIN_EVENT)
    return out
