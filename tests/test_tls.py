"""TLS for real: a CA and certificates made by the test, a broker with TLS listeners, and the
worker, ``casualty feed`` and ``casualty subscribe`` talking to it over TLS.

The module's broker has three client listeners: ``PLAINTEXT`` (admin only), ``SSL`` (the broker
proves who it is) and ``MTLS`` (an ``SSL`` listener that also requires a client certificate
signed by the CA). The worker uses mutual TLS, ``casualty feed`` the server-authenticated
listener, ``casualty subscribe`` both. A client that trusts another CA, or that comes to the mutual
listener without a (valid) certificate, fails with one line saying which setting to check, and no
secret (the broker's key store password, the client's private key) appears in any log.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from streams.local import broker as lb
from tests.support.kafka import unique_name
from tests.support.tls import Pki, make_pki
from tests.support.worker import REPO, WorkerProcess

pytestmark = pytest.mark.kafka

KEYSTORE_PASSWORD = "ks-Pa55-3e9d71"
ARTICLE = {"id": "tls-1", "source": "tests", "published": "2026-03-02",
           "body": "A roadside bomb killed three soldiers and wounded four others in Baquba on Monday."}


@dataclass(frozen=True)
class TlsBroker:
    """The test broker and its TLS addresses."""

    config: lb.BrokerConfig
    tls_bootstrap: str  # server-authenticated TLS
    mtls_bootstrap: str  # mutual TLS: a client certificate is required
    pki: Pki


def tls_properties(host: str, port: int, controller_port: int, tls_port: int, mtls_port: int,
                   pki: Pki) -> dict[str, str]:
    """Broker settings adding an ``SSL`` and a mutual-TLS listener (PKCS#12 key store, PEM trust store)."""
    return {
        "listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port},SSL://{host}:{tls_port},"
                     f"MTLS://{host}:{mtls_port}",
        "advertised.listeners": f"PLAINTEXT://{host}:{port},SSL://{host}:{tls_port},MTLS://{host}:{mtls_port}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL,MTLS:SSL",
        "ssl.keystore.type": "PKCS12",
        "ssl.keystore.location": str(pki.broker_keystore),
        "ssl.keystore.password": pki.broker_key_password,
        "ssl.key.password": pki.broker_key_password,
        "ssl.truststore.type": "PEM",  # the CA that signs client certificates
        "ssl.truststore.location": str(pki.ca),
        "listener.name.mtls.ssl.client.auth": "required",
    }


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsBroker]:
    """A broker with TLS and mutual-TLS listeners, certificates from a CA made for the test."""
    pki = make_pki(tmp_path_factory.mktemp("pki"), KEYSTORE_PASSWORD)
    port, controller, tls, mtls = lb.free_port(), lb.free_port(), lb.free_port(), lb.free_port()
    config = lb.BrokerConfig(state_dir=tmp_path_factory.mktemp("tls-broker"), port=port, controller_port=controller,
                             extra_properties=tls_properties("127.0.0.1", port, controller, tls, mtls, pki))
    lb.start(config, fresh=True)
    try:
        yield TlsBroker(config, f"127.0.0.1:{tls}", f"127.0.0.1:{mtls}", pki)
    finally:
        lb.stop(config.state_dir)


def tls_env(cafile: Path, cert: Path | None = None, key: Path | None = None) -> dict[str, str]:
    env = {"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CAFILE": str(cafile)}
    if cert is not None and key is not None:
        env.update(KAFKA_SSL_CERTFILE=str(cert), KAFKA_SSL_KEYFILE=str(key))
    return env


def casualty(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the ``casualty`` command line (a real process) with the given TLS environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KAFKA_")}
    return subprocess.run([sys.executable, "-m", "streams.cli.main", *args], cwd=REPO, env={**clean, **env},
                          capture_output=True, text=True, timeout=timeout, check=False)


def feed(bootstrap: str, prefix: str, path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return casualty("feed", "--bootstrap", bootstrap, "--topic-prefix", prefix,
                    "--state", str(path.parent / "feed-state.json"), str(path), env=env)


def subscribe(bootstrap: str, prefix: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return casualty("subscribe", "incidents", "--bootstrap", bootstrap, "--topic-prefix", prefix,
                    "--from-beginning", "--json", "--max-messages", "1", "--timeout", "60", env=env)


def article_file(folder: Path, **changes: str) -> Path:
    path = folder / "article.json"
    path.write_text(orjson.dumps({**ARTICLE, **changes}).decode())
    return path


def secrets(pki: Pki) -> list[str]:
    """What must never be printed: the key store password and the client's private key material."""
    key_lines = [line for line in pki.client_key.read_text().splitlines() if line and not line.startswith("-----")]
    return [KEYSTORE_PASSWORD, *key_lines[:3]]


def assert_no_secret(pki: Pki, *texts: str) -> None:
    for text in texts:
        assert "PRIVATE KEY" not in text
        for secret in secrets(pki):
            assert secret not in text, f"a secret leaked: ...{text[max(0, text.find(secret) - 80):][:200]}"


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture(scope="module")
def mtls_worker(broker: TlsBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    """A real worker on the mutual-TLS listener (it creates its topics itself, over TLS)."""
    pki = broker.pki
    worker = WorkerProcess(broker.mtls_bootstrap, tmp_path_factory.mktemp("tls-worker"), partitions=1,
                           extra_env=tls_env(pki.ca, pki.client_cert, pki.client_key))
    worker.start(timeout=120)
    try:
        yield worker
    finally:
        worker.stop()


def test_worker_feed_and_subscribe_over_tls(broker: TlsBroker, mtls_worker: WorkerProcess, tmp_path: Path) -> None:
    pki = broker.pki
    fed = feed(broker.tls_bootstrap, mtls_worker.topic_prefix, article_file(tmp_path), tls_env(pki.ca))
    assert fed.returncode == 0, fed.stderr
    row = mtls_worker.wait_for("/regions/IQ-DI", lambda doc: doc.get("killed") == 3, timeout=60)
    assert (row["killed"], row["wounded"]) == (3, 4)
    for bootstrap, env in ((broker.tls_bootstrap, tls_env(pki.ca)),
                           (broker.mtls_bootstrap, tls_env(pki.ca, pki.client_cert, pki.client_key))):
        got = subscribe(bootstrap, mtls_worker.topic_prefix, env)
        assert got.returncode == 0, got.stderr
        incident = orjson.loads(got.stdout)
        assert (incident["article_id"], incident["location"]["region_code"], incident["killed"],
                incident["wounded"]) == (
            "tls-1", "IQ-DI", 3, 4)
        assert_no_secret(pki, got.stdout, got.stderr)
    assert_no_secret(pki, fed.stdout, fed.stderr)


def test_mutual_tls_takes_a_second_client_over_its_certificate(broker: TlsBroker, mtls_worker: WorkerProcess,
                                                               tmp_path: Path) -> None:
    pki = broker.pki
    # another event (another town, another day, another method): the table counts events
    other_event = "At a checkpoint in Khalis on Tuesday, gunmen shot dead three policemen and wounded four others."
    path = article_file(tmp_path, id="tls-2", published="2026-03-03", body=other_event)
    fed = feed(broker.mtls_bootstrap, mtls_worker.topic_prefix, path, tls_env(pki.ca, pki.client_cert, pki.client_key))
    assert fed.returncode == 0, fed.stderr
    mtls_worker.wait_for("/regions/IQ-DI", lambda doc: doc.get("killed") == 6, timeout=60)


def test_a_client_trusting_another_ca_fails_with_one_clear_line(broker: TlsBroker, tmp_path: Path) -> None:
    pki, prefix = broker.pki, unique_name("p") + "."
    wrong = tls_env(pki.wrong_ca)
    expected = (f"TLS handshake with {broker.tls_bootstrap} failed: the broker's certificate is not trusted by "
                f"KAFKA_SSL_CAFILE={pki.wrong_ca} (self-signed certificate in certificate chain)")
    fed = feed(broker.tls_bootstrap, prefix, article_file(tmp_path), wrong)
    assert fed.returncode == 3 and one_line(fed.stderr) == f"error: {expected}"
    got = subscribe(broker.tls_bootstrap, prefix, wrong)
    assert got.returncode == 3 and one_line(got.stderr) == f"error: {expected}"
    assert_no_secret(pki, fed.stdout, fed.stderr, got.stdout, got.stderr)


def test_a_worker_trusting_another_ca_stops_with_one_clear_line(broker: TlsBroker, tmp_path: Path) -> None:
    pki = broker.pki
    worker = WorkerProcess(broker.mtls_bootstrap, tmp_path, partitions=1,
                           extra_env=tls_env(pki.wrong_ca, pki.client_cert, pki.client_key))
    worker.start(wait=False)
    assert worker.proc is not None
    try:
        code = worker.proc.wait(timeout=120)
    finally:
        worker.kill()
    log = worker.log_path.read_text(errors="replace")
    assert code != 0
    line = one_line(log)  # "Error: ..." (click) or "error: ..." (the worker CLI of later main)
    assert line.lower().startswith("error: ") and line[len("error: "):] == (
        f"TLS handshake with {broker.mtls_bootstrap} failed: the broker's certificate is not trusted by "
        f"KAFKA_SSL_CAFILE={pki.wrong_ca} (self-signed certificate in certificate chain)")
    assert_no_secret(pki, log)


def test_mutual_tls_refuses_a_missing_or_foreign_client_certificate(broker: TlsBroker, tmp_path: Path) -> None:
    pki, prefix = broker.pki, unique_name("p") + "."
    foreign = make_pki(tmp_path / "other-pki", "other-Pa55")  # a client certificate from a CA the broker ignores
    missing = feed(broker.mtls_bootstrap, prefix, article_file(tmp_path), tls_env(pki.ca))
    assert missing.returncode == 3 and one_line(missing.stderr) == (
        f"error: TLS handshake with {broker.mtls_bootstrap} failed: the broker requires a client certificate: "
        "set KAFKA_SSL_CERTFILE and KAFKA_SSL_KEYFILE")
    refused = feed(broker.mtls_bootstrap, prefix, article_file(tmp_path),
                   tls_env(pki.ca, foreign.client_cert, foreign.client_key))
    assert refused.returncode == 3 and one_line(refused.stderr) == (
        f"error: TLS handshake with {broker.mtls_bootstrap} failed: the broker refused the client certificate "
        f"KAFKA_SSL_CERTFILE={foreign.client_cert} (not signed by a CA it trusts?)")
    assert_no_secret(pki, missing.stderr, refused.stderr)


def test_no_secret_in_the_worker_or_broker_logs(broker: TlsBroker, mtls_worker: WorkerProcess) -> None:
    texts = [mtls_worker.log_path.read_text(errors="replace"), mtls_worker.get_text("/metrics")]
    texts += [path.read_text(errors="replace") for path in broker.config.logs_dir.glob("*.log")]
    assert any("ssl.keystore.password = [hidden]" in text for text in texts), "the broker logged its TLS settings"
    assert_no_secret(broker.pki, *texts)
