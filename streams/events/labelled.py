"""``casualty eval --events``: event resolution scored on labelled reports with an ``event_cluster``.

Scored twice (definitions in :mod:`streams.events.scoring`): on the extractor's incidents
(``extracted``: the product as it is) and on the gold incidents fed as if extracted (``gold``:
matching alone, whatever the extractor misses). Folds split by cluster id, so every report of
one event falls in the same fold; files without a cluster are not scored here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from extractors import extract
from extractors.corpus import LabelledArticle, iter_paths, load_file
from extractors.evaluation import fold_of
from schemas.records import Article, Incident
from streams.events.scoring import score_resolution


def clustered_items(paths: Iterable[Path], only: tuple[int, int] | None, skip: tuple[int, int] | None,
                    errors: list[str]) -> list[LabelledArticle]:
    """The labelled articles with an event cluster in the chosen folds (``K, N``); unreadable
    files are described in ``errors``."""
    items: list[LabelledArticle] = []
    for path in iter_paths(paths):
        try:
            item = load_file(path)
        except (OSError, ValueError) as exc:
            errors.append(f"{path}: cannot read: {exc}")
            continue
        cluster = item.extra.get("event_cluster")
        if not cluster or item.gold is None:
            continue
        if only and fold_of(str(cluster), only[1]) != only[0]:
            continue
        if skip and fold_of(str(cluster), skip[1]) == skip[0]:
            continue
        items.append(item)
    return items


def _extracted(article: Article) -> list[Incident]:
    return extract(article).incidents


def events_report(paths: Iterable[Path], only: tuple[int, int] | None = None,
                  skip: tuple[int, int] | None = None) -> tuple[dict[str, Any], list[str]]:
    """The event-resolution scores of both modes, and the files that could not be read."""
    errors: list[str] = []
    items = clustered_items(paths, only, skip, errors)
    # (event folds split by cluster, incident folds by file name: a file of a scored cluster may be
    # in the incident fold kept unread, and reading this report's evidence would read it)
    fold = only or skip
    crossing = 0
    if fold is not None:
        crossing = sum((fold_of(Path(it.path).stem, fold[1]) == fold[0]) != (only is not None) for it in items)
    report: dict[str, Any] = {
        "articles": len(items),
        "clusters": len({it.extra["event_cluster"] for it in items}),
        "other_incident_fold": crossing,
        "extracted": score_resolution(items, "extracted", _extracted).as_dict(),
        "gold": score_resolution(items, "gold").as_dict(),
    }
    return report, errors


def report_lines(report: dict[str, Any]) -> list[str]:
    """The report as the text ``casualty eval --events`` prints."""
    out = [f"event resolution: {report['articles']} articles, {report['clusters']} clusters"]
    if report.get("other_incident_fold"):
        out.append(f"note: {report['other_incident_fold']} of these files fall on the other side of the same "
                   "split of the incident folds (by file name): do not read their evidence")
    for name in ("extracted", "gold"):
        r = report[name]
        p, d, e, k = r["pairs"], r["pairs_dated"], r["events"], r["killed"]
        out += [
            f"[{name}] incidents scored {r['scored_incidents']} (spurious {r['spurious_incidents']})  "
            f"pairs: P {p['precision']}  R {p['recall']}  (true {p['true']} predicted {p['predicted']} "
            f"gold {p['gold']})",
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
