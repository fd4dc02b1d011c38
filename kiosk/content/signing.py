"""Ed25519 keys and detached signatures for the content channel.

The private key stays with the administrators who publish; every kiosk holds only the public key, so a
kiosk trusts a manifest because of who signed it, not because of the server it came from. Keys are PEM
files (PKCS#8 for the private key, SubjectPublicKeyInfo for the public one), readable by openssl; a
signature is the raw 64 bytes Ed25519 makes over the exact bytes of ``manifest.json``.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.config import read_named_file
from kiosk.errors import ConfigError, ContentError

PRIVATE_KEY_FILE = "content.key"
PUBLIC_KEY_FILE = "content.pub"
SIGNATURE_SIZE = 64


def generate_keys(out_dir: Path) -> tuple[Path, Path]:
    """Write a new key pair to ``out_dir`` (the private key readable by its owner only).

    Refuses to overwrite an existing key: replacing it by mistake would lock every kiosk out.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    private_path, public_path = out_dir / PRIVATE_KEY_FILE, out_dir / PUBLIC_KEY_FILE
    for path in (private_path, public_path):
        if path.exists():
            raise ContentError(f"{path}: already exists; move it away first (kiosks trust the old key)")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_pem)
    os.chmod(private_path, 0o600)  # whatever the umask
    public_path.write_bytes(public_pem)
    return private_path, public_path


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The publisher's signing key from a PEM file written by :func:`generate_keys`."""
    try:
        key = serialization.load_pem_private_key(read_named_file(path, "private key"), password=None)
    except ConfigError as exc:
        raise ContentError(f"{path}: cannot read the private key: {exc}") from exc
    except OSError as exc:
        raise ContentError(f"{path}: cannot read the private key: {exc.strerror}") from exc
    except (ValueError, TypeError) as exc:
        raise ContentError(f"{path}: not an unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ContentError(f"{path}: not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The channel's public key a kiosk checks signatures with ([content] public_key)."""
    data = read_named_file(path, "[content] public_key")
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise ConfigError(f"[content] public_key: {path} is not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(f"[content] public_key: {path} is not an Ed25519 public key")
    return key


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    """A detached signature over ``data``."""
    return key.sign(data)


def verify(key: Ed25519PublicKey, data: bytes, signature: bytes) -> None:
    """Raise ContentError unless ``signature`` is the key's signature over exactly ``data``."""
    if len(signature) != SIGNATURE_SIZE:
        raise ContentError(f"manifest signature has {len(signature)} bytes, expected {SIGNATURE_SIZE}")
    try:
        key.verify(signature, data)
    except InvalidSignature as exc:
        raise ContentError("manifest signature does not verify with the kiosk's public key") from exc
