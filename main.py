"""Green Kiosk: parse arguments, build the application, run it."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer

from kiosk.errors import KioskError
from kiosk.logsetup import configure_logging
from kiosk.options import add_common_options, log_level, settings_from_options

log = logging.getLogger("green_kiosk")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Green Kiosk for ASAN xidmət centres")
    add_common_options(parser)
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    parser.add_argument(
        "--screenshot",
        metavar="DIR",
        help="render every section, language and orientation to PNG in DIR, then exit",
    )
    parser.add_argument(
        "--self-test", action="store_true", help="check this installation offscreen, then exit"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--self-test" in argv:  # what kioskctl self-test runs: the kiosk binary, checked offscreen
        from ui.self_test import main as self_test

        return self_test([a for a in argv if a != "--self-test"])
    args = parse_args(argv)
    try:
        settings, data_dir = settings_from_options(args)
    except KioskError as exc:
        print(f"green-kiosk: {exc}", file=sys.stderr)
        return 2
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    configure_logging(data_dir, log_level(args, settings))

    from kiosk.core import open_core
    from ui.app import KioskApp, create_application

    app = create_application(sys.argv[:1])
    try:
        core = open_core(settings, data_dir)
    except KioskError as exc:
        log.error("Cannot start: %s", exc)
        print(f"green-kiosk: {exc}", file=sys.stderr)
        return 2
    kiosk = KioskApp(core)
    _quit_on_signals(app)
    try:
        if args.screenshot:
            from ui.screenshots import render_screenshots

            files = render_screenshots(kiosk, Path(args.screenshot))
            print(f"Wrote {len(files)} screenshots to {args.screenshot}")
            return 0
        kiosk.start(locked=not args.windowed)
        window = kiosk.window
        if args.windowed:
            window.resize(1280, 800)
            window.show()
        else:
            from PySide6.QtCore import Qt

            window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            screen = app.primaryScreen()
            if screen is not None:
                window.setGeometry(screen.geometry())  # fills the screen even without a window manager
            window.showFullScreen()
        _notify_systemd(app)
        return app.exec()
    finally:
        kiosk.stop()
        core.close()


def _quit_on_signals(app: QCoreApplication) -> None:
    """SIGTERM (systemd stop) and Ctrl+C end the kiosk cleanly even though the window refuses to close."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: app.exit(0))
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)  # lets Python run its signal handlers during app.exec()
    ticker.start(300)


def _notify_systemd(app: QCoreApplication) -> None:
    """Under systemd: READY=1 once the event loop runs, then WATCHDOG=1 from that loop (kiosk/watchdog.py)."""
    from kiosk.watchdog import Watchdog

    watchdog = Watchdog.from_environment()
    if watchdog is not None:
        QTimer.singleShot(0, lambda: watchdog.ready())
        if watchdog.interval_ms is not None:
            pinger = QTimer(app)
            pinger.timeout.connect(lambda: watchdog.ping())  # a lambda keeps the watchdog alive
            pinger.start(watchdog.interval_ms)


if __name__ == "__main__":
    sys.exit(main())
