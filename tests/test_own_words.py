"""Our own words: no run of six or more words shared with a real corpus report (tools/corpus_overlap.py).

The check over the repository needs the corpus (``CASUALTY_CORPUS_DIR``, else ``../shared/corpus/dev``
beside the checkout) and is skipped, with the reason, where it is absent. The corpus is read only to
build the set of its six-word runs; the test prints the repository's shared runs, never corpus text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tools.corpus_overlap import corpus_grams, repo_files, repo_runs, shared_runs, words

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("CASUALTY_CORPUS_DIR") or ROOT.parent / "shared" / "corpus" / "dev")
RUN_WORDS = 6


def test_shared_runs_are_maximal_and_need_every_window_in_the_corpus(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"text": "One two three four five six seven eight."}))
    (tmp_path / "b.json").write_text(json.dumps({"body": "nine ten eleven twelve thirteen fourteen"}))
    (tmp_path / "broken.json").write_text("{not json")
    grams = corpus_grams(tmp_path, 3)
    assert ("one", "two", "three") in grams
    assert ("nine", "ten", "eleven") not in grams  # only a record's text counts
    text = "Zero one two three four, five! x six seven eight nine ten eleven"
    assert shared_runs(text, grams, 3) == ["one two three four five", "six seven eight"]
    assert shared_runs("two three five", grams, 3) == []


def test_words_keep_apostrophes_and_digits() -> None:
    assert words("The I.E.D. killed 2 of the army's men") == ["the", "i", "e", "d", "killed", "2", "of", "the",
                                                              "army's", "men"]


def test_an_escaped_line_break_in_a_source_string_separates_words() -> None:
    # as a Python or JSON file holds a body: backslash-n between the paragraphs
    assert words(r'"Two died.\n\nNine were hurt.\tAt noon."') == ["two", "died", "nine", "were", "hurt", "at",
                                                                  "noon"]


def test_repo_files_follow_paths_and_exclude() -> None:
    rels = {p.relative_to(ROOT).as_posix() for p in repo_files(ROOT, ["tests"], ["tests/fixtures"])}
    assert "tests/test_own_words.py" in rels
    assert all(r.startswith("tests/") for r in rels)
    assert not any(r.startswith("tests/fixtures/") for r in rels)
    single = {p.relative_to(ROOT).as_posix() for p in repo_files(ROOT, ["README.md"])}
    assert single == {"README.md"}
    everything = {p.relative_to(ROOT).as_posix() for p in repo_files(ROOT)}
    assert "tests/fixtures/stream_day.json" in everything
    assert not any(r.endswith(".png") for r in everything)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS} (set CASUALTY_CORPUS_DIR)")
def test_no_run_of_six_corpus_words_anywhere_in_the_repository() -> None:
    grams = corpus_grams(CORPUS, RUN_WORDS)
    assert len(grams) > 10_000, f"{CORPUS} holds too little text to check against"
    found = repo_runs(ROOT, grams, RUN_WORDS)
    listing = "\n".join(f"{path}: {run}" for path, runs in sorted(found.items()) for run in runs)
    assert not found, f"runs of {RUN_WORDS}+ words shared with the corpus; say it in our own words:\n{listing}"
