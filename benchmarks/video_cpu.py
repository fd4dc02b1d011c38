"""CPU of the kiosk's video player against ffmpeg decoding the same file, and memory over many loops.

Both play in real time for the same number of seconds in the same run; prints figures, asserts nothing.
Usage: .venv/bin/python benchmarks/video_cpu.py [--seconds N] [--loops N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.media import make_clip  # noqa: E402
from ui.widgets.video_player import VideoPlayer  # noqa: E402

VIDEO = ROOT / "resources" / "demo" / "media" / "campaign.mp4"


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_for(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--loops", type=int, default=500)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])

    before = cpu_seconds(resource.RUSAGE_CHILDREN)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", str(VIDEO), "-t", str(args.seconds),
         "-f", "null", "-"],
        check=True,
    )  # fmt: skip
    ffmpeg_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - before

    player = VideoPlayer()
    player.resize(1920, 1080)
    player.show()
    player.set_playlist([VIDEO])
    player.play()
    run_for(1.0)  # opening the file and the first frames are not the steady state
    start_cpu, start_wall, start_frames = (
        cpu_seconds(resource.RUSAGE_SELF),
        time.monotonic(),
        player.frame_count,
    )
    run_for(args.seconds)
    kiosk_cpu = cpu_seconds(resource.RUSAGE_SELF) - start_cpu
    wall = time.monotonic() - start_wall
    frames = player.frame_count - start_frames
    player.stop()
    print(f"Video CPU over {args.seconds:.0f} s of the 1280x720 25 fps campaign video, painted at 1920x1080")
    print(f"  ffmpeg decoding alone (-re): {100 * ffmpeg_cpu / args.seconds:5.1f} % of one core")
    share, rate = 100 * kiosk_cpu / wall, frames / wall
    print(f"  kiosk video player:          {share:5.1f} % of one core ({rate:.1f} frames/s)")
    ratio = kiosk_cpu / wall / (ffmpeg_cpu / args.seconds)
    print(f"  ratio player/ffmpeg: {ratio:.2f}  (goal <= 1.2)")

    with tempfile.TemporaryDirectory() as folder:
        clip = make_clip(Path(folder) / "short.mp4", seconds=0.2, size="320x180")
        player.set_playlist([clip])
        player.play()
        process = psutil.Process()
        rss = []
        target = args.loops
        frames_per_loop = 5  # 0.2 s at 25 fps; position updates are too coarse to count such short loops
        deadline = time.monotonic() + target * 0.2 * 3 + 30
        while player.frame_count // frames_per_loop < target and time.monotonic() < deadline:
            run_for(0.5)
            loops = player.frame_count // frames_per_loop
            if len(rss) < loops // max(1, target // 5):
                rss.append((loops, process.memory_info().rss / 2**20))
        player.stop()
    print(f"Memory over {target} loops of a 0.2 s clip: " + ", ".join(f"{n}: {mb:.1f} MB" for n, mb in rss))
    if len(rss) >= 2:
        print(
            f"  growth from the first to the last checkpoint: {rss[-1][1] - rss[0][1]:+.1f} MB (goal < 5 MB)"
        )
    app.quit()


if __name__ == "__main__":
    main()
