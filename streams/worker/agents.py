"""The two agents: articles -> incidents (here), and incidents -> events -> tables
(:mod:`streams.worker.tally_agent`).

They stay small: validation and extraction live in :mod:`streams.worker.processing`, event
resolution and the table arithmetic in :mod:`streams.worker.event_batch`, the state in
:mod:`streams.worker.tables`. What an agent sends is handed to the producer before its message is
acked, and Faust flushes the producer (table changelogs too) before it commits offsets
(``at_least_once``) or sends it inside the source partition's transaction (``exactly_once``,
:mod:`streams.worker.delivery.transactions`).

The extract agent works article by article (extraction dominates its cost). The tally agent
works in batches (``tally_batch`` incidents or ``tally_wait_ms``): each event, event row,
daily row and tally a batch changes is written and published once per batch.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import faust

from streams.config import Settings
from streams.web import metrics
from streams.worker.delivery import commit_gate
from streams.worker.processing import (
    Extracted,
    MessageMeta,
    Rejected,
    extraction_failure,
    run_extraction,
    validate,
)
from streams.worker.tables import Tables, is_copy
from streams.worker.tally_agent import register_tally_agent

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Topics:
    """The app's Faust topics (all raw bytes: we decode and validate ourselves)."""

    articles: faust.TopicT
    dead_letters: faust.TopicT
    incidents: faust.TopicT
    summaries: faust.TopicT
    tallies: faust.TopicT
    events: faust.TopicT


def create_topics(app: faust.App, settings: Settings) -> Topics:
    """Declare the topics on ``app`` (they are created by :func:`streams.clients.admin.ensure_topics`)."""
    def topic(name: str) -> faust.TopicT:
        return app.topic(name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")

    return Topics(
        articles=topic(settings.articles_topic),
        dead_letters=topic(settings.dead_letter_topic),
        incidents=topic(settings.incidents_topic),
        summaries=topic(settings.summaries_topic),
        tallies=topic(settings.tallies_topic),
        events=topic(settings.events_topic),
    )


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _age_seconds(iso: str | None) -> float | None:
    if not iso:
        return None
    try:
        then = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return max(0.0, (datetime.now(UTC) - then).total_seconds())


def register_agents(app: faust.App, settings: Settings, topics: Topics, tables: Tables) -> None:
    """Attach both agents to ``app``."""
    # Under exactly_once, commits wait for a gap between messages (see streams.worker.delivery.transactions).
    gate = commit_gate(app)

    async def publish_dead_letter(rejected: Rejected) -> None:
        await topics.dead_letters.send(key=rejected.key, value=rejected.value, headers=rejected.headers)
        metrics.observe_dead_letter(rejected.dead_letter.error_code)
        metrics.observe_article("dead_letter")
        log.warning("dead letter %s: %s", rejected.dead_letter.error_code, rejected.dead_letter.reason)

    async def extract_off_loop(article: Any, size: int) -> Extracted:
        # A huge article would hold the event loop (and so heartbeats) for too long: use a thread.
        if size > settings.offload_bytes:
            return await asyncio.get_running_loop().run_in_executor(None, run_extraction, article)
        return run_extraction(article)

    @app.agent(topics.articles, name="extract-articles")
    async def extract_articles(stream: faust.StreamT[bytes]) -> None:
        """Validate, de-duplicate and extract each article; publish incidents and a summary."""
        async for event in gate.gated(stream.events()):
            message = event.message
            raw = event.value
            metrics.observe_received(topic=message.topic)
            # Faust gives the Kafka timestamp in seconds (float); dead letters carry milliseconds.
            timestamp_ms = int(message.timestamp * 1000) if message.timestamp is not None else None
            meta = MessageMeta(message.topic, message.partition, message.offset, timestamp_ms)
            try:
                checked = validate(raw, meta, settings.max_body_bytes, key=message.key)
            except Exception as exc:  # a validator bug must not stop the worker either
                log.exception("validation failed unexpectedly at %s", message.tp)
                checked = extraction_failure(bytes(raw or b""), exc, meta, message.key)
            if isinstance(checked, Rejected):
                await publish_dead_letter(checked)
                continue
            article = checked
            if is_copy(tables.seen_articles, article.id, message.offset):
                metrics.observe_article("duplicate")
                continue
            try:
                result = await extract_off_loop(article, len(raw or b""))
            except Exception as exc:  # the extractor must never stop the worker
                log.exception("extraction failed for article %s", article.id)
                await publish_dead_letter(extraction_failure(raw, exc, meta, message.key))
                continue
            for key, value in result.incident_messages:
                await topics.incidents.send(key=key, value=value)
            await topics.summaries.send(key=result.summary_message[0], value=result.summary_message[1])
            # Marked with this message's offset: if a crash loses the incidents above, the
            # redelivered message (same offset) is extracted again instead of being skipped.
            tables.seen_articles.add(article.id, message.offset)
            metrics.observe_extraction(result.seconds)
            metrics.observe_summary(result.summary.gap_killed, result.summary.gap_wounded)
            age = _age_seconds(article.received_at)
            if age is not None and result.incidents:
                metrics.observe_latency(age)
            metrics.observe_article("ok")

    register_tally_agent(app, settings, topics.incidents, topics.tallies, topics.events, tables, gate)
