"""casualty-stream extractors: article text -> incident records (pure Python, no Kafka/Faust).

Public API::

    from extractors import extract, Extraction
    result = extract(article)          # never raises
    result.incidents                   # list[schemas.records.Incident]
    result.summary                     # schemas.records.ArticleSummary
"""

from __future__ import annotations

from extractors.engine import PIPELINE, Extraction, extract, extract_doc

__all__ = ["PIPELINE", "Extraction", "extract", "extract_doc"]
