"""Memory benchmark: the worker's resident set size while it streams many articles.

Pre-loads ``--articles`` generated articles, starts one worker and samples its VmRSS
(``/proc/<pid>/status``) every ``--every`` seconds together with the number of articles it has
finished (from its ``/metrics``). The table reports the RSS at each checkpoint (default every
100,000 articles) and the growth per 100k articles between the first and the last checkpoint:
memory that does not grow without bound shows a flat line after the first checkpoint.

    python -m bench.memory --articles 500000 --checkpoint 100000 --json bench/results/memory.json
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    BenchWorker,
    article_messages,
    articles_done,
    broker_for,
    machine_info,
    machine_line,
    peak_rss_mib,
    produce_all,
    render_table,
    rss_mib,
    scenario_settings,
    write_json,
)
from streams.clients.admin import ensure_topics


def stream_and_sample(bootstrap: str, articles: int, checkpoint: int, store: str, every: float,
                      workdir: Path, timeout: float, per_day: int = 0) -> dict[str, Any]:
    """Run one worker over ``articles`` pre-loaded articles; RSS at each checkpoint.

    ``per_day``: date the articles ``per_day`` a day, in date order, slice after slice (event
    resolution closes events as days go by); 0: every slice over the same 30 days at random (the
    events of those 30 days all stay open: state grows with the articles, by design).
    """
    settings = scenario_settings(bootstrap, "memory", store=store)
    ensure_topics(settings)
    # Produce in slices so the harness never holds all articles in memory at once.
    step = 50_000
    for first in range(0, articles, step):
        n = min(step, articles - first)
        if per_day:
            start = (date(2026, 1, 1) + timedelta(days=first // per_day)).isoformat()
            chunk = article_messages(n, seed=1000 + first // step, days=max(1, n // per_day), start_date=start,
                                     in_date_order=True)
        else:
            chunk = article_messages(n, seed=1000 + first // step)
        produce_all(bootstrap, settings.articles_topic, chunk)
    worker = BenchWorker(settings, workdir / "memory").start()
    samples: list[dict[str, Any]] = []
    checkpoints: list[dict[str, Any]] = []
    next_mark = checkpoint
    try:
        worker.wait_ready()
        started = time.monotonic()
        ready_rss = rss_mib(worker.pid)
        samples.append({"t_s": 0.0, "articles": 0, "rss_mib": ready_rss})
        while next_mark <= articles and time.monotonic() - started < timeout:
            time.sleep(every)
            worker.check_alive()
            done = articles_done(worker.metrics())
            rss = rss_mib(worker.pid)
            samples.append({"t_s": round(time.monotonic() - started, 1), "articles": done, "rss_mib": rss})
            while done >= next_mark and next_mark <= articles:
                checkpoints.append({"articles": next_mark, "measured_at": done, "rss_mib": rss,
                                    "elapsed_s": round(time.monotonic() - started, 1)})
                # As it happens: a run of hours that is stopped still leaves its checkpoints.
                print(f"checkpoint {store}: {checkpoints[-1]}", flush=True)
                next_mark += checkpoint
        peak = peak_rss_mib(worker.pid)
    finally:
        worker.stop()
    growth = None
    if len(checkpoints) >= 2:
        first, last = checkpoints[0], checkpoints[-1]
        growth = round((last["rss_mib"] - first["rss_mib"]) / (last["articles"] - first["articles"]) * 100_000, 1)
    return {"store": store, "articles": articles, "checkpoint": checkpoint, "rss_at_ready_mib": ready_rss,
            "checkpoints": checkpoints, "peak_rss_mib": peak, "growth_mib_per_100k": growth,
            "completed": next_mark > articles, "samples": samples}


COLUMNS = (("store", "store"), ("articles", "articles done"), ("rss_mib", "RSS MiB"), ("elapsed_s", "elapsed (s)"))


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.memory [--articles N] [--checkpoint K] [--stores URL ...] [--json PATH]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500_000, help="articles to stream (default 500000)")
    parser.add_argument("--checkpoint", type=int, default=100_000, help="report RSS every K articles")
    parser.add_argument("--stores", nargs="+", default=["memory://"], help="table stores (memory://, rocksdb://)")
    parser.add_argument("--every", type=float, default=2.0, help="seconds between samples")
    parser.add_argument("--per-day", type=int, default=0,
                        help="date the articles N a day, in date order (0: all over the same 30 days, at random)")
    parser.add_argument("--timeout", type=float, default=6 * 3600, help="give up after this many seconds")
    parser.add_argument("--json", type=Path, help="write the results here (one JSON object)")
    parser.add_argument("--bootstrap", help="use this broker instead of starting a dedicated one")
    parser.add_argument("--keep", action="store_true", help="keep the broker state and worker logs")
    args = parser.parse_args(argv)
    doc: dict[str, Any] = {"benchmark": "memory", "machine": machine_info(), "results": []}
    workdir = Path(tempfile.mkdtemp(prefix="casualty-bench-memory-"))
    try:
        with broker_for(args.bootstrap, keep=args.keep) as bootstrap:
            for store in args.stores:
                doc["results"].append(stream_and_sample(bootstrap, args.articles, args.checkpoint, store,
                                                        args.every, workdir, args.timeout, args.per_day))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    rows = [{"store": r["store"], **c} for r in doc["results"] for c in r["checkpoints"]]
    first = doc["results"][0]
    doc["rss_mib"] = first["checkpoints"][-1]["rss_mib"] if first["checkpoints"] else None
    doc["growth_mib_per_100k"] = first["growth_mib_per_100k"]
    print(f"machine: {machine_line(doc['machine'])}\n")
    print(render_table(rows, COLUMNS))
    for result in doc["results"]:
        print(f"{result['store']}: RSS at ready {result['rss_at_ready_mib']} MiB, peak {result['peak_rss_mib']} MiB, "
              f"growth {result['growth_mib_per_100k']} MiB per 100k articles")
    if args.json:
        write_json(args.json, doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
