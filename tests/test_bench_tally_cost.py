"""bench/tally_cost.py: the tally agent's work without Kafka, on a small generated feed."""

from __future__ import annotations

from pathlib import Path

import orjson

from bench import tally_cost


def test_a_run_counts_every_record_and_repeats_exactly(tmp_path: Path) -> None:
    feed = tally_cost.incident_feed(80, days=5)
    first, again = tally_cost.run_once(feed, 25), tally_cost.run_once(feed, 25)
    assert first == again  # the same feed gives the same records and bytes
    records = first["records"]
    assert 0 < records["events"] <= len(feed)  # at most one version per incident
    # one state row per region per batch (its changed events, its head), not one per changed event
    assert records["event_state"] < records["events"]
    assert all(first["bytes"][kind] > 0 for kind in records)
    out = tmp_path / "cost.json"
    assert tally_cost.main(["--articles", "40", "--days", "5", "--repeat", "1", "--json", str(out)]) == 0
    doc = orjson.loads(out.read_bytes())
    assert doc["articles"] == 40 and doc["ms_per_article"] > 0
    assert doc["records_per_article"] == round(sum(doc["records"].values()) / 40, 2)
