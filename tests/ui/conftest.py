from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core import KioskCore
from ui.app import KioskApp, create_application


@pytest.fixture
def kiosk(qtbot: QtBot, core: KioskCore) -> Iterator[KioskApp]:
    """The real kiosk UI over a core with a fresh store, shown at 1920x1080 (offscreen)."""
    create_application([])
    app = KioskApp(core)
    qtbot.addWidget(app.window)
    app.window.resize(1920, 1080)
    app.window.show()
    qtbot.waitExposed(app.window)
    qtbot.waitUntil(lambda: app.content.loaded)  # the first release is read in the thread pool
    yield app
    app.stop()


@pytest.fixture(scope="session")
def test_videos(tmp_path_factory: pytest.TempPathFactory) -> object:
    """Small H.264 clips and broken files (a tests.media.TestVideos), made with ffmpeg once per session."""
    from tests.media import make_test_videos

    return make_test_videos(tmp_path_factory.mktemp("videos"))
