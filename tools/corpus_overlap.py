"""Runs of words the repository shares with the real corpus (which must not be copied).

    python tools/corpus_overlap.py ../shared/corpus/dev            # runs of 6+ words, per file
    python tools/corpus_overlap.py ../shared/corpus/dev --words 8 --show
    python tools/corpus_overlap.py ../shared/corpus/dev --paths tests docs --exclude tests/fixtures

Reads every tracked text file (code, comments, docstrings, tests, fixtures, docs), lower-cases
it into words and reports each maximal run of at least ``--words`` consecutive words that also
occurs in a corpus report's text. Fixtures and comments are to be written in our own words: a
comment describes a construction ("a passive clause with the toll after the place") instead of
quoting it. Exit status 1 when any run is found.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

_WORD = re.compile(r"[a-z0-9']+")
# A string literal's escaped line break or tab (in Python and JSON sources) separates words:
# "dead.\nTwo policemen" holds the words "dead", "two", not "ntwo".
_ESCAPED_SPACE = re.compile(r"\\[nrt]")
_SKIP_SUFFIXES = (".png", ".svg", ".so", ".stamp", ".jar")


def words(text: str) -> list[str]:
    """Lower-cased words (letters, digits, apostrophes); escaped line breaks and tabs separate words."""
    return _WORD.findall(_ESCAPED_SPACE.sub(" ", text.lower()))


def corpus_grams(corpus: Path, n: int) -> set[tuple[str, ...]]:
    """Every run of ``n`` words in the corpus reports' texts."""
    grams: set[tuple[str, ...]] = set()
    for path in sorted(corpus.rglob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        w = words(str(record.get("text") or ""))
        grams.update(tuple(w[i : i + n]) for i in range(len(w) - n + 1))
    return grams


def _under(path: str, folders: Sequence[str]) -> bool:
    """Whether the repository-relative ``path`` is one of ``folders`` or lies under one of them."""
    return any(path == f or path.startswith(f + "/") for f in folders)


def repo_files(root: Path, paths: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[Path]:
    """The tracked and untracked-but-not-ignored text files of the repository.

    ``paths`` keeps only the files at or under those repository-relative paths (all when empty);
    ``exclude`` drops the files at or under those.
    """
    keep = [p.strip("/") for p in paths]
    drop = [p.strip("/") for p in exclude]
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=root, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    return [root / f for f in out
            if not f.endswith(_SKIP_SUFFIXES) and (not keep or _under(f, keep)) and not _under(f, drop)
            and (root / f).is_file()]


def shared_runs(text: str, grams: set[tuple[str, ...]], n: int) -> list[str]:
    """Maximal runs of at least ``n`` words of ``text`` whose every ``n``-word window is in ``grams``."""
    w = words(text)
    hit = [tuple(w[i : i + n]) in grams for i in range(len(w) - n + 1)]
    runs: list[str] = []
    i = 0
    while i < len(hit):
        if not hit[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(hit) and hit[j + 1]:
            j += 1
        runs.append(" ".join(w[i : j + n]))
        i = j + 1
    return runs


def repo_runs(root: Path, grams: set[tuple[str, ...]], n: int, paths: Sequence[str] = (),
              exclude: Sequence[str] = ()) -> dict[str, list[str]]:
    """The shared runs of every repository text file that has any, by repository-relative path."""
    found: dict[str, list[str]] = {}
    for path in repo_files(root, paths, exclude):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        runs = shared_runs(text, grams, n)
        if runs:
            found[path.relative_to(root).as_posix()] = runs
    return found


def main(argv: list[str] | None = None) -> int:
    """Print the shared runs per file; exit 1 when there are any."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--words", type=int, default=6, help="shortest run reported (default 6)")
    parser.add_argument("--show", action="store_true", help="print the runs, not only their number")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--paths", nargs="+", default=[], metavar="PATH",
                        help="only files at or under these repository-relative paths")
    parser.add_argument("--exclude", nargs="+", default=[], metavar="PATH",
                        help="skip files at or under these repository-relative paths")
    args = parser.parse_args(argv)
    grams = corpus_grams(args.corpus, args.words)
    total = 0
    for rel, runs in repo_runs(args.root, grams, args.words, args.paths, args.exclude).items():
        total += len(runs)
        print(f"{rel}: {len(runs)} runs")
        if args.show:
            for r in runs:
                print(f"    {r}")
    print(f"{total} runs of {args.words}+ words shared with the corpus")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
