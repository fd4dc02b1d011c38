"""Time from process start to the first painted frame, and peak memory: the kiosk vs a bare window.

Both run in fresh processes, in the same run, on the same platform plugin (offscreen unless
QT_QPA_PLATFORM says otherwise). Prints figures; asserts nothing.
Usage: .venv/bin/python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# The child prints "PAINTED <peak RSS in kB>" from the first paint event of a top-level window, then exits.
CHILD_PRELUDE = """
import os, resource, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.isWindow():
            print("PAINTED", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
            os._exit(0)
        return False

app = QApplication(sys.argv[:1])
watcher = FirstPaint()
app.installEventFilter(watcher)
"""

BARE = (
    CHILD_PRELUDE
    + """
from PySide6.QtWidgets import QLabel, QMainWindow
window = QMainWindow()
window.setCentralWidget(QLabel("Green Kiosk"))
window.resize(1920, 1080)
window.show()
app.exec()
"""
)

KIOSK = (
    CHILD_PRELUDE
    + """
sys.path.insert(0, {root!r})
import main
sys.exit(main.main(["--windowed", "--data-dir", {data!r}, "--log-level", "WARNING"]))
"""
)


def measure(code: str) -> tuple[float, float]:
    """Seconds to first paint and peak RSS in MB for one fresh process."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("PAINTED"):
            elapsed = time.perf_counter() - start
            proc.wait(timeout=30)
            return elapsed, int(line.split()[1]) / 1024.0
    proc.wait(timeout=30)
    raise RuntimeError(f"child exited with {proc.returncode} before painting")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        kiosk_code = KIOSK.format(root=str(REPO_ROOT), data=data)
        measure(kiosk_code)  # first run creates and migrates the database: not a kiosk's usual start
        results: dict[str, list[tuple[float, float]]] = {"bare": [], "kiosk": []}
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            results["bare"].append(measure(BARE))
            results["kiosk"].append(measure(kiosk_code))
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    print(f"Start-up to first painted frame, median of {args.runs} runs (platform: {platform})")
    medians = {}
    for name, runs in results.items():
        seconds = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        medians[name] = (seconds, rss)
        print(f"  {name:>5}: {seconds:6.3f} s   peak RSS {rss:6.1f} MB")
    ratio = medians["kiosk"][0] / medians["bare"][0]
    print(f"  ratio kiosk/bare: time {ratio:.2f}   RSS {medians['kiosk'][1] / medians['bare'][1]:.2f}")
    print("  goals: time ratio <= 1.3, kiosk RSS < 180 MB")


if __name__ == "__main__":
    main()
