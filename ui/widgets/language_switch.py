"""AZ / EN / RU buttons: the visitor's language is one tap away from every screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from kiosk.config import LANGUAGES
from ui.i18n import LANGUAGE_LABELS, LanguageController


class LanguageSwitch(QWidget):
    """Shows the current language as a checked (filled and underlined) button."""

    def __init__(self, languages: LanguageController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._languages = languages
        self.buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for code in LANGUAGES:
            button = QPushButton(LANGUAGE_LABELS[code], self)
            button.setObjectName("LanguageButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, c=code: languages.set_language(c))
            group.addButton(button)
            layout.addWidget(button)
            self.buttons[code] = button
        languages.changed.connect(self._show)
        if languages.current:
            self._show(languages.current)

    def _show(self, language: str) -> None:
        self.buttons[language].setChecked(True)
