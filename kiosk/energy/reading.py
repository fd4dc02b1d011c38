"""What every energy source returns, and the seam all sources share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class EnergyReading:
    """One reading from a source, as the source reported it.

    ``read_at`` is timezone-aware. ``energy_total_wh`` is the source's lifetime counter
    (None when the source has none); ``energy_today_wh`` is the source's own day counter
    where it has one.
    """

    read_at: datetime
    power_w: float
    energy_total_wh: float | None
    energy_today_wh: float | None = None


class Source(Protocol):
    """Anything the kiosk can read generation from (an inverter, a meter, a simulator)."""

    name: str

    def read(self) -> EnergyReading:
        """Read once, blocking; raise ``kiosk.errors.SourceError`` when the source cannot be read."""
        ...
