"""The campaign video player with real H.264 files made by ffmpeg, offscreen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPixmap
from pytestqt.qtbot import QtBot

from kiosk.content.subtitles import Cue
from kiosk.core import KioskCore
from tests.media import TestVideos
from ui.app import KioskApp, create_application
from ui.widgets.video_player import VideoPlayer

WAIT_MS = 10_000


@pytest.fixture
def player(qtbot: QtBot) -> Iterator[VideoPlayer]:
    widget = VideoPlayer()
    qtbot.addWidget(widget)
    widget.resize(480, 270)
    widget.show()
    yield widget
    widget.stop()


def colours(image: QImage, area: QRect | None = None, step: int = 6) -> set[int]:
    """The distinct colours on a grid over ``area`` (the whole image by default)."""
    box = area or image.rect()
    return {
        image.pixel(x, y)
        for x in range(box.left(), box.right() + 1, step)
        for y in range(box.top(), box.bottom() + 1, step)
    }


def test_frames_arrive_and_a_screenshot_shows_the_picture(
    player: VideoPlayer, qtbot: QtBot, test_videos: TestVideos
) -> None:
    player.set_playlist([test_videos.long])
    player.play()
    qtbot.waitUntil(lambda: player.frame_count > 2, timeout=WAIT_MS)
    image = player.grab().toImage()
    assert len(colours(image)) > 10
    # 320x240 in 480x270: pillarboxed in black on both sides, the picture keeps its 4:3 shape
    assert image.pixelColor(5, 135) == QColor("black")
    assert image.pixelColor(474, 135) == QColor("black")


def test_a_single_video_loops_seamlessly(player: VideoPlayer, qtbot: QtBot, test_videos: TestVideos) -> None:
    times: list[int | None] = []
    player.frame_arrived.connect(lambda: times.append(player.frame_time_ms))
    player.set_playlist([test_videos.short])
    player.play()
    qtbot.waitUntil(lambda: player.loop_count >= 2, timeout=WAIT_MS)
    assert player.frame_count > 2 * test_videos.short_frames - 2  # the 10-frame clip played again
    restarts = [i for i in range(1, len(times)) if (times[i] or 0) < (times[i - 1] or 0)]
    assert len(restarts) >= 2  # frame times went back to the start: Qt looped the file
    assert all(times[i] == 0 for i in restarts)
    assert None not in times
    assert player.is_playing()


def test_a_playlist_advances_and_keeps_the_last_frame_while_the_next_file_opens(
    player: VideoPlayer, qtbot: QtBot, test_videos: TestVideos
) -> None:
    started: list[str] = []
    held_pictures: list[int] = []

    def on_change(path: str) -> None:
        started.append(path)
        if player.frame_count:  # the next file is opening: no frame of it has arrived yet
            held_pictures.append(len(colours(player.grab().toImage())))

    player.video_changed.connect(on_change)
    player.set_playlist([test_videos.short, test_videos.other])
    player.play()
    qtbot.waitUntil(lambda: player.loop_count >= 1 and len(started) >= 4, timeout=WAIT_MS)
    assert started[:4] == [str(test_videos.short), str(test_videos.other)] * 2
    assert held_pictures and min(held_pictures) > 10  # never black between items


def test_a_corrupt_file_is_skipped_and_the_next_plays(
    player: VideoPlayer, qtbot: QtBot, test_videos: TestVideos
) -> None:
    player.set_playlist([test_videos.corrupt, test_videos.long])
    with qtbot.waitSignal(player.failed, timeout=WAIT_MS) as failed:
        player.play()
    assert failed.args is not None and failed.args[0] == str(test_videos.corrupt)
    assert failed.args[1]
    qtbot.waitUntil(lambda: player.frame_count > 0, timeout=WAIT_MS)
    assert player.current == test_videos.long
    assert player.playlist == [test_videos.long]


def test_a_truncated_file_is_skipped_when_its_data_runs_out(
    player: VideoPlayer, qtbot: QtBot, test_videos: TestVideos
) -> None:
    player.set_playlist([test_videos.truncated, test_videos.short])
    with qtbot.waitSignal(player.failed, timeout=WAIT_MS) as failed:
        player.play()
    assert failed.args is not None and failed.args[0] == str(test_videos.truncated)
    frames_before = player.frame_count
    assert frames_before > 0  # its first part did play
    qtbot.waitUntil(lambda: player.frame_count > frames_before + 3, timeout=WAIT_MS)
    assert player.current == test_videos.short


def test_a_truncated_video_alone_is_not_looped(
    player: VideoPlayer, qtbot: QtBot, test_videos: TestVideos
) -> None:
    player.set_playlist([test_videos.truncated])
    with qtbot.waitSignals([player.failed, player.unavailable], timeout=WAIT_MS):
        player.play()
    assert player.loop_count == 0
    assert player.playlist == []


def test_nothing_playable_reports_unavailable_and_shows_the_poster(
    player: VideoPlayer, qtbot: QtBot, test_videos: TestVideos
) -> None:
    poster = QPixmap(64, 36)
    poster.fill(QColor("#1b7f4c"))
    failures: list[str] = []
    player.failed.connect(lambda path, _reason: failures.append(path))
    player.set_playlist([test_videos.corrupt, test_videos.headless], poster)
    with qtbot.waitSignal(player.unavailable, timeout=WAIT_MS):
        player.play()
    assert failures == [str(test_videos.corrupt), str(test_videos.headless)]
    assert not player.is_playing()
    image = player.grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2) == QColor("#1b7f4c")


def test_an_empty_playlist_is_unavailable_at_once(player: VideoPlayer, qtbot: QtBot) -> None:
    player.set_playlist([])
    with qtbot.waitSignal(player.unavailable, timeout=1_000):
        player.play()


def test_subtitles_follow_the_frame_on_screen(
    player: VideoPlayer, qtbot: QtBot, test_videos: TestVideos
) -> None:
    cues = [Cue(0, 400, "Günəş"), Cue(400, 800, "enerjisi"), Cue(1200, 2000, "ASAN xidmət")]
    seen: list[tuple[int | None, str]] = []
    player.frame_arrived.connect(lambda: seen.append((player.frame_time_ms, player.subtitle_now())))
    player.set_subtitles(cues)
    player.set_playlist([test_videos.long])
    player.play()
    qtbot.waitUntil(lambda: (player.frame_time_ms or 0) >= 1500, timeout=WAIT_MS)
    expected = {0: "Günəş", 1: "enerjisi", 2: "", 3: "ASAN xidmət"}
    for time_ms, text in seen:
        assert time_ms is not None
        assert text == expected[time_ms // 400], f"at {time_ms} ms"
    assert {text for _time, text in seen} == set(expected.values())


def test_a_subtitle_is_painted_at_the_bottom_over_the_video(
    player: VideoPlayer, qtbot: QtBot, test_videos: TestVideos
) -> None:
    player.set_playlist([test_videos.long])
    player.play()
    qtbot.waitUntil(lambda: player.frame_count > 2, timeout=WAIT_MS)
    player.pause()
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=WAIT_MS)
    plain = player.grab().toImage()
    player.set_subtitles([Cue(0, 60_000, "Bərpa olunan enerji")])
    subtitled = player.grab().toImage()
    top, bottom = QRect(0, 0, 480, 135), QRect(60, 200, 360, 70)
    assert plain.copy(top) == subtitled.copy(top)
    assert plain.copy(bottom) != subtitled.copy(bottom)
    assert QColor("white").rgb() in colours(subtitled, bottom, step=1)


def test_muted_by_default_and_a_tap_unmutes_for_a_while(player: VideoPlayer, qtbot: QtBot) -> None:
    assert player.is_muted()
    player.unmute_for(0.2)
    assert not player.is_muted()
    qtbot.waitUntil(player.is_muted, timeout=3_000)


def test_video_section_plays_the_demo_campaign_with_subtitles_in_the_visitors_language(
    qtbot: QtBot, core: KioskCore
) -> None:
    create_application([])
    kiosk = KioskApp(core)
    qtbot.addWidget(kiosk.window)
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    qtbot.waitUntil(lambda: kiosk.content.loaded)  # the first release is read in the thread pool
    section = kiosk.window.video_section
    assert section.has_video()
    kiosk.window.show_section("video")
    qtbot.waitUntil(lambda: section.player.frame_count > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: section.player.subtitle_now() != "", timeout=WAIT_MS)
    assert "ASAN" in section.player.subtitle_now() or "günəş" in section.player.subtitle_now().lower()
    kiosk.languages.set_language("ru")
    qtbot.waitUntil(
        lambda: any(ch in section.player.subtitle_now() for ch in "абвгдеёжзийклмнопрстуфхцчшщыэюя"),
        timeout=WAIT_MS,
    )
    kiosk.window.show_section("energy")
    assert not section.player.is_playing()  # only plays while on screen
    kiosk.stop()
