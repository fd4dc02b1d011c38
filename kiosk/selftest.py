"""``kioskctl self-test``: does the installed kiosk work? Run after every install and in CI.

It starts the real kiosk offscreen (no screen needed) over a fresh, temporary data dir, so the kiosk's
own database and content are never touched, and checks what a packaged build can get wrong: the Qt
platform and image plugins, fonts, translations, the database migrations, every section and the video
decoder. The Qt half is ui/self_test.py; this module is the command around it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.logsetup import configure_logging
from kiosk.ops import FAIL, OK, CheckResult, report
from kiosk.options import log_level, settings_from_options
from kiosk.status import app_version


def cmd_self_test(args: argparse.Namespace) -> int:
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
        from ui.self_test import run_self_test  # the Qt half: imported only when asked for

        results += run_self_test(settings, Path(data_dir), video_seconds=args.video_seconds)
    configure_logging(None, log_level(args, settings))
    return report(results, args)
