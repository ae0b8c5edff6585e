"""A downstream consumer of casualty-stream: builds its own per-region view from ``incidents``.

A model for consumers in other programs: it needs only kafka-python and the published incident
contract (JSON objects with ``incident_id``, ``location.region_code``, ``killed``, ``wounded``).

    python examples/consumer.py --bootstrap localhost:9092 --topic incidents --timeout 10
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterable
from typing import Any

from kafka import KafkaConsumer


def build_view(messages: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per-region ``{killed, wounded, incidents}`` from incident dicts, each incident id counted once
    (delivery is at least once, so a redelivered incident must not be added twice)."""
    seen: set[str] = set()
    view: dict[str, dict[str, int]] = {}
    for incident in messages:
        if incident["incident_id"] in seen:
            continue
        seen.add(incident["incident_id"])
        region = (incident.get("location") or {}).get("region_code") or "unknown"
        row = view.setdefault(region, {"killed": 0, "wounded": 0, "incidents": 0})
        row["killed"] += incident["killed"]
        row["wounded"] += incident["wounded"]
        row["incidents"] += 1
    return view


def main(argv: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Read the topic from the beginning until ``--timeout`` seconds pass with no message; print the view."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP", "localhost:9092"))
    parser.add_argument("--topic", default="incidents")
    parser.add_argument("--timeout", type=float, default=10.0, help="stop after this many idle seconds")
    args = parser.parse_args(argv)
    consumer = KafkaConsumer(
        args.topic,
        bootstrap_servers=args.bootstrap,
        group_id=None,  # no group: always read everything, commit nothing
        auto_offset_reset="earliest",
        isolation_level="read_committed",  # skip records of aborted transactions
        consumer_timeout_ms=int(args.timeout * 1000),
        value_deserializer=json.loads,
    )
    try:
        view = build_view(record.value for record in consumer)
    finally:
        consumer.close()
    print(f"{'region':<10} {'killed':>7} {'wounded':>8} {'incidents':>10}")
    for region, row in sorted(view.items(), key=lambda item: -item[1]["killed"]):
        print(f"{region:<10} {row['killed']:>7} {row['wounded']:>8} {row['incidents']:>10}")
    return view


if __name__ == "__main__":
    main()
