"""Reading a Huawei SUN2000 inverter over Modbus TCP: the few registers the kiosk needs, with pymodbus.

SUN2000 inverters speak Huawei's own register map, not SunSpec. The kiosk reads four values in one
request with pymodbus's blocking client (call ``read()`` from a worker thread); the map is a small
table here rather than the AGPL-licensed ``huawei-solar`` library, which the tests use only to check
this table and its decoding against. Each source keeps its own connection; a poll waits at most
about ``timeout`` seconds, and after (re)connecting the kiosk pauses before its first request as slow
SDongles need.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from pymodbus.client import ModbusTcpClient
from pymodbus.exceptions import ModbusIOException

from kiosk.energy.reading import DeviceState, EnergyReading
from kiosk.errors import SourceError

log = logging.getLogger(__name__)


def quiet_pymodbus() -> None:
    """Keep pymodbus to CRITICAL: it logs an ERROR for every failed connection, which the kiosk already
    reports once per outage (``EnergyService``); a level set on purpose (to debug a device) is kept."""
    logger = logging.getLogger("pymodbus")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.CRITICAL)


Raw = int | str | None  # a register's raw value as decoded: a number, a text, or not reported


@dataclass(frozen=True)
class Register:
    """One holding register (or run of them) as Huawei's interface definition describes it."""

    address: int
    length: int  # in 16-bit words
    datatype: str  # "uint16", "uint32", "int32" (big-endian words) or "string"
    gain: int = 1  # the raw integer divided by gain is the value in ``unit``
    unit: str = ""

    @property
    def not_reported(self) -> int | None:
        """The raw value a SUN2000 holds where it has no figure (all ones; 0x7FFFFFFF when signed)."""
        return {"uint16": 0xFFFF, "uint32": 0xFFFFFFFF, "int32": 0x7FFFFFFF}.get(self.datatype)


# Source: Huawei, "SUN2000 MODBUS Interface Definitions" (the register table of SUN2000 inverters:
# address, quantity, type, gain, unit). Keys are the names huawei-solar gives the same registers, so
# the tests can check every address, length, type and gain against that library's definitions.
MODEL_NAME = "model_name"
ACTIVE_POWER = "active_power"
DEVICE_STATUS = "device_status"
ACCUMULATED_YIELD_ENERGY = "accumulated_yield_energy"
DAILY_YIELD_ENERGY = "daily_yield_energy"
REGISTERS: dict[str, Register] = {
    MODEL_NAME: Register(30000, 15, "string"),
    ACTIVE_POWER: Register(32080, 2, "int32", 1, "W"),
    DEVICE_STATUS: Register(32089, 1, "uint16"),
    ACCUMULATED_YIELD_ENERGY: Register(32106, 2, "uint32", 100, "kWh"),
    DAILY_YIELD_ENERGY: Register(32114, 2, "uint32", 100, "kWh"),
}
# What is read on every poll: one request from the first to the end of the last (32080-32115).
READ_NAMES = (ACTIVE_POWER, DEVICE_STATUS, ACCUMULATED_YIELD_ENERGY, DAILY_YIELD_ENERGY)
READ_START = min(REGISTERS[name].address for name in READ_NAMES)
READ_COUNT = max(REGISTERS[name].address + REGISTERS[name].length for name in READ_NAMES) - READ_START

# The device status codes of register 32089 and their names, from the same document.
STATUS_TEXT = {
    0x0000: "Standby: initializing",
    0x0001: "Standby: detecting insulation resistance",
    0x0002: "Standby: detecting irradiation",
    0x0003: "Standby: grid detecting",
    0x0100: "Starting",
    0x0200: "On-grid",
    0x0201: "Grid Connection: power limited",
    0x0202: "Grid Connection: self-derating",
    0x0203: "Off-grid mode: running",
    0x0300: "Shutdown: fault",
    0x0301: "Shutdown: command",
    0x0302: "Shutdown: OVGR",
    0x0303: "Shutdown: communication disconnected",
    0x0304: "Shutdown: power limited",
    0x0305: "Shutdown: manual startup required",
    0x0306: "Shutdown: DC switches disconnected",
    0x0307: "Shutdown: rapid cutoff",
    0x0308: "Shutdown: input underpowered",
    0x030C: "Shutdown: ESS end-of-discharge",
    0x0401: "Grid scheduling: cosphi-P curve",
    0x0402: "Grid scheduling: Q-U curve",
    0x0403: "Grid scheduling: PF-U curve",
    0x0404: "Grid scheduling: dry contact",
    0x0405: "Grid scheduling: Q-P curve",
    0x0500: "Spot-check ready",
    0x0501: "Spot-checking",
    0x0600: "Inspecting",
    0x0700: "AFCI self check",
    0x0800: "I-V scanning",
    0x0900: "DC input detection",
    0x0A00: "Running: off-grid charging",
    0xA000: "Standby: no irradiation",
}
# Status codes the kiosk does not show as producing: a standby or an ordinary shutdown is a live plant
# making 0 W; the fault ones need someone to look at the inverter.
FAULT_STATUS = frozenset({0x0300, 0x0302, 0x0303, 0x0305, 0x0306, 0x0307})
ASLEEP_STATUS = frozenset({0x0000, 0x0001, 0x0002, 0x0003, 0x0100, 0x0301, 0x0304, 0x0308, 0x030C, 0xA000})
# Seconds to wait after connecting before the first request: SDongles drop requests sent at once.
SETTLE_AFTER_CONNECT_S = 1.5
# Modbus exceptions a SUN2000 answers while it cannot serve a request yet (device failure, busy).
BUSY_CODES = frozenset({0x04, 0x06})
BUSY_FIRST_PAUSE_S = 0.05
DETAIL_LIMIT = 160


def decode(register: Register, words: list[int]) -> Raw:
    """The raw value of ``words`` (big-endian, as read); None for the "not reported" marker."""
    if len(words) != register.length or any(not 0 <= word <= 0xFFFF for word in words):
        raise SourceError(f"register {register.address} has {len(words)} malformed words")
    if register.datatype == "string":
        text = b"".join(word.to_bytes(2, "big") for word in words).rstrip(b"\0")
        return text.decode("utf-8", errors="replace")
    raw = 0
    for word in words:
        raw = raw << 16 | word
    if raw == register.not_reported:
        return None
    if register.datatype == "int32" and raw >= 0x80000000:
        raw -= 0x1_0000_0000
    return raw


class ModbusClient(Protocol):
    """The part of pymodbus's blocking TCP client the kiosk uses (pymodbus leaves it untyped)."""

    comm_params: Any  # its timeout_connect is how long a request waits for the answer

    def connect(self) -> bool: ...

    def close(self) -> None: ...

    def read_holding_registers(self, address: int, *, count: int = 1, device_id: int = 1) -> Any: ...


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
        self._client: ModbusClient | None = None
        self._lock = threading.Lock()
        quiet_pymodbus()

    @property
    def where(self) -> str:
        return f"Huawei inverter {self.host}:{self.port} unit {self.unit_id}"

    def read(self) -> EnergyReading:
        """Read power, lifetime and daily yield and the device status; SourceError when that fails.

        Connected, this takes at most about ``timeout``; (re)connecting adds up to ``timeout`` for the
        TCP connection and the settling pause.
        """
        with self._lock:
            try:
                fresh = self._client is None
                client = self._client = self._client or self._connect()
                deadline = time.monotonic() + self.timeout
                if fresh:
                    model = REGISTERS[MODEL_NAME]
                    name = decode(model, self._registers(client, model.address, model.length, deadline))
                    log.info("%s: connected to %s", self.where, name or "a device without a model name")
                words = self._registers(client, READ_START, READ_COUNT, deadline)
            except SourceError:
                self._drop()
                raise
            # pymodbus raises its own errors as well as OSError: every failure of one poll is
            # reported the same way and the connection is rebuilt next time.
            except Exception as exc:
                self._drop()
                raise SourceError(f"{self.where} cannot be read: {exc or type(exc).__name__}") from exc
        values = {name: decode(REGISTERS[name], _slice(words, name)) for name in READ_NAMES}
        return self._reading(
            values[ACTIVE_POWER],
            values[DEVICE_STATUS],
            values[ACCUMULATED_YIELD_ENERGY],
            values[DAILY_YIELD_ENERGY],
        )

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _connect(self) -> ModbusClient:
        client: ModbusClient = ModbusTcpClient(self.host, port=self.port, timeout=self.timeout, retries=0)
        if not client.connect():
            client.close()
            raise SourceError(f"{self.where} cannot be reached (connection refused or no route)")
        time.sleep(SETTLE_AFTER_CONNECT_S)
        return client

    def _registers(self, client: ModbusClient, address: int, count: int, deadline: float) -> list[int]:
        """``count`` holding registers from ``address`` by ``deadline``, or a SourceError saying why.

        A SUN2000 answers "busy" or "device failure" for a while after connecting or a long pause:
        it is asked again, with a growing pause, until the deadline.
        """
        pause = BUSY_FIRST_PAUSE_S
        code = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                busy = f": it stayed busy (Modbus exception {code}); is the unit id right?" if code else ""
                raise SourceError(f"{self.where} did not answer within {self.timeout:g} s{busy}")
            # The client waits this long for an answer: what is left of this poll's time.
            client.comm_params.timeout_connect = remaining
            try:
                response = client.read_holding_registers(address, count=count, device_id=self.unit_id)
            except ModbusIOException as exc:
                if "No response" in str(exc):
                    raise SourceError(f"{self.where} did not answer within {self.timeout:g} s") from exc
                raise
            code = getattr(response, "exception_code", 0) if response.isError() else 0
            if code not in BUSY_CODES:
                break
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause *= 2
        if response.isError():
            raise SourceError(
                f"{self.where} refused to read registers {address}-{address + count - 1} "
                f"(Modbus exception {code or '?'}); is this a SUN2000 and the unit id right?"
            )
        registers = list(getattr(response, "registers", []))
        if len(registers) != count:
            raise SourceError(f"{self.where} answered {len(registers)} registers instead of {count}")
        return registers

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except OSError as exc:  # closing a broken connection may fail too: nothing left to do
                log.debug("%s: closing the connection failed: %s", self.where, exc)

    def _reading(self, power: Raw, status: Raw, total: Raw, today: Raw) -> EnergyReading:
        """The figures in the kiosk's units, with the device status deciding producing/asleep/fault."""
        code = status if isinstance(status, int) and status in STATUS_TEXT else None
        detail = f"{STATUS_TEXT[code]} (0x{code:04X})" if code is not None else "device status unknown"
        if not isinstance(power, int):
            if code is None or code not in ASLEEP_STATUS | FAULT_STATUS:
                raise SourceError(f"{self.where} does not report its active power ({detail})")
            power = 0
        watts = float(power) / REGISTERS[ACTIVE_POWER].gain
        if watts < 0:
            detail += f"; drawing {-watts:g} W"
            watts = 0.0
        if code in FAULT_STATUS:
            state = DeviceState.FAULT
        elif code in ASLEEP_STATUS and watts == 0.0:
            state = DeviceState.SLEEPING
        else:
            state = DeviceState.PRODUCING
        return EnergyReading(
            read_at=self._clock(),
            power_w=watts,
            energy_total_wh=_wh(total, REGISTERS[ACCUMULATED_YIELD_ENERGY]),
            energy_today_wh=_wh(today, REGISTERS[DAILY_YIELD_ENERGY], allow_zero=True),
            state=state,
            detail=detail[:DETAIL_LIMIT],
        )


def _slice(words: list[int], name: str) -> list[int]:
    offset = REGISTERS[name].address - READ_START
    return words[offset : offset + REGISTERS[name].length]


def _wh(raw: Raw, register: Register, *, allow_zero: bool = False) -> float | None:
    """A kWh counter in Wh (exact: raw x 1000 / gain); None when not reported (never a 0 lifetime)."""
    if not isinstance(raw, int) or raw < 0 or (raw == 0 and not allow_zero):
        return None
    wh = raw * 1000 / register.gain
    return wh if math.isfinite(wh) else None
