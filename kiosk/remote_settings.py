"""The settings a kiosk runs with: its local file, overridden by the signed release's ``[[settings]]``.

Computed again whenever the active release changes, so a release (or a rollback) carries its settings
with it; ``[kiosk] remote_settings = false`` in the local file keeps the file's values alone.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.atomic_file import write_atomically
from kiosk.config import Settings, apply_overrides, check_overrides
from kiosk.content.model import Content
from kiosk.content.overrides import effective_overrides
from kiosk.errors import ConfigError

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


SESSION_DISPLAY = "session-display.json"
"""In the data dir: the ``[display] rotation`` and ``output`` the release set, for ``kioskctl session``,
which starts cage (and rotates it with ``-r`` on Debian 12) before the kiosk has read any release."""
SESSION_KEYS = ("rotation", "output")
_SESSION_DISPLAY_MAX = 4096


def restart_reasons(before: Settings, after: Settings) -> list[str]:
    """The changed settings that take effect only when the kiosk starts again: the screen's rotation and
    output (set by the session before the window opens) and the energy source (connected at start)."""
    reasons = [
        f"display.{key}"
        for key in SESSION_KEYS
        if getattr(before.display, key) != getattr(after.display, key)
    ]
    if before.energy != after.energy:
        reasons.append("energy")
    return reasons


def save_session_display(data_dir: Path, remote: RemoteSettings | None, settings: Settings) -> None:
    """Remember the release's rotation and output for the next session; no file when it sets neither."""
    keys = remote.keys if remote is not None else ()
    values = {key: getattr(settings.display, key) for key in SESSION_KEYS if f"display.{key}" in keys}
    path = data_dir / SESSION_DISPLAY
    try:
        if not values:
            path.unlink(missing_ok=True)
            return
        text = json.dumps(values, sort_keys=True).encode()
        if path.is_file() and path.read_bytes() == text:
            return
        write_atomically(path, text)
    except OSError as exc:
        log.warning("Cannot save %s (the session keeps the local rotation): %s", path, exc)


def session_settings(local: Settings, data_dir: Path) -> Settings:
    """``local`` with the rotation and output the last release set (``save_session_display``), checked as
    the config file's own; a missing, unreadable or wrong file leaves the local values, with a warning."""
    path = data_dir / SESSION_DISPLAY
    if not local.kiosk.remote_settings or not path.is_file():
        return local
    try:
        with path.open("rb") as handle:
            data = handle.read(_SESSION_DISPLAY_MAX + 1)
        if len(data) > _SESSION_DISPLAY_MAX:
            raise ConfigError(f"larger than {_SESSION_DISPLAY_MAX} bytes")
        raw = json.loads(data)
        if not isinstance(raw, dict) or not set(raw) <= set(SESSION_KEYS):
            raise ConfigError(f"expected an object with {' and '.join(SESSION_KEYS)}")
        values = check_overrides("display", raw, str(path))
    except (OSError, ValueError, ConfigError) as exc:
        log.warning("Ignoring %s (the local rotation and output apply): %s", path, exc)
        return local
    return apply_overrides(local, {"display": values})
