"""CPU of the tally agent's own work per article, without Kafka: what events add to the worker.

Generated articles (the pipeline benchmark's feed: :func:`bench.common.article_messages`, dates at
random over ``--days``) are extracted once, their incidents published as the extract agent does
(JSON bytes, keyed by region, offsets per region partition), then fed to
:class:`streams.worker.event_batch.EventTally` in batches the way the tally agent does: decode the
message, ``apply``, ``take_writes``; every row and output is then encoded as the worker encodes
it (the changelog's orjson codec for table rows, :func:`schemas.codec.dumps` for ``events``,
orjson for tallies). Timed with ``process_time`` after a warm-up pass; Kafka and Faust are left
out, so this is the part of the worker's CPU that the event code decides, free of the broker's
noise. It also counts the records written and their bytes. The young generation of the garbage
collector is collected as in the worker (``--gc-young``, default the worker's
:data:`streams.worker.app.GC_YOUNG_THRESHOLD`; 700 is Python's default).

    python -m bench.tally_cost [--articles 5000] [--batch 500] [--gc-young N] [--profile out.prof] [--json PATH]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import article_messages  # noqa: E402
from schemas.codec import dumps  # noqa: E402
from schemas.validation import parse_article  # noqa: E402
from streams.worker.app import GC_YOUNG_THRESHOLD  # noqa: E402
from streams.worker.event_batch import EventTally  # noqa: E402
from streams.worker.event_state import SavedRegion  # noqa: E402
from streams.worker.processing import run_extraction  # noqa: E402

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z


def incident_feed(n: int, days: int, partitions: int = 6) -> list[tuple[str, int, bytes]]:
    """(region key, offset in its partition, incident JSON) in the order the extract agent
    publishes them (the tally agent reads each partition in offset order)."""
    out: list[tuple[str, int, bytes]] = []
    offsets: dict[int, int] = defaultdict(int)
    for _, value in article_messages(n, days=days):
        for key, raw in run_extraction(parse_article(value)).incident_messages:
            part = hash(key) % partitions
            out.append((key.decode(), offsets[part], raw))
            offsets[part] += 1
    return out


def run_once(feed: list[tuple[str, int, bytes]], batch: int) -> dict[str, Any]:
    """Feed everything through a new engine; records and bytes written."""
    daily: dict[str, Any] = {}
    engine = EventTally(daily.get)
    counts = {"event_state": 0, "event_daily": 0, "tallies": 0, "events": 0}
    sizes = dict.fromkeys(counts, 0)
    for first in range(0, len(feed), batch):
        for code, offset, raw in feed[first: first + batch]:
            incident = orjson.loads(raw)
            text = raw.decode()
            if not engine.loaded(code):
                engine.load(code, SavedRegion(), [])
            engine.apply(incident, text, offset)
        for writes in engine.take_writes():
            for value in writes.state_rows.values():
                counts["event_state"] += 1
                sizes["event_state"] += len(orjson.dumps(value, option=_OPTIONS))
            for key, row in writes.daily_rows.items():
                counts["event_daily"] += 1
                if row is None:
                    daily.pop(key, None)
                else:
                    daily[key] = row
                    sizes["event_daily"] += len(orjson.dumps(row, option=_OPTIONS))
            for tally in writes.tallies.values():
                counts["tallies"] += 1
                if tally is not None:
                    sizes["tallies"] += len(orjson.dumps({**tally, "updated_at": "2026-01-01T00:00:00.000Z"}))
            for record in writes.events:
                counts["events"] += 1
                sizes["events"] += len(dumps(record))
            counts["event_state"] += len(writes.deletes) + (writes.head is not None)
            if writes.head is not None:
                orjson.dumps(writes.head[1], option=_OPTIONS)
        engine.saved(code for code in list(engine.regions))
    return {"records": counts, "bytes": sizes,
            "open_events": sum(len(p.events) for p in engine.store.partitions.values())}


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--batch", type=int, default=500, help="incidents per batch (the worker's tally_batch)")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes (the best is reported)")
    ap.add_argument("--gc-young", type=int, default=GC_YOUNG_THRESHOLD,
                    help="allocations between young collections (the worker's setting by default)")
    ap.add_argument("--profile", type=Path, help="write a cProfile of one pass here")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    feed = incident_feed(args.articles, args.days)
    old_threshold = gc.get_threshold()
    gc.set_threshold(args.gc_young, *old_threshold[1:])
    try:
        run_once(feed, args.batch)  # warm-up: caches, lazy loads
        times = []
        result: dict[str, Any] = {}
        for _ in range(args.repeat):
            t0 = time.process_time()
            result = run_once(feed, args.batch)
            times.append(time.process_time() - t0)
        if args.profile is not None:
            cProfile.runctx("run_once(feed, args.batch)", globals(),
                            {"feed": feed, "args": args, "run_once": run_once}, str(args.profile))
    finally:
        gc.set_threshold(*old_threshold)
    from streams.events import COMPILED as events_compiled

    doc = {
        "articles": args.articles, "incidents": len(feed), "days": args.days, "batch": args.batch,
        "compiled_events": events_compiled, "gc_young": args.gc_young,
        "ms_per_article": round(1000 * min(times) / args.articles, 3),
        "ms_per_article_all": [round(1000 * t / args.articles, 3) for t in times],
        **result,
        "records_per_article": round(sum(result["records"].values()) / args.articles, 2),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    print(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())
    if args.json is not None:
        args.json.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
