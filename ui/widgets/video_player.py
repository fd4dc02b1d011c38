"""The campaign video: QMediaPlayer frames painted by the widget itself, with subtitles over them.

Painting the frames (QVideoSink) rather than using a native video surface keeps the last frame on
screen between loops (no black flash), lets subtitles be drawn over the picture, and makes the video
visible in ``grab()`` screenshots.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame, QVideoSink
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.content.subtitles import Cue, cue_at

log = logging.getLogger(__name__)


class VideoPlayer(QWidget):
    """Plays a playlist in a loop, muted unless a visitor taps; skips files that cannot be decoded."""

    frame_arrived = Signal()
    looped = Signal()
    failed = Signal(str, str)  # path, reason
    unavailable = Signal()  # nothing left to play: the caller shows a still image or text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.frame_count = 0
        self.loop_count = 0
        self.playlist: list[Path] = []
        self._index = 0
        self._current: Path | None = None
        self._frame: QVideoFrame | None = None
        self._poster = QImage()
        self._cues: tuple[Cue, ...] = ()
        self._last_position = 0
        self._player = QMediaPlayer(self)
        self._audio = QAudioOutput(self)
        self._audio.setMuted(True)
        self._player.setAudioOutput(self._audio)
        self._sink = QVideoSink(self)
        self._player.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._player.errorOccurred.connect(self._on_error)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.positionChanged.connect(self._on_position)
        self._remute = QTimer(self)
        self._remute.setSingleShot(True)
        self._remute.timeout.connect(lambda: self._audio.setMuted(True))

    # --- control ----------------------------------------------------------------------------------
    def set_playlist(self, files: Sequence[Path], poster: QPixmap | None = None) -> None:
        """Replace what plays; ``poster`` shows while nothing can be played."""
        self.stop()
        self.playlist = list(files)
        self._index = 0
        self._frame = None
        self._poster = poster.toImage() if poster is not None else QImage()
        self.update()

    def set_subtitles(self, cues: Sequence[Cue]) -> None:
        """Subtitles of the current language, painted over the video."""
        self._cues = tuple(cues)
        self.update()

    def play(self) -> None:
        if not self.playlist:
            self.unavailable.emit()
            return
        if self._player.source().isEmpty():
            self._load(self._index)
        self._player.play()

    def pause(self) -> None:
        self._player.pause()

    def stop(self) -> None:
        self._player.stop()
        self._player.setSource(QUrl())

    def is_playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def is_muted(self) -> bool:
        return self._audio.isMuted()

    def unmute_for(self, seconds: float) -> None:
        """A visitor tapped: sound for a while, then muted again (the lobby is a shared space)."""
        self._audio.setMuted(False)
        self._remute.start(max(1, int(seconds * 1000)))

    def subtitle_now(self) -> str:
        """The subtitle text shown at the current position (empty between cues)."""
        return cue_at(self._cues, self._player.position()) if self._cues else ""

    # --- player events ----------------------------------------------------------------------------
    def _load(self, index: int) -> None:
        self._index = index
        self._current = self.playlist[index]
        one = len(self.playlist) == 1
        self._player.setLoops(QMediaPlayer.Loops.Infinite if one else 1)
        self._player.setSource(QUrl.fromLocalFile(str(self.playlist[index])))
        self._last_position = 0

    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid():
            return  # keep painting the last good frame: no black flash between loops
        self._frame = frame
        self.frame_count += 1
        self.update()
        self.frame_arrived.emit()

    def _on_position(self, position: int) -> None:
        if position + 500 < self._last_position:
            self.loop_count += 1
            self.looped.emit()
        self._last_position = position
        if self._cues:
            self.update()

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia and len(self.playlist) > 1:
            self.loop_count += self._index == len(self.playlist) - 1
            self._load((self._index + 1) % len(self.playlist))
            self._player.play()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._skip("the file cannot be decoded")

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
            self._player.stop()
            self._frame = None
            self.update()
            self.unavailable.emit()
            return
        QTimer.singleShot(0, self._play_next_after_skip)

    def _play_next_after_skip(self) -> None:
        if self.playlist:
            self._load(self._index % len(self.playlist))
            self._player.play()

    # --- painting ---------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("black"))
        picture = self._frame.toImage() if self._frame is not None else QImage()
        if picture.isNull():
            picture = self._poster
        if not picture.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(self._fit(picture.width(), picture.height()), picture)
        text = self.subtitle_now()
        if text:
            self._paint_subtitle(painter, text)
        painter.end()

    def _fit(self, width: int, height: int) -> QRectF:
        if width <= 0 or height <= 0:
            return QRectF(self.rect())
        scale = min(self.width() / width, self.height() / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _paint_subtitle(self, painter: QPainter, text: str) -> None:
        font = QFont(self.font())
        font.setPixelSize(max(16, self.height() // 16))
        font.setBold(True)
        painter.setFont(font)
        margin = self.height() // 24
        area = QRectF(margin * 2, 0, self.width() - margin * 4, self.height() - margin)
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom) | int(
            Qt.TextFlag.TextWordWrap
        )
        bounds = painter.boundingRect(area, flags, text)
        band = bounds.adjusted(-margin, -margin / 2, margin, margin / 2)
        painter.fillRect(band, QColor(0, 0, 0, 170))
        painter.setPen(QColor("white"))
        painter.drawText(area, flags, text)
