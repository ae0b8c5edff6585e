"""Run real ``casualty worker`` processes in tests: start, wait ready, query, stop or kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams.config import Settings
from streams.local_broker import free_port
from tests.support.kafka import unique_name

REPO = Path(__file__).resolve().parents[2]


@dataclass
class WorkerProcess:
    """One worker process with its own web port and data folder."""

    bootstrap: str
    workdir: Path
    app_id: str = field(default_factory=lambda: unique_name("app"))
    topic_prefix: str = field(default_factory=lambda: unique_name("p") + ".")
    partitions: int = 2
    processing_guarantee: str = "at_least_once"
    store: str = "memory://"
    web_port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def settings(self) -> Settings:
        """Settings equal to the worker's (for topic names)."""
        return Settings.from_env(
            {}, bootstrap=self.bootstrap, app_id=self.app_id, topic_prefix=self.topic_prefix,
            partitions=self.partitions, web_port=self.web_port,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"worker-{self.web_port}.log"

    def env(self) -> dict[str, str]:
        env = {**os.environ, **self.extra_env}
        env.update(
            KAFKA_BOOTSTRAP=self.bootstrap,
            CASUALTY_APP_ID=self.app_id,
            CASUALTY_TOPIC_PREFIX=self.topic_prefix,
            CASUALTY_PARTITIONS=str(self.partitions),
            CASUALTY_PROCESSING_GUARANTEE=self.processing_guarantee,
            CASUALTY_STORE=self.store,
            CASUALTY_DATA_DIR=str(self.workdir / f"data-{self.web_port}"),
            CASUALTY_WEB_PORT=str(self.web_port),
        )
        return env

    def start(self, *, wait: bool = True, timeout: float = 90.0) -> WorkerProcess:
        """Start the worker (again); wait until /readyz answers 200."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streams.cli.main", "worker", "-l", "info"],
            cwd=REPO, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Block until /readyz is 200 (tables recovered, output view caught up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"worker exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.3)
        raise AssertionError(f"worker not ready after {timeout}s:\n{self.log_tail()}")

    def get(self, path: str) -> Any:
        """GET a JSON document from the worker's web API."""
        with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as resp:
            return json.loads(resp.read())

    def get_text(self, path: str) -> str:
        """GET a text document (e.g. /metrics)."""
        with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as resp:
            return resp.read().decode()

    def wait_for(self, path: str, predicate: Any, timeout: float = 60.0) -> Any:
        """Poll ``path`` until ``predicate(document)`` is true; return the document."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            try:
                last = self.get(path)
                if predicate(last):
                    return last
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting on {path}; last: {json.dumps(last)[:2000]}\n{self.log_tail()}")

    def stop(self, timeout: float = 30.0) -> None:
        """Graceful stop (SIGTERM), SIGKILL if it hangs."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None

    def kill(self) -> None:
        """kill -9: no shutdown, no final commit."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def regions(self) -> dict[str, dict[str, int]]:
        """The /regions table as {code: {killed, wounded, incidents}}."""
        doc = self.get("/regions")
        return {
            row["region_code"]: {"killed": row["killed"], "wounded": row["wounded"], "incidents": row["incidents"]}
            for row in doc["regions"]
        }
