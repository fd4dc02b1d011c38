"""Taking credentials away: a revoked token or a removed user is refused at once, over real HTTP."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from central.console_text import TEXTS
from central.errors import Conflict, Invalid, NotFound
from kiosk.content.remote import CentralClient, publish_remote
from kiosk.errors import ContentError
from tests.central.conftest import Fleet
from tests.central.test_api import auth, heartbeat
from tests.central.test_console import PASSWORD, csrf_of, log_in
from tests.kiosk.content.channel import simple_source


def reports_status(fleet: Fleet, token: str) -> int:
    return requests.post(
        f"{fleet.server.url}/api/kiosk/reports",
        json={"heartbeats": [heartbeat(datetime.now(UTC))]},
        headers=auth(token),
        timeout=5,
    ).status_code


def push_status(fleet: Fleet, token: str) -> int:
    with requests.get(
        f"{fleet.server.channel_url()}/events", headers=auth(token), stream=True, timeout=5
    ) as response:
        return response.status_code


def test_a_revoked_kiosk_token_is_refused_for_reports_and_push(any_fleet: Fleet) -> None:
    token = any_fleet.kiosk_tokens["baku-1-lobby"]
    assert (reports_status(any_fleet, token), push_status(any_fleet, token)) == (200, 200)
    any_fleet.central.accounts.revoke_token("kiosk", "baku-1-lobby")
    refused = requests.post(
        f"{any_fleet.server.url}/api/kiosk/reports", json={}, headers=auth(token), timeout=5
    )
    assert refused.status_code == 401 and refused.json() == {"error": "unknown or revoked token"}
    assert push_status(any_fleet, token) == 401
    assert reports_status(any_fleet, any_fleet.kiosk_tokens["ganja-lobby"]) == 200  # only that kiosk
    renewed = any_fleet.central.accounts.renew_kiosk_token("baku-1-lobby")
    assert reports_status(any_fleet, renewed) == 200 and reports_status(any_fleet, token) == 401
    longest = any_fleet.central.add_kiosk("k" * 64, "baku-1", "main")  # the longest id fits every column
    assert reports_status(any_fleet, longest) == 200
    any_fleet.central.accounts.revoke_token("kiosk", "k" * 64)
    listed = {(t.kind, t.name): t.revoked for t in any_fleet.central.accounts.tokens() if t.revoked is None}
    assert listed == {
        ("admin", "admin"): None,
        ("kiosk", "baku-1-lobby"): None,
        ("kiosk", "ganja-lobby"): None,
    }


def test_a_revoked_admin_token_cannot_publish(any_fleet: Fleet, tmp_path: Path) -> None:
    source = simple_source(tmp_path / "source", count=2)
    client = CentralClient(any_fleet.server.channel_url(), any_fleet.admin_token)
    assert publish_remote(source, any_fleet.key, client).release == 1
    any_fleet.central.accounts.revoke_token("admin", "admin")
    answer = requests.post(
        f"{any_fleet.server.url}/api/channels/main/releases",
        json={},
        headers=auth(any_fleet.admin_token),
        timeout=5,
    )
    assert answer.status_code == 401 and "revoked" in answer.json()["error"]
    with pytest.raises(ContentError):
        publish_remote(simple_source(tmp_path / "source-2", count=3, tag="v2"), any_fleet.key, client)
    assert any_fleet.central.channel_release("main") == 1
    (row,) = [t for t in any_fleet.central.accounts.tokens() if t.kind == "admin"]
    assert row.revoked is not None and row.last_used is not None


def test_a_removed_users_session_stops_at_once(fleet: Fleet) -> None:
    fleet.central.accounts.add_user("admin", PASSWORD)
    browser = log_in(fleet)
    page = f"{fleet.server.url}/console/"
    assert browser.get(page, allow_redirects=False, timeout=5).status_code == 200
    fleet.central.accounts.remove_user("admin")
    answer = browser.get(page, allow_redirects=False, timeout=5)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/console/login")
    assert fleet.central.accounts.users() == []


def test_a_changed_password_ends_the_other_sessions_but_not_this_one(fleet: Fleet) -> None:
    fleet.central.accounts.add_user("admin", PASSWORD)
    url = fleet.server.url
    laptop, phone = log_in(fleet), log_in(fleet)
    page = laptop.get(f"{url}/console/accounts", timeout=5)
    assert page.status_code == 200
    new = "a-new-long-password"
    form = {"csrf": csrf_of(page.text), "current": PASSWORD, "new": new, "repeat": new}
    wrong = laptop.post(f"{url}/console/accounts/password", data={**form, "current": "nope"}, timeout=10)
    assert wrong.status_code == 403 and TEXTS["az"]["password_wrong"] in wrong.text
    changed = laptop.post(f"{url}/console/accounts/password", data=form, timeout=10)
    assert changed.status_code == 200 and TEXTS["az"]["password_changed"].format(n=1) in changed.text
    assert laptop.get(f"{url}/console/", allow_redirects=False, timeout=5).status_code == 200
    assert phone.get(f"{url}/console/", allow_redirects=False, timeout=5).status_code == 303
    log_in(fleet, password=new)
    assert fleet.central.accounts.set_password("admin", "the-third-password") == 2  # the CLI's way: all
    assert laptop.get(f"{url}/console/", allow_redirects=False, timeout=5).status_code == 303


def test_the_accounts_page_lists_and_revokes_with_its_csrf_token(fleet: Fleet) -> None:
    accounts = fleet.central.accounts
    accounts.add_user("admin", PASSWORD)
    accounts.add_user("operator", "another-long-password")
    operator = log_in(fleet, "operator", "another-long-password")
    browser = log_in(fleet)
    browser.get(f"{fleet.server.url}/console/lang/en", timeout=5)
    url = f"{fleet.server.url}/console/accounts"
    page = browser.get(url, timeout=5).text
    for name in ("admin", "baku-1-lobby", "ganja-lobby"):
        assert TEXTS["en"]["token_revoke"].format(name=name) in page
    assert TEXTS["en"]["user_remove"].format(name="operator") in page
    assert TEXTS["en"]["user_remove"].format(name="admin") not in page  # not yourself
    csrf = csrf_of(page)
    target = f"{url}/tokens/kiosk/baku-1-lobby/revoke"
    confirm = {"confirm": "baku-1-lobby"}
    assert browser.post(target, data={"csrf": "forged", **confirm}, timeout=5).status_code == 403
    assert reports_status(fleet, fleet.kiosk_tokens["baku-1-lobby"]) == 200
    done = browser.post(target, data={"csrf": csrf, **confirm}, timeout=5)
    assert done.status_code == 200 and reports_status(fleet, fleet.kiosk_tokens["baku-1-lobby"]) == 401
    row = re.search(r'<tr id="token-kiosk-baku-1-lobby" class="silent">(.*?)</tr>', done.text, re.S)
    assert row is not None and "revoked" in row.group(1)
    removed = browser.post(f"{url}/users/operator/remove", data={"csrf": csrf}, timeout=5)
    assert removed.status_code == 200 and 'id="user-operator"' not in removed.text
    assert operator.get(f"{fleet.server.url}/console/", allow_redirects=False, timeout=5).status_code == 303
    myself = browser.post(f"{url}/users/admin/remove", data={"csrf": csrf}, timeout=5)
    assert myself.status_code == 403 and TEXTS["en"]["accounts_not_yourself"] in myself.text
    missing = browser.post(
        f"{url}/tokens/admin/nobody/revoke", data={"csrf": csrf, "confirm": "nobody"}, timeout=5
    )
    assert missing.status_code == 404 and "no admin token named &#39;nobody&#39;" in missing.text


def test_accounts_refuse_in_words(fleet: Fleet) -> None:
    accounts = fleet.central.accounts
    with pytest.raises(Conflict, match="already exists"):
        accounts.add_admin_token("admin")
    with pytest.raises(Invalid, match="admin token name"):
        accounts.add_admin_token("../alice")
    with pytest.raises(Invalid, match="at least 10 characters"):
        accounts.add_user("alice", "short")
    with pytest.raises(NotFound, match="no console user"):
        accounts.set_password("nobody", "long-enough-password")
    with pytest.raises(NotFound, match="no kiosk"):
        accounts.revoke_token("kiosk", "nowhere")
    with pytest.raises(Invalid, match="'admin' or 'kiosk'"):
        accounts.revoke_token("user", "admin")
    assert accounts.check_user("nobody", "x" * 5000) is None  # bounded work, no error


def test_revoking_a_token_in_the_console_asks_for_its_name_first(fleet: Fleet) -> None:
    fleet.central.accounts.add_user("admin", PASSWORD)
    browser = log_in(fleet)
    url = f"{fleet.server.url}/console/accounts"
    token = fleet.kiosk_tokens["baku-1-lobby"]
    listing = browser.get(url, timeout=5).text
    button = re.search(
        r'<form method="get" action="(/console/accounts/tokens/kiosk/baku-1-lobby/revoke)">', listing
    )
    assert button is not None  # the list's button only opens the question: a GET changes nothing
    asked = browser.get(f"{fleet.server.url}{button.group(1)}", timeout=5)
    assert asked.status_code == 200 and reports_status(fleet, token) == 200
    az = TEXTS["az"]
    assert az["revoke_title"].format(name="baku-1-lobby") in asked.text
    assert az["revoke_explain_kiosk"] in asked.text and 'name="confirm"' in asked.text
    assert "<script" not in asked.text  # the question works without JavaScript
    target = f"{url}/tokens/kiosk/baku-1-lobby/revoke"
    csrf = csrf_of(asked.text)
    for typed in ({}, {"confirm": ""}, {"confirm": "ganja-lobby"}, {"confirm": "BAKU-1-LOBBY"}):
        refused = browser.post(target, data={"csrf": csrf, **typed}, timeout=5)
        assert refused.status_code == 400 and reports_status(fleet, token) == 200
        assert az["revoke_name_mismatch"].format(name="baku-1-lobby") in refused.text
    browser.get(f"{fleet.server.url}/console/lang/en", timeout=5)
    english = browser.get(f"{url}/tokens/admin/admin/revoke", timeout=5).text
    assert TEXTS["en"]["revoke_explain_admin"] in english and TEXTS["en"]["revoke_cancel"] in english
    done = browser.post(
        target, data={"csrf": csrf, "confirm": " baku-1-lobby "}, allow_redirects=False, timeout=5
    )
    assert done.status_code == 303 and reports_status(fleet, token) == 401
    again = browser.get(f"{url}/tokens/kiosk/baku-1-lobby/revoke", allow_redirects=False, timeout=5)
    assert again.status_code == 303  # already revoked: nothing left to ask
    assert browser.get(f"{url}/tokens/kiosk/nowhere/revoke", timeout=5).status_code == 404
