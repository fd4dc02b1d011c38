"""Reading a Fronius inverter or Datamanager through the Fronius Solar API v1 (HTTP, JSON).

``GetPowerFlowRealtimeData.fcgi`` gives the site's PV power (``P_PV``, null while the inverter is not
producing) and its day and lifetime energy (``E_Day``, ``E_Total``, Wh). Newer firmware (GEN24) reports
``E_Day`` as null: the ledger then derives today's energy from ``E_Total``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import requests

from kiosk.energy.http_json import fetch_json, number_or_none
from kiosk.energy.reading import EnergyReading
from kiosk.errors import SourceError

POWER_FLOW_PATH = "solar_api/v1/GetPowerFlowRealtimeData.fcgi"


def power_flow_url(url: str) -> str:
    """The configured address as the power-flow endpoint: a base URL gets the documented path added."""
    if url.endswith(".fcgi") or url.endswith(".cgi"):
        return url
    return url.rstrip("/") + "/" + POWER_FLOW_PATH


class FroniusSource:
    """A Fronius Solar API v1 device; ``url`` is its base address (``http://192.0.2.10``) or the endpoint."""

    name = "fronius"

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 5.0,
        clock: Callable[[], datetime] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.url = power_flow_url(url)
        self.timeout = timeout
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._session = session or requests.Session()

    def read(self) -> EnergyReading:
        document = fetch_json(self._session, self.url, self.timeout, "Fronius Solar API")
        site = _site(document, self.url)
        what = f"Fronius Solar API at {self.url}"
        power = number_or_none(site, "P_PV", what)
        return EnergyReading(
            read_at=self._clock(),
            power_w=0.0 if power is None else power,
            energy_total_wh=number_or_none(site, "E_Total", what),
            energy_today_wh=number_or_none(site, "E_Day", what),
        )


def _site(document: Any, url: str) -> dict[str, Any]:
    try:
        status = document["Head"]["Status"]
        code = status["Code"]
    except (KeyError, TypeError) as exc:
        raise SourceError(f"Fronius Solar API at {url} answered without a status header") from exc
    if code != 0:
        reason = status.get("Reason") or status.get("UserMessage") or "no reason given"
        raise SourceError(f"Fronius Solar API at {url} reports error {code}: {reason}")
    try:
        site = document["Body"]["Data"]["Site"]
    except (KeyError, TypeError) as exc:
        raise SourceError(f"Fronius Solar API at {url} answered without site data") from exc
    if not isinstance(site, dict):
        raise SourceError(f"Fronius Solar API at {url} answered site data that is not an object")
    return site
