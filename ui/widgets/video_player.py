"""The campaign video: QMediaPlayer frames painted by the widget itself, with subtitles over them.

Painting the frames (QVideoSink) rather than using a native video surface keeps the last frame on
screen between loops and playlist items (no black flash), lets subtitles be drawn over the picture,
and makes the video visible in ``grab()`` screenshots.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame, QVideoSink
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.content.subtitles import Cue, cue_at

log = logging.getLogger(__name__)

LETTERBOX = QColor(0, 0, 0)
SUBTITLE_BAND = QColor(0, 0, 0, 170)
SUBTITLE_TEXT = QColor(255, 255, 255)
TRUNCATION_TOLERANCE_MS = 1000  # an audio track may outlast the picture a little
SUBTITLE_FONT_FRACTION = 1 / 18  # of the widget's height: readable from a few metres at any size
_TEXT_FLAGS = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom) | int(
    Qt.TextFlag.TextWordWrap
)


class VideoPlayer(QWidget):
    """Plays a playlist in a loop, muted unless a visitor taps; skips files that cannot be decoded.

    Signals: ``frame_arrived`` (each decoded frame), ``looped`` (the playlist started over),
    ``video_changed(path)`` (a file starts), ``failed(path, reason)`` (a file was skipped) and
    ``unavailable`` (nothing playable is left: the caller shows a still image or text instead).
    """

    frame_arrived = Signal()
    looped = Signal()
    video_changed = Signal(str)
    failed = Signal(str, str)
    unavailable = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.frame_count = 0
        self.loop_count = 0
        self.smooth_scaling = True
        self.playlist: list[Path] = []
        self._index = 0
        self._current: Path | None = None
        self._frame: QVideoFrame | None = None  # the newest frame, converted only when painted
        self._image = QImage()  # the picture on screen: kept until a newer frame replaces it
        self._image_ms = 0
        self._last_start_us = -1
        self._last_end_us = -1
        self._poster = QImage()
        self._cues: tuple[Cue, ...] = ()
        self._subtitle_font = QFont(self.font())
        self._player = QMediaPlayer(self)
        self._audio = QAudioOutput(self)
        self._audio.setMuted(True)
        self._player.setAudioOutput(self._audio)
        self._sink = QVideoSink(self)
        self._player.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._player.errorOccurred.connect(self._on_error)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._remute = QTimer(self)
        self._remute.setSingleShot(True)
        self._remute.timeout.connect(self._mute)

    # --- control ----------------------------------------------------------------------------------
    def set_playlist(self, files: Sequence[Path], poster: QPixmap | None = None) -> None:
        """Replace what plays; ``poster`` shows while no frame has arrived and when nothing can play."""
        self.stop()
        self.playlist = list(files)
        self._index = 0
        self._current = None
        self._frame = None
        self._image = QImage()
        self._poster = poster.toImage() if poster is not None and not poster.isNull() else QImage()
        self.update()

    def set_subtitles(self, cues: Sequence[Cue]) -> None:
        """Subtitles of the current language for the playing video, painted over it."""
        self._cues = tuple(cues)
        self.update()

    def play(self) -> None:
        """Start or resume; with an empty playlist, report ``unavailable`` at once."""
        if not self.playlist:
            self.unavailable.emit()
            return
        if self._player.source().isEmpty():
            self._load(self._index)
        self._player.play()

    def pause(self) -> None:
        """Hold the current frame on screen (the section is hidden, or a visitor paused)."""
        self._player.pause()

    def stop(self) -> None:
        """Release the file; the last frame stays painted until the playlist changes."""
        self._player.stop()
        self._player.setSource(QUrl())

    def is_playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def is_muted(self) -> bool:
        return self._audio.isMuted()

    @property
    def current(self) -> Path | None:
        """The file playing (or loading) now."""
        return self._current

    @property
    def frame_time_ms(self) -> int | None:
        """Where in its file the newest frame is (None before the first frame): what subtitles follow."""
        return self._picture_ms()

    def unmute_for(self, seconds: float) -> None:
        """A visitor tapped: sound for a while, then muted again (the lobby is a shared space)."""
        self._audio.setMuted(False)
        self._remute.start(max(1, round(seconds * 1000)))

    def subtitle_now(self) -> str:
        """The subtitle painted now: the cue at the time of the newest frame (empty between cues)."""
        position = self._picture_ms()
        return "" if position is None else self.subtitle_at(position)

    def subtitle_at(self, position_ms: int) -> str:
        """The subtitle the widget paints over the frame at ``position_ms``."""
        return cue_at(self._cues, position_ms) if self._cues else ""

    # --- player events ----------------------------------------------------------------------------
    def _mute(self) -> None:
        self._audio.setMuted(True)

    def _load(self, index: int) -> None:
        self._index = index
        self._current = self.playlist[index]
        self._last_start_us = -1
        self._last_end_us = -1
        single = len(self.playlist) == 1
        self._player.setLoops(QMediaPlayer.Loops.Infinite if single else 1)
        self._player.setSource(QUrl.fromLocalFile(str(self._current)))
        self.video_changed.emit(str(self._current))

    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid():
            return  # end of file or a new source: keep the last picture, no black flash
        start = frame.startTime()
        if 0 <= start < self._last_start_us and len(self.playlist) == 1:
            # Qt loops a single file seamlessly without a status change; its frame times start over.
            if self._ended_early():
                return
            self.loop_count += 1
            self.looped.emit()
        self._last_start_us = start
        self._last_end_us = frame.endTime()
        self._frame = frame
        self.frame_count += 1
        self.update()
        self.frame_arrived.emit()

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia and len(self.playlist) > 1:
            if self._ended_early():
                return
            following = (self._index + 1) % len(self.playlist)
            self._load(following)
            self._player.play()
            if following == 0:
                self.loop_count += 1
                self.looped.emit()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._skip("the file cannot be decoded")

    def _ended_early(self) -> bool:
        """Skip a file whose data stops well before its stated length (a truncated copy); FFmpeg
        reports a clean cut as a normal end, and the kiosk would loop a video that stops mid-sentence."""
        duration_ms = self._player.duration()
        played_ms = self._last_end_us // 1000
        if duration_ms <= 0 or played_ms <= 0:
            return False
        if played_ms >= duration_ms - min(TRUNCATION_TOLERANCE_MS, duration_ms // 5):
            return False
        self._skip(
            f"the file stops at {played_ms / 1000:.1f} s of its {duration_ms / 1000:.1f} s (truncated)"
        )
        return True

    def _on_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        self._skip(message or "playback error")

    def _skip(self, reason: str) -> None:
        # Qt reports a broken file twice (an error and an InvalidMedia status): skip it once.
        bad = self._current
        if bad is None or bad not in self.playlist:
            return
        self._current = None
        self.playlist.remove(bad)
        log.error("Skipping campaign video %s: %s", bad, reason)
        self.failed.emit(str(bad), reason)
        if not self.playlist:
            self.stop()
            self._frame = None
            self._image = QImage()
            self.update()
            log.error("No playable campaign video left")
            self.unavailable.emit()
            return
        # Not from inside the player's own signal: it is still tearing the broken file down.
        QTimer.singleShot(0, self._play_after_skip)

    def _play_after_skip(self) -> None:
        if self.playlist and self._current is None:
            self._load(self._index % len(self.playlist))
            self._player.play()

    # --- painting ---------------------------------------------------------------------------------
    def _picture_ms(self) -> int | None:
        """The time in its file of the newest frame; None while no frame is shown (poster or black)."""
        if self._frame is not None:
            return max(0, self._frame.startTime() // 1000)
        return None if self._image.isNull() else self._image_ms

    def _take_frame(self) -> None:
        """Convert the newest frame (YUV to RGB, the costly part) once, when it is about to be shown."""
        frame, self._frame = self._frame, None
        if frame is None:
            return
        image = frame.toImage()
        if image.isNull():
            log.warning("A video frame could not be converted for painting (format %s)", frame.pixelFormat())
            return
        self._image = image
        self._image_ms = max(0, frame.startTime() // 1000)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._take_frame()
        picture = self._image if not self._image.isNull() else self._poster
        painter = QPainter(self)
        if picture.isNull():
            painter.fillRect(self.rect(), LETTERBOX)
        else:
            target = self._fit(picture.width(), picture.height())
            self._paint_letterbox(painter, target)
            if target.size() != picture.size():
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.smooth_scaling)
            painter.drawImage(target, picture)
        text = self.subtitle_now()
        if text:
            self._paint_subtitle(painter, text)
        painter.end()

    def _fit(self, width: int, height: int) -> QRect:
        """The largest rectangle of the picture's aspect ratio, centred; whole pixels keep blits fast."""
        scale = min(self.width() / width, self.height() / height)
        w, h = round(width * scale), round(height * scale)
        return QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    def _paint_letterbox(self, painter: QPainter, picture: QRect) -> None:
        whole = self.rect()
        if picture.top() > 0:
            painter.fillRect(QRect(0, 0, whole.width(), picture.top()), LETTERBOX)
        if picture.bottom() < whole.bottom():
            painter.fillRect(
                QRect(0, picture.bottom() + 1, whole.width(), whole.bottom() - picture.bottom()), LETTERBOX
            )
        if picture.left() > 0:
            painter.fillRect(QRect(0, 0, picture.left(), whole.height()), LETTERBOX)
        if picture.right() < whole.right():
            painter.fillRect(
                QRect(picture.right() + 1, 0, whole.right() - picture.right(), whole.height()), LETTERBOX
            )

    def _paint_subtitle(self, painter: QPainter, text: str) -> None:
        size = max(14, round(self.height() * SUBTITLE_FONT_FRACTION))
        if self._subtitle_font.pixelSize() != size or self._subtitle_font.family() != self.font().family():
            self._subtitle_font = QFont(self.font())
            self._subtitle_font.setPixelSize(size)
        painter.setFont(self._subtitle_font)
        margin = max(4, self._subtitle_font.pixelSize() // 2)
        area = QRectF(margin * 2, 0, self.width() - margin * 4, self.height() - margin * 2)
        bounds = painter.boundingRect(area, _TEXT_FLAGS, text)
        painter.fillRect(bounds.adjusted(-margin, -margin / 2, margin, margin / 2), SUBTITLE_BAND)
        painter.setPen(SUBTITLE_TEXT)
        painter.drawText(area, _TEXT_FLAGS, text)
