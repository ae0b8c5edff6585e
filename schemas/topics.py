"""The topics of casualty-stream: names, keys, partitioning and cleanup policy.

One table that the worker (topic creation), the AsyncAPI document and the docs all read,
so a topic is described in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """How one topic is laid out and what it carries.

    ``record`` names the record class in :mod:`schemas.records`; ``replicas`` is the replication
    factor (1 for the single local broker); ``key_nullable`` says the key may be absent.
    """

    name: str
    record: str
    key: str
    cleanup_policy: str
    partitions: int = 6
    description: str = ""
    replicas: int = 1
    key_nullable: bool = False


ARTICLES = TopicSpec(
    "articles", "Article", "article id", "delete",
    description="Raw news-wire articles, as fed by `casualty feed` or any producer.",
)
ARTICLES_DLT = TopicSpec(
    "articles.DLT", "DeadLetter", "original key (or null)", "delete", partitions=1, key_nullable=True,
    description="Messages that could not be processed, with an error code and reason.",
)
INCIDENTS = TopicSpec(
    "incidents", "Incident", "region code (ISO 3166-2) or `unknown`", "delete",
    description="One message per extracted casualty incident.",
)
ARTICLE_SUMMARIES = TopicSpec(
    "article-summaries", "ArticleSummary", "article id", "delete",
    description="One message per article: stated vs extracted totals.",
)
CASUALTY_TALLIES = TopicSpec(
    "casualty-tallies", "RegionTally", "`<region code>|<window>` (window = all or YYYY-MM-DD)",
    "compact",
    description="Latest running tally per region and per region-day; compacted.",
)

EVENTS = TopicSpec(
    "events", "Event", "event id", "compact",
    description="Latest version of each event resolved from every report of it (figures, sources); "
    "compacted.",
)

ALL_TOPICS: tuple[TopicSpec, ...] = (
    ARTICLES, ARTICLES_DLT, INCIDENTS, ARTICLE_SUMMARIES, CASUALTY_TALLIES, EVENTS,
)
