"""The campaign video section (until the player lands: the video's still image and title)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from kiosk.content.model import Video
from ui.i18n import LanguageController
from ui.sections.base import Section
from ui.theme import Metrics


class VideoSection(Section):
    """Shows the active release's campaign video, scaled to fit without distortion."""

    key = "video"

    def __init__(self, languages: LanguageController, parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.videos: tuple[Video, ...] = ()
        self.active = False
        self._poster = QPixmap()
        self.frame = QLabel(self)
        self.frame.setObjectName("VideoFrame")
        self.frame.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.frame.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.caption = QLabel(self)
        self.caption.setObjectName("VideoTitle")
        self.caption.setWordWrap(True)
        self.body.addWidget(self.frame, 1)
        self.body.addWidget(self.caption)
        self.retranslate()

    def nav_label(self) -> str:
        return self.tr("Campaign video")

    def show_videos(
        self, videos: tuple[Video, ...], resolve: Callable[[str | None], Path | None], poster: QPixmap
    ) -> None:
        self.videos = videos
        self._poster = poster
        self.retranslate()
        self._scale_poster()

    def has_video(self) -> bool:
        return bool(self.videos)

    def set_active(self, active: bool) -> None:
        """Play only while the section is on screen."""
        self.active = active

    def retranslate(self) -> None:
        self.title.setText(self.tr("Campaign video"))
        self.subtitle.setText(self.tr("ASAN xidmət centres are moving to clean solar energy"))
        language = self.languages.current or self.languages.default
        video = self.videos[0] if self.videos else None
        self.caption.setText(video.title.get(language) if video else self.tr("No video in this release"))

    def apply_layout(self, metrics: Metrics, portrait: bool) -> None:
        super().apply_layout(metrics, portrait)
        self._scale_poster()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_poster()

    def _scale_poster(self) -> None:
        if self._poster.isNull() or self.frame.width() < 2:
            self.frame.clear()
            return
        self.frame.setPixmap(
            self._poster.scaled(
                self.frame.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
