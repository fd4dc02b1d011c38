"""The console's announcement levels over real HTTP: what each level does, the long-emergency warning,
and ending an announcement early through a draft that ``kioskctl approve`` signs."""

from __future__ import annotations

import html
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from central.console import BAKU
from central.console_text import TEXTS
from kiosk.cli import main
from tests.central.conftest import Fleet
from tests.central.test_api import published
from tests.central.test_console import PASSWORD, csrf_of, log_in

TEXTS_3 = {"az": "Təkrar emal həftəsi", "en": "Recycling week", "ru": "Неделя переработки"}


@pytest.fixture
def console(fleet: Fleet, tmp_path: Path) -> Fleet:
    """The SQLite fleet with a console user and one published release."""
    fleet.central.accounts.add_user("admin", PASSWORD)
    published(fleet, tmp_path, count=2)
    return fleet


def approve_all(fleet: Fleet) -> int:
    """Sign every pending draft with the real ``kioskctl approve --yes``; its exit code."""
    os.environ["GREEN_KIOSK_ADMIN_TOKEN"] = fleet.admin_token
    try:
        return main(["approve", fleet.server.channel_url(), "--key", str(fleet.key), "--yes"])
    finally:
        del os.environ["GREEN_KIOSK_ADMIN_TOKEN"]


def served_announcements(fleet: Fleet) -> list[dict[str, object]]:
    doc = json.loads((fleet.server.data / "channels" / "main" / "manifest.json").read_bytes())
    announcements: list[dict[str, object]] = doc["content"].get("announcements") or []
    return announcements


def form_values(page: str, starts: datetime, ends: datetime, level: str) -> dict[str, str]:
    return {
        "csrf": csrf_of(page), "channel": "main", "level": level, **TEXTS_3,
        "starts": starts.isoformat(timespec="minutes"), "ends": ends.isoformat(timespec="minutes"),
    }  # fmt: skip


def test_the_form_says_what_each_level_does_in_both_languages(console: Fleet) -> None:
    browser = log_in(console)
    url = console.server.url
    for language in ("az", "en"):
        browser.get(f"{url}/console/lang/{language}", timeout=5)
        page = html.unescape(browser.get(f"{url}/console/announcements", timeout=5).text)
        for level in ("info", "warning", "emergency"):
            assert f'value="{level}"' in page
            assert TEXTS[language][f"level_{level}"] in page
            assert TEXTS[language][f"level_{level}_does"] in page
    assert "nothing else shows" in page  # English last


def test_an_emergency_over_a_day_needs_a_second_yes_and_a_long_info_does_not(console: Fleet) -> None:
    browser = log_in(console)
    url = console.server.url
    page = browser.get(f"{url}/console/announcements", timeout=5).text
    now = datetime.now(BAKU).replace(second=0, microsecond=0, tzinfo=None)
    month = form_values(page, now, now + timedelta(days=30), "emergency")
    warned = browser.post(f"{url}/console/announcements", data=month, timeout=5)
    assert warned.status_code == 400
    assert TEXTS["az"]["announce_long_emergency"].format(hours=720) in html.unescape(warned.text)
    assert console.central.drafts("main") == []
    confirmed = browser.post(f"{url}/console/announcements", data={**month, "long_ok": "yes"}, timeout=5)
    assert confirmed.url.endswith("/console/channels/main#drafts")
    month_info = form_values(page, now, now + timedelta(days=30), "info")
    info = browser.post(f"{url}/console/announcements", data=month_info, timeout=5)
    assert info.url.endswith("#drafts")
    assert [d["params"]["level"] for d in console.central.drafts("main")] == ["emergency", "info"]


def test_end_now_makes_a_draft_that_once_approved_ends_the_announcement(
    console: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    central = console.central
    now = datetime.now(UTC)
    starts, ends = now - timedelta(hours=1), now + timedelta(days=30)
    central.propose_announcement("main", TEXTS_3, starts=starts, ends=ends, level="warning", by="t")
    assert approve_all(console) == 0
    [running] = central.publishing.announcements("main")
    browser = log_in(console)
    url = console.server.url
    page = browser.get(f"{url}/console/announcements", timeout=5).text
    assert TEXTS["az"]["announce_end"] in page and f'name="announcement" value="{running.id}"' in page
    ended = browser.post(
        f"{url}/console/announcements/end",
        data={"csrf": csrf_of(page), "channel": "main", "announcement": running.id},
        timeout=5,
    )
    assert ended.url.endswith("/console/channels/main#drafts")
    assert "Elanı erkən bitirmək" in ended.text and "): Təkrar emal həftəsi" in html.unescape(ended.text)
    [draft] = central.drafts("main")
    assert draft["kind"] == "end_announcement" and draft["params"]["announcement"] == running.id
    assert central.publishing.announcements("main")[0].ends == running.ends  # nothing shown changed yet
    capsys.readouterr()
    assert approve_all(console) == 0
    assert "ends" in capsys.readouterr().out  # the signer sees the end move
    [after] = central.publishing.announcements("main")
    assert after.id == running.id and after.starts == running.starts
    assert running.starts < after.ends <= datetime.now(UTC)
    [served] = served_announcements(console)
    assert datetime.fromisoformat(str(served["ends"])) == after.ends
    listed = browser.get(f"{url}/console/announcements", timeout=5).text
    assert TEXTS["az"]["state_ended"] in listed and f'value="{running.id}"' not in listed


def test_ending_a_planned_announcement_removes_it_and_bad_ends_are_clear_refusals(console: Fleet) -> None:
    central = console.central
    now = datetime.now(UTC)
    central.propose_announcement(
        "main", TEXTS_3, starts=now + timedelta(days=1), ends=now + timedelta(days=2), by="t"
    )
    assert approve_all(console) == 0
    [planned] = central.publishing.announcements("main")
    browser = log_in(console)
    url = console.server.url
    csrf = csrf_of(browser.get(f"{url}/console/announcements", timeout=5).text)
    end = f"{url}/console/announcements/end"
    unknown = browser.post(end, data={"csrf": csrf, "channel": "main", "announcement": "nope"}, timeout=5)
    assert unknown.status_code == 404 and "nope" in unknown.text
    no_channel = browser.post(end, data={"csrf": csrf, "channel": "x", "announcement": planned.id}, timeout=5)
    assert no_channel.status_code == 404
    browser.post(end, data={"csrf": csrf, "channel": "main", "announcement": planned.id}, timeout=5)
    assert approve_all(console) == 0
    assert central.publishing.announcements("main") == [] and served_announcements(console) == []
    gone = browser.post(end, data={"csrf": csrf, "channel": "main", "announcement": planned.id}, timeout=5)
    assert gone.status_code == 404
    forged = requests.post(
        end, data={"channel": "main", "announcement": planned.id}, allow_redirects=False, timeout=5
    )
    assert forged.status_code in (303, 401, 403) and central.drafts("main") == []
