"""The PIN-protected admin screen: what IT staff need to see and do at the kiosk itself."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.admin_pin import PinGuard
from kiosk.energy.service import OFFLINE, EnergySnapshot
from kiosk.status import KioskStatus
from ui.bridge import StatusFeed
from ui.main_window import MainWindow
from ui.theme import Metrics
from ui.widgets.pin_pad import PinPad

ACTIONS_PER_ROW_PORTRAIT = 3


class AdminScreen(QFrame):
    """Status of the kiosk plus the few actions staff need: sync, reload, exit, restart."""

    sync_requested = Signal()
    reload_requested = Signal()
    exit_requested = Signal()
    restart_requested = Signal()
    closed = Signal()
    status_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AdminScreen")
        self.setMinimumSize(1, 1)  # sized by the window, never the other way round (see apply_layout)
        self.heading = QLabel(self)
        self.heading.setObjectName("AdminHeading")
        self.rows: dict[str, tuple[QLabel, QLabel]] = {}
        grid = QGridLayout()
        rows = ("version", "startup", "kiosk", "release", "settings", "sync", "reports", "energy", "disk")
        for index, key in enumerate(rows):
            name, value = QLabel(self), QLabel(self)
            name.setObjectName("AdminKey")
            value.setObjectName("AdminValue")
            value.setTextFormat(Qt.TextFormat.PlainText)  # server answers and sync reasons, never markup
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, index, 1)
            self.rows[key] = (name, value)
        grid.setColumnStretch(1, 1)
        self.problems_title = QLabel(self)
        self.problems_title.setObjectName("AdminKey")
        self.problems = QLabel(self)
        self.problems.setObjectName("AdminProblems")
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.buttons: dict[str, QPushButton] = {}
        self._actions = actions = QGridLayout()
        for key, signal in (
            ("sync", self.sync_requested),
            ("reload", self.reload_requested),
            ("restart", self.restart_requested),
            ("exit", self.exit_requested),
            ("close", self.closed),
        ):
            button = QPushButton(self)
            button.setObjectName("AdminButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(signal)
            actions.addWidget(button, 0, len(self.buttons))
            self.buttons[key] = button
        self._grid = grid
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems, 1)
        layout.addLayout(actions)
        self.retranslate()

    def apply_layout(self, metrics: Metrics, portrait: bool) -> None:
        """Padding from the screen size; the action buttons in one row, or in rows of three in portrait."""
        pad = metrics.px(40)
        self._layout.setContentsMargins(pad, metrics.px(28), pad, metrics.px(28))
        self._layout.setSpacing(metrics.px(14))
        self._grid.setHorizontalSpacing(metrics.px(24))
        self._grid.setVerticalSpacing(metrics.px(8))
        shown = [button for button in self.buttons.values() if not button.isHidden()]
        columns = ACTIONS_PER_ROW_PORTRAIT if portrait else len(shown)
        spacing = metrics.px(16)
        self._actions.setSpacing(spacing)
        for button in self.buttons.values():
            self._actions.removeWidget(button)
        for index, button in enumerate(shown):
            self._actions.addWidget(button, index // columns, index % columns)
        for column in range(len(self.buttons)):
            self._actions.setColumnStretch(column, 1 if column < columns else 0)

    def show_status(self, s: KioskStatus) -> None:
        """Show a status read off the GUI thread (see ``StatusFeed``); views never read the store."""
        self.rows["version"][1].setText(f"Green Kiosk {s.version}")
        self.rows["kiosk"][1].setText(f"{s.kiosk_id} · {s.centre}")
        origin = self.tr("bundled demo content") if s.content_origin == "demo" else self.tr("published")
        self.rows["release"][1].setText(f"{s.release} ({origin})")
        if s.last_sync:
            self.rows["sync"][1].setText(f"{s.last_sync} · {s.last_result or ''}")
        else:
            self.rows["sync"][1].setText(self.tr("never (no content server configured or not yet reached)"))
        if not s.reports_configured:
            reports = self.tr("no central server configured")
        else:
            waiting = self.tr("%n record(s) waiting", "", s.reports_waiting)
            last = s.reports_last or self.tr("nothing sent yet")
            reports = f"{last} · {waiting}"
        self.rows["reports"][1].setText(reports)
        self.rows["energy"][1].setText(self._energy_line(s.energy))
        self.rows["disk"][1].setText(s.disk)
        self.rows["settings"][1].setText(s.remote_settings)
        self.problems.setText("\n".join(s.recent_problems) or self.tr("No warnings or errors since start."))
        self.rows["startup"][1].setText(self._startup_text(s))
        self.status_shown.emit()

    def _startup_text(self, s: KioskStatus) -> str:
        """Safe mode and the configuration problems the kiosk started in spite of, or that all is well."""
        lines = []
        if s.safe_mode:
            lines.append(
                self.tr(
                    "SAFE MODE: the kiosk stopped several times in a row soon after starting. Content sync "
                    "and reports to the central server are off. Restart to try the normal way again."
                )
            )
        lines += s.startup_problems
        return "\n".join(lines) or self.tr("normal; the configuration was read without problems")

    def set_exit_available(self, available: bool) -> None:
        """No "Exit to desktop" where there is no desktop (the package's service restarts the kiosk)."""
        self.buttons["exit"].setVisible(available)

    def _energy_line(self, energy: EnergySnapshot) -> str:
        """State, time of the last reading and, for a site of several devices, which are silent and why."""
        parts = [f"{energy.source}: {energy.short_state}"]
        if energy.read_at:
            parts.append(f"{energy.read_at:%Y-%m-%d %H:%M:%S %Z}")
        if len(energy.devices) > 1:
            parts.append(
                self.tr("%1 of %2 devices reporting")
                .replace("%1", str(energy.reporting))
                .replace("%2", str(len(energy.devices)))
            )
            silent = [
                f"{d.name} ({d.error})" if d.error else d.name for d in energy.devices if d.state == OFFLINE
            ]
            if silent:
                parts.append(self.tr("not reporting: %1").replace("%1", "; ".join(silent)))
        elif energy.error:
            parts.append(energy.error)
        return " · ".join(parts)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Kiosk administration"))
        names = {
            "version": self.tr("App version"),
            "startup": self.tr("Start-up"),
            "kiosk": self.tr("Kiosk and centre"),
            "release": self.tr("Content release"),
            "sync": self.tr("Last sync"),
            "reports": self.tr("Reports to the central server"),
            "energy": self.tr("Energy source"),
            "disk": self.tr("Data disk"),
            "settings": self.tr("Remote settings"),
        }
        for key, text in names.items():
            self.rows[key][0].setText(text)
        self.problems_title.setText(self.tr("Recent problems"))
        labels = {
            "sync": self.tr("Sync now"),
            "reload": self.tr("Reload"),
            "restart": self.tr("Restart"),
            "exit": self.tr("Exit to desktop"),
            "close": self.tr("Close"),
        }
        for key, text in labels.items():
            self.buttons[key].setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class AdminAccess(QObject):
    """The hidden gesture → PIN pad → admin screen flow, with wrong PINs rate-limited by PinGuard."""

    opened = Signal()

    def __init__(
        self,
        window: MainWindow,
        guard: PinGuard,
        status: StatusFeed,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.guard = guard
        self.status = status
        self.pin_pad = PinPad()
        self.screen = AdminScreen()
        status.loaded.connect(self.screen.show_status)
        window.add_overlay(self.pin_pad)
        window.add_overlay(self.screen)
        window.admin_gesture.connect(self.ask_pin)
        self.pin_pad.pin_entered.connect(self._check_pin)
        self.pin_pad.cancelled.connect(self.close)
        self.screen.closed.connect(self.close)
        self._unlock_timer = QTimer(self)
        self._unlock_timer.setInterval(1000)
        self._unlock_timer.timeout.connect(self._show_lockout)

    def ask_pin(self) -> None:
        if not self.guard.stored_hash:
            self.pin_pad.reset(self.tr("No admin PIN is set on this kiosk (kioskctl hash-pin)."))
            self.pin_pad.set_locked(True)
        else:
            self.pin_pad.reset()
            self._show_lockout()
        self.window.show_overlay(self.pin_pad)

    def refresh(self) -> None:
        """Read the kiosk's status in the thread pool; the screen shows it when it arrives."""
        self.status.load()

    def close(self) -> None:
        self._unlock_timer.stop()
        self.pin_pad.reset()
        self.window.show_overlay(None)

    def is_open(self) -> bool:
        return self.window.overlays.currentWidget() in (self.pin_pad, self.screen)

    def _check_pin(self, pin: str) -> None:
        if self.guard.try_pin(pin):
            self._unlock_timer.stop()
            self.refresh()
            self.window.show_overlay(self.screen)
            self.opened.emit()
            return
        self._show_lockout(wrong=True)

    def _show_lockout(self, wrong: bool = False) -> None:
        seconds = self.guard.seconds_locked()
        self.pin_pad.set_locked(seconds > 0)
        if seconds > 0:
            self.pin_pad.reset(self.tr("Too many wrong PINs. Try again in %n second(s).", "", seconds))
            self._unlock_timer.start()
        else:
            self._unlock_timer.stop()
            self.pin_pad.reset(self.tr("Wrong PIN.") if wrong else "")
