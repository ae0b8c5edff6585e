"""Running a ``casualty worker`` as a child process: start, wait until ready, query, stop.

Used by ``casualty demo``; the settings are handed to the child through the environment
variables of :data:`streams.config.SETTINGS_DOC`, so the worker sees exactly the same topics,
app id, web port and credentials as the parent (secrets never appear on a command line).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from streams.config import SETTINGS_DOC, Settings


class WorkerFailed(RuntimeError):
    """The worker exited or did not become ready; the message ends with the tail of its log."""


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment variables that make a child process see ``settings``."""
    return {SETTINGS_DOC[f.name][0]: str(getattr(settings, f.name)) for f in fields(settings)}


@dataclass
class WorkerSupervisor:
    """One child worker process; ``log_path`` receives its output."""

    settings: Settings
    log_path: Path
    loglevel: str = "warn"
    # Variables that are not settings (e.g. Faust's BROKER_SESSION_TIMEOUT); settings win over them.
    extra_env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Base URL of the worker's web server."""
        host = self.settings.web_host if self.settings.web_host not in ("0.0.0.0", "::") else "127.0.0.1"
        return f"http://{host}:{self.settings.web_port}"

    def start(self) -> None:
        """Start ``casualty worker`` in its own process group (so stopping it stops its children)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.extra_env, **settings_env(self.settings)}
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streams.cli.main", "worker", "-l", self.loglevel],
                env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )

    def running(self) -> bool:
        """True while the child process lives."""
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Block until ``/readyz`` answers 200; raise :class:`WorkerFailed` if the worker dies or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                code = self.proc.returncode if self.proc is not None else None
                raise WorkerFailed(f"the worker exited with code {code}; its log ends with:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.3)
        raise WorkerFailed(f"the worker was not ready after {timeout:.0f}s; its log ends with:\n{self.log_tail()}")

    def get(self, path: str, timeout: float = 5.0) -> Any:
        """A JSON document from the worker's web API (raises OSError/URLError when it does not answer)."""
        with urllib.request.urlopen(f"{self.url}{path}", timeout=timeout) as response:
            return json.loads(response.read())

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM the worker's process group, SIGKILL it if it has not exited after ``timeout``."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """SIGKILL the worker's process group: no shutdown, no final commit (crash tests)."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the worker's log."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
