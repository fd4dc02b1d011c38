"""`main.py --screenshot DIR` renders every section, language and orientation, with no screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from tests.conftest import REPO_ROOT


def distinct_colours(image: QImage, step: int = 16) -> int:
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    )


def test_screenshot_mode_writes_every_section_language_and_orientation(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # main.py must set it itself
    env.pop("DISPLAY", None)
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "main.py"),
            "--screenshot",
            str(out),
            "--data-dir",
            str(tmp_path / "d"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    expected = {
        f"{view}_{language}_{w}x{h}{mode}.png"
        for view in ("energy", "video", "services", "service-page")
        for language in ("az", "en", "ru")
        for w, h in ((1920, 1080), (1080, 1920), (1366, 768))
        for mode in ("", "_large")
    } | {
        f"{overlay}_az_{w}x{h}.png"
        for overlay in ("pin-pad", "admin", "announcement", "emergency")
        for w, h in ((1920, 1080), (1080, 1920))
    }
    assert {p.name for p in out.iterdir()} == expected
    for name in expected:
        image = QImage(str(out / name))
        w, h = (int(v) for v in name.removesuffix(".png").split("_")[2].split("x"))
        assert (image.width(), image.height()) == (w, h), name
        assert distinct_colours(image) > 20, f"{name} looks blank"
    for language in ("az", "en", "ru"):  # the list, not the page the previous language left open
        cards, page = (
            QImage(str(out / f"{view}_{language}_1920x1080.png")) for view in ("services", "service-page")
        )
        assert cards != page, f"services_{language} shows the service page"
