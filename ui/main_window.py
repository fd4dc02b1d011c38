"""The kiosk shell: header with brand, clock, accessibility and language; sections; bottom navigation.

Overlays live in one stack above the sections: an emergency announcement, the admin PIN pad and the admin
screen; a black layer covers everything outside opening hours. Info and warning announcements are bands
above the sections, so the kiosk stays usable under them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QIcon, QMouseEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.content.model import Announcement, Content, Service, Video
from kiosk.energy.service import EnergySnapshot
from kiosk.paths import RESOURCES_DIR
from kiosk.schedule import DisplayHours, active_announcements, visible_services, visible_videos
from ui import formatting
from ui.bridge import ContentFeed, EnergyFeed
from ui.i18n import LanguageController
from ui.sections.base import Section
from ui.sections.energy import EnergySection
from ui.sections.services import ServicesSection
from ui.sections.video import VideoSection
from ui.theme import Metrics, stylesheet
from ui.widgets.announcement import AnnouncementView
from ui.widgets.announcement_band import AnnouncementBand
from ui.widgets.language_switch import LanguageSwitch
from ui.widgets.nav_bar import NavBar
from ui.widgets.page_stack import PageStack

log = logging.getLogger(__name__)

SECTION_KEYS = ["energy", "video", "services"]
ADMIN_HOLD_MS = 3000


class LongPressLabel(QLabel):
    """A label that reports a press held for ``hold_ms`` (the hidden admin gesture on the logo)."""

    long_pressed = Signal()

    def __init__(self, hold_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self.long_pressed)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._timer.start()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._timer.stop()
        super().mouseReleaseEvent(event)


class MainWindow(QWidget):
    """One full-screen window; everything a visitor sees lives inside it."""

    admin_gesture = Signal()
    ticked = Signal()  # after each tick: time-driven work elsewhere (opening hours) follows the same beat
    section_changed = Signal(str)  # the key of the section now on screen

    def __init__(
        self,
        languages: LanguageController,
        content: ContentFeed,
        energy: EnergyFeed,
        *,
        timezone: str = "Asia/Baku",
        centre: str = "",
        display_hours: DisplayHours | None = None,
        clock: Callable[[], datetime] | None = None,
        unmute_seconds: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("KioskRoot")
        self.setWindowTitle("Green Kiosk — ASAN xidmət")
        self.languages = languages
        self.content_feed = content
        self.content: Content = content.content
        self.energy_feed = energy
        self.timezone = ZoneInfo(timezone)
        self.centre = centre
        self.display_hours = display_hours or DisplayHours.parse("", [])
        self.clock = clock or (lambda: datetime.now(UTC))
        self.metrics: Metrics | None = None
        self.large_text = False
        self.high_contrast = False
        self.locked = False
        self.announcement: Announcement | None = None
        """The emergency that takes the whole screen now, if any."""
        self.banded: tuple[Announcement, ...] = ()
        """The info and warning announcements shown as bands now, most urgent first."""
        self.featured: tuple[Service, ...] = ()
        self._featured_index = -1
        self._visible: tuple[tuple[Service, ...], tuple[Video, ...]] = ((), ())
        """The services and videos on screen: rebuilt only when they change, not for every release."""
        self._portrait: bool | None = None

        self._build_header()
        self._build_body()
        if unmute_seconds is not None:
            self.video_section.unmute_seconds = unmute_seconds
        self.screen_off = QWidget(self)
        self.screen_off.setObjectName("ScreenOff")
        self.screen_off.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.screen_off.hide()

        energy.updated.connect(self._on_energy)
        energy.history_updated.connect(self.energy_section.show_history)
        content.changed.connect(self._on_content)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(15_000)
        self._tick_timer.timeout.connect(self.tick)
        self._tick_timer.start()

        self._on_content(self.content)
        self.show_section("energy")

    # --- construction -----------------------------------------------------------------------------
    def _build_header(self) -> None:
        self.header = QWidget(self)
        self.header.setObjectName("Header")
        self.header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.logo = LongPressLabel(ADMIN_HOLD_MS, self.header)
        self.logo.long_pressed.connect(self.admin_gesture)
        self.brand_name = QLabel("ASAN xidmət", self.header)
        self.brand_name.setObjectName("BrandName")
        self.brand_tagline = QLabel(self.header)
        self.brand_tagline.setObjectName("BrandTagline")
        self.brand_tagline.setTextFormat(Qt.TextFormat.PlainText)  # the channel name comes from content
        brand_texts = QVBoxLayout()
        brand_texts.setSpacing(0)
        brand_texts.addWidget(self.brand_name)
        brand_texts.addWidget(self.brand_tagline)
        self.clock_label = QLabel(self.header)
        self.clock_label.setObjectName("Clock")
        self.access_button = QPushButton("Aa", self.header)
        self.access_button.setObjectName("AccessButton")
        self.access_button.setCheckable(True)
        self.access_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.access_button.toggled.connect(self.set_accessible)
        self.language_switch = LanguageSwitch(self.languages, self.header)
        self._header_row = row = QHBoxLayout(self.header)
        row.addWidget(self.logo)
        row.addLayout(brand_texts)
        row.addStretch(1)
        row.addWidget(self.clock_label)
        row.addWidget(self.access_button)
        row.addWidget(self.language_switch)

    def _build_body(self) -> None:
        self.energy_section = EnergySection(self.languages)
        self.energy_section.timezone = self.timezone
        self.video_section = VideoSection(self.languages)
        self.services_section = ServicesSection(self.languages, self.content_feed.library.resolve)
        self.sections: dict[str, Section] = {
            "energy": self.energy_section,
            "video": self.video_section,
            "services": self.services_section,
        }
        self.stack = PageStack(self)
        self.stack.setObjectName("Sections")
        self.stack.currentChanged.connect(lambda _index: self.section_changed.emit(self.current_section()))
        for key in SECTION_KEYS:
            self.stack.addWidget(self.sections[key])
        self.nav = NavBar(SECTION_KEYS, self)
        self.nav.section_chosen.connect(self.show_section)
        visitor = QWidget(self)
        visitor_layout = QVBoxLayout(visitor)
        visitor_layout.setContentsMargins(0, 0, 0, 0)
        visitor_layout.setSpacing(0)
        self.band = AnnouncementBand(visitor)
        visitor_layout.addWidget(self.band)
        visitor_layout.addWidget(self.stack, 1)
        visitor_layout.addWidget(self.nav)
        self.visitor_view = visitor
        self.announcement_view = AnnouncementView(self)
        self.overlays = PageStack(self)
        self.overlays.addWidget(visitor)
        self.overlays.addWidget(self.announcement_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.overlays, 1)

    def add_overlay(self, widget: QWidget) -> None:
        """Another full page above the sections (the admin PIN pad and screen).

        A page with ``apply_layout(metrics, portrait)`` is laid out like the sections are.
        """
        self.overlays.addWidget(widget)
        if self.metrics is not None:
            self._layout_overlay(widget, self.metrics, self.is_portrait())

    @staticmethod
    def _layout_overlay(widget: QWidget, metrics: Metrics, portrait: bool) -> None:
        apply_layout = getattr(widget, "apply_layout", None)
        if callable(apply_layout):
            apply_layout(metrics, portrait)

    def show_overlay(self, widget: QWidget | None) -> None:
        """Show an overlay page, or (None) the visitor view or the active announcement."""
        if widget is None:
            self.overlays.setCurrentWidget(self.announcement_view if self.announcement else self.visitor_view)
        else:
            self.overlays.setCurrentWidget(widget)

    # --- navigation -------------------------------------------------------------------------------
    def current_section(self) -> str:
        widget = self.stack.currentWidget()
        return next(key for key, section in self.sections.items() if section is widget)

    def show_section(self, key: str) -> None:
        if key == "services" and self.current_section() == "services":
            self.services_section.show_list()
        self.stack.setCurrentWidget(self.sections[key])
        self.nav.set_current(key)
        self.video_section.set_active(key == "video")

    def show_attract_step(self, step: str) -> bool:
        """Show one step of the attract loop; False when there is nothing to show for it."""
        if step == "featured":
            if not self.featured:
                return False
            self._featured_index = (self._featured_index + 1) % len(self.featured)
            self.show_section("services")
            self.services_section.open_service(self.featured[self._featured_index])
            return True
        if step == "video" and not self.video_section.has_video():
            return False
        self.show_section(step)
        if step == "services":
            self.services_section.show_list()
        return True

    # --- data from the core -----------------------------------------------------------------------
    def _on_energy(self, snapshot: EnergySnapshot) -> None:
        self.energy_section.show_snapshot(snapshot)

    def _on_content(self, content: Content) -> None:
        self.content = content
        self.tick()
        self.retranslate()

    def tick(self) -> None:
        """Apply what time changes: the clock, item schedules, announcements, opening hours."""
        now = self.clock()
        local = now.astimezone(self.timezone)
        content = self.content
        services = visible_services(content, self.centre, local)
        videos = visible_videos(content, self.centre, local)
        shown = (services, videos)
        if shown != self._visible:  # a release that only adds an announcement leaves the visitor's page
            self._visible = shown
            self.featured = tuple(s for s in services if s.featured)
            self._featured_index = -1
            poster = self.content_feed.library.resolve(videos[0].poster) if videos else None
            self.video_section.show_videos(
                videos, self.content_feed.library.resolve, QPixmap(str(poster)) if poster else QPixmap()
            )
            self.services_section.show_services(services)
            if self.metrics:
                self.services_section.apply_layout(self.metrics, self.is_portrait())
        self.show_announcements(active_announcements(content, self.centre, now))
        self._update_clock()
        self.ticked.emit()

    def show_announcements(self, live: tuple[Announcement, ...]) -> None:
        """An emergency takes the whole screen; warnings and infos are bands over the sections."""
        emergency = next((a for a in live if a.level == "emergency"), None)
        self.banded = tuple(a for a in live if a.level != "emergency")
        self.band.show_announcements(self.banded, self._language())
        self._show_announcement(emergency)

    def _show_announcement(self, announcement: Announcement | None) -> None:
        if announcement != self.announcement:
            self.announcement = announcement
            if announcement is not None:
                log.info("Emergency %s takes the whole screen until %s", announcement.id, announcement.ends)
                self.announcement_view.show_announcement(announcement, self._language())
            if self.overlays.currentWidget() in (self.visitor_view, self.announcement_view):
                self.show_overlay(None)

    def screen_should_be_on(self) -> bool:
        return self.display_hours.screen_on(self.clock().astimezone(self.timezone))

    def set_screen_off(self, off: bool) -> None:
        """Cover everything in black (outside opening hours) or uncover."""
        if off:
            self.screen_off.setGeometry(self.rect())
            self.screen_off.raise_()
            self.screen_off.show()
        else:
            self.screen_off.hide()

    def screen_is_off(self) -> bool:
        return self.screen_off.isVisible()

    # --- language, accessibility and layout ------------------------------------------------------
    def _language(self) -> str:
        return self.languages.current or self.languages.default

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        language = self._language()
        self.brand_tagline.setText(self.content.channel_name.get(language))
        for key, section in self.sections.items():
            self.nav.buttons[key].setText(section.nav_label())
        self.access_button.setToolTip(self.tr("Large text and high contrast"))
        self.access_button.setAccessibleName(self.tr("Large text and high contrast"))
        if self.announcement:
            self.announcement_view.show_announcement(self.announcement, language)
        self.band.show_announcements(self.banded, language)
        self._update_clock()

    def _update_clock(self) -> None:
        now = self.clock().astimezone(self.timezone)
        if self.is_portrait():  # the header is narrow: the time alone
            self.clock_label.setText(formatting.clock(now))
        else:
            self.clock_label.setText(
                f"{formatting.date_long(self.languages.locale(), now)}   {formatting.clock(now)}"
            )

    def set_accessible(self, on: bool) -> None:
        """Large text and high contrast together: one tap for visitors who need either."""
        self.large_text = self.high_contrast = on
        if self.access_button.isChecked() != on:
            self.access_button.setChecked(on)
        self.apply_metrics(force=True)

    def is_portrait(self) -> bool:
        return self.height() > self.width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.apply_metrics()
        if self.screen_off.isVisible():
            self.screen_off.setGeometry(self.rect())

    def apply_metrics(self, *, force: bool = False) -> None:
        """Re-derive sizes from the window size; cheap when nothing changed."""
        metrics = Metrics.for_size(self.width(), self.height(), large_text=self.large_text)
        portrait = self.is_portrait()
        if not force and metrics == self.metrics and portrait == self._portrait:
            return
        self.metrics = metrics
        self._portrait = portrait
        self.setStyleSheet(stylesheet(metrics, high_contrast=self.high_contrast))
        logo = metrics.px(64)
        self.logo.setPixmap(QIcon(str(RESOURCES_DIR / "icons" / "logo.svg")).pixmap(QSize(logo, logo)))
        pad = metrics.px(24)
        self._header_row.setContentsMargins(pad, metrics.px(12), pad, metrics.px(12))
        self._header_row.setSpacing(metrics.px(16))
        self._update_clock()
        self.nav.set_icon_size(metrics.px(44))
        for section in self.sections.values():
            section.apply_layout(metrics, portrait)
        self.band.apply_layout(metrics, portrait)
        for index in range(self.overlays.count()):
            page = self.overlays.widget(index)
            if page is not None:
                self._layout_overlay(page, metrics, portrait)

    # --- kiosk lock -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked:
            log.info("Refused a request to close the kiosk window while locked")
            event.ignore()
            return
        super().closeEvent(event)
