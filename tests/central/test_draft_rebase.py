"""Drafts proposed on the same release never lose each other's work: approving one rebuilds the others.

A real server on 127.0.0.1 (SQLite), drafts proposed as the console proposes them, and every approval made
by ``kioskctl approve``'s own code with the channel's key, so what is checked is what kiosks would get.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from central.console import Formats, superseded_reason
from kiosk.content.manifest import parse_manifest
from kiosk.content.remote import CentralClient, PublishingError, approve_drafts
from kiosk.content.signing import load_private_key, sign
from kiosk.errors import ContentError
from tests.central.conftest import Fleet
from tests.central.test_api import published

TEXTS = {"az": "Mərkəz bu gün 17:00-dək işləyir", "en": "Open until 17:00 today", "ru": "Сегодня до 17:00"}
EVENING = {"display": {"open_hours": "09:00-20:00"}}


def client_of(fleet: Fleet) -> CentralClient:
    return CentralClient(fleet.server.channel_url(), fleet.admin_token)


def served(fleet: Fleet) -> dict[str, Any]:
    """The content kiosks are served now (the signed manifest in the channel's folder)."""
    doc: dict[str, Any] = json.loads((fleet.server.data / "channels" / "main" / "manifest.json").read_bytes())
    return doc


def announce(fleet: Fleet, texts: dict[str, str] = TEXTS, hours: int = 5) -> int:
    now = datetime.now(UTC).replace(microsecond=0)
    return int(
        fleet.central.propose_announcement(
            "main", texts, starts=now, ends=now + timedelta(hours=hours), by="ops"
        )
    )


def settings(fleet: Fleet, entry: dict[str, Any] = EVENING) -> int:
    return int(fleet.central.propose_settings("main", [entry], target="every", by="it"))


def edit_content(fleet: Fleet, change: Any, note: str) -> int:
    """A content draft as the console's editor makes one: the active content changed, whole."""
    active = fleet.central.publishing.active_manifest("main")
    assert active is not None
    document = json.loads(json.dumps(dict(active.content)))
    change(document)
    return int(
        fleet.central.drafting.propose_content(
            "main", document, active.blobs, note=note, base_release=active.release, by="editor"
        )
    )


def retitle(title: str) -> Any:
    def change(document: dict[str, Any]) -> None:
        document["services"][0]["title"]["en"] = title

    return change


def approve(fleet: Fleet, draft: int) -> int:
    [release] = approve_drafts(client_of(fleet), fleet.key, only=draft, show=lambda _line: None)
    return release


def pending(fleet: Fleet, draft: int) -> dict[str, Any]:
    return next(d for d in fleet.central.drafts("main") if d["id"] == draft)


def superseded(fleet: Fleet, draft: int) -> dict[str, Any]:
    return next(d for d in fleet.central.drafts("main", pending_only=False) if d["id"] == draft)


@pytest.mark.parametrize("first", ["announcement", "settings"])
def test_announcement_and_settings_drafts_on_one_release_both_reach_the_final_release(
    fleet: Fleet, tmp_path: Path, first: str
) -> None:
    published(fleet, tmp_path, count=2)
    drafts = {"announcement": announce(fleet), "settings": settings(fleet)}
    second = "settings" if first == "announcement" else "announcement"

    number = pending(fleet, drafts[first])["release"]  # 2 or 3: the later draft approved first
    assert approve(fleet, drafts[first]) == number
    rebuilt = pending(fleet, drafts[second])
    assert rebuilt["release"] == number + 1 and rebuilt["rebased_on"]["release"] == number
    assert parse_manifest(base64.b64decode(rebuilt["manifest"])).release == number + 1
    assert approve(fleet, drafts[second]) == number + 1

    final = served(fleet)["content"]
    assert [a["text"] for a in final["announcements"]] == [TEXTS]
    assert final["settings"] == [EVENING]
    assert len(final["services"]) == 2
    assert fleet.central.drafts("main") == []


def test_a_content_edit_and_an_announcement_are_merged_whichever_is_approved_first(
    fleet: Fleet, tmp_path: Path
) -> None:
    published(fleet, tmp_path, count=2)
    edited = edit_content(fleet, retitle("Recycling, renamed"), "rename the first card")
    notice = announce(fleet)
    released = approve(fleet, notice)  # 3: the later draft first
    rebuilt = pending(fleet, edited)
    assert rebuilt["params"]["base_release"] == released  # the next rebuild merges against it
    assert approve(fleet, edited) == released + 1
    final = served(fleet)["content"]
    assert final["services"][0]["title"]["en"] == "Recycling, renamed"
    assert [a["text"] for a in final["announcements"]] == [TEXTS]

    again = announce(fleet, {**TEXTS, "en": "Closed on Friday"})
    edited = edit_content(fleet, retitle("Second name"), "rename it again")
    approve(fleet, edited)
    approve(fleet, again)
    final = served(fleet)["content"]
    assert final["services"][0]["title"]["en"] == "Second name"
    assert [a["text"]["en"] for a in final["announcements"]] == ["Open until 17:00 today", "Closed on Friday"]


def test_content_drafts_changing_the_same_part_supersede_the_later_with_the_part_named(
    fleet: Fleet, tmp_path: Path
) -> None:
    published(fleet, tmp_path, count=2)
    first = edit_content(fleet, retitle("First editor's title"), "first")
    second = edit_content(fleet, retitle("Second editor's title"), "second")
    approve(fleet, first)
    assert fleet.central.drafts("main") == []
    lost = superseded(fleet, second)
    assert lost["status"] == "superseded" and lost["superseded_by"]["reason"]["code"] == "conflict"
    now = datetime.now(UTC)
    en = superseded_reason(lost, Formats("en", now))
    assert en.startswith("Release 2 (by admin) was published first, and this draft could not be rebuilt")
    assert "Services changed in both this draft and that release" in en
    assert "Xidmətlər həm bu qaralamada" in superseded_reason(lost, Formats("az", now))
    assert served(fleet)["content"]["services"][0]["title"]["en"] == "First editor's title"


def test_ending_an_announcement_a_rollback_removed_is_superseded(fleet: Fleet, tmp_path: Path) -> None:
    published(fleet, tmp_path, count=2)
    approve(fleet, announce(fleet))  # release 2: the announcement
    [announcement] = served(fleet)["content"]["announcements"]
    end = fleet.central.drafting.propose_end("main", announcement["id"], by="ops")
    rollback = fleet.central.propose_rollback("main", 1, by="ops")
    assert approve(fleet, rollback) == 4  # the later draft first
    gone = superseded(fleet, end)
    assert gone["superseded_by"]["reason"] == {
        "code": "announcement_gone",
        "detail": announcement["id"],
        "text": f"release 4 has no announcement {announcement['id']!r}",
    }
    assert "is no longer in that release" in superseded_reason(gone, Formats("en", datetime.now(UTC)))
    assert "announcements" not in served(fleet)["content"]


def test_a_rollback_draft_keeps_its_content_under_a_new_number(fleet: Fleet, tmp_path: Path) -> None:
    published(fleet, tmp_path, count=2, tag="v1")
    published(fleet, tmp_path, count=3, tag="v2")
    rollback = fleet.central.propose_rollback("main", 1, by="ops")
    notice = announce(fleet)
    assert approve(fleet, notice) == 4
    assert pending(fleet, rollback)["release"] == 5
    assert approve(fleet, rollback) == 5
    final = served(fleet)["content"]
    assert len(final["services"]) == 2 and "announcements" not in final  # release 1's content, as proposed


def test_kioskctl_approve_signs_the_rebuilt_bytes_of_every_pending_draft(
    any_fleet: Fleet, tmp_path: Path
) -> None:
    """On SQLite and PostgreSQL (where the channel's row is locked while a draft is approved)."""
    published(any_fleet, tmp_path, count=2)
    announce(any_fleet)
    settings(any_fleet)
    edit_content(any_fleet, retitle("Renamed"), "rename")
    shown: list[str] = []
    signed: list[int] = []

    def confirm(draft: Any) -> bool:
        signed.append(draft.manifest.release)
        return True

    assert approve_drafts(client_of(any_fleet), any_fleet.key, show=shown.append, confirm=confirm) == [
        2,
        3,
        4,
    ]
    assert signed == [2, 3, 4]  # each draft shown and signed as rebuilt on the one before
    text = "\n".join(shown)
    assert "- announcement" not in text and "(removed)" not in text  # nothing earlier is undone
    final = served(any_fleet)["content"]
    assert [a["text"] for a in final["announcements"]] == [TEXTS]
    assert final["settings"] == [EVENING] and final["services"][0]["title"]["en"] == "Renamed"


def test_a_signature_over_bytes_rebuilt_since_is_answered_stale(fleet: Fleet, tmp_path: Path) -> None:
    published(fleet, tmp_path, count=2)
    notice, evening = announce(fleet), settings(fleet)
    client = client_of(fleet)
    key = load_private_key(fleet.key)
    old = base64.b64decode(pending(fleet, evening)["manifest"])
    approve(fleet, notice)  # another admin, meanwhile

    with pytest.raises(PublishingError) as stale:
        client.approve(evening, sign(key, old), old)
    assert stale.value.status == 409
    assert str(stale.value).endswith("draft 2 was rebuilt on release 2 since it was shown; run approve again")
    url = f"{fleet.server.url}/api/channels/main/drafts/{evening}/signature"
    headers = {"Authorization": f"Bearer {fleet.admin_token}"}
    older_client = requests.post(
        url, json={"signature": base64.b64encode(sign(key, old)).decode()}, headers=headers, timeout=5
    )
    assert older_client.status_code == 409 and "rebuilt on release 2" in older_client.json()["error"]
    forged = requests.post(
        url,
        json={
            "signature": base64.b64encode(sign(key, old)).decode(),
            "sha256": hashlib.sha256(b"x").hexdigest(),
        },
        headers=headers,
        timeout=5,
    )
    assert forged.status_code == 422 and "not this draft's" in forged.json()["error"]
    assert fleet.central.channel_release("main") == 2 and pending(fleet, evening)["release"] == 3


def test_approve_says_run_again_when_another_admin_approved_while_it_asked(
    fleet: Fleet, tmp_path: Path
) -> None:
    published(fleet, tmp_path, count=2)
    notice, evening = announce(fleet), settings(fleet)
    shown: list[str] = []

    def confirm(draft: Any) -> bool:
        if draft.id == notice:  # while this admin reads, another signs the settings draft
            approve(fleet, evening)
        return True

    with pytest.raises(ContentError, match="draft 1 not published"):
        approve_drafts(client_of(fleet), fleet.key, show=shown.append, confirm=confirm)
    assert (
        "Draft 1: NOT PUBLISHED: draft 1 was rebuilt on release 3 since it was shown; run approve again"
        in shown
    )
    assert pending(fleet, notice)["release"] == 4
    assert approve(fleet, notice) == 4
    final = served(fleet)["content"]
    assert final["settings"] == [EVENING] and [a["text"] for a in final["announcements"]] == [TEXTS]


def test_a_folder_publish_still_supersedes_every_pending_draft(fleet: Fleet, tmp_path: Path) -> None:
    published(fleet, tmp_path, count=2)
    notice = announce(fleet)
    published(fleet, tmp_path, count=3, tag="v2")
    found = superseded(fleet, notice)
    assert found["status"] == "superseded" and "reason" not in found["superseded_by"]
