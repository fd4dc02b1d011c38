"""A touch PIN pad for the admin screen: big keys, dots instead of digits."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.theme import Metrics

MAX_DIGITS = 12


class PinPad(QFrame):
    """Emits ``pin_entered`` with the digits on OK, ``cancelled`` on Cancel."""

    pin_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PinPad")
        self.setMinimumSize(1, 1)  # sized by the window, never the other way round (see apply_layout)
        self._digits = ""
        self.prompt = QLabel(self)
        self.prompt.setObjectName("PinPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = QLabel(self)
        self.dots.setObjectName("PinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel(self)
        self.message.setObjectName("PinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        grid = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]
        for index, key in enumerate(labels):
            button = QPushButton(key, self)
            button.setObjectName("PinKey")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, k=key: self.press(k))
            grid.addWidget(button, index // 3, index % 3)
            self.keys[key] = button
        self.cancel = QPushButton(self)
        self.cancel.setObjectName("PinCancel")
        self.cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel.clicked.connect(self._cancel)
        self._grid = grid
        self.column = QWidget(self)  # the pad itself: a centred column, not stretched over the screen
        self._column = column = QVBoxLayout(self.column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.prompt)
        column.addWidget(self.dots)
        column.addWidget(self.message)
        column.addLayout(grid)
        column.addWidget(self.cancel)
        self._layout = layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.column, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.retranslate()

    def apply_layout(self, metrics: Metrics, portrait: bool) -> None:
        """Keys a hand can span: the pad keeps to a column about 800 px wide at 1080p."""
        pad = metrics.px(40)
        self._layout.setContentsMargins(pad, pad, pad, pad)
        self.column.setFixedWidth(metrics.px(800))
        self._column.setSpacing(metrics.px(20))
        self._grid.setSpacing(metrics.px(16))

    def press(self, key: str) -> None:
        if key == "clear":
            self._digits = ""
        elif key == "ok":
            digits, self._digits = self._digits, ""
            self._show()
            self.pin_entered.emit(digits)
            return
        elif len(self._digits) < MAX_DIGITS:
            self._digits += key
        self._show()

    def reset(self, message: str = "") -> None:
        self._digits = ""
        self.message.setText(message)
        self._show()

    def set_locked(self, locked: bool) -> None:
        for button in self.keys.values():
            button.setEnabled(not locked)

    def retranslate(self) -> None:
        self.prompt.setText(self.tr("Enter the admin PIN"))
        self.keys["clear"].setText(self.tr("Clear"))
        self.keys["ok"].setText(self.tr("OK"))
        self.cancel.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _cancel(self) -> None:
        self.reset()
        self.cancelled.emit()

    def _show(self) -> None:
        self.dots.setText("●" * len(self._digits) if self._digits else "—")
