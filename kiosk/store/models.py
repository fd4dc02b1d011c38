"""The kiosk's tables: what it must remember across restarts and network outages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Float, Index, Integer, String, Text
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
