"""CPU of the kiosk's video player against ffmpeg decoding the same clip, and memory over many loops.

Every CPU figure comes from its own process, measured in the same run over the same seconds of real-time
playback: ``ffmpeg -re … -f null -`` (decoding alone), Qt decoding into a QVideoSink with nothing painted,
and the VideoPlayer widget painting every frame 1:1 and scaled to 1920x1080 (smooth and fast scaling).
Then one process loops a 0.2 s clip 500 times and prints its RSS. Prints figures; asserts nothing.
Usage: .venv/bin/python benchmarks/video_cpu.py [--seconds N] [--loops N] [--clip FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.media import make_clip  # noqa: E402

WARM_UP_S = 1.5  # opening the file and the first frames are not the steady state


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def ffmpeg_cpu(clip: Path, seconds: float) -> float:
    """Share of one core ffmpeg needs to decode the clip in real time (-re), with nothing shown."""
    before = cpu_seconds(resource.RUSAGE_CHILDREN)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", str(clip), "-t", str(seconds),
         "-f", "null", "-"],
        check=True,
    )  # fmt: skip
    return (cpu_seconds(resource.RUSAGE_CHILDREN) - before) / seconds


def child(clip: Path, seconds: float, mode: str, size: tuple[int, int], smooth: bool) -> dict[str, float]:
    """One measurement in this (fresh) process: decode only, or the VideoPlayer painting every frame."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, QUrl
    from PySide6.QtMultimedia import QMediaPlayer, QVideoSink
    from PySide6.QtWidgets import QApplication

    from ui.widgets.video_player import VideoPlayer

    app = QApplication(sys.argv[:1])
    frames = [0]
    paints = [0]

    class PaintCounter(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                paints[0] += 1
            return False

    def run_for(duration: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(duration * 1000), loop.quit)
        loop.exec()

    if mode == "decode":
        player = QMediaPlayer()
        sink = QVideoSink()
        player.setVideoSink(sink)
        sink.videoFrameChanged.connect(lambda _frame: frames.__setitem__(0, frames[0] + 1))
        player.setLoops(QMediaPlayer.Loops.Infinite)
        player.setSource(QUrl.fromLocalFile(str(clip)))
        player.play()
    else:
        widget = VideoPlayer()
        counter = PaintCounter()
        widget.installEventFilter(counter)
        widget.smooth_scaling = smooth
        widget.resize(*size)
        widget.show()
        widget.frame_arrived.connect(lambda: frames.__setitem__(0, frames[0] + 1))
        widget.set_playlist([clip])
        widget.play()
    run_for(WARM_UP_S)
    cpu0, wall0, frames0, paints0 = cpu_seconds(resource.RUSAGE_SELF), time.monotonic(), frames[0], paints[0]
    run_for(seconds)
    wall = time.monotonic() - wall0
    result = {
        "cpu": (cpu_seconds(resource.RUSAGE_SELF) - cpu0) / wall,
        "fps": (frames[0] - frames0) / wall,
        "paints": (paints[0] - paints0) / wall,
    }
    app.quit()
    return result


def loop_child(clip: Path, loops: int) -> list[tuple[int, float]]:
    """RSS (MB) at checkpoints while the VideoPlayer loops a very short clip ``loops`` times."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.widgets.video_player import VideoPlayer

    app = QApplication(sys.argv[:1])
    page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20
    widget = VideoPlayer()
    widget.resize(640, 360)
    widget.show()
    checkpoints: list[tuple[int, float]] = []
    step = max(1, loops // 10)
    loop = QEventLoop()

    def on_loop() -> None:
        if widget.loop_count == 1 or widget.loop_count % step == 0:
            resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
            checkpoints.append((widget.loop_count, resident_pages * page_mb))
        if widget.loop_count >= loops:
            loop.quit()

    widget.looped.connect(on_loop)
    widget.set_playlist([clip])
    widget.play()
    QTimer.singleShot(int(loops * 0.2 * 3 * 1000) + 30_000, loop.quit)  # never hang on a stuck player
    loop.exec()
    widget.stop()
    app.quit()
    return checkpoints


def run_child(*arguments: str) -> object:
    output = subprocess.run(
        [sys.executable, __file__, *arguments], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds measured per figure")
    parser.add_argument("--loops", type=int, default=500)
    parser.add_argument("--clip", type=Path, help="a 1280x720 clip; default: a 10 s testsrc2 clip made now")
    parser.add_argument("--child", choices=["decode", "player", "loops"], help=argparse.SUPPRESS)
    parser.add_argument("--size", default="1920x1080", help=argparse.SUPPRESS)
    parser.add_argument("--fast", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "loops":
        print(json.dumps(loop_child(args.clip, args.loops)))
        return
    if args.child:
        width, height = (int(n) for n in args.size.split("x"))
        print(json.dumps(child(args.clip, args.seconds, args.child, (width, height), not args.fast)))
        return

    with tempfile.TemporaryDirectory() as folder:
        clip = args.clip or make_clip(Path(folder) / "clip.mp4", seconds=10, size="1280x720")
        short = make_clip(Path(folder) / "short.mp4", seconds=0.2, size="320x180")
        seconds = str(args.seconds)
        print(
            f"Video CPU, {args.seconds:.0f} s of real-time playback of {clip.name} each (share of one core)"
        )
        base = ffmpeg_cpu(clip, args.seconds)
        print(f"  ffmpeg -re decoding alone:                      {100 * base:5.1f} %")
        runs = [
            ("Qt decoding into a QVideoSink, nothing painted", ["--child", "decode"]),
            ("VideoPlayer painting 1:1 at 1280x720", ["--child", "player", "--size", "1280x720"]),
            ("VideoPlayer at 1920x1080, smooth scaling", ["--child", "player", "--size", "1920x1080"]),
            (
                "VideoPlayer at 1920x1080, fast scaling",
                ["--child", "player", "--size", "1920x1080", "--fast"],
            ),
        ]
        for label, extra in runs:
            figures = run_child("--clip", str(clip), "--seconds", seconds, *extra)
            assert isinstance(figures, dict)
            share = figures["cpu"]
            print(
                f"  {label + ':':47s} {100 * share:5.1f} %  ({share / base:.2f}x ffmpeg; "
                f"{figures['fps']:.1f} frames/s, {figures['paints']:.1f} paints/s)"
            )
        print("  goal: the player at most 1.2x ffmpeg")

        print(f"Memory while looping a 0.2 s clip {args.loops} times (VideoPlayer, 640x360)")
        checkpoints = run_child("--child", "loops", "--clip", str(short), "--loops", str(args.loops))
        assert isinstance(checkpoints, list)
        for loops, megabytes in checkpoints:
            print(f"  after {loops:4d} loops: RSS {megabytes:6.1f} MB")
        if len(checkpoints) >= 2:
            (first, start_mb), (last, end_mb) = checkpoints[0], checkpoints[-1]
            print(f"  growth from loop {first} to {last}: {end_mb - start_mb:+.1f} MB (goal < 5 MB)")


if __name__ == "__main__":
    main()
