"""The kiosk binary's ``--self-test`` mode, which ``kioskctl self-test`` (kiosk/selftest.py) runs: the real
kiosk, offscreen, over a fresh temporary data dir, checked.

Every check returns a line for the table instead of raising, so one broken plugin does not hide the
state of the others.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSize, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication, QIcon, QImage

from kiosk.checks import FAIL, OK, CheckResult, report
from kiosk.config import LANGUAGES, Settings
from kiosk.core import open_core
from kiosk.errors import KioskError
from kiosk.logsetup import configure_logging
from kiosk.options import add_common_options, log_level, settings_from_options
from kiosk.paths import RESOURCES_DIR, TRANSLATIONS_DIR
from kiosk.selftest import add_self_test_options
from kiosk.status import app_version
from kiosk.store.db import schema_revisions
from ui.app import KioskApp, create_application, load_fonts
from ui.main_window import SECTION_KEYS

SIZE = (1920, 1080)
FIRST_FRAME_TIMEOUT_S = 15.0


def main(argv: list[str]) -> int:
    """``green-kiosk --self-test [options]``: print the table (or JSON); exit status 1 if a check failed."""
    parser = argparse.ArgumentParser(
        prog="green-kiosk --self-test", description="Check that this installation of the kiosk works."
    )
    add_common_options(parser)
    add_self_test_options(parser)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        settings, _data_dir = settings_from_options(args)
    except KioskError as exc:
        return report([CheckResult("config", FAIL, str(exc))], args)
    configure_logging(None, args.log_level or "WARNING")
    results = [CheckResult("version", OK, app_version())]
    where = str(settings.path) if settings.path else "built-in defaults"
    results.append(CheckResult("config", OK, where))
    with tempfile.TemporaryDirectory(prefix="green-kiosk-self-test-") as data_dir:
        results += run_self_test(settings, Path(data_dir), video_seconds=args.video_seconds)
    configure_logging(None, log_level(args, settings))
    return report(results, args)


def run_self_test(settings: Settings, data_dir: Path, *, video_seconds: float = 1.0) -> list[CheckResult]:
    app = create_application(["green-kiosk-self-test"])
    results = [CheckResult("qt platform", OK, f"{QGuiApplication.platformName()} (Qt plugins load)")]
    results.append(_fonts())
    results.append(_translations())
    results.append(_svg_icons())
    try:
        core = open_core(settings, data_dir)
    except Exception as exc:  # the migrations or the demo content are broken in this build
        results.append(CheckResult("database", FAIL, f"cannot open a new database: {exc}"))
        return results
    try:
        revision = ",".join(sorted(schema_revisions(core.store.engine)))
        results.append(CheckResult("database", OK, f"created and migrated to {revision}"))
        if core.reporter is not None:  # a self-test is not a visitor: no proof of play, no heartbeat
            core.reporter.close()
            core.reporter = None
        kiosk = KioskApp(core)
        try:
            kiosk.window.resize(*SIZE)
            kiosk.window.show()
            QThreadPool.globalInstance().waitForDone(10_000)  # the first release, read in the pool
            QCoreApplication.processEvents()
            results.append(_sections(kiosk))
            results.append(_video(kiosk, video_seconds))
        finally:
            kiosk.stop()
            kiosk.window.close()
            kiosk.window.deleteLater()
            QCoreApplication.processEvents()
    finally:
        core.close()
    app.processEvents()
    return results


def _fonts() -> CheckResult:
    families = load_fonts()
    if "Noto Sans" not in families:
        return CheckResult("fonts", FAIL, f"Noto Sans did not load (found: {', '.join(families) or 'none'})")
    return CheckResult("fonts", OK, "Noto Sans (regular, bold)")


def _translations() -> CheckResult:
    from PySide6.QtCore import QTranslator

    missing = []
    for language in LANGUAGES:
        translator = QTranslator()
        if not translator.load(str(TRANSLATIONS_DIR / f"green_kiosk_{language}.qm")):
            missing.append(language)
    if missing:
        return CheckResult("translations", FAIL, f"cannot load {', '.join(missing)} from {TRANSLATIONS_DIR}")
    return CheckResult("translations", OK, ", ".join(LANGUAGES))


def _svg_icons() -> CheckResult:
    pixmap = QIcon(str(RESOURCES_DIR / "icons" / "logo.svg")).pixmap(QSize(64, 64))
    if pixmap.isNull():
        return CheckResult("svg icons", FAIL, "the logo (SVG) does not render: Qt's SVG plugins are missing")
    return CheckResult("svg icons", OK, "the logo renders")


def _sections(kiosk: KioskApp) -> CheckResult:
    """Every section and a service page in every language: each must paint something, not a blank."""
    window = kiosk.window
    kiosk.energy.poll()
    rendered = 0
    blank: list[str] = []
    for language in LANGUAGES:
        kiosk.languages.set_language(language)
        for view in (*SECTION_KEYS, "service-page"):
            if view == "service-page":
                window.show_section("services")
                cards = window.services_section.cards
                if not cards:
                    blank.append(f"{view}/{language} (no services)")
                    continue
                window.services_section.open_service(cards[0].service)
            else:
                window.show_section(view)
            QCoreApplication.processEvents()
            image = window.grab().toImage()
            rendered += 1
            if _looks_blank(image):
                blank.append(f"{view}/{language}")
    window.show_section(SECTION_KEYS[0])
    if blank:
        return CheckResult("sections", FAIL, f"blank or missing: {', '.join(blank)}")
    size = f"{SIZE[0]}x{SIZE[1]}"
    return CheckResult("sections", OK, f"{rendered} views rendered at {size} ({len(LANGUAGES)} languages)")


def _looks_blank(image: QImage) -> bool:
    """True for a null image or one of a single colour (sampled on a coarse grid)."""
    if image.isNull():
        return True
    colours = set()
    step_x, step_y = max(1, image.width() // 40), max(1, image.height() // 40)
    for y in range(0, image.height(), step_y):
        for x in range(0, image.width(), step_x):
            colours.add(image.pixel(x, y))
            if len(colours) > 4:
                return False
    return True


def _video(kiosk: KioskApp, seconds: float) -> CheckResult:
    """Play the campaign video section for ``seconds`` once its first frame is decoded."""
    window = kiosk.window
    section = window.video_section
    if not section.has_video():
        return CheckResult("video", FAIL, "the active content has no playable video")
    player = section.player
    window.show_section("video")
    start_count = player.frame_count
    if not _wait_until(lambda: player.frame_count > start_count, FIRST_FRAME_TIMEOUT_S):
        return CheckResult("video", FAIL, f"no frame decoded within {FIRST_FRAME_TIMEOUT_S:.0f} s")
    first = player.frame_count
    started = time.monotonic()
    _wait_until(lambda: False, seconds)
    frames = player.frame_count - first
    elapsed = time.monotonic() - started
    window.show_section(SECTION_KEYS[0])
    if frames < 2:
        return CheckResult("video", FAIL, f"only {frames} frame(s) in {elapsed:.1f} s of playback")
    return CheckResult("video", OK, f"{frames} frames in {elapsed:.1f} s ({frames / elapsed:.0f} fps)")


def _wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until ``condition`` holds or ``timeout_s`` passes; whether it held."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    ticker = QTimer()
    ticker.timeout.connect(loop.quit)
    ticker.start(20)
    while time.monotonic() < deadline:
        if condition():
            return True
        loop.exec()
    ticker.stop()
    return condition()
