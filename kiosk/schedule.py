"""What shows when: item schedules, centre targeting, announcements and display hours.

Pure functions of the content, the centre and a centre-local time, so every boundary can be tested by
moving a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from kiosk.content.model import Announcement, Content, Schedule, Service, Video
from kiosk.errors import ConfigError
from kiosk.hours import parse_hours
from kiosk.wire import LEVELS


def for_centre(centres: tuple[str, ...], centre: str) -> bool:
    """An item without a centre list is for every centre."""
    return not centres or centre in centres


def visible_services(content: Content, centre: str, local_now: datetime) -> tuple[Service, ...]:
    return tuple(
        s for s in content.services if for_centre(s.centres, centre) and s.schedule.allows(local_now)
    )


def visible_videos(content: Content, centre: str, local_now: datetime) -> tuple[Video, ...]:
    return tuple(v for v in content.videos if for_centre(v.centres, centre) and v.schedule.allows(local_now))


def active_announcements(content: Content, centre: str, now: datetime) -> tuple[Announcement, ...]:
    """The announcements showing now, the most urgent level first, then the newest."""
    live = [a for a in content.announcements if for_centre(a.centres, centre) and a.starts <= now < a.ends]
    rank = {level: index for index, level in enumerate(LEVELS)}
    return tuple(sorted(live, key=lambda a: (rank.get(a.level, 0), a.starts), reverse=True))


def active_announcement(content: Content, centre: str, now: datetime) -> Announcement | None:
    """The most urgent announcement showing now (emergencies first, then the newest), or None."""
    live = active_announcements(content, centre, now)
    return live[0] if live else None


@dataclass(frozen=True)
class DisplayHours:
    """When the screen is on; outside these hours it goes black and wakes on touch."""

    schedule: Schedule

    @classmethod
    def parse(cls, hours: str, weekdays: list[int]) -> DisplayHours:
        """From config: hours like "08:30-19:00" (empty: all day) and ISO weekdays (empty: every day)."""
        span: tuple[time, time] | None = None
        if hours:
            try:
                span = parse_hours(hours)
            except ValueError as exc:
                raise ConfigError(f"display hours: {exc}") from exc
        if any(d < 1 or d > 7 for d in weekdays):
            raise ConfigError(f"display weekdays: expected numbers 1 (Monday) to 7 (Sunday), got {weekdays}")
        return cls(Schedule(weekdays=tuple(weekdays), hours=span))

    def screen_on(self, local_now: datetime) -> bool:
        return self.schedule.allows(local_now)
