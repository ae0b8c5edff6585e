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
builds them; same results, faster). As with the extractor, the sources are imported instead when
``CASUALTY_EVENTS_PURE=1`` is set or when a source changed since the build.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

_DIR = Path(__file__).resolve().parent


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Finds ``streams.events.<module>`` as its ``.py`` source even where a compiled module exists."""

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        """The source module's spec for a compiled module of this package, else None."""
        pkg, _, mod = name.rpartition(".")
        src = _DIR / f"{mod}.py"
        if pkg != __name__ or not src.is_file():
            return None
        return importlib.util.spec_from_file_location(name, src)


def _use_sources() -> bool:
    """Compiled modules are present but must not run (forced pure, or built from other sources)."""
    if not any(p.suffix in (".so", ".pyd") for p in _DIR.iterdir()):
        return False
    if os.environ.get("CASUALTY_EVENTS_PURE", "") not in ("", "0"):
        return True
    from streams.events.compiled import is_current

    return not is_current()


_SOURCES = _use_sources()
if _SOURCES:
    sys.meta_path.insert(0, _SourceFinder())
try:
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
except ImportError:
    if _SOURCES:
        raise
    # a compiled module that does not load here (another interpreter build, a damaged file):
    # forget what was imported of this package and import the sources instead
    for _name in [n for n in sys.modules if n.startswith(__name__ + ".") and not n.endswith(".compiled")]:
        del sys.modules[_name]
    sys.meta_path.insert(0, _SourceFinder())
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

COMPILED: bool = str(getattr(sys.modules["streams.events.resolver"], "__file__", "")).endswith(
    tuple(importlib.machinery.EXTENSION_SUFFIXES)
)
"""Whether the mypyc-compiled modules are in use."""

__all__ = ["COMPILED", "EventChange", "Resolution", "Resolver", "SavedReport", "Skipped", "event_id_for",
           "rebuild_event", "resolve_all"]
