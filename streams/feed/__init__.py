"""``casualty feed``: articles from files, folders, stdin and RSS/Atom feeds to the ``articles`` topic.

Public API::

    from streams.feed import FeedOptions, Reporter, run_feed
    counts = run_feed(["wires/"], settings, FeedOptions(topic=settings.articles_topic, rate=5), Reporter(sys.stderr))

Modules: :mod:`~streams.feed.files` (files, folders, stdin), :mod:`~streams.feed.rss` (feeds),
:mod:`~streams.feed.state` (entries already sent), :mod:`~streams.feed.ratelimit` (token bucket),
:mod:`~streams.feed.progress` (counts and display), :mod:`~streams.feed.run` (the producer loop).
"""

from streams.feed.items import Item
from streams.feed.progress import FeedCounts, Reporter
from streams.feed.ratelimit import TokenBucket
from streams.feed.run import Feeder, FeedOptions, prepare, run_feed
from streams.feed.sources import Defaults, plan_sources, source_items, to_article
from streams.feed.state import SentEntries, default_state_path

__all__ = [
    "Defaults",
    "FeedCounts",
    "FeedOptions",
    "Feeder",
    "Item",
    "Reporter",
    "SentEntries",
    "TokenBucket",
    "default_state_path",
    "plan_sources",
    "prepare",
    "run_feed",
    "source_items",
    "to_article",
]
