"""``casualty worker`` as a person starts it: flags, a missing broker, a busy port, bad settings,
a clean broker, and what a failed start leaves behind (issue 18)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka import KafkaAdminClient

from streams.local import broker as lb
from tests.support.kafka import unique_name

REPO = Path(__file__).resolve().parent.parent


def casualty(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``casualty ARGS`` to its end."""
    return subprocess.run([sys.executable, "-m", "streams.cli.main", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})}, check=False)


def topics_with(bootstrap: str, *prefixes: str) -> list[str]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        return sorted(t for t in admin.list_topics() if t.startswith(prefixes))
    finally:
        admin.close()


def start_worker(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "streams.cli.main", "worker", "-l", "info", *args], cwd=REPO,
                                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                                start_new_session=True)


def wait_ready(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the worker exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"not ready after {timeout}s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def test_a_bootstrap_without_a_numeric_port_is_one_usage_line() -> None:
    done = casualty("worker", "--bootstrap", "127.0.0.1:abc")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: bootstrap server '127.0.0.1:abc' has port 'abc': expected a number from 1 to 65535")


def test_no_broker_is_one_line_and_exit_3_within_seconds() -> None:
    started = time.monotonic()
    done = casualty("worker", "-b", f"127.0.0.1:{lb.free_port()}", "--web-port", str(lb.free_port()),
                    "--broker-wait", "2")
    assert done.returncode == 3
    assert time.monotonic() - started < 20
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("worker: no Kafka broker answers at 127.0.0.1:")
    assert lines[-1].startswith("error: cannot reach Kafka at 127.0.0.1:")
    assert len(lines) == 2


@pytest.mark.kafka
def test_a_busy_web_port_is_one_line_exit_4_and_creates_no_topic(kafka_bootstrap: str) -> None:
    prefix = unique_name("busy") + "."
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        done = casualty("worker", "-b", kafka_bootstrap, "--web-port", str(port), "--topic-prefix", prefix)
    assert done.returncode == 4
    assert done.stderr.strip() == (f"error: web port 127.0.0.1:{port} is already in use (another worker?): "
                                   "choose another with --web-port or CASUALTY_WEB_PORT")
    assert topics_with(kafka_bootstrap, prefix) == []


@pytest.mark.kafka
def test_a_failed_start_deletes_the_empty_topics_it_created(kafka_bootstrap: str) -> None:
    prefix, app_id = unique_name("fail") + ".", unique_name("failapp")
    # An option Faust does not know makes Faust itself refuse to start, after our topics exist.
    done = casualty("worker", "-b", kafka_bootstrap, "--web-port", str(lb.free_port()), "--topic-prefix", prefix,
                    "--app-id", app_id, "--no-such-faust-option")
    assert done.returncode != 0
    # 6 topics (articles, its DLT, incidents, summaries, tallies, events), 3 changelogs (seen articles,
    # event state, event days), the assignor topic
    assert "deleted the 10 empty topics this run created" in done.stderr
    deadline = time.monotonic() + 15
    while topics_with(kafka_bootstrap, prefix, app_id) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert topics_with(kafka_bootstrap, prefix, app_id) == []


@pytest.mark.kafka
def test_the_app_id_flag_names_the_app(kafka_bootstrap: str, tmp_path: Path) -> None:
    app_id, prefix, port = unique_name("flagapp"), unique_name("flag") + ".", lb.free_port()
    log = tmp_path / "worker.log"
    proc = start_worker(["-b", kafka_bootstrap, "--app-id", app_id, "--topic-prefix", prefix,
                         "--web-port", str(port), "--data-dir", str(tmp_path / "data")], log)
    try:
        wait_ready(port, proc, log)
        assert f"{app_id}-event-daily-changelog" in topics_with(kafka_bootstrap, app_id)
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def clean_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A broker of our own that no consumer group has used yet (its offsets topic does not exist)."""
    state = tmp_path_factory.mktemp("clean-broker")
    config = lb.BrokerConfig(state_dir=state, port=lb.free_port(), controller_port=lb.free_port())
    bootstrap, _ = lb.start(config, fresh=True)
    try:
        yield bootstrap
    finally:
        lb.stop(state)


@pytest.mark.kafka
def test_a_clean_start_logs_no_group_coordinator_error(clean_broker: str, tmp_path: Path) -> None:
    port = lb.free_port()
    log = tmp_path / "worker.log"
    proc = start_worker(["-b", clean_broker, "--web-port", str(port), "--data-dir", str(tmp_path / "data")], log)
    try:
        wait_ready(port, proc, log)
    finally:
        stop(proc)
    text = log.read_text()
    assert "Group Coordinator Request failed" not in text
    assert "[ERROR]" not in text
