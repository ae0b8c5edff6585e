"""The two agents: articles -> incidents, and incidents -> tables.

They stay small: validation and extraction live in :mod:`streams.worker.processing`, the arithmetic in
:mod:`streams.worker.tally`, the state in :mod:`streams.worker.tables`. What an agent sends is handed to the
producer before its message is acked, and Faust flushes the producer (table changelogs too)
before it commits offsets (``at_least_once``) or sends it inside the source partition's
transaction (``exactly_once``, :mod:`streams.worker.delivery.transactions`).

The extract agent works article by article (extraction dominates its cost). The tally agent
works in batches (``tally_batch`` incidents or ``tally_wait_ms``): the de-duplication mark is
still one per incident, but each region row and region-day row a batch changes is written and
published once, which took the tally side from ~5 records per incident to ~1.3
(bench/README.md).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import faust
import orjson
from faust.types import EventT

from streams.config import Settings
from streams.web import metrics
from streams.worker.delivery.transactions import commit_gate, handling
from streams.worker.processing import (
    Extracted,
    MessageMeta,
    Rejected,
    extraction_failure,
    run_extraction,
    validate,
)
from streams.worker.tables import Tables, daily_key, is_copy
from streams.worker.tally import (
    APPLIED,
    already_applied,
    apply_incident,
    counts,
    event_day,
    is_suspect,
    published,
    region_key,
    tallied,
)

log = logging.getLogger(__name__)
# The tally agent gives the event loop back after this many incidents of a batch.
YIELD_EVERY = 50


@dataclass(slots=True)
class Topics:
    """The app's Faust topics (all raw bytes: we decode and validate ourselves)."""

    articles: faust.TopicT
    dead_letters: faust.TopicT
    incidents: faust.TopicT
    summaries: faust.TopicT
    tallies: faust.TopicT


@dataclass(slots=True)
class PendingRow:
    """A table row changed by the current batch, and the last event that changed it.

    The row is written with that event as the current one: its changelog record goes to the
    event's partition, and under ``exactly_once`` into that partition's transaction.
    """

    row: dict[str, Any]
    event: EventT


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

    @app.agent(topics.incidents, name="tally-incidents")
    async def tally_incidents(stream: faust.StreamT[bytes]) -> None:
        """Add new incidents to their region's running and daily tallies; publish the changed rows.

        Incidents come in batches: each row a batch changes is written to its table and published
        once per batch, not once per incident (the de-duplication marks stay one per incident).
        """
        async for events in gate.batches(stream, settings.tally_batch, settings.tally_wait_ms / 1000):
            running: dict[str, PendingRow] = {}
            daily: dict[tuple[str, str], PendingRow] = {}
            for count, event in enumerate(events, 1):
                metrics.observe_consumed(event.message.topic)
                if is_stale(event):
                    continue
                with handling(event):
                    add_incident(event, running, daily)
                if not count % YIELD_EVERY:  # let the extract agent and heartbeats run
                    await asyncio.sleep(0)
            stamp = _now_iso()
            # A row is written only while its partition is still ours (same consumer generation):
            # a late write from a former owner would overwrite the new owner's newer row.
            running = {code: p for code, p in running.items() if not is_stale(p.event)}
            daily = {key: p for key, p in daily.items() if not is_stale(p.event)}
            for code, pending in running.items():
                with handling(pending.event):
                    tables.regions[code] = pending.row
                    await topics.tallies.send(key=f"{code}|all".encode(),
                                              value=orjson.dumps({**published(pending.row), "updated_at": stamp}))
            for (code, day), pending in daily.items():
                with handling(pending.event):
                    tables.daily[daily_key(code, day)] = pending.row
                    await topics.tallies.send(key=daily_key(code, day).encode(),
                                              value=orjson.dumps({**published(pending.row), "updated_at": stamp}))

    def is_stale(event: EventT) -> bool:
        """Whether ``event`` was fetched before the last rebalance (Faust's own rule for a stream:
        it is delivered again from the committed offset to whoever owns its partition now)."""
        return bool(event.message.generation_id != app.consumer_generation_id)

    def add_incident(event: EventT, running: dict[str, PendingRow],
                     daily: dict[tuple[str, str], PendingRow]) -> None:
        """Fold the incident of ``event`` (the current event) into the batch's pending rows."""
        try:
            incident = orjson.loads(event.value)
            incident_id = str(incident["incident_id"])
        except (orjson.JSONDecodeError, KeyError, TypeError):
            log.warning("skipping an unreadable incident at %s", event.message.tp)
            return
        offset = event.message.offset
        if is_copy(tables.seen_incidents, incident_id, offset):
            metrics.observe_duplicate_incident()
            return
        tables.seen_incidents.add(incident_id, offset)
        if not tallied(incident):  # vague figures only: published, but not tallied
            return
        code = region_key(incident)
        # Suspect incidents (the article's self-check held them back) change only their rows'
        # suspect columns, unless the worker counts them (--count-suspect).
        count_suspect = settings.count_suspect
        # Each row carries the last incidents offset it holds, saved with its counts in one
        # changelog record: a redelivered incident adds only to the rows that missed it.
        pending = running.get(code)
        row = pending.row if pending else (tables.regions[code] or None)
        if not already_applied(row, offset):
            running[code] = PendingRow({**apply_incident(row, incident, count_suspect=count_suspect), APPLIED: offset},
                                       event)
            killed, wounded = int(incident.get("killed") or 0), int(incident.get("wounded") or 0)
            if is_suspect(incident):
                metrics.observe_suspect(code)
            if counts(incident, count_suspect):
                metrics.observe_incident(code, str(incident.get("victim_category") or "unknown"), killed, wounded)
        day = event_day(incident)
        if day is None:
            return
        pending = daily.get((code, day))
        row = pending.row if pending else (tables.daily[daily_key(code, day)] or None)
        if not already_applied(row, offset):
            daily[(code, day)] = PendingRow(
                {**apply_incident(row, incident, window=day, count_suspect=count_suspect), APPLIED: offset}, event)
