"""The batch side of the event tables: resolve incidents once, in their partition's order, and fold
the final events with the table arithmetic (:func:`streams.worker.event_tally.reference_tables`).

This is what a stream must end with, whatever crashed: it uses the pure resolver
(:func:`streams.events.resolve_all`, one incident at a time, as the tally agent resolves them)
and folds only the final version of each event, so it shares none of the stream's bookkeeping
(head offsets, saved reports, moving entries between days, running sums by difference).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from schemas.records import Event, Incident
from streams.events import Resolver, resolve_all
from streams.worker.event_tally import reference_tables
from streams.worker.tally import Tally, is_suspect


def batch_events(partitions: Iterable[Sequence[bytes]], *, count_suspect: bool = False
                 ) -> tuple[list[Event], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Final events, suspect incidents and every incident by id, of the ``incidents`` records given
    per partition, each partition in offset order; an incident id is used once (its first record)."""
    seen: dict[str, dict[str, Any]] = {}
    resolvable: list[list[Incident]] = []
    suspect: list[dict[str, Any]] = []
    for records in partitions:
        for raw in records:
            data = orjson.loads(raw)
            if data["incident_id"] in seen:
                continue
            seen[data["incident_id"]] = data
            if is_suspect(data):
                suspect.append(data)
                if not count_suspect:
                    continue
            resolvable.append([Incident.model_validate_json(raw)])
    return resolve_all(resolvable, Resolver(count_suspect=count_suspect)), suspect, seen


def batch_tallies(partitions: Iterable[Sequence[bytes]], *, count_suspect: bool = False) -> dict[str, Tally]:
    """The ``casualty-tallies`` rows (``<region>|all`` and ``<region>|<day>``) of a batch run."""
    events, suspect, incidents = batch_events(partitions, count_suspect=count_suspect)
    return reference_tables(events, suspect, incidents)
