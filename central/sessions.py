"""Console logins: sessions stored as hashes with their CSRF token, and a brake on password guessing.

The browser holds a random 256-bit token; the database holds only its SHA-256, so a copy of the table
logs nobody in. Each session has its own CSRF token, put in a hidden field of every console form.
"""

from __future__ import annotations

import hmac
import logging
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
LOGIN_ATTEMPTS = 5  # failed logins allowed per name and address ...
LOGIN_WINDOW = timedelta(minutes=5)  # ... within this window; then 429 until the oldest ages out


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


class LoginThrottle:
    """Failed logins per (name, address) in a sliding window, kept in memory (one server process).

    Each wrong password already costs the server a PBKDF2 run; this stops a patient guesser too.
    """

    def __init__(
        self,
        clock: Callable[[], datetime],
        attempts: int = LOGIN_ATTEMPTS,
        window: timedelta = LOGIN_WINDOW,
    ) -> None:
        self.clock = clock
        self.attempts = attempts
        self.window = window
        self._failures: dict[tuple[str, str], list[datetime]] = {}
        self._lock = threading.Lock()

    def blocked(self, name: str, address: str) -> bool:
        with self._lock:
            return len(self._recent(_key(name, address))) >= self.attempts

    def failed(self, name: str, address: str) -> None:
        key = _key(name, address)
        with self._lock:
            self._failures[key] = [*self._recent(key), self.clock()]
            if len(self._failures) > 10_000:  # a flood of names: forget the ones with nothing recent
                for other in list(self._failures):
                    if not self._recent(other):
                        del self._failures[other]
        log.warning("Console: failed login for %r from %s", name[:64], address)

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop(_key(name, address), None)

    def _recent(self, key: tuple[str, str]) -> list[datetime]:
        since = self.clock() - self.window
        recent = [t for t in self._failures.get(key, []) if t > since]
        if recent:
            self._failures[key] = recent
        else:
            self._failures.pop(key, None)
        return recent


def _key(name: str, address: str) -> tuple[str, str]:
    return name.strip().casefold()[:128], address
