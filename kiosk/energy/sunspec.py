"""Reading a SunSpec inverter or meter over Modbus TCP with the SunSpec Alliance's pysunspec2.

SunSpec is the register map SMA, Fronius, SolarEdge, Huawei and most inverters speak: the kiosk
discovers the device's models once, then reads the inverter model (101/102/103, the float variants
111/112/113, or the DER model 701) on every poll, with the scale factors applied by pysunspec2.
pysunspec2's client is blocking: call ``read()`` from a worker thread.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sunspec2.modbus.client import SunSpecModbusClientDeviceTCP

from kiosk.energy.reading import EnergyReading
from kiosk.errors import SourceError

log = logging.getLogger(__name__)

# Inverter models in order of preference, each with its AC power and lifetime energy points.
INVERTER_MODELS: tuple[tuple[int, str, str], ...] = (
    (103, "W", "WH"),
    (102, "W", "WH"),
    (101, "W", "WH"),
    (113, "W", "WH"),
    (112, "W", "WH"),
    (111, "W", "WH"),
    (701, "W", "TotWhInj"),
)


class SunSpecSource:
    """A SunSpec device on Modbus TCP; the connection is kept open and rebuilt after any failure."""

    name = "sunspec"

    def __init__(
        self,
        host: str,
        port: int = 502,
        unit_id: int = 1,
        *,
        timeout: float = 5.0,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.unit_id = unit_id
        self.timeout = timeout
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._device: Any = None
        self._model: Any = None
        self._points: tuple[str, str] = ("W", "WH")
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        return f"SunSpec device {self.host}:{self.port} unit {self.unit_id}"

    def read(self) -> EnergyReading:
        """Read AC power and lifetime energy; SourceError when the device cannot be read or makes no sense."""
        with self._lock:
            try:
                if self._model is None:
                    self._discover()
                self._model.read()
                power = self._point(self._points[0])
                energy = self._point(self._points[1])
            except SourceError:
                self._forget()
                raise
            # pysunspec2 raises its own untyped errors as well as OSError and struct errors: every
            # failure of one poll is reported the same way and the connection is rebuilt next time.
            except Exception as exc:
                self._forget()
                raise SourceError(f"{self.where} cannot be read: {exc}".strip()) from exc
        if power is None:
            raise SourceError(f"{self.where} does not report AC power (point {self._points[0]} unset)")
        if not math.isfinite(power):
            raise SourceError(f"{self.where} reports AC power {power!r}")
        return EnergyReading(read_at=self._clock(), power_w=float(power), energy_total_wh=energy)

    def close(self) -> None:
        with self._lock:
            self._forget()

    def _discover(self) -> None:
        device = SunSpecModbusClientDeviceTCP(
            slave_id=self.unit_id, ipaddr=self.host, ipport=self.port, timeout=self.timeout
        )
        device.scan(connect=True, full_model_read=False)
        for model_id, power_point, energy_point in INVERTER_MODELS:
            models = device.models.get(model_id)
            if models:
                device.connect()
                self._device, self._model = device, models[0]
                self._points = (power_point, energy_point)
                log.info("%s: reading model %d (models found: %s)", self.where, model_id, _ids(device))
                return
        raise SourceError(f"{self.where} has no inverter model (found models {_ids(device)})")

    def _point(self, name: str) -> float | None:
        point = self._model.points.get(name)
        if point is None:
            return None
        value = point.cvalue
        return None if value is None else float(value)

    def _forget(self) -> None:
        if self._device is not None:
            self._device.disconnect()
        self._device = None
        self._model = None


def _ids(device: Any) -> str:
    return ", ".join(str(key) for key in device.models if isinstance(key, int)) or "none"
