"""The central server's HTTP API, over real HTTP on 127.0.0.1, on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.content.publish import load_release
from kiosk.content.remote import CentralClient, approve_drafts, publish_remote
from kiosk.content.signing import generate_keys, load_private_key, sign
from kiosk.errors import ContentError
from tests.central.conftest import Fleet
from tests.kiosk.content.channel import sha256, simple_source, svg


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def heartbeat(at: datetime, **values: Any) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "at": at.isoformat(), "app_version": "0.1.0", **values}


def published(fleet: Fleet, tmp_path: Path, count: int = 3, tag: str = "v1") -> Path:
    source = simple_source(tmp_path / f"source-{tag}", count=count, tag=tag)
    client = CentralClient(fleet.server.channel_url(), fleet.admin_token)
    publish_remote(source, fleet.key, client)
    return source


def test_publish_uploads_only_missing_blobs_and_serves_the_static_channel(
    any_fleet: Fleet, tmp_path: Path
) -> None:
    client = CentralClient(any_fleet.server.channel_url(), any_fleet.admin_token)
    source = simple_source(tmp_path / "source", count=3)
    first = publish_remote(source, any_fleet.key, client)
    assert (first.release, first.blobs_uploaded, first.blobs_total) == (1, 3, 3)
    (source / "icons" / "item-1.svg").write_bytes(svg("item 1 v2"))
    second = publish_remote(source, any_fleet.key, client)
    assert (second.release, second.blobs_uploaded, second.bytes_uploaded) == (2, 1, len(svg("item 1 v2")))

    base = any_fleet.server.channel_url()
    manifest = requests.get(f"{base}/manifest.json", timeout=5)
    assert manifest.status_code == 200 and json.loads(manifest.content)["release"] == 2
    assert "etag" in manifest.headers and "last-modified" in manifest.headers
    again = requests.get(
        f"{base}/manifest.json", headers={"If-None-Match": manifest.headers["etag"]}, timeout=5
    )
    assert again.status_code == 304
    sha = sha256(svg("item 1 v2"))
    part = requests.get(f"{base}/blobs/{sha}", headers={"Range": "bytes=5-"}, timeout=5)
    assert part.status_code == 206 and part.content == svg("item 1 v2")[5:]
    releases = requests.get(client.channel.api("releases"), headers=auth(any_fleet.admin_token), timeout=5)
    assert [r["release"] for r in releases.json()["releases"]] == [2, 1]


def test_the_server_refuses_what_a_kiosk_would_refuse(any_fleet: Fleet, tmp_path: Path) -> None:
    client = CentralClient(any_fleet.server.channel_url(), any_fleet.admin_token)
    source = simple_source(tmp_path / "source", count=2)
    publish_remote(source, any_fleet.key, client)
    data = (any_fleet.server.data / "channels" / "main" / "manifest.json").read_bytes()
    doc = json.loads(data)

    other_key, _ = generate_keys(tmp_path / "other")
    doc["release"] = 2
    newer = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(ContentError, match="422: manifest signature does not verify"):
        client.publish_signed(newer, sign(load_private_key(other_key), newer))
    key = load_private_key(any_fleet.key)
    with pytest.raises(ContentError, match="409: release 1 is not newer than the active release 1"):
        client.publish_signed(data, sign(key, data))
    doc["blobs"][sha256(b"never uploaded")] = {"size": 14, "type": "image/svg+xml"}
    doc["content"]["services"][0]["icon"] = sha256(b"never uploaded")
    missing = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(ContentError, match="409: 1 blobs are not uploaded yet"):
        client.publish_signed(missing, sign(key, missing))
    assert client.active_release() == 1


def test_uploads_are_checked_bounded_and_never_become_paths(any_fleet: Fleet) -> None:
    api = CentralClient(any_fleet.server.channel_url(), any_fleet.admin_token).channel.api
    headers = auth(any_fleet.admin_token)
    body = b"some blob"
    wrong = requests.put(api("blobs", sha256(b"other")), data=body, headers=headers, timeout=5)
    assert wrong.status_code == 400 and "hashes to" in wrong.json()["error"]
    big = b"x" * (8 << 20 | 1)  # the test server allows 8 MB
    over = requests.put(api("blobs", sha256(big)), data=big, headers=headers, timeout=30)
    assert over.status_code == 413
    for name in ("..%2F..%2Fcentral.db", "not-a-sha", "A" * 64):
        bad = requests.put(api("blobs", name), data=body, headers=headers, timeout=5)
        assert bad.status_code in (400, 404), name
    blobs = any_fleet.server.data / "channels" / "main" / "blobs"
    assert [p.name for p in blobs.iterdir() if not p.name.startswith(".")] == []
    traversal = requests.get(f"{any_fleet.server.url}/channels/main/..%2F..%2Fcentral.db", timeout=5)
    assert traversal.status_code == 404
    ok = requests.put(api("blobs", sha256(body)), data=body, headers=headers, timeout=5)
    assert ok.status_code == 201 and (blobs / sha256(body)).read_bytes() == body


def test_every_endpoint_needs_the_right_token(any_fleet: Fleet) -> None:
    url = any_fleet.server.url
    kiosk_token = any_fleet.kiosk_tokens["baku-1-lobby"]
    admin_only = [
        ("POST", "/api/channels/main/missing"),
        ("PUT", f"/api/channels/main/blobs/{sha256(b'x')}"),
        ("POST", "/api/channels/main/releases"),
        ("GET", "/api/channels/main/releases"),
        ("GET", "/api/channels/main/releases/1/manifest"),
        ("POST", "/api/channels/main/rollback"),
        ("GET", "/api/channels/main/drafts"),
        ("POST", "/api/channels/main/drafts/1/signature"),
        ("GET", "/api/kiosks"),
        ("GET", "/api/kiosks/ganja-lobby"),
        ("POST", "/api/kiosks/ganja-lobby/screenshot-request"),
        ("GET", "/api/kiosks/ganja-lobby/screenshot.png"),
    ]
    kiosk_only = [("POST", "/api/kiosk/reports"), ("PUT", "/api/kiosk/screenshot")]
    any_token = [("GET", "/api/network"), ("GET", "/channels/main/events")]
    for method, path in admin_only + kiosk_only + any_token:
        for headers in ({}, auth("gka_wrong"), auth("gkk_wrong"), {"Authorization": "Basic eA=="}):
            response = requests.request(method, url + path, headers=headers, timeout=5)
            assert response.status_code == 401, (method, path, headers)
    for method, path in admin_only:
        response = requests.request(method, url + path, headers=auth(kiosk_token), timeout=5)
        assert response.status_code == 403, (method, path)
    for method, path in kiosk_only:
        response = requests.request(method, url + path, headers=auth(any_fleet.admin_token), timeout=5)
        assert response.status_code == 403, (method, path)


def test_heartbeats_are_idempotent_and_a_kiosk_reports_only_as_itself(any_fleet: Fleet) -> None:
    url = f"{any_fleet.server.url}/api/kiosk/reports"
    now = datetime.now(UTC).replace(microsecond=0)
    beats = [heartbeat(now - timedelta(minutes=1), release=1), heartbeat(now, release=2, power_w=1500.0)]
    events = [
        {"id": uuid.uuid4().hex, "at": now.isoformat(), "kind": "section", "section": "video",
         "seconds": 42.5, "language": "az"},
    ]  # fmt: skip
    body = {"heartbeats": beats, "events": events, "kiosk": "ganja-lobby"}  # "kiosk" is ignored
    token = auth(any_fleet.kiosk_tokens["baku-1-lobby"])
    first = requests.post(url, json=body, headers=token, timeout=5).json()
    assert first["accepted"] == {"heartbeats": 2, "events": 1} and first["duplicates"] == 0
    second = requests.post(url, json=body, headers=token, timeout=5).json()
    assert second["accepted"] == {"heartbeats": 0, "events": 0} and second["duplicates"] == 3
    fleet = requests.get(f"{any_fleet.server.url}/api/kiosks", headers=auth(any_fleet.admin_token), timeout=5)
    rows = {row["id"]: row for row in fleet.json()["kiosks"]}
    assert rows["baku-1-lobby"]["release"] == 2 and rows["baku-1-lobby"]["power_w"] == 1500.0
    assert rows["baku-1-lobby"]["silent"] is False
    assert rows["ganja-lobby"]["last_seen"] is None and rows["ganja-lobby"]["new"] is True
    assert rows["ganja-lobby"]["silent"] is False  # enrolled moments ago: new, not silent
    detail = requests.get(
        f"{any_fleet.server.url}/api/kiosks/baku-1-lobby", headers=auth(any_fleet.admin_token), timeout=5
    ).json()
    assert len(detail["history"]) == 2
    assert detail["events"] == [
        {"kind": "section", "section": "video", "language": "az", "count": 1, "seconds": 42.5}
    ]
    bad = requests.post(url, json={"heartbeats": [{"at": now.isoformat()}]}, headers=token, timeout=5)
    assert bad.status_code == 400 and "id" in bad.json()["error"]


def test_network_totals_count_each_centre_once(any_fleet: Fleet) -> None:
    central = any_fleet.central
    third = central.add_kiosk("baku-1-hall", "baku-1", "main")
    now = datetime.now(UTC)
    reading = {"power_w": 2000.0, "energy_today_wh": 5000.0, "energy_total_wh": 9e6}
    for token in (any_fleet.kiosk_tokens["baku-1-lobby"], third):  # two kiosks, one plant
        beat = heartbeat(now, reading_at=now.isoformat(), **reading)
        requests.post(
            f"{any_fleet.server.url}/api/kiosk/reports",
            json={"heartbeats": [beat]},
            headers=auth(token),
            timeout=5,
        ).raise_for_status()
    stale = heartbeat(now, reading_at=(now - timedelta(hours=2)).isoformat(), power_w=700.0,
                      energy_today_wh=100.0, energy_total_wh=1e6)  # fmt: skip
    requests.post(
        f"{any_fleet.server.url}/api/kiosk/reports",
        json={"heartbeats": [stale]},
        headers=auth(any_fleet.kiosk_tokens["ganja-lobby"]),
        timeout=5,
    ).raise_for_status()
    totals = requests.get(
        f"{any_fleet.server.url}/api/network", headers=auth(any_fleet.kiosk_tokens["ganja-lobby"]), timeout=5
    ).json()
    assert totals["centres"] == 2 and totals["kiosks"] == 3
    assert totals["power_w"] == 2000.0  # Ganja's reading is two hours old: no power now
    assert totals["energy_total_wh"] == 9e6 + 1e6

    later = datetime.now(UTC)  # Ganja's kiosk restarted: its first heartbeat has no lifetime read yet
    requests.post(
        f"{any_fleet.server.url}/api/kiosk/reports",
        json={"heartbeats": [heartbeat(later, reading_at=later.isoformat(), power_w=0.0)]},
        headers=auth(any_fleet.kiosk_tokens["ganja-lobby"]),
        timeout=5,
    ).raise_for_status()
    again = requests.get(
        f"{any_fleet.server.url}/api/network", headers=auth(any_fleet.kiosk_tokens["ganja-lobby"]), timeout=5
    ).json()
    assert again["energy_total_wh"] == 9e6 + 1e6  # its lifetime so far still counts: no dip


def test_rollback_is_a_draft_only_the_admins_key_can_publish(any_fleet: Fleet, tmp_path: Path) -> None:
    client = CentralClient(any_fleet.server.channel_url(), any_fleet.admin_token)
    published(any_fleet, tmp_path, count=2, tag="v1")
    published(any_fleet, tmp_path, count=3, tag="v2")
    draft = client.propose_rollback(1)
    [pending] = client.drafts()
    assert pending["id"] == draft and pending["kind"] == "rollback"
    assert client.active_release() == 2  # nothing changes before the key signs it
    other_key, _ = generate_keys(tmp_path / "other")
    data = base64.b64decode(pending["manifest"])
    with pytest.raises(ContentError, match="422"):
        client.approve(draft, sign(load_private_key(other_key), data), data)
    shown: list[str] = []
    assert approve_drafts(client, any_fleet.key, show=shown.append) == [3]
    assert "- service item-2 (removed)" in "\n".join(shown)  # computed from the signed bytes
    served = json.loads((any_fleet.server.data / "channels" / "main" / "manifest.json").read_bytes())
    assert served["release"] == 3 and len(served["content"]["services"]) == 2
    assert client.drafts() == []


def test_a_console_announcement_becomes_a_signed_release(any_fleet: Fleet, tmp_path: Path) -> None:
    published(any_fleet, tmp_path, count=2)
    now = datetime.now(UTC).replace(microsecond=0)
    texts = {
        "az": "Mərkəz bu gün 17:00-dək işləyir",
        "en": "Open until 17:00 today",
        "ru": "Сегодня до 17:00",
    }
    any_fleet.central.propose_announcement("main", texts, starts=now, ends=now + timedelta(hours=5), by="ops")
    client = CentralClient(any_fleet.server.channel_url(), any_fleet.admin_token)
    assert approve_drafts(client, any_fleet.key, show=lambda _line: None) == [2]
    served = json.loads((any_fleet.server.data / "channels" / "main" / "manifest.json").read_bytes())
    [announcement] = served["content"]["announcements"]
    assert announcement["text"] == texts and len(served["content"]["services"]) == 2


def test_push_tells_a_connected_kiosk_of_a_new_release(any_fleet: Fleet, tmp_path: Path) -> None:
    token = any_fleet.kiosk_tokens["baku-1-lobby"]
    with requests.get(
        f"{any_fleet.server.channel_url()}/events", headers=auth(token), stream=True, timeout=10
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines(decode_unicode=True)
        releases: list[int] = []

        def next_release() -> int:
            for line in lines:
                if line.startswith("data: "):
                    return int(json.loads(line[6:])["release"])
            raise AssertionError("stream ended")

        releases.append(next_release())
        published(any_fleet, tmp_path, count=1)
        releases.append(next_release())
    assert releases == [0, 1]


def test_the_source_publishes_the_same_bytes_to_a_folder_and_to_the_server(
    fleet: Fleet, tmp_path: Path
) -> None:
    from kiosk.content.publish import publish

    source = simple_source(tmp_path / "source", count=3)
    moment = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    publish(source, fleet.key, str(tmp_path / "folder"), now=moment)
    publish_remote(
        source, fleet.key, CentralClient(fleet.server.channel_url(), fleet.admin_token), now=moment
    )
    served = fleet.server.data / "channels" / "main"
    for name in ("manifest.json", "manifest.json.sig"):
        assert (served / name).read_bytes() == (tmp_path / "folder" / name).read_bytes()
    assert sorted(load_release(source).blobs) == sorted(p.name for p in (served / "blobs").iterdir())
