"""Green Kiosk: parse arguments, build the application, run it."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer

from kiosk.config import Settings, default_data_dir, resolve_config_path
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
        help="render every section, service page and announcement, in each language and size, to PNG "
        "in DIR, then exit (records no proof of play)",
    )
    parser.add_argument(
        "--self-test", action="store_true", help="check this installation offscreen, then exit"
    )
    parser.add_argument("--languages", metavar="LIST", help="with --screenshot: only these, e.g. az,en")
    parser.add_argument("--sizes", metavar="LIST", help="with --screenshot: e.g. 1920x1080,1080x1920")
    parser.add_argument(
        "--preview-manifest",
        metavar="FILE",
        help="with --screenshot: render this manifest (and --preview-blobs) instead of the kiosk's content, "
        "with default settings in a throwaway --data-dir (kioskctl approve --preview uses it)",
    )
    parser.add_argument("--preview-blobs", metavar="DIR", help="the blobs --preview-manifest names")
    parser.add_argument(
        "--thumbnails",
        metavar="WIDTH",
        type=int,
        help="with --screenshot: also a JPEG this many pixels wide (80 to 1920) beside each PNG",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--self-test" in argv:  # what kioskctl self-test runs: the kiosk binary, checked offscreen
        from ui.self_test import main as self_test

        return self_test([a for a in argv if a != "--self-test"])
    args = parse_args(argv)
    if args.preview_manifest and not (args.screenshot and args.preview_blobs and args.data_dir):
        print(
            "green-kiosk: --preview-manifest needs --screenshot, --preview-blobs and --data-dir",
            file=sys.stderr,
        )
        return 2
    try:
        screenshot = _screenshot_options(args)
    except KioskError as exc:
        print(f"green-kiosk: {exc}", file=sys.stderr)
        return 2
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.startup import (
        HEALTHY_SECONDS,
        QuickExits,
        StartupSettings,
        load_startup_settings,
        remember_good_config,
    )
    from kiosk.status import app_version

    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    configure_logging(data_dir, args.log_level or "INFO")
    if args.preview_manifest:  # nothing of this machine's kiosk: its config, data or server
        config_path: Path | None = None
        startup = StartupSettings(Settings(), "preview")
    else:
        config_path, explicit = resolve_config_path(args.config)
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
    from kiosk.core import open_core
    from ui.app import RESTART_EXIT_CODE, KioskApp, create_application

    try:
        core = open_core(settings, data_dir, safe_mode=safe_mode, problems=problems)
        if args.preview_manifest:
            from kiosk.content.preview import install_preview

            install_preview(core.store, core.content, Path(args.preview_manifest), Path(args.preview_blobs))
    except KioskError as exc:
        log.error("Cannot start: %s", exc)
        print(f"green-kiosk: {exc}", file=sys.stderr)
        return 2
    if os.environ.get("GREEN_KIOSK_APPLY_OUTPUTS") == "1":  # set by the packaged session (kiosk/session.py)
        from kiosk.session import apply_outputs

        # The release's rotation and output included; before Qt, so it sees the rotated screen.
        for problem in apply_outputs(core.settings.display):
            log.error("Display problem: %s", problem)
            problems.append(problem)
    app = create_application(sys.argv[:1])
    if args.screenshot and core.reporter is not None:
        core.reporter.close()  # screenshots are not visitors: no proof of play, no heartbeat
        core.reporter = None
    kiosk = KioskApp(core)
    if not args.screenshot:  # a screenshot run (a console preview) ends at SIGTERM: nothing to save
        _quit_on_signals(app)
    watchdog = None
    code = 1
    try:
        if args.screenshot:
            from ui.screenshots import render_screenshots

            files = render_screenshots(kiosk, Path(args.screenshot), **screenshot)
            print(f"Wrote {len(files)} screenshots to {args.screenshot}")
            code = 0
            return code
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


def _screenshot_options(args: argparse.Namespace) -> dict[str, Any]:
    """--languages, --sizes and (for a preview) no staff pages, as render_screenshots' arguments."""
    options: dict[str, Any] = {}
    if not args.screenshot:
        return options
    from kiosk.content.preview import parse_languages, parse_sizes

    if args.languages:
        options["languages"] = parse_languages(args.languages)
    if args.sizes:
        options["sizes"] = parse_sizes(args.sizes)
    if args.preview_manifest:
        options["staff_pages"] = False
    if args.thumbnails is not None:
        if not 80 <= args.thumbnails <= 1920:
            raise KioskError(f"--thumbnails: expected a width of 80 to 1920 pixels, got {args.thumbnails}")
        options["thumbnail_width"] = args.thumbnails
    return options


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
