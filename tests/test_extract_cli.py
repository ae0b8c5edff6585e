"""``casualty extract`` and ``casualty eval`` on our own files (tests/fixtures/articles)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from streams.cli.main import cli
from tests.test_extract_stubs import stub_gazetteer

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


@pytest.fixture(autouse=True)
def _stub() -> Iterator[None]:
    with stub_gazetteer():
        yield


def run(*args: str, stdin: str | bytes | None = None) -> tuple[int, list[dict], str]:
    result = CliRunner(mix_stderr=False).invoke(cli, list(args), input=stdin)
    lines = [orjson.loads(x) for x in result.stdout_bytes.splitlines() if x.strip()]
    return result.exit_code, lines, result.stderr


def test_txt_from_stdin() -> None:
    code, lines, err = run("extract", stdin="In Kirkuk, gunmen killed two police officers and wounded a passer-by.\n")
    assert (code, err) == (0, "")
    assert [(x["record"], x["killed"], x["wounded"], x["location"]["region_code"]) for x in lines] == [
        ("incident", 2, 1, "IQ-KI")
    ]


def test_json_file_with_summary(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_bytes(orjson.dumps({"id": "a-1", "published": "2016-05-10",
                                   "body": "At least 3 were killed and 2 wounded across Iraq:\n\n"
                                           "A blast in Basra killed three people and hurt two."}))
    code, lines, _ = run("extract", "--summary", str(path))
    assert code == 0
    assert [x["record"] for x in lines] == ["incident", "summary"]
    summary = lines[1]
    assert (summary["article_id"], summary["stated_killed"], summary["extracted_killed"], summary["reconciled"]) == (
        "a-1", 3, 3, True,
    )


def test_txt_file_uses_the_file_stem_as_id(tmp_path: Path) -> None:
    path = tmp_path / "report-7.txt"
    path.write_text("A roadside bomb killed a soldier near Tikrit.", encoding="utf-8")
    code, lines, _ = run("extract", str(path))
    assert code == 0
    assert [(x["article_id"], x["killed"]) for x in lines] == [("report-7", 1)]


def test_jsonl_bad_lines_are_reported_and_good_ones_written(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        b'{"id": "ok-1", "body": "Gunmen killed a guard in Kirkuk."}\n'
        b"{not json\n"
        b'{"id": "empty", "body": ""}\n'
        b"[1, 2]\n"
        b'{"id": "latin", "body": "caf\xe9 bomb"}\n'
        b'{"id": "ok-2", "body": "A bomb wounded four people in Basra."}\n'
    )
    code, lines, err = run("extract", "--summary", str(path))
    assert code == 1
    assert [(x["record"], x["article_id"]) for x in lines] == [
        ("incident", "ok-1"), ("summary", "ok-1"), ("incident", "ok-2"), ("summary", "ok-2"),
    ]
    err_lines = err.splitlines()
    assert err_lines == [
        f"{path}:2: message is not valid JSON: unexpected character, expected a string key at line 1 column 2; "
        "send one JSON object per message [invalid_json]",
        f"{path}:3: field 'body' is empty; it must contain the article text [empty_body]",
        f"{path}:4: message must be a JSON object with at least a 'body' field, got array [not_an_object]",
        f"{path}:5: message is not valid UTF-8: byte 0xe9 at offset 28 cannot be decoded (invalid continuation "
        "byte); send the article as UTF-8 encoded JSON [not_utf8]",
        "4 item(s) skipped",
    ]


def test_missing_file_is_reported(tmp_path: Path) -> None:
    code, lines, err = run("extract", str(tmp_path / "nope.json"))
    assert (code, lines) == (1, [])
    assert err.splitlines()[0] == f"{tmp_path / 'nope.json'}: no such file or directory"


def test_id_is_derived_when_absent(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"url": "https://example.org/a", "body": "Gunmen killed a guard."}\n', encoding="utf-8")
    _, lines, _ = run("extract", str(path))
    # the worker's own rule (schemas/README.md): sha256 of the url
    assert lines[0]["article_id"] == hashlib.sha256(b"https://example.org/a").hexdigest()


def test_a_folder_and_the_published_and_source_flags(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "kirkuk-1.txt").write_text("Gunmen killed two policemen in Kirkuk on Monday.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    code, lines, err = run("extract", "--published", "2026-03-03", "--source", "Example Wire", str(tmp_path))
    assert (code, err) == (0, "")
    assert [(x["article_id"], x["source"], x["published"], x["event_date"]) for x in lines] == [
        ("kirkuk-1", "Example Wire", "2026-03-03", "2026-03-02")]


def test_an_invalid_published_flag_is_a_usage_error() -> None:
    code, _, err = run("extract", "--published", "last Monday", stdin="A bomb killed two in Basra.")
    assert code == 2
    assert "--published must be an ISO-8601 date or datetime such as 2007-03-14" in err


def test_json_lines_on_stdin_are_recognised() -> None:
    code, lines, _ = run("extract", stdin='{"id": "s-1", "body": "A blast in Basra left two people dead."}\n')
    assert code == 0 and [x["article_id"] for x in lines] == ["s-1"]


def test_eval_json_on_our_labelled_set() -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, ["eval", "--json", str(FIXTURES)])
    assert result.exit_code == 0
    report = orjson.loads(result.stdout_bytes)
    assert (report["articles"], report["gold_articles"], report["stated_articles"]) == (3, 2, 3)
    assert report["gold"] == {"exact": 1.0, "within_tolerance": 1.0, "abs_error": 0, "error_ratio": 0.0,
                              "phantom_reports": 0}
    assert report["stated"] == {"exact": 0.6667, "within_tolerance": 1.0, "abs_error": 3}
    assert report["incidents"] == {"tp": 5, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["region_accuracy"] == 1.0
    by_id = {a["article_id"]: a for a in report["per_article"]}
    assert by_id["example-2016-05-12-partial"]["extracted"] == [4, 0]


def test_eval_filters_and_table() -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, ["eval", "--gold-only", "--only-complete", str(FIXTURES)])
    assert result.exit_code == 0
    out = result.stdout
    assert "example-2016-05-10-daily" in out and "partial" not in out
    assert "articles: 2 (gold-labelled 2, with stated totals 2)" in out
    assert "incidents: P 1.0  R 1.0  F1 1.0  (tp 5 fp 0 fn 0)" in out
