"""Casualty-clause parsing: find killed/wounded triggers in a sentence and attach victim counts.

Shapes handled (all on normalised tokens):

* active, victims as object:   "a grenade killed one man and wounded four others"
                               "killing four soldiers and two drivers"
* passive / predicate subject: "Forty militants were killed", "six were killed and two injured",
                               "clashes left 16 militants dead", "a policeman was shot dead"
* bodies:                      "11 bodies were found", "a mass grave containing roughly 60 bodies"
* breakdowns not double counted: "killed 9 people, including four police officers"
* noun-phrase lists:           "a tribal elder, his wife, and three daughters"

Each match is a :class:`Hit`; grouping hits into incidents happens in :mod:`extractors.assemble`.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from typing import Final

from extractors.lexicon import (
    ACTIVE_KILL,
    ACTIVE_WOUND,
    AUX,
    BODY_WORDS,
    CATEGORY_PRIORITY,
    DEATH_IDIOMS,
    FIND_WORDS,
    NON_PERSON,
    PASSIVE_KILL,
    PASSIVE_WOUND,
    PERSON_WORDS,
    VICTIM_CATEGORY,
    WEAK_HEADS,
)
from extractors.quantities import SCALES, TENS, UNITS, VAGUE, Quantity, number_word, quantity_at, word_value
from extractors.record import Record
from extractors.rules import fired, on, rule

R_INCLUDING: Final = rule("clauses.including", "'24 people including 14 fighters were killed': a breakdown, not a sum")
R_AS_WERE: Final = rule("clauses.as_were", "'a teacher was killed, as were three gunmen': more victims of the verb")
R_OPEN_APPOSITIVE: Final = rule(
    "clauses.open_appositive", "'15 others, including three children were wounded': the subject is before the comma")
R_PART_OF_THEM: Final = rule(
    "clauses.part_of_them", "', two of them policemen,' after a victim phrase breaks it down and adds no one")
R_TREATED_IN_HOSPITAL: Final = rule(
    "clauses.treated_in_hospital", "'another 40 people were being treated in hospital': wounded")
R_AGED: Final = rule("clauses.aged", "'two boys aged 9 and 14 were wounded': numbers after 'aged' are ages")
R_ELLIPSIS_OBJECT: Final = rule("clauses.ellipsis_object", "'killed five in one town and three in another'")
R_ELLIPSIS_SUBJECT: Final = rule("clauses.ellipsis_subject", "'four were killed in one town and two in another'")
R_NEW_PREDICATE: Final = rule(
    "clauses.new_predicate", "'killed one and three wounded', '..., and two others were hurt': a new subject, a verb")
R_NAMED_OBJECT: Final = rule("clauses.named_object", "'killed Colonel Ahmed Khalaf' names one victim")
R_NAMED: Final = rule("clauses.named_subject", "a capitalised name before the verb is one victim")
R_OF_BODY: Final = rule("clauses.of_body",
                        "'two constables of the district police', 'two soldiers from Chad': a victim phrase before "
                        "its body or origin")
R_LIST_PERSON: Final = rule("clauses.list_person", "'twelve villagers, the bomber and a militant': one more victim")
R_FOUND_IN_GRAVE: Final = rule("clauses.found_in_grave", "'thirty men were found in a shallow grave'")
R_DEATHS_COUNTED: Final = rule("clauses.deaths_counted", "'four more deaths were reported': a count of deaths")
R_MEMBERS_OF: Final = rule("clauses.members_of", "'five members of one family': the count of members, not one")
_PART_WORDS: Final = frozenset(("members", "relatives", "guests", "passengers", "worshippers", "children", "sons",
                                "daughters", "brothers", "sisters", "employees", "workers", "students"))
_AMONG_HEADS: Final = frozenset(("dead", "wounded", "injured", "killed"))
_INCLUDE_VERBS: Final = frozenset(("included", "include", "includes"))
R_ONE_PERSON_APPOSITION: Final = rule("clauses.one_person_apposition",
                                      "'the police chief, Colonel X': two single phrases with no 'and' are one person")
R_AMONG_THE_DEAD: Final = rule("clauses.among_the_dead",
                                "'two soldiers were among the dead': the named victims are casualties (a part of "
                                "the toll)")
R_OBJECT_LIST_DEAD: Final = rule("clauses.object_list_dead",
                                  "'shot a grocer and two customers dead': every phrase of the list died")
R_REFLEXIVE: Final = rule("clauses.reflexive", "'a bomber killed himself and two guards': the bomber died too")
R_DIED_OF_WOUNDED: Final = rule("clauses.died_of_wounded",
                                 "'wounded 14, three of whom later died': the dead leave the wounded")
R_LOST_LIVES: Final = rule("clauses.lost_lives",
                           "'N people lost their lives', 'embraced martyrdom': an idiom of dying, the subject died")
R_TO_DEATH_OBJECT: Final = rule("clauses.to_death_object", "'stabbed a journalist to death': the object died")
R_DEATH_OF: Final = rule("clauses.death_of", "'the deaths of 12 people': a killing as a noun, victims after 'of'")

MAX_TOKENS: Final = 400
"""Sentences with more tokens are not parsed (bounded work per sentence)."""

PUNCT_STOP: Final = frozenset((*",;:.!?()[]{}\"\u201c\u201d\u2018'\u2014\u2013/", "-", "--"))
STOP: Final = frozenset(
    (
        "and", "or", "but", "while", "when", "after", "before", "who", "whom", "whose", "which", "that", "as",
        "in", "at", "on", "near", "during", "inside", "outside", "from", "to", "by", "for", "with", "without",
        "across", "around", "along", "among", "between", "into", "onto", "over", "under", "through",
        "throughout", "since", "until", "amid", "against", "than", "were", "was", "are", "is", "have", "has",
        "had", "been", "be", "being", "will", "would", "could", "did", "do", "does", "said", "says", "say",
        "including", "not", "no", "because", "where", "though", "although", "if", "so",
    )
) | PUNCT_STOP
_DETERMINER_ONE: Final = frozenset(("a", "an", "his", "her", "one", "another"))
_POSSESSIVE: Final = frozenset(("his", "her", "their", "its"))
_QUANT_START: Final = frozenset(("a", "an", "another", "his", "her", "their", "one", "dozens", "scores", "several",
                          "hundreds", "tens", "thousands", "few", "many", "numerous", "dozen", "half"))
_OF_DET: Final = frozenset(("the", "them", "his", "her", "their", "those", "these", "its"))
_CASUALTY_NOUNS: Final = frozenset(("wounded", "injured"))
"""Participles used as nouns after "of the" ("two of the injured"): people already counted as wounded."""
_PASSIVE_EXTRA: Final = frozenset(("shot", "found", "gunned", "beaten", "stabbed", "burned", "to", "death", "and"))
SPEECH: Final = frozenset(("said", "says", "told", "added", "reported", "confirmed", "stated"))
_BE: Final = frozenset(("was", "were", "been", "be", "being", "is", "are", "got", "get"))
ORDINALS: Final = frozenset(["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"])
_DEATH_VERBS: Final = frozenset(("shot", "beaten", "beat", "stabbed", "burned", "burnt", "tortured", "hacked",
                                 "bludgeoned", "hanged", "stoned", "kicked", "crushed", "trampled"))


class Group(Record):
    """One victim group inside a hit: category, stated value, range, vague word, token span."""

    __slots__ = ("category", "end", "high", "low", "qualifier", "start", "vague", "value")
    FIELDS = ("category", "value", "low", "high", "vague", "start", "end", "qualifier")

    def __init__(self, category: str, value: int, low: int, high: int | None, vague: str | None, start: int,
                 end: int, qualifier: str | None = None) -> None:
        self.category = category
        self.value = value
        self.low = low
        self.high = high
        self.vague = vague
        self.start = start
        self.end = end
        self.qualifier = qualifier


class Hit(Record):
    """A trigger with the victim groups attached to it.

    ``kind``: "k" killed, "w" wounded; ``start``/``end``: first token of the hit
    (subject/object/trigger) and one past its last; ``voice``: "active", "passive" or "body";
    ``agent``: an active subject or a "by X" agent names the cause.
    """

    __slots__ = ("agent", "end", "groups", "kind", "start", "trigger", "voice")
    FIELDS = ("kind", "trigger", "start", "end", "groups", "voice", "agent")

    def __init__(self, kind: str, trigger: int, start: int, end: int, groups: list[Group] | None = None,
                 voice: str = "passive", agent: bool = False) -> None:
        self.kind = kind
        self.trigger = trigger
        self.start = start
        self.end = end
        self.groups: list[Group] = [] if groups is None else groups
        self.voice = voice
        self.agent = agent

    @property
    def value(self) -> int:
        """Stated count over all groups."""
        groups = self.groups
        if len(groups) < 2:  # the usual case, without a generator
            return groups[0].value if groups else 0
        return sum(g.value for g in groups)


def _category(toks: list[str], start: int, end: int) -> str:
    """Victim category of the noun phrase ``toks[start:end]``: modifiers first, then the head."""
    head_cat = "unknown"
    mod_cat = None
    best = -1
    last = end - 1
    islamic = False  # "Islamic State members" are militants whatever the head says
    for i in range(start, end):
        tok = toks[i]
        cat = VICTIM_CATEGORY.get(tok)
        if cat is None:
            if tok == "islamic":
                islamic = True
            continue
        if i == last:
            head_cat = cat
        elif cat != "unknown" and CATEGORY_PRIORITY[cat] > best:
            mod_cat, best = cat, CATEGORY_PRIORITY[cat]
    if islamic:
        return "militant"
    return mod_cat or head_cat


_LEAD_QUALIFIER: Final = frozenset((
    "at", "least", "more", "than", "about", "as", "many", "up", "to", "some", "nearly", "almost", "over",
    "around", "approximately", "roughly", "another", "an", "estimated", "upwards", "of", "no", "fewer", "less",
    "close", "just", "well",
))
_LEAD_QUALIFIER_NEXT: Final = frozenset(
    ("least", "than", "many", "as", "to", "estimated", "dozen", "of", "fewer", "less", "over", "under")
)
_A_AMOUNT: Final = frozenset(("dozen", "few", "hundred", "thousand"))
_HEAD_STOP: Final = STOP | ACTIVE_KILL | ACTIVE_WOUND | PASSIVE_KILL | {"of"}
"""Tokens that end a victim noun phrase's head span."""


def parse_np(
    toks: list[str], i: int, used: set[int], subject: bool = False, limit: int | None = None,
    active: bool = False,
) -> Group | None:
    """A victim noun phrase starting at ``toks[i]`` (quantity + modifiers + head), or None.

    ``limit`` bounds the phrase end (used when the caller knows where the phrase must stop).
    """
    n = len(toks) if limit is None else min(limit, len(toks))
    if i >= n or i in used:
        return None
    j = i
    # Leading qualifier/"another" tokens: "at least", "another 44", "as many as", "some"
    if j + 1 < n and toks[j] == "between" and word_value(toks[j + 1]) is not None:
        j += 1  # "between 10 and 15 people" (quantity_at reads the range)
    for _ in range(4):
        if j + 1 < n and toks[j] in _LEAD_QUALIFIER and (
            toks[j + 1] in _LEAD_QUALIFIER_NEXT
            or word_value(toks[j + 1]) is not None
            or (toks[j + 1][:1].isdigit() and number_word(toks[j + 1]))  # "some 40-50"
            # "at least a dozen", "more than a few"
            or (toks[j + 1] in ("a", "an") and j + 2 < n and toks[j + 2] in _A_AMOUNT)
        ):
            j += 1
        else:
            break
    if j >= n:
        return None
    tok = toks[j]
    if tok == "one" and j > 0 and toks[j - 1] in ("no", "not"):
        return None  # "No one was killed"
    possessive = tok in _POSSESSIVE
    implied_one = False  # "his wife": one person; "their bodies": a number the phrase does not give
    if possessive:
        # "his wife", "their two sons"
        if j + 1 < n and word_value(toks[j + 1]) is not None:
            j += 1
            q = quantity_at(toks, j)
        else:
            q = Quantity(1, 1, 1, j, j + 1)
            implied_one = True
    elif tok in ("him", "her") and not subject:
        return Group("unknown", 1, 1, 1, None, i, j + 1)
    elif tok in ("himself", "herself") and active and on(R_REFLEXIVE):
        # "a suicide bomber killed himself and two guards": the attacker is one of the dead
        fired(R_REFLEXIVE)
        return Group("militant", 1, 1, 1, None, i, j + 1)
    elif tok in ("the", "all") and (active or subject) and j + 2 < n and word_value(toks[j + 1]) is not None and (
            toks[j + 2] in PERSON_WORDS):
        # "killed the two brothers", "killed all four attackers": a definite count of people
        q = quantity_at(toks, j + 1)
        if q is None:
            return None
        q = Quantity(q.value, q.low, q.high, j, q.end)
    elif tok == "the" and (active or subject):
        # "wounded the station police chief": a definite singular person is one victim
        k = j + 1
        # (to the verb: "the soldier died", "the driver succumbed", as "the soldier was killed")
        while k < n and k - j < 5 and toks[k] not in STOP and toks[k] != "of" and toks[k] not in _ANY_TRIGGER:
            k += 1
        while k > j + 2 and k < n and toks[k] in _ANY_TRIGGER and (
                toks[k - 1] in ("later", "also") or _adverb(toks[k - 1])):
            k -= 1  # "the policeman later died", "the guard reportedly died", "the bomber also died"
        the_head = toks[k - 1] if k > j + 1 else ""
        if the_head in PERSON_WORDS and _singular(the_head) and the_head not in ("police", "army", "security"):
            return Group(_category(toks, j + 1, k), 1, 1, 1, None, i, k)
        if subject and k == j + 2 and the_head in ORDINALS and on(R_NEXT_VICTIM):
            # "The second was shot in B": the next of the victims a summary counted, one person
            fired(R_NEXT_VICTIM)
            return Group("unknown", 1, 1, 1, None, i, k)
        if active and k < n and toks[k] == "of" and k == j + 2 and the_head.isalpha() and (
            the_head not in NON_PERSON and _singular(the_head) and the_head not in _NOT_A_ROLE
        ):
            # "killed the owner of a shop", "shot the head of the council": a role held by one person
            return Group("unknown", 1, 1, 1, None, i, k)
        return None
    elif tok == "both":
        q = Quantity(2, 2, 2, j, j + 1)  # "killing both passengers", "both guards were wounded"
    else:
        q = quantity_at(toks, j)
    if q is None:
        return None
    k = q.end
    # ("a dozen" is twelve, not "a" one: "killed five and injured a dozen")
    is_one_word = tok in _DETERMINER_ONE and q.value <= 1 and not (word_value(tok) is not None and tok != "one")
    # "14 of them", "two of his guards", "one of the suicide bombers"
    if k + 1 < n and toks[k] == "of" and (toks[k + 1] in _OF_DET or toks[k + 1] == "whom"):
        if toks[k + 1] in ("them", "whom"):
            return Group("unknown", q.value, q.low, q.high, q.vague, min(i, q.start), k + 2)
        if k + 2 < n and toks[k + 2] in _CASUALTY_NOUNS and toks[k + 1] in ("the", "those"):
            # "one of the wounded (later died)": the casualty word is the phrase's head, not a verb;
            # "one of the injured soldiers": an adjective, before the people it tells
            if k + 3 < n and toks[k + 3] in VICTIM_CATEGORY:
                return Group(VICTIM_CATEGORY[toks[k + 3]], q.value, q.low, q.high, q.vague, min(i, q.start), k + 4)
            return Group("unknown", q.value, q.low, q.high, q.vague, min(i, q.start), k + 3)
        k += 2
    head_start = k
    while k < n and k - head_start < 6 and toks[k] not in _HEAD_STOP:
        k += 1
    # the head is the last person word in the span ("a Christian man working at ..."), else its last word
    if limit is None:
        for h in range(k - 1, head_start - 1, -1):
            if toks[h] in VICTIM_CATEGORY or toks[h] in ORDINALS:
                k = h + 1
                break
    head = toks[k - 1] if k > head_start else None
    if head is not None and (head in NON_PERSON or (implied_one and not _singular(head))):
        return None
    cat_end = k
    if head is not None and k + 1 < n and toks[k] == "of":
        # "a family of four"; "a member of the Awakening forces" (category from the complement)
        if head in ("family", "group") and word_value(toks[k + 1]) is not None:
            v = word_value(toks[k + 1]) or 0
            return Group("civilian" if head == "family" else "unknown", v, v, v, None, min(i, q.start), k + 2)
        if head in WEAK_HEADS:
            cat_end = min(n, k + 6)
            for c in range(k + 1, min(n, k + 6)):
                if toks[c] in STOP:
                    cat_end = c
                    break
    if head is None:
        # bare number: "killed three and wounded four", "Four were killed"
        if is_one_word or possessive or q.vague in ("many", "some", "few", "a few"):
            if tok in ("another", "one"):
                return Group("unknown", 1, 1, 1, None, i, k)
            return None
        if q.vague is not None:
            return Group("unknown", q.value, q.low, q.high, q.vague, min(i, q.start), k)
        return Group("unknown", q.value, q.low, q.high, None, min(i, q.start), k)
    if (is_one_word or possessive) and head not in PERSON_WORDS and head not in ORDINALS and not (
        subject or active
    ):
        return None
    if q.vague == "some" and head not in PERSON_WORDS:
        return None
    if head == "dozen":
        return None
    if head == "couple" and is_one_word and (k >= n or toks[k] != "of"):
        # "killed an elderly couple": a husband and wife, two people ("a couple of" is a quantity)
        return Group("civilian", 2, 2, 2, None, min(i, q.start), k)
    cat = _category(toks, head_start, k)
    if cat == "unknown" and cat_end > k:
        cat = _category(toks, k, cat_end)
        k = cat_end
    return Group(cat, q.value, q.low, q.high, q.vague, min(i, q.start), k, q.qualifier)


_EXTENDERS: Final = frozenset(
    (
        "at", "least", "more", "than", "as", "many", "up", "to", "about", "around", "nearly", "almost", "over",
        "some", "approximately", "roughly", "another", "of", "the", "his", "her", "their", "them", "those",
        "these", "estimated", "an", "a", "few", "number", "couple", "upwards", "no", "fewer", "less", "dozen", "half",
    )
)
_PLURAL_IRREGULAR: Final = frozenset(("men", "women", "children", "people", "police", "personnel", "militia", "gunmen"))


def _singular(word: str) -> bool:
    return not word.endswith("s") and word not in _PLURAL_IRREGULAR and not word.endswith("men")


def _np_list_right(
    toks: list[str], i: int, used: set[int], subject: bool = False, active: bool = False,
    complement: bool = False,
) -> list[Group]:
    """Groups of a noun-phrase list starting at ``i``: "two policemen and three civilians".

    ``active``: the list is the object of a kill/wound verb, so "a <any noun>" is a person.
    ``complement``: the list completes a subject ("the bodies of a man and a woman were found"),
    so the verb after its last phrase is the subject's, not a new predicate's.
    """
    groups: list[Group] = []
    g = parse_np(toks, i, used, subject, active=active)
    n = len(toks)
    while g is not None:
        groups.append(g)
        k = g.end
        if k + 2 < n and ((toks[k] == "of" and toks[k + 1] in ("the", "a", "an")) or toks[k] == "from"):
            # "an official of the Badr Organization and his driver", "two policemen from Basra and
            # a soldier": past the complement
            j = k + 2
            while j < n and j - k < 7 and toks[j] not in PUNCT_STOP and toks[j] not in STOP:
                j += 1
            nxt_word = toks[j + 1] if j + 1 < n else ""
            if nxt_word and toks[j] == "and" and (nxt_word in _POSSESSIVE or word_value(nxt_word) is not None or (
                    nxt_word in ("a", "an") and j + 2 < n and toks[j + 2] in PERSON_WORDS)):
                k = j
        # "a tribal elder, his wife, and three daughters"
        if k < n and toks[k] == ",":
            k += 1
        if k < n and toks[k] == "and":
            k += 1
        if k == g.end or k >= n:
            break
        nxt = toks[k]
        if nxt in ACTIVE_KILL or nxt in ACTIVE_WOUND:
            break
        if toks[k - 1] == "," and _age_after(toks, k, groups[-1]):
            break  # "killed a boy, 12, and his father": the number is the boy's age
        if toks[k - 1] == "," and _part_of_them(toks, k) and on(R_PART_OF_THEM):
            fired(R_PART_OF_THEM)
            # "killed three people, two of them policemen": the three's breakdown; the list goes on
            # after it ("killed 30 visitors, most of them foreigners, and 9 guards")
            close = _apposition_end(toks, k + 3)
            if close < 0:
                break
            k = close + 2 if close + 1 < n and toks[close + 1] == "and" else close + 1
            if k >= n or (word_value(toks[k]) is None and toks[k] not in _POSSESSIVE):
                break
            nxt = toks[k]
        if nxt == "another" and k + 1 < n and toks[k + 1] in _PLACE_PREPS:
            break  # "killing five, and another in B killed three": another bomb, not a victim
        g = parse_np(toks, k, used, subject, active=active)
        if g is None and toks[k - 1] == "," and groups[-1].value == 1 and on(R_NAME_APPOSITION):
            close = _name_apposition_end(toks, k)
            if close > 0:
                # "killed the police chief, Gen. X Y, and an aide": the one person's name, set
                # off by commas; the list goes on after it
                fired(R_NAME_APPOSITION)
                k = close + 2
                g = parse_np(toks, k, used, subject, active=active)
        if g is not None and g.end < n and not (complement and toks[g.end] in _BE) and (
                toks[g.end] in _BE or (toks[g.end] in _ANY_TRIGGER and (
                    g.end == k + 1 or toks[g.end - 1] in ("others", "more")))) and on(R_NEW_PREDICATE):
            fired(R_NEW_PREDICATE)
            # "killed two people and five wounded", ", including four soldiers, and 14 others were
            # wounded": the last phrase is the subject of a new predicate
            break
        if g is None and groups and nxt in PERSON_WORDS and _singular(nxt) and k not in used:
            # "his wife and sister": a bare singular person noun continuing the list is one more
            g = Group(VICTIM_CATEGORY.get(nxt, "unknown"), 1, 1, 1, None, k, k + 1)
        if g is not None and g.value == 0 and g.vague is None:
            break
    if (len(groups) == 2 and groups[0].value == 1 and groups[1].value == 1 and toks[groups[1].start - 1] == ","
            and "and" not in toks[groups[0].end : groups[1].start]
            and toks[groups[1].end : groups[1].end + 1] != ["and"] and on(R_ONE_PERSON_APPOSITION)):
        # "the town's police chief, Colonel X": two phrases with no "and" between them name one
        # person twice (a list of two joins them with "and")
        fired(R_ONE_PERSON_APPOSITION)
        groups.pop()
    # "killing 23 people, a doctor said", "wounding 11, a spokesman for the police said": a
    # speaker after a comma is not a victim
    if len(groups) > 1 and _speaker_follows(toks, groups[-1].end):
        while len(groups) > 1 and groups[-1].start > 0 and toks[groups[-1].start - 1] != ",":
            groups.pop()
        groups.pop()
    return groups


def _more_bodies(toks: list[str], k: int, used: set[int], first: Group, hits: list[Hit], t: int) -> None:
    """More bodies found at other places, the noun and verb left out: "police found four bodies in
    A, three in B and two in C", "five bodies were found in A and three in B"."""
    n = len(toks)
    while k < n and (toks[k] in AUX or toks[k] in FIND_WORDS or toks[k] in _BE or toks[k] == "up"):
        k += 1  # past the passive verb ("were found")
    _more_objects(toks, k, used, first, hits, Hit("k", t, t, t + 1, [], "body"))


R_MORE_FOUND: Final = rule(
    "clauses.more_found", "'police found 11 bodies in A; two more were found in B': more bodies, the noun left out")
_FOUND_VERBS: Final = frozenset(("found", "discovered", "recovered", "retrieved", "pulled", "dumped", "exhumed"))


def _more_found(toks: list[str], k: int, used: set[int], first: Group, hits: list[Hit], t: int) -> None:
    """A later clause of the same sentence whose subject is a bare figure of more ("two more",
    "another three") and whose verb finds ("were found", "were later recovered"): more bodies,
    of the first phrase's kind."""
    n = len(toks)
    for i in range(k, n - 3):
        if toks[i] not in (";", ",", "and", "while"):
            continue
        j = i + 1
        if toks[j] == "another":
            j += 1
        g = parse_np(toks, j, used)
        if g is None or g.value == 0 or g.end + 1 >= n or not (
                toks[g.end - 1] == "more" or toks[i + 1] == "another"):
            continue
        v = g.end
        if toks[v] not in _BE:
            continue
        v += 1
        if v < n and (toks[v] == "later" or _adverb(toks[v])):
            v += 1
        if v < n and toks[v] in _FOUND_VERBS and on(R_MORE_FOUND):
            fired(R_MORE_FOUND)
            more = Group(first.category, g.value, g.low, g.high, None, i + 1, g.end, g.qualifier)
            _mark(used, [more])
            hits.append(Hit("k", t, more.start, more.end, [more], "body"))
            return


def _more_objects(toks: list[str], k: int, used: set[int], first: Group, hits: list[Hit], like: Hit) -> None:
    """Every later object of one verb at a place of its own, from token ``k`` on ("killed two in A,
    one in B and three in C"): one hit each, of ``like``'s kind, trigger and voice."""
    if not on(R_ELLIPSIS_OBJECT):
        return
    more = _later_object(toks, k, used, first)
    while more is not None:
        fired(R_ELLIPSIS_OBJECT)
        _mark(used, [more])
        hits.append(Hit(like.kind, like.trigger, more.start, more.end, [more], like.voice, agent=like.agent))
        more = _later_object(toks, more.end, used, more)


_NOT_A_ROLE: Final = frozenset((
    "rest", "bulk", "majority", "number", "remains", "body", "bodies", "toll", "site", "scene", "area", "center",
    "centre", "top", "side", "edge", "end", "start", "beginning", "heart", "middle", "front", "back", "outskirts",
    "capital", "city", "town", "village", "province", "region", "country", "head", "use", "power",
))
"""Nouns of "the <noun> of ..." that name no role a person holds ("the rest of", "the heart of");
"head" too, a part of the body as often as a title."""


def _age_after(toks: list[str], k: int, before: Group) -> bool:
    """A bare number set off by commas after one person ("a boy, 12,", "his son, 9, in Mosul"):
    that person's age, not a second group."""
    if before.value != 1 or not (toks[k].isdigit() and len(toks[k]) <= 2):
        return False
    return k + 1 >= len(toks) or toks[k + 1] in PUNCT_STOP or toks[k + 1] in STOP


def _speaker_follows(toks: list[str], k: int) -> bool:
    """A speech verb closes the phrase ending at ``k`` ("..., a spokesman for the police said")."""
    for i in range(k, min(len(toks), k + 8)):
        if toks[i] in SPEECH:
            return True
        if toks[i] in ("'", "\u2019") and i > 0 and toks[i - 1].endswith("s"):
            continue  # a plural possessive: "a doctors' group said"
        if toks[i] in PUNCT_STOP or toks[i] in ACTIVE_KILL or toks[i] in ACTIVE_WOUND:
            return False
    return False


_CLAUSE_END: Final = frozenset((";", ".", ":", "while", "but", "whereas", "when", "after"))


_PLACE_PREPS: Final = frozenset(("in", "near", "at", "outside", "around", "inside", "on"))
_ANOTHER_PERSON: Final = frozenset(("another", "a", "an"))


def _verb_ahead(toks: list[str], lo: int, hi: int, verbs: frozenset[str]) -> bool:
    """Whether one of ``verbs`` comes in ``toks[lo:hi]`` before any punctuation: "another in B"
    followed by a verb is the subject of a clause of its own, not one more victim."""
    for j in range(lo, min(len(toks), hi)):
        if toks[j] in PUNCT_STOP:
            return False
        if toks[j] in verbs:
            return True
    return False


def _later_object(toks: list[str], k: int, used: set[int], first: Group | None = None) -> Group | None:
    """A second object of the same verb after a place phrase, the verb left out (coordination with
    ellipsis): "killed six gunmen in a raid near X and three gunmen who were planting a
    mine near Y", "killed five people in one town and three in another", "killed four gunmen near
    X and another suspect in Y". Without a head noun of its own ("three in another") the second
    object is of the first one's kind; it must then be followed by a place phrase."""
    n = len(toks)
    skip = -1
    for i in range(k, min(n - 1, k + 15)):
        t = toks[i]
        if i <= skip:
            continue
        if t in _BREAKDOWN_OPENERS and (t == "among" or (
                i + 2 < n and word_value(toks[i + 1]) is not None and toks[i + 2] in _PLACE_PREPS)):
            # "..., among them a policeman, and three in B", "including five in A and four in B":
            # the breakdown's persons are of the figure already read; the next object comes after
            # its closing comma, if any ("including five children and three in B" reads on)
            skip = i + 1
            while skip < n and toks[skip] not in (",", ";", "."):
                skip += 1
            if skip >= n or toks[skip] != ",":
                return None
            continue
        if t in _CLAUSE_END or t in _ANY_TRIGGER or t in AUX or t == "according" or t in SPEECH or t in _DASHES:
            # (nor across a source: "..., according to an official and a medic"; nor into a
            # breakdown in dashes: "six people — four soldiers and two civilians —")
            return None
        nxt = toks[i + 1]
        comma = t == "," and i > k  # ("killed two in A, one in B": a comma after a place phrase)
        if t == "and" and i >= 2 and toks[i - 2] in _AGE_WORDS:
            return None  # "two men aged 34 and 48": the second age, not a second object
        if (t == "and" or comma) and (word_value(nxt) is not None or nxt in _ANOTHER_PERSON):
            g = parse_np(toks, i + 1, used, active=True)
            if comma and (g is None or g.end >= n or toks[g.end] not in _PLACE_PREPS):
                return None  # a comma list of victims is the object list's, read before
            if nxt == "another" and _verb_ahead(toks, i + 2, i + 14, _ACTIVE_VERBS):
                return None  # "... and another in Najaf killed three", "and another on a school in X killed nine"
            if g is None and nxt == "another":
                g = Group("unknown", 1, 1, 1, None, i + 1, i + 2)  # "... and another in Baiji"
            if g is None or g.value == 0:
                return None
            if g.end < n and (toks[g.end] in AUX or toks[g.end] in _ANY_TRIGGER):
                return None  # "... and four were wounded": the subject of another clause
            if toks[g.end - 1] in VICTIM_CATEGORY:
                return g
            if first is not None and g.vague is None and g.end < n and toks[g.end] in _PLACE_PREPS and (
                word_value(toks[g.end - 1]) is not None or toks[g.end - 1] in ("another", "more")
            ):
                return Group(first.category, g.value, g.low, g.high, None, g.start, g.end, g.qualifier)
            return None
    return None


R_BREAKDOWN_AFTER: Final = rule(
    "clauses.breakdown_after",
    "'two were killed, one in A and the other in B': figures after a comma of a clause told at no place are its parts",
)
_TIME_WORDS: Final = frozenset((
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "the", "this", "that",
))


def _placed(toks: list[str], lo: int, hi: int) -> bool:
    """Whether ``toks[lo:hi]`` holds a place phrase: a place preposition followed by a word that is
    no day or time of day ("in Ramadi", "near a market"; "on Sunday" and "in the morning" are times)."""
    for j in range(lo, hi - 1):
        if toks[j] in _PLACE_PREPS and toks[j + 1] not in _TIME_WORDS and toks[j + 1] not in PUNCT_STOP:
            return True
        if toks[j] in _PLACE_PREPS and toks[j + 1] == "the" and j + 2 < hi and toks[j + 2] not in (
                "morning", "afternoon", "evening", "night", "day", "attack", "attacks"):
            return True
    return False


def _part_at(toks: list[str], j: int, used: set[int], first: Group) -> Group | None:
    """One part of a breakdown ("one in A", "the other in B", "another near C", "two in D"): a
    figure, of the whole's kind, followed by a place phrase."""
    n = len(toks)
    if j + 2 >= n or j in used:
        return None
    if toks[j] == "the" and toks[j + 1] in ("other", "second", "third"):
        end, value = j + 2, 1
    elif toks[j] == "another":
        end, value = j + 1, 1
    elif word_value(toks[j]) is not None:
        q = quantity_at(toks, j)
        if q is None or q.vague is not None or not q.value:
            return None
        end, value = q.end, q.value
    else:
        return None
    if end >= n or toks[end] not in _PLACE_PREPS:
        return None
    return Group(first.category, value, value, value, None, j, end)


def _parts_after(toks: list[str], comma: int, used: set[int], first: Group) -> list[Group]:
    """The parts of "two soldiers were killed today, one in A and the other in B" after the comma
    (at ``comma``), when there are two or more and they add up to ``first``; else none."""
    parts: list[Group] = []
    j = comma + 1
    n = len(toks)
    while j < n:
        g = _part_at(toks, j, used, first)
        if g is None:
            break  # (", police said" after the last part)
        parts.append(g)
        k = g.end
        while k < n and k - g.end < 12 and toks[k] not in (",", "and") and toks[k] not in _CLAUSE_END and (
                toks[k] not in _ANY_TRIGGER):
            k += 1
        if k >= n or toks[k] not in (",", "and"):
            break
        j = k + 1
        if toks[k] == "," and j < n and toks[j] == "and":
            j += 1
    if len(parts) < 2 or sum(p.value for p in parts) != first.value:
        return []
    return parts


def _breakdown_parts(toks: list[str], k: int, used: set[int], first: Group) -> list[Group]:
    """The parts after the first comma of a passive clause told at no place (see
    :func:`_parts_after`), ``k`` the token after the verb."""
    n = len(toks)
    if "," not in toks[k : k + 8]:  # (one C scan: most passive clauses have no comma after the verb)
        return []
    for i in range(k, min(n - 2, k + 8)):
        if toks[i] == ",":
            return [] if _placed(toks, k, i) else _parts_after(toks, i, used, first)
        if toks[i] in _CLAUSE_END or toks[i] in _ANY_TRIGGER or toks[i] in PUNCT_STOP:
            return []
    return []


def _later_subject(toks: list[str], k: int, used: set[int], first: Group) -> Group | None:
    """The passive counterpart: "four were killed in one town and two in another" -> the second
    figure, of the first one's kind, when a bare number after "and" is followed by a place phrase."""
    n = len(toks)
    for i in range(k, min(n - 2, k + 12)):
        t = toks[i]
        if t in _CLAUSE_END or t in _ANY_TRIGGER or t in AUX:
            return None
        if t == "and" and toks[i + 1] == "another" and i + 2 < n and toks[i + 2] in _PLACE_PREPS and (
            i + 1 not in used
        ):
            if _verb_ahead(toks, i + 3, i + 9, _CLAUSE_VERBS):
                return None  # "..., and another in B was wounded": the subject of a clause of its own
            return Group(first.category, 1, 1, 1, None, i + 1, i + 2)  # "... was killed in A, and another in B"
        if (t == "and" or (t == "," and i > k)) and i + 1 not in used and word_value(toks[i + 1]) is not None:
            # ("four were killed in A, three in B and two in C": a comma after a place phrase too)
            if t == "," and not _placed(toks, k, i) and on(R_BREAKDOWN_AFTER):
                # "two soldiers were killed today, one in A and the other in B": told nowhere
                # before the comma, the figures after it say where the first one's victims died
                fired(R_BREAKDOWN_AFTER)
                return None
            q = quantity_at(toks, i + 1)
            if q is None or q.vague is not None or not q.value or q.end >= n or toks[q.end] not in _PLACE_PREPS:
                return None
            return Group(first.category, q.value, q.low, q.high, None, q.start, q.end, q.qualifier)
    return None


def _np_ending_at(toks: list[str], p: int, used: set[int]) -> Group | None:
    """A victim noun phrase whose last token is ``toks[p]`` (searching up to 7 tokens back).

    The longest phrase wins: "two of his guards" rather than "his guards".
    """
    best = None
    for k in range(p, max(p - 8, -1), -1):
        t = toks[k]
        if (t in ("and", "or", "between") and k not in used and k + 1 <= p and word_value(toks[k + 1]) is not None
                and (t == "between" or (k > 0 and (word_value(toks[k - 1]) is not None or toks[k - 1] in SCALES)))):
            # a range's link ("two or three", "between 10 and 15 people"), or a number's ("one
            # hundred and twenty people"): the phrase goes on to its left
            if t == "between":
                g = parse_np(toks, k, used, subject=True, limit=p + 1)
                if g is not None and g.end == p + 1:
                    best = g
                break
            continue
        if k in used or t in PUNCT_STOP or (t in STOP and t not in ("than", "as", "to", "at") and not (
                t == "whom" and k and toks[k - 1] == "of")):  # "three of whom died"
            break
        if t in NON_PERSON and k != p:
            break
        # once a phrase is found, only its own qualifiers/number words may extend it to the left
        v = word_value(t)
        if best is not None and t not in _EXTENDERS and v is None and t not in SCALES:
            break
        if v is not None or t in _QUANT_START or t in VAGUE or (t[:1].isdigit() and number_word(t)):
            if best is not None and v is None and t in ("a", "an") and k + 1 < p and (
                toks[k + 1] not in ("dozen", "few", "number", "couple")
            ):
                break  # "a police convoy bombing left five dead": the article belongs to another phrase
            g = parse_np(toks, k, used, subject=True, limit=p + 1)
            if g is not None and g.end == p + 1:
                best = g
    return best


def _np_before(toks: list[str], p: int, used: set[int]) -> Group | None:
    """A victim phrase ending at ``p``, or ending before a body it belongs to ("two constables of
    the district police", "three members of the militia"): the phrase without the "of" part."""
    g = _np_ending_at(toks, p, used)
    if g is not None and g.value <= 1 and g.start >= 2 and toks[g.start - 1] in ("of", "from") and on(R_MEMBERS_OF):
        # "five members of one family", "six relatives of a farmer", "five people from one
        # family": the count is the outer phrase's
        outer = _np_ending_at(toks, g.start - 2, used)
        if outer is not None and outer.value > 1 and (toks[outer.end - 1] in _PART_WORDS or (
                toks[g.start - 1] == "from" and toks[outer.end - 1] in PERSON_WORDS)):
            fired(R_MEMBERS_OF)
            cat = outer.category if outer.category != "unknown" else g.category
            return Group(cat, outer.value, outer.low, outer.high, outer.vague, outer.start, g.end, outer.qualifier)
    if g is not None or not on(R_OF_BODY):
        return g
    for q in range(p - 1, max(p - 6, 0), -1):
        t = toks[q]
        if t == "of" or t == "from":
            h = _np_ending_at(toks, q - 1, used)
            if h is not None and toks[h.end - 1] in PERSON_WORDS and word_value(toks[q + 1]) is None:
                fired(R_OF_BODY)
                return h
            return None
        if t in PUNCT_STOP or t == "and" or q in used:
            return None
    return None


_DEFINITE: Final = frozenset(("the", "his", "her", "their", "its"))


def _one_named_person(toks: list[str], p: int, used: set[int]) -> Group | None:
    """One more element of a victim list told as a singular definite person ("twelve villagers,
    the young bomber and a militant were killed"): one victim, when a list separator precedes."""
    if p in used or toks[p] not in PERSON_WORDS or not _singular(toks[p]) or not on(R_LIST_PERSON):
        return None
    for k in range(p - 1, max(p - 4, -1), -1):
        if k in used:
            return None
        if toks[k] in _DEFINITE:
            if k == 0 or toks[k - 1] in (",", "and", ":", ";"):
                fired(R_LIST_PERSON)
                cat = VICTIM_CATEGORY.get(toks[p], "unknown")
                return Group(cat, 1, 1, 1, None, k, p + 1)
            return None
        if toks[k] in PUNCT_STOP or toks[k] in STOP or word_value(toks[k]) is not None:
            return None
    return None


def _np_list_left(toks: list[str], p: int, used: set[int],
                  is_capitalised: Callable[[int], bool] | None = None) -> list[Group]:
    """Groups of a noun-phrase list ending at ``p``: "A retired colonel and his son". With
    ``is_capitalised``, a counted proper noun continues the list ("two Kenyans and a
    Briton", "three Kurds and an Arab": nationalities, peoples and faiths are persons)."""
    groups: list[Group] = []
    g = _np_before(toks, p, used)
    while g is not None:
        if groups and toks[g.end - 1] not in VICTIM_CATEGORY and toks[g.end - 1] not in ORDINALS and not (
            g.value == 1 and any(toks[x] in PERSON_WORDS for x in range(g.start, g.end))
        ) and not _proper_noun_persons(toks, g, is_capitalised):
            # "they captured an oil depot, and scores of fighters were killed": not a victim
            # ("a member of the provincial council and his brother": a person and a complement)
            break
        groups.append(g)
        k = g.start - 1
        if k >= 0 and toks[k] == "and":
            k -= 1
        if k >= 0 and toks[k] == ",":
            k -= 1
        if k == g.start - 1 or k < 0:
            break
        if k >= 2 and toks[k - 1] == "," and toks[k].isdigit() and len(toks[k]) <= 2:
            k -= 2  # "a boy, 12, and his father": the boy's age
        g = _np_before(toks, k, used) or _one_named_person(toks, k, used)
    groups.reverse()
    return groups


R_THEIR_BODIES: Final = rule(
    "clauses.their_bodies", "'killed a woman and dumped her body': a possessive body after the dead is no one new")
R_NEXT_VICTIM: Final = rule(
    "clauses.next_victim", "'the second was shot in B', after a summary of several victims: one more person")
R_PROPER_PERSONS: Final = rule(
    "clauses.proper_persons",
    "a counted proper noun in a list of victims is persons (\"two Kenyans and a Briton died\")",
)


_CLAUSE_OPENERS: Final = frozenset((",", ";", ":", "and", "but", "while", "when", "as", "after", "meanwhile", "that",
                                    *SPEECH))


def _proper_noun_persons(toks: list[str], g: Group, is_capitalised: Callable[[int], bool] | None) -> bool:
    head = g.end - 1
    if is_capitalised is None or head <= g.start:
        return False
    if not (toks[head].endswith("s") and g.value >= 2) and not (g.value == 1 and toks[g.start] in ("a", "an")):
        return False  # "two Kenyans", "a Briton"
    if g.start > 0 and toks[g.start - 1] not in _CLAUSE_OPENERS:
        return False  # "the militants seized two Humvees and a soldier was killed": an object
    if not is_capitalised(head) or not on(R_PROPER_PERSONS):
        return False
    fired(R_PROPER_PERSONS)
    return True


_LY_NOUNS: Final = frozenset(("family", "ally", "rally", "assembly", "supply", "july", "italy", "reply", "anomaly",
                              "monopoly", "daily", "weekly", "bully", "only"))


def _adverb(tok: str) -> bool:
    """An -ly adverb the lexicon does not list, between an auxiliary and its participle ("was
    grievously injured", "were mortally wounded", misspelt too): ``AUX`` holds the common ones."""
    return len(tok) > 4 and tok.endswith("ly") and tok not in _LY_NOUNS


_NONFINITE_OPENERS: Final = frozenset(("before", "after", "while", "without", "upon"))


def _clause_subject(toks: list[str], p: int, used: set[int]) -> Group | None:
    """Fallback subject: a person phrase opening the clause ("An official working at X was shot").
    A participle clause ("..., before being shot dead by police") has the main clause's subject,
    however long the main clause is."""
    reach = 26 if toks[p] in _NONFINITE_OPENERS and p + 1 < len(toks) and toks[p + 1] == "being" else 14
    k = p
    while k > 0 and p - k < reach and toks[k - 1] not in PUNCT_STOP:
        k -= 1
    if p - k >= reach or k in used:
        return None
    for j in range(p - 1, k, -1):
        if toks[j] in SPEECH and toks[j - 1] not in _BE:
            # "police said the gunman was shot dead": the reported clause has its own subject
            k = j + 2 if j + 2 <= p and toks[j + 1] == "that" else j + 1
            break
    if toks[k] in ("in", "at", "on", "near", "meanwhile", "also", "and"):
        return None
    g = parse_np(toks, k, used, subject=True)
    if g is None or g.end > p + 1 or (toks[g.end - 1] not in PERSON_WORDS and toks[g.end - 1] not in ORDINALS):
        return None
    return g


_NAME_TITLES: Final = frozenset((
    "colonel", "col", "general", "gen", "brigadier", "brig", "major", "maj", "captain", "capt", "lieutenant",
    "lt", "sheikh", "sheik", "imam", "mullah", "dr", "judge", "mayor", "haji", "sergeant", "sgt",
))
_NOT_NAMES: Final = frozenset((
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "the", "a", "an",
))


_NAME_PARTICLES: Final = frozenset(("al-", "el-", "ad-", "as-", "ar-", "an-", "at-", "az-", "ash"))
"""Arabic article prefixes of family names, written lower-case ("al-Shishani")."""


def _name_word(tok: str) -> bool:
    """Whether a token may be a word of a person's name (its capital aside)."""
    return tok.isalpha() and tok not in _NOT_NAMES and tok not in STOP


def _named_object(toks: list[str], k: int, used: set[int], is_cap: Callable[[int], bool]) -> list[Group]:
    """A person named right after a kill verb ("killed Colonel Ahmed Khalaf and two of his guards",
    "shot dead Ali Hussein, a local journalist, in Mosul"): a title and a name, or two or more
    capitalised words, is one victim; an appositive after it is skipped, and a list goes on."""
    n = len(toks)
    j = k
    titled = j < n and toks[j].rstrip(".") in _NAME_TITLES
    if titled:
        j += 1
        if j < n and toks[j] == ".":
            j += 1
    start_name = j
    # (the words' own tests before the capitals: the first capital test works out the sentence's
    # token offsets, and most words after a kill verb are no names)
    need = 1 if titled else 2
    if start_name + need > n or any(not _name_word(toks[x]) for x in range(start_name, start_name + need)):
        return []
    while j < n and j - start_name < 4 and j not in used and _name_word(toks[j]) and is_cap(j):
        j += 1
    if j == start_name or (not titled and j - start_name < 2):
        return []
    while j < n and j - start_name < 5 and toks[j][:3] in _NAME_PARTICLES and toks[j][3:].isalpha():
        j += 1  # "Abu Bakr al-Shishani": a particle joined to the family name
    appositive = j + 1 < n and toks[j] == "," and toks[j + 1] in ("a", "an", "the")
    if not appositive and (
            any(toks[x] in VICTIM_CATEGORY for x in range(start_name, j)) or (j < n and toks[j] in VICTIM_CATEGORY)):
        # "killed Islamic State fighters", "killed US Marines": a group, not a name (a name
        # followed by ", a local leader" is a person's, whatever its words: "Abu Baker")
        return []
    groups = [Group("unknown", 1, 1, 1, None, k, j)]
    if j + 1 < n and toks[j] == "," and toks[j + 1] in ("a", "an", "the"):
        # ", a local journalist,": the appositive names the same person
        e = j + 2
        while e < n and e - j < 8 and toks[e] not in PUNCT_STOP:
            e += 1
        if e < n and toks[e] == ",":
            groups = [Group(_category(toks, j + 2, e), 1, 1, 1, None, k, e)]
            j = e + 1 if e + 2 < n and toks[e + 1] == "and" else e  # (", and his driver": the list goes on)
    if j + 1 < n and toks[j] == "and":
        groups.extend(_np_list_right(toks, j + 1, used, active=True))
    return groups


def _named_subject(toks: list[str], p: int, used: set[int], is_cap: Callable[[int], bool]) -> Group | None:
    """A personal name right before the verb ("Karim Hadi later died"): one victim."""
    k = p
    while k >= 0 and p - k < 4 and k not in used and toks[k] not in PUNCT_STOP and is_cap(k):
        k -= 1
    start = k + 1
    if p - start < 1 or (start > 0 and toks[start - 1] not in PUNCT_STOP and toks[start - 1] != "and"):
        return None  # two or more capitalised words opening the clause
    if toks[start] in STOP or word_value(toks[start]) is not None:
        return None
    name = start
    while name <= p and toks[name] in VICTIM_CATEGORY:
        name += 1  # "Brigadier General Ahmed Karim": a title before the name gives the category
    if name > p or (name > start and toks[name - 1] in PERSON_WORDS and not _singular(toks[name - 1])):
        return None
    cat = VICTIM_CATEGORY[toks[start]] if name > start else "unknown"
    return Group(cat, 1, 1, 1, None, start, p + 1)


_DASHES: Final = frozenset(("\u2014", "\u2013", "-", "--"))


_AGE_LINKS: Final = frozenset(("and", "to", "between", "-", "or", ","))
_AGE_WORDS: Final = frozenset(("aged", "ages", "ageing", "aging"))
_OBJECT_OPENERS: Final = frozenset(("the", "a", "an", "his", "her", "their", "its"))
_BREAKDOWN_OPENERS: Final = frozenset(("among", "including", "includes", "included"))
R_ACTIVE_PAIR: Final = rule(
    "clauses.active_pair", "'X shot and killed the analyst': an object after the verbs makes them active, not passive")
_PART_QUANTIFIERS: Final = frozenset(("most", "many", "all", "some", "several", "half", "both", "none"))


R_NAME_APPOSITION: Final = rule(
    "clauses.name_apposition", "'the police chief, Gen. X Y, and an aide': a name after one person, set off by commas, "
    "does not end the list of victims")


def _name_apposition_end(toks: list[str], k: int) -> int:
    """The index of the comma closing a name told after one person (one to four words no
    lexicon knows, then ", and"), or -1."""
    for j in range(k, min(len(toks) - 1, k + 5)):
        t = toks[j]
        if t == ",":
            return j if j > k and toks[j + 1] == "and" else -1
        if t == "." and j > k and toks[j - 1].isalpha() and len(toks[j - 1]) <= 5:
            continue  # a title's abbreviation ("Gen.", "Col.")
        if not t.replace(".", "").replace("-", "").isalpha() or t in STOP or t in _ANY_TRIGGER or (
                t in VICTIM_CATEGORY or word_value(t) is not None or t in _POSSESSIVE or t in ("the", "a", "an")):
            return -1
    return -1


def _apposition_end(toks: list[str], k: int) -> int:
    """The index of the comma closing an apposition that goes on at ``k``, or -1 (none within
    eight words, or a clause's end or a trigger first)."""
    for j in range(k, min(len(toks), k + 8)):
        t = toks[j]
        if t == ",":
            return j
        if t in PUNCT_STOP or t in _ANY_TRIGGER:
            return -1
    return -1


def _part_of_them(toks: list[str], k: int) -> bool:
    """Whether ``toks[k:]`` opens a breakdown of the phrase before it: "two of them policemen",
    "most of them civilians", "all of whom were soldiers"."""
    return (k + 2 < len(toks) and toks[k + 1] == "of" and toks[k + 2] in ("them", "whom")
            and (toks[k] in _PART_QUANTIFIERS or word_value(toks[k]) is not None))


def _skip_parenthetical_left(toks: list[str], p: int, including: bool = False) -> int:
    """Step left over ", including an officer," / ", who was riding with him," to the subject
    (``including``: the sentence has the word, for an appositive left open before the verb)."""
    if p >= 0 and toks[p] in _DASHES:
        # "six people — four soldiers and two civilians — were killed": a breakdown in dashes
        for k in range(p - 1, max(p - 16, -1), -1):
            if toks[k] in _DASHES:
                return k - 1 if k > 0 else p
            if toks[k] in (";", ".", ":"):
                break
        return p
    if p >= 0 and toks[p] == ",":
        if p >= 3 and toks[p - 2] == "," and toks[p - 1].isdigit() and len(toks[p - 1]) <= 2:
            return p - 3  # "a girl, 7, was killed": an age
        for k in range(p - 1, max(p - 14, -1), -1):
            if toks[k] == ",":
                if k + 1 < len(toks) and toks[k + 1] in ("including", "among", "mostly", "most", "who", "which"):
                    return k - 1
                if _part_of_them(toks, k + 1) and on(R_PART_OF_THEM):
                    fired(R_PART_OF_THEM)
                    return k - 1  # "three people, two of them policemen, were killed"
                if p - k <= 5 and toks[k + 1] in ("a", "an", "aged") and any(
                        t.endswith("-old") or t.isdigit() for t in toks[k + 1 : p]):
                    return k - 1  # "a third man, a 17-year-old, was killed": an age in apposition
                break
    elif p >= 2 and (toks[p].isdigit() or toks[p] in UNITS or toks[p] in TENS) and on(R_AGED):
        # "two boys aged 9 and 14 were wounded", "a man aged between 30 and 40": ages, not victims
        # (an age is in digits or a word below a hundred: the cheap tests first, per passive clause)
        for k in range(p - 1, max(p - 6, 0), -1):
            t = toks[k]
            if t == "aged" or t == "ages":
                fired(R_AGED)
                return k - 1
            if not (t in _AGE_LINKS or t.isdigit() or t in UNITS or t in TENS):
                break
    elif including and p >= 2 and on(R_OPEN_APPOSITIVE):
        # "15 others, including three children were wounded": the appositive's closing comma left out
        for k in range(p, max(p - 7, 1), -1):
            if toks[k] == "including" and toks[k - 1] == ",":
                fired(R_OPEN_APPOSITIVE)
                return k - 2
            if toks[k] in PUNCT_STOP or toks[k] in _ANY_TRIGGER:
                break
    return p


def _including_right(toks: list[str], k: int, used: set[int]) -> tuple[list[Group], int]:
    """Breakdown after a list: ", including four police officers" -> (groups, end)."""
    n = len(toks)
    j = k
    if j < n and toks[j] == ",":
        j += 1
    if j < n and toks[j] not in ("including", "among"):
        # "were killed in shelling in Idlib province, including 21 rebels": within the clause
        for i in range(j, min(n - 1, j + 12)):
            if toks[i] in (";", ".") or toks[i] in _ANY_TRIGGER:
                break
            if toks[i] == "," and toks[i + 1] == "including":
                j = i + 1
                break
    if j < n and toks[j] in ("including", "among"):
        j += 1
        if j < n and toks[j] in ("them", "whom"):
            j += 1
        subs = _np_list_right(toks, j, used)
        if subs:
            return subs, subs[-1].end
    return [], k


def _breakdown(groups: list[Group], subs: list[Group]) -> list[Group]:
    """Split an "unknown" total by an "including" breakdown, keeping the sum unchanged."""
    if not subs:  # (the usual case: no breakdown, nothing to split)
        return groups
    total = sum(g.value for g in groups)
    sub_total = sum(s.value for s in subs)
    if total == 0 and sub_total > 0 and all(g.vague is not None for g in groups):
        # "Dozens of people were killed ..., including 12 students": the stated part counts
        return [Group(s.category, s.value, s.low, s.high, None, s.start, s.end) for s in subs]
    if len(groups) != 1 or groups[0].category != "unknown" or not subs or sub_total > total:
        return groups
    if any(s.category == "unknown" for s in subs):
        return groups
    g = groups[0]
    out = [Group(s.category, s.value, s.value, s.value, None, s.start, s.end) for s in subs]
    rest = total - sub_total
    if rest:
        out.append(Group("unknown", rest, rest, rest if g.high is not None else None, g.vague, g.start, g.end))
    return out


def _mark(used: set[int], groups: list[Group]) -> None:
    for g in groups:
        for k in range(g.start, g.end):  # (compiled, a native loop: update(range) is a generic call)
            used.add(k)


def _kind_of(tok: str, prev: str, prev2: str, prev3: str = "") -> tuple[str | None, bool, bool]:
    """(kind, can_be_active, can_be_passive) of a token (``prev``..``prev3``: the tokens before it)."""
    if tok in ("dead", "death"):
        if tok == "death" and not (prev == "to" and prev2 in _DEATH_VERBS):
            return None, False, False
        return "k", prev == "shot", True
    if tok in ("injuries", "wounds", "injury") and (
        prev == "with" or prev in _SUFFERED or (prev in _INJURY_ADJECTIVES and prev2 in _SUFFERED)
        or (prev == "for" and prev2 in _TREATED)
        or (prev in _WOUND_QUALIFIERS and ((prev2 == "for" and prev3 in _TREATED) or prev2 == "with"))
    ):
        # "left two with injuries", "87 others received injuries", "26 were treated for wounds";
        # the noun qualified ("treated for gunshot wounds", "for their injuries", "with shrapnel wounds")
        return "w", False, True
    if tok == "down" and prev == "gunned":
        return "k", True, True
    if prev in ("fatally", "mortally") and tok in ("shot", "wounded", "injured", "stabbed", "hurt"):
        return "k", True, True  # "two policemen were fatally shot", "a sniper fatally wounded a guard": killed
    if tok == "wound" and (prev in _AUX_BASE or (prev == "to" and prev2 in _IMPLICATIVE)):
        return "w", True, False  # "that did wound three", "managed to wound a guard" (the noun otherwise)
    if tok in ("lost", "losing") and (prev in _BE or prev == "being"):
        return None, False, False  # "over 100 lives were lost": a sum of deaths, not a side losing its people
    kind = None
    active = passive = False
    if tok in ACTIVE_KILL or tok in PASSIVE_KILL:
        kind = "k"
        active = tok in ACTIVE_KILL
        passive = tok in PASSIVE_KILL
    elif tok in ACTIVE_WOUND or tok in PASSIVE_WOUND:
        kind = "w"
        active = tok in ACTIVE_WOUND
        passive = tok in PASSIVE_WOUND
    return kind, active, passive


_ANY_TRIGGER: Final = (
    ACTIVE_KILL | ACTIVE_WOUND | PASSIVE_KILL | PASSIVE_WOUND | BODY_WORDS
    | frozenset(("dead", "death", "deaths", "fatalities", "killings", "wound", "down", "injuries", "injury", "wounds",
                 "grave", "graves", "lives", "life"))
    | frozenset(DEATH_IDIOMS)
)
_ACTIVE_VERBS: Final = ACTIVE_KILL | ACTIVE_WOUND
_CLAUSE_VERBS: Final = _BE | _ANY_TRIGGER
_SUFFERED: Final = frozenset(("received", "sustained", "suffered", "receiving", "sustaining", "suffering"))
_TREATED: Final = frozenset(("treated", "hospitalised", "hospitalized"))
_TAKEN: Final = frozenset(("taken", "rushed", "admitted", "evacuated", "brought", "transferred", "transported"))
_INJURY_ADJECTIVES: Final = frozenset(("serious", "minor", "severe", "critical", "slight", "gunshot", "shrapnel",
                                       "multiple", "bullet", "burn", "life-threatening", "grave"))
_WOUND_QUALIFIERS: Final = _INJURY_ADJECTIVES | frozenset(("their", "his", "her", "its"))
_TAKE_LIVES: Final = frozenset(("claim", "claimed", "claims", "claiming", "took", "take", "takes", "taking", "cost",
                                "costs", "costing"))


_IMPLICATIVE: Final = frozenset(("managed", "succeeded", "went", "proceeded"))
_AUX_BASE: Final = frozenset(("did", "does"))
_GRAVE_WORDS: Final = frozenset(("in", "a", "the", "mass", "shallow", "common", "two", "several"))
_DEATH_NOUNS: Final = frozenset(("death", "deaths", "killing", "killings"))
"""Nouns of a killing whose victims follow "of" ("the deaths of 12 people")."""


def _object_list_before(toks: list[str], end: int, used: set[int]) -> list[Group]:
    """The object list of "<shot|beat|stabbed...> <list> dead" ending right at ``end`` (the index of
    "dead", or of "to" in "to death"), when it has two phrases or more (one is read as before)."""
    for k in range(end - 2, max(end - 12, -1), -1):
        if toks[k] in PUNCT_STOP or k in used:
            return []
        if toks[k] in _DEATH_VERBS:
            groups = _np_list_right(toks, k + 1, used, active=True)
            if len(groups) >= 2 and groups[-1].end == end:
                return groups
            return []
    return []


def _object_before_to_death(toks: list[str], t: int, used: set[int]) -> Group | None:
    """The victims of "<verb> <object> to death" ("beat two guards to death", "stabbed the
    journalist Ali Hassan to death"), ``t`` the index of "death"."""
    for k in range(t - 3, max(t - 9, -1), -1):
        if toks[k] in _DEATH_VERBS:
            if any(j in used or toks[j] in PUNCT_STOP for j in range(k + 1, t - 1)):
                return None
            g = parse_np(toks, k + 1, used, active=True)
            if g is not None and g.end <= t - 1:
                return Group(g.category, g.value, g.low, g.high, g.vague, g.start, t - 1, g.qualifier)
            people = [w for w in toks[k + 1 : t - 1] if w in PERSON_WORDS]
            if people and _singular(people[-1]):
                return Group(VICTIM_CATEGORY.get(people[-1], "unknown"), 1, 1, 1, None, k + 1, t - 1)
            return None
        if toks[k] in PUNCT_STOP:
            return None
    return None


def _deaths_count(toks: list[str], t: int, used: set[int]) -> Group | None:
    """The number before "deaths" ("three further unconfirmed deaths", "12 civilian deaths"), over at
    most three modifiers."""
    for k in range(t - 1, max(t - 5, -1), -1):
        if k in used or toks[k] in PUNCT_STOP:
            return None
        if word_value(toks[k]) is not None:
            q = quantity_at(toks, k)
            if q is None or not q.value:
                return None
            return Group("unknown", q.value, q.low, q.high, q.vague, q.start, t + 1, q.qualifier)
        if toks[k] in STOP and toks[k] not in ("more", "other"):
            return None
    return None


def _death_idiom_start(toks: list[str], t: int) -> int:
    """Where an idiom of dying (``DEATH_IDIOMS``) ending at ``t`` starts, or -1."""
    tails = DEATH_IDIOMS.get(toks[t])
    if tails is None:
        return -1
    for words in tails:
        start = t - len(words)
        if start >= 0 and all(toks[start + i] in alternatives for i, alternatives in enumerate(words)):
            if t + 1 < len(toks) and toks[t + 1] == "savings":  # "lost their life savings"
                return -1
            return start
    return -1


def _lives_taken(toks: list[str], t: int) -> tuple[int, Group] | None:
    """"claimed 80 lives", "claimed at least 80 lives", "took the lives of 12": the verb's index
    and the number of lives taken, as killed."""
    if t >= 2 and word_value(toks[t - 1]) is not None:
        q = quantity_at(toks, t - 1)
        if q is not None and q.value and q.start > 0 and toks[q.start - 1] in _TAKE_LIVES:
            return q.start - 1, Group("unknown", q.value, q.low, q.high, None, q.start, t + 1, q.qualifier)
    if t >= 2 and t + 2 < len(toks) and toks[t - 1] == "the" and toks[t - 2] in _TAKE_LIVES and toks[t + 1] == "of":
        q = quantity_at(toks, t + 2)
        if q is not None and q.value:
            return t - 2, Group("unknown", q.value, q.low, q.high, None, t + 2, q.end, q.qualifier)
    return None


_HOSPITAL_WORDS: Final = frozenset(("hospital", "hospitals", "clinic", "clinics"))


def _in_hospital(toks: list[str], k: int) -> bool:
    """Whether ``toks[k:]`` says "in hospital", "at a hospital", "in local hospitals", "at the
    city's main hospital"."""
    if k >= len(toks) or toks[k] not in ("in", "at"):
        return False
    for j in range(k + 1, min(len(toks), k + 5)):
        if toks[j] in _HOSPITAL_WORDS:
            return True
        if toks[j] in PUNCT_STOP:
            return False
    return False


def find_hits(
    toks: list[str], is_capitalised: Callable[[int], bool] | None = None, tokset: Set[str] | None = None
) -> list[Hit]:
    """All casualty hits in a tokenised sentence, in order of their triggers.

    ``is_capitalised(i)`` tells whether token ``i`` is capitalised in the original text; with it,
    a named person as subject ("Karim Hadi later died") counts as one victim. ``tokset`` is
    the set of ``toks`` when the caller has it (:func:`extractors.segment.token_set`).
    """
    n = len(toks)
    if n == 0 or n > MAX_TOKENS:
        return []
    hits: list[Hit] = []
    used: set[int] = set()
    triggers = [t for t, tok in enumerate(toks) if tok in _ANY_TRIGGER]
    if (("fatally" in tokset or "mortally" in tokset) if tokset is not None else (
            "fatally" in toks or "mortally" in toks)) and "shot" in toks:  # ("were fatally shot": killed)
        triggers = sorted({*triggers, *(t for t, tok in enumerate(toks) if tok == "shot" and t and toks[t - 1] in (
            "fatally", "mortally"))})
    if ("treated" in tokset if tokset is not None else "treated" in toks) and on(R_TREATED_IN_HOSPITAL):
        treated = [t for t, tok in enumerate(toks) if tok == "treated" and _in_hospital(toks, t + 1)]
        if treated:
            triggers = sorted({*triggers, *treated})
    if not triggers:
        return hits  # most tokens are not triggers: one comprehension instead of a Python loop
    if tokset is None:
        tokset = frozenset(toks)
    has_find: bool | None = None  # (computed at the first body word)
    # "including"/"among" open every breakdown: without them _including_right finds none
    breakdowns = "including" in tokset or "among" in tokset
    # a second object or subject with the verb left out follows an "and"
    ands = "and" in tokset
    for t in triggers:
        tok = toks[t]
        prev = toks[t - 1] if t else ""
        prev2 = toks[t - 2] if t > 1 else ""
        idiom = _death_idiom_start(toks, t)
        if idiom >= 0 and on(R_LOST_LIVES):
            # "twenty civilians and 11 policemen lost their lives": the subject died
            p = idiom - 1
            while p >= 0 and toks[p] in AUX:  # "have also lost their lives"
                p -= 1
            groups = _np_list_left(toks, p, used) if p >= 0 else []
            if groups:
                fired(R_LOST_LIVES)
                _mark(used, groups)
                hits.append(Hit("k", t, groups[0].start, t + 1, groups, "passive"))
            continue
        if tok == "life" or (tok in DEATH_IDIOMS and tok != "lives"):
            continue
        if tok == "lives":
            taken = _lives_taken(toks, t)
            if taken is not None and taken[1].start not in used:
                verb, lives = taken
                _mark(used, [lives])
                hits.append(Hit("k", verb, min(verb, lives.start), max(t + 1, lives.end), [lives], "active",
                                agent=True))
            continue
        if tok in ("deaths", "fatalities") and t and prev != "the" and on(R_DEATHS_COUNTED):
            # "three further unconfirmed deaths were recorded": a count of deaths is a count of the dead
            g = _deaths_count(toks, t, used)
            if g is not None:
                fired(R_DEATHS_COUNTED)
                _mark(used, [g])
                hits.append(Hit("k", t, g.start, t + 1, [g], "passive"))
                continue
        if tok == "injuries" and t and on(R_DEATHS_COUNTED):
            # "caused 12 fatalities and 30 injuries": a count of injuries is a count of the wounded
            k = t - 1
            while k > 0 and t - k < 3 and toks[k] in _INJURY_ADJECTIVES:
                k -= 1
            q = quantity_at(toks, k) if k not in used and word_value(toks[k]) is not None else None
            if q is not None and q.value and q.end == k + 1:
                g = Group("unknown", q.value, q.low, q.high, q.vague, q.start, t + 1, q.qualifier)
                _mark(used, [g])
                hits.append(Hit("w", t, g.start, t + 1, [g], "passive"))
                continue
        if tok in _DEATH_NOUNS and prev == "the" and t + 2 < n and toks[t + 1] == "of":
            # "resulting in the deaths of 12 people", "condemned the killing of two journalists"
            groups = _np_list_right(toks, t + 2, used, active=True)
            if groups and on(R_DEATH_OF):
                fired(R_DEATH_OF)
                _mark(used, groups)
                hits.append(Hit("k", t, t, groups[-1].end, groups, "active"))
            continue
        if tok in ("grave", "graves") and t >= 4 and on(R_FOUND_IN_GRAVE):
            # "thirty men were found in a shallow grave": the people found are the dead
            f = t - 1
            while f > 0 and t - f < 5 and toks[f] in _GRAVE_WORDS:
                f -= 1
            if toks[f] == "found" and toks[f + 1] == "in" and f >= 2 and toks[f - 1] in _BE:
                groups = _np_list_left(toks, f - 2, used)
                if groups:
                    fired(R_FOUND_IN_GRAVE)
                    _mark(used, groups)
                    hits.append(Hit("k", t, groups[0].start, t + 1, groups, "body"))
                    continue
        if tok in ("grave", "graves") and t + 2 < n and toks[t + 1] in ("containing", "holding", "with"):
            j = t + 2
            if j + 2 < n and toks[j] == "the" and toks[j + 1] in ("remains", "bodies") and toks[j + 2] == "of":
                j += 3  # "a grave holding the remains of 25 people"
            groups = _np_list_right(toks, j, used, active=True)
            if groups:
                _mark(used, groups)
                hits.append(Hit("k", t, t, groups[-1].end, groups, "body"))
            continue
        if tok in BODY_WORDS:
            if prev in _POSSESSIVE and any(x.kind == "k" for x in hits) and on(R_THEIR_BODIES):
                # "gunmen killed a woman and dumped her body near a school": the dead told again
                fired(R_THEIR_BODIES)
                continue
            if has_find is None:
                has_find = not FIND_WORDS.isdisjoint(tokset) or "morgue" in tokset
            if has_find:
                g = _np_ending_at(toks, t, used)
                if g is None and t + 2 < n and toks[t + 1] == "of":
                    groups = _np_list_right(toks, t + 2, used, complement=True)
                    if groups:
                        _mark(used, groups)
                        hits.append(Hit("k", t, t, groups[-1].end, groups, "body"))
                        if ands:
                            _more_bodies(toks, groups[-1].end, used, groups[-1], hits, t)
                        if "more" in tokset or "another" in tokset:
                            _more_found(toks, groups[-1].end, used, groups[-1], hits, t)
                        continue
                    if tok == "body" and t and toks[t - 1] in ("the", "a") and t not in used:
                        # "the body of Iraqi translator X was found": one body, whoever it was
                        g = Group("unknown", 1, 1, 1, None, t - 1, t + 1)
                if g is not None and t not in used:
                    _mark(used, [g])
                    hits.append(Hit("k", t, g.start, t + 1, [g], "body"))
                    if ands:
                        _more_bodies(toks, t + 1, used, g, hits, t)
                    if "more" in tokset or "another" in tokset:
                        _more_found(toks, t + 1, used, g, hits, t)
            continue
        if ((tok == "dead" and prev not in ("shot", "found")) or (tok == "death" and prev == "to")) and on(
            R_OBJECT_LIST_DEAD
        ):
            # "shot a grocer and two customers dead", "beat a farmer and his wife to death": the
            # object list between the verb and "dead" / "to death" are the dead, whatever their nouns
            groups = _object_list_before(toks, t if tok == "dead" else t - 1, used)
            if groups:
                fired(R_OBJECT_LIST_DEAD)
                _mark(used, groups)
                hits.append(Hit("k", t, groups[0].start, t + 1, groups, "active", agent=True))
                continue
        if tok == "death" and prev == "to" and prev2 not in _DEATH_VERBS and on(R_TO_DEATH_OBJECT):
            # "militiamen stabbed a Kurdish journalist to death": the object between verb and "to death"
            g = _object_before_to_death(toks, t, used)
            if g is not None:
                fired(R_TO_DEATH_OBJECT)
                _mark(used, [g])
                hits.append(Hit("k", t, g.start, t + 1, [g], "active", agent=True))
            continue
        if (t + 1 < n and ((prev2 == "among" and prev in ("the", "those") and toks[t + 1] in ("was", "were"))
                            or (prev == "the" and toks[t + 1] in _INCLUDE_VERBS))
                and tok in _AMONG_HEADS and on(R_AMONG_THE_DEAD)
                and (t == 1 + (prev2 == "among") or toks[t - 2 - (prev2 == "among")] in (",", ";", ":"))):
            # "Among those killed were two soldiers", "The dead included a boy": the victims follow
            groups = _np_list_right(toks, t + 2, used, active=True)
            if groups:
                fired(R_AMONG_THE_DEAD)
                _mark(used, groups)
                hits.append(Hit("w" if tok in ("wounded", "injured") else "k", t, t - 1 - (prev2 == "among"),
                                groups[-1].end, groups, "passive"))
                continue
        if tok in ("dead", "wounded", "injured") and prev == "the" and prev2 in ("of", "among"):
            # "three of the dead were children": the dead told already, not a new figure; but "two
            # soldiers were among the dead" (and "among the dead were two soldiers") names victims,
            # a part of the toll (the merge step folds it into an incident told before it)
            if prev2 == "among" and on(R_AMONG_THE_DEAD):
                groups = []
                if t >= 4 and toks[t - 3] in ("was", "were"):
                    groups = _np_list_left(toks, t - 4, used, is_capitalised)
                if groups:
                    fired(R_AMONG_THE_DEAD)
                    _mark(used, groups)
                    start, end = min(t - 2, groups[0].start), max(t + 1, groups[-1].end)
                    hits.append(Hit("k" if tok == "dead" else "w", t, start, end, groups, "passive"))
            continue
        if tok in ("lost", "losing") and t + 2 < n and toks[t + 2] in ("life", "lives"):
            continue  # "lost his life": the idiom, read at its last word
        kind: str | None
        if tok == "treated":
            fired(R_TREATED_IN_HOSPITAL)  # (a trigger only before "in hospital")
            kind, can_active, can_passive = "w", False, True
        else:
            kind, can_active, can_passive = _kind_of(tok, prev, prev2, toks[t - 3] if t > 2 else "")
        if kind is None:
            continue
        if prev == "to" and tok not in ("death", "dead") and prev2 not in _IMPLICATIVE:
            continue  # "threatened to kill", "came to be hurt"; but "managed to wound" did wound
        # passive when a form of "be" precedes, possibly across adverbs ("were also reportedly killed")
        b = t - 1
        while b >= 0 and (toks[b] in AUX or (toks[b].endswith("ly") and _adverb(toks[b]))) and toks[b] not in _BE:
            b -= 1
        aux_before = (b >= 0 and toks[b] in _BE) or prev in ("found", "shot", "gunned")
        if can_active and not (aux_before and prev not in ("shot", "gunned")):
            groups = _np_list_right(toks, t + 1, used, active=True)
            if not groups and is_capitalised is not None and on(R_NAMED_OBJECT):
                groups = _named_object(toks, t + 1, used, is_capitalised)
                if groups:
                    fired(R_NAMED_OBJECT)
            if groups:
                subs, end = _including_right(toks, groups[-1].end, used) if breakdowns else ([], groups[-1].end)
                _mark(used, groups)
                _mark(used, subs)
                hits.append(Hit(kind, t, t, max(end, groups[-1].end), _breakdown(groups, subs), "active",
                                agent=True))
                if ands:
                    # (from before an "including" breakdown: its later parts, "five in A and four
                    # in B", are of the figure, and the next object comes after its closing comma)
                    _more_objects(toks, groups[-1].end if subs else max(end, groups[-1].end), used, groups[-1],
                                  hits, hits[-1])
                continue
        if not can_passive and not aux_before:
            continue
        # passive: walk left over auxiliaries/adverbs ("were also reportedly", "was shot to")
        p = t - 1
        # ("with shrapnel wounds", "for their injuries": the noun's qualifier stepped over)
        skip = 1 if kind == "w" and prev in _WOUND_QUALIFIERS and prev2 in ("with", "for") else 0
        if skip:
            prev, prev2 = prev2, toks[t - 3] if t > 2 else ""
        if prev == "with":  # "left two bystanders with injuries", "escaped with injuries"
            p = t - 2 - skip
            if p >= 0 and toks[p] in ("escaped", "survived"):
                p -= 1
            elif p >= 2 and toks[p] in ("hospital", "hospitals"):
                # "26 were taken to (the) hospital with injuries": the subject is before the verb
                to = p - 2 if toks[p - 1] in ("the", "a") else p - 1
                if to >= 1 and toks[to] == "to" and toks[to - 1] in _TAKEN:
                    p = to - 2
        elif kind == "w" and tok in ("injuries", "wounds", "injury"):  # "87 others received injuries"
            p = (t - 2 if prev in _SUFFERED else t - 3) - skip
        steps = 0
        aux_seen = False
        while p >= 0 and steps < 6 and (toks[p] in AUX or toks[p] in _PASSIVE_EXTRA or (
                toks[p].endswith("ly") and _adverb(toks[p]))):
            if toks[p] == "and" and not (p + 1 < n and toks[p + 1] in ("then", "later")) and toks[p - 1:p] != [
                "shot"
            ]:
                break
            aux_seen = aux_seen or toks[p] in AUX
            p -= 1
            steps += 1
        if (steps and not aux_seen and toks[t - 1] == "and" and t + 1 < n and toks[t + 1] in _OBJECT_OPENERS
                and on(R_ACTIVE_PAIR)):
            # "gunmen on a motorcycle shot and killed the lawyer": two active verbs with their
            # object after them, not a reduced passive whose subject is the noun before them; a
            # definite person object is one victim (told again later, the merge step folds it)
            fired(R_ACTIVE_PAIR)
            if (toks[t + 1] == "the" and t + 2 < n and toks[t + 2] in PERSON_WORDS and _singular(toks[t + 2])
                    and t + 2 not in used):
                g = Group(VICTIM_CATEGORY.get(toks[t + 2], "unknown"), 1, 1, 1, None, t + 1, t + 3)
                _mark(used, [g])
                hits.append(Hit(kind, t, t, t + 3, [g], "active", agent=True))
            continue
        # "was kidnapped and then killed", "were shot and killed": step over the first participle
        if p >= 1 and toks[p].endswith("ed") and toks[p - 1] in AUX:
            p -= 1
            while p >= 0 and toks[p] in AUX:
                p -= 1
        p = _skip_parenthetical_left(toks, p, breakdowns)
        if p < 0:
            continue
        groups = _np_list_left(toks, p, used, is_capitalised)
        if not groups:
            g = _clause_subject(toks, p, used)
            if g is None and is_capitalised is not None and on(R_NAMED):
                g = _named_subject(toks, p, used, is_capitalised)
                if g is not None:
                    fired(R_NAMED)
            if g is None:
                continue
            groups = [g]
        elif (is_capitalised is not None and groups[0].start >= 2 and toks[groups[0].start - 1] == "and"
              and toks[groups[0].start - 2] not in _ANY_TRIGGER and toks[groups[0].start - 2] not in STOP
              and on(R_NAMED)):
            # "General Ahmed Karim and his brother were slain": the named person is a victim too
            g = _named_subject(toks, groups[0].start - 2, used, is_capitalised)
            if g is not None:
                fired(R_NAMED)
                groups = [g, *groups]
        subs, end = _including_right(toks, t + 1, used) if breakdowns else ([], t + 1)
        # "24 people including 14 fighters were killed": the phrase before "including" is the
        # subject and the one after it its breakdown
        k = groups[0].start - 1
        if breakdowns and k > 0 and toks[k] == "including" and not subs and on(R_INCLUDING):
            head = _np_ending_at(toks, k - 1, used)
            if head is not None:
                fired(R_INCLUDING)
                groups, subs = [head], groups
        _mark(used, groups)
        _mark(used, subs)
        agent = (t + 2 < n and toks[t + 1] == "by" and toks[t + 2] not in ("a", "an")) or (
            t + 3 < n and toks[t + 1] == "by" and toks[t + 3] in ("bomb", "blast", "gunmen", "sniper")
        )
        hits.append(Hit(kind, t, groups[0].start, max(t + 1, end), _breakdown(groups, subs), "passive",
                        agent=agent))
        k = max(t + 1, end)
        while k < n and k - t < 8 and toks[k] not in PUNCT_STOP:
            k += 1  # (to the clause's first comma: "was killed in Ramadi, as were ...")
        if k + 3 < n and toks[k] == "," and toks[k + 1] == "as" and toks[k + 2] in ("were", "was") and on(
                R_AS_WERE):
            # "a teacher was killed, as were three gunmen": the same predicate, other victims
            also = _np_list_right(toks, k + 3, used)
            if also:
                fired(R_AS_WERE)
                _mark(used, also)
                hits.append(Hit(kind, k + 2, also[0].start, also[-1].end, also, "passive", agent=agent))
        if len(groups) == 1 and groups[0].value >= 2 and not subs and on(R_BREAKDOWN_AFTER):
            parts = _breakdown_parts(toks, max(t + 1, end), used, groups[0])
            if parts:
                # "two soldiers were killed today, one in A and the other in B": each part is
                # the whole's victims at a place of its own, told in place of the whole
                fired(R_BREAKDOWN_AFTER)
                hits.pop()
                _mark(used, parts)
                for part in parts:
                    hits.append(Hit(kind, t, part.start, part.end, [part], "passive", agent=agent))
                continue
        more = (_later_subject(toks, max(t + 1, end), used, groups[-1])
                if ands and on(R_ELLIPSIS_SUBJECT) else None)
        while more is not None:
            fired(R_ELLIPSIS_SUBJECT)
            _mark(used, [more])
            hits.append(Hit(kind, t, more.start, more.end, [more], "passive", agent=agent))
            more = _later_subject(toks, more.end, used, more)
    if "whom" in tokset or "them" in tokset:
        _died_of_wounded(toks, hits)
    if hits and ("before" in tokset or "until" in tokset) and on(R_ATTACKER_STOPPED):
        _attacker_stopped(toks, hits, used)
    if hits and ("died" in tokset or "succumbed" in tokset) and on(R_WOUNDED_THEN_DIED):
        _wounded_then_died(toks, hits)
    return hits


R_WOUNDED_THEN_DIED: Final = rule(
    "clauses.wounded_then_died",
    "'a policeman wounded in the blast died on Wednesday': the participle tells who died, no wounded figure")
_DIED: Final = frozenset(("died", "succumbed"))
_THEN: Final = frozenset(("later", "subsequently", "then", "eventually", "afterwards"))


def _wounded_then_died(toks: list[str], hits: list[Hit]) -> None:
    """"Two soldiers injured in the attack later died": a wounded participle right after its
    people names whom the clause's own verb, "died" or "succumbed", is about; so does "were
    injured ... and later died". The figure is of the dead, and no one is left wounded by it.
    Only when that verb has no figure of its own ("..., where two died" keeps both)."""
    triggers = {h.trigger for h in hits}
    for h in hits:
        if h.kind != "w" or toks[h.trigger] not in ("wounded", "injured", "hurt") or not h.groups:
            continue
        # (a full passive, "were injured", joins a death verb only as its own second verb:
        # "were injured in the attack and later died")
        passive = h.trigger > 0 and toks[h.trigger - 1] in _BE
        if not passive and h.groups[-1].end != h.trigger:
            continue
        for j in range(h.trigger + 1, len(toks)):
            t = toks[j]
            if t in (";", ":", ".") or (j in triggers and t not in _DIED):
                break
            if t in _DIED:
                joined = toks[j - 1] == "and" or (toks[j - 1] in _THEN and toks[j - 2] == "and")
                if j not in triggers and (joined or not passive):
                    fired(R_WOUNDED_THEN_DIED)
                    h.kind = "k"
                    h.trigger = j
                break


R_ATTACKER_STOPPED: Final = rule(
    "clauses.attacker_stopped",
    "'killing four before police shot him dead' / 'before he was killed': the attacker is one more dead")
_STOPPERS: Final = frozenset((
    "police", "officers", "officer", "policemen", "troops", "soldiers", "forces", "guards", "guard", "commandos",
    "security", "special", "a", "an", "the", "armed", "an", "army", "policeman",
))
"""Words of the phrase that names who stopped an attacker ("before security forces shot him")."""
_STOP_VERBS: Final = frozenset(("shot", "killed", "gunned"))


def _attacker_stopped(toks: list[str], hits: list[Hit], used: set[int]) -> None:
    """One more dead for an attacker stopped in a clause after the attack's own figures: "...,
    killing four people before police shot him dead", "... before he was shot dead", "... before
    being killed". Only a pronoun or no subject at all: the clause's subject is the attacker the
    sentence is about, whom its figures do not count."""
    n = len(toks)
    first = hits[0].trigger
    for b in range(first + 1, n - 2):
        if toks[b] not in ("before", "until") or any(b < h.trigger <= b + 6 for h in hits):
            continue  # (a clause whose victim the parser read already: "before being shot dead")
        j = b + 1
        if toks[j] in ("he", "she") and toks[j + 1] == "was":
            j += 2
        elif toks[j] == "being":
            j += 1
        else:
            k = j
            while k < n and k - j < 3 and toks[k] in _STOPPERS:
                k += 1
            if k == j or k >= n - 1 or toks[k] not in _STOP_VERBS or toks[k + 1] not in ("him", "her"):
                continue
            if toks[k] != "killed" and (k + 2 >= n or toks[k + 2] not in ("dead", "down")):
                continue
            if k in used or k + 1 in used:
                continue
            fired(R_ATTACKER_STOPPED)
            used.update((k, k + 1))
            hits.append(Hit("k", k, k + 1, k + 2, [Group("militant", 1, 1, 1, None, k + 1, k + 2)], "active",
                            agent=True))
            return
        if j >= n or toks[j] not in _STOP_VERBS or j in used:
            continue
        if toks[j] != "killed" and (j + 1 >= n or toks[j + 1] not in ("dead", "down")):
            continue
        fired(R_ATTACKER_STOPPED)
        used.add(j)
        hits.append(Hit("k", j, b + 1, j + 1, [Group("militant", 1, 1, 1, None, b + 1, j)], "passive"))
        return


def _died_of_wounded(toks: list[str], hits: list[Hit]) -> None:
    """"wounded 14 people, three of whom later died": the dead leave the wounded (3 killed, 11
    wounded), as the final figures of the event count them."""
    for a in range(len(hits) - 1):
        w, k = hits[a], hits[a + 1]
        if w.kind != "w" or k.kind != "k" or len(k.groups) != 1 or not w.groups or not on(R_DIED_OF_WOUNDED):
            continue
        g = k.groups[0]
        if g.end < 2 or toks[g.end - 2] != "of" or toks[g.end - 1] not in ("whom", "them"):
            continue
        last = w.groups[-1]
        if last.vague is not None or last.value <= g.value or "." in toks[w.end : g.start]:
            continue
        fired(R_DIED_OF_WOUNDED)
        w.groups[-1] = Group(last.category, last.value - g.value, last.low - g.value if last.low > g.value else 1,
                             None if last.high is None else last.high - g.value, None, last.start, last.end,
                             last.qualifier)
        if g.category == "unknown" and last.category != "unknown":
            k.groups[0] = Group(last.category, g.value, g.low, g.high, g.vague, g.start, g.end, g.qualifier)
