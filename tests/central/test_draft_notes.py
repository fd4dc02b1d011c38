"""Release notes of approved drafts in the reader's language on the console's channel page, over real
HTTP; the stored English note (what the API and kioskctl read) stays as it was."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from central.console import BAKU
from central.draft_notes import NOTE_TEXTS
from kiosk.content.remote import CentralClient, approve_drafts
from tests.central.conftest import Fleet
from tests.central.test_api import published
from tests.central.test_console import PASSWORD, log_in

TEXTS = {"az": "Təkrar emal həftəsi", "en": "Recycling week", "ru": "Неделя переработки"}


def approve(fleet: Fleet) -> list[int]:
    client = CentralClient(fleet.server.channel_url(), fleet.admin_token)
    return approve_drafts(client, fleet.key, show=lambda _line: None)


def note_cells(page: str) -> dict[int, str]:
    """Each release's note cell as the reader sees it (tags removed, entities decoded)."""
    rows = re.findall(r'<tr id="release-(\d+)".*?<td class="release-note"[^>]*>(.*?)</td>', page, re.S)
    return {int(n): html.unescape(re.sub(r"<[^>]+>", "", cell)) for n, cell in rows}


def test_a_published_draft_s_note_is_shown_in_the_reader_s_language(fleet: Fleet, tmp_path: Path) -> None:
    central = fleet.central
    central.accounts.add_user("admin", PASSWORD)
    published(fleet, tmp_path, count=2)  # release 1, from a folder: its note is kept as written
    central.propose_rollback("main", 1, by="console:aysel")
    assert approve(fleet) == [2]
    ends = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    central.propose_announcement(
        "main", TEXTS, starts=datetime.now(UTC), ends=ends, level="warning", by="console:aysel"
    )
    assert approve(fleet) == [3]
    central.propose_settings("main", [{"centres": ["baku-1"]}], target="baku-1", by="console:it")
    assert approve(fleet) == [4]
    active = central.publishing.active_manifest("main")
    central.drafting.propose_content(
        "main", active.content, active.blobs, note="Yay kampaniyası", base_release=4, by="console:nigar"
    )
    assert approve(fleet) == [5]
    stored = {r["release"]: r["note"] for r in central.releases("main")}
    assert stored[3].startswith("announcement: ") and stored[3].endswith("(proposed by console:aysel)")

    browser = log_in(fleet)
    url = fleet.server.url
    local = ends.astimezone(BAKU).strftime("%Y-%m-%d %H:%M")
    expected = {
        "az": {
            2: "1 nömrəli buraxılışın məzmununa geri qaytarma (təklif edən: console:aysel)",
            3: f"Elan (xəbərdarlıq) {local}-dək: Təkrar emal həftəsi (təklif edən: console:aysel)",
            4: "baku-1 üçün ayarlar (buraxılışda cəmi 1 ayar qeydi) (təklif edən: console:it)",
            5: "Yay kampaniyası (təklif edən: console:nigar)",
        },
        "en": {
            2: "Rollback to the content of release 1 (proposed by console:aysel)",
            3: f"Announcement (warning) until {local}: Recycling week (proposed by console:aysel)",
            4: "Settings for baku-1 (1 settings entries in the release) (proposed by console:it)",
            5: "Yay kampaniyası (proposed by console:nigar)",
        },
    }
    for lang in ("az", "en"):
        browser.get(f"{url}/console/lang/{lang}", timeout=5)
        cells = note_cells(browser.get(f"{url}/console/channels/main", timeout=5).text)
        assert sorted(cells) == [1, 2, 3, 4, 5]
        for number, note in expected[lang].items():
            assert cells[number].startswith(note), (lang, number, cells[number])
            assert stored[number] not in cells[number]  # the English sentence is not what is shown
        assert not cells[1].startswith(("Rollback", "Announcement", "Settings", "Elan"))

    assert {r["release"]: r["note"] for r in central.releases("main")} == stored  # the API's note as is


def test_note_words_exist_in_both_languages_with_the_same_placeholders() -> None:
    az, en = NOTE_TEXTS["az"], NOTE_TEXTS["en"]
    assert sorted(az) == sorted(en)
    for key in az:
        assert set(re.findall(r"\{(\w+)\}", az[key])) == set(re.findall(r"\{(\w+)\}", en[key])), key
