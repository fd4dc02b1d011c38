"""The admin PIN: stored only as a salted PBKDF2 hash in the config, and guarded against guessing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.kdf import ALGORITHM, pbkdf2_hash, pbkdf2_verify

log = logging.getLogger(__name__)

ITERATIONS = 200_000
MIN_DIGITS, MAX_DIGITS = 4, 12
"""The PIN pad (ui/widgets/pin_pad.py) enters 0-9 only, at most MAX_DIGITS of them."""
_PAD_DIGITS = frozenset("0123456789")


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``, the form ``[admin] pin_hash`` takes."""
    # str.isdigit() also accepts "١٢٣٤" or "¹²³⁴", which the pad can never enter: a PIN nobody can type.
    if not pin or not set(pin) <= _PAD_DIGITS or not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        raise ValueError(
            f"the PIN must be {MIN_DIGITS} to {MAX_DIGITS} digits, each one of 0-9 (the pad has no others)"
        )
    return pbkdf2_hash(pin, iterations, salt=salt)


def verify_pin(pin: str, stored: str) -> bool:
    """True only when ``pin`` matches the stored hash (constant-time comparison)."""
    matched = pbkdf2_verify(pin, stored)
    if matched is None:
        log.error("[admin] pin_hash is not in the form %s$iterations$salt$hash", ALGORITHM)
    return bool(matched)


@dataclass
class PinGuard:
    """Allows a few wrong PINs, then locks out for a time that doubles with every further failure."""

    stored_hash: str
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    free_attempts: int = 3
    base_lockout: timedelta = timedelta(seconds=30)
    max_lockout: timedelta = timedelta(minutes=15)
    failures: int = 0
    locked_until: datetime | None = None

    def seconds_locked(self) -> int:
        """Seconds until the next attempt is allowed (0 when one is allowed now)."""
        if self.locked_until is None:
            return 0
        remaining = (self.locked_until - self.clock()).total_seconds()
        return max(0, int(remaining + 0.999))

    def try_pin(self, pin: str) -> bool:
        """Check a PIN; refused without checking while locked out."""
        if not self.stored_hash:
            return False
        if self.seconds_locked() > 0:
            return False
        if verify_pin(pin, self.stored_hash):
            self.failures = 0
            self.locked_until = None
            log.info("Admin screen opened with the PIN")
            return True
        self.failures += 1
        log.warning("Wrong admin PIN entered (%d in a row)", self.failures)
        if self.failures >= self.free_attempts:
            extra = self.failures - self.free_attempts
            lockout = min(self.base_lockout * (2**extra), self.max_lockout)
            self.locked_until = self.clock() + lockout
            log.warning("Admin PIN locked for %d s after repeated wrong PINs", lockout.total_seconds())
        return False
