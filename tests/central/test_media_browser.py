"""The media library in a real browser: an administrator uploads a picture and a video through the page.

Set ``CONSOLE_SCREENSHOTS=/some/dir`` to also keep the page at 1366x768 and at a phone's 390x844, in
Azerbaijani and English, for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.central.conftest import Fleet
from tests.central.test_console_browser import PASSWORD, keep, page, playwright
from tests.media import make_clip

__all__ = ["page"]  # the browser fixture, shared with the console's other browser test

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-energy.png"


def test_an_admin_uploads_a_picture_and_a_video_and_sees_both_listed(
    fleet: Fleet, page: playwright.Page, tmp_path: Path
) -> None:
    expect = playwright.expect
    fleet.central.accounts.add_user("admin", PASSWORD)
    video = make_clip(tmp_path / "kampaniya.mp4", seconds=0.4)
    url = fleet.server.url

    page.goto(f"{url}/console/channels/main")
    page.get_by_label("İstifadəçi adı").fill("admin")
    page.get_by_label("Şifrə").fill(PASSWORD)
    page.get_by_role("button", name="Daxil ol").click()
    page.get_by_role("link", name="Media kitabxanası").click()
    expect(page.get_by_role("heading", name="main kanalının media kitabxanası")).to_be_visible()
    expect(page.get_by_text("Kitabxanada hələ fayl yoxdur.")).to_be_visible()

    page.get_by_label("Nə üçündür").select_option("poster")
    page.get_by_label("Fayl", exact=True).set_input_files(str(SCREENSHOT))
    page.get_by_role("button", name="Yüklə", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Yükləndi: screenshot-energy.png")
    picture = page.locator("table.media tbody tr").filter(has_text="screenshot-energy.png")
    expect(picture).to_contain_text("Video afişası")
    expect(picture).to_contain_text("1920x1080")
    thumbnail = picture.get_by_role("img")
    page.wait_for_function(
        "image => image.complete && image.naturalWidth == 1920", arg=thumbnail.element_handle()
    )

    page.get_by_label("Nə üçündür").select_option("video")
    page.get_by_label("Fayl", exact=True).set_input_files(str(video))
    page.get_by_role("button", name="Yüklə", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Yükləndi: kampaniya.mp4")
    clip = page.locator("table.media tbody tr").filter(has_text="kampaniya.mp4")
    expect(clip).to_contain_text("Kampaniya videosu")
    expect(clip).to_contain_text("H.264, 320x240")
    expect(page.locator("table.media tbody tr")).to_have_count(2)
    assert {item.kind for item in fleet.central.media.items("main")} == {"poster", "video"}
    assert list((fleet.server.data / "uploads").iterdir()) == []  # no temporary file left behind

    if os.environ.get("CONSOLE_SCREENSHOTS"):
        for lang, other in (("az", "English"), ("en", "Azərbaycanca")):
            for width, height in ((1366, 768), (390, 844)):
                page.set_viewport_size({"width": width, "height": height})
                keep(page, f"media-{lang}-{width}x{height}", tmp_path)
            page.set_viewport_size({"width": 1366, "height": 768})
            page.get_by_role("link", name=other).click()
