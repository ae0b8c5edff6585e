"""End-to-end benchmark: articles -> worker -> incidents and tables, against the raw client ceiling.

One run starts its own local broker and, for each scenario, fresh topics and fresh
``casualty worker`` processes:

* ``throughput``: pre-load N articles, start one worker, time until every article's summary and
  every incident's table update are published (at_least_once, memory://, 6 partitions);
* ``passthrough``: the same N messages through a raw aiokafka consume -> produce loop (the ceiling);
* ``latency``: one ready worker fed at fixed rates (100/s and 1,000/s) for ``--rate-seconds``;
  latency = incident CreateTime minus article CreateTime, joined by article id;
* ``two-workers``, ``exactly-once``, ``rocksdb``: the throughput run with one thing changed.

Durations come from Kafka timestamps: start = first ArticleSummary, end = last table update
(``casualty-tallies``), so polling never enters a measured figure.

    python -m bench.pipeline --articles 50000 --json bench/results/pipeline.json
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from bench.common import (
    REPO,
    BenchWorker,
    article_messages,
    broker_for,
    committed_offsets,
    cpu_times,
    create_topic,
    data_end_offsets,
    end_offsets,
    end_offsets_total,
    last_timestamp_ms,
    machine_info,
    machine_line,
    peak_rss_mib,
    percentile,
    produce_all,
    produce_paced,
    read_topic,
    record_counts,
    render_table,
    rss_mib,
    scenario_settings,
    wait_until,
    write_json,
)
from streams.clients.admin import ensure_topics
from streams.config import Settings

SCENARIOS = ("extract-only", "throughput", "passthrough", "latency", "two-workers", "exactly-once", "rocksdb")
RATES = (100, 1000)


# --------------------------------------------------------------------------------------------
# Completion: the worker's committed offsets


def committed_behind(bootstrap: str, group: str, topic: str, *, transactional: bool = False) -> int:
    """Offsets of ``topic`` the consumer ``group`` has not committed yet.

    A topic written by transactional producers (the worker under exactly_once) ends with commit
    markers that no consumer commits past, so there the last record's offset counts, not the end.
    """
    ends = data_end_offsets(bootstrap, topic) if transactional else end_offsets(bootstrap, topic)
    done = committed_offsets(bootstrap, group, topic)
    return sum(max(0, end - done.get(p, 0)) for p, end in ends.items())


def wait_pipeline_done(settings: Settings, workers: Sequence[BenchWorker], timeout: float, *,
                       strict: bool = True) -> bool:
    """Block until the workers committed every article and every incident they published.

    Returns False on timeout when not ``strict`` (a saturated fixed-rate run), else raises.
    """
    def alive() -> None:
        for worker in workers:
            worker.check_alive()

    def caught_up(topic: str, transactional: bool) -> bool:
        return committed_behind(settings.bootstrap, settings.app_id, topic, transactional=transactional) == 0

    eos = settings.processing_guarantee == "exactly_once"
    deadline = time.monotonic() + timeout
    for topic, transactional in ((settings.articles_topic, False), (settings.incidents_topic, eos)):
        if not wait_until(lambda t=topic, x=transactional: caught_up(t, x), deadline - time.monotonic(), 1.0, alive):
            if not strict:
                return False
            raise RuntimeError(f"{topic} not all processed within {timeout:.0f}s:\n{workers[0].log_tail()}")
    return True


# --------------------------------------------------------------------------------------------
# Profiling


@contextlib.contextmanager
def profiled(pid: int, path: Path | None) -> Iterator[None]:
    """Sample ``pid`` with py-spy while the block runs (.svg flame graph, .txt collapsed stacks)."""
    if path is None:
        yield
        return
    spy_bin = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = "raw" if path.suffix == ".txt" else "speedscope" if path.suffix == ".json" else "flamegraph"
    spy = subprocess.Popen(
        [spy_bin, "record", "--pid", str(pid), "--rate", "50", "--format", fmt, "--output", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes the profile when interrupted
        try:
            spy.wait(timeout=120)
        except subprocess.TimeoutExpired:
            spy.kill()


# --------------------------------------------------------------------------------------------
# Scenarios


def run_pipeline(bootstrap: str, messages: Sequence[tuple[bytes, bytes]], workdir: Path, *, tag: str,
                 workers: int = 1, guarantee: str = "at_least_once", store: str = "memory://",
                 partitions: int = 6, profile: Path | None = None, timeout: float = 3600) -> dict[str, Any]:
    """Pre-load ``messages``, start ``workers`` workers, time them until everything is published."""
    settings = scenario_settings(bootstrap, tag, partitions=partitions, store=store,
                                 processing_guarantee=guarantee)
    ensure_topics(settings)
    produce_all(bootstrap, settings.articles_topic, messages)
    procs = [BenchWorker(settings, workdir / tag) for _ in range(workers)]
    for proc in procs:
        proc.start()
    try:
        for proc in procs:
            proc.wait_ready()
        before = [cpu_times(p.pid) or (0.0, 0.0) for p in procs]
        with profiled(procs[0].pid, profile):
            wait_pipeline_done(settings, procs, timeout)
        rss = [rss_mib(p.pid) for p in procs]
        peak = [peak_rss_mib(p.pid) for p in procs]
        after = [cpu_times(p.pid) or (0.0, 0.0) for p in procs]
        user = sum(a[0] - b[0] for a, b in zip(after, before, strict=True))
        system = sum(a[1] - b[1] for a, b in zip(after, before, strict=True))
        cpu = [sum(a) - sum(b) for a, b in zip(after, before, strict=True)]
    finally:
        for proc in procs:
            proc.stop()
    summary_ts: list[int] = []
    ids: set[str] = set()
    for record in read_topic(bootstrap, settings.summaries_topic):
        summary_ts.append(record.timestamp)
        ids.add(orjson.loads(record.value)["article_id"])
    summary_ts.sort()
    records = record_counts(bootstrap, settings, len(messages), workers)
    last_tally = last_timestamp_ms(bootstrap, settings.tallies_topic) or summary_ts[-1]
    n = len(messages)
    start, end = summary_ts[0], max(summary_ts[-1], last_tally)
    lo, hi = summary_ts[len(summary_ts) // 10], summary_ts[(len(summary_ts) * 9) // 10]
    seconds = max(end - start, 1) / 1000
    return {
        "scenario": tag, "workers": workers, "partitions": partitions, "guarantee": guarantee, "store": store,
        "articles": n, "distinct_summaries": len(ids), "summaries": len(summary_ts),
        # Under exactly_once the end offsets also count transaction markers, so no count there.
        "incidents": end_offsets_total(bootstrap, settings.incidents_topic) if guarantee == "at_least_once" else None,
        "seconds": round(seconds, 2),
        "articles_per_s": round(n / seconds, 1),
        "extract_only_per_s": round(n / (max(summary_ts[-1] - start, 1) / 1000), 1),
        "sustained_per_s": round(0.8 * len(summary_ts) / (max(hi - lo, 1) / 1000), 1),
        "tables_lag_s": round((end - summary_ts[-1]) / 1000, 2),
        "worker_cpu_s": [round(c, 1) for c in cpu],
        "worker_cpu_ms_per_article": round(1000 * sum(cpu) / n, 2),
        "worker_system_cpu_fraction": round(system / max(user + system, 1e-9), 2),
        "worker_cpu_share": round(sum(cpu) / seconds / workers, 2),
        "rss_mib": rss, "peak_rss_mib": peak,
        **records,
        # The machine is shared: the 1-minute load when the run ended says how much CPU was left.
        "load_avg_1m_end": round(os.getloadavg()[0], 2),
    }


def run_extract_only(messages: Sequence[tuple[bytes, bytes]], limit: int = 5000) -> dict[str, Any]:
    """Validation + extraction + serialisation in this process, no Kafka: the per-core ceiling."""
    from schemas.validation import parse_article
    from streams.worker.processing import run_extraction

    sample = messages[:limit]
    run_extraction(parse_article(sample[0][1]))  # warm-up: gazetteer and patterns load lazily
    cpu, wall = time.process_time(), time.perf_counter()
    incidents = sum(len(run_extraction(parse_article(value)).incidents) for _, value in sample)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"scenario": "extract-only", "articles": len(sample),
            "incidents_per_article": round(incidents / len(sample), 2),
            "extract_cpu_ms_per_article": round(1000 * cpu / len(sample), 3),
            "extract_per_cpu_s": round(len(sample) / cpu, 1), "extract_per_s": round(len(sample) / wall, 1)}


def run_passthrough(bootstrap: str, messages: Sequence[tuple[bytes, bytes]], workdir: Path,
                    partitions: int = 6, timeout: float = 3600) -> dict[str, Any]:
    """The same messages through :mod:`bench.passthrough` (its own process, like the worker)."""
    settings = scenario_settings(bootstrap, "passthrough", partitions=partitions)
    source, target = settings.articles_topic, settings.topic("passthrough-out")
    create_topic(bootstrap, source, partitions)
    create_topic(bootstrap, target, partitions)
    produce_all(bootstrap, source, messages)
    workdir.mkdir(parents=True, exist_ok=True)
    with (workdir / "passthrough.log").open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.passthrough", "--bootstrap", bootstrap, "--source", source,
             "--target", target, "--count", str(len(messages)), "--group", settings.app_id],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        )
        started = time.monotonic()
        try:
            proc.wait(timeout=timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        cpu_wall = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(f"passthrough failed ({proc.returncode}); see {workdir / 'passthrough.log'}")
    stamps = sorted(r.timestamp for r in read_topic(bootstrap, target))
    seconds = max(stamps[-1] - stamps[0], 1) / 1000
    return {
        "scenario": "passthrough", "workers": 1, "partitions": partitions, "articles": len(stamps),
        "seconds": round(seconds, 2), "passthrough_per_s": round(len(stamps) / seconds, 1),
        "process_wall_s": round(cpu_wall, 1),
    }


def run_latency(bootstrap: str, messages: Sequence[tuple[bytes, bytes]], workdir: Path, rate: int,
                seconds: float, drain_timeout: float = 120) -> dict[str, Any]:
    """Feed one ready worker at ``rate`` articles/s for ``seconds``; latency percentiles in ms.

    A worker slower than ``rate`` falls behind: after ``drain_timeout`` seconds past the end of
    the feed the run stops; latencies then cover only the articles processed, and ``backlog``
    says how many were still waiting (their latency is larger than any reported).
    """
    settings = scenario_settings(bootstrap, f"latency-{rate}")
    ensure_topics(settings)
    worker = BenchWorker(settings, workdir / f"latency-{rate}").start()
    try:
        worker.wait_ready()
        time.sleep(2.0)  # let the output view and the first fetches settle before the clock runs
        sent = produce_paced(bootstrap, settings.articles_topic, messages, rate, seconds)
        fed_at = time.monotonic()
        drained = wait_pipeline_done(settings, [worker], drain_timeout, strict=False)
        drained_after = time.monotonic() - fed_at
        rss = rss_mib(worker.pid)
        backlog = committed_behind(bootstrap, settings.app_id, settings.articles_topic)
    finally:
        worker.stop()
    produced = {r.key: r.timestamp for r in read_topic(bootstrap, settings.articles_topic)}
    first_incident: dict[bytes, int] = {}
    for record in read_topic(bootstrap, settings.incidents_topic):
        key = orjson.loads(record.value)["article_id"].encode()
        first_incident[key] = min(record.timestamp, first_incident.get(key, record.timestamp))
    to_summary = sorted(r.timestamp - produced[r.key] for r in read_topic(bootstrap, settings.summaries_topic)
                        if r.key in produced)
    latency = sorted(ts - produced[key] for key, ts in first_incident.items() if key in produced)
    return {
        "scenario": f"latency-{rate}/s", "rate": rate, "rate_seconds": seconds, "sent": sent,
        "with_incidents": len(latency),
        "p50_ms": percentile(latency, 50), "p95_ms": percentile(latency, 95), "p99_ms": percentile(latency, 99),
        "max_ms": latency[-1] if latency else None, "summary_p99_ms": percentile(to_summary, 99),
        "drained": drained, "drained_after_s": round(drained_after, 1), "backlog": backlog, "rss_mib": rss,
    }


# --------------------------------------------------------------------------------------------
# The run


THROUGHPUT_COLUMNS = (
    ("scenario", "scenario"), ("workers", "workers"), ("guarantee", "guarantee"), ("store", "store"),
    ("articles", "articles"), ("seconds", "s"), ("articles_per_s", "articles/s end to end"),
    ("sustained_per_s", "sustained extract/s (10-90%)"), ("tables_lag_s", "tables behind (s)"),
    ("worker_cpu_share", "worker CPU share"), ("worker_cpu_ms_per_article", "worker CPU ms/article"),
    ("records_written_per_article", "records written/article"), ("records_read_per_article", "records read/article"),
    ("rss_mib", "RSS MiB"), ("load_avg_1m_end", "load avg (1 min)"),
)
EXTRACT_COLUMNS = (("scenario", "scenario"), ("articles", "articles"),
                   ("incidents_per_article", "incidents/article"),
                   ("extract_per_cpu_s", "articles per CPU second"),
                   ("extract_cpu_ms_per_article", "extraction CPU ms/article"), ("extract_per_s", "articles/s wall"))
PASSTHROUGH_COLUMNS = (("scenario", "scenario"), ("articles", "messages"), ("seconds", "s"),
                       ("passthrough_per_s", "messages/s"))
LATENCY_COLUMNS = (
    ("scenario", "scenario"), ("sent", "articles"), ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"),
    ("p99_ms", "p99 ms"), ("max_ms", "max ms"), ("summary_p99_ms", "p99 to summary ms"),
    ("drained_after_s", "drained after feed (s)"), ("backlog", "left unprocessed"),
)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the chosen scenarios on one dedicated broker; return the JSON document."""
    chosen = [s for s in SCENARIOS if s not in set(args.skip)]
    rates = [r for r in args.rates if r > 0]
    needed = args.articles
    if "latency" in chosen:
        needed = max([needed, *(int(r * args.rate_seconds) for r in rates)])
    messages = article_messages(needed, seed=args.seed, days=args.days, in_date_order=args.in_date_order)
    bulk = messages[: args.articles]
    workdir = Path(tempfile.mkdtemp(prefix="casualty-bench-pipeline-"))
    doc: dict[str, Any] = {"benchmark": "pipeline", "machine": machine_info(), "articles": args.articles,
                           "days": args.days, "in_date_order": args.in_date_order, "scenarios": chosen, "results": []}
    results: list[dict[str, Any]] = doc["results"]
    try:
        if "extract-only" in chosen:
            results.append(run_extract_only(bulk))
            doc["extract_per_cpu_s"] = results[-1]["extract_per_cpu_s"]
        with broker_for(args.bootstrap, keep=args.keep) as bootstrap:
            if "throughput" in chosen:
                results.append(run_pipeline(bootstrap, bulk, workdir, tag="throughput", profile=args.profile))
                doc["articles_per_s"] = results[-1]["articles_per_s"]
                doc["rss_mib"] = results[-1]["rss_mib"][0]
            if "passthrough" in chosen:
                results.append(run_passthrough(bootstrap, bulk, workdir))
                doc["passthrough_per_s"] = results[-1]["passthrough_per_s"]
            if "latency" in chosen:
                for rate in rates:
                    results.append(run_latency(bootstrap, messages, workdir, rate, args.rate_seconds,
                                               args.drain_timeout))
                    doc[f"p99_ms_at_{rate}"] = results[-1]["p99_ms"]
                if rates:
                    doc["p99_ms"] = results[-len(rates)]["p99_ms"]
            if "two-workers" in chosen:
                results.append(run_pipeline(bootstrap, bulk, workdir, tag="two-workers", workers=2))
            if "exactly-once" in chosen:
                results.append(run_pipeline(bootstrap, bulk, workdir, tag="exactly-once", guarantee="exactly_once"))
            if "rocksdb" in chosen:
                results.append(run_pipeline(bootstrap, bulk, workdir, tag="rocksdb", store="rocksdb://"))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if "articles_per_s" in doc and "passthrough_per_s" in doc:
        doc["ratio"] = round(doc["articles_per_s"] / doc["passthrough_per_s"], 3)
    return doc


def report(doc: dict[str, Any]) -> str:
    """The tables printed at the end of a run."""
    results = doc["results"]
    parts = [f"machine: {machine_line(doc['machine'])}"]
    extract_rows = [r for r in results if "extract_per_cpu_s" in r]
    if extract_rows:
        parts.append(render_table(extract_rows, EXTRACT_COLUMNS))
    pipeline_rows = [r for r in results if "articles_per_s" in r]
    if pipeline_rows:
        parts.append(render_table(pipeline_rows, THROUGHPUT_COLUMNS))
    passthrough_rows = [r for r in results if "passthrough_per_s" in r]
    if passthrough_rows:
        parts.append(render_table(passthrough_rows, PASSTHROUGH_COLUMNS))
    if "ratio" in doc:
        parts.append(f"one worker / raw passthrough = {doc['ratio']:.3f}")
    latency_rows = [r for r in results if "p99_ms" in r]
    if latency_rows:
        parts.append(render_table(latency_rows, LATENCY_COLUMNS))
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.pipeline [--articles N] [--json PATH] [--skip SCENARIO ...]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.pipeline", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=50_000, help="articles per throughput run (default 50000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--days", type=int, default=30,
                        help="days the generated articles are dated over (default 30: a dense stress feed)")
    parser.add_argument("--in-date-order", action="store_true",
                        help="feed the articles sorted by publication date, as a live wire (default: dates at random)")
    parser.add_argument("--rate-seconds", type=float, default=30.0, help="seconds of each fixed-rate run")
    parser.add_argument("--drain-timeout", type=float, default=120.0,
                        help="seconds a fixed-rate run may take to drain after the feed ends")
    parser.add_argument("--rates", type=int, nargs="*", default=list(RATES), help="fixed input rates (articles/s)")
    parser.add_argument("--skip", nargs="*", default=[], choices=SCENARIOS, help="scenarios to leave out")
    parser.add_argument("--json", type=Path, help="write the results here (one JSON object)")
    parser.add_argument("--profile", type=Path,
                        help="py-spy profile of the throughput worker (.svg flame graph or .txt raw stacks)")
    parser.add_argument("--bootstrap", help="use this broker instead of starting a dedicated one")
    parser.add_argument("--keep", action="store_true", help="keep the broker state and worker logs")
    args = parser.parse_args(argv)
    doc = run(args)
    print(report(doc))
    if args.json:
        write_json(args.json, doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
