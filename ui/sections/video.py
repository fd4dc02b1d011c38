"""The campaign video section: the active release's videos, looping, muted until a visitor taps."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.content.model import Video
from kiosk.content.subtitles import Cue, load_subtitles
from kiosk.errors import ContentError
from ui.i18n import LanguageController
from ui.sections.base import Section
from ui.widgets.video_player import VideoPlayer

log = logging.getLogger(__name__)


class VideoSection(Section):
    """Plays while on screen; a file that cannot be decoded is skipped, and with none left the still
    image and title stay on screen instead of a black frame."""

    key = "video"

    def __init__(self, languages: LanguageController, parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.videos: tuple[Video, ...] = ()
        self.active = False
        self.unmute_seconds = 30
        self._resolve: Callable[[str | None], Path | None] = lambda _ref: None
        self._subtitles: dict[str, tuple[Cue, ...]] = {}
        self._ids: dict[str, str] = {}
        self.player = VideoPlayer(self)
        self.player.setObjectName("VideoFrame")
        self.player.installEventFilter(self)
        self.player.unavailable.connect(self._on_unavailable)
        self.caption = QLabel(self)
        self.caption.setObjectName("VideoTitle")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)  # content text: markup shows as characters
        self.caption.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("SectionSubtitle")
        self.hint.setWordWrap(True)
        self.body.addWidget(self.player, 1)
        self.body.addWidget(self.caption)
        self.body.addWidget(self.hint)
        self._playable = True
        self.retranslate()

    def nav_label(self) -> str:
        return self.tr("Campaign video")

    def show_videos(
        self, videos: tuple[Video, ...], resolve: Callable[[str | None], Path | None], poster: QPixmap
    ) -> None:
        """Load the release's videos (files from the local cache) and their subtitles."""
        self.videos = videos
        self._resolve = resolve
        found = [(v.id, resolve(v.file)) for v in videos]
        files = [path for _id, path in found if path is not None]
        self._ids = {str(path): video_id for video_id, path in found if path is not None}
        self._playable = bool(files)
        self.player.set_playlist(files, poster)
        self._subtitles = {}
        if videos:
            for language, ref in videos[0].subtitles.items():
                path = resolve(ref)
                if path is None:
                    continue
                try:
                    self._subtitles[language] = load_subtitles(path)
                except ContentError as exc:
                    log.error("Subtitles not shown: %s", exc)
        self.retranslate()
        if self.active:
            self.player.play()

    def video_id(self, path: str) -> str:
        """The content's id of the video file at ``path`` (what proof of play counts), "" if unknown."""
        return self._ids.get(path, "")

    def has_video(self) -> bool:
        return bool(self.videos) and self._playable

    def set_active(self, active: bool) -> None:
        """Play only while the section is on screen (saves CPU and power the rest of the time)."""
        if active == self.active:
            return
        self.active = active
        if active and self._playable:
            self.player.play()
        else:
            self.player.pause()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Campaign video"))
        self.subtitle.setText(self.tr("ASAN xidmət centres are moving to clean solar energy"))
        language = self.languages.current or self.languages.default
        video = self.videos[0] if self.videos else None
        self.caption.setText(video.title.get(language) if video else self.tr("No video in this release"))
        if not self._playable and video:
            self.hint.setText(self.tr("The video cannot be played on this kiosk right now."))
        else:
            self.hint.setText(self.tr("Tap the video to hear it"))
        cues = self._subtitles.get(language) or self._subtitles.get("az") or ()
        self.player.set_subtitles(cues)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.player and event.type() == QEvent.Type.MouseButtonRelease:
            assert isinstance(event, QMouseEvent)
            self.player.unmute_for(self.unmute_seconds)
        return False

    def _on_unavailable(self) -> None:
        self._playable = False
        self.retranslate()
