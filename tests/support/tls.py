"""A throwaway public-key infrastructure for the TLS tests, made with ``cryptography``.

:func:`make_pki` writes, in one folder: a CA, a broker certificate for ``localhost`` and
``127.0.0.1`` signed by it, in a password-protected PKCS#12 key store (Java 17 cannot read an
encrypted PKCS#8 PEM key: "PBES2 SecretKeyFactory not available"), a client certificate for
mutual TLS, and a second, unrelated CA (the "wrong CA").
Every certificate lives one day.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Pki:
    """Paths of the generated files and the broker key's password."""

    ca: Path  # the CA certificate clients trust (KAFKA_SSL_CAFILE)
    broker_keystore: Path  # the broker's key and certificate chain (PKCS#12)
    broker_key_password: str  # of the key store and of the key in it
    client_cert: Path  # mutual TLS: the client's certificate (KAFKA_SSL_CERTFILE)
    client_key: Path  # and its unencrypted key (KAFKA_SSL_KEYFILE)
    wrong_ca: Path  # a CA that signed nothing the broker presents


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "casualty-stream tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, key: rsa.RSAPrivateKey, issuer: x509.Name | None, issuer_key: rsa.RSAPrivateKey,
                 *, ca: bool, usage: list[x509.ObjectIdentifier] | None = None,
                 hosts: list[str] | None = None) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer or _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          encipher_only=False, decipher_only=False), critical=True)
    if usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usage), critical=False)
    if hosts:
        names: list[x509.GeneralName] = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def make_pki(folder: Path, broker_key_password: str) -> Pki:
    """Write the CA, broker, client and wrong-CA files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = _key()
    ca = _certificate("casualty test CA", ca_key, None, ca_key, ca=True)
    broker_key = _key()
    broker = _certificate("localhost", broker_key, ca.subject, ca_key, ca=False,
                          usage=[ExtendedKeyUsageOID.SERVER_AUTH], hosts=["localhost", "127.0.0.1"])
    client_key = _key()
    client = _certificate("casualty-worker", client_key, ca.subject, ca_key, ca=False,
                          usage=[ExtendedKeyUsageOID.CLIENT_AUTH])
    other_key = _key()
    other = _certificate("some other CA", other_key, None, other_key, ca=True)

    pki = Pki(ca=folder / "ca.pem", broker_keystore=folder / "broker.p12", broker_key_password=broker_key_password,
              client_cert=folder / "client.pem", client_key=folder / "client.key", wrong_ca=folder / "wrong-ca.pem")
    pki.ca.write_bytes(_pem(ca))
    pki.wrong_ca.write_bytes(_pem(other))
    pki.broker_keystore.write_bytes(pkcs12.serialize_key_and_certificates(
        b"broker", broker_key, broker, [ca], serialization.BestAvailableEncryption(broker_key_password.encode())))
    pki.client_cert.write_bytes(_pem(client))
    pki.client_key.write_bytes(client_key.private_bytes(serialization.Encoding.PEM,
                                                        serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    for path in (pki.broker_keystore, pki.client_key):
        path.chmod(0o600)
    return pki
