"""The ``extract`` entry point: runs the default pipeline and never raises."""

from __future__ import annotations

import logging
from dataclasses import dataclass

# Importing the step modules registers their steps.
from extractors import assemble as _assemble  # noqa: F401
from extractors import classify as _classify  # noqa: F401
from extractors import locations as _locations  # noqa: F401
from extractors import output as _output  # noqa: F401
from extractors import selfcheck as _selfcheck  # noqa: F401
from extractors import stated as _stated  # noqa: F401
from extractors import steps_text as _steps_text  # noqa: F401
from extractors import story as _story  # noqa: F401
from extractors.context import parse_date
from extractors.output import summary_step
from extractors.pipeline import Doc, run
from schemas.records import Article, ArticleSummary, Incident

log = logging.getLogger(__name__)

PIPELINE: list[str] = [
    "segment",
    "clauses",
    "context",
    "mentions",
    "stated",
    "headline",
    "lead_toll",
    "assemble",
    "locate",
    "merge",
    "places",
    "classify",
    "story",
    "check",
    "records",
    "summary",
]
"""Default step order (names from :data:`extractors.pipeline.REGISTRY`)."""


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one article yielded: its incidents and the stated-vs-extracted summary."""

    incidents: list[Incident]
    summary: ArticleSummary


def extract_doc(article: Article, steps: list[str] | None = None) -> Doc:
    """Run the pipeline (or the given steps) and return the full Doc state (for tests and tools)."""
    body = article.body if isinstance(article.body, str) else ""
    doc = Doc(article=article, body=body, published=parse_date(article.published))
    return run(doc, PIPELINE if steps is None else steps)


def extract(article: Article) -> Extraction:
    """Extract the incidents and summary of one article. Never raises: on an internal error it
    logs and returns an empty extraction (zero incidents, summary with nothing extracted)."""
    try:
        doc = extract_doc(article)
        return Extraction(incidents=doc.incidents, summary=doc.summary)
    except Exception:  # the contract is "never raise"; the error is logged for the caller
        log.exception("extraction failed for article %r", getattr(article, "id", None))
        article_id = str(getattr(article, "id", "") or "")
        empty = Doc(article=article, body="")
        try:
            summary_step(empty)
            summary = empty.summary
        except Exception:
            summary = ArticleSummary.model_construct(article_id=article_id)
        return Extraction(incidents=[], summary=summary)
