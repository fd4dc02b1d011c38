from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from tests.kiosk.energy.peers import JsonServer, SunSpecSimulator
from tests.kiosk.energy.test_http_sources import power_flow


@pytest.fixture
def server() -> Iterator[JsonServer]:
    running = JsonServer()
    yield running
    running.close()


def config(tmp_path: Path, body: str) -> str:
    path = tmp_path / "kiosk.toml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_energy_once_prints_one_json_object(
    server: JsonServer, tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.body = power_flow(4000.0, 20_000.0, 9_000_000.0)
    path = config(
        tmp_path, f'[energy]\nsource = "fronius"\nurl = "{server.url}"\nemission_kg_per_kwh = 0.5\n'
    )
    assert main(["energy", "--once", "--config", path, "--data-dir", str(data_dir)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["source"] == "fronius" and result["state"] == "live"
    assert (result["power_w"], result["energy_today_wh"], result["energy_total_wh"]) == (
        4000.0,
        20_000.0,
        9e6,
    )
    assert result["co2_today_kg"] == 10.0
    assert result["read_at"].endswith("+00:00")


def test_energy_once_reads_a_sunspec_inverter(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = SunSpecSimulator(W=750, W_SF=1, WH=1234, WH_SF=3)
    sim.start()
    try:
        path = config(tmp_path, f'[energy]\nsource = "sunspec"\nhost = "127.0.0.1"\nport = {sim.port}\n')
        assert main(["energy", "--once", "--config", path, "--data-dir", str(data_dir)]) == 0
    finally:
        sim.stop()
    result = json.loads(capsys.readouterr().out)
    assert (result["power_w"], result["energy_total_wh"]) == (7500.0, 1_234_000.0)
    assert result["energy_today_wh"] is None  # SunSpec has no day counter and nothing is accounted yet


def test_energy_once_fails_with_one_line_when_unreachable(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = SunSpecSimulator()  # not started: nothing listens on its port
    path = config(
        tmp_path,
        f'[energy]\nsource = "sunspec"\nhost = "127.0.0.1"\nport = {sim.port}\ntimeout_seconds = 1\n',
    )
    assert main(["energy", "--once", "--config", path, "--data-dir", str(data_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    error = captured.err.strip().splitlines()[-1]
    assert error.startswith("kioskctl: SunSpec device 127.0.0.1:") and "cannot be read" in error


def test_energy_once_rejects_impossible_power(
    server: JsonServer, tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.body = power_flow(99_000.0, 1.0, 1.0)
    path = config(tmp_path, f'[energy]\nsource = "fronius"\nurl = "{server.url}"\nrated_power_w = 10000\n')
    assert main(["energy", "--once", "--config", path, "--data-dir", str(data_dir)]) == 1
    assert "impossible power" in capsys.readouterr().err


def test_sunspec_without_host_is_a_config_error(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config(tmp_path, '[energy]\nsource = "sunspec"\n')
    assert main(["energy", "--once", "--config", path, "--data-dir", str(data_dir)]) == 1
    assert "needs host" in capsys.readouterr().err
