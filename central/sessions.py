"""Console logins: sessions stored as hashes with their CSRF token, and brakes on password guessing.

The browser holds a random 256-bit token; the database holds only its SHA-256, so a copy of the table
logs nobody in. Each session has its own CSRF token, put in a hidden field of every console form.
"""

from __future__ import annotations

import hmac
import logging
import math
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from central.models import User, WebSession
from central.security import token_hash
from central.service import Central

log = logging.getLogger(__name__)

SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class ConsoleSession:
    """A logged-in administrator, as the console's pages need it."""

    user_id: int
    user_name: str
    csrf: str
    expires: datetime


def new_secret() -> str:
    """A random 256-bit value in URL-safe text: session ids and CSRF tokens."""
    return secrets.token_urlsafe(32)


def same_secret(given: str | None, expected: str | None) -> bool:
    """Compare in constant time; an empty or missing value never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


class ConsoleSessions:
    """Open, find and close console sessions; the clock is the server's, so tests can move it."""

    def __init__(self, central: Central, lifetime: timedelta = SESSION_LIFETIME) -> None:
        self.central = central
        self.lifetime = lifetime

    def open(self, user_id: int) -> tuple[str, ConsoleSession]:
        """A new session for ``user_id``: returns the cookie value (never stored) and the session."""
        token, csrf = new_secret(), new_secret()
        now = self.central.clock()
        expires = now + self.lifetime
        with self.central.database.session() as session:
            session.execute(delete(WebSession).where(WebSession.expires <= now))
            user = session.get(User, user_id)
            if user is None:
                raise ValueError(f"no console user {user_id}")
            session.add(
                WebSession(
                    id_hash=token_hash(token), user_id=user_id, csrf=csrf, created=now, expires=expires
                )
            )
            name = user.name
        log.info("Console: %s logged in", name)
        return token, ConsoleSession(user_id, name, csrf, expires)

    def find(self, token: str) -> ConsoleSession | None:
        """The live session of a cookie value, or None (unknown, logged out or expired)."""
        if not token:
            return None
        with self.central.database.session() as session:
            row = session.execute(
                select(WebSession, User.name)
                .join(User, User.id == WebSession.user_id)
                .where(WebSession.id_hash == token_hash(token))
            ).first()
            if row is None:
                return None
            web, name = row
            if web.expires <= self.central.clock():
                session.delete(web)
                return None
            return ConsoleSession(web.user_id, name, web.csrf, web.expires)

    def close(self, token: str) -> None:
        """Log out: the cookie value stops working at once, whatever the browser keeps."""
        if not token:
            return
        with self.central.database.session() as session:
            session.execute(delete(WebSession).where(WebSession.id_hash == token_hash(token)))


@dataclass(frozen=True)
class Brake:
    """At most ``attempts`` unsuccessful logins within any ``window``; then refused until one ages out."""

    attempts: int
    window: timedelta


# One account from one address: strict, it is the patient guesser's only line.
PAIR_BRAKE = Brake(5, timedelta(minutes=15))
# One account from anywhere: looser and short, so a guesser elsewhere keeps its owner out a minute at most.
ACCOUNT_BRAKE = Brake(10, timedelta(minutes=1))
# One address, whatever the account names: someone trying one password on many names.
ADDRESS_BRAKE = Brake(30, timedelta(minutes=15))
MAX_KEYS = 10_000  # beyond this many names and addresses, the ones with nothing recent are forgotten


@dataclass(frozen=True)
class LoginAttempt:
    """The answer to "may this login be tried now?": admitted, or refused with the time to wait."""

    admitted: bool
    wait: timedelta
    keys: tuple[tuple[str, ...], ...] = ()
    at: datetime | None = None

    @property
    def wait_seconds(self) -> int:
        """Whole seconds to wait (at least 1 when refused): the ``Retry-After`` header."""
        return max(1, math.ceil(self.wait.total_seconds())) if not self.admitted else 0

    @property
    def wait_minutes(self) -> int:
        """Whole minutes to wait, as the login page says it."""
        return max(1, math.ceil(self.wait_seconds / 60)) if not self.admitted else 0


class LoginThrottle:
    """Login attempts per (account, address), per account and per address, kept in memory (one process).

    An attempt is counted *before* its password is checked, under one lock, so fifty guesses sent at
    once are braked like fifty sent one after another; a success takes its own count back. Each
    wrong password already costs the server a PBKDF2 run; this stops a patient guesser too.
    """

    def __init__(
        self,
        clock: Callable[[], datetime],
        pair: Brake = PAIR_BRAKE,
        account: Brake = ACCOUNT_BRAKE,
        address: Brake = ADDRESS_BRAKE,
    ) -> None:
        self.clock = clock
        self.brakes = {"pair": pair, "account": account, "address": address}
        self._attempts: dict[tuple[str, ...], list[datetime]] = {}
        self._lock = threading.Lock()

    def attempt(self, name: str, address: str) -> LoginAttempt:
        """Count one attempt now, or refuse it (uncounted) while any brake holds."""
        account = _account(name)
        keys = (("pair", account, address), ("account", account), ("address", address))
        now = self.clock()
        with self._lock:
            wait = timedelta(0)
            for key in keys:
                brake = self.brakes[key[0]]
                recent = self._recent(key, now)
                if len(recent) >= brake.attempts:
                    wait = max(wait, recent[-brake.attempts] + brake.window - now)
            if wait > timedelta(0):
                refused = True
            else:
                refused = False
                for key in keys:
                    self._attempts.setdefault(key, []).append(now)
                self._forget_old(now)
        if refused:
            log.warning("Console: login for %r from %s refused: too many attempts", name[:64], address)
            return LoginAttempt(False, wait)
        return LoginAttempt(True, timedelta(0), keys, now)

    def failed(self, attempt: LoginAttempt, name: str, address: str) -> None:
        """The password was wrong: the attempt stays counted."""
        log.warning("Console: failed login for %r from %s", name[:64], address)

    def succeeded(self, attempt: LoginAttempt) -> None:
        """The owner is in: its own count goes back, and the (account, address) slate is wiped."""
        with self._lock:
            for key in attempt.keys:
                if key[0] == "pair":
                    self._attempts.pop(key, None)
                    continue
                times = self._attempts.get(key, [])
                if attempt.at in times:
                    times.remove(attempt.at)

    def _recent(self, key: tuple[str, ...], now: datetime) -> list[datetime]:
        since = now - self.brakes[key[0]].window
        recent = [t for t in self._attempts.get(key, []) if t > since]
        if recent:
            self._attempts[key] = recent
        else:
            self._attempts.pop(key, None)
        return recent

    def _forget_old(self, now: datetime) -> None:
        if len(self._attempts) > MAX_KEYS:  # a flood of names: forget the ones with nothing recent
            for key in list(self._attempts):
                self._recent(key, now)


def _account(name: str) -> str:
    return name.strip().casefold()[:128]
