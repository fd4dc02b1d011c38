"""Network-wide figures of all centres from the central server's energy feed (a JSON document).

The central server serves it at ``/api/network`` (a kiosk token is needed); the feed is a JSON object
``{"read_at": "2026-06-21T09:00:00+04:00", "power_w": 812000.0, "energy_total_wh": 1.2e9,
"energy_today_wh": 3.1e6, "centres": 27}``; ``read_at`` (aware ISO 8601) and ``energy_today_wh`` are
optional, so a stale feed shows its own age.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import requests

from kiosk.central_connection import CentralConnection, CentralConnectionError
from kiosk.energy.reading import EnergyReading
from kiosk.errors import SourceError
from kiosk.wire import NetworkTotals


class CentralFeedError(CentralConnectionError, SourceError):
    """The feed cannot be read: a source error (the tile goes offline) from the central connection."""


class CentralFeedSource:
    """The central feed; ``name`` is "central" as this centre's source, "network" for all centres."""

    def __init__(
        self,
        url: str,
        *,
        name: str = "central",
        timeout: float = 5.0,
        clock: Callable[[], datetime] | None = None,
        session: requests.Session | None = None,
        token: str | None = None,
    ) -> None:
        self.url = url
        self.name = name
        self.timeout = timeout
        self.centres: int | None = None
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._http = CentralConnection(
            url,
            token or "",
            what="Central energy feed",
            timeout=(timeout, timeout),
            error=CentralFeedError,
            session=session,
        )

    def read(self) -> EnergyReading:
        what = f"central energy feed at {self.url}"
        document = self._http.get_json(self.url)
        try:
            totals = NetworkTotals.from_json(document, now=self._clock())
        except ValueError as exc:
            raise SourceError(f"{what}: {exc}") from exc
        self.centres = totals.centres
        return EnergyReading(
            read_at=totals.read_at,
            power_w=totals.power_w,
            energy_total_wh=totals.energy_total_wh,
            energy_today_wh=totals.energy_today_wh,
        )
