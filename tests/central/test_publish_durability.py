"""The served channel files and the database never disagree: a failed commit, a full disk, a crash.

Before, a release's manifest and signature were written into the served folder before its transaction
committed, so a commit that failed left kiosks offered a release the database did not know.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
import requests

from central.db import sqlite_url
from central.served_files import sweep_temporaries, temporary_folders
from kiosk.atomic_file import is_temporary, stage
from kiosk.content.manifest import parse_manifest
from kiosk.content.remote import CentralClient, publish_remote
from kiosk.content.signing import load_private_key, load_public_key, sign, verify
from kiosk.errors import ContentError
from tests.central.conftest import Fleet, make_fleet
from tests.central.server import PostgresCluster
from tests.central.test_console import PASSWORD, csrf_of, log_in
from tests.conftest import fill
from tests.kiosk.content.channel import PNG, sha256, simple_source

CHANNEL_FILES = ("manifest.json", "manifest.json.sig")


def client_of(fleet: Fleet) -> CentralClient:
    return CentralClient(fleet.server.channel_url(), fleet.admin_token)


def folder_of(fleet: Fleet) -> Path:
    return fleet.central.channels_dir / "main"


def served(fleet: Fleet) -> tuple[bytes, bytes]:
    folder = folder_of(fleet)
    return (folder / CHANNEL_FILES[0]).read_bytes(), (folder / CHANNEL_FILES[1]).read_bytes()


def database_release(fleet: Fleet, number: int) -> tuple[bytes, bytes]:
    return fleet.central.release_manifest("main", number), fleet.central.release_signature("main", number)


def next_release(fleet: Fleet, number: int, note: str = "") -> tuple[bytes, bytes]:
    """The served manifest renumbered ``number`` (same blobs), signed with the channel's key."""
    doc = json.loads(served(fleet)[0])
    doc["release"] = number
    doc["content"]["services"][0]["title"]["en"] = f"release {number} {note}"
    data = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    return data, sign(load_private_key(fleet.key), data)


def kiosk_fetch(fleet: Fleet) -> int:
    """What a kiosk does: fetch both files over HTTP, verify the signature, parse; the release number."""
    base = fleet.server.channel_url()
    manifest = requests.get(f"{base}/manifest.json", timeout=5)
    signature = requests.get(f"{base}/manifest.json.sig", timeout=5)
    assert manifest.status_code == signature.status_code == 200
    verify(load_public_key(fleet.public_key), manifest.content, signature.content)
    return parse_manifest(manifest.content).release


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if is_temporary(p) or p.name.startswith("upload-"))


@pytest.mark.parametrize(
    ("errcode", "status"), [("disk_full", 507), ("connection_failure", 503)], ids=["disk-full", "db-gone"]
)
def test_a_commit_the_database_refuses_leaves_the_active_release_served(
    tmp_path: Path, postgres: PostgresCluster | None, errcode: str, status: int
) -> None:
    if postgres is None:
        pytest.skip("PostgreSQL is not installed (scripts/bootstrap.sh dev installs it)")
    url = postgres.create_database(f"durability_{errcode}")
    fleet = make_fleet(tmp_path, url)
    try:
        publish_remote(simple_source(tmp_path / "source", count=1), fleet.key, client_of(fleet))
        first = served(fleet)
        # The real PostgreSQL refuses at COMMIT, as a full disk or a dying server would.
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = '{errcode}'; END $$"
            )
            connection.execute(
                "CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON releases "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        data, signature = next_release(fleet, 2)
        with pytest.raises(ContentError, match=rf"{status}: .*nothing was changed") as refused:
            client_of(fleet).publish_signed(data, signature)
        assert "Traceback" not in str(refused.value)
        assert served(fleet) == first and kiosk_fetch(fleet) == 1
        assert fleet.central.channel_release("main") == 1
        assert temporaries(folder_of(fleet)) == []

        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute("DROP TRIGGER refuse_at_commit ON releases")
        assert client_of(fleet).publish_signed(data, signature) == 2
        assert served(fleet) == (data, signature) and kiosk_fetch(fleet) == 2
    finally:
        fleet.server.close()


def test_a_full_disk_under_the_database_answers_507_and_keeps_serving(small_fs: Path) -> None:
    fleet = make_fleet(small_fs)  # the database, the channels and the uploads on one full disk
    try:
        publish_remote(simple_source(small_fs / "source", count=1), fleet.key, client_of(fleet))
        first = served(fleet)
        data, signature = next_release(fleet, 2)
        filler = fill(small_fs)
        with pytest.raises(ContentError, match=r"507: .*disk is full.*active release is still served"):
            client_of(fleet).publish_signed(data, signature)
        assert served(fleet) == first and kiosk_fetch(fleet) == 1
        assert temporaries(small_fs) == []
        filler.unlink()
        assert client_of(fleet).publish_signed(data, signature) == 2 and kiosk_fetch(fleet) == 2
    finally:
        fleet.server.close()


def test_a_full_channel_disk_refuses_releases_blobs_and_uploads_with_507(
    small_fs: Path, tmp_path: Path
) -> None:
    fleet = make_fleet(small_fs, sqlite_url(tmp_path / "central.db"))  # the database elsewhere
    try:
        fleet.central.accounts.add_user("admin", PASSWORD)
        browser = log_in(fleet)
        publish_remote(simple_source(small_fs / "source", count=1), fleet.key, client_of(fleet))
        first = served(fleet)
        data, signature = next_release(fleet, 2)
        media_url = f"{fleet.server.url}/console/channels/main/media"
        csrf = csrf_of(browser.get(media_url, timeout=5).text)
        filler = fill(small_fs)

        with pytest.raises(ContentError, match=r"507: release 2 of channel main: .*disk is full"):
            client_of(fleet).publish_signed(data, signature)
        assert fleet.central.channel_release("main") == 1
        blob = b"WEBVTT\n\n" + os.urandom(256 * 1024)
        put = requests.put(
            f"{fleet.server.url}/api/channels/main/blobs/{sha256(blob)}",
            data=blob,
            headers={"Authorization": f"Bearer {fleet.admin_token}"},
            timeout=10,
        )
        assert put.status_code == 507 and "disk is full" in put.json()["error"]
        uploaded = browser.post(
            media_url,
            data={"csrf": csrf, "kind": "subtitles"},
            files={"file": ("talk.vtt", blob, "application/octet-stream")},
            allow_redirects=False,
            timeout=10,
        )
        assert uploaded.status_code == 507 and "Serverin diski doludur" in uploaded.text
        screenshot = requests.put(
            f"{fleet.server.url}/api/kiosk/screenshot",
            data=PNG + os.urandom(256 * 1024),
            headers={"Authorization": f"Bearer {fleet.kiosk_tokens['baku-1-lobby']}"},
            timeout=10,
        )
        assert screenshot.status_code == 507 and "disk is full" in screenshot.json()["error"]

        assert not (folder_of(fleet) / "blobs" / sha256(blob)).exists()
        assert temporaries(small_fs) == []
        assert served(fleet) == first and kiosk_fetch(fleet) == 1

        filler.unlink()
        assert client_of(fleet).publish_signed(data, signature) == 2
        assert kiosk_fetch(fleet) == 2
        browser.close()
    finally:
        fleet.server.close()


def _older(fleet: Fleet) -> None:
    manifest, signature = database_release(fleet, 1)
    (folder_of(fleet) / "manifest.json").write_bytes(manifest)
    (folder_of(fleet) / "manifest.json.sig").write_bytes(signature)


def _deleted(fleet: Fleet) -> None:
    for name in CHANNEL_FILES:
        (folder_of(fleet) / name).unlink()


def _unknown(fleet: Fleet) -> None:
    """An older server version's leftover: a release it wrote but whose commit failed."""
    manifest, signature = next_release(fleet, 3, "never committed")
    (folder_of(fleet) / "manifest.json").write_bytes(manifest)
    (folder_of(fleet) / "manifest.json.sig").write_bytes(signature)


def _half(fleet: Fleet) -> None:
    """Killed between the two renames of an older version: the new signature, the old manifest."""
    (folder_of(fleet) / "manifest.json").write_bytes(database_release(fleet, 1)[0])


@pytest.mark.parametrize("damage", [_older, _deleted, _unknown, _half], ids=lambda f: f.__name__[1:])
def test_the_server_rewrites_served_files_from_the_database_at_start(
    fleet: Fleet, tmp_path: Path, damage: object, caplog: pytest.LogCaptureFixture
) -> None:
    source = simple_source(tmp_path / "source", count=1)
    publish_remote(source, fleet.key, client_of(fleet))
    data, signature = next_release(fleet, 2)
    client_of(fleet).publish_signed(data, signature)
    fleet.server.stop()
    damage(fleet)  # type: ignore[operator]
    assert served_or_none(fleet) != (data, signature)

    with caplog.at_level(logging.WARNING, logger="central.served_files"):
        fleet.server.start()
    assert served(fleet) == database_release(fleet, 2) == (data, signature)
    assert kiosk_fetch(fleet) == 2
    assert any("rewritten" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def served_or_none(fleet: Fleet) -> tuple[bytes | None, ...]:
    folder = folder_of(fleet)
    return tuple((folder / n).read_bytes() if (folder / n).exists() else None for n in CHANNEL_FILES)


def test_a_refused_publish_still_repairs_the_served_files(fleet: Fleet, tmp_path: Path) -> None:
    publish_remote(simple_source(tmp_path / "source", count=1), fleet.key, client_of(fleet))
    data, signature = next_release(fleet, 2)
    client_of(fleet).publish_signed(data, signature)
    _older(fleet)  # a crash after the commit, before the rename, without a restart since
    older, older_signature = database_release(fleet, 1)
    with pytest.raises(ContentError, match="409: release 1 is not newer than the active release 2"):
        client_of(fleet).publish_signed(older, older_signature)
    assert served(fleet) == (data, signature) and kiosk_fetch(fleet) == 2


def test_leftovers_of_a_killed_process_are_swept_once_stale(tmp_path: Path) -> None:
    channels, uploads = tmp_path / "channels", tmp_path / "uploads"
    blobs = channels / "main" / "blobs"
    blobs.mkdir(parents=True)
    uploads.mkdir()
    kept = [channels / "main" / "manifest.json", blobs / ("a" * 64)]
    for path in kept:
        path.write_bytes(b"served")
    # What a kill -9 leaves: a staged release and blob (never renamed), an upload being received.
    stage(channels / "main" / "manifest.json", b"staged")
    stage(blobs / ("b" * 64), b"half a blob")
    (uploads / "upload-x1y2").write_bytes(b"half an upload")
    folders = temporary_folders(channels, uploads)

    assert sweep_temporaries(folders) == 0  # fresh: maybe another server process's work in progress
    assert len(temporaries(tmp_path)) == 3
    assert sweep_temporaries(folders, older_than_s=0) == 3
    assert temporaries(tmp_path) == [] and all(path.read_bytes() == b"served" for path in kept)


def test_a_rename_that_fails_after_the_commit_is_answered_and_repaired_at_the_next_start(
    fleet: Fleet, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    publish_remote(simple_source(tmp_path / "source", count=1), fleet.key, client_of(fleet))
    manifest_file = folder_of(fleet) / "manifest.json"
    # An immutable manifest (an operator's chattr) makes the rename fail after the commit, as a crash
    # between the two renames would leave it: the new signature beside the old manifest.
    locked = subprocess.run(["chattr", "+i", str(manifest_file)], capture_output=True, text=True, check=False)
    if locked.returncode != 0:
        pytest.skip(f"cannot make a file immutable here (needs root on ext4/xfs): {locked.stderr.strip()}")
    try:
        data, signature = next_release(fleet, 2)
        with pytest.raises(ContentError, match="503: release 2 is saved, but the server could not put"):
            client_of(fleet).publish_signed(data, signature)
        assert fleet.central.channel_release("main") == 2
        assert manifest_file.read_bytes() == database_release(fleet, 1)[0]
        assert temporaries(folder_of(fleet)) == []
    finally:
        subprocess.run(["chattr", "-i", str(manifest_file)], check=True)
    fleet.server.stop()
    with caplog.at_level(logging.WARNING, logger="central.served_files"):
        fleet.server.start()
    assert served(fleet) == (data, signature) and kiosk_fetch(fleet) == 2
    assert any("differed from the database's active release 2" in r.getMessage() for r in caplog.records)
