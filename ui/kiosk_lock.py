"""Keeps visitors inside the kiosk: refuses the keys that would close or leave the full-screen window."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

log = logging.getLogger(__name__)

_ALT, _CTRL, _META = (
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.MetaModifier,
)


def is_escape_key(event: QKeyEvent) -> bool:
    """Escape, Alt+F4, Ctrl+Q, Ctrl+W, Alt+Tab (and friends), and the Super/Windows key."""
    key, mods = event.key(), event.modifiers()
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Meta, Qt.Key.Key_Menu):
        return True
    if mods & _ALT and key in (Qt.Key.Key_F4, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape):
        return True
    if mods & _CTRL and key in (Qt.Key.Key_Q, Qt.Key.Key_W, Qt.Key.Key_Tab, Qt.Key.Key_Escape):
        return True
    return bool(mods & _META)


class KioskLock(QObject):
    """Application-wide key filter, active while ``locked`` (full screen, no admin PIN entered)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.locked = False
        self.refused = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.locked or event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        assert isinstance(event, QKeyEvent)
        if is_escape_key(event):
            if event.type() == QEvent.Type.KeyPress:
                self.refused += 1
                log.info("Refused an exit key (%s) while locked", event.keyCombination().toCombined())
            event.accept()
            return True
        return False
