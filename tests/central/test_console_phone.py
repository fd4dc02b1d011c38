"""Every console page on a phone (390x844, Azerbaijani) in headless Chromium: nothing runs off the side
and every control a thumb must hit is at least 44 px tall.

``CONSOLE_SCREENSHOTS=/some/dir`` keeps the screenshots for a person to look at.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from kiosk.content.remote import CentralClient, approve_drafts
from kiosk.wire import Heartbeat, PlayEvent, ReportBatch
from tests.central.conftest import Fleet
from tests.central.test_api import auth, published
from tests.central.test_console_browser import CHROMIUM_ARGS, PASSWORD, SCREENSHOT, chromium_path, keep

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

PHONE = {"width": 390, "height": 844}
TAP = 44
LONG_ERROR = (
    "Invertor cavab vermir: 192.168.10.40:502 ünvanına qoşulmaq mümkün olmadı (Connection refused); "
    "növbəti cəhd 60 saniyədən sonra"
)
PAGES = {
    "fleet": "/console/",
    "kiosk": "/console/kiosks/baku-1-lobby",
    "channel": "/console/channels/main",
    "release": "/console/channels/main/releases/2",
    "settings": "/console/channels/main/settings?target=centre%3Abaku-1",
    "announcements": "/console/announcements",
    "plays": "/console/plays",
    "accounts": "/console/accounts",
    "revoke-token": "/console/accounts/tokens/kiosk/baku-1-lobby/revoke",
    "content": "/console/channels/main/content",
    "media": "/console/channels/main/media",
    "not-found": "/console/kiosks/no-such-kiosk",
}
MEASURE = """tap => {
  const small = [];
  const controls = 'form button, form a, form select, form input:not([type=hidden]):not([type=radio])'
    + ':not([type=checkbox]), header nav a, header .langs a';
  for (const el of document.querySelectorAll(controls)) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.height < tap) {
      const label = (el.textContent || el.name).trim().slice(0, 40);
      small.push(`${el.tagName.toLowerCase()} "${label}" ${box.height}px`);
    }
  }
  return {overflow: document.scrollingElement.scrollWidth - window.innerWidth, small: small};
}"""


def fill(fleet: Fleet, tmp_path: Path) -> None:
    """What makes pages wide: two releases, an announcement, a pending draft, a long error, plays."""
    published(fleet, tmp_path, count=3, tag="v1")
    published(fleet, tmp_path, count=4, tag="v2")
    now = datetime.now(UTC)
    texts = {
        "az": "Təkrar emal həftəsi: köhnə batareyaları girişdəki qutuya atın",
        "en": "Recycling week: drop old batteries in the box at the entrance",
        "ru": "Неделя переработки: старые батарейки — в ящик у входа",
    }
    fleet.central.propose_announcement(
        "main", texts, starts=now - timedelta(hours=1), ends=now + timedelta(days=6), level="warning",
        centres=["baku-1"], by="console:admin",
    )  # fmt: skip
    client = CentralClient(fleet.server.channel_url(), fleet.admin_token)
    approve_drafts(client, fleet.key, show=lambda _: None)
    fleet.central.propose_rollback("main", 1, by="console:admin")
    beat = Heartbeat(
        id=uuid.uuid4().hex, at=now, app_version="0.4.0", release=3, uptime_s=3 * 86400,
        energy_state="live", power_w=18530.0, energy_today_wh=84200.0, last_error=LONG_ERROR,
    )  # fmt: skip
    events = tuple(
        PlayEvent(id=uuid.uuid4().hex, at=now - timedelta(hours=1), kind=kind, section=section, item=item,
                  seconds=seconds, language="az")
        for kind, section, item, seconds in (
            ("service", "services", "item-1", 45.2), ("video", "video", "campaign", 95.0),
            ("section", "energy", "", 600.0), ("section", "services", "", 320.0),
        )
    )  # fmt: skip
    token = fleet.kiosk_tokens["baku-1-lobby"]
    url = fleet.server.url
    body = ReportBatch(heartbeats=(beat,), events=events, sent_at=now).to_json()
    requests.post(f"{url}/api/kiosk/reports", json=body, headers=auth(token), timeout=5).raise_for_status()
    shot = SCREENSHOT.read_bytes()
    requests.put(f"{url}/api/kiosk/screenshot", data=shot, headers=auth(token), timeout=5).raise_for_status()
    fleet.central.accounts.add_user("admin", PASSWORD)


def test_every_console_page_fits_a_phone_and_its_controls_take_a_thumb(fleet: Fleet, tmp_path: Path) -> None:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    fill(fleet, tmp_path)
    url = fleet.server.url
    found: dict[str, object] = {}
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE, locale="az-AZ")
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{url}/console/login")
        checked = {"login": page.evaluate(MEASURE, TAP)}
        keep(page, "phone-login-az", tmp_path)
        page.get_by_label("İstifadəçi adı").fill("admin")
        page.get_by_label("Şifrə").fill(PASSWORD)
        page.get_by_role("button", name="Daxil ol").click()
        playwright.expect(page.get_by_role("heading", name="Bütün kiosklar")).to_be_visible()
        for name, path in PAGES.items():
            page.goto(url + path)
            checked[name] = page.evaluate(MEASURE, TAP)
            keep(page, f"phone-{name}-az", tmp_path)
        context.close()
        browser.close()
    for name, result in checked.items():
        assert isinstance(result, dict)
        if result["overflow"] > 0 or result["small"]:
            found[name] = result
    assert found == {}, f"pages that scroll sideways or have controls under {TAP} px on a phone: {found}"
