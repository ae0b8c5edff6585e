"""Worker configuration: one place that lists every setting, its environment variable and default.

Precedence: command-line flag > environment variable > default. ``casualty worker --help`` and the
README's configuration table are generated from :data:`SETTINGS_DOC` so they never drift.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from schemas import topics as spec
from streams.connection import KafkaConnection

# setting -> (environment variable, default, meaning)
SETTINGS_DOC: dict[str, tuple[str, str, str]] = {
    "bootstrap": ("KAFKA_BOOTSTRAP", "localhost:9092", "Kafka bootstrap servers (comma-separated host:port)."),
    "app_id": ("CASUALTY_APP_ID", "casualty-stream", "Faust app id: consumer group and changelog prefix."),
    "topic_prefix": ("CASUALTY_TOPIC_PREFIX", "", "Prefix added to every topic name (tests, multi-tenant)."),
    "partitions": ("CASUALTY_PARTITIONS", "6", "Partitions of articles, incidents, summaries, tallies, tables."),
    "replication_factor": (
        "CASUALTY_REPLICATION_FACTOR", "",
        "Replicas of every topic and table changelog the worker creates; empty: the brokers' "
        "default.replication.factor (1 on the local broker). Production: 3, with min.insync.replicas=2.",
    ),
    "store": ("CASUALTY_STORE", "memory://", "Table store: memory:// or rocksdb:// (needs rocksdict)."),
    "data_dir": ("CASUALTY_DATA_DIR", "./.state/worker", "Folder for table stores and Faust state."),
    "web_host": ("CASUALTY_WEB_HOST", "127.0.0.1", "Interface of the web API, dashboard and /metrics."),
    "web_port": ("CASUALTY_WEB_PORT", "6066", "Port of the web API, dashboard and /metrics."),
    "processing_guarantee": ("CASUALTY_PROCESSING_GUARANTEE", "at_least_once", "at_least_once or exactly_once."),
    "max_body_bytes": ("CASUALTY_MAX_BODY_BYTES", "1048576", "Largest accepted article message (bytes)."),
    "count_suspect": (
        "CASUALTY_COUNT_SUSPECT", "false",
        "Count suspect incidents (held back by the article's self-check) in killed and wounded: true or false. "
        "Either way their figures are kept apart in the rows' suspect columns.",
    ),
    "seen_retention_days": (
        "CASUALTY_SEEN_RETENTION_DAYS", "30", "Days an article id is remembered for de-duplication."
    ),
    "offload_bytes": (
        "CASUALTY_OFFLOAD_BYTES", "16384", "Articles larger than this are extracted in a worker thread."
    ),
    "recent_incidents": ("CASUALTY_RECENT_INCIDENTS", "500", "Incidents kept in memory for /incidents."),
    "recent_events": ("CASUALTY_RECENT_EVENTS", "2000",
                      "Most recently changed events kept in memory for /events (read on the first request)."),
    "tally_batch": (
        "CASUALTY_TALLY_BATCH", "500",
        "Most incidents the tally agent resolves at once (each changed row, event and tally written once per batch).",
    ),
    "tally_wait_ms": ("CASUALTY_TALLY_WAIT_MS", "50", "Longest the tally agent waits to fill a batch (ms)."),
    "producer_linger_ms": (
        "CASUALTY_PRODUCER_LINGER_MS", "10", "How long the producer gathers records into one request (ms)."
    ),
    "security_protocol": ("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL."),
    "sasl_mechanism": ("KAFKA_SASL_MECHANISM", "", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512."),
    "sasl_username": ("KAFKA_SASL_USERNAME", "", "SASL user name."),
    "sasl_password": ("KAFKA_SASL_PASSWORD", "", "SASL password (never logged or shown)."),
    "ssl_cafile": ("KAFKA_SSL_CAFILE", "", "CA bundle that signs the brokers' certificates."),
    "ssl_certfile": ("KAFKA_SSL_CERTFILE", "", "Client certificate (mutual TLS)."),
    "ssl_keyfile": ("KAFKA_SSL_KEYFILE", "", "Client private key (mutual TLS)."),
}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a worker (or a feed/subscribe client) needs to know."""

    bootstrap: str = "localhost:9092"
    app_id: str = "casualty-stream"
    topic_prefix: str = ""
    partitions: int = 6
    replication_factor: int = 0  # 0: the brokers' default.replication.factor
    store: str = "memory://"
    data_dir: Path = Path("./.state/worker")
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    processing_guarantee: str = "at_least_once"
    max_body_bytes: int = 1_048_576
    count_suspect: bool = False
    seen_retention_days: int = 30
    offload_bytes: int = 16_384
    recent_incidents: int = 500
    recent_events: int = 2000
    tally_batch: int = 500
    tally_wait_ms: int = 50
    producer_linger_ms: int = 10
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = ""
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)
    ssl_cafile: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, overridden by the environment, overridden by ``overrides`` that are not None."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            var, default, _ = SETTINGS_DOC[f.name]
            raw = env.get(var, default)
            values[f.name] = _coerce(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise ValueError on settings that cannot work, naming the setting."""
        check_bootstrap(self.bootstrap)
        if not 1 <= self.web_port <= 65535 and self.web_port != 0:
            raise ValueError(f"web_port must be a port number (1-65535), got {self.web_port}")
        if self.processing_guarantee not in ("at_least_once", "exactly_once"):
            raise ValueError(
                f"processing_guarantee must be at_least_once or exactly_once, got {self.processing_guarantee!r}"
            )
        if not (self.store.startswith("memory://") or self.store.startswith("rocksdb://")):
            raise ValueError(f"store must be memory:// or rocksdb://, got {self.store!r}")
        if self.partitions < 1:
            raise ValueError("partitions must be at least 1")
        if self.replication_factor < 0:
            raise ValueError("replication_factor must be at least 1 (or empty for the brokers' default)")
        if self.tally_batch < 1:
            raise ValueError("tally_batch must be at least 1")
        if self.tally_wait_ms < 1 or self.producer_linger_ms < 0:
            raise ValueError("tally_wait_ms must be at least 1 and producer_linger_ms at least 0")

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return replace(self, **changes)

    def topic(self, name: str) -> str:
        """The full name of one of our topics."""
        return f"{self.topic_prefix}{name}"

    @property
    def articles_topic(self) -> str:
        return self.topic(spec.ARTICLES.name)

    @property
    def dead_letter_topic(self) -> str:
        return self.topic(spec.ARTICLES_DLT.name)

    @property
    def incidents_topic(self) -> str:
        return self.topic(spec.INCIDENTS.name)

    @property
    def summaries_topic(self) -> str:
        return self.topic(spec.ARTICLE_SUMMARIES.name)

    @property
    def tallies_topic(self) -> str:
        return self.topic(spec.CASUALTY_TALLIES.name)

    @property
    def events_topic(self) -> str:
        return self.topic(spec.EVENTS.name)

    @property
    def connection(self) -> KafkaConnection:
        """Bootstrap servers and security settings, rendered for Faust, aiokafka and kafka-python."""
        return KafkaConnection.from_settings(self)

    def public(self) -> dict[str, Any]:
        """Settings safe to print or serve: secrets masked."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["data_dir"] = str(self.data_dir)
        if out["sasl_password"]:
            out["sasl_password"] = "***"
        return out


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def check_bootstrap(bootstrap: str) -> None:
    """Raise ValueError unless ``bootstrap`` is a comma-separated list of HOST:PORT with numeric ports."""
    servers = [part.strip() for part in bootstrap.split(",") if part.strip()]
    if not servers:
        raise ValueError("bootstrap is empty: expected HOST:PORT (e.g. localhost:9092)")
    for server in servers:
        host, sep, port = server.rpartition(":")
        if not sep or not host:
            raise ValueError(f"bootstrap server {server!r} must be HOST:PORT (e.g. localhost:9092)")
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError(f"bootstrap server {server!r} has port {port!r}: expected a number from 1 to 65535")


def _coerce(name: str, raw: str) -> Any:
    if name == "count_suspect":
        word = raw.strip().lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError(f"{SETTINGS_DOC[name][0]} must be true or false, got {raw!r}")
    if name == "replication_factor" and not raw.strip():
        return 0
    if name in ("partitions", "replication_factor", "web_port", "max_body_bytes", "seen_retention_days",
                "offload_bytes", "recent_incidents", "recent_events", "tally_batch", "tally_wait_ms",
                "producer_linger_ms"):
        try:
            return int(raw)
        except ValueError as exc:
            var = SETTINGS_DOC[name][0]
            raise ValueError(f"{var} must be an integer, got {raw!r}") from exc
    if name == "data_dir":
        return Path(raw)
    return raw


WORKER_FLAGS = ("bootstrap", "app_id", "topic_prefix", "partitions", "replication_factor", "store", "data_dir",
                "web_host", "web_port", "processing_guarantee", "max_body_bytes", "count_suspect")
"""Settings that ``casualty worker`` also takes as flags (the rest: environment only)."""


def settings_table_markdown() -> str:
    """The configuration table of the README."""
    rows = ["| environment | `casualty worker` flag | default | meaning |", "|---|---|---|---|"]
    for name, (var, default, meaning) in SETTINGS_DOC.items():
        flag = "`--" + name.replace("_", "-") + "`" if name in WORKER_FLAGS else ""
        rows.append(f"| `{var}` | {flag} | `{default or '(empty)'}` | {meaning} |")
    return "\n".join(rows)
