"""streams.connection.KafkaConnection: one set of connection settings, rendered for Faust, aiokafka and
kafka-python; the password stays out of its repr and str.

No broker needed: these tests check what each library is handed (and that each library's client
accepts every option by name). tests/test_security.py logs in to a real broker with the same object.
"""

from __future__ import annotations

import inspect
import shutil
import ssl
import subprocess

import aiokafka
import faust
import kafka
import pytest
from kafka.client_async import KafkaClient

from streams.config import Settings
from streams.connection import KafkaConnection

PASSWORD = "conn-Pa55-4d1c9a"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate and its key (the certificate doubles as the CA bundle)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "client.pem", folder / "client.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return str(cert), str(key)


def sasl_ssl(tls_files: tuple[str, str], **changes: str) -> KafkaConnection:
    cert, key = tls_files
    values = {"bootstrap": "k1:9093,k2:9093", "security_protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512",
              "sasl_username": "alice", "sasl_password": PASSWORD, "ssl_cafile": cert, "ssl_certfile": cert,
              "ssl_keyfile": key}
    values.update(changes)
    return KafkaConnection(**values)


def test_settings_hand_every_connection_setting_over() -> None:
    settings = Settings.from_env({
        "KAFKA_BOOTSTRAP": "b1:9092,b2:9092", "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_MECHANISM": "SCRAM-SHA-256", "KAFKA_SASL_USERNAME": "bob", "KAFKA_SASL_PASSWORD": PASSWORD,
        "KAFKA_SSL_CAFILE": "/ca.pem", "KAFKA_SSL_CERTFILE": "/c.pem", "KAFKA_SSL_KEYFILE": "/c.key",
    })
    assert settings.connection == KafkaConnection(
        bootstrap="b1:9092,b2:9092", security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-256",
        sasl_username="bob", sasl_password=PASSWORD, ssl_cafile="/ca.pem", ssl_certfile="/c.pem",
        ssl_keyfile="/c.key",
    )


# --- PLAINTEXT ------------------------------------------------------------------------------------
def test_plaintext_renders_the_bootstrap_servers_and_nothing_else() -> None:
    # Files and a SASL login set by mistake are not sent when the protocol does not use them.
    connection = KafkaConnection(bootstrap=" a:1 , b:2,", sasl_mechanism="PLAIN", sasl_username="u",
                                 sasl_password=PASSWORD, ssl_cafile="/nowhere/ca.pem")
    assert connection.faust_brokers() == ["kafka://a:1", "kafka://b:2"]
    assert connection.faust_credentials() is None
    assert connection.ssl_context() is None
    assert connection.aiokafka_options() == {"bootstrap_servers": " a:1 , b:2,", "security_protocol": "PLAINTEXT"}
    assert connection.kafka_python_options() == {"bootstrap_servers": " a:1 , b:2,",
                                                 "security_protocol": "PLAINTEXT"}


# --- SASL_PLAINTEXT -------------------------------------------------------------------------------
def test_sasl_plaintext_renders_the_login_without_tls() -> None:
    connection = KafkaConnection(bootstrap="k:9094", security_protocol="sasl_plaintext", sasl_mechanism="plain",
                                 sasl_username="feeder", sasl_password=PASSWORD, ssl_cafile="/nowhere/ca.pem")
    credentials = connection.faust_credentials()
    assert isinstance(credentials, faust.SASLCredentials)
    assert (credentials.username, credentials.password, credentials.mechanism.value) == ("feeder", PASSWORD, "PLAIN")
    assert credentials.ssl_context is None and credentials.protocol.value == "SASL_PLAINTEXT"
    login = {"sasl_mechanism": "PLAIN", "sasl_plain_username": "feeder", "sasl_plain_password": PASSWORD}
    assert connection.aiokafka_options() == {"bootstrap_servers": "k:9094", "security_protocol": "SASL_PLAINTEXT",
                                             **login}
    assert connection.kafka_python_options() == {"bootstrap_servers": "k:9094",
                                                 "security_protocol": "SASL_PLAINTEXT", **login}


def test_sasl_without_a_mechanism_uses_plain_in_every_library() -> None:
    connection = KafkaConnection(security_protocol="SASL_PLAINTEXT", sasl_username="u", sasl_password=PASSWORD)
    credentials = connection.faust_credentials()
    assert isinstance(credentials, faust.SASLCredentials) and credentials.mechanism.value == "PLAIN"
    assert connection.aiokafka_options()["sasl_mechanism"] == "PLAIN"
    assert connection.kafka_python_options()["sasl_mechanism"] == "PLAIN"


# --- SSL and SASL_SSL -----------------------------------------------------------------------------
def test_ssl_renders_a_context_for_faust_and_aiokafka_and_the_files_for_kafka_python(
        tls_files: tuple[str, str]) -> None:
    cert, key = tls_files
    connection = KafkaConnection(bootstrap="k:9093", security_protocol="SSL", ssl_cafile=cert, ssl_certfile=cert,
                                 ssl_keyfile=key)
    credentials = connection.faust_credentials()
    assert isinstance(credentials, faust.SSLCredentials)
    assert credentials.context.verify_mode == ssl.CERT_REQUIRED and credentials.context.check_hostname
    assert credentials.context.cert_store_stats()["x509_ca"] == 1, "the CA file was loaded"
    options = connection.aiokafka_options()
    assert set(options) == {"bootstrap_servers", "security_protocol", "ssl_context"}
    assert (options["bootstrap_servers"], options["security_protocol"]) == ("k:9093", "SSL")
    assert options["ssl_context"].cert_store_stats()["x509_ca"] == 1
    assert connection.kafka_python_options() == {"bootstrap_servers": "k:9093", "security_protocol": "SSL",
                                                 "ssl_cafile": cert, "ssl_certfile": cert, "ssl_keyfile": key}


def test_ssl_without_files_trusts_the_system_authorities_and_sends_no_file_names() -> None:
    connection = KafkaConnection(bootstrap="k:9093", security_protocol="SSL")
    context = connection.ssl_context()
    assert isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_REQUIRED
    assert connection.kafka_python_options() == {"bootstrap_servers": "k:9093", "security_protocol": "SSL"}


def test_sasl_ssl_renders_the_login_and_the_tls_context(tls_files: tuple[str, str]) -> None:
    cert, key = tls_files
    connection = sasl_ssl(tls_files)
    credentials = connection.faust_credentials()
    assert isinstance(credentials, faust.SASLCredentials)
    assert (credentials.username, credentials.password, credentials.mechanism.value) == (
        "alice", PASSWORD, "SCRAM-SHA-512")
    assert credentials.protocol.value == "SASL_SSL" and isinstance(credentials.ssl_context, ssl.SSLContext)
    login = {"sasl_mechanism": "SCRAM-SHA-512", "sasl_plain_username": "alice", "sasl_plain_password": PASSWORD}
    options = connection.aiokafka_options()
    assert isinstance(options.pop("ssl_context"), ssl.SSLContext)
    assert options == {"bootstrap_servers": "k1:9093,k2:9093", "security_protocol": "SASL_SSL", **login}
    assert connection.kafka_python_options() == {
        "bootstrap_servers": "k1:9093,k2:9093", "security_protocol": "SASL_SSL", **login,
        "ssl_cafile": cert, "ssl_certfile": cert, "ssl_keyfile": key,
    }
    assert connection.faust_brokers() == ["kafka://k1:9093", "kafka://k2:9093"]


def test_a_missing_certificate_file_fails_when_the_context_is_built() -> None:
    connection = KafkaConnection(security_protocol="SSL", ssl_cafile="/nowhere/ca.pem")
    with pytest.raises(FileNotFoundError):
        connection.ssl_context()


# --- the libraries accept what is rendered ---------------------------------------------------------
def test_faust_app_takes_the_brokers_and_credentials(tls_files: tuple[str, str]) -> None:
    connection = sasl_ssl(tls_files)
    app = faust.App("connection-test", broker=connection.faust_brokers(),
                    broker_credentials=connection.faust_credentials(), autodiscover=False)
    assert [str(url) for url in app.conf.broker] == ["kafka://k1:9093", "kafka://k2:9093"]
    assert isinstance(app.conf.broker_credentials, faust.SASLCredentials)
    assert app.conf.broker_credentials.username == "alice"


def test_every_rendered_option_is_a_parameter_of_the_libraries_clients(tls_files: tuple[str, str]) -> None:
    connection = sasl_ssl(tls_files)
    aiokafka_names = set(connection.aiokafka_options())
    for client in (aiokafka.AIOKafkaConsumer, aiokafka.AIOKafkaProducer):
        assert aiokafka_names <= set(inspect.signature(client).parameters), client.__name__
    python_names = set(connection.kafka_python_options())
    for client in (kafka.KafkaConsumer, kafka.KafkaProducer, kafka.KafkaAdminClient, KafkaClient):
        assert python_names <= set(client.DEFAULT_CONFIG), client.__name__


# --- secrets --------------------------------------------------------------------------------------
def test_the_password_stays_out_of_repr_and_str(tls_files: tuple[str, str]) -> None:
    connection = sasl_ssl(tls_files)
    for text in (repr(connection), str(connection), f"{connection}", repr(Settings.from_env(
            {"KAFKA_SASL_PASSWORD": PASSWORD}).connection)):
        assert PASSWORD not in text
        assert "sasl_password='***'" in text
    assert "sasl_username='alice'" in repr(connection) and "k1:9093,k2:9093" in repr(connection)
    assert "sasl_password=''" in repr(KafkaConnection())
    # The Faust credentials Faust may log do not show it either.
    assert PASSWORD not in repr(connection.faust_credentials())


def test_the_connection_is_immutable_and_compares_by_value() -> None:
    connection = KafkaConnection(bootstrap="a:1")
    with pytest.raises(AttributeError):
        connection.bootstrap = "b:2"  # type: ignore[misc]
    assert connection == KafkaConnection(bootstrap="a:1") != KafkaConnection(bootstrap="b:2")

