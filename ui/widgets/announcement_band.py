"""Info and warning announcements as a band over the normal kiosk, so the sections stay usable.

Long texts are cut into pages that take turns (no scrolling ticker: a still line reads better from across
a lobby): one line in landscape, where the sections have little height to spare, two in portrait.
Several announcements take turns the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from kiosk.content.model import Announcement
from ui.theme import Metrics

LINE_MS = 5000
"""How long a page stays, per line on it: a line read twice at a slow pace."""


def wrap_lines(text: str, fits: QFontMetricsF, width: float) -> list[str]:
    """The text broken into lines no wider than ``width``; a word longer than a line (a URL) is cut."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if fits.horizontalAdvance(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:
                if line and fits.horizontalAdvance(line + char) > width:
                    lines.append(line)
                    line = ""
                line += char
        if line:
            lines.append(line)
    return lines


class BandText(QLabel):
    """The message: plain text, always exactly a page of lines high, re-paged when its width or font
    changes."""

    def __init__(self, band: AnnouncementBand) -> None:
        super().__init__(band)
        self.band = band
        self.setObjectName("BandText")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def usable_width(self) -> float:
        return max(1.0, self.contentsRect().width() - 2.0 * self.margin() - 4.0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.band.repaginate()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_height()
            self.band.repaginate()

    def fit_height(self) -> None:
        # a page's lines as the label's own text layout spaces them, plus a little for rounding
        lines = math.ceil(QFontMetricsF(self.font()).lineSpacing() * self.band.lines_per_page) + 4
        margins = self.contentsMargins()
        self.setFixedHeight(lines + margins.top() + margins.bottom() + 2 * self.margin())


class AnnouncementBand(QFrame):
    """The info and warning announcements: level in words and a symbol, then the text, one page at a time.

    One band, never a stack of them, so the sections keep their room: it takes the style of its most
    urgent announcement (the stylesheet makes a warning's band larger) and shows warnings first, then
    infos, each page under its own level's heading. Hidden while there is nothing to show.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AnnouncementBand")
        self.setProperty("level", "info")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.announcements: tuple[Announcement, ...] = ()
        self.language = "az"
        self.pages: list[tuple[str, str]] = []
        """(level, up to two lines of text) in the order they are shown."""
        self.page = 0
        self.lines_per_page = 1
        self.heading = QLabel(self)
        self.heading.setObjectName("BandLevel")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.text = BandText(self)
        self._row = QHBoxLayout(self)
        self._row.addWidget(self.heading)
        self._row.addWidget(self.text, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(LINE_MS)
        self.timer.timeout.connect(self.next_page)
        self.hide()

    @property
    def level(self) -> str:
        return str(self.property("level"))

    def show_announcements(self, announcements: Sequence[Announcement], language: str) -> None:
        """Show these (most urgent first) in turn, or hide the band when there are none."""
        announcements = tuple(announcements)
        if announcements == self.announcements and language == self.language:
            return
        self.announcements = announcements
        self.language = language
        self.page = 0
        level = "warning" if any(a.level == "warning" for a in announcements) else "info"
        if level != self.level:
            self.setProperty("level", level)
            self._repolish()  # the level's sizes and colours
        self.retranslate()
        self.setVisible(bool(announcements))

    def heading_for(self, level: str) -> str:
        if level == "warning":
            return "⚠  " + self.tr("Warning")
        return "ℹ  " + self.tr("Announcement")

    def repaginate(self) -> None:
        """Cut every message into pages of two lines at the text's width and font, and show the current."""
        fits = QFontMetricsF(self.text.font())
        width = self.text.usable_width()
        pages: list[tuple[str, str]] = []
        for announcement in self.announcements:
            lines = wrap_lines(announcement.text.get(self.language), fits, width)
            pages += [
                (announcement.level, "\n".join(lines[i : i + self.lines_per_page]))
                for i in range(0, len(lines), self.lines_per_page)
            ]
        self.pages = pages
        self.page = self.page % len(pages) if pages else 0
        self._show_page()
        if len(pages) > 1:
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()

    def next_page(self) -> None:
        if self.pages:
            self.page = (self.page + 1) % len(self.pages)
            self._show_page()

    def _show_page(self) -> None:
        level, text = self.pages[self.page] if self.pages else (self.level, "")
        self.heading.setText(self.heading_for(level))
        self.text.setText(text)

    def apply_layout(self, metrics: Metrics, portrait: bool) -> None:
        pad, edge = metrics.px(24), metrics.px(4 if metrics.large_text and not portrait else 10)
        self._row.setContentsMargins(pad, edge, pad, edge)
        # portrait is narrow: the level on its own line gives the message the whole width
        direction = QBoxLayout.Direction
        self._row.setDirection(direction.TopToBottom if portrait else direction.LeftToRight)
        self._row.setSpacing(metrics.px(4) if portrait else metrics.px(20))
        self.lines_per_page = 2 if portrait else 1
        self.timer.setInterval(LINE_MS * self.lines_per_page)
        self.text.fit_height()
        # large text leaves the sections little height: the stylesheet keeps the band's text at about
        # the standard info size there, so the energy figures keep their room
        compact = metrics.large_text
        if self.property("compact") != compact:
            self.setProperty("compact", compact)
            self._repolish()
        self.retranslate()

    def _repolish(self) -> None:
        for widget in (self, self.heading, self.text):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def retranslate(self) -> None:
        # as wide as the widest heading, so the text keeps its width (and its pages) as headings change
        self.heading.ensurePolished()
        fits = QFontMetricsF(self.heading.font())
        widest = max(fits.horizontalAdvance(self.heading_for(level)) for level in ("info", "warning"))
        self.heading.setMinimumWidth(math.ceil(widest) + 2)
        self.repaginate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
