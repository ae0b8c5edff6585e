"""Build the optional compiled event resolution: the resolver's modules compiled with mypyc, in place.

    python -m streams.events.build            # build (skipped when the build is current)
    python -m streams.events.build --force    # rebuild
    python -m streams.events.build --clean    # remove the compiled modules (pure Python again)

The modules of ``streams.events.NATIVE``, built by the extractor's generic helper
(:mod:`extractors.mypyc_build`; any failure leaves the pure-Python modules in use). A new build is
kept only if it resolves exactly the same event changes (every version as JSON, with its delta, and
every skipped incident) as the pure-Python modules on generated feeds (:func:`output_lines`); a
source edited after the build, or ``CASUALTY_EVENTS_PURE=1``, makes the sources run.
"""

from __future__ import annotations

import sys

from extractors.mypyc_build import MypycBuild

BUILD = MypycBuild("streams.events", check="streams.events.build:output_lines", unit="lines of changes and skips")


def output_lines() -> list[str]:
    """Every change and skip of the resolver on generated feeds (dense and sparse, in date order and
    at random, every article twice), as JSON: what a compiled build must give exactly as the sources do."""
    import orjson

    from bench.generator import generate
    from extractors import extract
    from schemas.codec import dumps
    from schemas.records import Article
    from streams.events import Resolver

    out: list[str] = []
    for n, days, ordered in ((600, 3, True), (600, 10, False), (300, 60, True)):
        articles = [Article.model_validate(a.article) for a in generate(n, seed=7, days=days)]
        if ordered:
            articles.sort(key=lambda a: str(a.published))
        resolver = Resolver()
        for article in articles:
            incidents = extract(article).incidents
            for _ in range(2):  # the second pass: every id a duplicate
                res = resolver.resolve(incidents)
                for change in res.changes:
                    out.append(dumps(change.event).decode() + " " + orjson.dumps(list(change.delta)).decode())
                out.extend(f"skip {s.incident_id} {s.reason} {s.event_id}" for s in res.skipped)
        out.extend(dumps(e).decode() for e in resolver.open_events())
    return out


if __name__ == "__main__":
    sys.exit(BUILD.main())
