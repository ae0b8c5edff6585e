"""Same output before and after a speed change: every record the extractor writes, as sorted-key JSON.

A speed change must not change a single record. This script extracts a fixed set of inputs and
writes every Incident and ArticleSummary (``model_dump(mode="json")``, sorted keys), one line per
record, so that two versions of the code can be compared byte for byte:

* the readable dev reports (``--corpus``, default ``/work/readable-corpus``), as written,
  lower-cased and on one line;
* every paragraph (non-blank line) of those reports as an article of its own;
* the demo articles (``streams/demo/articles``) and the test fixtures (``tests/fixtures``: the
  article files, ``stream_day.json``, the JSON-lines feeds), as written, lower-cased and on one line;
* generated articles (:mod:`bench.generator`): 3,000 of seed 0 as generated and on one line, and
  500 of seed 7.

    python bench/same_output.py write DIR     # DIR/compiled.jsonl and DIR/pure.jsonl (the reference)
    python bench/same_output.py check DIR     # the same again; exit 1 at the first difference
    python bench/same_output.py dump FILE     # this process's build only (CASUALTY_EXTRACTORS_PURE decides)

``write`` and ``check`` run ``dump`` twice in child processes, once with the compiled modules and
once with ``CASUALTY_EXTRACTORS_PURE=1``; ``check`` also requires both builds to agree. The output
holds corpus text (evidence sentences): keep the reference outside the repository.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = Path("/work/readable-corpus")


def _variants(art: object) -> Iterator[object]:
    """The article as written, lower-cased and on one line (the same fields otherwise)."""
    body = art.body  # type: ignore[attr-defined]
    yield art
    yield art.model_copy(update={"body": body.lower()})  # type: ignore[attr-defined]
    yield art.model_copy(update={"body": body.replace("\n", " ")})  # type: ignore[attr-defined]


def _inputs(corpus: Path) -> Iterator[tuple[str, object]]:
    """(label, Article) for every input, in a fixed order."""
    import orjson

    from bench.generator import generate
    from extractors.corpus import article_from_record, iter_paths, load_file
    from schemas.records import Article

    reports = [load_file(p).article for p in iter_paths([corpus])]
    for art in reports:
        for k, v in enumerate(_variants(art)):
            yield f"corpus/{art.id}/{k}", v
    for art in reports:
        for k, para in enumerate(art.body.split("\n")):
            if para.strip():
                yield f"paragraph/{art.id}/{k}", art.model_copy(update={"id": f"{art.id}-p{k}", "body": para})
    files: list[Path] = sorted((ROOT / "streams/demo/articles").glob("*.json"))
    files += sorted((ROOT / "tests/fixtures/articles").glob("*.json"))
    files += sorted((ROOT / "tests/fixtures/events/labelled").glob("*.json"))
    files.append(ROOT / "tests/fixtures/stream_day.json")
    records: list[tuple[str, dict[str, object]]] = []
    for p in files:
        rec = orjson.loads(p.read_bytes())
        records.append((p.stem, rec))
    for p in (ROOT / "tests/fixtures/events/feed.jsonl", ROOT / "tests/fixtures/feeds/wire-day.jsonl"):
        for n, line in enumerate(p.read_bytes().splitlines()):
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # the feeds hold malformed lines on purpose
            if isinstance(rec, dict) and isinstance(rec.get("body"), str):
                records.append((f"{p.stem}-{n}", rec))
    for stem, rec in records:
        try:
            art = article_from_record(rec, stem) if "body" not in rec else Article.model_validate(rec)
        except Exception:  # (a fixture that is not a valid article: not an extractor input)
            continue
        for k, v in enumerate(_variants(art)):
            yield f"fixture/{stem}/{k}", v
    for seed, n in ((0, 3000), (7, 500)):
        for s in generate(n, seed=seed):
            art = Article.model_validate(s.article)
            yield f"generated/{art.id}/0", art
            if seed == 0:
                yield f"generated/{art.id}/1", art.model_copy(update={"body": art.body.replace("\n", " ")})


def dump(out: Path, corpus: Path) -> int:
    """Extract every input with this process's build and write the records; returns the count."""
    import orjson

    import extractors
    from extractors import extract

    n = 0
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f"compiled {extractors.COMPILED}\n")
        for label, art in _inputs(corpus):
            res = extract(art)  # type: ignore[arg-type]
            for rec in [*res.incidents, res.summary]:
                fh.write(label + "\t")
                fh.write(orjson.dumps(rec.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS).decode())
                fh.write("\n")
                n += 1
    return n


def _run(out: Path, corpus: Path, pure: bool) -> None:
    env = dict(os.environ)
    env.pop("CASUALTY_EXTRACTORS_PURE", None)
    if pure:
        env["CASUALTY_EXTRACTORS_PURE"] = "1"
    subprocess.run([sys.executable, __file__, "dump", str(out), "--corpus", str(corpus)], env=env, check=True)
    head = out.open(encoding="utf-8").readline().strip()
    if head != f"compiled {not pure}":
        raise SystemExit(f"{out}: expected 'compiled {not pure}', got {head!r} (run python -m extractors.compile)")


def _first_difference(a: Path, b: Path) -> str | None:
    with a.open(encoding="utf-8") as fa, b.open(encoding="utf-8") as fb:
        fa.readline()
        fb.readline()
        # (not strict: a length difference is reported below, after the common lines)
        for n, (la, lb) in enumerate(zip(fa, fb, strict=False), start=2):
            if la != lb:
                return f"line {n}:\n  {a}: {la[:400]}\n  {b}: {lb[:400]}"
        rest_a, rest_b = fa.readline(), fb.readline()
        if rest_a or rest_b:
            return f"{a} and {b} differ in length"
    return None


def main(argv: list[str] | None = None) -> int:
    """CLI entry point (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("write", "check", "dump"))
    ap.add_argument("path", type=Path)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args(argv)
    if args.command == "dump":
        n = dump(args.path, args.corpus)
        print(f"{args.path}: {n} records", file=sys.stderr)
        return 0
    ref: Path = args.path
    ref.mkdir(parents=True, exist_ok=True)
    if args.command == "write":
        _run(ref / "compiled.jsonl", args.corpus, pure=False)
        _run(ref / "pure.jsonl", args.corpus, pure=True)
        diff = _first_difference(ref / "compiled.jsonl", ref / "pure.jsonl")
        if diff:
            print("compiled and pure differ: " + diff)
            return 1
        return 0
    failed = False
    for name, pure in (("compiled", False), ("pure", True)):
        new = ref / f"{name}.new.jsonl"
        _run(new, args.corpus, pure=pure)
        diff = _first_difference(ref / f"{name}.jsonl", new)
        print(f"{name}: " + ("same output" if diff is None else "DIFFERENT " + diff))
        failed = failed or diff is not None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
