"""Run-time language switching: Qt Linguist translations for UI strings, QLocale for numbers and dates."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QTranslator, Signal

from kiosk.config import LANGUAGES
from kiosk.paths import TRANSLATIONS_DIR

log = logging.getLogger(__name__)

LOCALES = {
    "az": QLocale(QLocale.Language.Azerbaijani, QLocale.Script.LatinScript, QLocale.Country.Azerbaijan),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
    "ru": QLocale(QLocale.Language.Russian, QLocale.Country.Russia),
}
LANGUAGE_LABELS = {"az": "AZ", "en": "EN", "ru": "RU"}


def locale_for(language: str) -> QLocale:
    return LOCALES.get(language, LOCALES["az"])


class LanguageController(QObject):
    """Holds the visitor's language; switching installs the translator, so every view retranslates."""

    changed = Signal(str)

    def __init__(self, default: str = "az", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.default = default if default in LANGUAGES else "az"
        self.current = ""
        self._translator: QTranslator | None = None
        self._loaded: dict[str, QTranslator] = {}

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        if language == self.current:
            return
        app = QCoreApplication.instance()
        if self._translator is not None and app is not None:
            QCoreApplication.removeTranslator(self._translator)
        translator = self._loaded.get(language)
        if translator is None:
            translator = QTranslator(self)  # loaded once per language, kept for the next switch
            qm = TRANSLATIONS_DIR / f"green_kiosk_{language}.qm"
            if translator.load(str(qm)):
                self._loaded[language] = translator
            else:
                log.error("Translation file %s is missing; showing the built-in English texts", qm)
                translator.deleteLater()
                translator = None
        if translator is not None:
            QCoreApplication.installTranslator(translator)
        self._translator = translator
        QLocale.setDefault(locale_for(language))
        self.current = language
        # Qt posts LanguageChange to every widget; deliver them now so the switch is one visible step.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.changed.emit(language)

    def reset(self) -> None:
        """Back to the default language (when the visitor walks away)."""
        self.set_language(self.default)

    def locale(self) -> QLocale:
        return locale_for(self.current or self.default)
