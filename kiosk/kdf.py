"""PBKDF2-SHA256 hashes in one text form, ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``.

Used for the kiosk's admin PIN and the central server's console passwords.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2_sha256"


def pbkdf2_hash(secret: str, iterations: int, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def pbkdf2_verify(secret: str, stored: str) -> bool | None:
    """True or False for a match (constant-time); None when ``stored`` is not in the form above."""
    try:
        algorithm, iterations, salt_hex, digest_hex = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), bytes.fromhex(salt_hex), int(iterations))
    except ValueError:
        return None
    return hmac.compare_digest(digest.hex(), digest_hex)
