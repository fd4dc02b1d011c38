"""Logging to stderr (the journal, under systemd) and to a rotating file in the data dir."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections import deque
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RecentProblems(logging.Handler):
    """Keeps the last warnings and errors in memory, so the admin screen can show what went wrong."""

    def __init__(self, capacity: int = 50) -> None:
        super().__init__(logging.WARNING)
        self.records: deque[str] = deque(maxlen=capacity)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s: %(message)s", "%Y-%m-%d %H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.records.append(self.format(record).splitlines()[0])
        except Exception:  # a logging handler must never raise into the code that logs
            self.handleError(record)

    def latest(self, count: int = 10) -> list[str]:
        """The newest problems first."""
        return list(reversed(self.records))[:count]


recent_problems = RecentProblems()


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is now (test runners and daemons swap it), never a closed old one."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def configure_logging(data_dir: Path | None, level: str) -> Path | None:
    """Set up the root logger; returns the log file path (None when there is no data dir)."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        if getattr(handler, "_green_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    formatter = logging.Formatter(LOG_FORMAT)
    stderr = _Stderr()
    stderr.setFormatter(formatter)
    handlers: list[logging.Handler] = [stderr, recent_problems]
    log_file: Path | None = None
    if data_dir is not None:
        log_dir = data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / "kiosk.log"
        rotating = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8"
        )
        rotating.setFormatter(formatter)
        handlers.append(rotating)
    for handler in handlers:
        handler._green_kiosk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    return log_file
