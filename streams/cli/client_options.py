"""Options shared by the client commands (``feed``, ``subscribe``, ``tables``, ``demo``).

Every option falls back to its environment variable (see :data:`streams.config.SETTINGS_DOC`),
so ``--bootstrap`` defaults to ``$KAFKA_BOOTSTRAP``, else ``localhost:9092``. SASL and TLS settings
are options too, but a password is better given as ``KAFKA_SASL_PASSWORD`` than on a command line
that ``ps`` shows to everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from streams.clients.connect import quiet_library_logs
from streams.config import SETTINGS_DOC, Settings

F = TypeVar("F", bound=Callable[..., Any])

CLIENT_SETTINGS = ("bootstrap", "topic_prefix", "security_protocol", "sasl_mechanism", "sasl_username",
                   "sasl_password", "ssl_cafile", "ssl_certfile", "ssl_keyfile")


def _help(name: str) -> str:
    var, default, meaning = SETTINGS_DOC[name]
    return f"{meaning} [env {var}; default {default or '(empty)'}]"


def kafka_options(command: F) -> F:
    """Add ``--bootstrap``, ``--topic-prefix`` and the SASL/TLS options to a click command."""
    options = [
        click.option("-b", "--bootstrap", metavar="HOST:PORT", help=_help("bootstrap")),
        click.option("--topic-prefix", metavar="PREFIX", help=_help("topic_prefix")),
        click.option("--security-protocol", type=click.Choice(["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"],
                                                              case_sensitive=False),
                     help=_help("security_protocol")),
        click.option("--sasl-mechanism", type=click.Choice(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"],
                                                           case_sensitive=False),
                     help=_help("sasl_mechanism")),
        click.option("--sasl-username", metavar="USER", help=_help("sasl_username")),
        click.option("--sasl-password", metavar="SECRET", help=_help("sasl_password") + " Prefer the env var."),
        click.option("--ssl-cafile", metavar="FILE", help=_help("ssl_cafile")),
        click.option("--ssl-certfile", metavar="FILE", help=_help("ssl_certfile")),
        click.option("--ssl-keyfile", metavar="FILE", help=_help("ssl_keyfile")),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def settings_from(flags: dict[str, Any]) -> Settings:
    """Settings from the environment overridden by the given client flags (which are removed from ``flags``)."""
    overrides: dict[str, Any] = {}
    for name in CLIENT_SETTINGS:
        value = flags.pop(name, None)
        if isinstance(value, str) and name in ("security_protocol", "sasl_mechanism"):
            value = value.upper()
        overrides[name] = value
    quiet_library_logs()
    try:
        return Settings.from_env(**overrides)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
