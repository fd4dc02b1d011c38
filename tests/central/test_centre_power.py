"""A centre's rated power is known to the server and bounds what its kiosks may report (issue 11).

A kiosk of a 30 kW centre must not be able to put 1,000 kW into the network totals; a centre the
server was told nothing about is held to the server-wide cap, as before.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from central.cli import main
from central.db import MIGRATIONS_DIR, make_engine, open_database, sqlite_url
from central.fleet import DEFAULT_RATED_POWER_W
from central.service import Central
from tests.central.conftest import Fleet
from tests.central.test_api import heartbeat
from tests.central.test_console import PASSWORD, log_in
from tests.central.test_reports_trust import post_reports, totals

ROOT = Path(__file__).resolve().parents[2]


def test_a_30_kw_centre_s_kiosk_reporting_1000_kw_is_kept_but_not_believed(fleet: Fleet) -> None:
    fleet.central.fleet.set_centre("baku-1", 30)
    now = datetime.now(UTC)
    stamp = now.isoformat()
    # ganja has no rated power of its own: 1,000 kW is within the server-wide cap and believed.
    ganja = heartbeat(now, power_w=1e6, energy_today_wh=5e6, energy_total_wh=1e9, reading_at=stamp)
    assert post_reports(fleet, {"heartbeats": [ganja]}, "ganja-lobby").status_code == 200
    forged = heartbeat(now, power_w=1e6, energy_today_wh=30_000 * 25, energy_total_wh=1e12, reading_at=stamp)
    assert post_reports(fleet, {"heartbeats": [forged]}).status_code == 200

    network = totals(fleet)
    assert (network["power_w"], network["energy_today_wh"], network["energy_total_wh"]) == (1e6, 5e6, 1e9)
    kiosk = fleet.central.kiosk("baku-1-lobby")
    assert (kiosk["power_w"], kiosk["energy_today_wh"], kiosk["energy_total_wh"]) == (None, None, None)
    assert "30 kW centre" in kiosk["doubt"] and "power_w 1000000 W" in kiosk["doubt"]
    assert len(fleet.central.history("baku-1-lobby")) == 1  # the report is kept, its reading left out
    assert fleet.central.kiosk("ganja-lobby")["doubt"] == ""

    fleet.central.accounts.add_user("admin", PASSWORD)
    page = log_in(fleet).get(f"{fleet.server.url}/console/kiosks/baku-1-lobby", timeout=10).text
    assert "30 kW" in page and "power_w 1000000 W" in page  # the rating, and why it was not believed

    # Within the meter's margin (x1.2) a reading is believed and counted.
    honest = heartbeat(now, power_w=35_000.0, energy_today_wh=200_000.0, reading_at=stamp)
    assert post_reports(fleet, {"heartbeats": [honest]}).status_code == 200
    assert fleet.central.kiosk("baku-1-lobby")["doubt"] == ""
    assert totals(fleet)["power_w"] == 1e6 + 35_000.0


def test_set_centre_and_list_centres_from_the_command_line(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    assert main(["--data", data, "add-kiosk", "baku-1-lobby", "--centre", "baku-1"]) == 0
    assert main(["--data", data, "add-kiosk", "ganja-lobby", "--centre", "ganja"]) == 0
    done = subprocess.run(
        [sys.executable, "-m", "central", "--data", data, "set-centre", "baku-1", "--rated-power-kw", "30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "rated 30 kW" in done.stdout, done.stderr
    assert main(["--data", data, "set-centre", "baku-1", "--rated-power-kw", "45.5"]) == 0  # changed

    central = Central(Path(data), open_database(sqlite_url(Path(data) / "central.db")))
    try:
        centres = {c["name"]: c for c in central.fleet.centres()}
    finally:
        central.database.close()
    assert centres["baku-1"] == {"name": "baku-1", "rated_power_kw": 45.5, "kiosks": 1}
    assert centres["ganja"]["rated_power_kw"] is None


def test_list_centres_prints_each_rating_or_the_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    assert main(["--data", data, "set-centre", "sumqayit", "--rated-power-kw", "12"]) == 0
    assert main(["--data", data, "add-kiosk", "ganja-lobby", "--centre", "ganja"]) == 0
    capsys.readouterr()
    assert main(["--data", data, "list-centres"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["ganja", "sumqayit"]
    assert "server cap 2000 kW" in lines[0] and "kiosks 1" in lines[0]
    assert "rated 12 kW" in lines[1] and "kiosks 0" in lines[1]


@pytest.mark.parametrize(
    ("name", "kw", "words"),
    [
        ("baku-1", "nan", "finite"),
        ("baku-1", "inf", "finite"),
        ("baku-1", "-5", "above 0"),
        ("baku-1", "0", "above 0"),
        ("baku-1", "thirty", "not a number"),
        ("baku-1", str(DEFAULT_RATED_POWER_W / 1000 + 1), "at most 2000 kW"),
        ("Baku 1/../x", "30", "centre"),
    ],
)
def test_set_centre_refuses_what_is_not_a_plausible_rating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, kw: str, words: str
) -> None:
    data = str(tmp_path / "data")
    (tmp_path / "data").mkdir()
    try:
        code = main(["--data", data, "set-centre", name, "--rated-power-kw", kw])
    except SystemExit as exc:  # argparse refuses a value that is not a number at all
        code = int(str(exc.code))
    error = capsys.readouterr().err.strip().splitlines()
    assert code != 0
    assert words in error[-1] and "Traceback" not in "\n".join(error), error
    central = Central(Path(data), open_database(sqlite_url(Path(data) / "central.db")))
    try:
        assert central.fleet.centres() == []  # nothing was stored
    finally:
        central.database.close()


def test_a_revocation_database_upgrades_to_centre_power(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "central.sqlite")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    old = make_engine(url)
    with old.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003_revocation")
    assert "centres" not in inspect(old).get_table_names()
    old.dispose()

    database = open_database(url)  # what the server does when it starts
    try:
        central = Central(tmp_path / "data", database)
        central.fleet.set_centre("baku-1", 30)
        assert central.fleet.centres() == [{"name": "baku-1", "rated_power_kw": 30.0, "kiosks": 0}]
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003_revocation")
        assert "centres" not in inspect(database.engine).get_table_names()
    finally:
        database.close()
