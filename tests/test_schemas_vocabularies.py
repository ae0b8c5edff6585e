"""Every vocabulary value in the records is documented, and the consumer README covers it."""

from __future__ import annotations

from typing import get_args

import pytest

from schemas import records, vocabularies
from schemas.published import SCHEMAS_DIR
from schemas.topics import ALL_TOPICS

README = (SCHEMAS_DIR / "README.md").read_text()

PAIRS = [
    (records.VictimCategory, vocabularies.VICTIM_CATEGORIES),
    (records.Method, vocabularies.METHODS),
    (records.Method, vocabularies.ACLED_SUB_EVENTS),
    (records.Perpetrator, vocabularies.PERPETRATORS),
    (records.Precision, vocabularies.PRECISIONS),
    (records.ErrorCode, vocabularies.ERROR_CODES),
]


@pytest.mark.parametrize(("literal", "documented"), PAIRS)
def test_documented_values_are_exactly_the_allowed_values(literal: object, documented: dict) -> None:
    assert set(documented) == set(get_args(literal))


def test_victim_groups_use_every_category_but_mixed() -> None:
    assert set(get_args(records.GroupCategory)) == set(vocabularies.VICTIM_CATEGORIES) - {"mixed"}


def test_every_method_but_unknown_maps_onto_an_acled_sub_event() -> None:
    unmapped = [method for method, sub_events in vocabularies.ACLED_SUB_EVENTS.items() if not sub_events]
    assert unmapped == ["unknown"]


@pytest.mark.parametrize("literal", [records.VictimCategory, records.Method, records.Perpetrator,
                                     records.Precision, records.ErrorCode])
def test_readme_documents_every_value(literal: object) -> None:
    missing = [value for value in get_args(literal) if f"| `{value}` |" not in README]
    assert missing == []


def test_readme_lists_every_topic_with_its_partitions_and_cleanup_policy() -> None:
    for topic in ALL_TOPICS:
        [row] = [line for line in README.splitlines() if line.startswith(f"| `{topic.name}` |")]
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert cells[2:4] == [str(topic.partitions), topic.cleanup_policy], topic.name
        assert cells[4].startswith(topic.record), topic.name


def test_schema_descriptions_carry_the_vocabulary_meanings() -> None:
    method = records.Incident.model_json_schema()["properties"]["method"]
    assert "`car_bomb`: Vehicle-borne bomb" in method["description"]
