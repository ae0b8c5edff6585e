"""Build the optional compiled extractor: the hot modules compiled with mypyc, in place.

    python -m extractors.compile            # build (skipped when the build is current)
    python -m extractors.compile --force    # rebuild
    python -m extractors.compile --clean    # remove the compiled modules (pure Python again)

The modules of ``extractors.NATIVE``, built by :mod:`extractors.mypyc_build` (1.7-2x as fast, same
results; any failure leaves the pure-Python modules in use). A new build is kept only if it extracts
exactly the same records (as JSON) as the pure-Python modules from the bundled demo articles and the
test fixtures (:func:`output_lines`); a source edited after the build, or
``CASUALTY_EXTRACTORS_PURE=1``, makes ``import extractors`` use the sources.
"""

from __future__ import annotations

import sys

from extractors.mypyc_build import MypycBuild

BUILD = MypycBuild("extractors", check="extractors.compile:output_lines", unit="records")


def output_lines() -> list[str]:
    """Every record extracted from the demo articles and test fixtures (three variants of each body),
    as sorted-key JSON: what a compiled build must give exactly as the sources do."""
    import orjson

    from extractors import NATIVE, extract
    from extractors.corpus import article_from_record
    from schemas.records import Article

    out: list[str] = []
    folders = (NATIVE.root / "streams/demo/articles", NATIVE.root / "tests/fixtures/articles")
    for p in [p for d in folders for p in sorted(d.glob("*.json"))]:
        rec = orjson.loads(p.read_bytes())
        art = article_from_record(rec, p.stem) if "body" not in rec else Article.model_validate(rec)
        for body in (art.body, art.body.lower(), art.body.replace("\n", " ")):
            res = extract(art.model_copy(update={"body": body}))
            for rec_ in [*res.incidents, res.summary]:
                out.append(orjson.dumps(rec_.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS).decode())
    return out


if __name__ == "__main__":
    sys.exit(BUILD.main())
