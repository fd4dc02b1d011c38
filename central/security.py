"""Tokens and passwords: what the server stores is never enough to log in or to publish."""

from __future__ import annotations

import hashlib
import secrets

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
