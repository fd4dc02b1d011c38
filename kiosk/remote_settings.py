"""The settings a kiosk runs with: its local file, overridden by the signed release's ``[[settings]]``.

Computed again whenever the active release changes, so a release (or a rollback) carries its settings
with it; ``[kiosk] remote_settings = false`` in the local file keeps the file's values alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.config import Settings, apply_overrides
from kiosk.content.model import Content
from kiosk.content.overrides import effective_overrides

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RemoteSettings:
    """Which keys the active release set for this kiosk, for the admin screen and ``kioskctl status``."""

    release: int
    keys: tuple[str, ...] = ()
    disabled: bool = False

    def describe(self) -> str:
        if self.disabled:
            return "off ([kiosk] remote_settings = false): the local file only"
        if not self.keys:
            return f"none in release {self.release}: the local file only"
        return f"settings from release {self.release}: {', '.join(self.keys)}"


def effective_settings(local: Settings, content: Content) -> tuple[Settings, RemoteSettings]:
    """``local`` with the release's entries for this kiosk applied (every kiosk, its centre, then itself)."""
    if not local.kiosk.remote_settings:
        return local, RemoteSettings(content.release, disabled=True)
    overrides, keys = effective_overrides(content.settings, local.kiosk.id, local.kiosk.centre)
    if not keys:
        return local, RemoteSettings(content.release)
    log.info("Settings from release %s: %s", content.release, ", ".join(keys))
    return apply_overrides(local, overrides), RemoteSettings(content.release, tuple(keys))
