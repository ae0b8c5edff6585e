"""``casualty eval PATH...``: score the extractor on labelled articles (corpus format)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import orjson

from extractors import extract
from extractors.ablation import rule_coverage
from extractors.corpus import LabelledArticle
from extractors.evaluation import ArticleScore, aggregate, fold_of, match_incidents, parse_fold, score_article
from schemas.records import Incident
from streams.labelled_inputs import FORMAT_DOC, labelled


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


def _summary_lines(report: dict[str, Any], label: str = "") -> list[str]:
    g, st, inc = report["gold"], report["stated"], report["incidents"]
    pre = f"[{label}] " if label else ""
    return [
        f"{pre}articles: {report['articles']} (gold-labelled {report['gold_articles']}, "
        f"with stated totals {report['stated_articles']})",
        f"{pre}vs gold:   exact {g['exact']}  within tolerance {g['within_tolerance']}  "
        f"abs error {g['abs_error']} (ratio {g['error_ratio']})  phantom reports {g['phantom_reports']}",
        f"{pre}vs stated: exact {st['exact']}  within tolerance {st['within_tolerance']}  "
        f"abs error {st['abs_error']}",
        f"{pre}incidents: P {inc['precision']}  R {inc['recall']}  F1 {inc['f1']}  "
        f"(tp {inc['tp']} fp {inc['fp']} fn {inc['fn']})",
        f"{pre}region accuracy {report['region_accuracy']}  "
        f"victim-category accuracy {report['victim_category_accuracy']}",
        f"{pre}suspect incidents {report['suspect']['incidents']} "
        f"(true incidents held back: {report['suspect']['gold_matched']})",
    ]


def _explain(item: LabelledArticle, incidents: list[Incident]) -> list[str]:
    """Gold entries and extracted incidents left unmatched, with their evidence."""
    gold = item.gold or []
    held = [e for e in incidents if e.status != "counted"]
    incidents = [e for e in incidents if e.status == "counted"]
    pairs = match_incidents(gold, incidents)
    matched_g = {g for g, _ in pairs}
    matched_e = {e for _, e in pairs}
    out = [f"== {item.article.id}"]
    for gi, g in enumerate(gold):
        if gi in matched_g or not (g.get("killed") or g.get("wounded")):
            continue
        out.append(f"  missed  {g.get('killed') or 0}/{g.get('wounded') or 0} {g.get('region_code')} "
                   f"{g.get('place')!r}: {str(g.get('evidence') or '')[:160]}")
    for ei, e in enumerate(incidents):
        if ei in matched_e or not (e.killed or e.wounded):
            continue
        out.append(f"  extra   {e.killed}/{e.wounded} {e.location.region_code} {e.location.name!r}: "
                   f"{e.evidence.text[:160]}")
    for e in held:
        out.append(f"  suspect {e.killed}/{e.wounded} {e.location.region_code}: {e.status_reason}: "
                   f"{e.evidence.text[:120]}")
    return out if len(out) > 1 else []


def _rules_table(coverage: dict[str, Any]) -> str:
    head = f"{'rule':<28} {'fires':>6} {'articles':>8} {'changed':>7} {'decisive':>8} {'harmful':>7} {'exact':>5}"
    lines = [f"rules over {coverage['articles']} articles (one rule off at a time)", head, "-" * len(head)]
    for r in coverage["rules"]:
        lines.append(f"{r['rule']:<28} {r['fires']:>6} {r['articles']:>8} {r['changed']:>7} {r['decisive']:>8} "
                     f"{r['harmful']:>7} {r['exact']:>5}")
    for table, counts in coverage["cue_tables"].items():
        lines.append(f"{table} labels: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return "\n".join(lines)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option("--only-complete", is_flag=True, help="Skip articles whose text was stored cut off.")
@click.option("--gold-only", is_flag=True, help="Skip articles without gold incident labels.")
@click.option("--fold", "fold", default=None, metavar="K/N",
              help="Score only fold K of N (files split by a stable hash of their name).")
@click.option("--exclude-fold", "exclude_fold", default=None, metavar="K/N",
              help="Score every file except those of fold K of N.")
@click.option("--kind", type=click.Choice(["daily", "wire"]), default=None,
              help="Score only daily round-ups or only wire stories (corpus README: outlet or `kind`).")
@click.option("--explain", is_flag=True, help="List, per article, the gold entries missed and the extra incidents.")
@click.option("--rules", "rules_table", is_flag=True,
              help="How often each named rule fires, and what changes when it alone is off (slower).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the aggregate figures.")
@click.option("--events", is_flag=True,
              help="Score event resolution instead, on files with an event_cluster (folds split by cluster).")
def evaluate(paths: tuple[Path, ...], as_json: bool, only_complete: bool, gold_only: bool, fold: str | None,
             exclude_fold: str | None, kind: str | None, explain: bool, rules_table: bool, quiet: bool,
             events: bool) -> None:
    """Score the extractor on labelled articles: files or folders of corpus-format JSON.

    Compares extracted totals with the reports' stated totals and, where present, with the gold
    labels (exact, within tolerance |gap| <= max(2, 5%), absolute error), and scores incidents
    (precision/recall/F1, region and victim-category accuracy). Daily round-ups and wire stories
    are also reported apart.

    \b
    Examples:
      casualty eval --gold-only --only-complete ../shared/corpus/dev
      casualty eval --gold-only --exclude-fold 4/5 --explain ../shared/corpus/dev
      casualty eval --events --exclude-fold 4/5 ../shared/corpus/dev
    """
    try:
        only = parse_fold(fold) if fold else None
        skip = parse_fold(exclude_fold) if exclude_fold else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    if events:
        from streams.events.labelled import events_report, report_lines

        report, unread = events_report(paths, only, skip)
        for line in unread:
            click.echo(line, err=True)
        if as_json:
            sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
        else:
            click.echo("\n".join(report_lines(report)))
        sys.exit(1 if unread else 0)
    scores: list[ArticleScore] = []
    errors = 0
    notes: list[str] = []
    items: list[LabelledArticle] = []
    problems: list[str] = []

    def keep(name: str) -> bool:  # decided on the file name, before the file is opened
        return not (only and fold_of(name, only[1]) != only[0]) and not (skip and fold_of(name, skip[1]) == skip[0])

    def problem(line: str) -> None:
        problems.append(line)
        click.echo(line, err=True)

    for item in labelled(paths, keep, problem):
        if only_complete and not item.complete:
            continue
        if gold_only and item.gold is None:
            continue
        if kind and item.kind != kind:
            continue
        items.append(item)
        result = extract(item.article)
        if explain and item.gold is not None:
            notes.extend(_explain(item, result.incidents))
        scores.append(
            score_article(
                item.article.id,
                result.incidents,
                (item.stated_killed, item.stated_wounded),
                item.gold,
                (item.gold_killed, item.gold_wounded) if item.gold is not None else None,
                item.complete,
                item.kind,
            )
        )
    errors += len(problems)
    if not scores:
        click.echo(f"eval: no labelled report to score in {', '.join(map(str, paths))} "
                   f"(.json or .jsonl files in the corpus format, {FORMAT_DOC})", err=True)
        sys.exit(1)
    report = aggregate(scores).as_dict()
    kinds = sorted({s.kind for s in scores})
    by_kind = {k: aggregate(s for s in scores if s.kind == k).as_dict() for k in kinds} if len(kinds) > 1 else {}
    coverage = rule_coverage(items).as_dict() if rules_table else None
    if as_json:
        report["by_kind"] = by_kind
        if coverage is not None:
            report["rules"] = coverage
        report["per_article"] = [
            {
                "article_id": s.article_id,
                "kind": s.kind,
                "stated": [s.stated_killed, s.stated_wounded],
                "gold": [s.gold_killed, s.gold_wounded] if s.has_gold else None,
                "extracted": [s.extracted_killed, s.extracted_wounded],
                "incidents": s.incidents,
                "tp": s.tp, "fp": s.fp, "fn": s.fn,
                "suspect": s.suspect, "suspect_gold": s.suspect_gold,
            }
            for s in scores
        ]
        sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        if not quiet:
            click.echo(_table(scores))
            click.echo("")
        for line in notes:
            click.echo(line)
        if notes:
            click.echo("")
        for line in _summary_lines(report):
            click.echo(line)
        for k, sub in by_kind.items():
            for line in _summary_lines(sub, k):
                click.echo(line)
        if coverage is not None:
            click.echo("")
            click.echo(_rules_table(coverage))
    if errors:
        sys.exit(1)
