"""The extractor's fast paths give exactly what the plain form they replace gives.

Several hot spots of the extractor do one thing in a faster way than the obvious one (a regex
applied by hand to ASCII text, chunk-wise tokenising, key-word bit masks, cue-table lookups).
Each test here runs the fast path and the reference form on the same generated text, seeded, and
on the gazetteer paragraphs of the demo articles, and requires identical results.
"""

from __future__ import annotations

import bisect
import random
import re
from pathlib import Path

import orjson
import pytest

from extractors.classify import _METHOD, _METHOD_KEYS, _PERPETRATOR, _PERPETRATOR_KEYS, _Table
from extractors.gazetteer import (
    _START_RE,
    _TOKEN_RE,
    _ascii_classes,
    _next_word,
    _start_spans,
    _tokens_from,
)
from extractors.lexicon import METHOD_CUES, PERPETRATOR_CUES
from extractors.locations import _NOT_PLACES, _UNKNOWN_PLACE, _cue_name, _unknown_name
from extractors.quantities import word_value
from extractors.record import bisect_left
from extractors.segment import (
    _SENT_END,
    _TOKEN,
    KeyWords,
    Sentence,
    _find_tokens,
    _found_end_spans,
    _spans,
    key_mask,
    mask_of,
    safe_lower,
)
from extractors.timex import _YEAR_RE, year_strings

ROOT = Path(__file__).resolve().parent.parent


def _generated(alphabet: str, count: int, seed: int, longest: int = 30) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest))) for _ in range(count)]


def _demo_texts() -> list[str]:
    out = []
    for path in sorted((ROOT / "streams" / "demo" / "articles").glob("*.json")):
        body = str(orjson.loads(path.read_bytes()).get("body") or "")
        out += [line for line in body.splitlines() if line.strip()]
    return out


# ASCII letters, digits and the characters the rules treat specially, plus typographic and
# non-ASCII characters that send a text back to the regexes
_GAZ_ALPHABET = "aZ0_'` -.,\"()Qq9x\t\u2019\u201c\u201d\u2013\u2014\u2026\u00a0"
_GAZ_TEXTS = (
    _generated(_GAZ_ALPHABET, 20000, 1)
    + _generated(_GAZ_ALPHABET + "\u00e9\u02bc\u02bf\u00b4\u2018", 5000, 2)
    + _generated("aAlLsS-' \u2019dD", 5000, 3)
    + ["", "A", "1", "3rd", "A3 B", "O'Neil X`Ab", "_A 'B `C", "12_", "A'b", "A'bc'", "A''bc",
       "Al-Qaim al Anbar", "AL-ANBAR", "As-Sadr city", "Ba\u2019quba"]
)


@pytest.mark.parametrize("texts", [_GAZ_TEXTS, _demo_texts()], ids=["generated", "demo"])
def test_gazetteer_ascii_scanner_equals_the_regexes(texts: list[str]) -> None:
    for text in texts:
        cls = _ascii_classes(text)
        assert _start_spans(text, cls) == [m.span() for m in _START_RE.finditer(text)], text
        if cls is None:
            continue
        for pos in range(len(text) + 1):
            m = _TOKEN_RE.search(text, pos)
            assert _next_word(cls, pos) == (m.span() if m else (-1, -1)), (text, pos)
        for pos in range(0, len(text) + 1, 3):
            for count in (1, 2, 4):
                assert _tokens_from(text, pos, count, cls) == _tokens_from(text, pos, count), (text, pos)


def test_ascii_classes_only_for_ascii_and_typographic_text() -> None:
    assert _ascii_classes("Baghdad \u2014 \u201cBa\u2019quba\u201d") is not None
    assert _ascii_classes("Sal\u0101h ad-D\u012bn") is None
    assert _ascii_classes("\u2018quoted\u2019") is None  # (an apostrophe for one regex, not the other)


_TOKEN_ALPHABET = "ab1,.;:!?\"')]}-\u2019\u201d_ \u00e9x"


@pytest.mark.parametrize("texts", [_generated(_TOKEN_ALPHABET, 30000, 4), _demo_texts()], ids=["generated", "demo"])
def test_chunk_tokeniser_equals_the_token_regex(texts: list[str]) -> None:
    for text in texts:
        low = safe_lower(text)
        assert _find_tokens(low) == _TOKEN.findall(low), low
        starts: list[int] = []
        ends: list[int] = []
        _spans(low, 7, starts, ends)
        assert list(zip(starts, ends, strict=True)) == [(7 + a, 7 + b) for a, b in
                                                       (m.span() for m in _TOKEN.finditer(low))], low


@pytest.mark.parametrize(
    "texts", [_generated("a.!?\"')]\u201d\u2019 \t\u00a0B", 30000, 5), _demo_texts()], ids=["generated", "demo"]
)
def test_sentence_ends_equal_the_regex(texts: list[str]) -> None:
    for text in texts:
        assert _found_end_spans(text) == [m.span() for m in _SENT_END.finditer(text)], text


def test_numbers_equal_the_digit_regex() -> None:
    digits = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
    for tok in [*_generated("0123456789,a\u00b2\u0663", 50000, 6, longest=9), "1,200", "12,345,678", "1,20"]:
        expected = int(tok.replace(",", "")) if tok[:1].isdigit() and digits.match(tok) else None
        assert word_value(tok) == expected, tok


_KEYS_A = KeyWords(("said", "told", "i.e.d."))
_KEYS_B = KeyWords(("told", "toll"))


def test_key_masks_equal_set_tests() -> None:
    rnd = random.Random(7)
    vocabulary = ["said", "told", "toll", "i.e.d.", "i.e.d", "a", "bomb", "killed", "."]
    for _ in range(2000):
        toks = [rnd.choice(vocabulary) for _ in range(rnd.randint(0, 8))]
        sent = Sentence(" ".join(toks), 0, 0, 0, 0)
        sent.toks = toks
        for keys in (_KEYS_A, _KEYS_B):
            assert keys.in_sentence(sent) == (not keys.words.isdisjoint(toks))
            assert keys.in_mask(mask_of(toks)) == keys.in_mask(key_mask(sent))


def _reference_first(cues: list[tuple[str, tuple[str, ...]]], toks: list[str]) -> str | None:
    """The cue tables' meaning, written plainly: a dotted token also counts without its dot."""
    words = set(toks) | {t.rstrip(".") for t in toks if len(t) > 1 and t.endswith(".")}
    text = " ".join(toks)
    for label, cue_words in cues:
        for cue in cue_words:
            if (" " in cue and cue.split(" ", 1)[0] in words and cue in text) or cue in words:
                return label
    return None


@pytest.mark.parametrize(("table", "cues"), [(_METHOD, METHOD_CUES), (_PERPETRATOR, PERPETRATOR_CUES)])
def test_cue_tables_equal_their_plain_reading(table: _Table, cues: list[tuple[str, tuple[str, ...]]]) -> None:
    rnd = random.Random(8)
    cue_words = sorted({w for _, words in cues for cue in words for w in cue.split(" ")})
    vocabulary = [*cue_words, "i.e.d.", "u.s.", "killed", "the", "a"]
    starts = {cue.split(" ", 1)[0] for _, words in cues for cue in words}  # words that can start a cue
    for _ in range(5000):
        toks = [rnd.choice(vocabulary) for _ in range(rnd.randint(0, 7))]
        assert table.first(toks) == _reference_first(cues, toks), toks
        assert table.any_in(toks) == any(
            t in starts or (len(t) > 1 and t.endswith(".") and t.rstrip(".") in starts) for t in toks
        )
        # classify asks the sentence's key-word mask instead
        sent = Sentence(" ".join(toks), 0, 0, 0, 0)
        sent.toks = toks
        keys = _METHOD_KEYS if table is _METHOD else _PERPETRATOR_KEYS
        assert keys.in_sentence(sent) == table.any_in(toks), toks


def _words(vocabulary: list[str], separators: list[str], count: int, seed: int, longest: int = 12) -> list[str]:
    """Random texts made of the given words and separators (seeded)."""
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rnd.randint(0, longest)):
            parts += [rnd.choice(vocabulary), rnd.choice(separators)]
        out.append("".join(parts))
    return out


_YEAR_TEXTS = [
    *_generated("0123456789 19 20-a\u0663", 20000, 9, longest=16),
    "", "1999", "21999", "19999", "2049 2050 1950 1949", "x2004y", "\u06632004", "2004\u0663", "200\u0663",
]


def test_year_strings_equal_the_year_regex() -> None:
    for text in _YEAR_TEXTS:
        assert year_strings(text) == _YEAR_RE.findall(text), text


def _reference_tokenize_with_asides(low: str, base: int) -> tuple[list[str], list[int], list[int]]:
    """The tokeniser for sentences with parentheses as it was: one regex match per token."""
    toks: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    paren = -1
    for m in _TOKEN.finditer(low):
        tok = m.group()
        if tok == "(":
            paren = len(toks)
        elif tok == ")" and paren >= 0:
            if len(toks) - paren <= 5:
                del toks[paren:], starts[paren:], ends[paren:]
                paren = -1
                continue
            paren = -1
        if tok.endswith("'s"):
            tok = tok[:-2]
        toks.append(tok)
        starts.append(base + m.start())
        ends.append(base + m.end())
    return toks, starts, ends


_ASIDE_WORDS = ["(", ")", "(pkk)", "(reuters)", "a", "bomb", "killed", "u.s.", "1,200", "60-year-old", "man's", "said.",
                "people,", "\u2019s", "_x", "\u00e9t\u00e9", ";", "12"]


def test_tokeniser_with_asides_equals_one_regex_match_per_token() -> None:
    from extractors.segment import tokenize

    texts = _words(_ASIDE_WORDS, [" ", " ", "", "\t", "("], 20000, 14, longest=14)
    for text in texts:
        low = safe_lower(text)
        if "(" not in low:
            continue
        sent = Sentence(text, 5, 5 + len(text), 0, 0)
        tokenize(sent, low)
        assert (sent.toks, sent.starts, sent.ends) == _reference_tokenize_with_asides(low, 5), text


def _reference_unknown_name(text: str) -> str | None:
    """What ``_unknown_name`` did before its fast paths: every match of the pattern, in order."""
    for m in _UNKNOWN_PLACE.finditer(text):
        name = _cue_name(m)
        if name is None:
            continue
        first = name.split()[0]
        if first in _NOT_PLACES or first.rstrip("\u2019's") in _NOT_PLACES:
            continue
        return name
    return None


_PLACE_WORDS = [
    "in", "at", "near", "outside", "around", "In", "the", "town", "village", "of", "remote", "border", "al-", "Al-",
    "el-", "Baghdad", "Monday", "The", "Iraq", "Mosul", "X", "killing", "that", "inside", "nearby", "_in", "9at",
    "Ba\u2019quba", "Sadr-City", "\u00c9vry", "said", "people", "on", "island", "northern", "Faso's", "province",
]


@pytest.mark.parametrize(
    "texts",
    [_words(_PLACE_WORDS, [" ", " ", "", "\t", "\u00a0", "-", ", ", "\n"], 30000, 10), _demo_texts()],
    ids=["generated", "demo"],
)
def test_unknown_place_names_equal_the_plain_scan(texts: list[str]) -> None:
    for text in texts:
        assert _unknown_name(text) == _reference_unknown_name(text), text


def _search_after_cases() -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    from extractors import assemble, context, scope, stated

    return [
        (assemble._SEPARATE, assemble._SEPARATE_STARTS), (assemble._ALSO, assemble._ALSO_STARTS),
        (assemble._POSSIBLY, assemble._POSSIBLY_STARTS), (assemble._ATTRIBUTION, assemble._ATTRIBUTION_STARTS),
        (assemble._BACK_REFERENCE, assemble._BACK_REFERENCE_STARTS), (assemble._SUBSET, assemble._SUBSET_STARTS),
        (assemble._ALTERNATIVE, assemble._ALTERNATIVE_STARTS), (assemble._REVISED, assemble._REVISED_STARTS),
        (context._TOLL, context._TOLL_STARTS), (context._TOLL_CHANGE, context._CHANGE_STARTS),
        (stated._STRONG_SCOPE, ("altogether", "overall", "in total", "in all", "nationwide", "throughout the country",
                                "across ", "around the country", ":")),
        (stated._WEAK_SCOPE, ("attacks", "violence", "incidents", "bombings", "shootings", "airstrikes", "mostly")),
        (stated._MULTI, ("in ",)), (stated._ATTRIBUTION, ("said", "says", "told", "added", "according to")),
        (stated._CAUSE, stated._CAUSE_STARTS), (context._OVERALL, context._OVERALL_STARTS),
        (scope._NON_VIOLENT, scope._NON_VIOLENT_STARTS), (scope._HYPOTHETICAL, scope._HYPOTHETICAL_STARTS),
    ]


# phrases the patterns above match, near misses, and single words, joined by separators that make
# and break word boundaries
_SEARCH_PHRASES = [
    "in the attack", "by the blast", "during the raid", "from the suicide attack", "in the same car",
    "by the attacks", "in the city", "the attack", "in two separate attacks", "three separate", "in separate",
    "possibly", "maybe", "said", "says", "told", "added", "according to", "confirmed", "stated", "among the dead",
    "of those killed", "of the wounded", "one of the", "among those injured", "other sources", "another report",
    "some officials", "revised", "updated", "lowered to", "toll", "figures", "number of dead", "number of civilians",
    "rose", "went up", "also", "as well", "altogether", "in all", "in total", "across iraq", "across the country",
    "across northern", "nationwide", "violence", "mostly", "incidents", "in two incidents", "in several attacks",
    "a fire", "the blaze", "massive fire on", "accidental", "crashed", "drowning", "electrocuted", "heat stroke",
    "heatstroke", "natural causes", "collapsed", "heart attack", "non-combat", "could kill", "would not have been",
    "killed", "may die", "will be hurt", "threatened to kill", "vowed to attack", "planned to execute", "bomb",
    "bombed", "air strike", "shelling", "mortars", "gunman", "i.e.d", "opened fire", "struck", "overall",
    "combined", "weekly", "in", "the", "by", "of", "x", "9", ":",
]


def test_searches_from_the_first_possible_start_equal_full_searches() -> None:
    from extractors.segment import search_after
    from extractors.stated import _attributed, _multi, _strong_words, _weak

    texts = _words(_SEARCH_PHRASES, [" ", " ", " ", "", "-", ", ", "_", "\u00e9", ":\n"], 20000, 13, longest=6)
    for pattern, starts in _search_after_cases():
        for text in texts:
            plain = pattern.search(text)
            fast = search_after(pattern, text, starts)
            assert (fast and (fast.span(), fast.group())) == (plain and (plain.span(), plain.group())), (
                pattern.pattern, text)
    from extractors import stated

    for gate, pattern in ((_strong_words, stated._STRONG_SCOPE), (_weak, stated._WEAK_SCOPE),
                          (_multi, stated._MULTI), (_attributed, stated._ATTRIBUTION)):
        for text in texts:
            assert gate(text) == (pattern.search(text) is not None), (pattern.pattern, text)


def test_native_bisection_equals_the_bisect_module() -> None:
    rnd = random.Random(11)
    for _ in range(3000):
        values = sorted(rnd.randint(0, 30) for _ in range(rnd.randint(0, 12)))
        x = rnd.randint(-2, 32)
        assert bisect_left(values, x) == bisect.bisect_left(values, x), (values, x)


def test_the_modules_know_whether_they_run_compiled() -> None:
    """The fast paths that only pay off compiled are chosen by ``extractors.record.COMPILED``."""
    import extractors
    from extractors import record

    assert record.COMPILED == extractors.COMPILED


def test_records_built_without_validation_equal_validated_ones_and_share_a_set_that_never_changes() -> None:
    from extractors import extract
    from schemas.records import Article, Incident

    body = ("In Mosul, two traffic policemen were shot dead and a third hurt.\n\n"
            "A roadside bomb killed a shepherd near Tikrit.")
    first, second = extract(Article(id="rec", body=body, published="2021-05-04")).incidents
    assert Incident.model_validate(first.model_dump()) == first
    assert first.model_fields_set == set(Incident.model_fields)
    # pydantic adds an assigned field's name to the set: the name is in it already
    first.status = "suspect"
    copied = second.model_copy(update={"killed": 3})
    assert second.model_fields_set == set(Incident.model_fields) == copied.model_fields_set
    assert (second.killed, copied.killed, first.status) == (1, 3, "suspect")
