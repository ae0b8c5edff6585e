"""casualty-stream extractors: article text -> incident records (pure Python, no Kafka/Faust).

Public API::

    from extractors import extract, Extraction
    result = extract(article)          # never raises
    result.incidents                   # list[schemas.records.Incident]
    result.summary                     # schemas.records.ArticleSummary

``COMPILED`` tells whether the mypyc-compiled modules are in use (``python -m extractors.compile``
builds them; same results, faster). They are skipped, and the sources imported, when
``CASUALTY_EXTRACTORS_PURE=1`` is set or when a source changed since the build
(:mod:`extractors.mypyc_runtime`).
"""

from __future__ import annotations

from pathlib import Path

from extractors.mypyc_runtime import CompiledModules

NATIVE = CompiledModules(
    package=__name__,
    directory=Path(__file__).resolve().parent,
    modules=(
        "record", "rules", "lexicon", "quantities", "segment", "furniture", "clauses", "gazetteer", "geocontext",
        "pipeline", "timex", "scope", "context", "attribution", "steps_text", "selfcheck", "locations", "stated",
        "assemble", "classify", "story", "output",
    ),
    pure_env="CASUALTY_EXTRACTORS_PURE",
)
"""The modules compiled: every step and what the steps call per article. ``engine``, ``corpus``,
``evaluation``, the build (``compile``, ``mypyc_build``, ``mypyc_runtime``) stay Python (not on the
hot path)."""

COMPILED: bool = NATIVE.load("engine")
"""Whether the mypyc-compiled modules are in use."""

# after NATIVE.load, which chose the compiled modules or the sources
from extractors.engine import PIPELINE, Extraction, extract, extract_doc  # noqa: E402

__all__ = ["COMPILED", "PIPELINE", "Extraction", "extract", "extract_doc"]
