"""Start-up of the packaged kiosk (PyInstaller bundle) against running it from source; and sizes.

Both are timed from process start to ``READY=1`` on a notify socket, the message systemd waits for: the
kiosk sends it from the first turn of its event loop, right after the window is shown, so it is within
a frame of the first paint and is measured the same way for both. ``--cold`` drops the page cache
before every run (root only), as after a power cut; otherwise the runs are warm. Prints; asserts nothing.

Usage: .venv/bin/python benchmarks/package_startup.py BUNDLE_DIR [--deb FILE] [--runs N] [--cold]
(BUNDLE_DIR is build/packaging/bundle/green-kiosk after packaging/build.sh.)
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def time_to_ready(command: list[str], data_dir: Path, cold: bool) -> float:
    if cold:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    with tempfile.TemporaryDirectory() as tmp, socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        path = Path(tmp) / "notify"
        sock.bind(str(path))
        sock.settimeout(120)
        env = dict(os.environ, NOTIFY_SOCKET=str(path))
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*command, "--windowed", "--data-dir", str(data_dir), "--log-level", "WARNING"],
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while b"READY=1" not in sock.recv(4096).splitlines():
                pass
            return time.perf_counter() - start
        finally:
            proc.terminate()
            proc.wait(30)


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--deb", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each run (root)")
    args = parser.parse_args()
    commands = {
        "source": [sys.executable, str(REPO_ROOT / "main.py")],
        "packaged": [str(args.bundle / "green-kiosk")],
    }
    results: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as data:
        for command in commands.values():  # the first start creates and migrates the database
            time_to_ready(command, Path(data), cold=False)
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            for name, command in commands.items():
                results[name].append(time_to_ready(command, Path(data), args.cold))
    kind = "cold (page cache dropped)" if args.cold else "warm"
    print(f"Start to READY=1 (window shown, event loop running), {kind}, median of {args.runs}:")
    for name, runs in results.items():
        print(f"  {name:>8}: {statistics.median(runs):6.2f} s   (min {min(runs):.2f}, max {max(runs):.2f})")
    print(f"Bundle: {size_mb(args.bundle):.0f} MB")
    if args.deb:
        print(f"Package: {size_mb(args.deb):.0f} MB ({args.deb.name})")


if __name__ == "__main__":
    main()
