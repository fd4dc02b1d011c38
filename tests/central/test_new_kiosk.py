"""A kiosk enrolled moments ago is "new" in the fleet view, not "behind" or "silent", until it settles."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from central.console_text import TEXTS
from central.fleet import NEW_KIOSK_GRACE
from tests.central.conftest import Fleet
from tests.central.test_api import auth, heartbeat, published
from tests.central.test_console import PASSWORD, log_in

AZ = TEXTS["az"]


def report(fleet: Fleet, kiosk: str, at: datetime, release: int) -> None:
    requests.post(
        f"{fleet.server.url}/api/kiosk/reports",
        json={"heartbeats": [heartbeat(at, release=release)]},
        headers=auth(fleet.kiosk_tokens[kiosk]),
        timeout=5,
    ).raise_for_status()


def fleet_row(browser: requests.Session, fleet: Fleet, kiosk: str) -> str:
    page = browser.get(f"{fleet.server.url}/console/", timeout=5).text
    found = re.search(rf'<tr id="kiosk-{kiosk}" class="(\w+)">(.*?)</tr>', page, re.S)
    assert found is not None
    return f"{found.group(1)} {found.group(2)}"


def api_row(fleet: Fleet, kiosk: str) -> dict[str, object]:
    answer = requests.get(f"{fleet.server.url}/api/kiosks", headers=auth(fleet.admin_token), timeout=5)
    (row,) = [row for row in answer.json()["kiosks"] if row["id"] == kiosk]
    return dict(row)


def test_a_new_kiosk_waits_for_its_first_report_and_sync_before_it_is_behind(
    fleet: Fleet, tmp_path: Path
) -> None:
    published(fleet, tmp_path, count=1)  # the channel has release 1
    fleet.central.accounts.add_user("admin", PASSWORD)
    browser = log_in(fleet)
    enrolled = datetime.now(UTC)

    row = fleet_row(browser, fleet, "baku-1-lobby")  # enrolled, never heard from
    assert row.startswith("alive ") and AZ["new_waiting_report"] in row and AZ["silent_badge"] not in row
    assert api_row(fleet, "baku-1-lobby")["new"] is True

    report(fleet, "baku-1-lobby", enrolled, release=0)  # first heartbeat, still on the demo content
    row = fleet_row(browser, fleet, "baku-1-lobby")
    assert AZ["new_waiting_sync"] in row and AZ["release_behind"].format(n=1) not in row
    kiosk_page = browser.get(f"{fleet.server.url}/console/kiosks/baku-1-lobby", timeout=5).text
    assert AZ["new_waiting_sync"] in kiosk_page and AZ["release_behind"].format(n=1) not in kiosk_page

    report(fleet, "baku-1-lobby", enrolled, release=1)  # synced: an ordinary kiosk from now on
    row = fleet_row(browser, fleet, "baku-1-lobby")
    assert AZ["new_waiting_sync"] not in row and AZ["release_behind"].format(n=1) not in row
    assert api_row(fleet, "baku-1-lobby")["new"] is False

    later = enrolled + NEW_KIOSK_GRACE + timedelta(minutes=1)
    fleet.central.clock = lambda: later
    report(fleet, "baku-1-lobby", later, release=0)  # back on nothing long after enrolment: behind
    row = fleet_row(browser, fleet, "baku-1-lobby")
    assert AZ["release_behind"].format(n=1) in row and AZ["new_waiting_sync"] not in row
    row = fleet_row(browser, fleet, "ganja-lobby")  # never came up: that is silence now
    assert row.startswith("silent ") and AZ["silent_badge"] in row and AZ["new_waiting_report"] not in row
