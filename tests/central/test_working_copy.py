"""The working copy room on a real SQLite file: edits kept only when the kiosk's parser accepts them."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from central.console_editor import problem_message
from central.content_forms import EditRefused, service_from_form
from central.db import open_database, sqlite_url
from central.errors import Conflict
from central.media_choices import channel_blobs, media_choices
from central.service import Central
from central.working_copy import Stale, WorkingCopies, skeleton
from kiosk.content.manifest import encode_manifest, parse_manifest
from kiosk.content.publish import load_release
from kiosk.content.signing import generate_keys, load_private_key, sign
from tests.kiosk.content.channel import simple_source


@dataclass
class Room:
    central: Central
    copies: WorkingCopies
    key: Path


def publish(room: Room, source: Path, number: int) -> None:
    """Publish a content folder straight into the server's rooms (signed with the channel's key)."""
    release = load_release(source)
    for sha, path in release.files.items():
        room.central.store_blob("main", sha, path.stat().st_size, [path.read_bytes()])
    now = datetime.now(UTC).replace(microsecond=0)
    data = encode_manifest(
        release=number,
        created=now,
        expires=now + timedelta(days=30),
        content=release.content,
        blobs=release.blobs,
    )
    room.central.publish("main", data, sign(load_private_key(room.key), data), by="test")


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    private, public = generate_keys(tmp_path / "keys")
    central = Central(tmp_path / "central", open_database(sqlite_url(tmp_path / "central.db")))
    central.add_channel("main", public.read_bytes())
    copies = WorkingCopies(
        central.database,
        central.publishing,
        central.drafting,
        central.clock,
        lambda channel: channel_blobs(central, channel),
    )
    yield Room(central, copies, private)
    central.database.close()


def form_of(item: dict[str, object], **changes: str) -> dict[str, str]:
    """The service form's fields for ``item``, with ``changes``."""
    fields = {"id": str(item["id"]), "category": str(item["category"]), "url": str(item["url"])}
    for name in ("title", "summary", "body"):
        texts = item[name]
        assert isinstance(texts, dict)
        fields.update({f"{name}.{lang}": text for lang, text in texts.items()})
    if item.get("icon"):
        fields["icon"] = str(item["icon"])
    fields.update(changes)
    return fields


def test_a_channel_without_a_release_starts_from_a_valid_skeleton(room: Room) -> None:
    copy = room.copies.current("main")
    assert copy.document == skeleton("main") and copy.base_release == 0 and not copy.changed
    with pytest.raises(EditRefused) as refused:
        room.copies.propose("main", "nothing yet", by="ops")
    assert [p.code for p in refused.value.problems] == ["nothing_changed"]


def test_the_copy_starts_from_the_active_release_and_keeps_a_valid_edit(room: Room, tmp_path: Path) -> None:
    publish(room, simple_source(tmp_path / "v1", count=3), 1)
    copy = room.copies.current("main")
    assert copy.base_release == 1 and [s["id"] for s in copy.items("services")] == [
        "item-0",
        "item-1",
        "item-2",
    ]
    item = copy.item("services", "item-1")
    fields = form_of(
        item, **{"title.az": "Yeni başlıq", "title.en": "New title", "title.ru": "Новый заголовок"}
    )
    edited = room.copies.put_item(
        "main", "services", "item-1", service_from_form(fields, [], [], []), by="ops"
    )
    assert edited.changed and edited.item("services", "item-1")["title"] == {
        "az": "Yeni başlıq",
        "en": "New title",
        "ru": "Новый заголовок",
    }
    assert (
        room.copies.current("main").item("services", "item-1")["icon"] == item["icon"]
    )  # kept in the database


REFUSED = [
    ({"url": "javascript:alert(1)"}, "url", "is not a well-formed http(s) URL"),
    ({"url": "https://e-gov.az/" + "a" * 800}, "url", "longer than 700 bytes"),
    ({"title.az": "   "}, "title.az", "title.az: missing or empty text"),
    ({"body.ru": "я" * 10_000}, "body.ru", "10000 characters, more than 4000"),
    ({"id": "Item One"}, "id", "must be lowercase letters"),
    ({"id": "item-2"}, "id", "is used twice"),
    ({"schedule.hours": "25:00-26:00"}, "schedule.hours", "not a time of day"),
    ({"icon": "f" * 64}, "icon", "f" * 64),
]


def test_an_edit_the_kiosk_would_refuse_is_not_saved(room: Room, tmp_path: Path) -> None:
    publish(room, simple_source(tmp_path / "v1", count=3), 1)
    before = room.copies.current("main")
    for change, field, says in REFUSED:
        fields = form_of(before.item("services", "item-1"), **change)
        with pytest.raises(EditRefused) as refused:
            room.copies.put_item(
                "main", "services", "item-1", service_from_form(fields, [], [], []), by="ops"
            )
        placed = [p for p in refused.value.problems if p.field == field]
        assert placed and says in placed[0].detail, refused.value.problems
        assert room.copies.current("main").document == before.document


def test_an_unknown_centre_or_weekday_is_refused_by_the_form(room: Room, tmp_path: Path) -> None:
    publish(room, simple_source(tmp_path / "v1", count=1), 1)
    fields = form_of(room.copies.current("main").item("services", "item-0"))
    with pytest.raises(EditRefused) as refused:
        service_from_form(fields, ["baku-1", "atlantis"], ["1", "8"], ["baku-1", "ganja"])
    assert [(p.field, p.code, p.detail) for p in refused.value.problems] == [
        ("centres", "centre_unknown", "atlantis"),
        ("schedule.weekdays", "weekday_bad", "8"),
    ]
    targeted = service_from_form(
        {**fields, "schedule.hours": "09:00-18:00"}, ["ganja"], ["1", "5"], ["baku-1", "ganja"]
    )
    saved = room.copies.put_item("main", "services", "item-0", targeted, by="ops").item("services", "item-0")
    assert saved["centres"] == ["ganja"] and saved["schedule"] == {"hours": "09:00-18:00", "weekdays": [1, 5]}


def test_services_move_and_delete_and_a_media_of_the_wrong_kind_is_refused(
    room: Room, tmp_path: Path
) -> None:
    publish(room, simple_source(tmp_path / "v1", count=3), 1)
    copies = room.copies
    assert [
        s["id"] for s in copies.move_item("main", "services", "item-2", -1, by="ops").items("services")
    ] == [
        "item-0",
        "item-2",
        "item-1",
    ]
    copies.move_item("main", "services", "item-0", -1, by="ops")  # already first: stays
    moved = copies.delete_item("main", "services", "item-1", by="ops")
    assert [s["id"] for s in moved.items("services")] == ["item-0", "item-2"]

    icons = media_choices(room.central, "main", "image")
    assert len(icons) == 3 and all("SVG" in label for _sha, label in icons)
    assert media_choices(room.central, "main", "video") == []
    video = {"id": "campaign", "file": icons[0][0], "title": {"az": "a", "en": "b", "ru": "c"}}
    with pytest.raises(EditRefused) as refused:
        copies.put_item("main", "videos", None, video, by="ops")
    assert [(p.field, p.code) for p in refused.value.problems] == [("file", "media_wrong_kind")]


def test_propose_makes_a_content_draft_that_reopens_supersedes_and_discards(
    room: Room, tmp_path: Path
) -> None:
    publish(room, simple_source(tmp_path / "v1", count=2), 1)
    copies, drafting = room.copies, room.central.drafting
    copies.delete_item("main", "services", "item-0", by="ops")
    with pytest.raises(EditRefused):
        copies.propose("main", "   ", by="ops")
    first = copies.propose("main", "Remove item 0", by="ops")
    [draft] = room.central.drafts("main")
    assert (draft["id"], draft["kind"], draft["release"]) == (first, "content", 2)
    assert draft["params"] == {"note": "Remove item 0", "base_release": 1, "replaces": None}
    manifest = parse_manifest(base64.b64decode(draft["manifest"]))
    assert [s["id"] for s in manifest.content["services"]] == ["item-1"] and len(manifest.blobs) == 1

    copies.reset("main", by="ops")
    assert not copies.current("main").changed
    reopened = copies.open_draft("main", first, by="ops")
    assert reopened.draft_id == first and [s["id"] for s in reopened.items("services")] == ["item-1"]
    copies.move_item("main", "services", "item-1", 1, by="ops")
    copies.put_item(
        "main", "services", None, {**reopened.item("services", "item-1"), "id": "item-9"}, by="ops"
    )
    second = copies.propose("main", "Remove item 0, add item 9", by="ops")
    [pending] = room.central.drafts("main")
    assert pending["id"] == second and pending["release"] == 2 and pending["params"]["replaces"] == first
    statuses = {d["id"]: d["status"] for d in room.central.drafts("main", pending_only=False)}
    assert statuses == {first: "superseded", second: "pending"}

    drafting.discard("main", second, by="ops")
    assert room.central.drafts("main") == []
    with pytest.raises(Conflict):
        drafting.discard("main", second, by="ops")
    with pytest.raises(Conflict):
        copies.open_draft("main", second, by="ops")
    assert room.central.drafts("main", pending_only=False)[-1]["status"] == "discarded"


def test_a_save_racing_another_is_refused_and_the_other_save_kept(room: Room, tmp_path: Path) -> None:
    """Between reading the copy and writing it back, another admin's save lands: the write is a
    compare-and-set, so the first save is refused (Stale) instead of silently undoing the second."""
    publish(room, simple_source(tmp_path / "v1", count=3), 1)
    central = room.central
    before = room.copies.current("main")
    armed: list[bool] = []

    def clock() -> datetime:
        if armed:  # the racing save is checked against the parser now: the other one lands meanwhile
            armed.clear()
            room.copies.move_item("main", "services", "item-2", -1, by="bob", since=before.revision)
        return datetime.now(UTC)

    racing = WorkingCopies(
        central.database,
        central.publishing,
        central.drafting,
        clock,
        lambda channel: channel_blobs(central, channel),
    )
    item = before.item("services", "item-0")
    armed.append(True)
    with pytest.raises(Stale) as stale:
        racing.put_item(
            "main",
            "services",
            "item-0",
            service_from_form(form_of(item, **{"title.en": "Alice"}), [], [], []),
            by="alice",
            since=before.revision,
        )
    assert stale.value.copy.updated_by == "bob" and stale.value.copy.revision != before.revision
    after = room.copies.current("main")
    assert [s["id"] for s in after.items("services")] == ["item-0", "item-2", "item-1"]
    assert after.item("services", "item-0")["title"]["en"] != "Alice"
    with pytest.raises(Stale):  # and a form drawn before either save is refused too
        room.copies.delete_item("main", "services", "item-1", by="carol", since=before.revision)


def test_a_proposed_copy_follows_its_draft_rebuilt_on_a_newer_release(room: Room, tmp_path: Path) -> None:
    publish(room, simple_source(tmp_path / "v1", count=2), 1)
    copies, central = room.copies, room.central
    copies.delete_item("main", "services", "item-0", by="editor")
    edited = copies.propose("main", "Remove item 0", by="editor")
    opened = copies.current("main")  # an editor page drawn before the approval
    now = datetime.now(UTC).replace(microsecond=0)
    texts = {"az": "Bu gün 17:00-dək", "en": "Until 17:00 today", "ru": "Сегодня до 17:00"}
    notice = central.propose_announcement("main", texts, starts=now, ends=now + timedelta(hours=2), by="ops")
    data = central.drafting.manifest_of("main", notice)
    assert central.approve("main", notice, sign(load_private_key(room.key), data), by="admin") == 3

    copy = copies.current("main")
    assert copy.draft_id == edited and copy.proposed and copy.base_release == 3  # the editor sees the merge
    assert [s["id"] for s in copy.items("services")] == ["item-1"]
    assert [a["text"] for a in copy.document["announcements"]] == [texts]
    assert copy.updated_by == "admin (release 3)" and copy.revision != opened.revision
    with pytest.raises(Stale) as stale:  # the page drawn before must not overwrite the rebuilt copy
        copies.move_item("main", "services", "item-1", 1, by="editor", since=opened.revision)
    assert stale.value.copy.updated_by == "admin (release 3)"


def test_a_copy_edited_from_an_older_release_is_proposed_onto_the_active_one(
    room: Room, tmp_path: Path
) -> None:
    """An editor who opened the copy before an announcement was approved proposes her change without
    taking the announcement off again: her edit is carried onto the active release."""
    publish(room, simple_source(tmp_path / "v1", count=2), 1)
    copies, central = room.copies, room.central
    copies.delete_item("main", "services", "item-0", by="editor")  # edited from release 1
    now = datetime.now(UTC).replace(microsecond=0)
    texts = {"az": "Bu gün 17:00-dək", "en": "Until 17:00 today", "ru": "Сегодня до 17:00"}
    notice = central.propose_announcement("main", texts, starts=now, ends=now + timedelta(hours=2), by="ops")
    data = central.drafting.manifest_of("main", notice)
    assert central.approve("main", notice, sign(load_private_key(room.key), data), by="admin") == 2
    assert copies.current("main").base_release == 1  # not proposed yet: the copy stays as edited

    proposed = copies.propose("main", "Remove item 0", by="editor")
    [draft] = central.drafts("main")
    assert draft["id"] == proposed and draft["release"] == 3 and draft["params"]["base_release"] == 2
    content = parse_manifest(base64.b64decode(draft["manifest"])).content
    assert [s["id"] for s in content["services"]] == ["item-1"]  # her change
    assert [a["text"] for a in content["announcements"]] == [texts]  # and the release since, kept
    copy = copies.current("main")
    assert copy.base_release == 2 and copy.draft_id == proposed and copy.document == content


def test_a_copy_whose_part_changed_in_a_newer_release_too_is_not_proposed(room: Room, tmp_path: Path) -> None:
    publish(room, simple_source(tmp_path / "v1", count=2), 1)
    copies, central = room.copies, room.central
    copies.delete_item("main", "services", "item-0", by="editor")
    publish(room, simple_source(tmp_path / "v2", count=3, tag="v2"), 2)  # a folder changed the services too
    with pytest.raises(EditRefused) as refused:
        copies.propose("main", "Remove item 0", by="editor")
    [problem] = refused.value.problems
    assert (problem.code, problem.detail) == ("propose_conflict", "services")
    assert central.drafts("main") == [] and copies.current("main").base_release == 1  # nothing changed
    shown = {lang: problem_message(problem, lang) for lang in ("az", "en")}
    assert "Xidmətlər" in shown["az"] and "Services" in shown["en"]


def approve_draft(room: Room, draft_id: int) -> int:
    data = room.central.drafting.manifest_of("main", draft_id)
    return room.central.approve("main", draft_id, sign(load_private_key(room.key), data), by="admin")


def test_after_its_draft_is_approved_the_copy_builds_on_that_release(room: Room, tmp_path: Path) -> None:
    """Edit, propose, the key holder approves, edit again, propose: the second draft is the first's
    release plus the new edit (not a clash with the copy's own first change)."""
    publish(room, simple_source(tmp_path / "v1", count=3), 1)
    copies, central = room.copies, room.central
    copies.delete_item("main", "services", "item-0", by="editor")
    first = copies.propose("main", "Remove item 0", by="editor")
    copies.delete_item("main", "services", "item-1", by="editor")  # a further edit while it waits
    assert approve_draft(room, first) == 2
    copy = copies.current("main")
    assert (copy.base_release, copy.draft_id, copy.changed) == (2, None, True)
    assert copy.updated_by == "admin (release 2)"

    second = copies.propose("main", "Remove item 1 too", by="editor")
    [draft] = central.drafts("main")
    assert draft["id"] == second and draft["params"]["base_release"] == 2
    assert [s["id"] for s in parse_manifest(base64.b64decode(draft["manifest"])).content["services"]] == [
        "item-2"
    ]


def test_a_copy_edited_after_proposing_keeps_its_edits_when_the_draft_is_rebuilt(
    room: Room, tmp_path: Path
) -> None:
    publish(room, simple_source(tmp_path / "v1", count=3), 1)
    copies, central = room.copies, room.central
    copies.delete_item("main", "services", "item-0", by="editor")
    edited = copies.propose("main", "Remove item 0", by="editor")
    document = copies.current("main").document  # then renames the channel, not yet proposed
    name = {**document["channel"]["name"], "en": "Green lobby"}
    copies.set_general("main", name, document.get("attract") or {}, by="editor")
    now = datetime.now(UTC).replace(microsecond=0)
    texts = {"az": "Bu gün 17:00-dək", "en": "Until 17:00 today", "ru": "Сегодня до 17:00"}
    notice = central.propose_announcement("main", texts, starts=now, ends=now + timedelta(hours=2), by="ops")
    assert approve_draft(room, notice) == 3  # the content draft waiting had number 2

    copy = copies.current("main")  # the draft was rebuilt on release 3, the copy carried with it
    assert copy.base_release == 3 and copy.draft_id == edited
    assert copy.document["channel"]["name"]["en"] == "Green lobby"  # the edit made after proposing
    assert [s["id"] for s in copy.items("services")] == ["item-1", "item-2"]  # the proposed change
    assert [a["text"] for a in copy.document["announcements"]] == [texts]  # the release since
