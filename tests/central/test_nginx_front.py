"""The README's nginx set-up (resources/central.nginx.conf) in front of a real server on 127.0.0.1.

uvicorn has no time limit for a request header, so a client sending one byte now and then holds a
connection for ever; the production set-up's nginx cuts it off. nginx also overwrites the client's
X-Forwarded-For, so a guesser cannot pose as a new address for every login attempt.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.central.conftest import Fleet
from tests.central.test_console import PASSWORD
from tests.central.test_login_throttle import login_form
from tests.kiosk.content.channel import free_port

CONFIG = Path(__file__).resolve().parents[2] / "resources" / "central.nginx.conf"
HEADER_TIMEOUT = 1.0  # the test's client_header_timeout (production: 10 s)


class FrontNginx:
    """Debian's nginx running the repository's server block, pointed at the test's server."""

    def __init__(self, fleet: Fleet, prefix: Path) -> None:
        prefix.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        block = CONFIG.read_text(encoding="utf-8")
        block = re.sub(r"\n\s*ssl_certificate.*;", "", block)
        block = block.replace("listen 443 ssl;", f"listen 127.0.0.1:{self.port};")
        block = block.replace("127.0.0.1:8080", f"127.0.0.1:{fleet.server.port}")
        block = block.replace("/var/lib/green-central/channels/", f"{fleet.central.channels_dir}/")
        block = block.replace("client_header_timeout 10s;", f"client_header_timeout {HEADER_TIMEOUT:.0f}s;")
        user = "user root;\n" if os.geteuid() == 0 else ""
        temp = "".join(
            f"{kind}_temp_path {prefix}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf = prefix / "nginx.conf"
        conf.write_text(
            f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
            f"events {{ worker_connections 64; }}\nhttp {{\n{temp}access_log off;\n{block}\n}}\n",
            encoding="utf-8",
        )
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self._process = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"nginx did not start: {self._process.stderr.read()!r}")  # type: ignore[union-attr]
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)  # nginx is starting: nothing to wait on but its port

    def close(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(5)


@pytest.fixture
def front(fleet: Fleet, tmp_path: Path) -> Iterator[FrontNginx]:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.skip("nginx is not installed (apt install nginx-light)")
    running = FrontNginx(fleet, tmp_path / "nginx")
    yield running
    running.close()


def trickle(port: int, seconds: float) -> float | None:
    """Send a request header a byte every 0.1 s; when the peer closes, the seconds it took (else None)."""
    request = b"GET /healthz HTTP/1.1\r\nHost: central.example\r\nX-Slow: " + b"a" * 10_000
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.settimeout(0.1)
        for byte in request:
            if time.monotonic() - started > seconds:
                return None
            try:
                connection.send(bytes([byte]))
                if connection.recv(1024) == b"":
                    return time.monotonic() - started
            except TimeoutError:
                continue  # nothing from the peer yet: send the next byte
            except OSError:
                return time.monotonic() - started
    return None


def test_a_trickling_client_is_cut_off_by_the_front_but_not_by_uvicorn_alone(
    fleet: Fleet, front: FrontNginx
) -> None:
    assert requests.get(f"{front.url}/healthz", timeout=5).json()["channels"] == ["main"]
    cut = trickle(front.port, seconds=HEADER_TIMEOUT + 4)
    assert cut is not None and HEADER_TIMEOUT - 0.2 <= cut <= HEADER_TIMEOUT + 2
    assert trickle(fleet.server.port, seconds=HEADER_TIMEOUT + 1) is None  # why the front is needed


def test_a_forwarded_for_sent_through_the_front_is_replaced(fleet: Fleet, front: FrontNginx) -> None:
    fleet.central.accounts.add_user("admin", PASSWORD)

    def guess(forged: str) -> int:
        browser, token = login_form(front.url)
        return browser.post(
            f"{front.url}/console/login",
            data={"csrf": token, "name": "admin", "password": "wrong-password"},
            headers={"X-Forwarded-For": forged},
            allow_redirects=False,
            timeout=10,
        ).status_code

    answers = [guess(f"203.0.113.{i}") for i in range(6)]
    assert answers == [401] * 5 + [429]  # one client, whatever it claims to be
