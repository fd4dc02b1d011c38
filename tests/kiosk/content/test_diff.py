"""The difference the signer reads: computed from manifests, every field in full, safe for a terminal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.content.diff import FieldChange, diff_releases, render_text
from kiosk.content.manifest import BlobInfo, Manifest, encode_manifest, parse_manifest
from tests.content_docs import document, service, text

CREATED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
VIDEO, POSTER, SUBS = "a" * 64, "b" * 64, "c" * 64
BLOBS = {
    VIDEO: BlobInfo(1_000_000, "video/mp4"),
    POSTER: BlobInfo(2048, "image/png"),
    SUBS: BlobInfo(90, "text/vtt"),
}


def manifest(release: int, content: dict[str, Any], days: int = 90) -> Manifest:
    data = encode_manifest(
        release=release, created=CREATED, expires=CREATED + timedelta(days=days), content=content, blobs=BLOBS
    )
    return parse_manifest(data)


def video(**extra: Any) -> dict[str, Any]:
    return {"id": "campaign", "file": VIDEO, "title": text("Campaign"), "subtitles": {"az": SUBS}, **extra}


def test_every_change_is_listed_with_its_full_values() -> None:
    before = manifest(4, document(videos=[video()]))
    changed = document(
        services=[
            service("two", schedule={"weekdays": [1, 2], "hours": "09:00-18:00"}),
            service("one", featured=True, url="https://example.net/" + "x" * 200),
        ],
        videos=[video(poster=POSTER, centres=["baku-1"])],
        announcements=[
            {"id": "power", "level": "emergency", "text": text("Power cut " * 20),
             "starts": "2026-03-02T09:00:00+04:00", "ends": "2026-03-02T18:00:00+04:00"}
        ],
    )  # fmt: skip
    changed["services"][0]["title"]["ru"] = "Новое название"
    after = manifest(5, changed, days=30)
    diff = diff_releases(before, after)
    by_item = {(c.table, c.item_id): c for c in diff.changes}
    assert by_item[("service", "one")].fields == (
        FieldChange("url", "https://www.e-gov.az/one", "https://example.net/" + "x" * 200),
    )
    two = {f.name: f for f in by_item[("service", "two")].fields}
    assert two["title.ru"] == FieldChange("title.ru", "Title two (ru)", "Новое название")
    assert two["schedule"] == FieldChange("schedule", "always", "weekdays 1,2 hours 09:00-18:00")
    assert {f.name: f.after for f in by_item[("video", "campaign")].fields} == {
        "poster": f"image/png, 2048 bytes, sha256 {POSTER}",
        "centres": "baku-1",
    }
    assert by_item[("services", "order")].fields == (FieldChange("order", "one, two", "two, one"),)
    added = by_item[("announcement", "power")]
    assert added.kind == "added" and ("text.ru", "Power cut (ru)") not in [
        (f.name, f.after) for f in added.fields
    ]
    assert {f.name: f.after for f in added.fields}["text.en"] == ("Power cut " * 20) + " (en)"
    release = {f.name: f for f in by_item[("release", "")].fields}
    assert (release["release"].before, release["release"].after) == ("4", "5")
    assert release["expires"].after == (CREATED + timedelta(days=30)).isoformat()

    shown = render_text(diff)
    assert "https://example.net/" + "x" * 200 in shown and ("Power cut " * 20) + " (ru)" in shown
    assert "subtitles.az: text/vtt, 90 bytes, sha256 " + SUBS not in shown  # unchanged: not repeated


def test_a_first_release_lists_everything_as_added() -> None:
    after = manifest(1, document(videos=[video()]))
    diff = diff_releases(None, after)
    assert diff.count("removed") == diff.count("changed") == 0
    assert {(c.table, c.item_id) for c in diff.changes} >= {
        ("service", "one"),
        ("service", "two"),
        ("video", "campaign"),
    }
    shown = render_text(diff)
    assert "nothing (the channel has no release yet)" in shown
    assert f"subtitles.az: text/vtt, 90 bytes, sha256 {SUBS}" in shown
    assert "body.ru: Body two (ru)" in shown


def test_a_release_in_the_history_says_it_is_compared_with_the_one_before_it() -> None:
    """approve compares with what the channel shows now; a release page with the release before it."""
    before, after = manifest(3, document()), manifest(4, document(videos=[video()]))
    diff = diff_releases(before, after)
    assert "Difference from what the channel shows now (release 3) to release 4:" in render_text(diff)
    history = render_text(diff, before_is_active=False)
    assert "Difference from the release published before it (release 3) to release 4:" in history
    assert "shows now" not in history
    assert "nothing (a first release)" in render_text(diff_releases(None, after), before_is_active=False)


def test_control_characters_cannot_hide_text_in_the_terminal() -> None:
    before = manifest(1, document())
    hostile = document()
    hostile["services"][0]["body"]["en"] = "Safe text\x1b[2K\rEVIL\u202eLINK\nsecond line"
    diff = diff_releases(before, manifest(2, hostile))
    shown = render_text(diff)
    assert "\x1b" not in shown and "\r" not in shown and "\u202e" not in shown
    assert "Safe text\\u001b[2K\\u000dEVIL\\u202eLINK\\nsecond line" in shown


def test_settings_entries_are_listed_by_their_kiosks_with_every_value() -> None:
    pin = "pbkdf2_sha256$200000$" + "1" * 32 + "$" + "2" * 64
    before = manifest(
        4,
        document(
            settings=[
                {"centres": ["baku-1"], "display": {"open_hours": "09:00-18:00", "language": "en"}},
                {"kiosks": ["lobby-2"], "admin": {"pin_hash": pin}},
            ]
        ),
    )
    after = manifest(
        5,
        document(
            settings=[
                {"centres": ["baku-1"], "display": {"open_hours": "10:00-17:00", "language": "en"}},
                {"display": {"open_weekdays": [1, 2, 3, 4, 5]}, "energy": {"source": "fronius"}},
            ]
        ),
    )
    diff = diff_releases(before, after)
    by_target = {(c.kind, c.item_id): c for c in diff.changes if c.table == "settings"}
    assert by_target[("changed", "for centres baku-1")].fields == (
        FieldChange("display.open_hours", '"09:00-18:00"', '"10:00-17:00"'),
    )
    assert [f.before for f in by_target[("removed", "for kiosks lobby-2")].fields] == [f'"{pin}"']
    added = by_target[("added", "for every kiosk")].fields
    assert [(f.name, f.after) for f in added] == [
        ("display.open_weekdays", "[1, 2, 3, 4, 5]"),
        ("energy.source", '"fronius"'),
    ]
    text_out = render_text(diff)
    assert "~ settings for centres baku-1 (changed)" in text_out
    assert 'was: "09:00-18:00"' in text_out and 'now: "10:00-17:00"' in text_out
    assert f'admin.pin_hash: "{pin}"' in text_out
    assert "+ settings for every kiosk (added)" in text_out
