"""The central server run for real by the tests: uvicorn in a thread on 127.0.0.1, SQLite or PostgreSQL."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute

from central.api import create_app
from central.db import open_database, sqlite_url
from central.service import Central


def routes_of(app: Any) -> Iterator[APIRoute]:
    """Every route of the application, included routers' routes too."""
    for route in app.routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from routes_of(route.original_router)


class RunningServer:
    """One server process-in-a-thread; ``stop()`` and ``start()`` again keep the port and the data."""

    def __init__(
        self,
        data: Path,
        database_url: str | None = None,
        port: int = 0,
        trusted_proxies: tuple[str, ...] = ("127.0.0.1",),
    ) -> None:
        self.data = data
        self.trusted_proxies = trusted_proxies  # as the README's production set-up: nginx on loopback
        data.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url or sqlite_url(data / "central.db")
        self.central = Central(data, open_database(self.database_url), max_blob_bytes=8 << 20)
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket = socket.socket()

    @property
    def app(self) -> FastAPI:
        """The running application (tests reach its console's preview worker through it)."""
        assert self._server is not None, "the server is not running"
        app: FastAPI = self._server.config.app
        return app

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def channel_url(self, name: str = "main") -> str:
        return f"{self.url}/channels/{name}"

    def start(self) -> RunningServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.central, trusted_proxies=self.trusted_proxies),
            log_level="warning",
            timeout_graceful_shutdown=1,
            lifespan="on",
            proxy_headers=False,  # as `serve` runs it: the application decides whom to believe
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the central server did not start")
            time.sleep(0.02)
        self._socket = sock
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(15)
            self._server = None
            self._socket.close()

    def close(self) -> None:
        self.stop()
        self.central.database.close()


@dataclass
class PostgresCluster:
    """A throwaway PostgreSQL cluster (Debian's binaries) on a Unix socket in a temporary folder."""

    folder: Path
    bin_dir: Path
    port: int = 0
    _created: list[str] = field(default_factory=list)

    @classmethod
    def find_binaries(cls) -> Path | None:
        for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
            if (candidate / "initdb").is_file():
                return candidate
        found = shutil.which("initdb")
        return Path(found).resolve().parent if found else None

    def _as_owner(self, *command: str) -> list[str]:
        # PostgreSQL refuses to run as root: under root (CI), run it as Debian's postgres user.
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def start(self) -> PostgresCluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        data = self.folder / "data"
        subprocess.run(
            self._as_owner(str(self.bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                           "--no-sync", "-E", "UTF8"),
            check=True, capture_output=True,
        )  # fmt: skip
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        options = f"-k {self.folder} -p {self.port} -h 127.0.0.1 -F"
        subprocess.run(
            self._as_owner(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                           str(self.folder / "log"), "start"),
            check=True, capture_output=True,
        )  # fmt: skip
        return self

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(
            self._as_owner(str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                           "stop"),
            check=False, capture_output=True,
        )  # fmt: skip
