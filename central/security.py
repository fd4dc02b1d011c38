"""Tokens and passwords: what the server stores is never enough to log in or to publish."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from kiosk.kdf import pbkdf2_hash, pbkdf2_verify

ADMIN_TOKEN_PREFIX = "gka_"
KIOSK_TOKEN_PREFIX = "gkk_"
PBKDF2_ITERATIONS = 600_000  # OWASP's figure for PBKDF2-HMAC-SHA256 (2023)


def new_token(prefix: str) -> str:
    """A 256-bit random token; its prefix tells an admin token from a kiosk token at a glance."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are random and long, so a plain SHA-256 is enough to make a stolen table useless."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str, *, iterations: int = PBKDF2_ITERATIONS) -> str:
    return pbkdf2_hash(password, iterations)


def check_password(password: str, stored: str) -> bool:
    return bool(pbkdf2_verify(password, stored))


def write_secret(path: Path, make: Callable[[], str]) -> None:
    """Write ``make()``'s token to a NEW file readable by its owner only, whatever the umask.

    The file is created before the token is made, so an existing file or a bad folder costs no token;
    if making the token fails, the empty file is removed again.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise FileExistsError(f"{path} already exists: choose a new file or remove it first") from exc
    try:
        os.fchmod(fd, 0o600)
        secret = make()
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            fd = -1
            handle.write(secret + "\n")
    except BaseException:
        if fd >= 0:
            os.close(fd)
        path.unlink(missing_ok=True)
        raise
