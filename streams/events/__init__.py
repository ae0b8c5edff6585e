"""Event resolution: incidents of many articles and outlets -> one record per real event (pure Python).

Public API::

    from streams.events import Resolver
    resolver = Resolver()
    for article in articles:                                # in arrival order
        resolution = resolver.resolve(extract(article).incidents)
        for change in resolution.changes:                   # EventChange: event, previous, delta
            publish(change.event)                           # schemas.records.Event, key = event_id

No Kafka or Faust imports: the state (:class:`streams.events.open_events.MemoryStore`) is partitioned
by region so that it can live in a Faust table later. The rules: ``streams/events/README.md``.

``COMPILED`` tells whether the mypyc-compiled modules are in use (``python -m streams.events.build``
builds them; same results, faster). As with the extractor (the shared :mod:`extractors.mypyc_runtime`),
the sources are imported instead when ``CASUALTY_EVENTS_PURE=1`` is set or when a source changed
since the build.
"""

from __future__ import annotations

from pathlib import Path

from extractors.mypyc_runtime import CompiledModules

NATIVE = CompiledModules(
    package=__name__,
    directory=Path(__file__).resolve().parent,
    modules=("dates", "wording", "places", "match", "figures", "open_events", "resolver"),
    pure_env="CASUALTY_EVENTS_PURE",
)
"""The modules compiled: everything the resolver runs per incident. ``labelled``, ``scoring`` and
``build`` stay Python (offline tools, not on the stream's path)."""

COMPILED: bool = NATIVE.load("resolver")
"""Whether the mypyc-compiled modules are in use."""

# after NATIVE.load, which chose the compiled modules or the sources
from streams.events.resolver import (  # noqa: E402
    EventChange,
    Resolution,
    Resolver,
    SavedReport,
    Skipped,
    event_id_for,
    rebuild_event,
    resolve_all,
)

__all__ = ["COMPILED", "EventChange", "Resolution", "Resolver", "SavedReport", "Skipped", "event_id_for",
           "rebuild_event", "resolve_all"]
