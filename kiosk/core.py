"""The kiosk's core services built from settings, shared by the UI (main.py) and kioskctl."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Settings
from kiosk.content.library import ContentLibrary
from kiosk.content.model import Content
from kiosk.energy.reading import EnergyReading
from kiosk.energy.service import EnergyService
from kiosk.errors import ConfigError, SourceError
from kiosk.logsetup import recent_problems
from kiosk.remote_settings import (
    RemoteSettings,
    effective_settings,
    restart_reasons,
    save_session_display,
)
from kiosk.status import KioskStatus, app_version, disk_space, read_state
from kiosk.store.db import Store, open_store
from kiosk.wire import APP_VERSION_MAX, ENERGY_STATE_MAX, LAST_ERROR_MAX, Heartbeat, new_id

if TYPE_CHECKING:
    from kiosk.content.sync_service import ContentSyncService
    from kiosk.fleet import Reporter

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
    reporter: Reporter | None = None
    """Heartbeats and events to the central server (not started: the UI starts it); None without one."""
    started: float = field(default_factory=time.monotonic)
    problems: list[str] = field(default_factory=list)
    """Configuration and token problems the kiosk started in spite of (shown on the admin screen)."""
    safe_mode: bool = False
    """Started after repeated quick crashes: content sync, push and reports to the central server off."""
    local_settings: Settings | None = None
    """The config file's own values, before the release's ``[[settings]]`` (None: same as settings)."""
    remote: RemoteSettings | None = None
    """Which keys of ``settings`` came from the active release."""
    started_settings: Settings | None = None
    """The settings the kiosk started with (None: ``settings``): what ``restart_reasons`` compares."""

    def refresh_settings(self, content: Content | None = None) -> bool:
        """Recompute the settings after a release switch (``content``: the new active release); True when
        they changed. The UI applies display values and the PIN at once; energy sources on the next start.
        """
        local = self.local_settings or self.settings
        settings, remote = effective_settings(local, content or self.content.active())
        changed = settings != self.settings
        self.settings, self.remote = settings, remote
        if changed:
            save_session_display(self.data_dir, remote, settings)
        return changed

    def restart_reasons(self) -> list[str]:
        """Settings of the active release that differ from those the kiosk started with and apply only at
        start (rotation, output, energy source): the UI restarts the kiosk for them when nobody uses it."""
        return restart_reasons(self.started_settings or self.settings, self.settings)

    def heartbeat(self) -> Heartbeat:
        """One heartbeat for the central server (reads the store: not on the GUI thread)."""
        energy = self.energy.current()
        state = energy.short_state if not energy.error else f"{energy.short_state}: {energy.error}"
        problems = recent_problems.latest(1)
        return Heartbeat(
            id=new_id(),
            at=datetime.now(UTC),
            app_version=app_version()[:APP_VERSION_MAX],
            release=self.content.active().release,
            uptime_s=int(time.monotonic() - self.started),
            energy_state=state[:ENERGY_STATE_MAX],
            power_w=energy.power_w,
            energy_today_wh=energy.energy_today_wh,
            energy_total_wh=energy.energy_total_wh,
            reading_at=energy.read_at,
            last_error=problems[0][:LAST_ERROR_MAX] if problems else "",
        )

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
            startup_problems=list(self.problems),
            safe_mode=self.safe_mode,
            disk=_disk_line(self.data_dir),
            remote_settings=self.remote.describe() if self.remote else "",
            **self._report_status(),
        )

    def _report_status(self) -> dict[str, Any]:
        if self.reporter is None:
            return {}
        last = self.reporter.last_result
        return {
            "reports_configured": True,
            "reports_last": None if last is None else f"{last.at:%Y-%m-%d %H:%M:%S %Z} · {last.message}",
            "reports_waiting": self.reporter.outbox.count(),
        }

    def close(self) -> None:
        if self.sync is not None:
            self.sync.stop()
        if self.reporter is not None:
            self.reporter.close()
        self.store.close()


def _disk_line(data_dir: Path) -> str:
    try:
        return disk_space(data_dir).describe()
    except OSError as exc:
        return f"cannot read the free space of {data_dir}: {exc.strerror or exc}"


def open_core(
    settings: Settings, data_dir: Path, *, safe_mode: bool = False, problems: list[str] | None = None
) -> KioskCore:
    """Open the store (migrating or repairing it), install demo content if needed, build the services.

    A token, energy source or content key that is wrong does not stop the kiosk: the part that needs it
    stays off (or shows its error) and the reason goes to ``problems``. ``safe_mode`` leaves every
    network subsystem off (sync, push, reports) after repeated crashes.
    """
    problems = [] if problems is None else problems
    store = open_store(data_dir)
    library = ContentLibrary(store, data_dir / "blobs")
    library.ensure_demo_release()
    local = settings
    settings, remote = effective_settings(local, library.active())
    central = settings.central
    token = None
    if central.url and not safe_mode:  # imported here: requests costs start-up time otherwise
        from kiosk.fleet import read_kiosk_token

        try:
            token = read_kiosk_token(settings)
        except ConfigError as exc:
            _problem(problems, f"{exc}; no reports to the central server until it is fixed")
    try:
        energy = EnergyService.from_settings(settings, store, central_token=token)
    except ConfigError as exc:
        _problem(problems, str(exc))
        source = UnavailableSource(settings.energy.source, str(exc))
        energy = EnergyService.from_settings(settings, store, source=source)
    network = None
    if not safe_mode:
        network = EnergyService.network_from_settings(settings, store, central_token=token)
    sync = None
    if settings.content.url and not safe_mode:
        sync = _content_sync(settings, store, data_dir, library, token, problems)
    core = KioskCore(
        settings, data_dir, store, library, energy, network, sync, local_settings=local, remote=remote
    )
    core.started_settings = settings
    save_session_display(data_dir, remote, settings)
    core.problems, core.safe_mode = problems, safe_mode
    if token is not None:
        from kiosk.fleet import Reporter
        from kiosk.outbox import Outbox

        core.reporter = Reporter(
            Outbox(store),
            central.url,
            token,
            core.heartbeat,
            heartbeat_seconds=central.heartbeat_seconds,
        )
    return core


def _content_sync(
    settings: Settings,
    store: Store,
    data_dir: Path,
    library: ContentLibrary,
    token: str | None,
    problems: list[str],
) -> ContentSyncService | None:
    """The sync (and push) for ``[content] url``; None, with the reason in ``problems``, if it cannot be."""
    # imported here: requests and cryptography cost start-up time otherwise
    from kiosk.content.sync import ContentSync
    from kiosk.content.sync_service import ContentSyncService

    try:
        engine = ContentSync.from_settings(settings, store, data_dir)
    except ConfigError as exc:
        _problem(problems, f"{exc}; showing the content already here, no sync until it is fixed")
        return None
    sync = ContentSyncService(engine, settings.content.poll_seconds)
    central = settings.central
    if token is not None and central.push and central.serves(settings.content.url):
        from kiosk.content.push import PushClient

        sync.push = PushClient(
            f"{settings.content.url.rstrip('/')}/events",
            token,
            lambda: library.active().release,
            sync.sync_now,
        )
    return sync


def _problem(problems: list[str], message: str) -> None:
    log.error("Config problem: %s", message)
    problems.append(message)


class UnavailableSource:
    """Stands in for an energy source the config cannot describe: every read says why, in words."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    def read(self) -> EnergyReading:
        raise SourceError(self.reason)
