"""The admin web console over real HTTP: logins, sessions, CSRF, the fleet table, languages, drafts."""

from __future__ import annotations

import hashlib
import json
import re
import string
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from fastapi.routing import APIRoute
from sqlalchemy import select

from central.api import create_app
from central.console import BAKU, Formats
from central.console_text import TEXTS
from central.fleet import NEW_KIOSK_GRACE
from central.models import WebSession
from kiosk.content.remote import CentralClient, approve_drafts
from tests.central.conftest import Fleet
from tests.central.server import routes_of
from tests.central.test_api import auth, heartbeat, published

PASSWORD = "a-long-password"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-energy.png"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, "no CSRF field in the page"
    return found.group(1)


def row_of(html: str, kiosk: str) -> str:
    found = re.search(rf'<tr id="kiosk-{re.escape(kiosk)}" class="(\w+)">(.*?)</tr>', html, re.S)
    assert found is not None, f"no row for {kiosk}"
    return f"{found.group(1)}: {found.group(2)}"


def log_in(fleet: Fleet, name: str = "admin", password: str = PASSWORD) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{fleet.server.url}/console/login", timeout=5)
    response = browser.post(
        f"{fleet.server.url}/console/login",
        data={"csrf": csrf_of(form.text), "name": name, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 303, response.text
    return browser


def report(fleet: Fleet, kiosk: str, at: datetime, **values: object) -> None:
    requests.post(
        f"{fleet.server.url}/api/kiosk/reports",
        json={"heartbeats": [heartbeat(at, **values)]},
        headers=auth(fleet.kiosk_tokens[kiosk]),
        timeout=5,
    ).raise_for_status()


@pytest.fixture
def console(fleet: Fleet) -> Iterator[Fleet]:
    """The SQLite fleet with a console user."""
    fleet.central.accounts.add_user("admin", PASSWORD)
    real_clock = fleet.central.clock
    yield fleet
    fleet.central.clock = real_clock


@pytest.fixture
def any_console(any_fleet: Fleet) -> Fleet:
    """The same, on SQLite and on PostgreSQL."""
    any_fleet.central.accounts.add_user("admin", PASSWORD)
    return any_fleet


def move_clock(fleet: Fleet, by: timedelta) -> None:
    fleet.central.clock = lambda: datetime.now(UTC) + by


def test_every_page_needs_a_login(console: Fleet) -> None:
    url = console.server.url
    root = requests.get(url + "/", allow_redirects=False, timeout=5)
    assert root.status_code == 303 and root.headers["location"] == "/console/"
    for path in (
        "/console/",
        "/console/kiosks/baku-1-lobby",
        "/console/kiosks/baku-1-lobby/screenshot.png",
        "/console/channels/main",
        "/console/announcements",
    ):
        response = requests.get(url + path, allow_redirects=False, timeout=5)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/console/login"), path
    followed = requests.get(url + "/console/channels/main", timeout=5)
    assert followed.url.endswith("/console/login?next=%2Fconsole%2Fchannels%2Fmain")
    assert 'name="password"' in followed.text and "Daxil olun" in followed.text


def test_a_wrong_password_or_unknown_name_is_refused(console: Fleet) -> None:
    browser = requests.Session()
    url = f"{console.server.url}/console/login"
    for name, password in (("admin", "not-the-password"), ("nobody", PASSWORD), ("admin", "")):
        form = browser.get(url, timeout=5)
        response = browser.post(
            url, data={"csrf": csrf_of(form.text), "name": name, "password": password}, timeout=10
        )
        assert response.status_code == 401, (name, password)
        assert TEXTS["az"]["login_wrong"] in response.text
        assert "gk_session" not in browser.cookies
    assert browser.get(f"{console.server.url}/console/", allow_redirects=False, timeout=5).status_code == 303


def test_login_opens_a_session_whose_cookie_the_server_keeps_only_hashed(any_console: Fleet) -> None:
    url = any_console.server.url
    browser = requests.Session()
    form = browser.get(f"{url}/console/login?next=%2Fconsole%2Fchannels%2Fmain", timeout=5)
    response = browser.post(
        f"{url}/console/login",
        data={
            "csrf": csrf_of(form.text),
            "name": "admin",
            "password": PASSWORD,
            "next": "/console/channels/main",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 303 and response.headers["location"] == "/console/channels/main"
    cookie = next(c for c in response.raw.headers.getlist("set-cookie") if c.startswith("gk_session="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "max-age", "path"} <= attributes and "secure" not in attributes  # plain http here
    assert "samesite=strict" in cookie.lower() and "path=/console" in cookie.lower()
    assert "max-age=43200" in cookie.lower()
    token = browser.cookies["gk_session"]
    assert len(token) >= 43
    with any_console.central.database.session() as session:
        [stored] = session.scalars(select(WebSession)).all()
        assert stored.id_hash == hashlib.sha256(token.encode()).hexdigest() and token not in stored.id_hash
    page = browser.get(f"{url}/console/", timeout=5)
    assert page.status_code == 200 and "admin" in page.text and "Bütün kiosklar" in page.text
    assert "script" not in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    stranger = requests.Session()
    form = stranger.get(f"{url}/console/login", timeout=5)
    elsewhere = stranger.post(
        f"{url}/console/login",
        data={
            "csrf": csrf_of(form.text),
            "name": "admin",
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert elsewhere.status_code == 303 and elsewhere.headers["location"] == "/console/"
    logged_in = browser.get(f"{url}/console/login?next=//evil.example/", allow_redirects=False, timeout=5)
    assert logged_in.status_code == 303 and logged_in.headers["location"] == "/console/"


def test_cookies_are_secure_behind_an_https_proxy(console: Fleet) -> None:
    browser = requests.Session()
    https = {"X-Forwarded-Proto": "https"}  # as nginx in front would say; uvicorn trusts 127.0.0.1
    url = f"{console.server.url}/console/login"
    form = browser.get(url, headers=https, timeout=5)
    assert "secure" in form.headers["set-cookie"].lower()
    token = browser.cookies["gk_login_csrf"]  # a Secure cookie: requests would not send it over http
    response = requests.post(
        url,
        data={"csrf": token, "name": "admin", "password": PASSWORD},
        headers={**https, "Cookie": f"gk_login_csrf={token}"},
        allow_redirects=False,
        timeout=10,
    )
    session_cookie = next(
        c for c in response.raw.headers.getlist("set-cookie") if c.startswith("gk_session=")
    )
    assert "; secure" in session_cookie.lower()


def test_the_login_form_needs_its_own_csrf_token(console: Fleet) -> None:
    url = f"{console.server.url}/console/login"
    data = {"name": "admin", "password": PASSWORD}
    assert requests.post(url, data={**data, "csrf": "guessed"}, timeout=10).status_code == 403
    browser = requests.Session()
    token = csrf_of(browser.get(url, timeout=5).text)
    assert browser.post(url, data=data, timeout=10).status_code == 403
    assert browser.post(url, data={**data, "csrf": token + "x"}, timeout=10).status_code == 403
    assert requests.post(url, data={**data, "csrf": token}, timeout=10).status_code == 403  # no cookie
    assert "gk_session" not in browser.cookies
    ok = browser.post(url, data={**data, "csrf": token}, allow_redirects=False, timeout=10)
    assert ok.status_code == 303 and "gk_session" in browser.cookies


def console_posts(fleet: Fleet) -> list[str]:
    console = create_app(fleet.central).state.console
    return sorted(
        route.path
        for router in console.routers
        for route in routes_of(router)
        if isinstance(route, APIRoute) and "POST" in route.methods
    )


def test_every_console_post_needs_the_sessions_csrf_token(console: Fleet, tmp_path: Path) -> None:
    published(console, tmp_path, count=2, tag="v1")
    published(console, tmp_path, count=3, tag="v2")
    url = console.server.url
    now = datetime.now(BAKU).replace(second=0, microsecond=0, tzinfo=None)
    forms = {
        "/console/logout": {},
        "/console/kiosks/{kiosk_id}/screenshot-request": {"next": "/console/"},
        "/console/channels/{name}/rollback": {"release": "1"},
        "/console/channels/{name}/settings": {"target": "every", "display.language": "en"},
        "/console/announcements": {
            "channel": "main", "level": "info", "az": "Elan", "en": "Notice", "ru": "Объявление",
            "starts": now.isoformat(), "ends": (now + timedelta(hours=1)).isoformat(),
        },
        "/console/accounts/password": {"current": PASSWORD, "new": "x" * 12, "repeat": "x" * 12},
        "/console/accounts/tokens/{kind}/{name}/revoke": {"confirm": "baku-1-lobby"},
        "/console/accounts/users/{name}/remove": {},
        "/console/announcements/end": {"channel": "main", "announcement": "console-1"},
        "/console/channels/{name}/content/new/{table}": {"id": "new-card", "url": "https://e-gov.az"},
        "/console/channels/{name}/content/{table}/{item_id}": {"id": "item-0", "url": "https://e-gov.az"},
        "/console/channels/{name}/content/{table}/{item_id}/move": {"step": "down"},
        "/console/channels/{name}/content/{table}/{item_id}/delete": {},
        "/console/channels/{name}/content/general": {"sequence.0": "energy"},
        "/console/channels/{name}/content/new/announcements": {"level": "info"},
        "/console/channels/{name}/content/announcements/{item_id}": {"level": "info"},
        "/console/channels/{name}/content/announcements/{item_id}/delete": {},
        "/console/channels/{name}/content/reset": {},
        "/console/channels/{name}/content/propose": {"note": "A note"},
        "/console/channels/{name}/drafts/{draft_id}/discard": {},
        "/console/channels/{name}/drafts/{draft_id}/edit": {},
        "/console/channels/{name}/media": {"kind": "image"},
        "/console/channels/{name}/media/{sha}/remove": {},
    }  # fmt: skip
    assert console_posts(console) == sorted([*forms, "/console/login"])  # a new form must be added here
    browser = log_in(console)
    other = log_in(console)
    other_csrf = csrf_of(other.get(f"{url}/console/", timeout=5).text)
    for path, data in forms.items():
        target = url + path.format(
            kiosk_id="baku-1-lobby",
            name="main",
            kind="kiosk",
            table="services",
            item_id="item-0",
            draft_id=1,
            sha="0" * 64,
        )
        for csrf in (None, "", "wrong", other_csrf):
            body = dict(data) if csrf is None else {**data, "csrf": csrf}
            if path.endswith("/media"):  # the upload reads only multipart (a file comes with it)
                parts = {**{k: (None, v) for k, v in body.items()}, "file": ("a.png", b"\x89PNG")}
                response = browser.post(target, files=parts, allow_redirects=False, timeout=5)
            else:
                response = browser.post(target, data=body, allow_redirects=False, timeout=5)
            assert response.status_code == 403, (path, csrf)
            assert TEXTS["az"]["csrf_refused"] in response.text
    assert console.central.drafts("main") == []
    assert console.central.kiosk("baku-1-lobby")["screenshot_requested"] is False
    page = browser.get(f"{url}/console/", allow_redirects=False, timeout=5)
    assert page.status_code == 200  # still logged in: the refused logout did nothing
    answer = browser.post(
        f"{url}/console/channels/main/rollback",
        data={"csrf": csrf_of(page.text), "release": "1"},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 303 and len(console.central.drafts("main")) == 1


def test_logout_ends_the_session_even_for_a_kept_cookie(any_console: Fleet) -> None:
    url = any_console.server.url
    browser = log_in(any_console)
    token = browser.cookies["gk_session"]
    page = browser.get(f"{url}/console/", timeout=5)
    out = browser.post(
        f"{url}/console/logout", data={"csrf": csrf_of(page.text)}, allow_redirects=False, timeout=5
    )
    assert out.status_code == 303 and out.headers["location"] == "/console/login"
    assert "gk_session" not in browser.cookies
    replay = requests.get(f"{url}/console/", cookies={"gk_session": token}, allow_redirects=False, timeout=5)
    assert replay.status_code == 303 and replay.headers["location"].startswith("/console/login")
    with any_console.central.database.session() as session:
        assert session.scalars(select(WebSession)).all() == []


def test_a_session_expires_after_12_hours(console: Fleet) -> None:
    browser = log_in(console)
    url = f"{console.server.url}/console/"
    move_clock(console, timedelta(hours=11, minutes=59))
    assert browser.get(url, allow_redirects=False, timeout=5).status_code == 200
    move_clock(console, timedelta(hours=12, minutes=1))
    assert browser.get(url, allow_redirects=False, timeout=5).status_code == 303
    move_clock(console, timedelta(0))
    assert browser.get(url, allow_redirects=False, timeout=5).status_code == 303  # expired is deleted


def test_failed_logins_are_rate_limited_per_name_and_address(console: Fleet) -> None:
    console.central.accounts.add_user("operator", "another-long-password")
    url = f"{console.server.url}/console/login"

    def attempt(name: str, password: str) -> int:
        browser = requests.Session()
        token = csrf_of(browser.get(url, timeout=5).text)
        data = {"csrf": token, "name": name, "password": password}
        return browser.post(url, data=data, allow_redirects=False, timeout=10).status_code

    assert [attempt("admin", f"wrong-{i}") for i in range(5)] == [401] * 5
    assert attempt("admin", PASSWORD) == 429  # even the right password, while blocked
    assert attempt("ADMIN ", PASSWORD) == 429  # the same name however it is typed
    assert attempt("operator", "another-long-password") == 303  # another name is not blocked
    move_clock(console, timedelta(minutes=14))
    assert attempt("admin", PASSWORD) == 429  # the (name, address) brake holds for 15 minutes
    move_clock(console, timedelta(minutes=15, seconds=1))
    assert attempt("admin", PASSWORD) == 303


def test_the_fleet_shows_a_kiosk_once_it_reports(any_console: Fleet, tmp_path: Path) -> None:
    published(any_console, tmp_path, count=2, tag="v1")
    published(any_console, tmp_path, count=3, tag="v2")
    browser = log_in(any_console)
    url = f"{any_console.server.url}/console/"
    before = browser.get(url, timeout=5).text
    never = row_of(before, "baku-1-lobby")  # enrolled moments ago: new, not silent
    assert never.startswith("alive:") and "heç vaxt" in never and TEXTS["az"]["new_waiting_report"] in never
    now = datetime.now(UTC)
    report(
        any_console,
        "baku-1-lobby",
        now,
        app_version="0.3.1",
        release=1,
        power_w=1530.0,
        energy_today_wh=12345.0,
        last_error="inverter: timeout <after 5 s>",
        reading_at=now.isoformat(),
    )
    row = row_of(browser.get(url, timeout=5).text, "baku-1-lobby")
    assert row.startswith("alive:")
    for shown in ("baku-1", "indicə", "0.3.1", "1,5 kVt", "12,3 kVt·saat", "geridə: kanalda 2"):
        assert shown in row, shown
    assert "inverter: timeout &lt;after 5 s&gt;" in row  # escaped, never markup
    assert "Əlaqə yoxdur" not in row
    assert TEXTS["az"]["new_waiting_report"] in row_of(browser.get(url, timeout=5).text, "ganja-lobby")


def test_a_kiosk_silent_for_over_5_minutes_is_marked_in_words_not_only_colour(console: Fleet) -> None:
    report(console, "baku-1-lobby", datetime.now(UTC))
    browser = log_in(console)
    url = f"{console.server.url}/console/"
    move_clock(console, timedelta(minutes=4, seconds=50))
    assert row_of(browser.get(url, timeout=5).text, "baku-1-lobby").startswith("alive:")
    move_clock(console, timedelta(minutes=6))
    page = browser.get(url, timeout=5).text
    row = row_of(page, "baku-1-lobby")
    assert row.startswith("silent:") and "Əlaqə yoxdur (5 dəq+)" in row and "6 dəq əvvəl" in row
    assert "5 dəqiqədən çox əlaqəsiz: 1" in page  # ganja-lobby, never heard from, is still new
    move_clock(console, NEW_KIOSK_GRACE + timedelta(minutes=1))
    page = browser.get(url, timeout=5).text
    assert row_of(page, "ganja-lobby").startswith("silent:") and "5 dəqiqədən çox əlaqəsiz: 2" in page


def test_the_language_switch_changes_every_page(console: Fleet) -> None:
    report(console, "baku-1-lobby", datetime.now(UTC), power_w=1530.0, energy_today_wh=1234567.0)
    browser = log_in(console)
    url = console.server.url
    az = browser.get(f"{url}/console/", timeout=5).text
    assert '<html lang="az">' in az and "Bütün kiosklar" in az and "1.234,6 kVt·saat" in az
    switched = browser.get(f"{url}/console/lang/en?next=%2Fconsole%2Fkiosks%2Fbaku-1-lobby", timeout=5)
    assert switched.url.endswith("/console/kiosks/baku-1-lobby") and "Report history" in switched.text
    en = browser.get(f"{url}/console/", timeout=5).text
    assert '<html lang="en">' in en and "All kiosks" in en and "1,234.6 kWh" in en and "1.5 kW" in en
    assert "Bütün kiosklar" not in en
    for path in ("/console/channels/main", "/console/announcements"):
        assert "Log out" in browser.get(url + path, timeout=5).text
    away = browser.get(f"{url}/console/lang/az?next=https://evil.example/", allow_redirects=False, timeout=5)
    assert away.headers["location"] == "/console/"
    assert "Bütün kiosklar" in browser.get(f"{url}/console/", timeout=5).text
    english_login = requests.get(f"{url}/console/login", cookies={"gk_lang": "en"}, timeout=5).text
    assert "User name" in english_login
    unknown = requests.get(f"{url}/console/login", cookies={"gk_lang": "xx"}, timeout=5).text
    assert "İstifadəçi adı" in unknown


def test_both_languages_have_every_string_with_the_same_placeholders() -> None:
    az, en = TEXTS["az"], TEXTS["en"]
    assert sorted(az) == sorted(en)
    fields = string.Formatter()
    for key in az:
        assert az[key].strip() and en[key].strip(), key
        assert {f for _, f, _, _ in fields.parse(az[key]) if f} == {
            f for _, f, _, _ in fields.parse(en[key]) if f
        }, key
    letters = "".join(az.values())
    assert all(letter in letters for letter in "əğıöşçüİ")


def test_a_kiosks_energy_state_reads_as_words_and_keeps_the_devices_own_detail() -> None:
    now = datetime.now(UTC)
    az, en = Formats("az", now), Formats("en", now)
    assert az.energy_state("stale") == "ölçmə köhnədir"
    assert en.energy_state("offline: connection refused") == "no connection to the device: connection refused"
    assert en.energy_state("partial 2/3") == "2/3 devices report"
    assert en.energy_state("warp-drive") == "warp-drive"  # a newer kiosk's state: shown as sent
    assert en.energy_state("") == az.energy_state(None) == "—"


def test_the_kiosk_page_shows_its_history_and_a_session_protected_screenshot(console: Fleet) -> None:
    now = datetime.now(UTC)
    report(console, "baku-1-lobby", now - timedelta(minutes=2), release=1, energy_state="live")
    report(console, "baku-1-lobby", now - timedelta(minutes=1), release=2, energy_state="partial 2/3")
    report(console, "baku-1-lobby", now, release=2, energy_state="sleeping", last_error="disk full")
    browser = log_in(console)
    url = console.server.url
    page = browser.get(f"{url}/console/kiosks/baku-1-lobby", timeout=5).text
    assert page.count('<tr><td class="when">') == 3 and "disk full" in page
    assert "canlı ölçmə" in page and ">live<" not in page  # in words
    assert "cihazlardan 2/3 cavab verir" in page and "istehsal yoxdur (gecə və ya gözləmə)" in page
    assert "sleeping" not in page and "partial" not in page
    assert "Hələ ekran görüntüsü yoxdur." in page
    asked = browser.post(
        f"{url}/console/kiosks/baku-1-lobby/screenshot-request",
        data={"csrf": csrf_of(page), "next": "/console/kiosks/baku-1-lobby"},
        allow_redirects=False,
        timeout=5,
    )
    assert asked.status_code == 303 and asked.headers["location"] == "/console/kiosks/baku-1-lobby"
    assert console.central.kiosk("baku-1-lobby")["screenshot_requested"] is True
    requests.put(
        f"{url}/api/kiosk/screenshot",
        data=SCREENSHOT.read_bytes(),
        headers=auth(console.kiosk_tokens["baku-1-lobby"]),
        timeout=5,
    ).raise_for_status()
    fleet_page = browser.get(f"{url}/console/", timeout=5).text
    assert '<img src="/console/kiosks/baku-1-lobby/screenshot.png?at=' in fleet_page
    image = browser.get(f"{url}/console/kiosks/baku-1-lobby/screenshot.png", timeout=5)
    assert image.status_code == 200 and image.content == SCREENSHOT.read_bytes()
    assert image.headers["content-type"] == "image/png"
    stranger = requests.get(
        f"{url}/console/kiosks/baku-1-lobby/screenshot.png", allow_redirects=False, timeout=5
    )
    assert stranger.status_code == 303
    missing = browser.get(f"{url}/console/kiosks/no-such-kiosk", timeout=5)
    assert missing.status_code == 404 and "no-such-kiosk" in missing.text and "<html" in missing.text


def test_rollback_and_announcement_become_drafts_with_the_command_to_sign_them(
    console: Fleet, tmp_path: Path
) -> None:
    published(console, tmp_path, count=2, tag="v1")
    published(console, tmp_path, count=3, tag="v2")
    browser = log_in(console)
    url = console.server.url
    page = browser.get(f"{url}/console/channels/main", timeout=5).text
    assert "Aktiv buraxılış: 2" in page and "Təsdiq gözləyən qaralama yoxdur." in page
    assert re.search(r'id="release-2" class="active">.*?<td class="num"[^>]*>3</td>', page, re.S)  # items
    rolled = browser.post(
        f"{url}/console/channels/main/rollback", data={"csrf": csrf_of(page), "release": "1"}, timeout=5
    )
    [draft] = console.central.drafts("main")
    assert draft["created_by"] == "console:admin" and draft["release"] == 3
    command = f"kioskctl approve {url}/channels/main --key content.key --draft {draft['id']}"
    shown = re.sub(r"<[^>]+>", "", rolled.text)  # as the reader sees it (the command is in spans)
    assert command in shown and "Qaralama" in rolled.text and "imza açarını saxlamır" in rolled.text
    assert console.central.channel_release("main") == 2

    form = browser.get(f"{url}/console/announcements", timeout=5).text
    now = datetime.now(BAKU).replace(second=0, microsecond=0, tzinfo=None)
    data = {
        "csrf": csrf_of(form), "channel": "main", "level": "emergency",
        "az": "Mərkəz bu gün 17:00-dək işləyir", "en": "Open until 17:00 today", "ru": "",
        "starts": now.isoformat(), "ends": (now + timedelta(hours=3)).isoformat(), "centres": ["baku-1"],
    }  # fmt: skip
    refused = browser.post(f"{url}/console/announcements", data=data, timeout=5)
    assert refused.status_code == 400 and TEXTS["az"]["announce_need_texts"] in refused.text
    assert "Mərkəz bu gün 17:00-dək işləyir" in refused.text  # what was typed is kept
    accepted = browser.post(
        f"{url}/console/announcements", data={**data, "ru": "Сегодня до 17:00"}, timeout=5
    )
    assert accepted.url.endswith("/console/channels/main#drafts")
    assert "--draft" in accepted.text
    assert "Elan, " in accepted.text and "-dək: Mərkəz bu gün 17:00-dək işləyir" in accepted.text
    client = CentralClient(console.server.channel_url(), console.admin_token)
    assert approve_drafts(client, console.key, only=draft["id"], show=lambda _line: None) == [3]
    page = browser.get(f"{url}/console/channels/main", timeout=5).text
    assert "3 nömrəli buraxılış üzərində yenidən quruldu" in page  # the announcement, rebuilt on it
    assert approve_drafts(client, console.key, show=lambda _line: None) == [4]
    final = json.loads((console.server.data / "channels" / "main" / "manifest.json").read_bytes())["content"]
    assert len(final["services"]) == 2  # the rollback to release 1's two cards ...
    assert [a["text"]["az"] for a in final["announcements"]] == [
        "Mərkəz bu gün 17:00-dək işləyir"
    ]  # ... the announcement made on release 2
    listed = browser.get(f"{url}/console/announcements", timeout=5).text
    assert "Mərkəz bu gün 17:00-dək işləyir" in listed and "göstərilir" in listed and "baku-1" in listed
    assert "Aktiv buraxılış: 4" in browser.get(f"{url}/console/channels/main", timeout=5).text
