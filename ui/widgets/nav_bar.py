"""The bottom navigation: one large touch button per visitor section."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from kiosk.paths import RESOURCES_DIR


class NavBar(QWidget):
    """Exclusive, checkable section buttons; emits the section key when the visitor taps one."""

    section_chosen = Signal(str)

    def __init__(self, sections: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NavBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.buttons: dict[str, QPushButton] = {}
        self._icons: dict[str, QIcon] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for key in sections:
            button = QPushButton(self)
            button.setObjectName("NavButton")
            button.setCheckable(True)
            self._icons[key] = QIcon(str(RESOURCES_DIR / "icons" / f"nav-{key}.svg"))
            button.setIcon(self._icons[key])
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, k=key: self.section_chosen.emit(k))
            self._group.addButton(button)
            layout.addWidget(button)
            self.buttons[key] = button

    def set_icon_size(self, pixels: int) -> None:
        """Icons of this size, each with clear space on its right: the style leaves only 4 px before the
        label, and some icons (the video frame) are drawn out to the edge of their box."""
        gap = max(8, pixels // 3)
        for key, button in self.buttons.items():
            canvas = QPixmap(pixels + gap, pixels)
            canvas.fill(Qt.GlobalColor.transparent)
            painter = QPainter(canvas)
            self._icons[key].paint(painter, QRect(0, 0, pixels, pixels))
            painter.end()
            button.setIcon(QIcon(canvas))
            button.setIconSize(canvas.size())

    def set_current(self, key: str) -> None:
        self.buttons[key].setChecked(True)
