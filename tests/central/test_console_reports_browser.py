"""Proof of play and release pages in headless Chromium, on a laptop and a phone, in az and en.

``CONSOLE_SCREENSHOTS=/some/dir`` keeps the screenshots for a person to look at.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core import open_core
from tests.central.conftest import Fleet
from tests.central.kiosk_fixtures import kiosk_settings
from tests.central.test_console_browser import CHROMIUM_ARGS, PASSWORD, chromium_path, keep
from tests.central.test_console_reports import publish, source

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


def test_proof_of_play_and_release_pages_read_well_on_a_laptop_and_a_phone(
    fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    titles = {
        "birth": {"az": "Doğum şəhadətnaməsinin alınması", "en": "Birth certificate", "ru": "Свидетельство"},
        "tax": {"az": "Vergi bəyannaməsi", "en": "Tax return", "ru": "Налоговая декларация"},
    }
    publish(fleet, source(tmp_path / "v1", {"birth": titles["birth"]}), monkeypatch, "--note", "İlk")
    publish(fleet, source(tmp_path / "v2", titles), monkeypatch, "--note", "Vergi xidməti əlavə olundu")
    core = open_core(kiosk_settings(fleet, tmp_path / "kiosk"), tmp_path / "data")
    try:
        reporter = core.reporter
        assert reporter is not None
        at = datetime.now(UTC) - timedelta(hours=1)
        reporter.record_event("service", section="services", item="birth", seconds=95.5, language="az", at=at)
        reporter.record_event("service", section="services", item="tax", seconds=20.0, language="en", at=at)
        reporter.record_event("section", section="energy", seconds=3725.0, language="az", at=at)
        assert reporter.send_pending().ok
    finally:
        core.close()
    fleet.central.accounts.add_user("admin", PASSWORD)
    url = fleet.server.url
    expect = playwright.expect
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{url}/console/login")
        page.get_by_label("İstifadəçi adı").fill("admin")
        page.get_by_label("Şifrə").fill(PASSWORD)
        page.get_by_role("button", name="Daxil ol").click()
        page.get_by_role("link", name="Nümayiş hesabatı").click()
        birth = page.get_by_role("row", name="Doğum şəhadətnaməsinin alınması")
        expect(birth).to_contain_text("0:01:36")  # 95.5 s, rounded as in the CSV
        expect(page.get_by_role("row", name="Enerji")).to_contain_text("1:02:05")

        with page.expect_download() as download:
            page.get_by_role("link", name="CSV yüklə").click()
        data = Path(download.value.path()).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        rows = {r["İdentifikator"]: r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
        assert rows["birth"]["Ad"] == titles["birth"]["az"] and rows["birth"]["Saniyə"] == "96"

        for lang in ("az", "en"):
            page.goto(f"{url}/console/lang/{lang}?next=/console/plays")
            for size, (width, height) in SIZES.items():
                page.set_viewport_size({"width": width, "height": height})
                for name, path in (
                    ("plays", "/console/plays"),
                    ("channel", "/console/channels/main"),
                    ("release", "/console/channels/main/releases/2"),
                ):
                    page.goto(url + path)
                    keep(page, f"{name}-{lang}-{size}", tmp_path)
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 0, f"{name} in {lang} scrolls sideways on a {size} ({overflow} px)"
        page.goto(f"{url}/console/channels/main")
        expect(page.get_by_text("Vergi xidməti əlavə olundu")).to_be_visible()
        expect(page.get_by_text("1 service added").first).to_be_visible()
        context.close()
        browser.close()
