"""The committed JSON Schemas match the code, examples validate against them, and the CLI generates/checks them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft7Validator, Draft202012Validator

from schemas.codec import dumps, loads
from schemas.deadletter import dead_letter_for
from schemas.jsonschema import RECORDS, record_schema, schema_file_name
from schemas.published import SCHEMAS_DIR, drifted_files, published_files
from schemas.records import SCHEMA_VERSION, DeadLetter
from schemas.validation import ArticleError, parse_article
from streams.cli.main import cli

EXAMPLES = sorted((SCHEMAS_DIR / "examples").glob("*.json"))


def stem_of(example: Path) -> str:
    return example.name.split(".")[0]


def test_committed_files_match_the_code() -> None:
    assert drifted_files() == [], "run `casualty schemas generate` and commit the result"


def test_every_record_has_a_schema_with_id_title_and_version() -> None:
    for stem, model in RECORDS.items():
        schema = json.loads((SCHEMAS_DIR / "json" / schema_file_name(stem)).read_text())
        assert schema["$id"] == f"urn:casualty-stream:schema:{stem}:v1"
        assert schema["title"] == model.__name__
        assert schema["version"] == SCHEMA_VERSION == "1.4"
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)


def test_output_is_deterministic_sorted_with_trailing_newline() -> None:
    first, second = published_files(), published_files()
    assert first == second
    content = first["json/incident.schema.json"]
    assert content.endswith("}\n")
    assert content == json.dumps(json.loads(content), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_article_schema_lets_producers_omit_the_id_but_requires_a_body() -> None:
    schema = record_schema("article")
    assert schema["required"] == ["body"]
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"body": "text"})
    assert not validator.is_valid({"body": "   "})
    assert not validator.is_valid({"title": "no body"})


def test_there_is_an_example_for_every_record() -> None:
    assert {stem_of(example) for example in EXAMPLES} == set(RECORDS)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_validates_against_its_schema_in_2020_12_and_draft_07(example: Path) -> None:
    instance = json.loads(example.read_text())
    schema = record_schema(stem_of(example))
    Draft202012Validator(schema).validate(instance)
    Draft7Validator(schema).validate(instance)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_is_accepted_by_the_record_and_keeps_its_fields(example: Path) -> None:
    raw = example.read_bytes()
    stem = stem_of(example)
    record = parse_article(raw) if stem == "article" else loads(RECORDS[stem], raw)
    written = json.loads(dumps(record))
    sent = json.loads(raw)
    known = {name: value for name, value in sent.items() if name in written}
    assert {name: written[name] for name in known} == known


def test_schema_rejects_what_the_record_rejects() -> None:
    validator = Draft202012Validator(record_schema("incident"))
    incident = json.loads((SCHEMAS_DIR / "examples" / "incident.json").read_text())
    for field, bad in [("method", "bomb"), ("killed", -1), ("confidence", 1.5), ("victim_category", "kids")]:
        assert not validator.is_valid({**incident, field: bad}), field


def test_dead_letter_example_matches_what_the_code_produces() -> None:
    raw = b'{"title": "Clash in Ramadi", "body": 42}'
    with pytest.raises(ArticleError) as caught:
        parse_article(raw)
    record, _ = dead_letter_for(raw, caught.value, topic="articles", partition=3, offset=1187,
                                timestamp=1173866531000)
    example = loads(DeadLetter, (SCHEMAS_DIR / "examples" / "dead_letter.json").read_bytes())
    assert record.model_copy(update={"occurred_at": example.occurred_at}) == example


def test_cli_generate_writes_every_file_and_check_passes_on_them(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["schemas", "generate", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(published_files())
    assert (tmp_path / "asyncapi.yaml").read_text() == (SCHEMAS_DIR / "asyncapi.yaml").read_text()
    result = runner.invoke(cli, ["schemas", "check", "--out", str(tmp_path)])
    assert (result.exit_code, result.output) == (0, "schemas are up to date\n")


def test_cli_check_fails_and_names_the_drifted_file(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["schemas", "generate", "--out", str(tmp_path)])
    stale = tmp_path / "json" / "incident.schema.json"
    stale.write_text(stale.read_text().replace('"killed"', '"deaths"'))
    (tmp_path / "asyncapi.yaml").unlink()
    result = runner.invoke(cli, ["schemas", "check", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert f"out of date: {stale}" in result.output
    assert f"out of date: {tmp_path / 'asyncapi.yaml'}" in result.output
