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
"""

from streams.events.resolver import (
    EventChange,
    Resolution,
    Resolver,
    SavedReport,
    Skipped,
    event_id_for,
    rebuild_event,
    resolve_all,
)

__all__ = ["EventChange", "Resolution", "Resolver", "SavedReport", "Skipped", "event_id_for", "rebuild_event",
           "resolve_all"]
