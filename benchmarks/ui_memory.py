"""Memory of the kiosk UI over 1,000 section changes (and language switches): it should stay flat.

Prints RSS before, after a warm-up and after the run; asserts nothing.
Usage: .venv/bin/python benchmarks/ui_memory.py [--changes N]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from kiosk.config import Settings
from kiosk.core import open_core
from ui.app import KioskApp, create_application
from ui.main_window import SECTION_KEYS


def rss_mb() -> float:
    gc.collect()
    return float(psutil.Process().memory_info().rss) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=1000)
    args = parser.parse_args()
    app = create_application(sys.argv[:1])
    with tempfile.TemporaryDirectory() as data:
        core = open_core(Settings(), Path(data))
        kiosk = KioskApp(core)
        window = kiosk.window
        window.resize(1920, 1080)
        window.show()
        QThreadPool.globalInstance().waitForDone(10_000)  # the first release, read in the pool
        app.processEvents()
        start = rss_mb()
        services = window.services_section

        def one_change(i: int) -> None:
            window.show_section(SECTION_KEYS[i % len(SECTION_KEYS)])
            if i % 7 == 0 and services.cards:
                window.show_section("services")
                services.open_service(services.cards[i % len(services.cards)].service)
            if i % 50 == 0:
                kiosk.languages.set_language(("az", "en", "ru")[(i // 50) % 3])
            window.grab()  # paint it, as a screen would
            app.processEvents()

        for i in range(500):  # every section, service page and language combination once, caches filled
            one_change(i)
        warm = rss_mb()
        checkpoints = []
        for i in range(args.changes):
            one_change(i)
            if (i + 1) % max(1, args.changes // 4) == 0:
                checkpoints.append(f"{i + 1}: {rss_mb():.1f}")
        end = rss_mb()
        print(f"UI memory over {args.changes} section changes (with service pages and language switches)")
        print(f"  RSS at start {start:6.1f} MB, after warm-up {warm:6.1f} MB, after the run {end:6.1f} MB")
        print(f"  RSS (MB) along the run: {', '.join(checkpoints)}")
        print(f"  growth after warm-up: {end - warm:+.1f} MB (goal: < 5 MB)")
        kiosk.stop()
        core.close()
    QApplication.processEvents()


if __name__ == "__main__":
    main()
