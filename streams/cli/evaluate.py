"""``casualty eval PATH...``: score the extractor on labelled articles (corpus format)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson

from extractors import extract
from extractors.corpus import iter_paths, load_file
from extractors.evaluation import ArticleScore, aggregate, score_article


def _fmt(v: int | None) -> str:
    return "-" if v is None else str(v)


def _table(scores: list[ArticleScore]) -> str:
    head = f"{'article':<58} {'stated':>9} {'gold':>9} {'extracted':>9} {'inc':>4} {'tp/fp/fn':>9} ok"
    lines = [head, "-" * len(head)]
    for s in scores:
        ok = ("=" if s.exact("gold") else ("~" if s.tolerant("gold") else "x")) if s.has_gold else (
            ("=" if s.exact("stated") else ("~" if s.tolerant("stated") else "x")) if s.has_stated else " "
        )
        pr = f"{s.tp}/{s.fp}/{s.fn}" if s.has_gold else ""
        lines.append(
            f"{s.article_id[:58]:<58} {_fmt(s.stated_killed):>4}/{_fmt(s.stated_wounded):<4} "
            f"{_fmt(s.gold_killed):>4}/{_fmt(s.gold_wounded):<4} {s.extracted_killed:>4}/{s.extracted_wounded:<4} "
            f"{s.incidents:>4} {pr:>9} {ok}"
        )
    return "\n".join(lines)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option("--only-complete", is_flag=True, help="Skip articles whose text was stored cut off.")
@click.option("--gold-only", is_flag=True, help="Skip articles without gold incident labels.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the aggregate figures.")
def evaluate(paths: tuple[Path, ...], as_json: bool, only_complete: bool, gold_only: bool, quiet: bool) -> None:
    """Score the extractor on labelled articles: files or folders of corpus-format JSON.

    Compares extracted totals with the reports' stated totals and, where present, with the gold
    labels (exact, within tolerance |gap| <= max(2, 5%), absolute error), and scores incidents
    (precision/recall/F1, region and victim-category accuracy).
    """
    scores: list[ArticleScore] = []
    errors = 0
    for path in iter_paths(paths):
        try:
            item = load_file(path)
        except (OSError, ValueError) as exc:
            click.echo(f"{path}: cannot read: {exc}", err=True)
            errors += 1
            continue
        if only_complete and not item.complete:
            continue
        if gold_only and item.gold is None:
            continue
        result = extract(item.article)
        scores.append(
            score_article(
                item.article.id,
                result.incidents,
                (item.stated_killed, item.stated_wounded),
                item.gold,
                (item.gold_killed, item.gold_wounded) if item.gold is not None else None,
                item.complete,
            )
        )
    report = aggregate(scores).as_dict()
    if as_json:
        report["per_article"] = [
            {
                "article_id": s.article_id,
                "stated": [s.stated_killed, s.stated_wounded],
                "gold": [s.gold_killed, s.gold_wounded] if s.has_gold else None,
                "extracted": [s.extracted_killed, s.extracted_wounded],
                "incidents": s.incidents,
                "tp": s.tp, "fp": s.fp, "fn": s.fn,
            }
            for s in scores
        ]
        sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        if not quiet:
            click.echo(_table(scores))
            click.echo("")
        g, st, inc = report["gold"], report["stated"], report["incidents"]
        click.echo(f"articles: {report['articles']} (gold-labelled {report['gold_articles']}, "
                   f"with stated totals {report['stated_articles']})")
        click.echo(f"vs gold:   exact {g['exact']}  within tolerance {g['within_tolerance']}  "
                   f"abs error {g['abs_error']}")
        click.echo(f"vs stated: exact {st['exact']}  within tolerance {st['within_tolerance']}  "
                   f"abs error {st['abs_error']}")
        click.echo(f"incidents: P {inc['precision']}  R {inc['recall']}  F1 {inc['f1']}  "
                   f"(tp {inc['tp']} fp {inc['fp']} fn {inc['fn']})")
        click.echo(f"region accuracy {report['region_accuracy']}  "
                   f"victim-category accuracy {report['victim_category_accuracy']}")
    if errors:
        sys.exit(1)
