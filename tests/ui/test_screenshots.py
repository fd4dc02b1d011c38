"""`main.py --screenshot DIR` renders every section, service page and announcement, with no screen."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtGui import QImage

from kiosk.content.source import load_demo_content
from kiosk.outbox import Outbox
from kiosk.paths import DEMO_CONTENT_DIR
from kiosk.store.db import open_store
from tests.conftest import REPO_ROOT


def distinct_colours(image: QImage, step: int = 16) -> int:
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    )


def screenshot(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "shots"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # main.py must set it itself
    env.pop("DISPLAY", None)
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "main.py"), "--screenshot", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_screenshot_mode_draws_every_view_of_the_release_and_records_no_plays(tmp_path: Path) -> None:
    # A kiosk that reports to a central server: a screenshot run is not a visitor.
    (tmp_path / "kiosk.token").write_text("a-kiosk-token\n", encoding="utf-8")
    (tmp_path / "kiosk.toml").write_text(
        '[central]\nurl = "http://127.0.0.1:9"\ntoken_file = "kiosk.token"\n', encoding="utf-8"
    )
    data = tmp_path / "d"
    out = screenshot(
        tmp_path, "--config", str(tmp_path / "kiosk.toml"), "--data-dir", str(data),
        "--languages", "az,ru", "--sizes", "1920x1080,1080x1920",
    )  # fmt: skip
    _doc, content = load_demo_content(DEMO_CONTENT_DIR)
    views = ["energy", "video", "services"]
    views += [f"service-{s.id}" for s in content.services]
    views += [f"announcement-{a.id}" for a in content.announcements]
    sizes = ((1920, 1080), (1080, 1920))
    expected = {
        f"{view}_{language}_{w}x{h}{mode}.png"
        for view in views
        for language in ("az", "ru")
        for w, h in sizes
        for mode in ("", "_large")
    } | {
        f"{overlay}_az_{w}x{h}.png"
        for overlay in ("pin-pad", "admin", "announcement", "emergency")
        for w, h in sizes
    }
    written = {p.name for p in out.iterdir()}
    assert expected <= written
    # The demo's 11 cards need a second screen in landscape: the grid is scrolled, not cut off.
    assert "services-page2_az_1920x1080.png" in written
    assert written - expected == {name for name in written if name.startswith("services-page")}
    for name in written:
        image = QImage(str(out / name))
        w, h = (int(v) for v in name.removesuffix(".png").split("_")[2].split("x"))
        assert (image.width(), image.height()) == (w, h), name
        assert distinct_colours(image) > 20, f"{name} looks blank"
    for language in ("az", "ru"):
        cards, page = (
            QImage(str(out / f"{view}_{language}_1920x1080.png"))
            for view in ("services", f"service-{content.services[0].id}")
        )
        assert cards != page, f"services_{language} shows the service page"
        energy = QImage(str(out / f"energy_{language}_1920x1080.png"))
        notice = QImage(str(out / f"announcement-{content.announcements[0].id}_{language}_1920x1080.png"))
        assert energy != notice, "the energy section is hidden under the announcement"
    pages = {(out / f"service-{s.id}_az_1080x1920.png").read_bytes() for s in content.services[:3]}
    assert len(pages) == 3, "each service has its own page"
    video = QImage(str(out / "video_az_1920x1080.png"))
    centre = video.copy(video.width() // 3, video.height() // 3, video.width() // 3, video.height() // 4)
    assert distinct_colours(centre, step=8) > 20, "the video is a black box, not a frame"

    store = open_store(data)
    try:
        assert Outbox(store).count() == 0
    finally:
        store.close()


def test_a_thumbnail_width_out_of_range_is_refused_before_anything_is_drawn(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    for width in ("5", "4000"):
        result = subprocess.run(
            [sys.executable, str(REPO_ROOT / "main.py"), "--screenshot", str(out), "--thumbnails", width],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert result.returncode == 2
        assert f"--thumbnails: expected a width of 80 to 1920 pixels, got {width}" in result.stderr
    assert not out.exists()


def test_a_screenshot_run_ends_at_once_when_asked_to_stop(tmp_path: Path) -> None:
    """A server stopping mid-preview sends SIGTERM: the render must not run on to its end."""
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "main.py"), "--screenshot", str(out),
         "--data-dir", str(tmp_path / "d"), "--languages", "az,en,ru", "--sizes", "1920x1080,1080x1920"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (out.is_dir() and any(out.glob("*.png"))):
            assert time.monotonic() < deadline and child.poll() is None, "no picture was drawn"
            time.sleep(0.05)  # another process writes it: nothing to wait on but the file
        child.send_signal(signal.SIGTERM)
        assert child.wait(5) == -signal.SIGTERM
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    assert len(list(out.glob("*.png"))) < 20  # six renders of about 15 pictures each were asked for
