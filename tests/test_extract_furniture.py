"""A stored page's blocks of links to other stories are not the story (rule ``text.link_blocks``):
their headlines' places do not place the story's incidents. Pages written for these tests."""

from __future__ import annotations

from extractors import extract
from extractors.furniture import blank_spans, link_block_spans
from extractors.rules import disabled
from extractors.segment import segment
from schemas.records import Article


def blank_link_blocks(body: str) -> str:
    """The body as the segment step reads it: its link blocks blanked."""
    return blank_spans(body, link_block_spans(segment(body)))

STORY = (
    "ISLAMABAD (Reuters) - A bomb tucked into a fruit cart went off at a busy bazaar in northwestern Pakistan "
    "on Tuesday, killing 11 people, police said.\n\n"
    "Related coverage\n"
    "* Blast at Quetta rally kills five\n"
    "* Pakistan says militants killed in raid\n\n"
    "Police said the bomb was set off by remote control. Seven of those hurt were said to be in danger.\n"
)


def test_a_block_of_related_headlines_is_blanked_and_the_story_around_it_kept() -> None:
    blanked = blank_link_blocks(STORY)
    assert len(blanked) == len(STORY)  # offsets into the body stay valid
    assert "Quetta" not in blanked and "Related coverage" not in blanked
    assert "fruit cart" in blanked and "remote control" in blanked


def test_a_related_headlines_place_does_not_place_the_story() -> None:
    def places() -> list[tuple[int, str | None]]:
        result = extract(Article(id="t", body=STORY, published="2025-09-16"))
        return [(i.killed, i.location.region_code) for i in result.incidents]

    assert places() == [(11, None)]  # "northwestern Pakistan": no province named by the story
    with disabled("text.link_blocks"):
        assert places() == [(11, "PK-BA")]  # Quetta's province, from another story's headline


def test_a_single_read_more_line_is_blanked() -> None:
    body = "Gunmen killed two guards in Kano on Monday, police said.\nREAD MORE: Bomb kills 9 in Maiduguri\n"
    assert "Maiduguri" not in blank_link_blocks(body)


def test_prose_after_a_header_is_not_a_headline_even_without_its_period() -> None:
    body = ("Read more\nBomb hits Aden port\n__________\n"
            "He also said that the rebels were behind an explosion that damaged a ship near the port city of Aden\n")
    blanked = blank_link_blocks(body)
    assert "Bomb hits Aden port" not in blanked
    assert "He also said that the rebels were behind an explosion" in blanked


def test_a_body_without_any_header_has_no_link_block() -> None:
    body = "Gunmen killed two guards in Kano on Monday, police said.\nRecommended by the governor, he said."
    assert link_block_spans(segment(body)) == []


def test_a_headline_with_its_period_in_a_block_is_a_link_and_a_section_header_opens_a_block() -> None:
    for header in ("ALSO READ", "More from Nigeria"):
        body = ("Gunmen killed six people in a night raid on a village in Kaduna State, police said on Friday.\n\n"
                f"{header}\n\nSuicide bomber kills 7 at Maiduguri market.\n\n"
                "Bandits kill 12 in Zamfara village raid")
        incidents = [(i.killed, i.location.region_code) for i in extract(
            Article(id="t", body=body, published="2025-06-06")).incidents if i.status == "counted"]
        assert incidents == [(6, "NG-KD")], header


STORY_ENDS = ("KADUNA, Nigeria (AP) - Gunmen killed six people in a night raid on a village in Kaduna State, police "
              "said Friday.\n\nThe attackers came on motorcycles, police said. Two people were wounded.\n\n")


def test_a_copyright_notice_ends_the_story_and_the_next_story_on_the_page_is_not_read() -> None:
    body = STORY_ENDS + ("Copyright 2025 The Associated Press. All rights reserved.\n\nNext Story\n\n"
                         "NAIROBI, Kenya (AP) - A roadside bomb killed three police officers in Mandera on Friday.")
    assert [(i.killed, i.wounded, i.location.region_code) for i in extract(
        Article(id="t", body=body, published="2025-06-06")).incidents] == [(6, 2, "NG-KD")]
    # a photograph's credit is no notice: the story goes on after it
    body = STORY_ENDS.replace("\n\nThe attackers", "\n\nCopyright AFP\n\nThe attackers")
    found = extract(Article(id="t", body=body, published="2025-06-06")).incidents
    assert [(i.killed, i.wounded) for i in found] == [(6, 2)]


def test_another_storys_dateline_under_a_header_opens_that_story_not_this_one() -> None:
    body = STORY_ENDS + ("Top Stories\n\nRussian strike kills 3 in Kharkiv\n\nJune 6, 2025\n\n"
                         "KYIV, Ukraine (AP) - A Russian missile strike killed three people in Kharkiv on Friday.")
    assert [(i.killed, i.wounded, i.location.region_code) for i in extract(
        Article(id="t", body=body, published="2025-06-06")).incidents] == [(6, 2, "NG-KD")]
