"""``python -m central``: set-up commands and the server itself, as IT staff run them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from kiosk.content.signing import generate_keys

ROOT = Path(__file__).resolve().parents[2]


def central(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "central", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_set_up_and_serve_from_the_command_line(tmp_path: Path) -> None:
    _private, public = generate_keys(tmp_path / "keys")
    data = str(tmp_path / "data")
    made = central("--data", data, "add-channel", "main", "--public-key", str(public))
    assert made.returncode == 0 and "/channels/main" in made.stdout and made.stderr == ""  # only its result
    again = central("--data", data, "add-channel", "main", "--public-key", str(public))
    assert again.returncode == 1 and "already exists" in again.stderr
    token = central("--data", data, "add-kiosk", "baku-1-lobby", "--centre", "baku-1").stdout.strip()
    assert token.startswith("gkk_")
    short = central("--data", data, "add-user", "admin", env={"GREEN_CENTRAL_PASSWORD": "short"})
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    bad_key = tmp_path / "bad.pub"
    bad_key.write_text("not a key")
    refused = central("--data", data, "add-channel", "other", "--public-key", str(bad_key))
    assert refused.returncode == 1 and "not a PEM public key" in refused.stderr

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "central.toml"
    config.write_text(f'[server]\ndata = "data"\nport = {port}\n', encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "central", "--config", str(config), "serve"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        health = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)  # the process is starting: nothing to wait on but the port
        assert health is not None and health.json() == {"ok": True, "channels": ["main"]}
        totals = requests.get(
            f"http://127.0.0.1:{port}/api/network", headers={"Authorization": f"Bearer {token}"}, timeout=5
        )
        assert totals.status_code == 200 and totals.json()["kiosks"] == 0
    finally:
        server.terminate()
        server.wait(20)
    assert server.stderr is not None
    log = server.stderr.read()
    assert "Application startup complete" in log and "alembic" not in log  # no migration chatter


def test_a_wrong_config_key_is_named(tmp_path: Path) -> None:
    config = tmp_path / "central.toml"
    config.write_text("[server]\nprot = 8080\n", encoding="utf-8")
    result = central("--config", str(config), "serve")
    assert result.returncode != 0 and "[server] prot: unknown key" in result.stderr
