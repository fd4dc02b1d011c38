"""The central server's tables (SQLAlchemy 2, typed); the same schema on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, whatever the database keeps (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Channel(Base):
    """A content channel: its public key (never the private one) and the active release number."""

    __tablename__ = "channels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    public_key: Mapped[str] = mapped_column(Text)  # PEM, as in content.pub
    release: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(UtcDateTime)


class Release(Base):
    """Every manifest a channel has served, kept (with its signature) for history and rollback."""

    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("channel_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    manifest: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_by: Mapped[str] = mapped_column(String(128))
    note: Mapped[str] = mapped_column(String(256), default="")


class Draft(Base):
    """A manifest the server proposes (rollback, announcement) that only the admin's key can approve."""

    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "rollback" | "announcement"
    description: Mapped[str] = mapped_column(String(512))  # English, for the API and the log
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON: what the draft is, to render it
    number: Mapped[int] = mapped_column(Integer)  # the release number it will become
    manifest: Mapped[bytes] = mapped_column(LargeBinary)
    created: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(
        String(16), default="pending"
    )  # pending|published|superseded|discarded


class AdminToken(Base):
    """A token for the publishing API (kioskctl publish); only its SHA-256 is stored."""

    __tablename__ = "admin_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(UtcDateTime)
    last_used: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)  # then never accepted


class Centre(Base):
    """What the server knows of a centre: its plant's rated power, never taken from a kiosk's report."""

    __tablename__ = "centres"
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    rated_power_kw: Mapped[float] = mapped_column(Float)


class Kiosk(Base):
    """One kiosk, its token's hash and the latest state it reported."""

    __tablename__ = "kiosks"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(64), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_revoked: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    report_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    app_version: Mapped[str] = mapped_column(String(64), default="")
    release: Mapped[int | None] = mapped_column(Integer, nullable=True)
    uptime_s: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    energy_state: Mapped[str] = mapped_column(String(256), default="")
    power_w: Mapped[float | None] = mapped_column(Float, nullable=True)
    energy_today_wh: Mapped[float | None] = mapped_column(Float, nullable=True)
    energy_total_wh: Mapped[float | None] = mapped_column(Float, nullable=True)
    reading_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    clock_skew_s: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # its clock ahead by
    doubt: Mapped[str] = mapped_column(Text, default="")  # why its latest reading was not believed
    screenshot_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    screenshot_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Report(Base):
    """A heartbeat as received: the per-kiosk history. ``event_id`` makes a resend harmless."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("kiosk_id", "event_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    received: Mapped[datetime] = mapped_column(UtcDateTime)
    app_version: Mapped[str] = mapped_column(String(64), default="")
    release: Mapped[int | None] = mapped_column(Integer, nullable=True)
    uptime_s: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    energy_state: Mapped[str] = mapped_column(String(256), default="")
    power_w: Mapped[float | None] = mapped_column(Float, nullable=True)
    energy_today_wh: Mapped[float | None] = mapped_column(Float, nullable=True)
    energy_total_wh: Mapped[float | None] = mapped_column(Float, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")


class KioskEvent(Base):
    """Proof of play and interactions (which section, how long, which language)."""

    __tablename__ = "kiosk_events"
    __table_args__ = (UniqueConstraint("kiosk_id", "event_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    section: Mapped[str] = mapped_column(String(64), default="")
    item: Mapped[str] = mapped_column(String(128), default="")
    seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="")


class User(Base):
    """An administrator of the web console; the password is kept as a PBKDF2 hash."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created: Mapped[datetime] = mapped_column(UtcDateTime)


class WebSession(Base):
    """A console login: the cookie holds a random id, the table its hash and the CSRF token."""

    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(UtcDateTime)
    expires: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class MediaFile(Base):
    """A file in a channel's media library: its blob (by sha256) and what it was found to be."""

    __tablename__ = "media_files"
    __table_args__ = (UniqueConstraint("channel_id", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))  # icon | image | video | poster | subtitles
    name: Mapped[str] = mapped_column(String(128))  # the uploaded file's name, cleaned: shown, never a path
    media_type: Mapped[str] = mapped_column(String(64))
    codec: Mapped[str | None] = mapped_column(String(40), nullable=True)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    frame_rate: Mapped[float | None] = mapped_column(Float, nullable=True)
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WorkingCopy(Base):
    """A channel's content as the console edits it (manifest shape, media as sha256), not yet a draft.

    ``base_release`` is the release it was taken from, so the console can warn when the channel moved on;
    ``draft_id`` the pending draft it was reopened from, which proposing it again supersedes.
    """

    __tablename__ = "working_copies"
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    document: Mapped[str] = mapped_column(Text)  # JSON
    base_release: Mapped[int] = mapped_column(Integer, default=0)
    draft_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(128), default="")
