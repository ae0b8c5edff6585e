"""Shared fixtures: the real Kafka broker every Kafka/Faust test talks to.

``KAFKA_BOOTSTRAP`` set (as ``scripts/test.sh`` does after starting the local broker): the tests
use that broker. Unset: the session starts its own local broker on free ports in a temporary
state folder and stops it at the end.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.local import broker as lb
from tests.support.kafka import unique_name

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Bootstrap address of a running real Kafka broker."""
    env = os.environ.get("KAFKA_BOOTSTRAP")
    if env:
        yield env
        return
    state = tmp_path_factory.mktemp("kafka-broker")
    config = lb.BrokerConfig(state_dir=state, port=lb.free_port(), controller_port=lb.free_port())
    bootstrap, _ = lb.start(config, fresh=True)
    try:
        yield bootstrap
    finally:
        lb.stop(state)


@pytest.fixture
def topic_name(request: pytest.FixtureRequest) -> str:
    """A topic name unique to this test run."""
    return unique_name(request.node.name.split("[")[0][:30].replace("_", "-"))


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests save screenshots and other artifacts."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# kafka-python logs every refused connection while a broker starts; keep test reports readable.
logging.getLogger("kafka").setLevel(logging.CRITICAL)
