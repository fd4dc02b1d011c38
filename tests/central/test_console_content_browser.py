"""The content editor in headless Chromium: a service's texts edited in az/en/ru, proposed, compared.

``CONSOLE_SCREENSHOTS=/some/dir`` also takes the editor's pages on a laptop (1366x768) and a phone
(390x844) in Azerbaijani and English, for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.content.remote import CentralClient, publish_remote
from tests.central.conftest import Fleet
from tests.central.test_console_browser import CHROMIUM_ARGS, PASSWORD, chromium_path, keep
from tests.conftest import REPO_ROOT

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
NOTICE = {
    "az": "Təkrar emal həftəsi: köhnə batareyaları gətirin",
    "en": "Recycling week: bring your old batteries",
    "ru": "Неделя переработки: принесите старые батарейки",
}
NEW = {
    "az": "Damdakı günəş panelləri: 2026-cı ilin yenilikləri",
    "en": "Solar panels on the roof: what is new in 2026",
    "ru": "Солнечные панели на крыше: что нового в 2026 году",
}


def test_an_admin_edits_a_service_in_three_languages_proposes_it_and_sees_the_difference(
    fleet: Fleet, tmp_path: Path
) -> None:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    client = CentralClient(fleet.server.channel_url(), fleet.admin_token)
    demo = shutil.copytree(
        REPO_ROOT / "resources" / "demo", tmp_path / "demo"
    )  # publish writes a base record
    publish_remote(demo, fleet.key, client, note="Demo")
    fleet.central.accounts.add_user("admin", PASSWORD)
    url = fleet.server.url
    expect = playwright.expect
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{url}/console/channels/main")
        page.get_by_label("İstifadəçi adı").fill("admin")
        page.get_by_label("Şifrə").fill(PASSWORD)
        page.get_by_role("button", name="Daxil ol").click()
        page.get_by_role("link", name="Məzmunu redaktə et").click()
        expect(page.get_by_role("heading", name="main kanalının məzmunu")).to_be_visible()
        page.locator("#service-solar-rooftop").get_by_role("link", name="Redaktə et").click()
        expect(page.get_by_role("heading", name="Xidmət kartı: solar-rooftop")).to_be_visible()
        for language, text in NEW.items():
            page.locator(f'input[name="title.{language}"]').fill(text)
        page.get_by_role("button", name="Yadda saxla").click()
        expect(page.locator("#service-solar-rooftop")).to_contain_text(NEW["az"])
        expect(page.get_by_text("Təklif edilməmiş dəyişikliklər var.")).to_be_visible()
        page.get_by_label("Qeyd", exact=False).fill("Günəş kartının yeni başlığı")
        page.get_by_role("button", name="Qaralama kimi təklif et").click()

        expect(page.get_by_role("heading", name="Qaralama 1 → buraxılış 2")).to_be_visible()
        change = page.locator("section.diff-change.changed").filter(has_text="solar-rooftop")
        expect(change).to_have_count(1)
        for language, text in NEW.items():
            row = change.locator("tr").filter(has_text=f"title.{language}")
            expect(row.locator("td.now")).to_have_text(text)
        expect(page.get_by_text("Məzmun redaktəsi: Günəş kartının yeni başlığı")).to_be_visible()

        page.goto(f"{url}/console/channels/main/content")
        page.get_by_role("link", name="Elan əlavə et").click()
        expect(page.get_by_text("daha böyük, daha nəzərə çarpan zolaq", exact=False)).to_be_visible()
        page.get_by_label("Xəbərdarlıq").check()
        for language, text in NOTICE.items():
            page.locator(f'textarea[name="text.{language}"]').fill(text)
        page.get_by_role("button", name="Yadda saxla").click()
        expect(page.locator("#announcements + p + div tr").filter(has_text=NOTICE["ru"])).to_contain_text(
            "Xəbərdarlıq"
        )
        folder = os.environ.get("CONSOLE_SCREENSHOTS")
        if folder:
            take_screenshots(
                page, url, Path(folder), lambda: fleet.central.drafting.discard("main", 1, by="test")
            )
        context.close()
        browser.close()
    [draft] = fleet.central.drafts("main", pending_only=False)
    assert draft["kind"] == "content" and draft["params"]["note"] == "Günəş kartının yeni başlığı"


def take_screenshots(page: playwright.Page, url: str, folder: Path, discard: Callable[[], None]) -> None:
    """Every editor page at both sizes and in both languages, with one refused edit, one save refused
    because another tab changed the copy meanwhile, and a draft that is no longer pending."""
    main = "/console/channels/main"
    pages = {
        "content": f"{main}/content",
        "service": f"{main}/content/services/solar-rooftop",
        "video": f"{main}/content/videos/campaign",
        "general": f"{main}/content/general",
        "announcement": f"{main}/content/new/announcements",
        "draft": f"{main}/drafts/1",
        "channel": main,
    }
    other = page.context.new_page()
    for lang in ("az", "en"):
        page.goto(f"{url}/console/lang/{lang}?next=/console/")
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            for name, path in pages.items():
                page.goto(url + path)
                keep(page, f"editor-{name}-{lang}-{size}", folder)
            page.goto(url + pages["service"])
            page.locator('input[name="url"]').fill("javascript:alert(1)")
            page.locator('input[name="title.ru"]').fill(" ")
            page.locator("form.editor button.primary").click()
            keep(page, f"editor-refused-{lang}-{size}", folder)
            page.goto(url + pages["service"])
            page.locator('input[name="title.en"]').fill("Typed while someone else saved")
            other.goto(url + pages["general"])
            other.locator('input[name="name.en"]').fill(f"Green governance ({lang}, {size})")
            other.locator("form.editor button.primary").click()
            page.locator("form.editor button.primary").click()
            keep(page, f"editor-stale-{lang}-{size}", folder)
    discard()
    for lang in ("az", "en"):
        page.goto(f"{url}/console/lang/{lang}?next=/console/")
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url + pages["draft"])
            keep(page, f"editor-draft-discarded-{lang}-{size}", folder)
    other.close()
