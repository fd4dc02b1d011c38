"""The admin console in a real browser: Debian's headless Chromium driven by Playwright.

Set ``CONSOLE_SCREENSHOTS=/some/dir`` to keep the page screenshots the test takes (fleet and
channel pages, in Azerbaijani and English) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from kiosk.content.remote import CentralClient, approve_drafts
from tests.central.conftest import Fleet
from tests.central.test_api import auth, heartbeat, published

playwright = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (scripts/bootstrap.sh dev)"
)

PASSWORD = "a-long-password"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-energy.png"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture
def page(tmp_path: Path) -> Iterator[playwright.Page]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium; scripts/bootstrap.sh dev)")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="az-AZ")
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()


def keep(page: playwright.Page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("CONSOLE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_an_admin_logs_in_sees_a_kiosk_report_and_rolls_back_a_release(
    fleet: Fleet, page: playwright.Page, tmp_path: Path
) -> None:
    expect = playwright.expect
    fleet.central.accounts.add_user("admin", PASSWORD)
    published(fleet, tmp_path, count=2, tag="v1")
    published(fleet, tmp_path, count=3, tag="v2")
    url = fleet.server.url

    page.goto(f"{url}/")
    expect(page.get_by_role("heading", name="Daxil olun")).to_be_visible()
    page.get_by_label("İstifadəçi adı").fill("admin")
    page.get_by_label("Şifrə").fill("not-the-password")
    page.get_by_role("button", name="Daxil ol").click()
    expect(page.get_by_role("alert")).to_have_text("İstifadəçi adı və ya şifrə səhvdir.")
    keep(page, "login-az", tmp_path)
    page.get_by_label("Şifrə").fill(PASSWORD)
    page.get_by_role("button", name="Daxil ol").click()
    expect(page.get_by_role("heading", name="Bütün kiosklar")).to_be_visible()
    row = page.locator("#kiosk-baku-1-lobby")
    expect(row).to_have_class("alive")
    expect(row).to_contain_text("Yeni kiosk: ilk hesabat gözlənilir")  # enrolled moments ago

    now = datetime.now(UTC)
    requests.post(
        f"{url}/api/kiosk/reports",
        json={"heartbeats": [heartbeat(now, release=2, power_w=1530.0, energy_today_wh=8400.0,
                                       app_version="0.3.1", reading_at=now.isoformat())]},
        headers=auth(fleet.kiosk_tokens["baku-1-lobby"]),
        timeout=5,
    ).raise_for_status()  # fmt: skip
    requests.put(
        f"{url}/api/kiosk/screenshot",
        data=SCREENSHOT.read_bytes(),
        headers=auth(fleet.kiosk_tokens["baku-1-lobby"]),
        timeout=5,
    ).raise_for_status()
    page.reload()
    expect(row).to_have_class("alive")
    expect(row).to_contain_text("1,5 kVt")
    expect(row).to_contain_text("8,4 kVt·saat")
    expect(row).to_contain_text("0.3.1")
    thumbnail = row.get_by_role("img")
    expect(thumbnail).to_be_visible()
    # The thumbnail loads after the page (with the session cookie): wait until the browser has decoded it.
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 100", arg=thumbnail.element_handle()
    )
    expect(page.locator("#kiosk-ganja-lobby")).to_contain_text("Yeni kiosk: ilk hesabat gözlənilir")
    keep(page, "fleet-az", tmp_path)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="All kiosks")).to_be_visible()
    expect(row).to_contain_text("1.5 kW")
    keep(page, "fleet-en", tmp_path)
    row.get_by_role("link", name="baku-1-lobby", exact=True).click()
    expect(page.get_by_role("heading", name="Kiosk baku-1-lobby")).to_be_visible()
    expect(page.locator("table.history tbody tr")).to_have_count(1)
    keep(page, "kiosk-en", tmp_path)

    page.get_by_role("link", name="Channel: main").click()
    expect(page.get_by_text("Active release: 2")).to_be_visible()
    page.locator("#release-1").get_by_role("button", name="Roll back to this release").click()
    draft = page.locator("article.draft")
    expect(draft).to_contain_text("Draft 1 → release 3")
    expect(draft).to_contain_text("Rollback: the content of release 1 becomes active again")
    expect(draft.locator("pre")).to_have_text(
        f"kioskctl approve {url}/channels/main --key content.key --draft 1"
    )
    expect(page.get_by_text("The server never holds the content signing key.")).to_be_visible()
    keep(page, "channel-en", tmp_path)
    page.get_by_role("link", name="Azərbaycanca").click()
    expect(page.get_by_text("Server məzmunun imza açarını saxlamır.", exact=False)).to_be_visible()
    expect(draft).to_contain_text("Geri qaytarma: 1 nömrəli buraxılışın məzmunu yenidən aktiv olacaq")
    keep(page, "channel-az", tmp_path)

    # The admin's terminal, where content.key is: kioskctl approve.
    client = CentralClient(fleet.server.channel_url(), fleet.admin_token)
    assert approve_drafts(client, fleet.key, show=lambda _line: None) == [3]
    page.reload()
    expect(page.get_by_text("Aktiv buraxılış: 3")).to_be_visible()
    expect(page.locator("#release-3")).to_contain_text("aktiv")
    expect(page.locator("#release-3")).to_contain_text("1 nömrəli buraxılışın məzmununa geri qaytarma")
    expect(page.get_by_text("Təsdiq gözləyən qaralama yoxdur.")).to_be_visible()

    page.get_by_role("link", name="Elanlar").click()
    expect(page.get_by_role("heading", name="Elanlar", exact=True)).to_be_visible()
    keep(page, "announcements-az", tmp_path)
    page.get_by_role("button", name="Çıxış").click()
    expect(page.get_by_role("heading", name="Daxil olun")).to_be_visible()
    page.goto(f"{url}/console/channels/main")
    expect(page.get_by_role("heading", name="Daxil olun")).to_be_visible()
