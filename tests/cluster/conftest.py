"""Fixtures of the cluster suite: a local three-node KRaft cluster (replication factor 3,
min.insync.replicas 2) started with the command a newcomer would type, and the generated stream.

The cluster is the suite's own (free ports, a temporary state folder), never the session's
one-node broker: the tests kill and stop its nodes. Each fault test heals it before it ends.

    CLUSTER_ARTICLES=20000 bash scripts/test.sh tests/cluster -m heavy -s
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.cluster.support import LocalCluster, free_port_block
from tests.reliability.conftest import SEED, cached_stream
from tests.reliability.support import Stream
from tests.support.worker import REPO

CLUSTER_ARTICLES = int(os.environ.get("CLUSTER_ARTICLES", "5000"))


def casualty(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the ``casualty`` command line (a real process)."""
    return subprocess.run([sys.executable, "-m", "streams.cli.main", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """``casualty broker start --nodes 3`` on six consecutive free ports; stopped at the end."""
    state = tmp_path_factory.mktemp("cluster")
    base = free_port_block(6)  # node i: client port base + 2(i-1), controller port base + 1 + 2(i-1)
    started = casualty("broker", "start", "--nodes", "3", "--state-dir", str(state), "--port", str(base),
                       "--controller-port", str(base + 1), "--fresh")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == f"127.0.0.1:{base},127.0.0.1:{base + 2},127.0.0.1:{base + 4}"
    try:
        yield LocalCluster(state)
    finally:
        stopped = casualty("broker", "stop", "--state-dir", str(state))
        assert stopped.returncode == 0 and stopped.stdout.strip() == "cluster stopped", stopped.stderr


@pytest.fixture(scope="session")
def cluster_stream() -> Stream:
    """``CLUSTER_ARTICLES`` (default 5,000) generated articles and their batch tables."""
    return cached_stream(CLUSTER_ARTICLES, SEED)
