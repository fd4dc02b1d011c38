"""The campaign video player with real H.264 files made by ffmpeg, offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from kiosk.content.subtitles import Cue
from tests.media import make_clip, make_corrupt
from ui.widgets.video_player import VideoPlayer


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {
        "good": make_clip(folder / "good.mp4", seconds=1.0),
        "corrupt": make_corrupt(folder / "corrupt.mp4"),
    }


@pytest.fixture
def player(qtbot: QtBot) -> VideoPlayer:
    widget = VideoPlayer()
    qtbot.addWidget(widget)
    widget.resize(480, 270)
    widget.show()
    return widget


def test_frames_arrive_and_the_video_loops(player: VideoPlayer, qtbot: QtBot, clips: dict[str, Path]) -> None:
    player.set_playlist([clips["good"]])
    player.play()
    qtbot.waitUntil(lambda: player.frame_count > 0, timeout=10_000)
    with qtbot.waitSignal(player.looped, timeout=15_000):
        pass
    assert player.loop_count >= 1
    assert player.frame_count > 25  # more frames than the 1 s clip holds: it played again
    assert player.is_playing()


def test_painted_frame_is_a_picture_not_a_blank(
    player: VideoPlayer, qtbot: QtBot, clips: dict[str, Path]
) -> None:
    player.set_playlist([clips["good"]])
    player.play()
    qtbot.waitUntil(lambda: player.frame_count > 2, timeout=10_000)
    image = player.grab().toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 12)
        for y in range(0, image.height(), 12)
    }
    assert len(colours) > 10


def test_corrupt_file_is_skipped_and_the_next_plays(
    player: VideoPlayer, qtbot: QtBot, clips: dict[str, Path]
) -> None:
    player.set_playlist([clips["corrupt"], clips["good"]])
    with qtbot.waitSignal(player.failed, timeout=10_000) as failed:
        player.play()
    assert failed.args[0] == str(clips["corrupt"])
    qtbot.waitUntil(lambda: player.frame_count > 0, timeout=10_000)
    assert player.playlist == [clips["good"]]


def test_nothing_playable_reports_unavailable_and_shows_the_poster(
    player: VideoPlayer, qtbot: QtBot, clips: dict[str, Path]
) -> None:
    from PySide6.QtGui import QPixmap

    poster = QPixmap(64, 36)
    poster.fill(QColor("#1b7f4c"))
    player.set_playlist([clips["corrupt"]], poster)
    with qtbot.waitSignal(player.unavailable, timeout=10_000):
        player.play()
    image = player.grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2) == QColor("#1b7f4c")


def test_subtitles_follow_the_position(player: VideoPlayer, qtbot: QtBot, clips: dict[str, Path]) -> None:
    player.set_playlist([clips["good"]])
    player.set_subtitles([Cue(0, 60_000, "Günəş enerjisi")])
    player.play()
    qtbot.waitUntil(lambda: player.frame_count > 0, timeout=10_000)
    assert player.subtitle_now() == "Günəş enerjisi"
    player.set_subtitles([Cue(60_000, 70_000, "later")])
    assert player.subtitle_now() == ""


def test_muted_by_default_and_a_tap_unmutes_for_a_while(player: VideoPlayer, qtbot: QtBot) -> None:
    assert player.is_muted()
    player.unmute_for(0.2)
    assert not player.is_muted()
    qtbot.waitUntil(player.is_muted, timeout=3_000)


def test_video_section_plays_the_demo_campaign_with_subtitles_in_the_visitors_language(
    qtbot: QtBot, core: object
) -> None:
    from kiosk.core import KioskCore
    from ui.app import KioskApp, create_application

    assert isinstance(core, KioskCore)
    create_application([])
    kiosk = KioskApp(core)
    qtbot.addWidget(kiosk.window)
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    section = kiosk.window.video_section
    assert section.has_video()
    kiosk.window.show_section("video")
    qtbot.waitUntil(lambda: section.player.frame_count > 0, timeout=10_000)
    qtbot.waitUntil(lambda: section.player.subtitle_now() != "", timeout=10_000)
    assert "ASAN" in section.player.subtitle_now() or "günəş" in section.player.subtitle_now().lower()
    kiosk.languages.set_language("ru")
    qtbot.waitUntil(
        lambda: any(ch in section.player.subtitle_now() for ch in "абвгдеёжзийклмнопрстуфхцчшщыэюя"),
        timeout=10_000,
    )
    kiosk.window.show_section("energy")
    assert not section.player.is_playing()  # only plays while on screen
    kiosk.stop()
