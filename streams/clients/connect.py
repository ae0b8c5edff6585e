"""kafka-python clients for the command-line tools, with connection errors a person can act on.

kafka-python reports a refused SASL login only as a log record followed, seconds later, by a bare
``NoBrokersAvailable``. :func:`open_producer` and :func:`open_consumer` listen to the library's log
while they connect, so a wrong password becomes one line such as::

    authentication failed for user 'feeder' (SASL SCRAM-SHA-512) at kafka:9093:
    check KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD

Secrets never appear in these messages: any occurrence of the password is masked.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

from kafka import KafkaConsumer, KafkaProducer
from kafka.client_async import KafkaClient
from kafka.errors import KafkaError, NoBrokersAvailable

from streams.config import Settings

_AUTH_MARKERS = ("SaslAuthenticat", "AuthenticationFailed", "Authentication failed", "authentication failed")
PROBE_TIMEOUT_S = 15.0
_TLS_MARKERS = ("SSLError", "CERTIFICATE_VERIFY_FAILED", "ssl.SSL", "SSL handshake", "SSL connection closed")
# TLS alerts a broker sends when it refuses the client's certificate (or its absence) under mutual TLS.
_CLIENT_CERT_REFUSED = ("ALERT_BAD_CERTIFICATE", "ALERT_CERTIFICATE_REQUIRED", "ALERT_CERTIFICATE_UNKNOWN",
                        "ALERT_UNKNOWN_CA")
_VERIFY_REASON = re.compile(r"certificate verify failed: ([^(]+?) \(")


class KafkaUnavailable(Exception):
    """A client could not connect or authenticate; ``str(exc)`` is one line for the user."""


class _Recorder(logging.Handler):
    """Keeps the kafka-python log records of one connection attempt."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self.messages.append(record.getMessage())


def quiet_library_logs() -> None:
    """Stop kafka-python's warnings (reconnects, metadata retries) from cluttering the tools' output.

    The tools report what matters themselves; the library's own records would otherwise reach
    stderr through Python's last-resort handler.
    """
    logger = logging.getLogger("kafka")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.propagate = False


@contextlib.contextmanager
def _recording() -> Iterator[_Recorder]:
    logger = logging.getLogger("kafka")
    recorder = _Recorder()
    previous_level = logger.level
    logger.addHandler(recorder)
    # Auth failures are logged at ERROR; make sure they reach us whatever the level was.
    if previous_level == logging.NOTSET or previous_level > logging.ERROR:
        logger.setLevel(logging.ERROR)
    try:
        yield recorder
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(previous_level)


def describe_connect_error(exc: BaseException, settings: Settings, log_messages: list[str] | None = None) -> str:
    """One line saying why a client could not connect to ``settings.bootstrap`` and what to check."""
    seen = " ".join(log_messages or []) + f" {type(exc).__name__} {exc}"
    where = settings.bootstrap
    if any(marker in seen for marker in _AUTH_MARKERS):
        mechanism = settings.connection.mechanism
        message = (
            f"authentication failed for user '{settings.sasl_username}' (SASL {mechanism}) at {where}: "
            "check KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD"
        )
    elif any(marker in seen for marker in _TLS_MARKERS):
        message = f"TLS handshake with {where} failed: {_tls_reason(seen, settings)}"
    elif isinstance(exc, NoBrokersAvailable):
        message = (
            f"cannot reach Kafka at {where}: no broker answered (start one with `casualty broker start`, "
            f"or set --bootstrap/KAFKA_BOOTSTRAP; security protocol {settings.security_protocol})"
        )
    else:
        message = f"cannot use Kafka at {where}: {type(exc).__name__}: {exc}"
    return mask_secret(message, settings)


def _tls_reason(seen: str, settings: Settings) -> str:
    """What went wrong in a failed TLS handshake and which setting to check (file names, no content)."""
    if "CERTIFICATE_VERIFY_FAILED" in seen:
        found = _VERIFY_REASON.search(seen)
        detail = f" ({found.group(1).strip()})" if found else ""
        trusted = settings.ssl_cafile or "the system's CAs"
        return f"the broker's certificate is not trusted by KAFKA_SSL_CAFILE={trusted}{detail}"
    if any(marker in seen for marker in _CLIENT_CERT_REFUSED):
        if not settings.ssl_certfile:
            return "the broker requires a client certificate: set KAFKA_SSL_CERTFILE and KAFKA_SSL_KEYFILE"
        return (f"the broker refused the client certificate KAFKA_SSL_CERTFILE={settings.ssl_certfile} "
                "(not signed by a CA it trusts?)")
    if "SSL connection closed" in seen:
        return "the broker closed the connection: is it a TLS listener? check KAFKA_SECURITY_PROTOCOL"
    return ("check KAFKA_SSL_CAFILE (and KAFKA_SSL_CERTFILE/KAFKA_SSL_KEYFILE for mutual TLS) and "
            "KAFKA_SECURITY_PROTOCOL")


def mask_secret(text: str, settings: Settings) -> str:
    """``text`` with the SASL password (if any) replaced by ``***``."""
    if settings.sasl_password:
        text = text.replace(settings.sasl_password, "***")
    return text


def _probe(settings: Settings, recorder: _Recorder, timeout: float) -> None:
    """Wait for one authenticated connection to a bootstrap broker.

    kafka-python's clients construct happily when the login is refused (the version check runs
    before authentication), then block each send for a minute; probing first turns that into an
    immediate, precise error.
    """
    client = KafkaClient(**settings.connection.kafka_python_options())
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            node = client.least_loaded_node()
            if node is not None and client.ready(node):
                return
            if any(marker in message for message in recorder.messages for marker in _AUTH_MARKERS):
                break
            client.poll(timeout_ms=100)
        raise NoBrokersAvailable()
    finally:
        client.close()


def _open(factory: Any, settings: Settings, *args: Any, **options: Any) -> Any:
    with _recording() as recorder:
        try:
            if settings.connection.protocol != "PLAINTEXT":
                _probe(settings, recorder, PROBE_TIMEOUT_S)
            return factory(*args, **settings.connection.kafka_python_options(), **options)
        except (KafkaError, OSError, ValueError) as exc:
            raise KafkaUnavailable(describe_connect_error(exc, settings, recorder.messages)) from None


def open_producer(settings: Settings, **options: Any) -> KafkaProducer:
    """A connected :class:`KafkaProducer`; raises :class:`KafkaUnavailable` with a one-line reason."""
    producer: KafkaProducer = _open(KafkaProducer, settings, **options)
    return producer


def open_consumer(settings: Settings, *topics: str, **options: Any) -> KafkaConsumer:
    """A connected :class:`KafkaConsumer`; raises :class:`KafkaUnavailable` with a one-line reason."""
    consumer: KafkaConsumer = _open(KafkaConsumer, settings, *topics, **options)
    return consumer
