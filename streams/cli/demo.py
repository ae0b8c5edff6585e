"""``casualty demo``: the whole system on the bundled sample articles, in one command.

Steps: start the local broker if none answers at the bootstrap address, create the topics, start
a worker, feed the sample articles (at ``--rate`` per second) with the malformed messages mixed in,
and show the table filling up from the worker's web API, with the addresses of the dashboard, the
API and ``/metrics``. Ctrl-C stops what the demo started (the worker; the broker only if the demo
started it). ``--once`` exits when every message is processed and compares the final table with
:func:`streams.demo.expected_tables`: exit 0 when equal, 1 (with the differences) when not.

Runs never count each other's articles: every run uses its own topic prefix (``demo-<time>.``) and
Faust app id (``casualty-demo-<time>``, which names the consumer group and the table changelogs),
so a second run starts from empty tables on the same broker. When the run ends, the demo deletes
the topics it created (its prefix and its app id's table changelogs) unless ``--keep-topics`` is
given or the topic prefix was chosen with ``--topic-prefix``; it then says where they are.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console, Group
from rich.live import Live
from rich.text import Text

from streams.cli.client_options import kafka_options, settings_from
from streams.clients.connect import KafkaUnavailable, open_producer
from streams.clients.tallies import to_rich
from streams.config import Settings
from streams.feed import Feeder, FeedOptions, Item, Reporter
from streams.feed.ratelimit import TokenBucket
from streams.local import broker as lb
from streams.local.supervise import WorkerFailed, WorkerSupervisor
from streams.worker.tally import sort_rows

Table = dict[str, dict[str, int]]
SETTLE_S = 5.0
REFRESH_S = 0.5
LOG_EVERY_S = 5.0


@dataclass
class DemoFeed:
    """The sample articles and malformed messages, sent from a background thread."""

    articles: list[dict[str, Any]]
    malformed: list[bytes]
    feeder: Feeder
    reporter: Reporter
    stop: threading.Event
    thread: threading.Thread | None = None
    finished: bool = False

    @property
    def total(self) -> int:
        """How many messages the demo sends."""
        return len(self.articles) + len(self.malformed)

    def items(self) -> Iterator[tuple[Item, bool]]:
        """(item, is_raw) in sending order: the malformed messages spread among the articles."""
        every = max(1, len(self.articles) // (len(self.malformed) + 1))
        bad = iter(enumerate(self.malformed, start=1))
        for index, article in enumerate(self.articles, start=1):
            yield Item(origin=f"sample {article.get('id')}", obj=article), False
            if index % every == 0:
                number, raw = next(bad, (0, b""))
                if number:
                    yield Item(origin=f"malformed {number}", payload=raw), True
        for number, raw in bad:
            yield Item(origin=f"malformed {number}", payload=raw), True

    def run(self) -> None:
        """Send everything (stopping early when asked), then flush."""
        try:
            for item, raw in self.items():
                if self.stop.is_set():
                    break
                if raw:
                    self.feeder.wait_turn()
                    self.feeder.send_bytes(item, None, item.payload or b"")
                else:
                    self.feeder.send(item)
        finally:
            self.feeder.flush()
            self.finished = True

    def start(self) -> None:
        """Start sending in a daemon thread."""
        self.thread = threading.Thread(target=self.run, name="demo-feed", daemon=True)
        self.thread.start()


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) != 0


def _split_bootstrap(bootstrap: str) -> tuple[str, int]:
    first = bootstrap.split(",")[0].strip()
    host, _, port = first.rpartition(":")
    if not host or not port.isdigit():
        raise click.UsageError(f"--bootstrap must be HOST:PORT to start a local broker, got {bootstrap!r}")
    return host, int(port)


def ensure_broker(settings: Settings, state_dir: Path, fresh: bool, say: Any) -> tuple[str, bool]:
    """The bootstrap of a broker that answers, starting the local one if needed; (bootstrap, started_by_us)."""
    if not fresh and lb.answers_metadata(settings.bootstrap, timeout=3.0):
        return settings.bootstrap, False
    host, port = _split_bootstrap(settings.bootstrap)
    if host not in ("127.0.0.1", "localhost"):
        raise click.ClickException(f"no Kafka broker answers at {settings.bootstrap}, and the demo only starts "
                                   "a local broker on 127.0.0.1/localhost")
    if fresh:
        if lb.running_pid(state_dir) is not None:
            say(f"--fresh: stopping the local broker of {state_dir} to wipe its state")
            lb.stop(state_dir)
        elif lb.answers_metadata(settings.bootstrap, timeout=3.0):
            raise click.ClickException(
                f"--fresh wipes the local broker's state, but the broker at {settings.bootstrap} is not the one "
                f"of {state_dir}: stop it, or drop --fresh (each demo run has its own topics anyway)"
            )
    controller = lb.DEFAULT_CONTROLLER_PORT if port == lb.DEFAULT_PORT else lb.free_port()
    config = lb.BrokerConfig(state_dir=state_dir, port=port, controller_port=controller, host="127.0.0.1")
    say(f"starting the local Kafka broker on 127.0.0.1:{port} (state: {state_dir}); this takes a few seconds")
    try:
        return lb.start(config, fresh=fresh)
    except lb.BrokerError as exc:
        raise click.ClickException(str(exc)) from exc


def table_of(doc: dict[str, Any]) -> Table:
    """``{code: {killed, wounded, incidents}}`` from a ``/regions`` document."""
    return {row["region_code"]: {k: int(row.get(k, 0)) for k in ("killed", "wounded", "incidents")}
            for row in doc.get("regions", [])}


def table_differences(expected: Table, actual: Table) -> list[str]:
    """One line per region whose row differs, e.g. ``IQ-NI: killed 34 != 33 (expected != actual)``."""
    lines = []
    for code in sorted(set(expected) | set(actual)):
        want, got = expected.get(code), actual.get(code)
        if want == got:
            continue
        if want is None:
            lines.append(f"{code}: not expected, got {got}")
        elif got is None:
            lines.append(f"{code}: expected {want}, missing")
        else:
            parts = [f"{k} expected {want[k]} got {got.get(k)}" for k in want if want[k] != got.get(k)]
            lines.append(f"{code}: " + ", ".join(parts))
    return lines


def processed(stats: dict[str, Any]) -> int:
    """Articles the worker is done with: ok + duplicate + dead-lettered."""
    articles = stats.get("articles") or {}
    return sum(int(articles.get(k, 0)) for k in ("ok", "duplicate", "dead_letter"))


def status_line(feed: DemoFeed, stats: dict[str, Any]) -> str:
    """One line: sent / processed / dead letters / incidents."""
    counts = feed.reporter.counts
    articles = stats.get("articles") or {}
    return (
        f"sent {counts.sent}/{feed.total}  processed {processed(stats)}  ok {articles.get('ok', 0)}  "
        f"duplicates {articles.get('duplicate', 0)}  dead letters {articles.get('dead_letter', 0)}  "
        f"incidents {stats.get('incidents', 0)}"
    )


def _snapshot(worker: WorkerSupervisor) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        return worker.get("/regions"), worker.get("/stats")
    except (OSError, ValueError):
        return {"regions": []}, {}


def _view(doc: dict[str, Any], feed: DemoFeed, stats: dict[str, Any], addresses: str) -> Group:
    rows = sort_rows(doc.get("regions", []))
    return Group(Text(addresses), to_rich(rows, title="Casualties by region (live)"), Text(status_line(feed, stats)))


def watch(worker: WorkerSupervisor, feed: DemoFeed, console: Console, addresses: str, *, once: bool,
          timeout: float) -> dict[str, Any]:
    """Refresh the table until Ctrl-C (or, with ``once``, until everything is processed and the
    table stopped changing); return the last ``/regions`` document."""
    deadline = time.monotonic() + timeout
    doc, stats = _snapshot(worker)
    settled_since: float | None = None
    last_table: Table | None = None
    last_log = 0.0
    last_status = ""
    live = Live(_view(doc, feed, stats, addresses), console=console, refresh_per_second=4, transient=once) \
        if console.is_terminal else None
    with live or contextlib.nullcontext():
        while True:
            time.sleep(REFRESH_S)
            if not worker.running():
                raise WorkerFailed(f"the worker stopped; its log ends with:\n{worker.log_tail()}")
            doc, stats = _snapshot(worker)
            if live is not None:
                live.update(_view(doc, feed, stats, addresses))
            elif time.monotonic() - last_log >= LOG_EVERY_S and status_line(feed, stats) != last_status:
                # Not a terminal: a log line when something moved, at most every LOG_EVERY_S.
                last_log, last_status = time.monotonic(), status_line(feed, stats)
                console.print(f"demo: {last_status}", highlight=False)
            if not once:
                continue
            done = feed.finished and processed(stats) >= feed.total
            table = table_of(doc)
            if done and table == last_table:
                settled_since = settled_since or time.monotonic()
                # The tallies view trails the counters a little: wait until the table holds still.
                if time.monotonic() - settled_since >= SETTLE_S:
                    return doc
            else:
                settled_since = None
            last_table = table
            if time.monotonic() > deadline:
                console.print(f"demo: gave up waiting after {timeout:.0f}s ({status_line(feed, stats)})")
                return doc


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@click.command()
@kafka_options
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), default=4.0, show_default=True,
              help="Articles per second, so the table visibly fills up.")
@click.option("--once", is_flag=True, help="Exit when every message is processed; exit 1 unless the final table "
                                           "equals the expected one.")
@click.option("--fresh", is_flag=True, help="Wipe the local broker's state first (restarts the demo's broker).")
@click.option("--web-port", type=int, help="Port of the worker's web API; 0 picks a free one [env CASUALTY_WEB_PORT; "
                                           "default 6066, or a free port when 6066 is taken].")
@click.option("--partitions", type=click.IntRange(min=1), default=2, show_default=True,
              help="Partitions of the demo's topics.")
@click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path),
              help="State folder of the local broker the demo may start [default: as `casualty broker start`].")
@click.option("--timeout", type=click.FloatRange(min=1), default=300.0, show_default=True,
              help="With --once: give up after this many seconds.")
@click.option("--keep-topics", is_flag=True, help="Keep the run's topics (demo-<time>.*) instead of deleting them.")
def demo(rate: float, once: bool, fresh: bool, web_port: int | None, partitions: int, state_dir: Path | None,
         timeout: float, keep_topics: bool, **flags: object) -> None:
    """Run the whole system on the bundled sample articles and show the live table.

    Starts the local broker if none answers, creates the topics, starts a worker, feeds the sample
    articles and a few malformed messages, and shows the table filling up. Ctrl-C stops what the
    demo started. Each run has its own topics (prefix demo-<time>.), so runs never add up; they are
    deleted when the run ends (--keep-topics keeps them).

    \b
    Examples:
      casualty demo                            # watch the table fill up; Ctrl-C to stop
      casualty demo --once --rate 50           # exit 0 when the final table is the expected one
      casualty demo --keep-topics -b 127.0.0.1:19092
    """
    from streams.demo import expected_tables, malformed_messages, sample_articles

    prefix_given = flags.get("topic_prefix")
    settings = settings_from(dict(flags))
    console = Console(highlight=False)
    if not console.is_terminal:
        # Logs and CI: wide enough that the table's rows never wrap.
        console = Console(highlight=False, width=120, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)

    def say(text: str) -> None:
        err.print(f"demo: {text}", markup=False)

    stamp = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:4]
    state = (state_dir or lb.default_state_dir()).expanduser().resolve()
    previous_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    started_broker = False
    worker: WorkerSupervisor | None = None
    feed: DemoFeed | None = None
    workdir = Path(tempfile.mkdtemp(prefix="casualty-demo-"))
    exit_code = 0
    try:
        bootstrap, started_broker = ensure_broker(settings, state, fresh, say)
        port = settings.web_port if web_port is None else web_port or lb.free_port()
        if web_port is None and not _port_free("127.0.0.1", port):
            port = lb.free_port()
            say(f"port {settings.web_port} is taken; the worker's web server uses {port}")
        settings = settings.with_(
            bootstrap=bootstrap, topic_prefix=prefix_given or f"demo-{stamp}.", app_id=f"casualty-demo-{stamp}",
            partitions=partitions, web_port=port, data_dir=workdir / "worker", web_host="127.0.0.1",
        )
        from streams.clients.admin import ensure_topics

        ensure_topics(settings)
        say(f"topics {settings.topic_prefix}* on {bootstrap}; starting the worker (log: {workdir / 'worker.log'})")
        worker = WorkerSupervisor(settings, workdir / "worker.log")
        worker.start()
        worker.wait_ready()
        url = worker.url
        addresses = (f"dashboard  {url}/dashboard\nweb API    {url}/regions  (also /incidents, /stats)\n"
                     f"metrics    {url}/metrics")
        say("worker ready")
        console.print(addresses)

        reporter = Reporter(io.StringIO(), tty=False)
        producer = open_producer(settings, acks="all", enable_idempotence=True, linger_ms=5, client_id="casualty-demo")
        feeder = Feeder(producer, FeedOptions(topic=settings.articles_topic), reporter, bucket=TokenBucket(rate))
        feed = DemoFeed(sample_articles(), malformed_messages(), feeder, reporter, threading.Event())
        say(f"feeding {len(feed.articles)} sample articles and {len(feed.malformed)} malformed messages "
            f"at {rate:g}/s" + ("" if once else "; Ctrl-C to stop"))
        feed.start()
        doc = watch(worker, feed, console, addresses, once=once, timeout=timeout)
        exit_code = _report(doc, feed, worker, console, expected_tables()) if once else 0
    except KeyboardInterrupt:
        say("stopping")
    except (KafkaUnavailable, WorkerFailed) as exc:
        say(f"error: {exc}")
        exit_code = 1
    finally:
        if feed is not None:
            feed.stop.set()
            if feed.thread is not None:
                feed.thread.join(timeout=30)
            feed.feeder.producer.close(timeout=10)
        if worker is not None:
            worker.stop()
            _remove_topics(settings, keep=keep_topics or bool(prefix_given), say=say)
        if started_broker:
            say("stopping the local broker the demo started")
            lb.stop(state)
        shutil.rmtree(workdir, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous_term)
    sys.exit(exit_code)


def _remove_topics(settings: Settings, *, keep: bool, say: Any) -> None:
    """Delete the run's topics (its prefix, and its app id's changelogs), or say where they are."""
    prefixes = (settings.topic_prefix, f"{settings.app_id}-")
    if not settings.topic_prefix.startswith("demo-"):
        return  # never a prefix the demo did not make up (an empty one would match every topic)
    if keep:
        say(f"topics kept: {settings.topic_prefix}* and {settings.app_id}-* on {settings.bootstrap}")
        return
    from streams.clients.admin import delete_topics_with_prefix

    try:
        deleted = delete_topics_with_prefix(settings, prefixes)
    except Exception as exc:  # the broker may be gone already; say what is left behind
        say(f"could not delete the topics {settings.topic_prefix}* and {settings.app_id}-*: {exc}")
        return
    say(f"deleted the run's {len(deleted)} topics ({settings.topic_prefix}* and {settings.app_id}-*)")


def _report(doc: dict[str, Any], feed: DemoFeed, worker: WorkerSupervisor, console: Console, expected: Table) -> int:
    """Print the final table and its comparison with the expected one; the exit code."""
    _, stats = _snapshot(worker)
    console.print(to_rich(sort_rows(doc.get("regions", [])), title="Casualties by region (final)"))
    console.print(status_line(feed, stats))
    differences = table_differences(expected, table_of(doc))
    if not differences:
        console.print(f"demo: the table equals the expected table ({len(expected)} regions)")
        return 0
    console.print(f"demo: the table differs from the expected table in {len(differences)} regions:")
    for line in differences:
        console.print(f"  {line}", markup=False)
    return 1
