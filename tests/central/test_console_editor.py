"""The editor's announcements, two admins on one working copy, and the compare page for any draft, over
real HTTP against a running server (two logged-in ``requests`` sessions stand for two browsers)."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from central.console import BAKU
from central.console_content_text import CONTENT_TEXTS
from central.console_text import TEXTS
from central.models import WorkingCopy
from kiosk.content.remote import CentralClient, approve_drafts
from tests.central.conftest import Fleet
from tests.central.test_api import published
from tests.central.test_console import PASSWORD, csrf_of, log_in
from tests.central.test_console_content import (
    content_url,
    form_fields,
    on_overview,
    reopen,
    revision_of,
)

AZ, EN = CONTENT_TEXTS["az"], CONTENT_TEXTS["en"]
TEXTS_AZ = TEXTS["az"]


@pytest.fixture
def console(fleet: Fleet, tmp_path: Path) -> Fleet:
    fleet.central.accounts.add_user("admin", PASSWORD)
    published(fleet, tmp_path, count=3)
    return fleet


def local(moment: datetime) -> str:
    """A time as a ``datetime-local`` field sends it (Baku, to the minute)."""
    return moment.astimezone(BAKU).replace(tzinfo=None).isoformat(timespec="minutes")


def last_change(fleet: Fleet) -> str:
    """When the working copy last changed, as the console shows it (Baku time, to the minute)."""
    with fleet.central.database.session() as session:
        [row] = session.query(WorkingCopy).all()
        return str(row.updated.astimezone(BAKU).strftime("%Y-%m-%d %H:%M"))


def document(fleet: Fleet) -> dict[str, Any]:
    with fleet.central.database.session() as session:
        [row] = session.query(WorkingCopy).all()
        doc: dict[str, Any] = json.loads(row.document)
        return doc


def announcement_form(
    browser: requests.Session, fleet: Fleet, path: str = "/new/announcements", **changes: str
) -> dict[str, str]:
    """What a browser sends from the announcement form, with ``changes`` typed over it."""
    page = browser.get(content_url(fleet, path), timeout=5)
    assert page.status_code == 200, page.text
    data = form_fields(page.text)
    for name in ("starts", "ends"):
        data[name] = html.unescape(re.findall(rf'name="{name}" value="([^"]*)"', page.text)[0])
    data["level"] = re.findall(r'name="level" value="(\w+)" checked', page.text)[0]
    return {**data, **changes}


def test_an_announcement_is_added_edited_proposed_signed_and_deleted_in_the_editor(console: Fleet) -> None:
    browser = log_in(console)
    form = browser.get(content_url(console, "/new/announcements"), timeout=5).text
    for level in ("info", "warning", "emergency"):  # what each level does, in the announcements page's words
        assert html.escape(TEXTS_AZ[f"level_{level}_does"], quote=False) in form
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)
    ends = starts + timedelta(days=3)
    texts = {"text.az": "Təkrar emal həftəsi", "text.en": "Recycling week", "text.ru": "Неделя переработки"}
    data = announcement_form(
        browser, console, level="warning", starts=local(starts), ends=local(ends), centres="baku-1", **texts
    )
    added = browser.post(
        content_url(console, "/new/announcements"), data=data, allow_redirects=False, timeout=5
    )
    assert added.status_code == 303 and added.headers["location"].endswith("/content#announcements")
    [stored] = document(console)["announcements"]
    assert stored["level"] == "warning" and stored["centres"] == ["baku-1"]
    assert stored["text"] == {"az": texts["text.az"], "en": texts["text.en"], "ru": texts["text.ru"]}
    assert (
        datetime.fromisoformat(stored["starts"]) == starts and datetime.fromisoformat(stored["ends"]) == ends
    )
    assert re.fullmatch(r"console-\d+", stored["id"])

    overview = browser.get(content_url(console), timeout=5).text
    row = re.search(rf'<tr id="announcement-{stored["id"]}">(.*?)</tr>', overview, re.S)
    assert row is not None
    for shown in (
        TEXTS_AZ["level_warning"],
        *texts.values(),
        starts.astimezone(BAKU).strftime("%Y-%m-%d %H:%M"),  # Baku time, as the announcements page shows
        ends.astimezone(BAKU).strftime("%Y-%m-%d %H:%M"),
        "baku-1",
        TEXTS_AZ["state_planned"],
    ):
        assert shown in row.group(1), shown
    assert AZ["content_changed"] in overview

    path = f"/announcements/{stored['id']}"
    edited = announcement_form(browser, console, path, **{"text.en": "Recycling week: bring batteries"})
    assert edited["starts"] == local(starts)  # the form shows Baku time
    saved = browser.post(content_url(console, path), data=edited, allow_redirects=False, timeout=5)
    assert saved.status_code == 303
    [after] = document(console)["announcements"]
    assert after["text"]["en"] == "Recycling week: bring batteries"
    assert (after["id"], after["starts"], after["ends"]) == (stored["id"], stored["starts"], stored["ends"])

    assert on_overview(browser, console, "/propose", note="Recycling week").status_code == 303
    client = CentralClient(console.server.channel_url(), console.admin_token)
    assert approve_drafts(client, console.key, show=lambda _line: None) == [2]
    served = json.loads((console.server.data / "channels" / "main" / "manifest.json").read_bytes())
    assert served["content"]["announcements"] == [after]
    assert [a.id for a in console.central.publishing.announcements("main")] == [after["id"]]

    deleted = on_overview(browser, console, f"/announcements/{stored['id']}/delete")
    assert deleted.status_code == 303
    assert "announcements" not in document(console)
    assert AZ["announcements_none"] in browser.get(content_url(console), timeout=5).text


def refusals() -> list[tuple[dict[str, str], str, str]]:
    """(what the admin typed, the field the message is at, the message) for each check of the form."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    soon, later = local(now + timedelta(hours=1)), local(now + timedelta(hours=5))
    return [
        ({"text.ru": " "}, "text.ru", TEXTS_AZ["announce_need_texts"]),
        ({"text.en": "x" * 501}, "text.en", AZ["too_long"].format(detail=500)),
        ({"starts": later, "ends": soon}, "ends", TEXTS_AZ["announce_end_first"]),
        ({"ends": local(now - timedelta(hours=1))}, "ends", TEXTS_AZ["announce_in_past"]),
        ({"starts": "tomorrow"}, "starts", TEXTS_AZ["announce_bad_time"]),
        ({"level": "loud"}, "level", AZ["level_bad"].format(detail="loud")),
        (
            {"level": "emergency", "ends": local(now + timedelta(hours=49))},
            "level",
            TEXTS_AZ["announce_long_emergency"].format(hours=49),
        ),
        ({"centres": "atlantis"}, "centres", AZ["centre_unknown"].format(detail="atlantis")),
    ]


def test_an_announcement_outside_the_quick_announcements_limits_is_refused_and_the_input_kept(
    console: Fleet,
) -> None:
    browser = log_in(console)
    base = {"text.az": "Bağlıyıq", "text.en": "Closed", "text.ru": "Закрыто"}
    for typed, field, message in refusals():
        data = announcement_form(browser, console, **{**base, **typed})
        answer = browser.post(content_url(console, "/new/announcements"), data=data, timeout=5)
        assert answer.status_code == 400, typed
        assert AZ["refused"] in answer.text
        shown = html.escape(message)
        assert f'<span class="field-error" role="alert">{shown}</span>' in answer.text, (typed, field)
        assert "Bağlıyıq</textarea>" in answer.text  # what was typed is still there
    many = announcement_form(browser, console, **base)
    too_many = [*many.items(), *(("centres", f"c{i}") for i in range(201))]
    answer = browser.post(content_url(console, "/new/announcements"), data=too_many, timeout=5)
    assert answer.status_code == 400 and html.escape(AZ["centres_too_many"].format(detail=200)) in answer.text
    assert "announcements" not in document(console)

    now = datetime.now(UTC).replace(second=0, microsecond=0)
    long = {"level": "emergency", "ends": local(now + timedelta(hours=49)), "long_ok": "yes"}
    confirmed = announcement_form(browser, console, **{**base, **long})
    saved = browser.post(
        content_url(console, "/new/announcements"), data=confirmed, allow_redirects=False, timeout=5
    )
    assert saved.status_code == 303  # said yes twice: a long emergency is the admin's call
    assert document(console)["announcements"][0]["level"] == "emergency"


def test_a_save_built_on_an_older_copy_is_refused_and_keeps_what_the_second_admin_typed(
    console: Fleet,
) -> None:
    console.central.accounts.add_user("bob", PASSWORD)
    alice, bob = log_in(console), log_in(console, "bob")
    path = content_url(console, "/services/item-1")
    alice_form = form_fields(alice.get(path, timeout=5).text)
    bob_form = form_fields(bob.get(path, timeout=5).text)
    assert alice_form["revision"] == bob_form["revision"]
    bob_overview = bob.get(content_url(console), timeout=5).text

    saved = alice.post(
        path, data={**alice_form, "title.en": "Alice's title"}, allow_redirects=False, timeout=5
    )
    assert saved.status_code == 303
    bob_typed = {**bob_form, "body.en": "Bob's new body text"}
    refused = bob.post(path, data=bob_typed, allow_redirects=False, timeout=5)
    assert refused.status_code == 409
    notice = AZ["stale_form"].format(who="console:admin", when=last_change(console))
    assert html.escape(notice, quote=False) in refused.text
    assert (
        "Bob&#39;s new body text</textarea>" in refused.text
        or "Bob's new body text</textarea>" in refused.text
    )
    stored = next(s for s in document(console)["services"] if s["id"] == "item-1")
    assert stored["title"]["en"] == "Alice's title" and stored["body"]["en"] != "Bob's new body text"

    # Bob's overview buttons were rendered before Alice's save: each is refused, nothing moves.
    for action, data in (
        ("/services/item-2/move", {"step": "up"}),
        ("/reset", {}),
        ("/propose", {"note": "Bob"}),
    ):
        fields = {"csrf": csrf_of(bob_overview), "revision": revision_of(bob_overview), **data}
        answer = bob.post(content_url(console, action), data=fields, allow_redirects=False, timeout=5)
        assert answer.status_code == 409, action
        notice = AZ["stale_action"].format(who="console:admin", when=last_change(console))
        assert html.escape(notice, quote=False) in answer.text
    assert 'name="note"' in answer.text and ">Bob</textarea>" in answer.text  # the note is kept too
    assert [s["id"] for s in document(console)["services"]] == ["item-0", "item-1", "item-2"]
    assert console.central.drafts("main") == []

    again = bob.post(path, data=form_fields(refused.text), allow_redirects=False, timeout=5)
    assert again.status_code == 303  # saving from the refusal page is a choice: Bob's version wins
    stored = next(s for s in document(console)["services"] if s["id"] == "item-1")
    assert stored["body"]["en"] == "Bob's new body text" and stored["title"]["en"] != "Alice's title"

    # An item deleted while another admin edits it: said so, and saving again brings it back.
    path = content_url(console, "/services/item-2")
    bob_form = form_fields(bob.get(path, timeout=5).text)
    assert on_overview(alice, console, "/services/item-2/delete").status_code == 303
    refused = bob.post(path, data={**bob_form, "title.az": "Bob saxladı"}, timeout=5)
    assert refused.status_code == 409 and html.escape(AZ["stale_gone"]) in refused.text
    again = bob.post(path, data=form_fields(refused.text), allow_redirects=False, timeout=5)
    assert again.status_code == 303
    stored = next(s for s in document(console)["services"] if s["id"] == "item-2")
    assert stored["title"]["az"] == "Bob saxladı"


def test_reopening_a_draft_over_a_colleagues_newer_edits_is_refused_and_keeps_them(console: Fleet) -> None:
    console.central.accounts.add_user("bob", PASSWORD)
    alice, bob = log_in(console), log_in(console, "bob")
    assert on_overview(alice, console, "/services/item-0/delete").status_code == 303
    assert on_overview(alice, console, "/propose", note="Drop item 0").status_code == 303
    [draft] = console.central.drafts("main")
    url = f"{console.server.url}/console/channels/main/drafts/{draft['id']}"
    alice_page = alice.get(url, timeout=5).text  # drawn before Bob's edit

    assert on_overview(bob, console, "/services/item-2/move", step="up").status_code == 303  # not proposed
    fields = {"csrf": csrf_of(alice_page), "revision": revision_of(alice_page)}
    refused = alice.post(f"{url}/edit", data=fields, allow_redirects=False, timeout=5)
    assert refused.status_code == 409
    notice = AZ["stale_action"].format(who="console:bob", when=last_change(console))
    assert html.escape(notice, quote=False) in refused.text
    assert [s["id"] for s in document(console)["services"]] == ["item-2", "item-1"]  # Bob's order kept

    assert reopen(alice, console, draft["id"]).status_code == 303  # drawn again, knowing Bob's edit: a choice
    assert [s["id"] for s in document(console)["services"]] == ["item-1", "item-2"]


def test_the_compare_page_shows_published_superseded_and_discarded_drafts_against_a_named_release(
    console: Fleet,
) -> None:
    browser = log_in(console)
    assert on_overview(browser, console, "/services/item-0/delete").status_code == 303
    assert on_overview(browser, console, "/propose", note="Drop item 0").status_code == 303
    [first] = console.central.drafts("main")
    url = f"{console.server.url}/console/channels/main/drafts"
    assert reopen(browser, console, first["id"]).status_code == 303
    assert on_overview(browser, console, "/services/item-1/move", step="up").status_code == 303
    assert on_overview(browser, console, "/propose", note="Drop item 0, item 2 first").status_code == 303
    [second] = console.central.drafts("main")
    client = CentralClient(console.server.channel_url(), console.admin_token)
    assert approve_drafts(client, console.key, show=lambda _line: None) == [second["release"]]
    now = datetime.now(BAKU).replace(second=0, microsecond=0, tzinfo=None)
    quick = console.central.propose_announcement(
        "main", {"az": "a", "en": "b", "ru": "c"}, starts=now.replace(tzinfo=BAKU),
        ends=(now + timedelta(hours=1)).replace(tzinfo=BAKU), by="test",
    )  # fmt: skip
    console.central.drafting.discard("main", quick, by="test")
    [third] = [d for d in console.central.drafts("main", pending_only=False) if d["id"] == quick]

    browser.get(f"{console.server.url}/console/lang/en", timeout=5)
    for draft, status, why, base in (
        (first, "superseded", "compare_with_base", 1),
        (second, "published", "compare_with_base", 1),
        (third, "discarded", "compare_with_before", third["release"] - 1),
    ):
        page = browser.get(f"{url}/{draft['id']}", timeout=5)
        assert page.status_code == 200, status
        assert EN[f"status_{status}"] in page.text
        said = EN[why].format(id=draft["id"], n=base, number=draft["release"])
        assert html.escape(said, quote=False) in page.text, status
        assert EN["compare_heading"].format(id=draft["id"], n=base) in page.text
        assert EN["draft_not_pending"].split(":")[0] in page.text
        assert f"--draft {draft['id']}" not in page.text and "/discard" not in page.text  # nothing to do
    published_page = browser.get(f"{url}/{second['id']}", timeout=5).text
    assert "Service <code>item-0</code> · removed" in published_page
    discarded_page = browser.get(f"{url}/{third['id']}", timeout=5).text
    assert "Announcement <code>console-" in discarded_page and "· added" in discarded_page
    channel = browser.get(f"{console.server.url}/console/channels/main", timeout=5).text
    assert f'href="/console/channels/main/drafts/{first["id"]}"' in channel  # from the superseded list
    assert browser.get(f"{url}/999", timeout=5).status_code == 404


def test_a_draft_with_no_earlier_release_kept_is_compared_with_nothing(fleet: Fleet, tmp_path: Path) -> None:
    fleet.central.accounts.add_user("admin", PASSWORD)
    browser = log_in(fleet)
    page = browser.get(content_url(fleet, "/general"), timeout=5).text
    data = {**form_fields(page), "name.en": "Main channel"}
    assert (
        browser.post(content_url(fleet, "/general"), data=data, allow_redirects=False, timeout=5).status_code
        == 303
    )
    assert on_overview(browser, fleet, "/propose", note="First content").status_code == 303
    [draft] = fleet.central.drafts("main")
    fleet.central.drafting.discard("main", draft["id"], by="test")
    browser.get(f"{fleet.server.url}/console/lang/en", timeout=5)
    answer = browser.get(f"{fleet.server.url}/console/channels/main/drafts/{draft['id']}", timeout=5)
    assert answer.status_code == 200
    assert EN["compare_heading_none"].format(id=draft["id"]) in answer.text
    assert (
        html.escape(EN["compare_with_nothing"].format(id=draft["id"], n=None, number=1), quote=False)
        in answer.text
    )
