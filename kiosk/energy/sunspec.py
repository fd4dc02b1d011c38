"""Reading a SunSpec inverter or meter over Modbus TCP with the SunSpec Alliance's pysunspec2.

SunSpec is the register map SMA, Fronius, SolarEdge and most inverters speak: the kiosk discovers the
device's models once, then reads one model on every poll, with the scale factors applied by
pysunspec2: an inverter model (101/102/103, the float variants 111/112/113, or the DER model 701) or,
on a device without one, a production meter (201–204, float 211–214). The inverter's own operating
state (``St``, ``InvSt`` in 701) tells a sleeping plant (0 W, live) from a broken one.
pysunspec2's client is blocking: call ``read()`` from a worker thread.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sunspec2.modbus.client import SunSpecModbusClientDeviceTCP

from kiosk.energy.reading import DeviceState, EnergyReading
from kiosk.errors import SourceError

log = logging.getLogger(__name__)

# What an operating state means for the screen: the plant is asleep (0 W is right), producing, or in
# fault. 101–103 and 111–113 share ``St``; 701 numbers its ``InvSt`` differently.
ASLEEP, RUNNING, FAULTY = "asleep", "running", "fault"
ST_10X = {
    1: ("OFF", ASLEEP),
    2: ("SLEEPING", ASLEEP),
    3: ("STARTING", ASLEEP),
    4: ("MPPT", RUNNING),
    5: ("THROTTLED", RUNNING),
    6: ("SHUTTING_DOWN", ASLEEP),
    7: ("FAULT", FAULTY),
    8: ("STANDBY", ASLEEP),
}
INVST_701 = {
    0: ("OFF", ASLEEP),
    1: ("SLEEPING", ASLEEP),
    2: ("STARTING", ASLEEP),
    3: ("RUNNING", RUNNING),
    4: ("THROTTLED", RUNNING),
    5: ("SHUTTING_DOWN", ASLEEP),
    6: ("FAULT", FAULTY),
    7: ("STANDBY", ASLEEP),
}
# 32-bit counters mean "not implemented" by 0 (SunSpec acc32), some devices by the uint32 marker.
COUNTER_NOT_IMPLEMENTED = (0, 0xFFFFFFFF)
DETAIL_LIMIT = 160


@dataclass(frozen=True)
class ModelLayout:
    """Where one SunSpec model keeps the figures the kiosk reads."""

    kind: str  # "inverter" or "meter"
    energy: tuple[str, ...]  # lifetime counter(s); a meter has one per direction
    state: str | None = None  # the operating state point
    states: dict[int, tuple[str, str]] | None = None
    events: str | None = None  # the alarm bitfield shown with a fault


INVERTER_10X = ModelLayout("inverter", ("WH",), "St", ST_10X, "Evt1")
DER_701 = ModelLayout("inverter", ("TotWhInj",), "InvSt", INVST_701, "Alrm")
METER = ModelLayout("meter", ("TotWhExp", "TotWhImp"))

# Models in order of preference: an inverter model wins over a meter on the same device.
MODELS: tuple[tuple[int, ModelLayout], ...] = (
    (103, INVERTER_10X),
    (102, INVERTER_10X),
    (101, INVERTER_10X),
    (113, INVERTER_10X),
    (112, INVERTER_10X),
    (111, INVERTER_10X),
    (701, DER_701),
    (203, METER),
    (204, METER),
    (202, METER),
    (201, METER),
    (213, METER),
    (214, METER),
    (212, METER),
    (211, METER),
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
        self._model_id = 0
        self._layout = INVERTER_10X
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        return f"SunSpec device {self.host}:{self.port} unit {self.unit_id}"

    def read(self) -> EnergyReading:
        """Read AC power, lifetime energy and state; SourceError when unreadable or nonsense."""
        with self._lock:
            try:
                if self._model is None:
                    self._discover()
                self._model.read()
                if self._layout.kind == "meter":
                    return self._meter_reading()
                return self._inverter_reading()
            except SourceError:
                self._forget()
                raise
            # pysunspec2 raises its own untyped errors as well as OSError and struct errors: every
            # failure of one poll is reported the same way and the connection is rebuilt next time.
            except Exception as exc:
                self._forget()
                raise SourceError(f"{self.where} cannot be read: {exc}".strip()) from exc

    def close(self) -> None:
        with self._lock:
            self._forget()

    def _inverter_reading(self) -> EnergyReading:
        """An inverter's power as its own state explains it: asleep or in fault without AC power is 0 W."""
        layout = self._layout
        power = self._value("W")
        energy = self._counter(layout.energy[0])
        code = self._raw(layout.state) if layout.state else None
        label, meaning = (layout.states or {}).get(code, (None, None)) if code is not None else (None, None)
        state_text = f"{layout.state}={code} {label or 'unknown'}" if code is not None else ""
        if meaning == FAULTY:
            events = self._event_names(layout.events)
            detail = f"{state_text}; {layout.events}: {events}" if events else state_text
            return self._reading(max(power or 0.0, 0.0), energy, DeviceState.FAULT, detail)
        if power is None:
            if meaning == RUNNING:
                raise SourceError(
                    f"{self.where} says it is producing ({state_text}) but does not report AC power"
                )
            # Asleep by its own word, or (as SMA inverters do at night) no state and no power at all:
            # a live plant making nothing, not a silent one.
            detail = state_text or f"no AC power and no operating state (model {self._model_id})"
            return self._reading(0.0, energy, DeviceState.SLEEPING, detail)
        detail = state_text
        if power < 0:
            # An inverter drawing its own standby power (or a hybrid charging from the grid) produces 0 W.
            detail = f"{state_text}; drawing {-power:g} W".lstrip("; ")
            power = 0.0
        asleep = meaning == ASLEEP and power == 0.0
        return self._reading(power, energy, DeviceState.SLEEPING if asleep else DeviceState.PRODUCING, detail)

    def _meter_reading(self) -> EnergyReading:
        """A production meter: production flows the way its larger lifetime counter has grown.

        SunSpec meters count power into the site as positive (import). A meter on the PV output
        installed the usual way sees production as export (negative W, ``TotWhExp`` growing); one
        installed the other way round sees it as import. The direction whose counter is larger is the
        production; power the other way (the inverter's standby draw at night) is 0 W.
        """
        exported = self._counter("TotWhExp")
        imported = self._counter("TotWhImp")
        export_is_production = (exported or 0.0) >= (imported or 0.0)
        energy = exported if export_is_production else imported
        raw = self._value("W")
        if raw is None:
            raise SourceError(f"{self.where} (meter model {self._model_id}) does not report power W")
        power = -raw if export_is_production else raw
        direction = "export" if export_is_production else "import"
        detail = f"meter {self._model_id}, production = {direction}"
        if power < 0:
            detail += f"; drawing {-power:g} W"
            power = 0.0
        state = DeviceState.PRODUCING if power > 0 else DeviceState.SLEEPING
        return self._reading(power, energy, state, detail)

    def _reading(self, power: float, energy: float | None, state: DeviceState, detail: str) -> EnergyReading:
        if not math.isfinite(power):
            raise SourceError(f"{self.where} reports AC power {power!r}")
        return EnergyReading(
            read_at=self._clock(),
            power_w=float(power),
            energy_total_wh=energy,
            state=state,
            detail=detail[:DETAIL_LIMIT],
        )

    def _discover(self) -> None:
        device = SunSpecModbusClientDeviceTCP(
            slave_id=self.unit_id, ipaddr=self.host, ipport=self.port, timeout=self.timeout
        )
        device.scan(connect=True, full_model_read=False)
        for model_id, layout in MODELS:
            models = device.models.get(model_id)
            if models:
                device.connect()
                self._device, self._model = device, models[0]
                self._model_id, self._layout = model_id, layout
                log.info("%s: reading model %d (models found: %s)", self.where, model_id, _ids(device))
                return
        raise SourceError(f"{self.where} has no inverter or meter model (found models {_ids(device)})")

    def _raw(self, name: str) -> Any:
        point = self._model.points.get(name)
        return None if point is None else point.value

    def _value(self, name: str) -> float | None:
        """A point's value, scale factor applied; None when it or its scale factor is not implemented."""
        point = self._model.points.get(name)
        if point is None or point.value is None:
            return None
        sf_name = point.pdef.get("sf")
        if isinstance(sf_name, str) and self._raw(sf_name) is None:
            return None
        value = float(point.cvalue)
        return None if math.isnan(value) else value

    def _counter(self, name: str) -> float | None:
        """A lifetime counter, None when not implemented: never a 0 that would read as a collapsed total."""
        raw = self._raw(name)
        if raw is None:
            return None
        kind = self._model.points[name].pdef.get("type")
        if kind in ("acc32", "uint32") and raw in COUNTER_NOT_IMPLEMENTED:
            return None
        value = self._value(name)
        if value is None or not math.isfinite(value) or value <= 0:
            return None
        return value

    def _event_names(self, name: str | None) -> str:
        """The names of the alarm bits set, e.g. "GROUND_FAULT, OVER_TEMP" (empty when none or unset)."""
        point: Any = self._model.points.get(name) if name else None
        if point is None or not isinstance(point.value, int) or point.value in (0, 0xFFFFFFFF):
            return ""
        bits: int = point.value
        symbols = {int(s["value"]): str(s["name"]) for s in point.pdef.get("symbols", [])}
        return ", ".join(symbols.get(bit, f"bit {bit}") for bit in range(32) if bits >> bit & 1)

    def _forget(self) -> None:
        if self._device is not None:
            self._device.disconnect()
        self._device = None
        self._model = None


def _ids(device: Any) -> str:
    return ", ".join(str(key) for key in device.models if isinstance(key, int)) or "none"
