"""Reading a Fronius inverter or Datamanager through the Fronius Solar API v1 (HTTP, JSON).

``GetPowerFlowRealtimeData.fcgi`` gives the site's PV power (``P_PV``, null while the inverter sleeps)
and its day and lifetime energy (``E_Day``, ``E_Total``, Wh; null at night on some loggers, and
``E_Day`` always null on GEN24). Loggers without that endpoint (older Datalogger Web, IG) are read from
``GetInverterRealtimeData.cgi?Scope=System`` (per-inverter ``PAC``, ``DAY_ENERGY``, ``TOTAL_ENERGY``,
summed). A configured endpoint URL (path ending ``.cgi``/``.fcgi``, with or without a query) is used as
given; ``Scope=Device`` with ``DataCollection=CommonInverterData`` adds the inverter's status code.
Null power at night, or Solar API code 12 (device not available), is a sleeping inverter, not offline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from kiosk.energy.http_json import HttpStatusError, fetch_json, number_or_none
from kiosk.energy.reading import DeviceState, EnergyReading
from kiosk.errors import SourceError

log = logging.getLogger(__name__)

POWER_FLOW_PATH = "solar_api/v1/GetPowerFlowRealtimeData.fcgi"
INVERTER_SYSTEM_PATH = "solar_api/v1/GetInverterRealtimeData.cgi?Scope=System"
DEVICE_NOT_AVAILABLE = 12
"""Solar API status code of a Datamanager whose inverter is asleep (no answer on its bus at night)."""
RUNNING, ERROR = 7, 10
"""Inverter ``DeviceStatus.StatusCode``: 7 feeds in; 10 is an error; 0-6, 8, 9 are start-up, standby."""


def power_flow_url(url: str) -> str:
    """The configured address as an endpoint: a full endpoint URL as given, a base URL gets the power flow."""
    if _is_endpoint(url):
        return url
    return _base(url) + "/" + POWER_FLOW_PATH


def _is_endpoint(url: str) -> bool:
    path = urlsplit(url).path
    return path.endswith(".cgi") or path.endswith(".fcgi")


def _base(url: str) -> str:
    """Scheme and host (and any path prefix) of a base URL, without query or fragment."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


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
        self._may_fall_back = not _is_endpoint(url)
        self._base = _base(url)
        self.timeout = timeout
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._session = session or requests.Session()

    def read(self) -> EnergyReading:
        try:
            document = fetch_json(self._session, self.url, self.timeout, "Fronius Solar API")
        except HttpStatusError as exc:
            if not (self._may_fall_back and exc.status == 404):
                raise
            self.url, self._may_fall_back = self._base + "/" + INVERTER_SYSTEM_PATH, False
            log.info("Fronius logger has no power-flow endpoint: reading %s instead", self.url)
            document = fetch_json(self._session, self.url, self.timeout, "Fronius Solar API")
        what = f"Fronius Solar API at {self.url}"
        data = _data(document, what)
        if data is None:
            return EnergyReading(
                read_at=self._clock(),
                power_w=0.0,
                energy_total_wh=None,
                state=DeviceState.SLEEPING,
                detail="device not available (asleep)",
            )
        path = urlsplit(self.url).path
        if "GetInverterRealtimeData" in path:
            if "Scope=Device" in urlsplit(self.url).query:
                return self._device(data, what)
            return self._system(data, what)
        return self._power_flow(data, what)

    def _power_flow(self, data: dict[str, Any], what: str) -> EnergyReading:
        site = data.get("Site")
        if not isinstance(site, dict):
            raise SourceError(f"{what} answered without site data")
        power = number_or_none(site, "P_PV", what)
        return EnergyReading(
            read_at=self._clock(),
            power_w=0.0 if power is None else power,
            energy_total_wh=number_or_none(site, "E_Total", what),
            energy_today_wh=number_or_none(site, "E_Day", what),
            state=DeviceState.SLEEPING if power is None or power <= 0 else DeviceState.PRODUCING,
        )

    def _system(self, data: dict[str, Any], what: str) -> EnergyReading:
        power = _sum_values(data, "PAC", what)
        return EnergyReading(
            read_at=self._clock(),
            power_w=0.0 if power is None else power,
            energy_total_wh=_sum_values(data, "TOTAL_ENERGY", what),
            energy_today_wh=_sum_values(data, "DAY_ENERGY", what),
            state=DeviceState.SLEEPING if power is None or power <= 0 else DeviceState.PRODUCING,
        )

    def _device(self, data: dict[str, Any], what: str) -> EnergyReading:
        power = _value(data, "PAC", what)
        status = data.get("DeviceStatus")
        code = status.get("StatusCode") if isinstance(status, dict) else None
        error = status.get("ErrorCode") if isinstance(status, dict) else None
        if code == ERROR:
            state = DeviceState.FAULT
        elif code in (RUNNING, None) and power is not None and power > 0:
            state = DeviceState.PRODUCING
        else:
            state = DeviceState.SLEEPING
        return EnergyReading(
            read_at=self._clock(),
            power_w=0.0 if power is None else power,
            energy_total_wh=_value(data, "TOTAL_ENERGY", what),
            energy_today_wh=_value(data, "DAY_ENERGY", what),
            state=state,
            detail="" if code is None else f"status code {code}, error code {error}",
        )


def _data(document: Any, what: str) -> dict[str, Any] | None:
    """The answer's ``Body.Data``; None when the logger says its inverter is not available (asleep)."""
    try:
        status = document["Head"]["Status"]
        code = status["Code"]
    except (KeyError, TypeError) as exc:
        raise SourceError(f"{what} answered without a status header") from exc
    if code == DEVICE_NOT_AVAILABLE:
        return None
    if code != 0:
        reason = status.get("Reason") or status.get("UserMessage") or "no reason given"
        raise SourceError(f"{what} reports error {code}: {reason}")
    try:
        data = document["Body"]["Data"]
    except (KeyError, TypeError) as exc:
        raise SourceError(f"{what} answered without data") from exc
    if not isinstance(data, dict):
        raise SourceError(f"{what} answered data that is not an object")
    return data


def _sum_values(data: dict[str, Any], key: str, what: str) -> float | None:
    """Sum of ``{key: {"Values": {"1": n, ...}}}`` over inverters; None when absent, empty or any is null."""
    channel = data.get(key)
    if channel is None:
        return None
    values = channel.get("Values") if isinstance(channel, dict) else None
    if not isinstance(values, dict):
        raise SourceError(f"{what}: {key} has no Values object")
    if not values or len(values) > 100:
        return None
    numbers = [number_or_none(values, name, f"{what}: {key}") for name in values]
    if any(n is None for n in numbers):
        return None
    return sum(n for n in numbers if n is not None)


def _value(data: dict[str, Any], key: str, what: str) -> float | None:
    """``{key: {"Value": n}}`` of a single device; None when absent or null."""
    channel = data.get(key)
    if channel is None:
        return None
    if not isinstance(channel, dict):
        raise SourceError(f"{what}: {key} is not an object")
    return number_or_none(channel, "Value", f"{what}: {key}")
