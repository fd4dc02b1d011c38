"""An emergency announcement: it takes the whole screen until it ends (info and warning are bands)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from kiosk.content.model import Announcement


class AnnouncementView(QFrame):
    """Level in words and a symbol (never by colour alone), then the message in the visitor's language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Announcement")
        self.announcement: Announcement | None = None
        self.language = "az"
        self.level = QLabel(self)
        self.level.setObjectName("AnnouncementLevel")
        self.level.setTextFormat(Qt.TextFormat.PlainText)
        self.level.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(self)
        self.text.setObjectName("AnnouncementText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # content text: markup shows as characters
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.level)
        layout.addWidget(self.text)
        layout.addStretch(2)

    def show_announcement(self, announcement: Announcement, language: str) -> None:
        self.announcement = announcement
        self.language = language
        self.setProperty("level", announcement.level)
        # the heading's colour comes from a rule on this frame's level: polish it again too, or it keeps
        # the colour of the level shown before
        for widget in (self, self.level, self.text):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.retranslate()

    def retranslate(self) -> None:
        if self.announcement is None:
            return
        if self.announcement.level == "emergency":
            self.level.setText("⚠  " + self.tr("Emergency"))
        elif self.announcement.level == "warning":
            self.level.setText("⚠  " + self.tr("Warning"))
        else:
            self.level.setText("ℹ  " + self.tr("Announcement"))
        self.text.setText(self.announcement.text.get(self.language))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
