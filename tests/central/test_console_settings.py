"""The console's settings page: a form becomes a draft, ``kioskctl approve`` shows and signs it."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pytest

from central.console_settings import editable_fields
from central.console_settings_text import SETTING_LABELS
from central.console_text import TEXTS
from kiosk.admin_pin import hash_pin
from kiosk.cli import main
from tests.central.conftest import Fleet
from tests.central.test_api import published
from tests.central.test_console import PASSWORD, csrf_of, log_in

PIN = hash_pin("2468", iterations=10_000)
BAD_NUMBER = TEXTS["az"]["settings_bad_value"].format(key="display.idle_seconds", value="soon")


@pytest.fixture
def console(fleet: Fleet) -> Fleet:
    fleet.central.accounts.add_user("admin", PASSWORD)
    return fleet


def test_form_makes_a_draft_that_approve_shows_in_full_and_publishes(
    console: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published(console, tmp_path, count=2)
    url = f"{console.server.url}/console/channels/main/settings"
    browser = log_in(console)
    form = browser.get(url, params={"target": "centre:baku-1"}, timeout=5)
    assert form.status_code == 200 and 'name="display.open_hours"' in form.text
    assert 'name="content.url"' not in form.text and 'name="central.url"' not in form.text
    assert "Mərkəz baku-1" in form.text
    sent = browser.post(
        url,
        data={
            "csrf": csrf_of(form.text),
            "target": "centre:baku-1",
            "display.open_hours": "09:00-18:00",
            "display.language": "en",
            "display.open_weekdays": "1, 2, 3, 4, 5",
            "admin.pin_hash": PIN,
            "energy.port": "",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert sent.status_code == 303, sent.text
    (draft,) = console.central.drafts("main")
    assert draft["kind"] == "settings" and draft["params"]["target"] == "centre:baku-1"
    channel_page = browser.get(f"{console.server.url}/console/channels/main", timeout=5).text
    assert TEXTS["az"]["draft_settings"].format(target="centre:baku-1", n=1) in channel_page

    os.environ["GREEN_KIOSK_ADMIN_TOKEN"] = console.admin_token
    try:
        assert main(["approve", console.server.channel_url(), "--key", str(console.key), "--yes"]) == 0
    finally:
        del os.environ["GREEN_KIOSK_ADMIN_TOKEN"]
    out = capsys.readouterr().out
    assert "+ settings for centres baku-1 (added)" in out
    assert 'display.open_hours: "09:00-18:00"' in out and "display.open_weekdays: [1, 2, 3, 4, 5]" in out
    assert f'admin.pin_hash: "{PIN}"' in out
    served = json.loads((console.server.data / "channels" / "main" / "manifest.json").read_bytes())
    assert served["release"] == 2
    assert served["content"]["settings"] == [
        {
            "centres": ["baku-1"],
            "display": {"open_hours": "09:00-18:00", "language": "en", "open_weekdays": [1, 2, 3, 4, 5]},
            "admin": {"pin_hash": PIN},
        }
    ]
    assert len(served["content"]["services"]) == 2  # the content itself is unchanged

    # The page shows the entry now in the release; sending it back empty removes it (another draft).
    shown = browser.get(url, params={"target": "centre:baku-1"}, timeout=5).text
    assert 'value="09:00-18:00"' in shown and "display.language = en" in shown
    removed = browser.post(
        url, data={"csrf": csrf_of(shown), "target": "centre:baku-1"}, allow_redirects=False, timeout=10
    )
    assert removed.status_code == 303
    (again,) = console.central.drafts("main")
    assert again["params"]["entries"] == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display.open_hours", "25:00-18:00", "is not a time of day (hours 00-23, minutes 00-59)"),
        ("display.idle_seconds", "2", "[display] idle_seconds: expected at least 5"),
        (
            "display.idle_seconds",
            "soon",
            TEXTS["az"]["settings_bad_value"].format(key="display.idle_seconds", value="soon"),
        ),
        ("admin.pin_hash", "1234", "settings[0].admin.pin_hash"),
    ],
)
def test_a_value_a_kiosk_would_refuse_makes_no_draft(
    console: Fleet, tmp_path: Path, field: str, value: str, message: str
) -> None:
    published(console, tmp_path, count=1)
    url = f"{console.server.url}/console/channels/main/settings"
    browser = log_in(console)
    form = browser.get(url, timeout=5).text
    sent = browser.post(url, data={"csrf": csrf_of(form), "target": "every", field: value}, timeout=10)
    assert 400 <= sent.status_code < 500
    assert message.replace("'", "&#39;") in sent.text or message in sent.text
    assert console.central.drafts("main") == []


def test_every_field_is_named_in_words_in_both_languages(console: Fleet) -> None:
    keys = {f"{table}.{key}" for table, key, _kind in editable_fields()}
    assert set(SETTING_LABELS["az"]) == keys and set(SETTING_LABELS["en"]) == keys
    browser = log_in(console)
    url = f"{console.server.url}/console/channels/main/settings"
    for lang in ("az", "en"):
        browser.cookies.set("gk_lang", lang, path="/console")
        page = html.unescape(browser.get(url, params={"target": "every"}, timeout=5).text)
        assert SETTING_LABELS[lang]["display.open_hours"] in page and "display.open_hours</code>" in page
