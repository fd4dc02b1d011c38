"""The kiosk shell: header with brand, clock and language switch; the sections; the bottom navigation."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QIcon, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk.content.model import Content
from kiosk.energy.service import EnergySnapshot
from kiosk.paths import RESOURCES_DIR
from ui import formatting
from ui.bridge import ContentFeed, EnergyFeed
from ui.i18n import LanguageController
from ui.sections.base import Section
from ui.sections.energy import EnergySection
from ui.sections.services import ServicesSection
from ui.sections.video import VideoSection
from ui.theme import Metrics, stylesheet
from ui.widgets.language_switch import LanguageSwitch
from ui.widgets.nav_bar import NavBar

SECTION_KEYS = ["energy", "video", "services"]


class MainWindow(QWidget):
    """One full-screen window; everything a visitor sees lives inside it."""

    def __init__(
        self,
        languages: LanguageController,
        content: ContentFeed,
        energy: EnergyFeed,
        *,
        timezone: str = "Asia/Baku",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("KioskRoot")
        self.setWindowTitle("Green Kiosk — ASAN xidmət")
        self.languages = languages
        self.content_feed = content
        self.energy_feed = energy
        self.timezone = ZoneInfo(timezone)
        self.metrics: Metrics | None = None
        self.locked = False

        self.header = QWidget(self)
        self.header.setObjectName("Header")
        self.header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.logo = QLabel(self.header)
        self.brand_name = QLabel("ASAN xidmət", self.header)
        self.brand_name.setObjectName("BrandName")
        self.brand_tagline = QLabel(self.header)
        self.brand_tagline.setObjectName("BrandTagline")
        brand_texts = QVBoxLayout()
        brand_texts.setSpacing(0)
        brand_texts.addWidget(self.brand_name)
        brand_texts.addWidget(self.brand_tagline)
        self.clock = QLabel(self.header)
        self.clock.setObjectName("Clock")
        self.language_switch = LanguageSwitch(languages, self.header)
        self._header_row = header_row = QHBoxLayout(self.header)
        header_row.addWidget(self.logo)
        header_row.addLayout(brand_texts)
        header_row.addStretch(1)
        header_row.addWidget(self.clock)
        header_row.addWidget(self.language_switch)

        self.energy_section = EnergySection(languages)
        self.energy_section.timezone = self.timezone
        self.video_section = VideoSection(languages)
        self.services_section = ServicesSection(languages, content.library.resolve)
        self.sections: dict[str, Section] = {
            "energy": self.energy_section,
            "video": self.video_section,
            "services": self.services_section,
        }
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("Sections")
        for key in SECTION_KEYS:
            self.stack.addWidget(self.sections[key])

        self.nav = NavBar(SECTION_KEYS, self)
        self.nav.section_chosen.connect(self.show_section)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.nav)

        energy.updated.connect(self._on_energy)
        content.changed.connect(self._on_content)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(15_000)
        self._clock_timer.timeout.connect(self._update_clock)
        self._clock_timer.start()

        self._on_content(content.content)
        self.show_section("energy")
        self.retranslate()

    # --- navigation -------------------------------------------------------------------------------
    def current_section(self) -> str:
        widget = self.stack.currentWidget()
        return next(key for key, section in self.sections.items() if section is widget)

    def show_section(self, key: str) -> None:
        self.stack.setCurrentWidget(self.sections[key])
        self.nav.set_current(key)

    # --- data from the core -----------------------------------------------------------------------
    def _on_energy(self, snapshot: EnergySnapshot) -> None:
        self.energy_section.show_snapshot(snapshot)

    def _on_content(self, content: Content) -> None:
        poster_path = None
        if content.videos:
            poster_path = self.content_feed.library.resolve(content.videos[0].poster)
        self.video_section.show_content(content, QPixmap(str(poster_path)) if poster_path else QPixmap())
        self.services_section.show_content(content)
        if self.metrics:
            self.services_section.apply_layout(self.metrics, self.is_portrait())
        self.retranslate()

    # --- language and layout ----------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        language = self.languages.current or self.languages.default
        self.brand_tagline.setText(self.content_feed.content.channel_name.get(language))
        for key, section in self.sections.items():
            self.nav.buttons[key].setText(section.nav_label())
        self._update_clock()

    def _update_clock(self) -> None:
        now = datetime.now(UTC).astimezone(self.timezone)
        locale = self.languages.locale()
        self.clock.setText(f"{formatting.date_long(locale, now)}   {formatting.clock(now)}")

    def is_portrait(self) -> bool:
        return self.height() > self.width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.apply_metrics()

    def apply_metrics(self, *, force: bool = False) -> None:
        """Re-derive sizes from the window size; cheap when nothing changed."""
        metrics = Metrics.for_size(self.width(), self.height())
        portrait = self.is_portrait()
        if not force and metrics == self.metrics and portrait == getattr(self, "_portrait", None):
            return
        self.metrics = metrics
        self._portrait = portrait
        self.setStyleSheet(stylesheet(metrics))
        logo = metrics.px(64)
        self.logo.setPixmap(QIcon(str(RESOURCES_DIR / "icons" / "logo.svg")).pixmap(QSize(logo, logo)))
        pad = metrics.px(24)
        self._header_row.setContentsMargins(pad, metrics.px(12), pad, metrics.px(12))
        self._header_row.setSpacing(metrics.px(16))
        self.nav.set_icon_size(metrics.px(44))
        for section in self.sections.values():
            section.apply_layout(metrics, portrait)

    # --- kiosk lock -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked:
            event.ignore()
            return
        super().closeEvent(event)
