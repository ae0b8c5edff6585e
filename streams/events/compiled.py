"""Whether the mypyc-compiled event-resolution modules may run (see :mod:`streams.events.build`).

The same switch as the extractor's (:mod:`extractors.native`), for this package: a compiled module
is used only when ``streams/events/_native.stamp`` lists the hashes of the current sources, so a
build older than an edit never runs; ``CASUALTY_EVENTS_PURE=1`` forces the sources.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
STAMP = PACKAGE_DIR / "_native.stamp"
PURE_ENV = "CASUALTY_EVENTS_PURE"
"""Set to 1 to import the pure-Python modules even where compiled ones are current."""

MODULES: tuple[str, ...] = ("dates", "wording", "places", "match", "figures", "open_events", "resolver")
"""The modules compiled: everything the resolver runs per incident. ``labelled``, ``scoring``,
``compile`` and this module stay Python (offline tools, not on the stream's path)."""


def built_files() -> list[Path]:
    """Compiled artefacts currently in the package folder."""
    return sorted(p for p in PACKAGE_DIR.iterdir() if p.suffix in (".so", ".pyd") and p.is_file())


def source_hashes() -> dict[str, str]:
    """sha256 of each compiled module's source, as written to and compared with the stamp."""
    return {m: hashlib.sha256((PACKAGE_DIR / f"{m}.py").read_bytes()).hexdigest() for m in MODULES}


def stamp_text(hashes: dict[str, str]) -> str:
    """The stamp's content for these source hashes and the running interpreter."""
    lines = [f"python {sys.version_info[0]}.{sys.version_info[1]} {sys.implementation.cache_tag}"]
    lines += [f"{m} {h}" for m, h in sorted(hashes.items())]
    return "\n".join(lines) + "\n"


def is_current() -> bool:
    """Whether compiled modules are present and were built from the current sources."""
    if not built_files() or not STAMP.is_file():
        return False
    return STAMP.read_text() == stamp_text(source_hashes())
