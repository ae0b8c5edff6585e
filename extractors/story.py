"""Step ``story``: a wire story about one event is one incident, told many times.

A wire story opens with its toll ("A suicide bomber killed 14 people at a checkpoint in X on
Sunday, police said") and then tells the same event again: breakdowns ("five of the dead were
soldiers"), quotes with their own figures, the wounded in a later sentence, a toll that rose
("the death toll has risen to 20"), the attackers killed in the ensuing clashes. A round-up lists
many events at many places instead. So:

* **layout**: an article is a story when it states no report-level total, its first incident is
  in its opening paragraphs, and fewer than :data:`ROUNDUP_PLACES` of its incidents name a place
  of their own (a round-up names a place in every line; a story names its place once or twice
  and then says "the attack", "the blast");
* **lead**: the incident whose figures the headline states, else the first one;
* **separate events**: a later incident stays separate when its sentence marks it as another
  event ("in another attack", "separately", "elsewhere"); when it happened at a place of its own
  that neither contains nor lies in the lead's place and it does not refer back ("in the
  attack", "one of the dead"); when its clause names a cause of another kind than the lead's (a bomb after a
  shooting; explosions of any kind are one kind, as are firearms); when it was
  split by a new cause from a sentence that tells the lead's event; or when, told with a cause
  and a place of its own, it makes up the part of the headline's toll the lead leaves out;
* **restatements**: an incident with exactly the lead's figures is the lead told again, when
  they are specific (3 casualties or more) or told at no other place;
* **the same event**, everything else: its figures fill what the event told last (the lead, or
  a separate event told after it) lacks (a wounded figure told apart), never add to it, except
  victims of a side it does not count (attackers killed in the clashes that followed, when the
  text says they died, with their wounded);
* **running tolls** ("so far, 40 bodies have been recovered") are updates of the same kind;
* **claims**: a figure told by an armed group ("the Taliban said they killed 20") or called
  unverified or denied never raises the event's figures;
* **toll updates** about the story's event ("the toll rose to 20", "bringing the death toll to
  83") raise the lead to the final figure: the largest, never a sum. A source's figure that is
  not an update ("the toll was put at 11") changes nothing.
"""

from __future__ import annotations

import re
from typing import Final

from extractors.assemble import series_event, series_name
from extractors.attribution import disputed_claim
from extractors.clauses import SPEECH, Group, Hit
from extractors.gazetteer import Place, place_contains
from extractors.locations import scene_capital, scene_place, treated_at
from extractors.pipeline import Doc, Draft, step
from extractors.quantities import VAGUE, Quantity
from extractors.rules import fired, on, rule
from extractors.scope import RUNNING_CUES
from extractors.segment import KeyWords, Sentence, key_mask, safe_lower

R_STORY: Final = rule("story.layout", "an article about one event: its retellings fold into its lead")
R_HEADLINE_LEAD: Final = rule("story.headline_lead", "the lead is the incident whose figures the headline states")
R_RETOLD: Final = rule("story.retold", "an event's own figures told again are that event")
R_SAME_SENTENCE: Final = rule("story.same_sentence", "split by a new cause from a sentence telling the lead")
R_MARKED: Final = rule("story.marked_separate", "'in another attack', 'separately', 'elsewhere': another event")
R_HEADLINE_PART: Final = rule("story.headline_part", "makes up the part of the headline toll the lead leaves out")
R_PLACE: Final = rule("story.other_place", "told at a place of its own, outside the lead's: another event")
R_ANOTHER_DEVICE: Final = rule("story.another_device",
                               "'a second bomb', 'another bomber': one more attack, not the lead told again")
R_EARLIER_THAT_DAY: Final = rule("story.earlier_that_day",
                                  "'Earlier on Friday, a bomb killed...': an attack before the lead's")
R_METHOD: Final = rule("story.other_method", "a cause of another kind than the lead's: another event")
R_ATTACKERS: Final = rule("story.attackers", "the attackers killed, or their victims after them, add to the event")
R_ALSO_OTHERS: Final = rule(
    "story.also_others", "'N soldiers were also killed' after a toll of other kinds of victims adds to the event")
R_FOLD: Final = rule("story.fold", "a retelling fills what the event lacks, never adds")
R_TOLL: Final = rule("story.toll_update", "'the toll rose to 20' raises the lead to the final figure")
R_TOLL_LEVEL: Final = rule(
    "story.toll_level", "a toll's level stated without a change ('officials put the toll at 35') gives the figure "
    "of a side the lead told only vaguely ('killed dozens') or not at all")
R_RUNNING: Final = rule("story.running_toll", "'so far, 40 bodies were recovered' raises the lead too")
R_PLACES_OF_LEAD: Final = rule(
    "story.places_of_lead",
    "later incidents at two or more places whose killed add up exactly to the lead's toll tell where its dead "
    "fell, not more dead",
)
R_PARTS_PLACED: Final = rule(
    "story.parts_placed",
    "a lead naming several places, broken down by place later ('the first, in A, killed 27'): the parts are the "
    "incidents")
R_TREATED_AT: Final = rule(
    "story.treated_at", "a toll update naming the town of a hospital ('died in hospital in X') is the event's own")
R_FINER_PLACE: Final = rule("story.finer_place", "a retelling naming a town in the event's province places it")
R_CLAIM: Final = rule("story.claim", "an armed group's claim or a disputed figure never raises the event's toll")
R_TOLL_LEAD: Final = rule("story.toll_lead", "a story opening with a toll statement ('the toll passed 150') leads")
R_HEADLINE_READING: Final = rule(
    "story.headline_reading",
    "read as a round-up when the incidents one by one come nearer the headline's toll than the story folded",
)
R_SCENE: Final = rule("story.scene", "'The bombing took place in X' places a story whose lead names only a country")
R_SERIES: Final = rule("story.series", "'the first blast', 'the restaurant attack': the event of a series it names")
R_SIMILAR: Final = rule(
    "story.similar_background",
    "'in a similar attack' with no time of the report's own: an earlier event recalled, not counted",
)
_SIMILAR_EVENT: Final = re.compile(
    r"\bsimilar (?:[a-z\-]+ )?(?:attacks?|incidents?|raids?|bombings?|assaults?|ambush(?:es)?|strikes?|"
    r"massacres?|killings?|blasts?|explosions?)\b"
)
_COARSE: Final = frozenset(("country", "region"))
ROUNDUP_PLACES: Final = 4
"""Distinct place names of incidents (their own or their paragraph's) that make an article a round-up."""

_SPECIFIC: Final = 3
"""Killed plus wounded from which equal figures are the same event told again even at another
place name (a story may name the district in one line and the city in the next)."""
_SEPARATE_KEYS: Final = KeyWords(("another", "separately", "separate", "elsewhere", "meanwhile", "second"))
_SEPARATE_PHRASES: Final = (
    "in another", "in a separate", "separately", "elsewhere", "meanwhile", "in a second", "also on",
)


_ROAD_WORDS: Final = ("highway", "road", "expressway", "motorway", "national highway")


def _road_end(d: Draft) -> bool:
    """Whether the draft's place is one end of a road named after two places ("on the X-Y
    highway"): it tells the road, not which end, so it does not set the event apart."""
    m = d.mention
    if m is None:
        return False
    text, base = d.sentence.text, d.sentence.start
    a, b = m.start - base, m.end - base
    if not (0 <= a <= b <= len(text)):
        return False
    hyphen_before = a > 0 and text[a - 1] == "-"
    rest = text[b:]
    if rest.startswith("-"):
        rest = rest[1:].split(" ", 1)[1] if " " in rest else ""
    elif not hyphen_before:
        return False
    return rest.lstrip().lower().startswith(_ROAD_WORDS)


def _place_of(d: Draft) -> tuple[Place | None, str | None]:
    """The place a draft is told at: its own mention, an unknown name, else its paragraph's place."""
    if d.mention is not None and d.mention.place is not None and not _road_end(d):
        return d.mention.place, None
    if d.unknown_name is not None:
        return None, d.unknown_name.lower()
    if d.context_mention is not None and d.context_mention.place is not None:
        return d.context_mention.place, None
    return None, None


def _distinct(a: Draft, b: Draft) -> bool:
    """Two drafts told at places that are known, different, and not one inside the other."""
    pa, na = _place_of(a)
    pb, nb = _place_of(b)
    if pa is not None and pb is not None:
        return not (place_contains(pa, pb) or place_contains(pb, pa))
    if na is not None and nb is not None:
        return na != nb
    return False


def _same_place(a: Draft, b: Draft) -> bool:
    """Two drafts told at the same place, or one inside the other (a name the gazetteer lacks is
    the same only as the same name)."""
    pa, na = _place_of(a)
    pb, nb = _place_of(b)
    if pa is not None and pb is not None:
        return place_contains(pa, pb) or place_contains(pb, pa)
    return na is not None and (na == nb or (pb is not None and na == pb.name.lower()))


def _own_place(d: Draft) -> bool:
    return (d.mention is not None and d.mention.place is not None and not _road_end(d)) or d.unknown_name is not None


def _similar_background(d: Draft, lower: str) -> bool:
    """A story's sentence that tells "a similar attack" and gives it no time of the report's own
    period: the comparison recalls an earlier event (in a round-up, "in a similar incident" is
    the day's next event, and round-ups never reach this step)."""
    if _SIMILAR_EVENT.search(lower) is None:
        return False
    return not any(t.relation == "report" for t in (d.sentence.times or ()))


R_CAMPAIGN_BACKGROUND: Final = rule(
    "story.campaign_background",
    "a figure larger than the story's event, told of 'the war', 'the insurgency', 'the campaign' at no day of "
    "the report, is the long event's toll",
)
_LONG_EVENTS: Final = frozenset((
    "war", "campaign", "conflict", "uprising", "insurgency", "occupation", "blockade", "revolution",
))
"""(not "the siege", "the battle", "the offensive": a story's own event is often called so, as a
university stormed for a day is "the siege" of its wounded)"""
_DURING: Final = frozenset(("during", "in", "throughout", "over", "since"))


def _campaign_background(d: Draft) -> bool:
    """Whether the draft's sentence sets its figure in a long event ("during the war", "in the
    two-year insurgency") and names no day of the report."""
    toks = d.sentence.toks
    n = len(toks)
    found = False
    for i in range(n - 2):
        if toks[i] in _DURING and toks[i + 1] == "the":
            j = i + 2
            while j < n and j - i < 5 and toks[j] not in _LONG_EVENTS and not toks[j].isalpha():
                j += 1  # ("the two-year war", "the 10-month insurgency": a hyphenated span first)
            if j < n and toks[j] in _LONG_EVENTS:
                found = True
                break
    if not found:
        return False
    return not any(t.relation == "report" and t.day is not None for t in (d.sentence.times or ()))


def _marked_separate(d: Draft, lower: str) -> bool:
    if not _SEPARATE_KEYS.in_mask(key_mask(d.sentence)):
        return False
    return any(p in lower for p in _SEPARATE_PHRASES)


_ANOTHER_DEVICE: Final = re.compile(
    r"\b(?:an?(?: [a-z\-]+)? (?:second|third|fourth|fifth)|another)(?: [a-z\-]+){0,2}? "
    r"(?:bomb|blast|explosion|bombing|bomber|attacker|attack|strike|airstrike|ambush|raid|device|rocket|shell|"
    r"drone|missile|shooting)s?\b"
)
"""An attack introduced as one more ("a second bomb", "another suicide bomber", "a third blast"):
the indefinite article tells that the story has not counted it yet."""
_SERIES_WORDS: Final = ("twin", "two ", "three ", "series", "blasts", "bombs", "explosions", "bombings", "attacks",
                        "strikes", "bombers", "attackers")
"""A lead that already tells several attacks ("twin blasts killed 8"): a second one told later is
one of them."""


_ORDINAL_KEYS: Final = KeyWords(("another", "second", "third", "fourth", "fifth"))


def _another_device(lower: str, lead_lower: str, keys: int) -> bool:
    """Whether a story's later sentence brings in one more attack ("A second bomb went off an hour
    later, killing three"), its lead telling one attack only."""
    if not (_ORDINAL_KEYS.in_mask(keys) and ("another" in lower or "second" in lower or "third" in lower
                                              or "fourth" in lower or "fifth" in lower)):
        return False
    if _ANOTHER_DEVICE.search(lower) is None or any(w in lead_lower for w in _SERIES_WORDS):
        return False
    if on(R_ANOTHER_DEVICE):
        fired(R_ANOTHER_DEVICE)
        return True
    return False


_EARLIER_OPENINGS: Final = ("earlier on ", "earlier in the day", "earlier that day", "earlier the same day",
                             "earlier that morning", "earlier that night", "earlier this morning")
"""Openings that date a sentence's event before the lead's on the story's own day(s)."""


def _earlier_that_day(d: Draft, lead: Draft, lower: str) -> bool:
    """Whether a story's later sentence tells an attack of its own that came before the lead's
    event ("Earlier on Friday, a bomb in another town killed 14"): a cause or a place of its own
    is asked for, since "Earlier on Friday, officials put the toll at 100" retells the lead, and
    neither a reference back ("in the raid") nor the lead's own place."""
    if not lower.startswith(_EARLIER_OPENINGS) or d.back_reference or d.subset:
        return False
    own = _own_place(d)
    if not (d.has_cause or own) or (own and _same_place(d, lead)):
        return False
    if on(R_EARLIER_THAT_DAY):
        fired(R_EARLIER_THAT_DAY)
        return True
    return False


_MANY_EVENTS: Final = frozenset((
    "separate", "roundup", "round-up", "briefs", "digest", "across", "nationwide", "incidents", "events",
))
"""Words by which a title or a lead tells of several events ("in separate incidents", "across
the country", "daily roundup"); plural nouns that are also verbs ("attacks", "strikes") are not
among them."""


def _tells_many(toks: list[str]) -> bool:
    return not _MANY_EVENTS.isdisjoint(toks)


_LEAD_SENTENCES: Final = 3
"""Full sentences that may come before a story's toll (a stored page often opens with a
caption or a byline first, which are short)."""
_FULL: Final = 15
"""Words from which a line is a full sentence of the story, not a caption or a byline."""


def _in_lead(doc: Doc, d: Draft) -> bool:
    """Whether the incident is told within the first few full sentences of the article."""
    before = 0
    for sent in doc.sentences:
        if sent is d.sentence:
            return True
        if sent.text.count(" ") + 1 >= _FULL:
            before += 1
            if before > _LEAD_SENTENCES:
                return False
    return False


def _lead_sentences(doc: Doc) -> set[int]:
    """Indexes of the sentences up to the last full sentence a story's toll may come in."""
    out: set[int] = set()
    full = 0
    for sent in doc.sentences:
        out.add(sent.index)
        if sent.text.count(" ") + 1 >= _FULL:
            full += 1
            if full >= _LEAD_SENTENCES:
                break
    return out


@step("lead_toll")
def lead_toll_step(doc: Doc) -> None:
    """A report that states no total and opens with a toll statement ("The death toll from
    Monday's bombing has passed 150, the president said"), with no casualty clause before it:
    the statement's figure is the report's first incident (read as a clause would be), so the
    story step can lead with it and later figures fold into it."""
    if doc.stated_killed is not None or doc.stated_wounded is not None or not on(R_TOLL_LEAD):
        return
    lead = _lead_sentences(doc)
    for sh in doc.sent_hits:
        if sh.sentence.index not in lead or sh.hits:
            return
        # (an update with no increase to keep, "the toll from Monday's bombing rose to 40", leads too:
        # the follow-up story's event is that bombing, at its new figure)
        if sh.toll is not None and sh.excluded in (None, "toll"):
            kind, q, _ = sh.toll
            fired(R_TOLL_LEAD)
            group = Group("unknown", q.value, q.low, q.high, None, q.start, q.end, q.qualifier)
            sh.hits = [Hit(kind, q.start, q.start, q.end, [group], "passive"), *sh.beside_toll]
            sh.excluded = None
            return


def is_story(doc: Doc) -> bool:
    """A single-event story rather than a round-up (see the module docstring)."""
    if doc.stated_killed is not None or doc.stated_wounded is not None or not doc.drafts:
        return False
    first = doc.drafts[0]
    if not _in_lead(doc, first) or _tells_many(first.sentence.toks):
        return False
    title = getattr(doc.article, "title", None)
    if title and _tells_many(safe_lower(title).replace(",", " ").replace(":", " ").split()):
        return False
    return _distinct_places(doc.drafts) < ROUNDUP_PLACES


def _distinct_places(drafts: list[Draft]) -> int:
    """How many places the incidents are told at, one inside another counted once ("Zamfara
    state" and a village of Zamfara are one place; a name the gazetteer lacks counts apart)."""
    known: list[Place] = []
    names: set[str] = set()
    for d in drafts:
        place, name = _place_of(d)
        if place is not None:
            if not any(place_contains(k, place) or place_contains(place, k) for k in known):
                known.append(place)
        elif name is not None:
            names.add(name)
    return len(known) + len(names)


def _lead(doc: Doc) -> Draft:
    hk, hw = doc.headline_killed, doc.headline_wounded
    if (hk or hw) and on(R_HEADLINE_LEAD):
        for d in doc.drafts:
            if (not hk or d.k == hk) and (not hw or d.w == hw):
                if d is not doc.drafts[0]:
                    fired(R_HEADLINE_LEAD)
                return d
    return doc.drafts[0]


def _explains_headline(doc: Doc, lead: Draft, kept: list[Draft], d: Draft) -> bool:
    """The headline's toll is larger than the incidents kept so far, and this incident, told with
    a cause and a place of its own, makes up (part of) the difference: another event of the story
    ("Six killed in attacks": an ambush killing five, a bomb killing one)."""
    hk = doc.headline_killed
    if not hk or not d.k or not (d.agent or d.has_cause) or not _own_place(d):
        return False
    counted = sum(x.k for x in kept) + (0 if lead in kept else lead.k)
    return counted < hk and d.k <= hk - counted


def _elsewhere(doc: Doc, sent: Sentence, lead: Draft) -> bool:
    """Whether a sentence names a place that is not the lead's ("the toll from the bombing in
    another town rose to 53")."""
    lead_place, _ = _place_of(lead)
    for m in doc.mentions:
        if m.start >= sent.end:
            break
        if m.start >= sent.start and m.place is not None and lead_place is not None and not (
            place_contains(lead_place, m.place) or place_contains(m.place, lead_place)
        ):
            if on(R_TREATED_AT) and treated_at(doc.body, m):
                fired(R_TREATED_AT)  # ("three died in hospital in X": where the wounded were taken)
                continue
            return True
    return False


_FAMILY: Final = {
    "ied": "explosive", "car_bomb": "explosive", "suicide_bombing": "explosive", "airstrike": "air",
    "shelling": "shelling", "gunfire": "firearms", "sniper": "firearms", "armed_clash": "firearms",
    "execution": "execution", "other": "other",
}
"""Methods that a retelling may name differently ("the blast", "the suicide bomber") share a family.
Bodies recovered have none: after a clash or a blast they are that event's dead."""


R_ATTACKER_AGAIN: Final = rule(
    "story.attacker_again", "'The bomber shot dead a guard': the event's own attacker, told again, is no other event")
_ATTACKERS: Final = frozenset(("bomber", "bombers", "attacker", "attackers", "assailant", "assailants", "gunman",
                               "gunmen"))


def _lead_attacker_again(d: Draft) -> bool:
    """Whether a sentence opens on the story's attacker by a definite noun ("The bomber shot dead
    a policeman at the gate", "The gunmen also set fire to ..."): the lead's event told on, though
    by another weapon."""
    toks = d.sentence.toks
    k = 1 if toks[:1] == ["the"] else 0
    if k and k + 1 < len(toks) and toks[k] in ("suicide", "two", "three", "four"):
        k += 1
    if k and k < len(toks) and toks[k] in _ATTACKERS and on(R_ATTACKER_AGAIN):
        fired(R_ATTACKER_AGAIN)
        return True
    return False


def _other_method(lead: Draft, d: Draft) -> bool:
    """Whether a clause names a cause of another kind than the lead's ("a bomb wounded two" after
    a shooting): another event, not a retelling."""
    a, b = _FAMILY.get(lead.method), _FAMILY.get(d.method)
    return a is not None and b is not None and a != b


def _only_militants(groups: list[Group]) -> bool:
    return bool(groups) and all(g.category == "militant" for g in groups)


def _other_side(told: list[Group], event: list[Group]) -> bool:
    """Whether ``told`` are the dead of the other side of an event whose dead are ``event``: the
    attackers after a toll of anyone else ("two of the attackers were also killed"), or the
    forces or civilians of a known kind after a toll of attackers only ("the army said it killed
    41 of the attackers ... Five soldiers died in the fighting")."""
    if _only_militants(told):
        return not any(g.category == "militant" for g in event)
    return _only_militants(event) and bool(told) and all(g.category in ("security", "civilian", "militia")
                                                          for g in told)


R_LATER_COUNT: Final = rule(
    "story.later_count", "'officials later said 40 had died': a source's later count of the event is fuller")
_LATER_SPEECH: Final = SPEECH | {"put", "raised", "revised", "gave"}


def _later_count(d: Draft) -> bool:
    """Whether a retelling is a source's later count ("hospital officials later said 40 people had
    died", "police said later that ..."): "later" next to the speech verb, not to the casualty
    verb ("two later died" is more dead, told elsewhere)."""
    toks = d.sentence.toks
    for i, t in enumerate(toks):
        if t == "later" and ((i + 1 < len(toks) and toks[i + 1] in _LATER_SPEECH) or (
                i > 0 and toks[i - 1] in _LATER_SPEECH)) and on(R_LATER_COUNT):
            fired(R_LATER_COUNT)
            return True
    return False


def _other_kinds(told: list[Group], event: list[Group]) -> bool:
    """Whether every group of ``told`` and of ``event`` is of a known kind and no kind is in both
    ("90 civilians" then "soldiers ... were also killed"): victims the event's toll did not count."""
    kinds = {g.category for g in event}
    return bool(kinds) and "unknown" not in kinds and all(
        g.category != "unknown" and g.category not in kinds for g in told)


def _fill(lead: Draft, d: Draft) -> None:
    """The same event told again: fill what the lead lacks, keep what it has; a figure that
    refers back to the event ("19 people were wounded in the strike") and is larger is a later,
    fuller count of it and replaces the lead's (early tolls undercount). A retelling that names
    the place more precisely (the lead says a country or a province, the retelling a town in it)
    places the event there."""
    lead.told_again_in(d)
    fuller = (d.back_reference or _later_count(d)) and not (on(R_CLAIM) and _claim(d))
    # (a side the lead told vaguely, "wounded dozens", is no gap for another estimate to fill)
    if (_gap(lead.killed, d) and d.k > 0) or (fuller and d.k > lead.k) or _bound_met(lead.killed, d.killed):
        lead.killed = list(d.killed)
    if (_gap(lead.wounded, d) and d.w > 0) or (fuller and d.w > lead.w) or _bound_met(lead.wounded, d.wounded):
        lead.wounded = list(d.wounded)
    if d.mention is not None and d.mention.place is not None and on(R_FINER_PLACE):
        here, name = _place_of(lead)
        there = d.mention.place
        if (here is None and name is None) or (
                here is not None and here.precision in _COARSE and place_contains(here, there)
                and not place_contains(there, here)):
            fired(R_FINER_PLACE)
            lead.mention = d.mention


def _gap(groups: list[Group], d: Draft) -> bool:
    """Whether the lead lacks a figure a retelling may give: none told, or only a vague one
    ("dozens") when the retelling is not another source's estimate."""
    return not groups or (sum(g.value for g in groups) == 0 and not d.alternative)


_AT_LEAST: Final = frozenset(("at least", "more than", "over", "upwards of", "no fewer than", "no less than"))


def _bound_met(lead: list[Group], told: list[Group]) -> bool:
    """"More than 40 recruits died" in the lead, "Forty-three recruits died" later: a
    lower bound given as a round number (a multiple of ten) is approximate, and the exact count
    it stood for (less than a fifth more) replaces it. A bound that is no round number ("at least
    22") is a count of its own: another source's higher figure does not replace it."""
    if len(lead) != 1 or len(told) != 1:
        return False
    a, b = lead[0], told[0]
    return (a.qualifier in _AT_LEAST and a.value >= 10 and a.value % 10 == 0 and b.qualifier is None
            and b.vague is None and a.vague is None and a.value < b.value < a.value * 6 // 5)


def _claim(d: Draft) -> bool:
    """Whether the draft's figures are a side's claim or disputed (they raise no toll)."""
    toks = d.sentence.toks
    if toks and disputed_claim(toks):
        fired(R_CLAIM)
        return True
    return False


def _retold(d: Draft, events: list[Draft]) -> Draft | None:
    """The event (the lead first) whose exact figures ``d`` tells again: figures this specific
    (:data:`_SPECIFIC`) anywhere in the region, from :data:`_SPECIFIC_ANYWHERE` in any region,
    smaller ones at no other place (three wounded in Mosul and three in Baghdad are two events)."""
    for e in events:
        if (d.k, d.w) != (e.k, e.w):
            continue
        total = d.k + d.w
        if not _distinct(d, e) or total >= _SPECIFIC_ANYWHERE:
            return e
        if total >= _SPECIFIC:
            rd, re_ = d.region_code(), e.region_code()
            if rd is None or re_ is None or rd == re_ or not on(R_RETOLD_REGION):
                return e
            fired(R_RETOLD_REGION)
    return None


R_RETOLD_REGION: Final = rule(
    "story.retold_region",
    "a few casualties told again in another region are another event, not the story's event retold",
)
_SPECIFIC_ANYWHERE: Final = 10


def _fold_target(kept: list[Draft], lead: Draft, d: Draft) -> Draft:
    """The event a retelling belongs to: the one whose killed figure it repeats (a detailed
    paragraph retelling the opening event after a second event was told), else the event told
    last."""
    events = kept or [lead]
    if d.k and len(events) > 1:
        for e in reversed(events):
            if e.k == d.k and (not e.w or not d.w or e.w == d.w):
                return e
    if len(events) > 1 and on(R_SERIES):
        name = series_name(d)
        named = series_event(name, events) if name is not None else None
        if named is not None:
            fired(R_SERIES)
            return named
    return events[-1]


def _separate(doc: Doc, d: Draft, lead: Draft, kept: list[Draft], told: set[int], lower: str,
              marked: bool) -> str | None:
    """The rule by which a later incident of a story is another event, or None (``marked``: its
    sentence says so, :func:`_marked_separate` or :func:`_another_device`)."""
    if d.sentence.index in told and on(R_SAME_SENTENCE):
        return R_SAME_SENTENCE
    if marked and on(R_MARKED):
        return R_MARKED
    if _explains_headline(doc, lead, kept, d) and on(R_HEADLINE_PART):
        return R_HEADLINE_PART
    refers_back = d.back_reference or d.subset
    if _own_place(d) and _distinct(d, lead) and not refers_back and on(R_PLACE):
        return R_PLACE
    if d.has_cause and not refers_back and not _lead_attacker_again(d) and (_other_method(lead, d) or (
            len(kept) > 1 and _other_method(_fold_target(kept, lead, d), d))) and on(R_METHOD):
        # (of the event it would fold into, too: a bomb told after a second event, a shooting)
        return R_METHOD
    return None


@step("story")
def story_step(doc: Doc) -> None:
    """Fold the retellings of a single-event story into its lead incident."""
    if not on(R_STORY) or not is_story(doc):
        return
    fired(R_STORY)
    hk = doc.headline_killed
    if not hk:
        _fold_story(doc)
        return
    before = [(d, d.killed, d.wounded, d.mention) for d in doc.drafts]
    told = sum(d.k for d in doc.drafts)  # (before folding: a fold changes the lead's figures)
    raised = _fold_story(doc)
    # (a toll update told after the headline was written, "the toll rose to 131", is not weighed)
    folded = sum(d.k for d in doc.drafts) - raised
    if on(R_HEADLINE_READING) and abs(told - hk) < abs(folded - hk) and _exact_headline(doc):
        # the headline counts the incidents one by one: a round-up without an opening total
        fired(R_HEADLINE_READING)
        for d, killed, wounded, mention in before:
            d.killed, d.wounded, d.mention = killed, wounded, mention
        doc.drafts = [d for d, _, _, _ in before]
        doc.lead = None
        doc.marked = []


def _exact_headline(doc: Doc) -> bool:
    """Whether the headline's toll is told in numbers ("Dozens killed" gives only a bound)."""
    title = getattr(doc.article, "title", None) or ""
    words = safe_lower(title).replace(",", " ").split()
    return not any(w in VAGUE or w.rstrip("s") in VAGUE for w in words)


def _fold_story(doc: Doc) -> int:
    """Fold the story's retellings into its lead; how many killed the toll updates added."""
    lead = _lead(doc)
    doc.lead = lead
    if on(R_SCENE):
        _place_from_scene(doc, lead)  # (before the retellings: their places are second best)
    lowers = {sh.sentence.index: sh.lower for sh in doc.sent_hits}
    lead_lower = lowers.get(lead.sentence.index, "")
    kept: list[Draft] = []
    # sentences that tell the lead's event: another incident split from one of them by a new
    # cause ("..., while a bomb in another town killed a girl") is another event
    told = {lead.sentence.index}
    lead_places = _lead_places(doc, lead)
    parts = _places_of_lead(doc.drafts, lead, lowers, lead_places) if on(R_PLACES_OF_LEAD) else []
    for d in doc.drafts:
        if d is lead:
            kept.append(d)
            continue
        if d in parts:
            fired(R_PLACES_OF_LEAD)
            told.add(d.sentence.index)
            continue
        lower = lowers.get(d.sentence.index, "")
        if "similar" in lower and on(R_SIMILAR) and _similar_background(d, lower):
            fired(R_SIMILAR)
            continue  # "in a similar attack in a neighbouring state, 17 died": background
        if d.k + d.w > lead.k + lead.w and on(R_CAMPAIGN_BACKGROUND) and _campaign_background(d):
            fired(R_CAMPAIGN_BACKGROUND)
            continue  # "about 2,000 people were wounded during the war": the long event's toll
        # "elsewhere", "in another attack", "a second bomb went off": never a retelling
        marked = (_marked_separate(d, lower) or _another_device(lower, lead_lower, key_mask(d.sentence))
                  or _earlier_that_day(d, lead, lower))
        retold = _retold(d, [lead, *(e for e in kept if e is not lead)]) if on(R_RETOLD) and not marked else None
        if retold is not None:
            fired(R_RETOLD)
            if retold is lead:
                told.add(d.sentence.index)
            _fill(retold, d)  # an event's figures told again (figures this specific, wherever it says)
            continue
        why = _separate(doc, d, lead, kept, told, lower, marked)
        if why is not None:
            fired(why)
            kept.append(d)
            if why == R_MARKED:
                doc.marked.append(d)
            continue
        told.add(d.sentence.index)
        target = _fold_target(kept, lead, d)
        if (_other_side(d.killed, target.killed) and not d.subset and on(R_ATTACKERS)
                and not (on(R_CLAIM) and _claim(d))):
            fired(R_ATTACKERS)
            target.killed = [*target.killed, *d.killed]  # the attackers killed in the same event
            target.wounded = [*target.wounded, *d.wounded]
            continue
        if (" also " in lower and not d.subset and d.killed and _other_kinds(d.killed, target.killed)
                and on(R_ALSO_OTHERS) and not (on(R_CLAIM) and _claim(d))):
            fired(R_ALSO_OTHERS)
            target.killed = [*target.killed, *d.killed]  # more dead of the same event, of other kinds
            continue
        fired(R_FOLD)
        _fill(target, d)
    before_tolls = lead.k
    if on(R_TOLL):
        _apply_tolls(doc, lead)
    if on(R_RUNNING):
        _apply_running(doc, lead)
    raised = max(0, lead.k - before_tolls)
    if parts and len(lead_places) > 1 and lead.k == sum(d.k for d in parts) and on(R_PARTS_PLACED):
        # "bombs at churches in A and B killed 44", then "the first, in A, killed 27" and "in B, a
        # bomber killed 17": the parts tell each place's dead (and the wounded the lead left out)
        fired(R_PARTS_PLACED)
        i = kept.index(lead)
        kept[i : i + 1] = parts
        doc.lead = parts[0]
    elif parts and lead.w == 0 and any(d.w for d in parts):
        lead.wounded = [w for d in parts for w in d.wounded]  # (the parts' wounded the lead left out)
    doc.drafts = kept
    return raised


_PARTS_SENTENCES: Final = 2
"""Sentences over which the places of a lead's toll are told ("three died in A and four in B")."""


def _lead_places(doc: Doc, lead: Draft) -> list[Place]:
    """The distinct places finer than a country that the lead's own words name ("churches in A
    and B")."""
    out: list[Place] = []
    for m in doc.mentions:
        if lead.ev_start <= m.start < lead.ev_end and m.place is not None and m.place.kind != "country" and (
                m.place not in out):
            out.append(m.place)
    return out


def _places_of_lead(drafts: list[Draft], lead: Draft, lowers: dict[int, str],
                    lead_places: list[Place]) -> list[Draft]:
    """The run of later incidents that breaks the lead's toll down by place ("shelling killed
    seven in the region", then "three died in A and four in B"): each smaller than the lead, at
    places of their own that differ and lie inside the lead's place, none marked as another
    event, in later sentences than the lead's, told within
    :data:`_PARTS_SENTENCES` sentences, their killed adding up to exactly the lead's and their
    wounded to no more than its (or any, when it told none). Equal sums by chance need two
    places and the exact figure. A lead that names several places (``lead_places``) is broken
    down into those places, or places inside them."""
    if lead.k < 2 or len(drafts) < 3:
        return []
    around, _ = _place_of(lead)
    several = len(lead_places) > 1
    after = [d for d in drafts[drafts.index(lead) + 1:] if d.sentence.index != lead.sentence.index]
    for s in range(len(after)):
        run: list[Draft] = []
        k = w = 0
        for d in after[s:]:
            if not 0 < d.k < lead.k or not _own_place(d) or _marked_separate(d, lowers.get(d.sentence.index, "")):
                break
            here, _ = _place_of(d)
            if several and here is not None:
                if not any(place_contains(p, here) for p in lead_places):
                    break  # (each part at one of the places the lead names, or inside one)
            elif around is not None and here is not None and (not place_contains(around, here) or here == around):
                break  # (the lead's dead fell inside its own place: towns of its region, not others)
            if len({x.sentence.index for x in run} | {d.sentence.index}) > _PARTS_SENTENCES:
                break
            run.append(d)
            k += d.k
            w += d.w
            if k >= lead.k:
                break
        if len(run) > 1 and k == lead.k and (w <= lead.w or lead.w == 0) and _distinct_places(run) == len(run):
            return run
    return []


_SCENE_REACH: Final = 4
"""Paragraphs after the lead's in which a sentence telling where the event happened is read."""


def _place_from_scene(doc: Doc, lead: Draft) -> None:
    """A story whose lead names only a country or a region ("A bomber struck a funeral in northern Iraq
    ... killing 10") and a later sentence that says where it happened ("The bombing took place
    in X"): that place is the event's."""
    here, name = _place_of(lead)
    if name is not None or (here is not None and here.precision not in _COARSE):
        return
    if here is None and lead.mention is None and lead.context_mention is None:
        return  # (no country known either: a name alone could be anywhere)
    for sent in doc.sentences:
        if sent.index <= lead.sentence.index:
            continue
        if sent.paragraph > lead.sentence.paragraph + _SCENE_REACH:
            return
        m = scene_place(doc, sent, here) or scene_capital(doc, sent, here)
        if m is not None:
            fired(R_SCENE)
            lead.mention = m
            return


def _apply_tolls(doc: Doc, lead: Draft) -> None:
    """Toll updates about the story's event raise the lead to the final figure."""
    for sh in doc.sent_hits:
        if sh.toll is None or sh.excluded not in (None, "toll") or _elsewhere(doc, sh.sentence, lead):
            continue
        kind, q, update = sh.toll
        current = lead.k if kind == "k" else lead.w
        told = lead.killed if kind == "k" else lead.wounded
        if (update and (q.value > current or _refines(told, q))) or (
                not update and current == 0 and q.vague is None and on(R_TOLL_LEVEL)):
            # (a level stated without a change, "a security source put the toll at 35", gives a side
            # the lead told only vaguely, "killed dozens", or not at all)
            fired(R_TOLL if update else R_TOLL_LEVEL)
            g = Group("unknown", q.value, q.low, q.high, None, q.start, q.end, q.qualifier)
            if kind == "k":
                lead.killed = [g]
            else:
                lead.wounded = [g]
        for h in sh.beside_toll if update else ():
            _raise_lead(lead, h, R_TOLL)  # the update's other figure is a level of the same event too


_ROUGH: Final = frozenset(("nearly", "almost", "about", "around", "approximately", "roughly", "some", "an estimated"))
"""Qualifiers of a figure told roughly ("nearly two dozen"): a later exact level may be lower."""


def _refines(groups: list[Group], q: Quantity) -> bool:
    """A later exact level of a figure first told roughly, within a quarter below it ("nearly two
    dozen killed", then "the toll was later put at 23"): the exact count replaces the rough one."""
    if len(groups) != 1 or q.qualifier is not None or q.vague is not None:
        return False
    g = groups[0]
    return g.qualifier in _ROUGH and g.vague is None and g.value * 3 <= q.value * 4 < g.value * 4


def _apply_running(doc: Doc, lead: Draft) -> None:
    """A running toll of the event ("so far seven bodies and 119 wounded have been brought in")."""
    for sh in doc.sent_hits:
        if not sh.dropped or _elsewhere(doc, sh.sentence, lead):
            continue
        for h, scope in sh.dropped:
            if scope.cue in RUNNING_CUES:
                _raise_lead(lead, h, R_RUNNING)


def _raise_lead(lead: Draft, h: Hit, why: str) -> None:
    """A later level of the lead's event: its figure of that kind replaces a smaller one."""
    if h.kind == "k" and h.value > lead.k:
        fired(why)
        lead.killed = list(h.groups)
    elif h.kind == "w" and h.value > lead.w:
        fired(why)
        lead.wounded = list(h.groups)
