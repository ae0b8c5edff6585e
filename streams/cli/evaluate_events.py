"""``casualty eval --events``: score event resolution on labelled reports with an ``event_cluster``.

Scored twice (definitions in :mod:`streams.events.scoring`): on the extractor's incidents
(``extracted``: the product as it is) and on the gold incidents fed as if extracted (``gold``:
matching alone, whatever the extractor misses). Folds (``--fold``/``--exclude-fold``) split by
cluster id, so every report of one event falls in the same fold (files without a cluster are
not scored here).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import orjson

from extractors import extract
from extractors.corpus import LabelledArticle, iter_paths, load_file
from extractors.evaluation import fold_of
from schemas.records import Article, Incident
from streams.events.scoring import score_resolution


def clustered_items(paths: tuple[Path, ...], only: tuple[int, int] | None,
                    skip: tuple[int, int] | None) -> tuple[list[LabelledArticle], int]:
    """The labelled articles with an event cluster in the chosen folds, and the unreadable count."""
    items: list[LabelledArticle] = []
    errors = 0
    for path in iter_paths(paths):
        try:
            item = load_file(path)
        except (OSError, ValueError) as exc:
            click.echo(f"{path}: cannot read: {exc}", err=True)
            errors += 1
            continue
        cluster = item.extra.get("event_cluster")
        if not cluster or item.gold is None:
            continue
        if only and fold_of(str(cluster), only[1]) != only[0]:
            continue
        if skip and fold_of(str(cluster), skip[1]) == skip[0]:
            continue
        items.append(item)
    return items, errors


def _extracted(article: Article) -> list[Incident]:
    return extract(article).incidents


def _lines(name: str, r: dict[str, Any]) -> list[str]:
    p, d, e, k = r["pairs"], r["pairs_dated"], r["events"], r["killed"]
    out = [
        f"[{name}] incidents scored {r['scored_incidents']} (spurious {r['spurious_incidents']})  "
        f"pairs: P {p['precision']}  R {p['recall']}  (true {p['true']} predicted {p['predicted']} gold {p['gold']})",
        f"[{name}] pairs of dated reports: P {d['precision']}  R {d['recall']}  "
        f"(true {d['true']} predicted {d['predicted']} gold {d['gold']})",
        f"[{name}] events: resolved {e['resolved']}  gold {e['gold']}  ratio {e['ratio']}",
        f"[{name}] killed: resolved {k['resolved']}  gold {k['gold']}  reports counted {k['reports_counted']}  "
        f"abs error ratio {k['abs_error_ratio']}  regions within 10% {k['regions_within_10pct']}",
    ]
    for region, row in r["per_region"].items():
        out.append(f"[{name}]   {region:<8} gold {row['gold']:>5}  resolved {row['resolved']:>5}  "
                   f"reports counted {row['reports_counted']:>5}")
    return out


def report_events(paths: tuple[Path, ...], only: tuple[int, int] | None, skip: tuple[int, int] | None,
                  as_json: bool) -> None:
    """Print the event-resolution scores of both modes; exit 1 when a file could not be read."""
    items, errors = clustered_items(paths, only, skip)
    report: dict[str, Any] = {
        "articles": len(items),
        "clusters": len({it.extra["event_cluster"] for it in items}),
        "extracted": score_resolution(items, "extracted", _extracted).as_dict(),
        "gold": score_resolution(items, "gold").as_dict(),
    }
    if as_json:
        sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        click.echo(f"event resolution: {report['articles']} articles, {report['clusters']} clusters")
        for name in ("extracted", "gold"):
            for line in _lines(name, report[name]):
                click.echo(line)
    if errors:
        sys.exit(1)
