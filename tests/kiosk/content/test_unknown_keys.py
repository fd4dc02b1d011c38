"""A misspelt key anywhere in content is refused with its place, not silently ignored.

``untill`` in a schedule would otherwise show an item forever; ``centers`` would show it in every centre.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main as kioskctl
from kiosk.content.model import parse_content
from kiosk.content.publish import publish
from kiosk.content.sync import INSTALLED, REJECTED
from kiosk.errors import ContentError
from tests.conftest import FakeClock
from tests.content_docs import document, service, text
from tests.kiosk.content.channel import (
    ChannelServer,
    card,
    forged_manifest,
    sign_raw,
    simple_source,
    svg,
    write_source,
)
from tests.kiosk.content.kiosk_sync import active, make_sync, open_kiosk_store

VIDEO = {"id": "clip", "file": "clip.mp4", "title": text("Clip")}
ANNOUNCEMENT = {
    "id": "note",
    "text": text("Note"),
    "starts": "2026-03-21T09:00:00+04:00",
    "ends": "2026-03-22T09:00:00+04:00",
}


def _services(**extra: Any) -> dict[str, Any]:
    return document(services=[service("one"), service("two"), service("three", **extra)])


CASES: list[tuple[dict[str, Any], str]] = [
    (_services(centers=["baku-1"]), "services[2]: unknown key 'centers' (known: id, category,"),
    (
        _services(schedule={"from": "2026-01-01", "untill": "2026-02-01"}),
        "services[2].schedule: unknown key 'untill' (known: from, until, weekdays, hours)",
    ),
    (document(videos=[{**VIDEO, "postr": "p.png"}]), "videos[0]: unknown key 'postr'"),
    (
        document(videos=[{**VIDEO, "schedule": {"weekday": [1]}}]),
        "videos[0].schedule: unknown key 'weekday'",
    ),
    (
        document(videos=[{**VIDEO, "subtitles": {"de": "de.vtt"}}]),
        "videos[0].subtitles: unknown language 'de' (known: az, en, ru)",
    ),
    (
        document(announcements=[{**ANNOUNCEMENT, "levle": "emergency"}]),
        "announcements[0]: unknown key 'levle'",
    ),
    (document(attract={"video_secs": 10}), "attract: unknown key 'video_secs' (known: sequence,"),
    (
        document(channel={"name": text("Channel"), "logo": "x.png"}),
        "channel: unknown key 'logo' (known: name)",
    ),
    (_services(title={**text("T"), "fr": "Titre"}), "services[2].title: unknown language 'fr'"),
]


@pytest.mark.parametrize(("doc", "expected"), CASES, ids=[expected.split(":")[0] for _d, expected in CASES])
def test_the_content_parser_names_every_misspelt_key_and_its_place(
    doc: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ContentError) as raised:
        parse_content(doc, release=1, origin="test")
    assert f"content: {expected}" in str(raised.value)


def test_validate_and_publish_refuse_a_misspelt_schedule_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keys: tuple[Path, Path], channel: Path
) -> None:
    source = write_source(
        tmp_path / "source",
        [card("one", schedule={"from": "2026-01-01", "untill": "2026-02-01"})],
        {"icons/one.svg": svg("one")},
    )
    assert kioskctl(["validate", str(source)]) == 1
    assert "content.toml: services[0].schedule: unknown key 'untill'" in capsys.readouterr().out
    with pytest.raises(ContentError, match="unknown key 'untill'"):
        publish(source, keys[0], str(channel))
    assert not (channel / "manifest.json").exists()


def test_sync_refuses_a_signed_release_with_a_misspelt_key(
    tmp_path: Path,
    channel: Path,
    keys: tuple[Path, Path],
    server: ChannelServer,
    clock: FakeClock,
    data_dir: Path,
) -> None:
    publish(simple_source(tmp_path / "source"), keys[0], str(channel), now=clock())
    store = open_kiosk_store(data_dir)
    sync = make_sync(store, data_dir, server.url, keys[1], clock)
    try:
        assert sync.sync_once().outcome == INSTALLED
        before = active(store)
        content = document(services=[service("evil", centers=["nowhere"])])
        data = forged_manifest(
            release=before.number + 1,
            created=clock(),
            expires=clock() + timedelta(days=1),
            content=content,
            blobs={},
        )
        sign_raw(channel, keys[0], data)
        result = sync.sync_once()
        assert result.outcome == REJECTED
        assert "services[0]: unknown key 'centers'" in result.message
        assert active(store) == before
    finally:
        sync.close()
        store.close()
