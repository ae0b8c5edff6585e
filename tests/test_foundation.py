"""Foundation: the real local Kafka 4 broker, kafka-python and Faust against it, and the CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kafka import KafkaConsumer

from streams.local import broker as lb
from tests.support.kafka import (
    consume_json,
    consume_raw,
    create_topic,
    produce_json,
    produce_raw,
    unique_name,
)

pytestmark = pytest.mark.kafka
CASUALTY = [sys.executable, "-m", "streams.cli.main"]


def test_kafka_python_round_trip(kafka_bootstrap: str, topic_name: str) -> None:
    create_topic(kafka_bootstrap, topic_name)
    produce_json(kafka_bootstrap, topic_name, [{"n": i, "text": "Mosul"} for i in range(3)])
    assert consume_json(kafka_bootstrap, topic_name, 3) == [{"n": i, "text": "Mosul"} for i in range(3)]


def test_topic_with_six_partitions_reads_back(kafka_bootstrap: str, topic_name: str) -> None:
    create_topic(kafka_bootstrap, topic_name, partitions=6, config={"cleanup.policy": "compact"})
    consumer = KafkaConsumer(bootstrap_servers=kafka_bootstrap)
    try:
        assert consumer.partitions_for_topic(topic_name) == {0, 1, 2, 3, 4, 5}
    finally:
        consumer.close()


def test_faust_agent_consumes_and_produces(kafka_bootstrap: str, tmp_path: Path) -> None:
    source, sink = unique_name("smoke-in"), unique_name("smoke-out")
    create_topic(kafka_bootstrap, source)
    create_topic(kafka_bootstrap, sink)
    produce_raw(kafka_bootstrap, source, [b"killed", b"wounded"])
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP": kafka_bootstrap,
        "SMOKE_IN": source,
        "SMOKE_OUT": sink,
        "SMOKE_APP_ID": unique_name("smoke-app"),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "faust", "-A", "tests.support.faust_smoke_app", "worker", "-l", "warn",
         "--without-web"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=(tmp_path / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        got = consume_raw(kafka_bootstrap, sink, 2, timeout=60)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert [m.value for m in got] == [b"KILLED", b"WOUNDED"], (tmp_path / "worker.log").read_text()[-2000:]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CASUALTY, *args], capture_output=True, text=True, env=env, timeout=180, check=False)


def _java_pids(state: Path) -> list[int]:
    out = subprocess.run(["pgrep", "-f", f"kafka.Kafka {state}"], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


def test_broker_cli_lifecycle_keeps_topics_across_restart(tmp_path: Path) -> None:
    state = tmp_path / "broker"
    port, cport = str(lb.free_port()), str(lb.free_port())
    first = _cli("broker", "start", "--state-dir", str(state), "--port", port, "--controller-port", cport)
    assert first.returncode == 0, first.stderr
    bootstrap = first.stdout.strip()
    assert bootstrap == f"127.0.0.1:{port}"
    try:
        again = _cli("broker", "start", "--state-dir", str(state), "--port", port, "--controller-port", cport)
        assert again.returncode == 0
        assert "already running" in again.stderr
        assert _cli("broker", "status", "--state-dir", str(state)).returncode == 0

        create_topic(bootstrap, "kept-topic")
        produce_json(bootstrap, "kept-topic", [{"killed": 3}])

        stopped = _cli("broker", "stop", "--state-dir", str(state))
        assert stopped.returncode == 0 and "stopped" in stopped.stdout
        assert _java_pids(state) == []
        assert _cli("broker", "status", "--state-dir", str(state)).returncode == 1

        restart = _cli("broker", "start", "--state-dir", str(state), "--port", port, "--controller-port", cport)
        assert restart.returncode == 0, restart.stderr
        assert consume_json(bootstrap, "kept-topic", 1) == [{"killed": 3}]
        assert "Kafka Server started" in _cli("broker", "logs", "--state-dir", str(state), "-n", "400").stdout
    finally:
        _cli("broker", "stop", "--state-dir", str(state))
    deadline = time.monotonic() + 10
    while _java_pids(state) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _java_pids(state) == []


def test_missing_java_is_a_one_line_error(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}
    # (both ports free ones: the check of a busy port comes before the check for java)
    result = _cli("broker", "start", "--state-dir", str(tmp_path / "s"), "--port", str(lb.free_port()),
                  "--controller-port", str(lb.free_port()), env=env)
    assert result.returncode != 0
    assert "'java' was not found on PATH: install a Java 17+ runtime" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_version_command() -> None:
    result = _cli("version")
    assert result.returncode == 0
    assert result.stdout.startswith("casualty-stream ")


def test_cluster_ids_never_start_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    # Kafka's storage tool reads "-t -abc..." as an option: the first uuid here encodes to "-" + ...
    dash_first = lb.uuid.UUID(bytes=b"\xf8" + bytes(15))
    plain = lb.uuid.UUID(bytes=b"\x01" + bytes(15))
    draws = iter([dash_first, plain])
    monkeypatch.setattr(lb.uuid, "uuid4", lambda: next(draws))
    assert lb.random_cluster_id() == "AQAAAAAAAAAAAAAAAAAAAA"


def test_free_ports_are_taken_below_the_ephemeral_range() -> None:
    # outgoing connections take their local ports from the ephemeral range (32768-60999): a port
    # chosen there can be lost before a broker binds it
    lo, hi = lb.FREE_PORT_RANGE
    ports = {lb.free_port() for _ in range(20)}
    assert all(lo <= p < hi for p in ports) and hi <= 32768
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", next(iter(ports))))


def test_kafka_python_checks_record_crcs_in_c() -> None:
    # without the crc32c package kafka-python falls back to a pure-Python CRC-32C, and the
    # tools and tests that read a whole topic spend most of their time there
    from kafka.record import util

    assert util.crc32c_c is not None
    assert util.calc_crc32c.__defaults__ == (util.crc32c_c,)
