"""Who may do what on the central server: admin tokens, kiosk tokens and console users.

One room for every credential, so issuing, checking and revoking each happen in one place. Only
hashes are stored: a token's SHA-256, a password's PBKDF2. A revoked token is kept (with the time)
so that the listing says what happened to it, and it is never accepted again. Whoever holds a
connection open with a token (a kiosk's push stream) is told when that token changes, so it is cut.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from central.db import Database
from central.errors import Conflict, Invalid, NotFound
from central.models import AdminToken, Kiosk, User, WebSession
from central.security import (
    ADMIN_TOKEN_PREFIX,
    KIOSK_TOKEN_PREFIX,
    check_password,
    hash_password,
    new_token,
    token_hash,
)

log = logging.getLogger(__name__)

ACCOUNT_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._@-]{0,63}\Z")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # PBKDF2 hashes any length; this only bounds the work a request can ask for
CREDENTIALS_CHANNEL = "green_credentials"  # PostgreSQL: every server process LISTENs (central.push)


@dataclass(frozen=True)
class TokenInfo:
    """One token as the listing shows it: never the token itself, which the server does not have."""

    kind: str  # "admin" | "kiosk"
    name: str  # the admin token's name or the kiosk's id
    created: datetime
    last_used: datetime | None
    revoked: datetime | None


@dataclass(frozen=True)
class UserInfo:
    """A console user and how many live sessions it has."""

    name: str
    created: datetime
    sessions: int


class Accounts:
    """Issue, check, list and revoke credentials; the clock is the server's, so tests can move it."""

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.clock = clock
        self._listeners: list[Callable[[str, str], None]] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Callable[[str, str], None]) -> None:
        """Call ``listener(kind, name)`` (from any thread) after a token of that holder changed here."""
        with self._lock:
            self._listeners.append(listener)

    def _changed(self, session: Session, kind: str, name: str) -> None:
        """On PostgreSQL, tell every server process in the change's own transaction (sent at commit)."""
        if session.get_bind().dialect.name == "postgresql":
            notify = text("SELECT pg_notify(:topic, :payload)")
            session.execute(notify, {"topic": CREDENTIALS_CHANNEL, "payload": f"{kind}:{name}"})

    def _tell(self, kind: str, name: str) -> None:
        """Tell this process's listeners, after the commit (other processes hear it by ``_changed``)."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(kind, name)

    # --- admin tokens ----------------------------------------------------------------------------
    def add_admin_token(self, name: str) -> str:
        """A new admin token (for kioskctl publish); returned once, only its hash is kept."""
        check_account_name(name, "admin token name")
        token = new_token(ADMIN_TOKEN_PREFIX)
        with self.database.session() as session:
            if session.scalar(select(AdminToken).where(AdminToken.name == name)) is not None:
                raise Conflict(f"an admin token named {name!r} already exists")
            session.add(AdminToken(name=name, token_hash=token_hash(token), created=self.clock()))
        log.info("Admin token %s issued", name)
        return token

    def revoke_admin_token(self, name: str) -> None:
        with self.database.session() as session:
            row = session.scalar(select(AdminToken).where(AdminToken.name == name))
            if row is None:
                raise NotFound(f"no admin token named {name!r}")
            if row.revoked is None:
                row.revoked = self.clock()
            self._changed(session, "admin", name)
        self._tell("admin", name)
        log.info("Admin token %s revoked", name)

    def admin_for(self, token: str) -> str | None:
        """The name of the live admin token ``token`` is, or None (unknown or revoked)."""
        if not token.startswith(ADMIN_TOKEN_PREFIX):
            return None
        with self.database.session() as session:
            row = session.scalar(
                select(AdminToken).where(
                    AdminToken.token_hash == token_hash(token), AdminToken.revoked.is_(None)
                )
            )
            if row is None:
                return None
            row.last_used = self.clock()
            return row.name

    # --- kiosk tokens ----------------------------------------------------------------------------
    def renew_kiosk_token(self, kiosk_id: str) -> str:
        """A new token for a registered kiosk; the old one (revoked or not) stops working at once."""
        token = new_token(KIOSK_TOKEN_PREFIX)
        with self.database.session() as session:
            kiosk = _kiosk(session, kiosk_id)
            kiosk.token_hash = token_hash(token)
            kiosk.token_revoked = None
            self._changed(session, "kiosk", kiosk_id)
        self._tell("kiosk", kiosk_id)
        log.info("Kiosk %s: new token issued", kiosk_id)
        return token

    def revoke_kiosk_token(self, kiosk_id: str) -> None:
        """The kiosk's reports, pushes and downloads with its token are refused from now on."""
        with self.database.session() as session:
            kiosk = _kiosk(session, kiosk_id)
            if kiosk.token_revoked is None:
                kiosk.token_revoked = self.clock()
            self._changed(session, "kiosk", kiosk_id)
        self._tell("kiosk", kiosk_id)
        log.info("Kiosk %s: token revoked", kiosk_id)

    def kiosk_for(self, token: str) -> str | None:
        """The id of the kiosk whose live token ``token`` is, or None (unknown or revoked)."""
        if not token.startswith(KIOSK_TOKEN_PREFIX):
            return None
        with self.database.session() as session:
            return session.scalar(
                select(Kiosk.id).where(Kiosk.token_hash == token_hash(token), Kiosk.token_revoked.is_(None))
            )

    def is_live(self, kind: str, name: str, token: str) -> bool:
        """Whether ``token`` is still the live token of that holder (read only: no "last used" write)."""
        digest = token_hash(token)
        if kind == "admin":
            query = select(func.count()).where(
                AdminToken.name == name, AdminToken.token_hash == digest, AdminToken.revoked.is_(None)
            )
        else:
            query = select(func.count()).where(
                Kiosk.id == name, Kiosk.token_hash == digest, Kiosk.token_revoked.is_(None)
            )
        with self.database.session() as session:
            return bool(session.scalar(query))

    def tokens(self) -> list[TokenInfo]:
        """Every admin and kiosk token, revoked ones included (admin tokens first, then by name)."""
        with self.database.session() as session:
            admins = [
                TokenInfo("admin", t.name, t.created, t.last_used, t.revoked)
                for t in session.scalars(select(AdminToken).order_by(AdminToken.name))
            ]
            kiosks = [
                TokenInfo("kiosk", k.id, k.created, k.last_seen, k.token_revoked)
                for k in session.scalars(select(Kiosk).order_by(Kiosk.id))
            ]
        return admins + kiosks

    def revoke_token(self, kind: str, name: str) -> None:
        """Revoke by the kind and name the listing shows."""
        if kind == "admin":
            self.revoke_admin_token(name)
        elif kind == "kiosk":
            self.revoke_kiosk_token(name)
        else:
            raise Invalid(f"a token is 'admin' or 'kiosk', not {kind[:20]!r}")

    # --- console users ---------------------------------------------------------------------------
    def add_user(self, name: str, password: str) -> None:
        check_account_name(name, "user name")
        digest = hash_password(_checked_password(password))
        with self.database.session() as session:
            if session.scalar(select(User).where(User.name == name)) is not None:
                raise Conflict(f"console user {name!r} already exists (set-password changes a password)")
            session.add(User(name=name, password_hash=digest, created=self.clock()))
        log.info("Console user %s added", name)

    def set_password(self, name: str, password: str, *, keep_session: str | None = None) -> int:
        """Change a password and end the user's sessions (all but the cookie ``keep_session``).

        Returns how many sessions were ended: whoever knew the old password is logged out.
        """
        digest = hash_password(_checked_password(password))
        with self.database.session() as session:
            user = _user(session, name)
            user.password_hash = digest
            ended = _end_sessions(session, user.id, keep_session)
        log.info("Console user %s: password changed, %d other sessions ended", name, ended)
        return ended

    def remove_user(self, name: str) -> None:
        """The user and every session of it: a cookie it still holds stops working at once."""
        with self.database.session() as session:
            user = _user(session, name)
            _end_sessions(session, user.id, None)
            session.delete(user)
        log.info("Console user %s removed", name)

    def users(self) -> list[UserInfo]:
        now = self.clock()
        with self.database.session() as session:
            live = (
                select(func.count())
                .where(WebSession.user_id == User.id, WebSession.expires > now)
                .scalar_subquery()
            )
            rows = session.execute(select(User.name, User.created, live).order_by(User.name)).all()
        return [UserInfo(name, created, int(count)) for name, created, count in rows]

    def check_user(self, name: str, password: str) -> int | None:
        """The user's id when the password is right, else None (same work for an unknown name)."""
        with self.database.session() as session:
            user = session.scalar(select(User).where(User.name == name))
            stored = user.password_hash if user is not None else None
            user_id = user.id if user is not None else None
        if stored is None or len(password) > MAX_PASSWORD:
            hash_password(password[:MAX_PASSWORD])  # same time as a wrong password: names cannot be probed
            return None
        return user_id if check_password(password, stored) else None


def check_account_name(name: str, what: str) -> None:
    if not ACCOUNT_NAME.match(name):
        raise Invalid(
            f"{what} {name[:70]!r}: use 1-64 of A-Z a-z 0-9 . _ @ - (starting with a letter or digit)"
        )


def _checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a console password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"a console password may have at most {MAX_PASSWORD} characters")
    return password


def _user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"no console user {name[:70]!r}")
    return user


def _kiosk(session: Session, kiosk_id: str) -> Kiosk:
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise NotFound(f"no kiosk {kiosk_id[:70]!r}")
    return kiosk


def _end_sessions(session: Session, user_id: int, keep: str | None) -> int:
    statement = delete(WebSession).where(WebSession.user_id == user_id)
    if keep:
        statement = statement.where(WebSession.id_hash != token_hash(keep))
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]
