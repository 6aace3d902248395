#!/usr/bin/python3
"""Writes the self-signed TLS test fixture of this folder (needs
python3-cryptography). Valid from 2000 to 2125 for 127.0.0.1 and localhost,
so that the only thing wrong with it is that nobody trusts it."""

import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
name = x509.Name([
    x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1"),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Leeway test fixture"),
])
cert = (
    x509.CertificateBuilder()
    .subject_name(name)
    .issuer_name(name)
    .public_key(key.public_key())
    .serial_number(x509.random_serial_number())
    .not_valid_before(datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
    .not_valid_after(datetime.datetime(2125, 1, 1, tzinfo=datetime.timezone.utc))
    .add_extension(x509.SubjectAlternativeName([
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.DNSName("localhost"),
    ]), critical=False)
    .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    .sign(key, hashes.SHA256())
)

with open("self-signed-key.pem", "wb") as f:
    f.write(key.private_bytes(serialization.Encoding.PEM,
                              serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()))
with open("self-signed-cert.pem", "wb") as f:
    f.write(cert.public_bytes(serialization.Encoding.PEM))
