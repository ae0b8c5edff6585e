"""``casualty eval`` inputs (issue 18): articles refused, .jsonl read, nothing to score is an error."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from streams.cli.main import cli

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner(mix_stderr=False).invoke(cli, ["eval", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_an_article_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    article = tmp_path / "story.json"
    article.write_bytes(orjson.dumps({"id": "s", "body": "A blast in Basra left two people dead."}))
    code, _, err = run(str(article))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{article}: an article (it has 'body'), not a labelled report: casualty eval scores the corpus format "
        "('text', stated totals, 'gold'; see docs/corpus-format.md); use casualty extract for articles")


def test_jsonl_files_hold_one_report_per_line(tmp_path: Path) -> None:
    lines = [orjson.loads(p.read_bytes()) for p in sorted(FIXTURES.glob("*.json"))]
    bundle = tmp_path / "reports.jsonl"
    bundle.write_bytes(b"\n".join(orjson.dumps(r) for r in lines) + b"\n")
    code, out, err = run("--json", str(bundle))
    assert code == 0, err
    from_jsonl = orjson.loads(out)
    code, out, _ = run("--json", str(FIXTURES))
    from_json = orjson.loads(out)
    for key in ("articles", "gold_articles", "gold", "stated", "incidents", "region_accuracy"):
        assert from_jsonl[key] == from_json[key], key


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path))
    assert code == 1
    assert out == ""
    assert err.strip() == (f"eval: no labelled report to score in {tmp_path} (.json or .jsonl files in the corpus "
                           "format, docs/corpus-format.md)")


def test_the_corpus_format_is_documented_in_the_repository() -> None:
    doc = (ROOT / "docs" / "corpus-format.md").read_text()
    for field in ("`text`", "`headline_killed`", "`gold`", "`complete`", "`region_code`", "`.jsonl`"):
        assert field in doc
