"""The kiosk's core services built from settings, shared by the UI (main.py) and kioskctl."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Settings
from kiosk.content.library import ContentLibrary
from kiosk.energy.service import EnergyService
from kiosk.logsetup import recent_problems
from kiosk.status import KioskStatus, app_version, read_state
from kiosk.store.db import Store, open_store

if TYPE_CHECKING:
    from kiosk.content.sync_service import ContentSyncService

log = logging.getLogger(__name__)


@dataclass
class KioskCore:
    """Everything below the UI: settings, store, content library and energy service."""

    settings: Settings
    data_dir: Path
    store: Store
    content: ContentLibrary
    energy: EnergyService
    network: EnergyService | None = None
    sync: ContentSyncService | None = None
    """The content sync (not started: the UI starts it); None when ``[content] url`` is empty."""

    def status(self) -> KioskStatus:
        """What the admin screen shows (reads the store: call it off the hot path)."""
        content = self.content.active()
        last_sync = read_state(self.store, "last_sync")
        last_result = read_state(self.store, "last_result")
        return KioskStatus(
            version=app_version(),
            kiosk_id=self.settings.kiosk.id,
            centre=self.settings.kiosk.centre,
            release=content.release,
            content_origin=content.origin,
            last_sync=None if last_sync is None else str(last_sync),
            last_result=None if last_result is None else str(last_result),
            energy=self.energy.current(),
            recent_problems=recent_problems.latest(10),
        )

    def close(self) -> None:
        if self.sync is not None:
            self.sync.stop()
        self.store.close()


def open_core(settings: Settings, data_dir: Path) -> KioskCore:
    """Open the store (migrating or repairing it), install demo content if needed, build the services."""
    store = open_store(data_dir)
    library = ContentLibrary(store, data_dir / "blobs")
    library.ensure_demo_release()
    energy = EnergyService.from_settings(settings, store)
    network = EnergyService.network_from_settings(settings, store)
    sync = None
    if settings.content.url:  # imported here: requests and cryptography cost start-up time otherwise
        from kiosk.content.sync import ContentSync
        from kiosk.content.sync_service import ContentSyncService

        engine = ContentSync.from_settings(settings, store, data_dir)
        sync = ContentSyncService(engine, settings.content.poll_seconds)
    return KioskCore(settings, data_dir, store, library, energy, network, sync)
