"""Security settings: SASL (PLAIN, SCRAM-SHA-512) against a real broker, TLS settings pass-through,
no secret in logs, metrics or error messages, and the web API bound to loopback by default.

The module starts its own broker with an extra ``SASL_PLAINTEXT`` listener. PLAIN users come from
the listener's JAAS config; the SCRAM-SHA-512 user is created with Kafka's own ConfigCommand, as an
operator would. The PLAINTEXT listener stays for the admin tool only.
"""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import faust
import orjson
import psutil
import pytest

from streams.config import Settings
from streams.local import broker as lb
from tests.support.kafka import unique_name
from tests.support.worker import REPO, WorkerProcess

pytestmark = pytest.mark.kafka

SCRAM_USER, SCRAM_PASSWORD = "alice", "scram-Pa55-7f3c1e"
PLAIN_USER, PLAIN_PASSWORD = "feeder", "plain-Pa55-91b2d4"
WRONG_PASSWORD = "not-the-Pa55-e6a0"
SECRETS = (SCRAM_PASSWORD, PLAIN_PASSWORD, WRONG_PASSWORD)
ARTICLE = {"id": "sasl-1", "source": "tests", "published": "2026-03-02",
           "body": "A roadside bomb killed three soldiers and wounded four others in Baquba on Monday."}
OTHER_EVENT = "At a checkpoint in Khalis on Tuesday, gunmen shot dead three policemen and wounded four others."


@dataclass(frozen=True)
class SaslBroker:
    """The test broker: its PLAINTEXT (admin) and SASL_PLAINTEXT addresses."""

    config: lb.BrokerConfig
    sasl_bootstrap: str


def sasl_properties(host: str, port: int, controller_port: int, sasl_port: int) -> dict[str, str]:
    """Broker settings adding a SASL_PLAINTEXT listener that accepts PLAIN and SCRAM-SHA-512."""
    plain_jaas = (f'org.apache.kafka.common.security.plain.PlainLoginModule required '
                  f'user_{PLAIN_USER}="{PLAIN_PASSWORD}";')
    return {
        "listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port},"
                     f"SASL_PLAINTEXT://{host}:{sasl_port}",
        "advertised.listeners": f"PLAINTEXT://{host}:{port},SASL_PLAINTEXT://{host}:{sasl_port}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
        "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-512",
        "listener.name.sasl_plaintext.plain.sasl.jaas.config": plain_jaas,
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config":
            "org.apache.kafka.common.security.scram.ScramLoginModule required;",
    }


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SaslBroker]:
    """A broker with a SASL listener and a SCRAM-SHA-512 user made with Kafka's ConfigCommand."""
    port, controller, sasl = lb.free_port(), lb.free_port(), lb.free_port()
    config = lb.BrokerConfig(state_dir=tmp_path_factory.mktemp("sasl-broker"), port=port, controller_port=controller,
                             extra_properties=sasl_properties("127.0.0.1", port, controller, sasl))
    lb.start(config, fresh=True)
    try:
        made = lb.run_kafka_tool(
            config, "kafka.admin.ConfigCommand", "--bootstrap-server", config.bootstrap, "--alter",
            "--add-config", f"SCRAM-SHA-512=[iterations=4096,password={SCRAM_PASSWORD}]",
            "--entity-type", "users", "--entity-name", SCRAM_USER,
        )
        assert made.returncode == 0, made.stdout + made.stderr
        yield SaslBroker(config, f"127.0.0.1:{sasl}")
    finally:
        lb.stop(config.state_dir)


def sasl_env(mechanism: str, user: str, password: str) -> dict[str, str]:
    return {"KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM": mechanism,
            "KAFKA_SASL_USERNAME": user, "KAFKA_SASL_PASSWORD": password}


def feed(bootstrap: str, prefix: str, path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``casualty feed`` (a real process) with the given SASL environment."""
    return subprocess.run(
        [sys.executable, "-m", "streams.cli.main", "feed", "--bootstrap", bootstrap, "--topic-prefix", prefix,
         "--state", str(path.parent / "feed-state.json"), str(path)],
        cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=120, check=False,
    )


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"a password leaked: ...{text[max(0, text.find(secret) - 80):][:200]}"


@pytest.fixture(scope="module")
def scram_worker(broker: SaslBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    """A real worker that logs in with SCRAM-SHA-512 (it creates its topics itself, over SASL)."""
    worker = WorkerProcess(broker.sasl_bootstrap, tmp_path_factory.mktemp("sasl-worker"), partitions=1,
                           extra_env=sasl_env("SCRAM-SHA-512", SCRAM_USER, SCRAM_PASSWORD))
    worker.start(timeout=120)
    try:
        yield worker
    finally:
        worker.stop()


def test_worker_and_feed_work_over_scram_sha_512(scram_worker: WorkerProcess, tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text(orjson.dumps(ARTICLE).decode())
    done = feed(scram_worker.bootstrap, scram_worker.topic_prefix, path,
                sasl_env("SCRAM-SHA-512", SCRAM_USER, SCRAM_PASSWORD))
    assert done.returncode == 0, done.stderr
    row = scram_worker.wait_for("/regions/IQ-DI", lambda doc: doc.get("killed") == 3, timeout=60)
    assert (row["killed"], row["wounded"]) == (3, 4)
    assert_no_secret(done.stdout, done.stderr)


def test_feed_works_over_plain_and_the_worker_reads_it(scram_worker: WorkerProcess, tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    # another event (another town, another day, another method): the table counts events
    second = {**ARTICLE, "id": "sasl-plain-2", "published": "2026-03-03", "body": OTHER_EVENT}
    path.write_text(orjson.dumps(second).decode())
    done = feed(scram_worker.bootstrap, scram_worker.topic_prefix, path, sasl_env("PLAIN", PLAIN_USER, PLAIN_PASSWORD))
    assert done.returncode == 0, done.stderr
    scram_worker.wait_for("/regions/IQ-DI", lambda doc: doc.get("killed") == 6, timeout=60)


@pytest.mark.parametrize("mechanism, user", [("SCRAM-SHA-512", SCRAM_USER), ("PLAIN", PLAIN_USER)])
def test_feed_with_a_wrong_password_fails_with_one_clear_line(
    broker: SaslBroker, tmp_path: Path, mechanism: str, user: str
) -> None:
    path = tmp_path / "article.json"
    path.write_text(orjson.dumps(ARTICLE).decode())
    done = feed(broker.sasl_bootstrap, unique_name("p") + ".", path, sasl_env(mechanism, user, WRONG_PASSWORD))
    assert done.returncode == 3, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [
        f"error: authentication failed for user '{user}' (SASL {mechanism}) at {broker.sasl_bootstrap}: "
        "check KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD"
    ]
    assert_no_secret(done.stdout, done.stderr)


def test_worker_with_a_wrong_password_stops_with_one_clear_line(broker: SaslBroker, tmp_path: Path) -> None:
    worker = WorkerProcess(broker.sasl_bootstrap, tmp_path, partitions=1,
                           extra_env=sasl_env("SCRAM-SHA-512", SCRAM_USER, WRONG_PASSWORD))
    worker.start(wait=False)
    assert worker.proc is not None
    try:
        code = worker.proc.wait(timeout=150)
    finally:
        worker.kill()
    log = worker.log_path.read_text(errors="replace")
    assert code == 3  # Kafka unreachable or login refused, as for the other commands
    error_lines = [line for line in log.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1, log[-2000:]
    assert error_lines[0].endswith(
        f"authentication failed for user '{SCRAM_USER}' (SASL SCRAM-SHA-512) at {broker.sasl_bootstrap}: "
        "check KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD"
    ), error_lines[0]
    assert_no_secret(log)


def test_no_secret_in_worker_log_metrics_or_web(scram_worker: WorkerProcess) -> None:
    texts = [scram_worker.log_path.read_text(errors="replace"), scram_worker.get_text("/metrics")]
    for path in ("/regions", "/stats", "/readyz", "/healthz", "/incidents"):
        texts.append(scram_worker.get_text(path))
    assert_no_secret(*texts)
    assert SCRAM_USER not in texts[1], "/metrics does not even name the SASL user"


def test_web_and_metrics_listen_on_loopback_only_by_default(scram_worker: WorkerProcess) -> None:
    assert scram_worker.proc is not None
    process = psutil.Process(scram_worker.proc.pid)
    listening = [c.laddr for c in process.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
    assert [(addr.ip, addr.port) for addr in listening if addr.port == scram_worker.web_port] == [
        ("127.0.0.1", scram_worker.web_port)
    ]
    assert Settings.from_env({}).web_host == "127.0.0.1"


# --- TLS settings (unit level: no TLS listener) ------------------------------------------------


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and its key (also used as the CA bundle)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "client.pem", folder / "client.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.mark.parametrize("protocol", ["SSL", "SASL_SSL"])
def test_tls_settings_reach_faust_aiokafka_and_kafka_python(tls_files: tuple[Path, Path], protocol: str) -> None:
    cert, key = tls_files
    env = {"KAFKA_SECURITY_PROTOCOL": protocol, "KAFKA_SSL_CAFILE": str(cert), "KAFKA_SSL_CERTFILE": str(cert),
           "KAFKA_SSL_KEYFILE": str(key)}
    if protocol == "SASL_SSL":
        env.update(KAFKA_SASL_MECHANISM="SCRAM-SHA-512", KAFKA_SASL_USERNAME=SCRAM_USER,
                   KAFKA_SASL_PASSWORD=SCRAM_PASSWORD)
    settings = Settings.from_env(env)

    connection = settings.connection
    credentials = connection.faust_credentials()
    if protocol == "SSL":
        assert isinstance(credentials, faust.SSLCredentials)
    else:
        assert isinstance(credentials, faust.SASLCredentials)
        assert (credentials.username, credentials.password) == (SCRAM_USER, SCRAM_PASSWORD)
        assert credentials.mechanism.value == "SCRAM-SHA-512"
    context = credentials.context if protocol == "SSL" else credentials.ssl_context
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 1, "the CA file was loaded"

    client = connection.aiokafka_options()
    assert client["security_protocol"] == protocol and isinstance(client["ssl_context"], ssl.SSLContext)
    python = connection.kafka_python_options()
    assert python["security_protocol"] == protocol
    assert (python["ssl_cafile"], python["ssl_certfile"], python["ssl_keyfile"]) == (str(cert), str(cert), str(key))
    if protocol == "SASL_SSL":
        assert python["sasl_mechanism"] == "SCRAM-SHA-512" and python["sasl_plain_password"] == SCRAM_PASSWORD
        assert client["sasl_plain_password"] == SCRAM_PASSWORD
    assert_no_secret(repr(settings), str(settings.public()), repr(connection), str(connection))


def test_sasl_plaintext_has_no_tls_context_and_plaintext_has_no_credentials() -> None:
    settings = Settings.from_env(sasl_env("PLAIN", PLAIN_USER, PLAIN_PASSWORD))
    credentials = settings.connection.faust_credentials()
    assert isinstance(credentials, faust.SASLCredentials) and credentials.ssl_context is None
    assert Settings.from_env({}).connection.faust_credentials() is None
    assert Settings.from_env({}).connection.kafka_python_options() == {
        "bootstrap_servers": "localhost:9092", "security_protocol": "PLAINTEXT"}
