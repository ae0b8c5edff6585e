"""A minimal Faust app for the foundation smoke test: upper-cases one topic into another.

Topic names and the broker come from the environment so the test can pick unique ones.
"""

from __future__ import annotations

import os

import faust

app = faust.App(
    os.environ.get("SMOKE_APP_ID", "smoke"),
    broker=f"kafka://{os.environ.get('KAFKA_BOOTSTRAP', 'localhost:9092')}",
    store="memory://",
    web_enabled=False,
    topic_partitions=1,
)
source = app.topic(os.environ.get("SMOKE_IN", "smoke-in"), value_serializer="raw")
sink = app.topic(os.environ.get("SMOKE_OUT", "smoke-out"), value_serializer="raw")


@app.agent(source)
async def upper(stream: faust.StreamT[bytes]) -> None:
    """Forward every message upper-cased."""
    async for value in stream:
        await sink.send(value=value.upper())
