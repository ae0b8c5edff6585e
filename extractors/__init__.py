"""casualty-stream extractors: article text -> incident records (pure Python, no Kafka/Faust).

Public API::

    from extractors import extract, Extraction
    result = extract(article)          # never raises
    result.incidents                   # list[schemas.records.Incident]
    result.summary                     # schemas.records.ArticleSummary

``COMPILED`` tells whether the mypyc-compiled modules are in use (``python -m extractors.compile``
builds them; same results, faster). They are skipped, and the sources imported, when
``CASUALTY_EXTRACTORS_PURE=1`` is set or when a source changed since the build.
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
    """Finds ``extractors.<module>`` as its ``.py`` source even where a compiled module exists."""

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
    if not any(p.suffix == ".so" for p in _DIR.iterdir()):
        return False
    if os.environ.get("CASUALTY_EXTRACTORS_PURE", "") not in ("", "0"):
        return True
    from extractors.native import is_current

    return not is_current()


_SOURCES = _use_sources()
if _SOURCES:
    sys.meta_path.insert(0, _SourceFinder())
try:
    from extractors.engine import PIPELINE, Extraction, extract, extract_doc
except ImportError:
    if _SOURCES:
        raise
    # a compiled module that does not load here (another interpreter build, a damaged file):
    # forget what was imported of this package and import the sources instead
    for _name in [n for n in sys.modules if n.startswith(__name__ + ".")]:
        del sys.modules[_name]
    sys.meta_path.insert(0, _SourceFinder())
    from extractors.engine import PIPELINE, Extraction, extract, extract_doc

COMPILED: bool = str(getattr(sys.modules["extractors.clauses"], "__file__", "")).endswith(
    tuple(importlib.machinery.EXTENSION_SUFFIXES)
)
"""Whether the mypyc-compiled modules are in use."""

__all__ = ["COMPILED", "PIPELINE", "Extraction", "extract", "extract_doc"]
