"""How to reach Kafka: one object that renders the options of Faust, aiokafka and kafka-python.

:class:`KafkaConnection` holds the bootstrap servers and the security settings (protocol, SASL,
TLS files) of :class:`streams.config.Settings` (``settings.connection``) and writes them out in
the form each client library wants:

* :meth:`~KafkaConnection.faust_brokers` and :meth:`~KafkaConnection.faust_credentials`: the
  ``broker`` and ``broker_credentials`` of ``faust.App`` (the worker);
* :meth:`~KafkaConnection.aiokafka_options`: keyword arguments of aiokafka's clients (the web view);
* :meth:`~KafkaConnection.kafka_python_options`: keyword arguments of kafka-python's clients (the
  command-line tools, topic administration).

One rule for all three: SASL options only with a ``SASL_*`` protocol (mechanism ``PLAIN`` when
none is set, as Faust defaults), TLS only with ``SSL`` or ``SASL_SSL``. Faust and aiokafka get an
:class:`ssl.SSLContext` built from the files; kafka-python gets the file names (it builds its own
context from them). The password never appears in ``repr()``/``str()`` of this object; the
rendered dicts must hold it, so they are handed to a client and never logged.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Faust is imported only when Faust options are rendered
    from faust.types.auth import CredentialsT

    from streams.config import Settings

TLS_PROTOCOLS = ("SSL", "SASL_SSL")
DEFAULT_SASL_MECHANISM = "PLAIN"


@dataclass(frozen=True, slots=True)
class KafkaConnection:
    """Bootstrap servers and security settings, rendered for each Kafka client library."""

    bootstrap: str = "localhost:9092"
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = ""
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)
    ssl_cafile: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> KafkaConnection:
        """The connection part of ``settings``."""
        return cls(
            bootstrap=settings.bootstrap,
            security_protocol=settings.security_protocol,
            sasl_mechanism=settings.sasl_mechanism,
            sasl_username=settings.sasl_username,
            sasl_password=settings.sasl_password,
            ssl_cafile=settings.ssl_cafile,
            ssl_certfile=settings.ssl_certfile,
            ssl_keyfile=settings.ssl_keyfile,
        )

    def __repr__(self) -> str:
        password = "'***'" if self.sasl_password else "''"
        return (
            f"KafkaConnection(bootstrap={self.bootstrap!r}, security_protocol={self.security_protocol!r}, "
            f"sasl_mechanism={self.sasl_mechanism!r}, sasl_username={self.sasl_username!r}, "
            f"sasl_password={password}, ssl_cafile={self.ssl_cafile!r}, ssl_certfile={self.ssl_certfile!r}, "
            f"ssl_keyfile={self.ssl_keyfile!r})"
        )

    __str__ = __repr__

    # --- what the settings mean ----------------------------------------------------------------
    @property
    def protocol(self) -> str:
        """The security protocol in Kafka's spelling (upper case)."""
        return self.security_protocol.upper()

    @property
    def uses_tls(self) -> bool:
        """Whether connections are encrypted (``SSL`` or ``SASL_SSL``)."""
        return self.protocol in TLS_PROTOCOLS

    @property
    def uses_sasl(self) -> bool:
        """Whether clients log in with SASL (``SASL_PLAINTEXT`` or ``SASL_SSL``)."""
        return self.protocol.startswith("SASL")

    @property
    def mechanism(self) -> str:
        """The SASL mechanism clients use (``PLAIN`` when none is set)."""
        return self.sasl_mechanism.upper() or DEFAULT_SASL_MECHANISM

    @property
    def servers(self) -> list[str]:
        """The bootstrap servers, one ``host:port`` each."""
        return [host.strip() for host in self.bootstrap.split(",") if host.strip()]

    def ssl_context(self) -> ssl.SSLContext | None:
        """A new TLS context that trusts ``ssl_cafile`` (else the system CAs) and presents the
        client certificate when one is set; None when the protocol does not use TLS."""
        if not self.uses_tls:
            return None
        context = ssl.create_default_context(cafile=self.ssl_cafile or None)
        if self.ssl_certfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile or None)
        return context

    # --- renderings ----------------------------------------------------------------------------
    def faust_brokers(self, scheme: str = "kafka") -> list[str]:
        """``faust.App(broker=...)``: one ``<scheme>://host:port`` URL per bootstrap server (the
        scheme names the Faust transport: the worker's is ``streams.worker.delivery.SCHEME``)."""
        return [f"{scheme}://{host}" for host in self.servers]

    def faust_credentials(self) -> CredentialsT | None:
        """``faust.App(broker_credentials=...)``: SASL credentials (with the TLS context under
        ``SASL_SSL``), TLS credentials, or None for ``PLAINTEXT``."""
        import faust

        context = self.ssl_context()
        if self.uses_sasl:
            return faust.SASLCredentials(
                username=self.sasl_username, password=self.sasl_password, mechanism=self.mechanism,
                ssl_context=context,
            )
        if context is not None:
            return faust.SSLCredentials(context)
        return None

    def aiokafka_options(self) -> dict[str, Any]:
        """Keyword arguments for an aiokafka client: bootstrap servers, protocol, TLS context, SASL login."""
        out: dict[str, Any] = {"bootstrap_servers": self.bootstrap, "security_protocol": self.protocol}
        context = self.ssl_context()
        if context is not None:
            out["ssl_context"] = context
        if self.uses_sasl:
            out.update(sasl_mechanism=self.mechanism, sasl_plain_username=self.sasl_username,
                       sasl_plain_password=self.sasl_password)
        return out

    def kafka_python_options(self) -> dict[str, Any]:
        """Keyword arguments for a kafka-python client: bootstrap servers, protocol, TLS files, SASL login."""
        out: dict[str, Any] = {"bootstrap_servers": self.bootstrap, "security_protocol": self.protocol}
        if self.uses_tls:
            files = {"ssl_cafile": self.ssl_cafile, "ssl_certfile": self.ssl_certfile, "ssl_keyfile": self.ssl_keyfile}
            out.update({name: value for name, value in files.items() if value})
        if self.uses_sasl:
            out.update(sasl_mechanism=self.mechanism, sasl_plain_username=self.sasl_username,
                       sasl_plain_password=self.sasl_password)
        return out
