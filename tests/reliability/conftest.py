"""Fixtures of the reliability suite: the generated stream and its batch result.

Sizes and seeds can be raised for a longer run without editing the tests::

    RELIABILITY_ARTICLES=10000 pytest tests/reliability -m heavy -s
"""

from __future__ import annotations

import functools
import os

import pytest

from tests.reliability.support import Stream, batch_stream

DEFAULT_ARTICLES = 2000
HEAVY_ARTICLES = int(os.environ.get("RELIABILITY_ARTICLES", "6000"))
SEED = int(os.environ.get("RELIABILITY_SEED", "2026"))


@functools.cache
def cached_stream(n: int, seed: int) -> Stream:
    """The batch result is the same for every test that asks for the same stream: compute it once."""
    return batch_stream(n, seed)


@pytest.fixture(scope="session")
def stream() -> Stream:
    """The default stream: 2,000 generated articles and their batch tables."""
    return cached_stream(DEFAULT_ARTICLES, SEED)


@pytest.fixture(scope="session")
def heavy_stream() -> Stream:
    """The heavy variants' stream (``RELIABILITY_ARTICLES``, default 6,000 articles)."""
    return cached_stream(HEAVY_ARTICLES, SEED)
