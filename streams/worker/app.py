"""The Faust app: ``faust -A streams.worker.app worker`` or ``casualty worker``.

Configuration comes from :class:`streams.config.Settings` (environment variables; the
``casualty worker`` flags set those). The module-level :data:`app` is what Faust loads.

Data flow::

    articles --extract-articles--> incidents --tally-incidents--> events --> event tables
        |                            |  article-summaries          |            |--> casualty-tallies
        '--> articles.DLT            '--> web view (/incidents)     |            '--> web view (/regions)
                                                                   '--> events topic --> /events (on demand)
"""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

import faust

import streams.worker.faust_codec  # noqa: F401  (registers the orjson codec used by the tables)
from streams.config import Settings
from streams.web import metrics
from streams.web.events_view import EventsView
from streams.web.output_view import OutputView
from streams.web.routes import register_views
from streams.worker import delivery
from streams.worker.agents import create_topics, register_agents
from streams.worker.processing import warm_up
from streams.worker.tables import create_tables

log = logging.getLogger(__name__)
LAG_INTERVAL_S = 2.0
GC_YOUNG_THRESHOLD = 10_000
"""Allocations between two collections of the youngest generation (Python's default: 700). The
tally agent makes and drops many small containers per incident (decoded incidents, event versions,
row copies) while holding ~10^5 long-lived ones (open events); collecting the young generation 14x
less often lets most of the short-lived ones die by reference count first: 0.99-1.08 against
1.35-1.63 ms per article, and 4% fewer instructions, for ``bench/tally_cost.py``'s work
(bench/README.md, "Events in the pipeline: fewer records per article")."""


class QuietStartWorker(faust.Worker):
    """``faust.Worker`` without the start-up spinner.

    The spinner sets the root logger to DEBUG (to spin on every record) and leaves it there, so
    every ``log.debug`` in aiokafka and Faust builds a record that the handlers then drop: 9% of
    the worker's time while streaming, 16% during table recovery (profiles in bench/README.md).
    """

    def on_setup_root_logger(self, logger: logging.Logger, level: int) -> None:
        self.spinner = None
        super().on_setup_root_logger(logger, level)


def create_app(settings: Settings) -> faust.App:
    """Build the worker app for ``settings``: topics, tables, agents, web views, timers."""
    connection = settings.connection
    app = faust.App(
        settings.app_id,
        # Faust's aiokafka transport with the delivery patches (streams/worker/delivery/).
        broker=connection.faust_brokers(scheme=delivery.SCHEME),
        broker_credentials=connection.faust_credentials(),
        store=settings.store,
        datadir=str(settings.data_dir),
        processing_guarantee=settings.processing_guarantee,
        topic_partitions=settings.partitions,
        # `casualty worker` creates every topic first (streams.clients.admin) and sets the factor it
        # resolved; this only matters for a topic Faust would create itself.
        topic_replication_factor=settings.replication_factor or 1,
        topic_allow_declare=True,
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_in_thread=False,
        consumer_auto_offset_reset="earliest",
        # acks=all: a record (output, changelog) counts as sent once every in-sync replica has it;
        # with min.insync.replicas=2 a broker lost right after an ack loses nothing.
        producer_acks=-1,
        # Batch a few ms: each article fans out to ~20 records over ~40 partitions, and unbatched
        # sends cost a record batch each (bench/README.md: ~12% less worker CPU per article).
        producer_linger=settings.producer_linger_ms / 1000,
        Worker=QuietStartWorker,
        broker_commit_every=1000,
        broker_commit_interval=1.0,
        table_standby_replicas=0,
        # at_least_once: a rebalance waits until the messages being processed are done (batches
        # included), so a partition's former owner never writes its tables after the new owner
        # took over. exactly_once keeps Faust's default of not waiting: the new owner's
        # transactional producer fences the old one (tests/reliability/README.md).
        stream_wait_empty=settings.processing_guarantee == "at_least_once",
        # Table changelogs: JSON keys, orjson values. Our topics are raw bytes.
        key_serializer="json",
        value_serializer="orjson",
        autodiscover=False,
    )
    topics = create_topics(app, settings)
    tables = create_tables(app, settings.partitions, settings.seen_retention_days, store=settings.store)
    register_agents(app, settings, topics, tables)
    output = OutputView(
        settings.tallies_topic, settings.incidents_topic,
        client_options=connection.aiokafka_options(), recent=settings.recent_incidents,
        dead_letters_topic=settings.dead_letter_topic,
    )

    events = EventsView(settings.events_topic, client_options=connection.aiokafka_options(),
                        keep=settings.recent_events)

    def is_ready() -> bool:
        return bool(app.tables.recovery.completed.is_set() and output.caught_up.is_set())

    register_views(app, output, is_ready, count_suspect=settings.count_suspect, events=events)
    metrics.set_recovering()

    @app.task
    async def follow_outputs() -> None:
        """Start the output view once the app runs."""
        output.start()

    @app.task
    async def warm_up_extractor() -> None:
        """Load the extractor's data off the event loop, then take it out of the collector's way.

        The gazetteer and patterns are ~10^5 long-lived objects: every full collection would walk
        them again (pauses in the latency tail). ``gc.freeze()`` moves them to the permanent
        generation; the young generation is collected less often (:data:`GC_YOUNG_THRESHOLD`).
        """
        await asyncio.get_running_loop().run_in_executor(None, warm_up)
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])

    @app.timer(LAG_INTERVAL_S)
    async def report_lag() -> None:
        """Consumer lag per assigned partition, readiness and region count, for /metrics."""
        consumer = app.consumer
        sources = {settings.articles_topic, settings.incidents_topic}
        # The assignment also holds changelog partitions (recovery); lag is about our inputs.
        for tp in (tp for tp in consumer.assignment() if tp.topic in sources):
            try:
                highwater = consumer.highwater(tp)
                position = await consumer.position(tp)
            except Exception:  # lag is best effort; never let it kill the timer
                continue
            if highwater is not None and position is not None:
                metrics.set_lag(tp.topic, tp.partition, max(0, highwater - position))
        metrics.set_ready(is_ready())
        metrics.set_regions(len(output.regions()))

    @app.on_before_shutdown.connect
    async def _stop_view(app_: faust.App, **_: Any) -> None:
        await asyncio.wait_for(output.stop(), timeout=5)
        await asyncio.wait_for(events.stop(), timeout=5)

    app.casualty_settings = settings  # type: ignore[attr-defined]
    app.casualty_output = output  # type: ignore[attr-defined]
    app.casualty_events = events  # type: ignore[attr-defined]
    return app


app = create_app(Settings.from_env())
