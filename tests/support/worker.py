"""Run real ``casualty worker`` processes in tests: start, wait ready, query, stop or kill -9.

A thin test-friendly face of :class:`streams.local.supervise.WorkerSupervisor` (the same code that
``casualty demo`` runs): unique app id, topic prefix, web port and data folder per worker.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams.config import Settings
from streams.local.broker import free_port
from streams.local.supervise import WorkerFailed, WorkerSupervisor
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
    # Settings variables here (e.g. SASL credentials) become part of ``settings``; others pass through.
    extra_env: dict[str, str] = field(default_factory=dict)
    starts: int = 0
    supervisor: WorkerSupervisor | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """The worker's settings (topic names, credentials...)."""
        return Settings.from_env(
            self.extra_env, bootstrap=self.bootstrap, app_id=self.app_id, topic_prefix=self.topic_prefix,
            partitions=self.partitions, processing_guarantee=self.processing_guarantee, store=self.store,
            data_dir=self.workdir / f"data-{self.web_port}", web_port=self.web_port,
        )

    @property
    def proc(self) -> subprocess.Popen[bytes] | None:
        return self.supervisor.proc if self.supervisor is not None else None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"worker-{self.web_port}.log"

    def start(self, *, wait: bool = True, timeout: float = 90.0) -> WorkerProcess:
        """Start the worker (again); wait until /readyz answers 200."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        self.supervisor = WorkerSupervisor(self.settings, self.log_path, loglevel="info", extra_env=self.extra_env)
        self.supervisor.start()
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Block until /readyz is 200 (tables recovered, output view caught up)."""
        assert self.supervisor is not None, "start the worker first"
        try:
            self.supervisor.wait_ready(timeout)
        except WorkerFailed as exc:
            raise AssertionError(str(exc)) from exc

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
        if self.supervisor is not None:
            self.supervisor.stop(timeout)

    def kill(self) -> None:
        """kill -9: no shutdown, no final commit."""
        if self.supervisor is not None:
            self.supervisor.kill()

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
