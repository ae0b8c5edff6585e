"""Cost of event resolution next to extraction, per incident and per article, on one core.

Generated articles (:mod:`bench.generator`, seeded) are extracted once, sorted by publication
date (the order a feed delivers them) and then resolved in that order, timed apart from the
extraction, after a warm-up pass on a separate resolver. ``--days`` spreads the articles over that
many days: fewer days means more open events per region for each incident to be compared with
(the cost grows with them, not with the total). Prints microseconds per incident and per
article for both stages, the ratio, and the largest number of open events a region held.
Every generated incident is a distinct event, so ``wrongly_merged_share`` (incidents that joined
another event) is a stress measure of precision on a dense, templated feed.

    python -m bench.resolve [--articles 5000] [--days 30] [--json PATH]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generator import generate  # noqa: E402
from extractors import COMPILED, extract  # noqa: E402
from schemas.records import Article, Incident  # noqa: E402
from streams.events import Resolver  # noqa: E402
from streams.events.open_events import MemoryStore  # noqa: E402


def _largest_partition(store: MemoryStore) -> int:
    return max((len(p.events) for p in store.partitions.values()), default=0)


def run(n: int, days: int, seed: int = 1) -> dict[str, Any]:
    """Extract and resolve ``n`` generated articles spread over ``days`` days; the figures."""
    articles = sorted((Article.model_validate(a.article) for a in generate(n, seed=seed, days=days)),
                      key=lambda a: str(a.published))
    t0 = time.process_time()
    extracted: list[list[Incident]] = [extract(a).incidents for a in articles]
    extract_cpu = time.process_time() - t0
    incidents = sum(len(x) for x in extracted)
    warm = Resolver()
    for batch in extracted[: min(len(extracted), 500)]:
        warm.resolve(batch)
    resolver = Resolver()
    peak = 0
    t0 = time.process_time()
    for i, batch in enumerate(extracted):
        resolver.resolve(batch)
        if i % 100 == 0:
            peak = max(peak, _largest_partition(resolver.store))
    resolve_cpu = time.process_time() - t0
    events = len(list(resolver.store.events())) + resolver.store.evicted
    counted = sum(1 for batch in extracted for i in batch if i.killed or i.wounded or i.killed_min or i.wounded_min)
    return {
        "compiled_extractor": COMPILED,
        "articles": n,
        "days": days,
        "incidents": incidents,
        "events": events,
        # every generated incident is a distinct event: an incident that joined another is a wrong merge
        "wrongly_merged_share": round(1 - events / counted, 4) if counted else None,
        "extract_us_per_article": round(extract_cpu / n * 1e6, 1),
        "resolve_us_per_incident": round(resolve_cpu / max(1, incidents) * 1e6, 1),
        "resolve_us_per_article": round(resolve_cpu / n * 1e6, 1),
        "resolve_share_of_extract": round(resolve_cpu / extract_cpu, 3) if extract_cpu else None,
        "largest_open_partition": peak,
        "open_events_at_end": len(list(resolver.store.events())),
        "evicted": resolver.store.evicted,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=5000, help="generated articles (default 5000)")
    ap.add_argument("--days", type=int, nargs="+", default=[30], help="days the articles span (default 30)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results to this JSON file")
    args = ap.parse_args(argv)
    results = [run(args.articles, d) for d in args.days]
    for res in results:
        print(f"event resolution, {res['articles']} articles over {res['days']} days "
              f"(compiled extractor: {res['compiled_extractor']})")
        for key, value in res.items():
            print(f"  {key:<26} {value}")
    if args.json is not None:
        args.json.write_bytes(orjson.dumps({"results": results}, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
