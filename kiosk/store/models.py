"""The kiosk's tables: what it must remember across restarts and network outages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Dialect, Float, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and gives them back aware (SQLite itself keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base of every kiosk table."""


class ContentRelease(Base):
    """One complete content release the kiosk holds; exactly one is active at a time.

    ``document`` is the release's content as JSON, with media named by reference
    (``demo:<path>`` for bundled files, ``blob:<sha256>`` for cached blobs).
    """

    __tablename__ = "content_release"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_number: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16))
    document: Mapped[str] = mapped_column(Text)
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    active: Mapped[bool] = mapped_column(default=False)


class KioskState(Base):
    """Small named values that must survive a restart (last sync result, counters …), as JSON."""

    __tablename__ = "kiosk_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class EnergyReadingRow(Base):
    """A raw reading as a source reported it (kept for a limited time)."""

    __tablename__ = "energy_reading"
    __table_args__ = (Index("ix_energy_reading_read_at", "read_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UtcDateTime())
    source: Mapped[str] = mapped_column(String(32))
    power_w: Mapped[float] = mapped_column(Float)
    energy_total_wh: Mapped[float | None] = mapped_column(Float, nullable=True)
    energy_today_wh: Mapped[float | None] = mapped_column(Float, nullable=True)


class EnergyBucketRow(Base):
    """Average power of one source over one 5-minute slot (kept 400 days): today's curve and history.

    ``start_ts`` is the slot's start in Unix seconds; every time zone offset is a multiple of 15 minutes,
    so UTC-aligned slots are also aligned in the centre's local time. A compact WITHOUT ROWID table,
    because a year holds about 105,000 of these rows.
    """

    __tablename__ = "energy_bucket"
    __table_args__ = (PrimaryKeyConstraint("source", "start_ts"), {"sqlite_with_rowid": False})

    source: Mapped[str] = mapped_column(String(32))
    start_ts: Mapped[int] = mapped_column(Integer)
    power_sum_w: Mapped[float] = mapped_column(Float)
    samples: Mapped[int] = mapped_column(Integer)


class EnergyDayRow(Base):
    """Energy one source generated on one centre-local day (kept forever): the daily bars and totals."""

    __tablename__ = "energy_day"
    __table_args__ = (PrimaryKeyConstraint("source", "day"),)

    source: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    energy_wh: Mapped[float] = mapped_column(Float)
    peak_w: Mapped[float] = mapped_column(Float)


class OutboxRow(Base):
    """A heartbeat or a play event waiting to be sent to the central server (deleted once it has it).

    ``event_id`` travels with the record: the server skips an id it already holds, so resending after
    a lost answer never counts anything twice. ``payload`` is the record's JSON as sent.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(UtcDateTime())
