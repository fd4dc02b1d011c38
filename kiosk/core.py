"""The kiosk's core services built from settings, shared by the UI (main.py) and kioskctl."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Settings
from kiosk.content.library import ContentLibrary
from kiosk.energy.service import EnergyService, make_source
from kiosk.store.db import Store, open_store

log = logging.getLogger(__name__)


@dataclass
class KioskCore:
    """Everything below the UI: settings, store, content library and energy service."""

    settings: Settings
    data_dir: Path
    store: Store
    content: ContentLibrary
    energy: EnergyService

    def close(self) -> None:
        self.store.close()


def open_core(settings: Settings, data_dir: Path) -> KioskCore:
    """Open the store (migrating or repairing it), install demo content if needed, build the services."""
    store = open_store(data_dir)
    library = ContentLibrary(store, data_dir / "blobs")
    library.ensure_demo_release()
    source = make_source(settings.energy)
    energy = EnergyService(source, store, rated_power_w=settings.energy.rated_power_w)
    return KioskCore(settings, data_dir, store, library, energy)
