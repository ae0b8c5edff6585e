"""``casualty resolve`` and ``casualty eval --events`` end to end, on our own articles.

The feed (tests/fixtures/events/feed.jsonl, written for these tests) holds: one car bombing told
by three outlets in different words and tolls, one of them published after midnight about "late
Monday", and the first outlet's update the next day; two separate attacks in one city on one day
(in one article, then told again by a second outlet in the other order); two separate car bombs
in Baghdad on the same day from two outlets; a daily round-up that lists the car bombing again;
and a report a week later that repeats it as background.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from streams.cli.main import cli
from streams.events.resolver import event_id_for

FIXTURES = Path(__file__).parent / "fixtures" / "events"
FEED = FIXTURES / "feed.jsonl"
LABELLED = FIXTURES / "labelled"


def run(*args: str, stdin: str | None = None) -> tuple[int, list[dict[str, Any]], str]:
    result = CliRunner(mix_stderr=False).invoke(cli, list(args), input=stdin)
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def eval_events(*args: str) -> dict[str, Any]:
    result = CliRunner(mix_stderr=False).invoke(cli, ["eval", "--events", "--json", *args])
    assert result.exit_code == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_resolve_prints_each_real_event_once_with_its_sources_and_resolved_figures() -> None:
    code, events, err = run("resolve", str(FEED))
    assert (code, err) == (0, "")
    rows = [(e["event_date"], e["location"]["name"], e["location"]["region_code"], e["killed"], e["wounded"],
             e["killed_min"], e["killed_max"], e["wounded_min"], e["wounded_max"], e["version"],
             [s["article_id"] for s in e["sources"]]) for e in events]
    assert rows == [
        ("2026-03-02", "Kirkuk", "IQ-KI", 21, 41, 15, 21, 34, 41, 5,
         ["wire-a-kirkuk-1", "wire-b-kirkuk-1", "wire-c-kirkuk-1", "wire-a-kirkuk-2", "roundup-2026-03-03"]),
        ("2026-03-02", "Mosul", "IQ-NI", 3, 4, 3, 3, 2, 4, 2, ["wire-d-mosul-1", "wire-e-mosul-1"]),
        ("2026-03-02", "Zuhur", "IQ-NI", 2, 0, 2, 2, 0, 0, 2, ["wire-d-mosul-1", "wire-e-mosul-1"]),
        ("2026-03-02", "Baghdad", "IQ-BG", 8, 20, 8, 8, 20, 20, 1, ["wire-b-baghdad-1"]),
        ("2026-03-02", "Baghdad", "IQ-BG", 5, 9, 5, 5, 9, 9, 1, ["wire-a-baghdad-1"]),
        ("2026-03-03", "Hilla", "IQ-BB", 2, 0, 2, 2, 0, 0, 1, ["roundup-2026-03-03"]),
        ("2026-03-03", "Baquba", "IQ-DI", 0, 7, 0, 0, 7, 7, 1, ["roundup-2026-03-03"]),
        ("2026-03-09", "Kirkuk", "IQ-KI", 4, 6, 4, 4, 6, 6, 1, ["wire-e-kirkuk-2"]),
    ]
    kirkuk = events[0]
    assert [(s["source"], s["killed"], s["wounded"]) for s in kirkuk["sources"]] == [
        ("Wire A", 12, 30), ("Wire B", 15, 34), ("Wire C", 17, 41), ("Wire A", 21, 38), ("Daily Roundup", 21, 40)]
    # the report after midnight gives Monday, the day of the event
    assert kirkuk["sources"][2]["published"] == "2026-03-03T00:35:00Z"
    assert kirkuk["sources"][2]["event_date"] == "2026-03-02"


def test_resolve_changes_carry_deltas_that_add_up_to_the_tables() -> None:
    code, changes, _ = run("resolve", "--changes", str(FEED))
    assert code == 0
    kirkuk = [c for c in changes if c["event_id"] == changes[0]["event_id"]]
    assert [(c["version"], c["new"], c["delta"]["killed"], c["delta"]["wounded"]) for c in kirkuk] == [
        (1, True, 12, 30), (2, False, 3, 4), (3, False, 2, 7), (4, False, 4, 0), (5, False, 0, 0)]
    # what a running table would hold: every delta added, i.e. each event counted once
    assert sum(c["delta"]["killed"] for c in changes) == 21 + 3 + 2 + 8 + 5 + 2 + 0 + 4
    assert sum(c["delta"]["wounded"] for c in changes) == 41 + 4 + 0 + 20 + 9 + 0 + 7 + 6


def test_resolve_reads_folders_of_corpus_files_in_name_order_and_stdin_text() -> None:
    code, events, _ = run("resolve", str(LABELLED))
    assert code == 0
    assert [(e["location"]["name"], e["killed"], len(e["sources"])) for e in events] == [
        ("Kirkuk", 19, 2), ("Kirkuk", 4, 2), ("Mosul", 3, 2)]
    assert events[0]["event_id"] == event_id_for(events[0]["sources"][0]["incident_id"])
    code, events, _ = run("resolve", stdin="Gunmen shot two policemen dead at their checkpoint in Hilla.")
    assert code == 0 and [(e["location"]["region_code"], e["killed"]) for e in events] == [("IQ-BB", 2)]


def test_resolve_reports_unreadable_items_and_exits_1_after_the_good_ones(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "body": "Gunmen shot two policemen dead at their checkpoint in Hilla."}\nnot json\n')
    code, events, err = run("resolve", str(bad), str(tmp_path / "missing.json"))
    assert code == 1 and len(events) == 1
    assert f"{bad}:2: message is not valid JSON" in err
    assert "missing.json: no such file or directory" in err and "2 item(s) skipped" in err


def test_eval_events_scores_pairs_events_and_region_totals_in_both_modes() -> None:
    report = eval_events(str(LABELLED))
    assert (report["articles"], report["clusters"]) == (6, 3)
    gold = report["gold"]
    assert gold["pairs"] == gold["pairs_dated"] == {"true": 3, "predicted": 3, "gold": 3, "precision": 1.0,
                                                    "recall": 1.0}
    assert gold["events"] == {"resolved": 3, "gold": 3, "ratio": 1.0}
    assert gold["killed"] == {"resolved": 26, "gold": 26, "reports_counted": 45, "abs_error_ratio": 0.0,
                              "regions_within_10pct": "2/2"}
    assert gold["per_region"]["IQ-KI"] == {"gold": 23, "resolved": 23, "reports_counted": 39}
    extracted = report["extracted"]
    # the extractor reads the follow-up's toll update ("reached 19") as its event at 19: the event
    # rises from 12 to 19, and its two reports are counted once
    assert extracted["pairs"]["precision"] == 1.0 and extracted["pairs"]["recall"] == 1.0
    assert extracted["per_region"]["IQ-KI"] == {"gold": 23, "resolved": 23, "reports_counted": 39}
    assert extracted["killed"] == gold["killed"]


def test_eval_events_folds_split_by_cluster_so_an_events_reports_stay_together() -> None:
    # fold 2/3 holds the checkpoint and the patrol clusters, fold 3/3 the bus station
    report = eval_events("--exclude-fold", "2/3", str(LABELLED))
    assert (report["articles"], report["clusters"]) == (2, 1)
    # the incident folds split by file name: one file of the bus station cluster is in incident
    # fold 2/3 (kept unread there), and the report says so
    assert report["other_incident_fold"] == 1
    report = eval_events("--fold", "2/3", str(LABELLED))
    assert (report["articles"], report["clusters"]) == (4, 2)
    assert report["other_incident_fold"] == 2  # two of the four files are outside incident fold 2/3
