"""Real peers on 127.0.0.1 for the energy sources: a SunSpec Modbus TCP device and a JSON HTTP server."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice
from sunspec2 import device as sunspec_device

SUNSPEC_BASE = 40000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def model_registers(model_id: int, values: dict[str, Any]) -> bytes:
    """One SunSpec model as bytes, laid out by pysunspec2 from the model's official definition."""
    definition = sunspec_device.get_model_def(model_id)
    model = sunspec_device.Model(model_id=model_id, model_def=definition)
    length = sum(int(p.get("size", 1)) for p in definition["group"]["points"]) - 2
    model.points["ID"].value = model_id
    model.points["L"].value = length
    for name, value in values.items():
        model.points[name].value = value
    data: bytes = model.get_mb()
    assert len(data) == 2 * (length + 2)
    return data


class SunSpecSimulator:
    """A SunSpec inverter: common model 1 + inverter model (103 by default) + end marker at 40000.

    ``set(W=..., W_SF=..., WH=..., WH_SF=...)`` changes raw register values; every Modbus read sees
    the current image. ``stop()`` and ``start()`` take the device off and back on the network.
    Subclasses lay out other images by overriding ``_build`` (at ``base``, for unit ``device_id``);
    ``delay`` makes every answer that many seconds late (a slow device).
    """

    base = SUNSPEC_BASE
    device_id = 1
    delay = 0.0

    def __init__(self, inverter_model: int = 103, **inverter: Any) -> None:
        self.port = free_port()
        self.inverter_model = inverter_model
        self.common = {"Mn": "GreenKiosk", "Md": "SimInverter", "SN": "SIM-0001", "DA": 1}
        defaults = {"W": 0, "W_SF": 0, "WH": 0, "WH_SF": 0} if inverter_model < 110 else {}
        self.inverter: dict[str, Any] = defaults | inverter
        self._image = self._build()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: ModbusTcpServer | None = None
        self._thread: threading.Thread | None = None

    def _build(self) -> list[int]:
        data = (
            b"SunS"
            + model_registers(1, self.common)
            + model_registers(self.inverter_model, self.inverter)
            + b"\xff\xff\x00\x00"
        )
        return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]

    def set(self, **values: Any) -> None:
        self.inverter.update(values)
        self._image = self._build()

    async def _refresh(
        self,
        _function: int,
        start: int,
        _address: int,
        _count: int,
        registers: list[int],
        _values: Any,
    ) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)
        offset = self.base - start
        registers[offset : offset + len(self._image)] = self._image
        return None

    def start(self) -> None:
        ready = threading.Event()
        failure: list[BaseException] = []
        loop = asyncio.new_event_loop()

        async def serve() -> None:
            device = SimDevice(
                id=self.device_id,
                simdata=[SimData(self.base, values=list(self._image), datatype=DataType.REGISTERS)],
                action=self._refresh,
            )
            self._server = ModbusTcpServer(device, address=("127.0.0.1", self.port))
            await self._server.serve_forever(background=True)

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(serve())
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="sunspec-sim", daemon=True)
        self._thread.start()
        assert ready.wait(10), "Modbus simulator did not start"
        if failure:
            raise failure[0]

    def stop(self) -> None:
        if self._loop is None or self._server is None or self._thread is None:
            return
        server, loop = self._server, self._loop

        async def halt() -> None:
            await server.shutdown()
            # Answers still held back by ``delay`` end here, not as "Task was destroyed" later.
            pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(halt(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(10)
        self._loop = self._server = self._thread = None


FIXTURES = Path(__file__).parent / "fixtures"


def recorded(name: str) -> bytes:
    """The bytes of a recorded answer of a real device (see fixtures/*/README.md for their origin)."""
    return (FIXTURES / name).read_bytes()


class JsonServer:
    """A local HTTP server answering every GET with the current ``body`` (JSON unless ``raw`` is set).

    With ``routes`` (path with query → bytes) it answers those paths only, and 404 to any other, like a
    logger without an endpoint. ``slow_s`` delays each answer (a slow device); while ``hold`` is set
    to a cleared Event, answers wait for it (a device that takes longer than any timeout).
    """

    def __init__(self) -> None:
        self.body: Any = {}
        self.raw: bytes | None = None
        self.status = 200
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.routes: dict[str, bytes] = {}
        self.slow_s = 0.0
        self.hold: threading.Event | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.paths.append(self.path)
                outer.headers.append(dict(self.headers))
                if outer.hold is not None:
                    outer.hold.wait(10)
                if outer.slow_s:
                    threading.Event().wait(outer.slow_s)  # the device's own slowness, not a test wait
                status = outer.status
                if outer.routes:
                    payload = outer.routes.get(self.path, b"<html>404 Not Found</html>")
                    status = 200 if self.path in outer.routes else 404
                else:
                    payload = outer.raw if outer.raw is not None else json.dumps(outer.body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self.hold is not None:
            self.hold.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
