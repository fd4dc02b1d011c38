"""Logging to stderr (the journal, under systemd) and to a rotating file in the data dir."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(data_dir: Path | None, level: str) -> Path | None:
    """Set up the root logger; returns the log file path (None when there is no data dir)."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        if getattr(handler, "_green_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    formatter = logging.Formatter(LOG_FORMAT)
    stderr = logging.StreamHandler()
    stderr.setFormatter(formatter)
    handlers: list[logging.Handler] = [stderr]
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
