"""Instructions per article of the extractor (valgrind callgrind): a figure that does not move with
the machine's load, unlike the CPU seconds of :mod:`bench.extract`.

The articles are extracted once and three times, each in its own process under callgrind with
``PYTHONHASHSEED=0``; (instructions of 3 passes - instructions of 1 pass) / (2 x articles) leaves
out start-up, imports and the gazetteer load. The inputs are fixed files, so that two versions of
the code (whose ``bench.generator`` may differ) read the same text:

    python -m bench.icount write-generated 1000 /tmp/gen-articles.jsonl   # generator seed 0
    python -m bench.icount measure --articles-file /tmp/gen-articles.jsonl
    python -m bench.icount measure --corpus /work/readable-corpus

To measure another commit, copy this file into its checkout (it imports only the extractor's
public ``extract`` and the corpus loader). ``compiled`` in the output says whether the mypyc build
ran (``python -m extractors.compile`` first).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _load(articles_file: Path | None, corpus: Path | None) -> list[object]:
    import orjson

    from schemas.records import Article

    if articles_file is not None:
        with articles_file.open("rb") as f:
            return [Article.model_validate(orjson.loads(line)) for line in f if line.strip()]
    from extractors.corpus import load_file

    assert corpus is not None
    return [load_file(p).article for p in sorted(corpus.glob("*.json"))]


def _extract_passes(args: argparse.Namespace) -> None:
    """The process callgrind watches: load, then extract every article ``--passes`` times."""
    from extractors import COMPILED, extract

    arts = _load(args.articles_file, args.corpus)
    for _ in range(args.passes):
        for a in arts:
            extract(a)  # type: ignore[arg-type]
    print(f"compiled={COMPILED} articles={len(arts)}", file=sys.stderr)


def _callgrind(args: argparse.Namespace, passes: int, out: Path) -> tuple[int, str]:
    """(instructions, the child's compiled/articles line) of one child process under callgrind."""
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-m", "bench.icount",
           "passes", "--passes", str(passes)]
    if args.articles_file is not None:
        cmd += ["--articles-file", str(args.articles_file)]
    else:
        cmd += ["--corpus", str(args.corpus)]
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"}, capture_output=True,
                          text=True, check=True)
    info = re.search(r"compiled=\w+ articles=\d+", proc.stderr)
    total = re.search(r"^summary: (\d+)$", out.read_text(), re.MULTILINE)
    if info is None or total is None:
        raise SystemExit(f"callgrind run failed:\n{proc.stderr[-2000:]}")
    return int(total.group(1)), info.group()


def _measure(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        one, info = _callgrind(args, 1, Path(tmp) / "cg.1")
        three, _ = _callgrind(args, 3, Path(tmp) / "cg.3")
    n = int(info.rsplit("=", 1)[1])
    print(f"{info} instructions_per_article={round((three - one) / (2 * n))}")


def _write_generated(args: argparse.Namespace) -> None:
    import orjson

    from bench.generator import generate
    from schemas.records import Article

    with args.path.open("wb") as f:
        for g in generate(args.n, seed=args.seed):
            f.write(orjson.dumps(Article.model_validate(g.article).model_dump(mode="json")) + b"\n")


def main() -> None:
    """Command line (module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write-generated", help="write N generated articles as JSON lines")
    w.add_argument("n", type=int)
    w.add_argument("path", type=Path)
    w.add_argument("--seed", type=int, default=0)
    for name in ("measure", "passes"):
        p = sub.add_parser(name, help="instructions per article" if name == "measure" else "(the measured child)")
        src = p.add_mutually_exclusive_group(required=True)
        src.add_argument("--articles-file", type=Path, help="JSON lines of articles (write-generated)")
        src.add_argument("--corpus", type=Path, help="folder of corpus JSON files")
        if name == "passes":
            p.add_argument("--passes", type=int, required=True)
    args = ap.parse_args()
    if args.cmd == "write-generated":
        _write_generated(args)
    elif args.cmd == "measure":
        _measure(args)
    else:
        _extract_passes(args)


if __name__ == "__main__":
    main()
