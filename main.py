"""Green Kiosk: parse arguments, build the application, run it."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer

from kiosk.config import default_data_dir, resolve_config_path
from kiosk.errors import KioskError
from kiosk.logsetup import configure_logging
from kiosk.options import add_common_options

if TYPE_CHECKING:
    from kiosk.watchdog import Watchdog

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
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.startup import HEALTHY_SECONDS, QuickExits, load_startup_settings, remember_good_config
    from kiosk.status import app_version

    config_path, explicit = resolve_config_path(args.config)
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    configure_logging(data_dir, args.log_level or "INFO")
    startup = load_startup_settings(config_path, data_dir, required=explicit)  # never stops the kiosk
    settings = startup.settings
    logging.getLogger().setLevel(args.log_level or settings.logging.level)
    quick_exits = QuickExits(data_dir)
    safe_mode = False if args.screenshot else quick_exits.begin()
    log.info(
        "Green Kiosk %s starting: config %s (%s), data dir %s%s",
        app_version(),
        config_path,
        "as written" if startup.origin == "file" and settings.path else startup.origin,
        data_dir,
        f"; SAFE MODE after {quick_exits.before} quick exits in a row" if safe_mode else "",
    )

    problems = list(startup.problems)
    if os.environ.get("GREEN_KIOSK_APPLY_OUTPUTS") == "1":  # set by the packaged session (kiosk/session.py)
        from kiosk.session import apply_outputs

        for problem in apply_outputs(settings.display):  # before Qt: it sees the rotated screen
            log.error("Display problem: %s", problem)
            problems.append(problem)

    from kiosk.core import open_core
    from ui.app import RESTART_EXIT_CODE, KioskApp, create_application

    app = create_application(sys.argv[:1])
    try:
        core = open_core(settings, data_dir, safe_mode=safe_mode, problems=problems)
    except KioskError as exc:
        log.error("Cannot start: %s", exc)
        print(f"green-kiosk: {exc}", file=sys.stderr)
        return 2
    kiosk = KioskApp(core)
    _quit_on_signals(app)
    watchdog = None
    code = 1
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
        watchdog = _notify_systemd(app)
        QTimer.singleShot(0, lambda: remember_good_config(startup, data_dir))
        QTimer.singleShot(HEALTHY_SECONDS * 1000, quick_exits.healthy)
        code = app.exec()
        if code in (0, RESTART_EXIT_CODE):
            quick_exits.healthy()  # a clean stop or an asked-for restart is no crash
        return code
    finally:
        if watchdog is not None:
            watchdog.stopping()
        log.info("Green Kiosk stopping (exit code %s)", code)
        kiosk.stop()
        core.close()


def _quit_on_signals(app: QCoreApplication) -> None:
    """SIGTERM (systemd stop) and Ctrl+C end the kiosk cleanly even though the window refuses to close."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: app.exit(0))
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)  # lets Python run its signal handlers during app.exec()
    ticker.start(300)


def _notify_systemd(app: QCoreApplication) -> Watchdog | None:
    """Under systemd: READY=1 once the event loop runs, then WATCHDOG=1 from that loop (kiosk/watchdog.py)."""
    from kiosk.watchdog import Watchdog

    watchdog = Watchdog.from_environment()
    if watchdog is not None:
        QTimer.singleShot(0, lambda: watchdog.ready())
        if watchdog.interval_ms is not None:
            pinger = QTimer(app)
            pinger.timeout.connect(lambda: watchdog.ping())  # a lambda keeps the watchdog alive
            pinger.start(watchdog.interval_ms)
    return watchdog


if __name__ == "__main__":
    sys.exit(main())
