"""Building the Qt application: shipped fonts, translations and the main window over the core."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.core import KioskCore
from kiosk.paths import RESOURCES_DIR
from ui.bridge import ContentFeed, EnergyFeed
from ui.i18n import LanguageController
from ui.main_window import MainWindow
from ui.theme import FONT_FILES

log = logging.getLogger(__name__)


def create_application(argv: list[str]) -> QApplication:
    """The QApplication with the shipped Noto Sans as the default font (Azerbaijani and Cyrillic)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("Green Kiosk")
    app.setOrganizationName("ASAN xidmət")
    load_fonts()
    font = QFont("Noto Sans")
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
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
    """The running kiosk: language controller, feeds from the core and the main window."""

    def __init__(self, core: KioskCore) -> None:
        self.core = core
        settings = core.settings
        self.languages = LanguageController(settings.display.language)
        self.languages.set_language(self.languages.default)
        self.content = ContentFeed(core.content)
        self.energy = EnergyFeed(core.energy, settings.energy.poll_seconds)
        self.window = MainWindow(self.languages, self.content, self.energy, timezone=settings.kiosk.timezone)

    def start(self) -> None:
        self.energy.start()

    def stop(self) -> None:
        self.energy.stop()
