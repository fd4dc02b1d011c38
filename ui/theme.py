"""The look: the stylesheet in resources/ filled with sizes derived from the window and the colour set."""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from kiosk.paths import RESOURCES_DIR

STYLESHEET = RESOURCES_DIR / "style.qss"
FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
MIN_TOUCH_PX = 60

NORMAL_COLOURS = {
    "background": "#eef4f0",
    "surface": "#ffffff",
    "text": "#13261b",
    "muted": "#4f6357",
    "divider": "#c9d8ce",
    "accent": "#1b7f4c",
    "accent_dark": "#0e4d2e",
    "hero_border": "#0e4d2e",
    "accent_text": "#0e4d2e",
    "on_accent": "#ffffff",
    "on_accent_muted": "#cfe9d9",
    "sun": "#f2b705",
    "tag": "#dcefe3",
    "warning": "#a03a00",
    "emergency": "#b00020",
    "emergency_bg": "#fff0f0",
}
HIGH_CONTRAST_COLOURS = {
    "background": "#000000",
    "surface": "#000000",
    "text": "#ffffff",
    "muted": "#ffffff",
    "divider": "#ffffff",
    "accent": "#000000",
    "accent_dark": "#000000",
    "hero_border": "#ffffff",
    "accent_text": "#ffff00",
    "on_accent": "#ffff00",
    "on_accent_muted": "#ffffff",
    "sun": "#ffff00",
    "tag": "#000000",
    "warning": "#ffff00",
    "emergency": "#ffff00",
    "emergency_bg": "#000000",
}


@dataclass(frozen=True)
class Metrics:
    """Sizes in pixels for one window size: one unit is 1 px when the short side is 1080 px."""

    unit: float
    large_text: bool = False

    @classmethod
    def for_size(cls, width: int, height: int, *, large_text: bool = False) -> Metrics:
        return cls(max(min(width, height), 480) / 1080.0, large_text)

    def px(self, value: float) -> int:
        return max(1, round(value * self.unit))

    def font(self, value: float) -> int:
        return self.px(value * (1.3 if self.large_text else 1.0))

    @property
    def touch(self) -> int:
        """The smallest touch target: 60 px at 1080p, never less than 60 px on any screen."""
        return max(MIN_TOUCH_PX, self.px(72))


def stylesheet(metrics: Metrics, *, high_contrast: bool = False) -> str:
    """The application stylesheet for these metrics."""
    colours = HIGH_CONTRAST_COLOURS if high_contrast else NORMAL_COLOURS
    m = metrics
    values = {
        **colours,
        "font_small": f"{m.font(20)}px",
        "font_base": f"{m.font(25)}px",
        "font_large": f"{m.font(32)}px",
        "font_title": f"{m.font(44)}px",
        "font_huge": f"{m.font(64)}px",
        "font_hero": f"{m.font(104)}px",
        "font_figure": f"{m.px(64)}px",
        "touch": f"{m.touch}px",
        "touch_wide": f"{m.touch * 3}px",
        "touch_key": f"{max(m.touch, m.px(110))}px",
        "nav_height": f"{max(m.touch, m.px(96))}px",
        "pad": f"{m.px(24)}px",
        "gap_small": f"{m.px(8)}px",
        "radius": f"{m.px(18)}px",
        "radius_small": f"{m.px(10)}px",
        "line": f"{max(1, m.px(2))}px",
        "line_thick": f"{max(3, m.px(6))}px",
    }
    return Template(STYLESHEET.read_text(encoding="utf-8")).substitute(values)
