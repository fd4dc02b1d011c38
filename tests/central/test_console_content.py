"""The content editor over real HTTP: forms change the working copy, drafts are proposed, compared,
reopened and discarded, and ``kioskctl approve`` signs a content draft end to end."""

from __future__ import annotations

import json
import os
import re
import string
from html import unescape
from pathlib import Path

import pytest
import requests

from central.console_content_text import CONTENT_TEXTS
from central.console_text import TEXTS
from kiosk.cli import main
from kiosk.content.remote import CentralClient, approve_drafts
from tests.central.conftest import Fleet
from tests.central.test_api import published
from tests.central.test_console import PASSWORD, csrf_of, log_in

NEW_TEXTS = {
    "title.az": "Günəş panelləri: yeni başlıq",
    "title.en": "Solar panels: a new title",
    "title.ru": "Солнечные панели: новый заголовок",
    "body.ru": "Новый текст <b>без</b> разметки.",
}


@pytest.fixture
def console(fleet: Fleet, tmp_path: Path) -> Fleet:
    fleet.central.accounts.add_user("admin", PASSWORD)
    published(fleet, tmp_path, count=3)
    return fleet


def content_url(fleet: Fleet, path: str = "") -> str:
    return f"{fleet.server.url}/console/channels/main/content{path}"


def form_fields(html: str) -> dict[str, str]:
    """What a browser would send for the form's text fields, selects and checked boxes (one value each)."""
    fields: dict[str, str] = {}
    for name, value in re.findall(
        r'<input type="(?:text|url|hidden|date)" name="([^"]+)" value="([^"]*)"', html
    ):
        fields[name] = unescape(value)
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields[name] = unescape(value)
    for name, body in re.findall(r'<select name="([^"]+)">(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def revision_of(html: str) -> str:
    found = re.search(r'name="revision" value="([^"]+)"', html)
    assert found is not None, "no revision field in the page"
    return found.group(1)


def on_overview(browser: requests.Session, fleet: Fleet, path: str, **data: str) -> requests.Response:
    """A button of the overview pressed as a browser would: the page's token and revision sent along."""
    overview = browser.get(content_url(fleet), timeout=5).text
    fields = {"csrf": csrf_of(overview), "revision": revision_of(overview), **data}
    return browser.post(content_url(fleet, path), data=fields, allow_redirects=False, timeout=10)


def reopen(browser: requests.Session, fleet: Fleet, draft_id: int) -> requests.Response:
    """ "Open in the working copy" pressed on the draft's page, with the revision that page was drawn with."""
    url = f"{fleet.server.url}/console/channels/main/drafts/{draft_id}"
    page = browser.get(url, timeout=5).text
    fields = {"csrf": csrf_of(page), "revision": revision_of(page)}
    return browser.post(f"{url}/edit", data=fields, allow_redirects=False, timeout=10)


def edit_service(browser: requests.Session, fleet: Fleet, item: str, **changes: str) -> requests.Response:
    page = browser.get(content_url(fleet, f"/services/{item}"), timeout=5)
    assert page.status_code == 200, page.text
    data = {**form_fields(page.text), **changes}
    return browser.post(content_url(fleet, f"/services/{item}"), data=data, allow_redirects=False, timeout=10)


def working_service(fleet: Fleet, item: str) -> dict[str, object]:
    with fleet.central.database.session() as session:
        from central.models import WorkingCopy

        [row] = session.query(WorkingCopy).all()
        services = json.loads(row.document)["services"]
    return next(s for s in services if s["id"] == item)


def test_a_service_edited_in_three_languages_becomes_a_draft_the_compare_page_shows(console: Fleet) -> None:
    browser = log_in(console)
    channel = browser.get(f"{console.server.url}/console/channels/main", timeout=5).text
    assert 'href="/console/channels/main/content"' in channel
    saved = edit_service(browser, console, "item-1", **NEW_TEXTS)
    assert saved.status_code == 303 and saved.headers["location"].endswith("/content#services")
    stored = working_service(console, "item-1")
    assert stored["title"] == {
        "az": NEW_TEXTS["title.az"],
        "en": NEW_TEXTS["title.en"],
        "ru": NEW_TEXTS["title.ru"],
    }
    overview = browser.get(content_url(console), timeout=5).text
    assert CONTENT_TEXTS["az"]["content_changed"] in overview and NEW_TEXTS["title.az"] in overview
    assert console.central.drafts("main") == []  # saving is not proposing

    refused = on_overview(browser, console, "/propose", note=" ")
    assert refused.status_code == 400 and CONTENT_TEXTS["az"]["note_missing"] in refused.text
    refused = on_overview(browser, console, "/propose", note="n" * 10_000)
    assert (
        refused.status_code == 400 and CONTENT_TEXTS["az"]["note_too_long"].format(detail=200) in refused.text
    )
    proposed = on_overview(browser, console, "/propose", note="New solar title")
    assert proposed.status_code == 303
    [draft] = console.central.drafts("main")
    assert draft["kind"] == "content" and draft["params"]["note"] == "New solar title"
    assert proposed.headers["location"] == f"/console/channels/main/drafts/{draft['id']}"
    after = browser.get(content_url(console), timeout=5).text
    assert CONTENT_TEXTS["az"]["content_proposed"].format(id=draft["id"]) in after
    assert CONTENT_TEXTS["az"]["content_changed"] not in after

    browser.get(f"{console.server.url}/console/lang/en", timeout=5)
    compare = browser.get(console.server.url + proposed.headers["location"], timeout=5)
    assert compare.status_code == 200
    assert "Service <code>item-1</code> · changed" in compare.text
    for key in ("title.az", "title.en", "title.ru"):
        assert f'<th scope="row">{key}</th><td class="was">Title item-1 ({key[-2:]})</td>' in compare.text
        assert f'<td class="now">{NEW_TEXTS[key]}</td>' in compare.text
    assert "Новый текст &lt;b&gt;без&lt;/b&gt; разметки." in compare.text  # escaped, never markup
    assert "Content edit: New solar title" in compare.text
    assert f"/console/channels/main/drafts/{draft['id']}/preview" in compare.text
    page = browser.get(f"{console.server.url}/console/channels/main", timeout=5).text
    assert "Content edit: New solar title" in page and f"/drafts/{draft['id']}" in page


REFUSED_EDITS = [
    ({"url": "javascript:alert(1)"}, "is not a well-formed http(s) URL"),
    ({"url": "ftp://e-gov.az/file"}, "is not a well-formed http(s) URL"),
    ({"title.az": ""}, "services[1].title.az: missing or empty text"),
    ({"body.en": "x" * 10_000}, "10000 characters, more than 4000"),
    ({"centres": "atlantis"}, CONTENT_TEXTS["az"]["centre_unknown"].format(detail="atlantis")),
]


def test_an_invalid_edit_is_refused_with_the_reason_next_to_the_field(console: Fleet) -> None:
    browser = log_in(console)
    for changes, shown in REFUSED_EDITS:
        answer = edit_service(browser, console, "item-1", **changes)
        assert answer.status_code == 400, changes
        assert CONTENT_TEXTS["az"]["refused"] in answer.text
        error = r'<span class="field-error" role="alert">[^<]*' + re.escape(shown.replace("'", "&#39;"))
        assert re.search(error, answer.text), (changes, answer.text)
        assert working_service(console, "item-1")["url"] == "https://www.e-gov.az/item-1"
    overview = browser.get(content_url(console), timeout=5).text
    assert CONTENT_TEXTS["az"]["content_unchanged"] in overview  # nothing was saved
    assert console.central.drafts("main") == []


def test_services_reorder_and_a_new_card_is_added(console: Fleet) -> None:
    browser = log_in(console)
    moved = on_overview(browser, console, "/services/item-2/move", step="up")
    assert moved.status_code == 303
    order = re.findall(r'<tr id="service-([^"]+)">', browser.get(content_url(console), timeout=5).text)
    assert order == ["item-0", "item-2", "item-1"]

    form = browser.get(content_url(console, "/new/services"), timeout=5).text
    data = {
        **form_fields(form),
        "id": "recycling",
        "url": "https://eco.gov.az/recycling",
        "centres": "baku-1",
    }
    data.update(
        {f"{f}.{lang}": f"{f} {lang}" for f in ("title", "summary", "body") for lang in ("az", "en", "ru")}
    )
    added = browser.post(content_url(console, "/new/services"), data=data, allow_redirects=False, timeout=5)
    assert added.status_code == 303, added.text
    assert working_service(console, "recycling")["centres"] == ["baku-1"]


def test_posts_need_a_session_and_the_csrf_token(console: Fleet) -> None:
    anonymous = requests.post(
        content_url(console, "/services/item-1/delete"), data={"csrf": "x"}, allow_redirects=False, timeout=5
    )
    assert anonymous.status_code == 303 and "/console/login" in anonymous.headers["location"]
    browser = log_in(console)
    for path in ("/services/item-1/delete", "/services/item-1/move", "/propose", "/reset"):
        forged = browser.post(
            content_url(console, path), data={"csrf": "not-the-token", "note": "x"}, timeout=5
        )
        assert forged.status_code == 403 and TEXTS["az"]["csrf_refused"] in forged.text
    overview = browser.get(content_url(console), timeout=5).text
    assert re.findall(r'<tr id="service-([^"]+)">', overview) == ["item-0", "item-1", "item-2"]
    for path in ("/services/no-such-card", "/bogus/item-1", "/new/bogus"):
        assert browser.get(content_url(console, path), timeout=5).status_code == 404, path
    assert browser.get(f"{console.server.url}/console/channels/nope/content", timeout=5).status_code == 404
    assert browser.get(f"{console.server.url}/console/channels/main/drafts/99", timeout=5).status_code == 404


def test_a_discarded_draft_cannot_be_approved_and_a_draft_reopens_for_editing(console: Fleet) -> None:
    browser = log_in(console)
    csrf = csrf_of(browser.get(content_url(console), timeout=5).text)
    assert on_overview(browser, console, "/services/item-0/delete").status_code == 303
    assert on_overview(browser, console, "/propose", note="Drop item 0").status_code == 303
    [draft] = console.central.drafts("main")
    base = f"{console.server.url}/console/channels/main/drafts/{draft['id']}"

    reset = on_overview(browser, console, "/reset")
    assert reset.status_code == 303
    assert len(re.findall(r'<tr id="service-', browser.get(content_url(console), timeout=5).text)) == 3
    assert reopen(browser, console, draft["id"]).status_code == 303
    opened = browser.get(content_url(console), timeout=5)
    assert CONTENT_TEXTS["az"]["content_proposed"].format(id=draft["id"]) in opened.text
    assert re.findall(r'<tr id="service-([^"]+)">', opened.text) == ["item-1", "item-2"]
    assert on_overview(browser, console, "/services/item-2/move", step="up").status_code == 303
    edited = browser.get(content_url(console), timeout=5).text  # edited since: a new draft would supersede it
    assert CONTENT_TEXTS["az"]["content_from_draft"].format(id=draft["id"]) in edited

    discarded = browser.post(f"{base}/discard", data={"csrf": csrf}, allow_redirects=False, timeout=5)
    assert discarded.status_code == 303
    assert console.central.drafts("main") == []
    pending_note = CONTENT_TEXTS["az"]["content_from_draft"].format(id=draft["id"])
    assert pending_note not in browser.get(content_url(console), timeout=5).text
    assert browser.post(f"{base}/discard", data={"csrf": csrf}, timeout=5).status_code == 409
    client = CentralClient(console.server.channel_url(), console.admin_token)
    assert approve_drafts(client, console.key, show=lambda _line: None) == []
    assert client.active_release() == 1


def test_kioskctl_approve_signs_a_content_draft_and_the_channel_serves_the_edit(
    console: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    browser = log_in(console)
    assert edit_service(browser, console, "item-1", **NEW_TEXTS).status_code == 303
    assert on_overview(browser, console, "/services/item-0/move", step="down").status_code == 303
    assert on_overview(browser, console, "/propose", note="New solar title").status_code == 303

    os.environ["GREEN_KIOSK_ADMIN_TOKEN"] = console.admin_token
    try:
        assert main(["approve", console.server.channel_url(), "--key", str(console.key), "--yes"]) == 0
    finally:
        del os.environ["GREEN_KIOSK_ADMIN_TOKEN"]
    out = capsys.readouterr().out
    assert "~ service item-1 (changed)" in out
    assert f"title.ru\n      was: Title item-1 (ru)\n      now: {NEW_TEXTS['title.ru']}" in out
    assert "order\n      was: item-0, item-1, item-2\n      now: item-1, item-0, item-2" in out
    served = json.loads((console.server.data / "channels" / "main" / "manifest.json").read_bytes())
    assert served["release"] == 2
    assert [s["id"] for s in served["content"]["services"]] == ["item-1", "item-0", "item-2"]
    assert served["content"]["services"][0]["title"]["en"] == NEW_TEXTS["title.en"]
    releases = console.central.releases("main")
    assert releases[0]["note"].startswith("content: New solar title")
    overview = browser.get(content_url(console), timeout=5).text
    assert CONTENT_TEXTS["az"]["content_unchanged"] in overview  # the copy is now the active release


def test_the_editor_has_every_string_in_both_languages_with_the_same_placeholders() -> None:
    az, en = CONTENT_TEXTS["az"], CONTENT_TEXTS["en"]
    assert sorted(az) == sorted(en)
    fields = string.Formatter()
    for key in az:
        assert az[key].strip() and en[key].strip(), key
        assert {f for _, f, _, _ in fields.parse(az[key]) if f} == {
            f for _, f, _, _ in fields.parse(en[key]) if f
        }, key
