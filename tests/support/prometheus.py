"""A real Prometheus server for tests: scrape given targets every second and query it.

Uses Debian's ``prometheus`` package (``apt-get install -y prometheus``) or any ``prometheus``
on PATH. Each server gets a free port on 127.0.0.1, its own config and a temporary TSDB
directory, and is stopped (terminate, wait, kill) when the context exits, so nothing outlives
the test.

    with running_prometheus(["127.0.0.1:6066"], tmp_path) as prom:
        prom.wait_for('sum(casualty_casualties_total{kind="killed"})', lambda r: r and r[0].value == 12)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEBIAN_BINARY = "/usr/bin/prometheus"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


class PrometheusError(RuntimeError):
    """Prometheus is missing, did not start, or a query failed."""


def prometheus_path() -> str | None:
    """The Prometheus server executable (Debian's first, then PATH), or ``None``."""
    if os.access(DEBIAN_BINARY, os.X_OK):
        return DEBIAN_BINARY
    return shutil.which("prometheus")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Sample:
    """One element of an instant-vector query result."""

    labels: dict[str, str]
    value: float
    timestamp: float


class PrometheusServer:
    """A started Prometheus process and a minimal client of its HTTP API."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path

    def _get(self, path: str, params: dict[str, str] | None = None, timeout: float = 10.0) -> Any:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        try:
            with urllib.request.urlopen(f"{self.url}{path}{query}", timeout=timeout) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace")
            raise PrometheusError(f"GET {path}{query}: HTTP {exc.code}: {body}") from exc

    def query(self, promql: str) -> list[Sample]:
        """Evaluate ``promql`` now; an instant vector becomes a list of :class:`Sample` (scalars: one)."""
        doc = self._get("/api/v1/query", {"query": promql})
        if doc.get("status") != "success":
            raise PrometheusError(f"query {promql!r} failed: {doc}")
        data = doc["data"]
        if data["resultType"] in ("scalar", "string"):
            ts, value = data["result"]
            return [Sample({}, float(value), float(ts))]
        if data["resultType"] != "vector":
            raise PrometheusError(f"query {promql!r} returned a {data['resultType']}, not an instant vector")
        return [Sample(item["metric"], float(item["value"][1]), float(item["value"][0])) for item in data["result"]]

    def wait_for(
        self, promql: str, predicate: Callable[[list[Sample]], bool], timeout: float = 30.0, interval: float = 0.5
    ) -> list[Sample]:
        """Query until ``predicate(result)`` is true and return that result; raise TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        result: list[Sample] = []
        while True:
            result = self.query(promql)
            if predicate(result):
                return result
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{promql!r} did not satisfy the predicate within {timeout} s; last: {result}")
            time.sleep(interval)

    def targets(self) -> list[dict[str, Any]]:
        """The active scrape targets with their health (``up``/``down``/``unknown``) and last error."""
        return list(self._get("/api/v1/targets")["data"]["activeTargets"])

    def stop(self) -> None:
        """Terminate the server, kill it if it does not exit in time, and reap it."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_S)


def write_config(path: Path, targets: list[str], scrape_interval: str = "1s") -> Path:
    """Write a Prometheus config that scrapes ``targets`` (host:port) at ``/metrics``."""
    config = {
        "global": {"scrape_interval": scrape_interval, "evaluation_interval": scrape_interval},
        "scrape_configs": [
            {
                "job_name": "casualty-worker",
                "scrape_interval": scrape_interval,
                "scrape_timeout": scrape_interval,
                "metrics_path": "/metrics",
                "static_configs": [{"targets": list(targets)}],
            }
        ],
    }
    # JSON is valid YAML, so no YAML library is needed.
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


def _wait_ready(server: PrometheusServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = server.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise PrometheusError(f"prometheus exited with {server.process.returncode}:\n{log}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{server.url}/-/ready", timeout=2) as resp:
            if resp.status == 200:
                return
        time.sleep(0.2)
    raise PrometheusError(f"prometheus not ready on {server.url} after {timeout} s; log: {server.log_path}")


@contextlib.contextmanager
def running_prometheus(targets: list[str], tmp_path: Path, scrape_interval: str = "1s") -> Iterator[PrometheusServer]:
    """Run Prometheus scraping ``targets`` every ``scrape_interval`` until the block exits."""
    exe = prometheus_path()
    if exe is None:
        raise PrometheusError("prometheus is not installed (apt-get install -y prometheus)")
    workdir = Path(tmp_path) / "prometheus"
    workdir.mkdir(parents=True, exist_ok=True)
    config = write_config(workdir / "prometheus.yml", targets, scrape_interval)
    port = free_port()
    log_path = workdir / "prometheus.log"
    cmd = [
        exe,
        f"--config.file={config}",
        f"--storage.tsdb.path={workdir / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--storage.tsdb.retention.time=1h",
        "--log.level=warn",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = PrometheusServer(process, port, log_path)
    try:
        _wait_ready(server, START_TIMEOUT_S)
        yield server
    finally:
        server.stop()
