"""Figures for the energy dashboard: update latency, CPU while it updates, and chart render time.

1. latency: a value changes on a SunSpec Modbus TCP simulator; time until the dashboard's power label
   shows it and has been painted (the poll interval aside: each poll is started right after the change).
2. cpu: the real kiosk (main.py, simulator source polled every 2 s, energy section shown) in its own
   process; CPU time of that process over a measuring window, as a percentage of one core.
3. chart: a simulated year through the real accounting path (as benchmarks/energy_year.py does), then
   the 30-day bars query and the bars painted into an image at their on-screen size.

Never asserted; run by hand:

    .venv/bin/python benchmarks/energy_ui.py [latency] [cpu] [chart] [--days 365] [--cpu-seconds 60]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from PySide6.QtCore import QEvent, QObject, QSize  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from benchmarks.energy_year import timed  # noqa: E402
from kiosk.energy.service import EnergyService, EnergySnapshot  # noqa: E402
from kiosk.energy.simulator import ClearSkySource  # noqa: E402
from kiosk.store.db import open_store  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.bridge import EnergyFeed  # noqa: E402
from ui.i18n import LanguageController  # noqa: E402
from ui.sections.energy import EnergySection  # noqa: E402
from ui.theme import Metrics, stylesheet  # noqa: E402
from ui.widgets.day_bars import DayBars  # noqa: E402


class PaintWatch(QObject):
    """Notes when a label is first painted showing the text ``arm()`` was given."""

    def __init__(self, label: QLabel) -> None:
        super().__init__()
        self.label = label
        self.expected = ""
        self.painted_at: float | None = None
        label.installEventFilter(self)

    def arm(self, expected: str) -> None:
        self.expected, self.painted_at = expected, None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            event.type() == QEvent.Type.Paint
            and self.painted_at is None
            and self.label.text() == self.expected
        ):
            self.painted_at = time.perf_counter()
        return False


def wait_for(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the dashboard did not update in time")
        QApplication.processEvents()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def section_on_screen(languages: LanguageController) -> EnergySection:
    section = EnergySection(languages)
    metrics = Metrics.for_size(1920, 1080)
    section.setStyleSheet(stylesheet(metrics))
    section.apply_layout(metrics, portrait=False)
    section.resize(1920, 880)
    section.show()
    QApplication.processEvents()
    return section


def bench_latency(samples: int) -> None:
    from kiosk.energy.sunspec import SunSpecSource
    from tests.kiosk.energy.peers import SunSpecSimulator

    simulator = SunSpecSimulator(W=10_000, WH=1_000_000)
    simulator.start()
    languages = LanguageController("en")
    languages.set_language("en")
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        source = SunSpecSource("127.0.0.1", simulator.port, 1, timeout=5.0)
        service = EnergyService(source, store, rated_power_w=30_000.0)
        feed = EnergyFeed(service, 3600.0)
        section = section_on_screen(languages)
        feed.updated.connect(section.show_snapshot)
        watch = PaintWatch(section.power.value)
        poll_ms: list[float] = []
        original = service.poll_once

        def timed_poll() -> EnergySnapshot:
            began = time.perf_counter()
            try:
                return original()
            finally:
                poll_ms.append((time.perf_counter() - began) * 1000.0)

        service.poll_once = timed_poll  # type: ignore[method-assign]
        feed.poll()
        wait_for(lambda: section.power.value.text() != "–")
        poll_ms.clear()
        total_ms: list[float] = []
        for index in range(samples):
            watts = 10_000 + 123 * (index % 50 + 1) * (1 if index % 2 else -1)
            shown = f"{watts / 1000:.1f}"
            watch.arm(shown)
            began = time.perf_counter()
            simulator.set(W=watts)
            feed.poll()
            wait_for(lambda: watch.painted_at is not None)
            assert watch.painted_at is not None
            total_ms.append((watch.painted_at - began) * 1000.0)
        feed.stop()
        store.close()
        source.close()
    simulator.stop()
    print(f"latency, Modbus register change -> power label painted ({samples} changes):")
    print(
        f"  median {statistics.median(total_ms):.1f} ms, p95 {percentile(total_ms, 0.95):.1f} ms, "
        f"max {max(total_ms):.1f} ms"
    )
    print(
        f"  of which EnergyService.poll_once (Modbus read + accounting + SQLite write): "
        f"median {statistics.median(poll_ms):.1f} ms"
    )


def bench_cpu(seconds: float, warmup: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "kiosk.toml"
        config.write_text("[energy]\npoll_seconds = 2.0\n[display]\nidle_seconds = 86400\n", encoding="utf-8")
        command = [sys.executable, str(ROOT / "main.py"), "--config", str(config), "--data-dir", folder]
        env = dict(os.environ)
        xvfb = subprocess.run(["which", "xvfb-run"], capture_output=True, text=True).stdout.strip()
        if xvfb:  # a real X server at 1920x1080, full screen as on a kiosk
            env.pop("QT_QPA_PLATFORM", None)
            command = [xvfb, "-a", "-s", "-screen 0 1920x1080x24", *command]
            where = "Xvfb 1920x1080, full screen"
        else:
            env["QT_QPA_PLATFORM"] = "offscreen"
            command.append("--windowed")
            where = "offscreen, 1280x800 window"
        runner = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            time.sleep(warmup)
            kiosk = next(
                (
                    p
                    for p in psutil.Process(runner.pid).children(recursive=True)
                    if "main.py" in " ".join(p.cmdline())
                ),
                psutil.Process(runner.pid),
            )
            before = kiosk.cpu_times()
            began = time.perf_counter()
            time.sleep(seconds)
            after = kiosk.cpu_times()
            wall = time.perf_counter() - began
            rss_mb = kiosk.memory_info().rss / 1e6
        finally:
            os.killpg(runner.pid, signal.SIGTERM)
            runner.wait(30)
    used = (after.user - before.user) + (after.system - before.system)
    print(
        f"cpu, kiosk process with the dashboard updating every 2 s ({where}, {wall:.0f} s after "
        f"{warmup:.0f} s warm-up):"
    )
    print(
        f"  {used / wall * 100:.2f} % of one core (user {after.user - before.user:.2f} s, "
        f"system {after.system - before.system:.2f} s), RSS {rss_mb:.0f} MB"
    )


def bench_chart(days: int) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    now = [start]
    source = ClearSkySource(30_000.0, seed=3, clock=lambda: now[0])
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        service = EnergyService(source, store, rated_power_w=30_000.0, clock=lambda: now[0])
        began = time.perf_counter()
        end = start + timedelta(days=days)
        while now[0] < end:
            service.poll_once()
            now[0] += timedelta(minutes=5)
        feed_s = time.perf_counter() - began
        service.history.prune(now[0])
        until = (now[0] - timedelta(days=1)).astimezone(service.zone).date()
        query_ms = timed(50, lambda: service.history.daily_totals(30, until=until))
        bars_data = service.history.daily_totals(30, until=until)
        store.close()
    chart = DayBars()
    metrics = Metrics.for_size(1920, 1080)
    chart.setStyleSheet(stylesheet(metrics))
    chart.resize(QSize(560, 300))  # its size in the 1920x1080 layout
    image = QImage(chart.size(), QImage.Format.Format_ARGB32_Premultiplied)

    def render() -> None:
        chart.days = []  # force a repaint of new data
        chart.set_days(until, bars_data)
        chart.render(image)

    render_ms = timed(50, render)
    print(f"chart, 30-day bars from a simulated {days}-day database (fed in {feed_s:.0f} s):")
    print(
        f"  daily_totals query {query_ms:.2f} ms ({len(bars_data)} days) + paint {render_ms:.2f} ms "
        f"= {query_ms + render_ms:.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", default=["latency", "cpu", "chart"])
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--cpu-seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=15.0)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    create_application([])
    if "latency" in args.parts:
        bench_latency(args.samples)
    if "chart" in args.parts:
        bench_chart(args.days)
    if "cpu" in args.parts:
        bench_cpu(args.cpu_seconds, args.warmup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
