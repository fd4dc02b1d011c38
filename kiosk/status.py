"""What the admin screen and ``kioskctl status`` report about a kiosk, gathered in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import metadata
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
