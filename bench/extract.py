"""Throughput and memory of the extractor on one core.

Runs :func:`extractors.extract` over the dev corpus repeated to ``--articles`` articles (default
10,000) after a warm-up pass, and prints articles/s (wall clock and per CPU second, with the 1-minute
load average, because the machine may be shared), mean latency, peak traced memory and RSS growth.
Memory is checked twice: Python allocations with ``tracemalloc`` in a separate shorter pass (tracing
slows Python down, so it is never on during the timed pass) and process RSS before and after the
timed pass (flat RSS = no leak).

    python bench/extract.py [--articles N] [--corpus DIR] [--json]
    python bench/extract.py --synthetic [--articles N]   # N distinct generated articles instead
    python bench/extract.py --steps [--passes 7]    # where the time goes, step by step

``--synthetic`` reads ``--articles`` distinct articles from :mod:`bench.generator` (seeded, so
every run sees the same text) instead of repeating the corpus: no article is seen twice, so a
cache that helps only repeated input cannot inflate the figure.

``compiled`` in the result says whether the mypyc-compiled extractor modules ran
(``python -m extractors.compile``); ``CASUALTY_EXTRACTORS_PURE=1`` measures the pure-Python ones.

``--steps`` runs the pipeline steps one at a time on every distinct article, ``--passes`` times,
and keeps each (article, step) minimum: on a shared machine the minimum drops the moments when
another process had the core, so the per-step split is stable from run to run.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import time
import tracemalloc
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import COMPILED, PIPELINE, extract  # noqa: E402
from extractors.context import parse_date  # noqa: E402
from extractors.corpus import iter_paths, load_file  # noqa: E402
from extractors.pipeline import REGISTRY, Doc  # noqa: E402
from schemas.records import Article  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def _rss_mb() -> float:
    try:
        import psutil

        return float(psutil.Process(os.getpid()).memory_info().rss) / 2**20
    except Exception:  # psutil missing: report 0 rather than fail the benchmark
        return 0.0


def load_articles(corpus: Path) -> list[Article]:
    """Every readable corpus file as an Article."""
    out = []
    for p in iter_paths([corpus]):
        try:
            out.append(load_file(p).article)
        except (OSError, ValueError):
            continue
    return out


class _Count(logging.Handler):
    """Counts the extractor's logged failures (extract() never raises; it logs and returns empty)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


WARMUP = 500
"""Articles extracted before the timed pass (all of the 162-report dev corpus)."""


def synthetic_articles(n: int, seed: int = 0) -> list[Article]:
    """``n`` distinct generated articles (see :mod:`bench.generator`)."""
    from bench.generator import generate

    return [Article.model_validate(a.article) for a in generate(n, seed=seed)]


def run(articles: list[Article], n: int) -> dict[str, float | int | None]:
    """Extract ``n`` articles (cycling through ``articles``) and measure."""
    failures = _Count()
    log = logging.getLogger("extractors")
    log.addHandler(failures)
    log.propagate = False
    for a in articles[:WARMUP]:  # warm-up: gazetteer load, regex compilation, caches
        extract(a)
    gc.collect()
    rss_before = _rss_mb()
    incidents = 0
    m = len(articles)
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(n):
        incidents += len(extract(articles[i % m]).incidents)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    rss_after = _rss_mb()
    traced_n = min(n, 2000)
    tracemalloc.start()
    for i in range(traced_n):
        extract(articles[i % m])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    chars = sum(len(a.body) for a in articles) / m
    return {
        "compiled": COMPILED,
        "articles": n,
        "distinct_articles": m,
        "mean_body_chars": round(chars),
        "seconds": round(elapsed, 3),
        "articles_per_s": round(n / elapsed, 1),
        "cpu_seconds": round(cpu, 3),
        "articles_per_cpu_s": round(n / cpu, 1) if cpu else None,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "mean_ms": round(elapsed / n * 1000, 4),
        "incidents": incidents,
        "peak_traced_mb": round(peak / 2**20, 2),
        "rss_before_mb": round(rss_before, 1),
        "rss_after_mb": round(rss_after, 1),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "failures_logged": failures.count,
    }


def step_profile(articles: list[Article], passes: int) -> dict[str, float]:
    """Microseconds per article spent in each pipeline step (sum over articles of the minimum
    over ``passes`` runs), plus ``"total"``."""
    for a in articles:  # warm-up
        extract(a)
    steps = [(name, REGISTRY[name]) for name in PIPELINE]
    best: dict[tuple[int, str], float] = {}
    clock = time.perf_counter
    for _ in range(passes):
        for i, a in enumerate(articles):
            doc = Doc(article=a, body=a.body, published=parse_date(a.published))
            for name, fn in steps:
                t = clock()
                fn(doc)
                t = clock() - t
                if t < best.get((i, name), float("inf")):
                    best[(i, name)] = t
    per_step = dict.fromkeys(PIPELINE, 0.0)
    for (_, name), t in best.items():
        per_step[name] += t
    out = {name: round(t / len(articles) * 1e6, 1) for name, t in per_step.items()}
    out["total"] = round(sum(per_step.values()) / len(articles) * 1e6, 1)
    return out


def main() -> None:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000, help="articles to extract (default 10000)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of corpus JSON files")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--synthetic", action="store_true",
                    help="extract --articles distinct generated articles instead of the repeated corpus")
    ap.add_argument("--steps", action="store_true", help="time each pipeline step instead (us per article)")
    ap.add_argument("--passes", type=int, default=7, help="passes for --steps (default 7)")
    args = ap.parse_args()
    articles = synthetic_articles(max(1, args.articles)) if args.synthetic else load_articles(args.corpus)
    if not articles:
        sys.exit(f"no articles found in {args.corpus}")
    if args.steps:
        prof = step_profile(articles, max(1, args.passes))
        if args.json:
            sys.stdout.write(orjson.dumps(prof).decode() + "\n")
            return
        print(f"extractor steps, us per article (minimum of {args.passes} passes, compiled={COMPILED})")
        for name, us in prof.items():
            share = us / prof["total"] * 100 if prof["total"] else 0.0
            print(f"  {name:<10} {us:8.1f}  {share:5.1f}%")
        return
    res = run(articles, max(1, args.articles))
    if args.json:
        sys.stdout.write(orjson.dumps(res).decode() + "\n")
        return
    width = max(len(k) for k in res)
    print("extractor benchmark (one core)")
    for k, v in res.items():
        print(f"  {k:<{width}}  {v}")


if __name__ == "__main__":
    main()
