"""What every energy source returns, and the seam all sources share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class DeviceState(StrEnum):
    """What the device itself says it is doing, read from its own status where it has one.

    ``SLEEPING`` is a live plant producing 0 W (night, standby, MPPT waiting for light): never
    "offline". ``FAULT`` is a device that answers but reports an error state. A device that does not
    answer at all is not a reading: the source raises ``SourceError`` and the service calls it offline.
    """

    PRODUCING = "producing"
    SLEEPING = "sleeping"
    FAULT = "fault"


@dataclass(frozen=True)
class EnergyReading:
    """One reading from a source, as the source reported it.

    ``read_at`` is timezone-aware. ``energy_total_wh`` is the source's lifetime counter
    (None when the source has none, or when it is missing or not implemented in this answer);
    ``energy_today_wh`` is the source's own day counter where it has one. ``state`` is the
    device's own operating state; ``detail`` a short text from the device (e.g. its status code).
    """

    read_at: datetime
    power_w: float
    energy_total_wh: float | None
    energy_today_wh: float | None = None
    state: DeviceState = DeviceState.PRODUCING
    detail: str = ""


class Source(Protocol):
    """Anything the kiosk can read generation from (an inverter, a meter, a simulator)."""

    name: str

    def read(self) -> EnergyReading:
        """Read once, blocking; raise ``kiosk.errors.SourceError`` when the source cannot be read."""
        ...
