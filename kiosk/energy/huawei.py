"""Reading a Huawei SUN2000 inverter over Modbus TCP with the maintained ``huawei-solar`` library.

SUN2000 inverters speak Huawei's own register map, not SunSpec. ``huawei-solar`` knows that map
(addresses, gains, the device status codes) and its quirks (a settling pause after connecting, one
request at a time); it is asyncio-based, so every Huawei source of the process shares one event loop
in a daemon thread, and ``read()`` blocks its caller (a worker thread) for at most about
``timeout`` seconds (twice that when it has to connect first).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import math
import threading
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar

import huawei_solar.modbus
from huawei_solar import AsyncHuaweiSolar
from huawei_solar import register_names as rn
from huawei_solar.exceptions import DecodeError
from huawei_solar.modbus import AsyncHuaweiSolarModbusTcpClient
from huawei_solar.register_values import DEVICE_STATUS_DEFINITIONS

from kiosk.energy.reading import DeviceState, EnergyReading
from kiosk.errors import SourceError

log = logging.getLogger(__name__)

T = TypeVar("T")

# Huawei's device status codes (register 32089) the kiosk does not show as producing: a standby or
# an ordinary shutdown is a live plant making 0 W; these need someone to look at the inverter.
FAULT_STATUS = frozenset({0x0300, 0x0302, 0x0303, 0x0305, 0x0306, 0x0307})
ASLEEP_STATUS = frozenset({0x0000, 0x0001, 0x0002, 0x0003, 0x0100, 0x0301, 0x0304, 0x0308, 0x030C, 0xA000})
STATUS_CODES = {text: code for code, text in DEVICE_STATUS_DEFINITIONS.items()}
# What is read on every poll, in register order: one request of 36 registers (32080-32115).
READ_NAMES = [rn.ACTIVE_POWER, rn.DEVICE_STATUS, rn.ACCUMULATED_YIELD_ENERGY, rn.DAILY_YIELD_ENERGY]
DETAIL_LIMIT = 160

_loop_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def _shared_loop() -> asyncio.AbstractEventLoop:
    """The one event loop all Huawei sources use, started on first use and kept for the process."""
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="huawei-modbus", daemon=True).start()
            _loop = loop
        return _loop


class HuaweiSource:
    """A SUN2000 inverter (directly, or through its SDongle/SmartLogger) on Modbus TCP.

    The connection is kept open between polls and rebuilt after any failure.
    """

    name = "huawei"

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
        self._client: AsyncHuaweiSolar | None = None
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        return f"Huawei inverter {self.host}:{self.port} unit {self.unit_id}"

    def read(self) -> EnergyReading:
        """Read power, lifetime and daily yield and the device status; SourceError when that fails."""
        with self._lock:
            try:
                values = self._run(self._read_registers(), bound=2 * self.timeout + _settle_s())
            except SourceError:
                self._run_quietly(self._drop())
                raise
        return self._reading(*values)

    def close(self) -> None:
        with self._lock:
            self._run_quietly(self._drop())

    async def _read_registers(self) -> tuple[Any, ...]:
        if self._client is None:
            self._client = await asyncio.wait_for(self._connect(), self.timeout + _settle_s())
        client = self._client
        try:
            results = await asyncio.wait_for(client.get_multiple(READ_NAMES, self.unit_id), self.timeout)
            return tuple(result.value for result in results)
        except DecodeError:
            # A status code newer than the library: read the figures without it.
            names = [rn.ACTIVE_POWER, rn.ACCUMULATED_YIELD_ENERGY, rn.DAILY_YIELD_ENERGY]
            results = await asyncio.wait_for(client.get_multiple(names, self.unit_id), self.timeout)
            power, total, today = (result.value for result in results)
            return power, None, total, today

    async def _connect(self) -> AsyncHuaweiSolar:
        client = AsyncHuaweiSolarModbusTcpClient(self.host, self.port, max(1, math.ceil(self.timeout)))
        # The library keeps one "connected" event for all its clients; each device gets its own.
        client.connected_event = asyncio.Event()
        await client.connect()
        if not client.connected:
            client.close()
            raise SourceError(f"{self.where} cannot be reached (connection refused or no route)")
        inverter = AsyncHuaweiSolar(client, self.unit_id, max(1, math.ceil(self.timeout)))
        try:
            model = await inverter.get(rn.MODEL_NAME, self.unit_id)
        except BaseException:
            await inverter.stop()
            raise
        log.info("%s: connected to %s", self.where, model.value or "a device without a model name")
        return inverter

    async def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.stop()

    def _run(self, work: Coroutine[Any, Any, T], *, bound: float) -> T:
        """Run ``work`` on the shared loop for at most ``bound`` seconds; any failure is a SourceError."""
        future = asyncio.run_coroutine_threadsafe(work, _shared_loop())
        try:
            return future.result(timeout=bound + 1.0)
        except SourceError:
            raise
        except (TimeoutError, concurrent.futures.TimeoutError) as exc:
            future.cancel()
            raise SourceError(f"{self.where} did not answer within {self.timeout:g} s") from exc
        # huawei-solar and pymodbus raise their own errors as well as OSError: every failure of one
        # poll is reported the same way and the connection is rebuilt next time.
        except Exception as exc:
            raise SourceError(f"{self.where} cannot be read: {exc or type(exc).__name__}") from exc

    def _run_quietly(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            asyncio.run_coroutine_threadsafe(work, _shared_loop()).result(timeout=self.timeout)
        except Exception as exc:  # closing a broken connection may fail too: nothing left to do
            log.debug("%s: closing the connection failed: %s", self.where, exc)

    def _reading(self, power: Any, status: Any, total_kwh: Any, today_kwh: Any) -> EnergyReading:
        """The figures in the kiosk's units, with the device status deciding producing/asleep/fault."""
        code = STATUS_CODES.get(status) if isinstance(status, str) else None
        detail = f"{status} (0x{code:04X})" if code is not None else "device status unknown"
        if power is None:
            if code is None or code not in ASLEEP_STATUS | FAULT_STATUS:
                raise SourceError(f"{self.where} does not report its active power ({detail})")
            power = 0.0
        power = _finite(power, f"{self.where} reports active power {power!r}")
        if power < 0:
            detail += f"; drawing {-power:g} W"
            power = 0.0
        if code in FAULT_STATUS:
            state = DeviceState.FAULT
        elif code in ASLEEP_STATUS and power == 0.0:
            state = DeviceState.SLEEPING
        else:
            state = DeviceState.PRODUCING
        return EnergyReading(
            read_at=self._clock(),
            power_w=power,
            energy_total_wh=_wh(total_kwh),
            energy_today_wh=_wh(today_kwh, allow_zero=True),
            state=state,
            detail=detail[:DETAIL_LIMIT],
        )


def _settle_s() -> float:
    """How long huawei-solar waits after connecting before its first request (for slow dongles)."""
    return float(huawei_solar.modbus.WAIT_ON_CONNECT) / 1000.0


def _finite(value: Any, message: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise SourceError(message)
    return number


def _wh(kwh: Any, *, allow_zero: bool = False) -> float | None:
    """kWh as the library decodes it to Wh; None when not reported (never a 0 lifetime total)."""
    if kwh is None:
        return None
    wh = float(kwh) * 1000.0
    if not math.isfinite(wh) or wh < 0 or (wh == 0 and not allow_zero):
        return None
    return wh
