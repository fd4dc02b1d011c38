"""What the admin screen and ``kioskctl status`` report about a kiosk, gathered in one place."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kiosk.energy.service import EnergySnapshot
from kiosk.store.db import Store
from kiosk.store.models import KioskState


def app_version() -> str:
    """The installed package version (one place: pyproject.toml)."""
    try:
        return metadata.version("green-kiosk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


DISK_RESERVE_BYTES = 64 * 1024 * 1024
DISK_RESERVE_FRACTION = 0.05
"""Free space the kiosk never fills with downloads, so the database, its WAL and the logs can still be
written: 64 MB, or 5 % of a smaller disk."""


@dataclass(frozen=True)
class DiskSpace:
    """Free space on the file system holding the kiosk's data, against the reserve it keeps."""

    folder: Path
    free_bytes: int
    total_bytes: int
    reserve_bytes: int

    @property
    def full(self) -> bool:
        return self.free_bytes < self.reserve_bytes

    def describe(self) -> str:
        """One line for the admin screen, ``kioskctl status`` and ``doctor``."""
        free = f"{self.free_bytes / 1_000_000:,.1f} MB free of {self.total_bytes / 1_000_000:,.1f} MB"
        if self.full:
            return (
                f"disk full: {free} in {self.folder}, below the {self.reserve_bytes / 1_000_000:,.1f} MB "
                "kept free; content downloads wait until space is freed"
            )
        return f"{free} in {self.folder}"


def disk_space(folder: Path, reserve_bytes: int | None = None) -> DiskSpace:
    """The free space where ``folder`` is (or would be: its nearest existing parent); the reserve is
    :data:`DISK_RESERVE_BYTES`, or :data:`DISK_RESERVE_FRACTION` of a smaller disk, unless given."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    usage = shutil.disk_usage(existing)
    if reserve_bytes is None:
        reserve_bytes = min(DISK_RESERVE_BYTES, int(usage.total * DISK_RESERVE_FRACTION))
    return DiskSpace(folder, usage.free, usage.total, reserve_bytes)


def read_state(store: Store, key: str) -> Any:
    """A value saved with :func:`write_state`, or None."""
    with store.session() as session:
        row = session.scalars(select(KioskState).where(KioskState.key == key)).first()
        return json.loads(row.value) if row else None


@dataclass(frozen=True)
class KioskStatus:
    """A snapshot of the kiosk for people who look after it."""

    version: str
    kiosk_id: str
    centre: str
    release: int
    content_origin: str
    last_sync: str | None
    last_result: str | None
    energy: EnergySnapshot
    recent_problems: list[str] = field(default_factory=list)
    reports_configured: bool = False  # a [central] server takes this kiosk's reports
    reports_last: str | None = None  # when the outbox was last sent, and how that went
    reports_waiting: int = 0  # heartbeats and events queued for the server
    startup_problems: list[str] = field(default_factory=list)  # config/token problems started in spite of
    safe_mode: bool = False  # started after repeated quick crashes, network subsystems off
    disk: str = ""  # free space on the data disk, "disk full: …" when below the reserve
    remote_settings: str = ""  # which settings came from the active release ("settings from release 12: …")
