"""The extractor never raises and stays bounded on odd or huge input, and reads a hard-wrapped
text as the same text unwrapped."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import extract
from extractors.segment import MAX_SENTENCE_CHARS, unwrap
from schemas.records import Article


def _article(body: str, **kw: object) -> Article:
    return Article.model_construct(id="odd", body=body, language="en", source=None, url=None, title=None,
                                   published=kw.get("published"), received_at=None)


@pytest.mark.parametrize(
    "body",
    [
        "",
        " ",
        "\n\n\n",
        "killed",
        "were killed",
        "a a a a a killed a a a a",
        "1,000,000,000,000 killed",
        "(((((killed)))))",
        "killed " * 5000,
        "\u0130stanbul: \u0130\u0130\u0130 killed three people",  # lower() changes the length
        "\x00\x01 bodies \ufffd found",
        "In . , killed ; wounded : dead",
        "Seventy-seventy-seven were killed.",
        "At least at least at least 5 were killed.",
    ],
)
def test_odd_bodies_never_raise(body: str) -> None:
    result = extract(_article(body))
    assert result.summary.incident_count == len(result.incidents)


def test_victims_merged_from_a_longer_following_sentence() -> None:
    body = "A shepherd was killed. Four of his young cousins and two elderly neighbours were also killed."
    (inc,) = extract(_article(body)).incidents
    assert (inc.killed, inc.method) == (7, "unknown")


def test_bad_published_value_is_tolerated() -> None:
    result = extract(_article("Gunmen killed two guards.", published="yesterday-ish"))
    assert [(i.killed, i.event_date) for i in result.incidents] == [(2, None)]


def test_an_internal_error_gives_an_empty_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors import pipeline

    def boom(doc: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setitem(pipeline.REGISTRY, "clauses", boom)
    result = extract(_article("Gunmen killed two guards."))
    assert result.incidents == []
    assert (result.summary.article_id, result.summary.extracted_killed) == ("odd", 0)


def test_overlong_sentences_are_skipped_but_the_rest_is_read() -> None:
    long_sentence = "Reports said " + "nothing " * (MAX_SENTENCE_CHARS // 8) + "and 40 people were killed."
    body = long_sentence + "\n\nGunmen killed two guards."
    assert [i.killed for i in extract(_article(body)).incidents] == [2]


def test_a_one_mebibyte_body_is_processed() -> None:
    towns = ("Kirkuk", "Hawija", "Daquq", "Tikrit", "Samarra")
    para = "".join(f"In {t}, gunmen killed two guards. The rest of the paragraph is filler text. " for t in towns) * 8
    body = "\n\n".join([para] * (2**20 // len(para) + 1))
    assert len(body) >= 2**20
    result = extract(_article(body))
    assert result.summary.extracted_killed == 2 * 40 * (2**20 // len(para) + 1)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_random_text_never_raises(text: str) -> None:
    result = extract(_article(text))
    assert result.summary.extracted_killed == sum(i.killed for i in result.incidents)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "an", "two", "forty", "killed", "were", "wounded", "dead", "bodies", "found", "at",
                         "least", ",", ".", "and", "in", "Mosul", "his", "wife", "of", "them", "dozens", "(",
                         ")", "including", "by", "left", "another", "more", "the", "toll", "rose", "to"]),
        max_size=60,
    )
)
def test_word_salad_in_the_genre_never_raises(words: list[str]) -> None:
    result = extract(_article(" ".join(words)))
    assert all(i.killed >= 0 and i.wounded >= 0 for i in result.incidents)


_WRAPPED_PARAGRAPHS = [
    "Unrest claims 15 lives",
    "By a correspondent",
    "BAGHDAD (Wire) - Violence across Iraq killed 15 people and wounded 11 on Wednesday, police and hospital "
    "sources said, in a day of bombings and shootings in the capital and the north.",
    "In Mosul, gunmen in two cars opened fire on a checkpoint manned by soldiers near the old bridge, killing "
    "three of them and wounding two passers-by, a police officer said.",
    "A car bomb parked outside a crowded restaurant in the Karrada district of Baghdad killed twelve diners "
    "and wounded nine others in the evening, officials said.",
]


@pytest.mark.parametrize("width", [60, 72, 80])
def test_a_hard_wrapped_body_reads_like_the_same_text_unwrapped(width: int) -> None:
    plain = "\n\n".join(_WRAPPED_PARAGRAPHS)
    wrapped = "\n\n".join(textwrap.fill(p, width) for p in _WRAPPED_PARAGRAPHS)
    assert "\n" in wrapped.split("\n\n")[2]  # (the test really wraps its sentences)

    def read(body: str) -> list[tuple[int, int, str | None, int, int]]:
        result = extract(Article(id="w", body=body, published="2016-06-15"))
        return [(i.killed, i.wounded, i.location.region_code, i.evidence.start, i.evidence.end)
                for i in result.incidents]

    assert read(wrapped) == read(plain) == [
        (3, 2, "IQ-NI", *_span(plain, "In Mosul")), (12, 9, "IQ-BG", *_span(plain, "A car bomb"))]


def _span(body: str, opening: str) -> tuple[int, int]:
    start = body.index(opening)
    return start, body.index(".", start) + 1


def test_unwrap_keeps_offsets_and_leaves_unwrapped_text_alone() -> None:
    wrapped = textwrap.fill(_WRAPPED_PARAGRAPHS[3], 60) + "\n\n" + textwrap.fill(_WRAPPED_PARAGRAPHS[4], 60)
    out = unwrap(wrapped)
    assert len(out) == len(wrapped) and out.count("\n") == 2
    assert unwrap("\n\n".join(_WRAPPED_PARAGRAPHS)) == "\n\n".join(_WRAPPED_PARAGRAPHS)
    # short lines of their own (a list of captions) are not a wrapped paragraph
    assert unwrap("Photo: a checkpoint\nBy a correspondent\nFiled from Baghdad") == (
        "Photo: a checkpoint\nBy a correspondent\nFiled from Baghdad")


def test_a_body_sent_as_html_gives_the_incidents_of_its_text() -> None:
    from extractors import extract
    from schemas.records import Article

    text = ("KIRKUK, Iraq (Wire) - A car bomb killed seven people near a bus station in Kirkuk on Tuesday, police "
            "said.\n\nAnother 12 people were wounded.")
    html = ('<div class="story"><p>KIRKUK, Iraq (Wire) - A car bomb killed <b>seven</b> people near a bus station in '
            'Kirkuk on Tuesday, police said.</p>\n<p>Another 12&nbsp;people were wounded.</p></div>')

    def read(body: str) -> list[tuple[int, int, str | None, str]]:
        result = extract(Article(id="h", body=body, published="2013-04-09"))
        return [(i.killed, i.wounded, i.location.region_code, i.evidence.text) for i in result.incidents]

    assert read(html) == read(text) == [
        (7, 12, "IQ-KI", "KIRKUK, Iraq (Wire) - A car bomb killed seven people near a bus station in Kirkuk on "
                         "Tuesday, police said.")]


def test_angle_brackets_in_prose_are_not_taken_for_markup() -> None:
    from extractors.markup import looks_like_html

    assert not looks_like_html("Casualties rose from <10 to >40 in a week; see <b> below.")
    assert looks_like_html("<p>One.</p><p>Two.</p>")
    assert looks_like_html("Line one<br>Line two<br/>")


def test_soft_hyphens_and_zero_width_characters_split_no_name() -> None:
    from extractors import extract
    from schemas.records import Article

    body = "In Mo\u00adsul, a road\u200bside bomb killed two sol\u00addiers near a check\u00adpoint."
    result = extract(Article(id="s", body=body, published="2013-04-09"))
    assert [(i.killed, i.location.region_code, i.location.name) for i in result.incidents] == [(2, "IQ-NI", "Mosul")]
