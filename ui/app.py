"""Building the Qt application: shipped fonts, translations and the main window over the core."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QProcess, Qt, QThreadPool
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.admin_pin import PinGuard
from kiosk.content.model import Content
from kiosk.core import KioskCore
from kiosk.display_power import DisplayPower
from kiosk.paths import RESOURCES_DIR
from kiosk.schedule import DisplayHours
from ui.admin import AdminAccess
from ui.attract import AttractLoop, IdleWatcher
from ui.bridge import BackgroundJob, ContentFeed, EnergyFeed, PlayRecorder, ScreenshotTaker, StatusFeed
from ui.i18n import LanguageController
from ui.kiosk_lock import KioskLock
from ui.main_window import MainWindow
from ui.theme import FONT_FILES

if TYPE_CHECKING:
    from kiosk.fleet import Reporter

log = logging.getLogger(__name__)

RESTART_EXIT_CODE = 75
"""Restart under systemd: exit with this (EX_TEMPFAIL); ``Restart=always`` starts the kiosk again."""


def under_service() -> bool:
    """Whether systemd runs the kiosk as a service (the package's cage session): no desktop to exit to,
    and every exit is followed by a restart."""
    return bool(os.environ.get("INVOCATION_ID"))


def create_application(argv: list[str]) -> QApplication:
    """The QApplication with the shipped Noto Sans as the default font (Azerbaijani and Cyrillic)."""
    existing = QApplication.instance()
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("Green Kiosk")
    app.setOrganizationName("ASAN xidmət")
    load_fonts()
    font = QFont("Noto Sans")
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    return app


def load_fonts() -> list[str]:
    """Register the fonts in resources/fonts; returns the family names Qt found."""
    families: list[str] = []
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(RESOURCES_DIR / "fonts" / name))
        if font_id < 0:
            log.error("Font %s could not be loaded; text may fall back to a system font", name)
            continue
        families += QFontDatabase.applicationFontFamilies(font_id)
    return families


class KioskApp:
    """The running kiosk: feeds from the core, the main window, idle/attract, kiosk lock, admin access."""

    def __init__(self, core: KioskCore, *, clock: Callable[[], datetime] | None = None) -> None:
        self.core = core
        settings = core.settings
        self.display_power = DisplayPower(settings.display)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.languages = LanguageController(settings.display.language)
        self.languages.set_language(self.languages.default)
        self.content = ContentFeed(core.content)
        self.status = StatusFeed(core.status)
        self.energy = EnergyFeed(core.energy, settings.energy.poll_seconds)
        self.network = (
            EnergyFeed(core.network, max(settings.energy.poll_seconds, 30.0)) if core.network else None
        )
        hours = DisplayHours.parse(settings.display.open_hours, list(settings.display.open_weekdays))
        self.window = MainWindow(
            self.languages,
            self.content,
            self.energy,
            timezone=settings.kiosk.timezone,
            centre=settings.kiosk.centre,
            display_hours=hours,
            clock=self.clock,
            unmute_seconds=settings.display.unmute_seconds,
        )
        self.content.reload()  # the first release is read in the thread pool and shown when it arrives
        if self.network is not None:
            self.network.updated.connect(self.window.energy_section.show_network)
        self.idle = IdleWatcher(settings.display.idle_seconds)
        self.idle.idle.connect(self.go_idle)
        self.idle.woke.connect(self.wake)
        self.attract = AttractLoop(self.window.show_attract_step)
        self.lock = KioskLock()
        guard = PinGuard(settings.admin.pin_hash, clock=self.clock)
        self.admin = AdminAccess(self.window, guard, self.status)
        self.admin.screen.reload_requested.connect(self.content.reload)
        self.content.changed.connect(self.apply_release_settings)
        self.content.changed.connect(self.follow_attract_plan)
        if core.sync is not None:
            self.content.watch(core.sync)
            self.admin.screen.sync_requested.connect(core.sync.sync_now)
        self.admin.screen.exit_requested.connect(self.exit_to_desktop)
        self.admin.screen.set_exit_available(not under_service())
        self.admin.screen.restart_requested.connect(self.restart)
        self._display_asleep = False
        self._restart_for: list[str] = []
        self.window.ticked.connect(self.apply_display_hours)
        self.play: PlayRecorder | None = None
        self.screenshots = ScreenshotTaker(self.window)
        if core.reporter is not None:
            self._report_to(core.reporter)

    def _report_to(self, reporter: Reporter) -> None:
        """Proof of play and screenshots for the central server."""
        play = self.play = PlayRecorder(reporter, self.window.current_section(), self.languages.current)
        self.window.section_changed.connect(play.section_shown)
        services = self.window.services_section
        services.pages.currentChanged.connect(
            lambda _i: play.service_shown(
                services.page.service.id if services.showing_page() and services.page.service else ""
            )
        )
        video = self.window.video_section
        video.player.video_changed.connect(lambda path: play.video_shown(video.video_id(path)))
        if video.player.current is not None:
            play.video_shown(video.video_id(str(video.player.current)))
        self.languages.changed.connect(play.language_changed)
        reporter.screenshot_provider = self.screenshots.take

    def start(self, *, locked: bool = False) -> None:
        """Begin polling, watching for idleness and (full screen) refusing exit keys."""
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self.idle)
        app.installEventFilter(self.lock)
        self.lock.locked = locked
        self.window.locked = locked
        self.energy.start()
        if self.network is not None:
            self.network.start()
        if self.core.sync is not None:
            self.core.sync.start()
        if self.core.reporter is not None:
            self.core.reporter.start()
        self.idle.start()
        self.apply_display_hours()

    def stop(self) -> None:
        if self.play is not None:
            self.play.finish()
        if self.core.reporter is not None:
            self.core.reporter.screenshot_provider = None
        self.energy.stop()
        if self.network is not None:
            self.network.stop()
        self.attract.stop()
        self.idle.stop()
        self.window.video_section.player.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            app.removeEventFilter(self.lock)

    # --- idle, attract loop and display hours -----------------------------------------------------
    def go_idle(self) -> None:
        """Nobody has touched the kiosk: back to Azerbaijani, standard view, and the attract loop."""
        if self.admin.is_open():
            self.admin.close()
        self.languages.reset()
        self.window.set_accessible(False)
        self.window.services_section.show_list()
        plan = self.content.content.attract
        self.attract.set_plan(plan.sequence, dict(plan.seconds))
        if not self.window.screen_should_be_on():
            self._set_display_asleep(True)
        else:
            self.attract.start()
        self._restart_if_idle()

    def follow_attract_plan(self, content: Content) -> None:
        """A release's attract loop applies at once: an untouched lobby kiosk, already idle, would otherwise
        keep the old loop until someone touched it."""
        plan = content.attract
        if (tuple(plan.sequence), dict(plan.seconds)) == (self.attract.sequence, self.attract.seconds):
            return
        self.attract.set_plan(plan.sequence, dict(plan.seconds))
        if self.attract.running:
            log.info("Release %d changed the attract loop: starting it again", content.release)
            self.attract.start()

    def wake(self) -> None:
        self.attract.stop()
        self._set_display_asleep(False)

    def apply_display_hours(self) -> None:
        """Outside opening hours an idle kiosk goes black; a touch wakes it until it is idle again."""
        if self.idle.asleep and not self.window.screen_should_be_on():
            self.attract.stop()
            self._set_display_asleep(True)
        elif self._display_asleep and self.window.screen_should_be_on():
            self._set_display_asleep(False)
            if self.idle.asleep:
                self.attract.start()

    def _set_display_asleep(self, asleep: bool) -> None:
        if asleep == self._display_asleep:
            return
        self._display_asleep = asleep
        self.window.set_screen_off(asleep)
        log.info("Screen %s (opening hours)", "off" if asleep else "on")
        QThreadPool.globalInstance().start(BackgroundJob(lambda: self.display_power.request(not asleep)))

    def apply_release_settings(self, content: Content) -> None:
        """A new active release may carry other [[settings]]: display values and the PIN apply now."""
        if not self.core.refresh_settings(content):
            return
        settings = self.core.settings
        self.languages.default = settings.display.language
        if self.idle.asleep:
            self.languages.reset()
        self.idle.set_idle_seconds(settings.display.idle_seconds)
        self.window.video_section.unmute_seconds = settings.display.unmute_seconds
        self.window.display_hours = DisplayHours.parse(
            settings.display.open_hours, list(settings.display.open_weekdays)
        )
        self.admin.guard.stored_hash = settings.admin.pin_hash
        self.apply_display_hours()
        self._plan_restart()

    def _plan_restart(self) -> None:
        """Rotation, output and energy source apply only at start: under the service, restart for them the
        next time nobody uses the kiosk (at once if it is idle now); run by hand, say so and go on."""
        reasons = self.core.restart_reasons()
        if reasons == self._restart_for:
            return
        self._restart_for = reasons
        if not reasons:
            return
        if not under_service():
            log.warning("The release changed %s: applied when the kiosk next starts", ", ".join(reasons))
            return
        log.info("The release changed %s: restarting when nobody uses the kiosk", ", ".join(reasons))
        self._restart_if_idle()

    def _restart_if_idle(self) -> None:
        if self._restart_for and under_service() and self.idle.asleep and not self.admin.is_open():
            log.info("Restarting for the new settings: %s", ", ".join(self._restart_for))
            QCoreApplication.exit(RESTART_EXIT_CODE)

    # --- admin actions ----------------------------------------------------------------------------
    def exit_to_desktop(self) -> None:
        log.info("Exit to desktop requested from the admin screen")
        QCoreApplication.exit(0)

    def restart(self) -> None:
        """Under systemd exit for the service to start the kiosk again (one process, never two);
        run by hand, start a new copy of itself and exit."""
        if under_service():
            log.info("Restart requested from the admin screen: exiting for systemd to start the kiosk again")
            QCoreApplication.exit(RESTART_EXIT_CODE)
            return
        log.info("Restart requested from the admin screen")
        QProcess.startDetached(sys.executable, sys.argv)
        QCoreApplication.exit(0)
