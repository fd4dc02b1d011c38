"""Proof of play and release notes in the console, over real HTTP against the real server.

Kiosk cores (their real reporters and outboxes) report plays; the console's CSV must hold exactly what
they reported, per service, video and section, for the chosen dates and centre.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from kiosk.cli import main as kioskctl
from kiosk.core import KioskCore, open_core
from tests.central.conftest import Fleet
from tests.central.kiosk_fixtures import kiosk_settings
from tests.central.test_console import PASSWORD, log_in
from tests.kiosk.content.channel import card, svg, write_source

BAKU = ZoneInfo("Asia/Baku")
CENTRE_OF = {"baku-1-lobby": "baku-1", "ganja-lobby": "ganja"}
TYPE_OF = {"service": "service", "service_opened": "service", "video": "video", "section": "section"}
TITLE_AZ = "Doğum şəhadətnaməsi, çağırış"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'


@dataclass(frozen=True)
class Play:
    kiosk: str
    at: datetime
    kind: str
    section: str
    item: str
    seconds: float | None


def source(folder: Path, titles: dict[str, dict[str, str]]) -> Path:
    services = [card(item, title=title) for item, title in titles.items()]
    return write_source(folder, services, {f"icons/{item}.svg": svg(item) for item in titles})


def publish(fleet: Fleet, folder: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> None:
    monkeypatch.setenv("GREEN_KIOSK_ADMIN_TOKEN", fleet.admin_token)
    args = ["publish", str(folder), "--to", fleet.server.channel_url(), "--key", str(fleet.key), *extra]
    assert kioskctl(args) == 0


@pytest.fixture
def cores(any_fleet: Fleet, tmp_path: Path) -> Iterator[dict[str, KioskCore]]:
    """Both test kiosks' cores, on the SQLite and on the PostgreSQL server."""
    opened = {
        kiosk: open_core(kiosk_settings(any_fleet, tmp_path / kiosk, kiosk_id=kiosk), tmp_path / f"d-{kiosk}")
        for kiosk in CENTRE_OF
    }
    yield opened
    for core in opened.values():
        core.close()


def report(cores: dict[str, KioskCore], plays: list[Play]) -> None:
    """Each kiosk's real reporter queues its plays and sends them to the server."""
    for play in plays:
        reporter = cores[play.kiosk].reporter
        assert reporter is not None
        reporter.record_event(
            play.kind, section=play.section, item=play.item, seconds=play.seconds, language="az", at=play.at
        )
    for core in cores.values():
        assert core.reporter is not None
        result = core.reporter.send_pending()
        assert result.ok, result.message


def expected(
    plays: list[Play], first: date, last: date, centre: str = ""
) -> dict[tuple[str, str], tuple[int, int]]:
    """What the CSV must say, summed from the plays as reported: (type, id) → (plays, whole seconds)."""
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for play in plays:
        day = play.at.astimezone(BAKU).date()
        outside = not first <= day <= last or (centre and CENTRE_OF[play.kiosk] != centre)
        if outside or play.kind not in TYPE_OF:
            continue
        kind = TYPE_OF[play.kind]
        key = (kind, play.section if kind == "section" else play.item)
        sums[key][0] += 1
        sums[key][1] += play.seconds or 0.0
    return {key: (int(n), round(seconds)) for key, (n, seconds) in sums.items()}


def csv_rows(browser: requests.Session, fleet: Fleet, **query: str) -> list[dict[str, str]]:
    response = browser.get(f"{fleet.server.url}/console/plays.csv", params=query, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def figures(
    rows: list[dict[str, str]], type_labels: dict[str, str]
) -> dict[tuple[str, str], tuple[int, int]]:
    kinds = {label: kind for kind, label in type_labels.items()}
    return {(kinds[r["Type"]], r["Id"]): (int(r["Plays"]), int(r["Seconds"])) for r in rows}


def test_the_csv_holds_what_kiosks_reported_per_service_video_and_section(
    any_fleet: Fleet, cores: dict[str, KioskCore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fleet = any_fleet
    titles = {
        "birth": {"az": TITLE_AZ, "en": "Birth certificate", "ru": "Свидетельство о рождении"},
        "tricky": {"az": FORMULA_TITLE, "en": FORMULA_TITLE, "ru": FORMULA_TITLE},
    }
    publish(fleet, source(tmp_path / "src", titles), monkeypatch)
    fleet.central.accounts.add_user("admin", PASSWORD)
    now = datetime.now(UTC)
    recent, older = now - timedelta(days=1), now - timedelta(days=20)
    plays = [
        Play("baku-1-lobby", recent, "service", "services", "birth", 12.5),
        Play("baku-1-lobby", recent, "service", "services", "birth", 7.25),
        Play("ganja-lobby", recent, "service", "services", "birth", 30.0),
        Play("ganja-lobby", recent, "service_opened", "services", "tricky", None),  # an older kiosk
        Play("baku-1-lobby", recent, "video", "video", "campaign-2026", 41.6),
        Play("baku-1-lobby", recent, "section", "energy", "", 60.2),
        Play("ganja-lobby", recent, "section", "energy", "", 15.0),
        Play("baku-1-lobby", recent, "section", "video", "", 41.7),
        Play("baku-1-lobby", older, "service", "services", "birth", 99.0),  # outside the week
        Play("baku-1-lobby", recent, "language", "video", "", None),  # not a play
    ]
    report(cores, plays)
    browser = log_in(fleet)
    browser.cookies.set("gk_lang", "en", path="/console")
    today = now.astimezone(BAKU).date()
    week = {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()}
    labels = {"service": "Service", "video": "Video", "section": "Section"}

    everywhere = csv_rows(browser, fleet, **week)
    assert figures(everywhere, labels) == expected(plays, today - timedelta(days=6), today)
    names = {r["Id"]: r["Name"] for r in everywhere}
    assert names["birth"] == "Birth certificate" and names["energy"] == "Energy"
    assert names["tricky"] == "'" + FORMULA_TITLE  # a spreadsheet shows it, never runs it
    assert names["campaign-2026"] == "campaign-2026"  # not in the content: its id, not a blank

    ganja = csv_rows(browser, fleet, **week, centre="ganja")
    assert figures(ganja, labels) == expected(plays, today - timedelta(days=6), today, "ganja")
    month = {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()}
    assert figures(csv_rows(browser, fleet, **month), labels) == expected(
        plays, today - timedelta(days=30), today
    )
    one_kiosk = csv_rows(browser, fleet, **week, kiosk="ganja-lobby")
    assert {r["Kiosk"] for r in one_kiosk} == {"ganja-lobby"}

    browser.cookies.set("gk_lang", "az", path="/console")
    page = browser.get(f"{fleet.server.url}/console/plays", params=week, timeout=10)
    assert page.status_code == 200
    assert TITLE_AZ in page.text and "Enerji" in page.text and "service_opened" not in page.text
    assert "0:00:50" in page.text  # birth: 12.5 + 7.25 + 30 s
    az = csv_rows(browser, fleet, **week)
    assert TITLE_AZ in {r["Ad"] for r in az}
    kiosk_page = browser.get(f"{fleet.server.url}/console/kiosks/ganja-lobby", timeout=10).text
    assert "Xidmət açıldı (müddətsiz)" in kiosk_page and "service_opened" not in kiosk_page
    assert "/console/plays?kiosk=ganja-lobby" in kiosk_page


HOSTILE = [
    {"from": "yesterday"},
    {"from": "2026-13-01"},
    {"to": "9999-12-31"},
    {"from": "1900-01-01", "to": "2026-01-01"},
    {"from": "2021-01-01", "to": "2026-01-01"},
    {"from": "2026-02-01", "to": "2026-01-01"},
    {"from": "2026-01-01" + "0" * 5000},
    {"centre": "x" * 5000},
]


def test_a_hostile_filter_is_a_400_page_not_a_500(fleet: Fleet) -> None:
    fleet.central.accounts.add_user("admin", PASSWORD)
    browser = log_in(fleet)
    for query in HOSTILE:
        for path in ("/console/plays", "/console/plays.csv"):
            response = browser.get(f"{fleet.server.url}{path}", params=query, timeout=10)
            assert response.status_code == 400, (path, query, response.status_code)
            assert 'role="alert"' in response.text and "Traceback" not in response.text


def test_a_release_shows_its_note_author_and_what_changed(
    fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = {"a": {"az": "Bir", "en": "One", "ru": "Один"}, "b": {"az": "İki", "en": "Two", "ru": "Два"}}
    publish(fleet, source(tmp_path / "v1", first), monkeypatch, "--note", "İlk buraxılış")
    second = {**first, "a": {"az": "Bir (yeni)", "en": "One (new)", "ru": "Один"}}
    second["c"] = {"az": "Üç", "en": "Three", "ru": "Три"}
    note = ("--note", "Qiymətlər <b>yeniləndi</b>")
    publish(fleet, source(tmp_path / "v2", second), monkeypatch, *note, "--replace")  # a new folder
    fleet.central.accounts.add_user("admin", PASSWORD)
    browser = log_in(fleet)
    browser.cookies.set("gk_lang", "en", path="/console")

    channel = browser.get(f"{fleet.server.url}/console/channels/main", timeout=10).text
    assert "Qiymətlər &lt;b&gt;yeniləndi&lt;/b&gt;" in channel  # the note, escaped
    assert "1 service added, 1 service changed" in channel
    assert "The channel&#39;s first release" in channel
    assert channel.count(">admin</td>") == 2  # the admin token's name, for both releases
    browser.cookies.set("gk_lang", "az", path="/console")
    assert (
        "1 xidmət əlavə olundu, 1 xidmət dəyişdi"
        in browser.get(f"{fleet.server.url}/console/channels/main", timeout=10).text
    )

    page = browser.get(f"{fleet.server.url}/console/channels/main/releases/2", timeout=10)
    assert page.status_code == 200
    assert "+ service c (added)" in page.text and "title.az" in page.text and "Bir (yeni)" in page.text
    assert "the release published before it (release 1) to release 2" in page.text
    assert "shows now" not in page.text  # release 1 is what it is compared with, not what kiosks show
    missing = browser.get(f"{fleet.server.url}/console/channels/main/releases/99", timeout=10)
    assert missing.status_code == 404
    command = ["publish", str(tmp_path / "v2"), "--to", fleet.server.channel_url(), "--key", str(fleet.key)]
    assert kioskctl([*command, "--note", "x" * 300]) != 0  # refused before anything is signed


def test_a_day_is_a_baku_day_and_a_kiosks_hostile_item_id_stays_text(
    any_fleet: Fleet, cores: dict[str, KioskCore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fleet = any_fleet
    birth = {"birth": {"az": TITLE_AZ, "en": "Birth", "ru": "Рождение"}}
    publish(fleet, source(tmp_path / "src", birth), monkeypatch)
    fleet.central.accounts.add_user("admin", PASSWORD)
    day = datetime.now(BAKU).date() - timedelta(days=2)
    midnight = datetime(day.year, day.month, day.day, tzinfo=BAKU)  # 20:00 UTC the day before
    last_instant = midnight + timedelta(days=1) - timedelta(milliseconds=1)
    plays = [
        Play("baku-1-lobby", midnight - timedelta(milliseconds=1), "service", "services", "day-before", 1.0),
        Play("baku-1-lobby", midnight, "service", "services", "first-instant", 2.0),
        Play("ganja-lobby", last_instant, "service", "services", "last-instant", 4.0),
        Play("ganja-lobby", midnight + timedelta(days=1), "service", "services", "day-after", 8.0),
        Play("ganja-lobby", midnight + timedelta(hours=12), "service", "services", "=1+2", 16.0),
        Play("ganja-lobby", midnight + timedelta(hours=12), "video", "video", "@SUM(A1)", 32.0),
        Play("ganja-lobby", midnight + timedelta(hours=12), "service", "services", "-2+3", 64.0),
    ]
    report(cores, plays)
    browser = log_in(fleet)
    browser.cookies.set("gk_lang", "en", path="/console")
    labels = {"service": "Service", "video": "Video", "section": "Section"}

    one_day = {"from": day.isoformat(), "to": day.isoformat()}
    rows = csv_rows(browser, fleet, **one_day)
    assert figures(rows, labels) == as_text(expected(plays, day, day))
    ids = {r["Id"] for r in rows}
    assert {"first-instant", "last-instant"} <= ids and not {"day-before", "day-after"} & ids
    assert {"'=1+2", "'@SUM(A1)", "'-2+3"} <= ids  # a kiosk's item id is data, never a formula
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    two_days = {"from": (day - timedelta(days=1)).isoformat(), "to": day.isoformat()}
    both = as_text(expected(plays, day - timedelta(days=1), day))
    assert figures(csv_rows(browser, fleet, **two_days), labels) == both
    ganja = csv_rows(browser, fleet, **one_day, kiosk="ganja-lobby")
    assert {r["Id"] for r in ganja} == {"last-instant", "'=1+2", "'@SUM(A1)", "'-2+3"}
    page = browser.get(f"{fleet.server.url}/console/plays", params=one_day, timeout=10).text
    assert "=1+2" in page  # the page shows the id as it came


def as_text(sums: dict[tuple[str, str], tuple[int, int]]) -> dict[tuple[str, str], tuple[int, int]]:
    """Expected figures keyed as the CSV shows ids: one a spreadsheet would run gets an apostrophe."""
    return {
        (kind, "'" + item if item.startswith(("=", "+", "-", "@")) else item): v
        for (kind, item), v in sums.items()
    }
