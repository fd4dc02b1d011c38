"""No work lost between a content folder and the console: ``kioskctl pull`` and the check before a folder
publish, against a real central server on 127.0.0.1 driven through the real ``kioskctl`` commands."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from central.console import superseded_reason
from central.console_text import TEXTS
from kiosk.cli import main as kioskctl
from kiosk.content.manifest import parse_manifest
from kiosk.content.remote import CentralClient, approve_drafts
from kiosk.errors import ContentError
from tests.central.conftest import Fleet
from tests.central.test_console import PASSWORD, log_in
from tests.conftest import REPO_ROOT
from tests.kiosk.content.channel import PNG, svg

NOTICE = {"az": "Təkrar emal həftəsi", "en": "Recycling week", "ru": "Неделя переработки"}
CONTENT = """format = 1
[channel]
name = { az = "Yaşıl kanal", en = "Green channel", ru = "Зелёный канал" }

[[services]]
id = "tax-return"
category = "green"
featured = true
url = "https://www.e-gov.az/tax"
icon = "art/tax.svg"
image = "art/photo.png"
title = { az = "Vergi bəyannaməsi", en = "Tax return", ru = "Налоговая декларация" }
summary = { az = "Onlayn", en = "Online", ru = "Онлайн" }
body = { az = "Sətir 1\\nSətir 2", en = "Line 1\\nLine \\"2\\"", ru = "Строка 1\\nСтрока 2" }

[[services]]
id = "birth"
category = "green"
url = "https://www.e-gov.az/birth"
icon = "art/birth.svg"
title = { az = "Doğum", en = "Birth", ru = "Рождение" }
summary = { az = "Arayış", en = "Certificate", ru = "Справка" }
body = { az = "Mətn", en = "Text", ru = "Текст" }

[[videos]]
id = "campaign"
file = "clip.mp4"
poster = "art/photo.png"
title = { az = "Kampaniya", en = "Campaign", ru = "Кампания" }
subtitles = { az = "subs/az.vtt" }
"""


def folder_source(folder: Path, *, title_en: str = "Tax return") -> Path:
    folder.mkdir(parents=True)
    (folder / "content.toml").write_text(CONTENT.replace('"Tax return"', f'"{title_en}"'), "utf-8")
    files = {
        "art/tax.svg": svg("tax"),
        "art/birth.svg": svg("birth"),
        "art/photo.png": PNG + b"photo",
        "clip.mp4": b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8,
        "subs/az.vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\nSalam, dünya\n".encode(),
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def admin(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> CentralClient:
    monkeypatch.setenv("GREEN_KIOSK_ADMIN_TOKEN", fleet.admin_token)
    return CentralClient(fleet.server.channel_url(), fleet.admin_token)


def publish(fleet: Fleet, folder: Path, *extra: str) -> int:
    return kioskctl(
        ["publish", str(folder), "--to", fleet.server.channel_url(), "--key", str(fleet.key), *extra]
    )


def pull(fleet: Fleet, folder: Path, *extra: str) -> int:
    return kioskctl(
        ["pull", fleet.server.channel_url(), str(folder), "--key-pub", str(fleet.public_key), *extra]
    )


def announce(fleet: Fleet, client: CentralClient) -> str:
    """What the console does: an announcement draft, signed with kioskctl approve; returns its id."""
    now = datetime.now(UTC).replace(microsecond=0)
    fleet.central.propose_announcement(
        "main", NOTICE, starts=now, ends=now + timedelta(days=7), by="console:ops"
    )
    assert approve_drafts(client, fleet.key, show=lambda _line: None)
    [item] = json.loads(active_bytes(client))["content"]["announcements"]
    return str(item["id"])


def active_bytes(client: CentralClient) -> bytes:
    return client.release_files(client.active_release())[0]


def test_a_pulled_release_publishes_back_as_the_same_content_and_blobs(
    fleet: Fleet, admin: CentralClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish(fleet, folder_source(tmp_path / "src")) == 0
    announced = announce(fleet, admin)
    before = parse_manifest(active_bytes(admin))

    assert pull(fleet, tmp_path / "pulled") == 0
    assert "signature checked" in capsys.readouterr().out
    pulled = tmp_path / "pulled"
    text = (pulled / "content.toml").read_text("utf-8")
    assert announced in text and "Line 1" in text
    assert (pulled / "icons/tax-return.svg").read_bytes() == svg("tax")  # named by role, from the id
    assert (pulled / "videos/campaign.mp4").is_file() and (pulled / "subtitles/campaign.az.vtt").is_file()
    assert kioskctl(["validate", str(pulled)]) == 0

    assert publish(fleet, pulled) == 0  # a fresh pull: nothing to warn about, nothing asked
    after = parse_manifest(active_bytes(admin))
    assert after.release == before.release + 1
    assert after.content == before.content and after.blobs == before.blobs


def test_a_tampered_blob_is_refused_and_nothing_is_written(
    fleet: Fleet, admin: CentralClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish(fleet, folder_source(tmp_path / "src")) == 0
    photo = hashlib.sha256(PNG + b"photo").hexdigest()
    blob = fleet.central.publishing.channel_dir("main") / "blobs" / photo
    blob.write_bytes(b"\x89PNG\r\n\x1a\n" + b"X" * (blob.stat().st_size - 8))  # same size, other bytes

    assert pull(fleet, tmp_path / "pulled") == 1
    assert "other bytes than the manifest names" in capsys.readouterr().err
    assert not (tmp_path / "pulled").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no staging left

    other = tmp_path / "other.pub"
    other.write_bytes(fleet.public_key.read_bytes().replace(b"A", b"B", 1))
    assert kioskctl(["pull", fleet.server.channel_url(), str(tmp_path / "p2"), "--key-pub", str(other)]) == 1
    assert not (tmp_path / "p2").exists()


def test_pull_refuses_a_folder_that_is_not_empty_without_force(
    fleet: Fleet, admin: CentralClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish(fleet, folder_source(tmp_path / "src")) == 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", "utf-8")
    assert pull(fleet, mine) == 1
    assert "--force" in capsys.readouterr().err and not (mine / "content.toml").exists()
    assert pull(fleet, mine, "--force") == 0
    assert (mine / "notes.txt").read_text("utf-8") == "keep me" and (mine / "content.toml").is_file()


def test_a_folder_publish_over_a_console_announcement_is_refused_and_names_it(
    fleet: Fleet, admin: CentralClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = folder_source(tmp_path / "src")
    assert publish(fleet, source) == 0
    announced = announce(fleet, admin)
    pending = fleet.central.propose_rollback("main", 1, by="console:ops")
    capsys.readouterr()

    assert publish(fleet, source) == 1  # no terminal to ask in (pytest's stdin), no --replace
    out, err = capsys.readouterr()
    assert f"removes announcement {announced}" in out and "Recycling week" in out
    assert f"draft {pending}: rollback" in out and "console:ops" in out
    assert "run kioskctl pull first, or --replace" in err
    assert admin.active_release() == 2  # nothing published

    assert publish(fleet, source, "--replace", "--note", "from the folder") == 0
    assert "drafts above are marked superseded" in capsys.readouterr().out
    assert admin.active_release() == 3 and "announcements" not in json.loads(active_bytes(admin))["content"]
    [draft] = fleet.central.drafts("main", pending_only=False)[-1:]
    assert draft["id"] == pending and draft["status"] == "superseded"
    assert draft["superseded_by"] == {"release": 3, "by": "admin", "note": "from the folder"}

    fleet.central.accounts.add_user("admin", PASSWORD)
    browser = log_in(fleet)
    browser.cookies.set("gk_lang", "en", path="/console")
    page = browser.get(f"{fleet.server.url}/console/channels/main", timeout=10).text
    assert TEXTS["en"]["drafts_superseded_title"] in page and f"Draft {pending} → release" in page
    assert "Release 3 (by admin) replaced the content this draft was made from" in page
    assert "The release&#39;s note: from the folder" in page


def test_a_fresh_pull_with_edits_publishes_without_a_question(
    fleet: Fleet, admin: CentralClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish(fleet, folder_source(tmp_path / "src")) == 0
    announce(fleet, admin)
    pulled = tmp_path / "pulled"
    assert pull(fleet, pulled) == 0
    toml = pulled / "content.toml"
    toml.write_text(toml.read_text("utf-8").replace('"Tax return"', '"Tax return 2026"'), "utf-8")
    capsys.readouterr()
    assert publish(fleet, pulled) == 0
    assert "replaces" not in capsys.readouterr().out
    content = json.loads(active_bytes(admin))["content"]
    assert content["services"][0]["title"]["en"] == "Tax return 2026" and content["announcements"]

    stale = folder_source(tmp_path / "stale", title_en="Tax return (old)")  # never pulled, no record
    assert publish(fleet, stale) == 1
    out = capsys.readouterr().out
    assert "changes service tax-return" in out and "title.en: Tax return 2026" in out


def test_superseded_reason_without_a_kept_release_still_says_why() -> None:
    from central.console import Formats

    formats = Formats("az", datetime.now(UTC))
    assert superseded_reason({"superseded_by": None}, formats) == TEXTS["az"]["draft_superseded_unknown"]


def test_every_kind_of_release_lists_its_note_author_and_difference(
    fleet: Fleet, admin: CentralClient, tmp_path: Path
) -> None:
    assert publish(fleet, folder_source(tmp_path / "src"), "--note", "Yaz məzmunu") == 0  # folder: 1
    announce(fleet, admin)  # an approved console draft: 2
    fleet.central.propose_settings("main", [{"centres": ["baku-1"]}], target="baku-1", by="console:it")
    assert approve_drafts(admin, fleet.key, show=lambda _line: None) == [3]  # settings draft: 3
    url, key = fleet.server.channel_url(), str(fleet.key)
    assert kioskctl(["rollback", url, "--release", "1", "--key", key, "--yes"]) == 0  # rollback: 4

    fleet.central.accounts.add_user("admin", PASSWORD)
    browser = log_in(fleet)
    browser.cookies.set("gk_lang", "en", path="/console")
    page = browser.get(f"{fleet.server.url}/console/channels/main", timeout=10).text
    rows = {n: page.split(f'id="release-{n}"')[1].split("</tr>")[0] for n in range(1, 5)}
    assert "Yaz məzmunu" in rows[1] and "first release" in rows[1]
    # A release that was a draft says what the draft was in the reader's language.
    assert "Announcement (information) until" in rows[2] and "(proposed by console:ops)" in rows[2]
    assert "1 announcement added" in rows[2]
    assert "Settings for baku-1" in rows[3] and "(proposed by console:it)" in rows[3]
    assert "1 kiosk settings entry added" in rows[3]
    assert "Rollback to the content of release 1 (proposed by admin)" in rows[4]
    assert "1 announcement removed" in rows[4] and "1 kiosk settings entry removed" in rows[4]
    assert all(re.search(r"<td[^>]*>admin</td>", row) for row in rows.values())  # who signed and published
    detail = browser.get(f"{fleet.server.url}/console/channels/main/releases/4", timeout=10).text
    assert "- announcement" in detail and "Recycling week" in detail


def test_a_typed_yes_in_a_terminal_publishes_over_what_is_listed(
    fleet: Fleet, admin: CentralClient, tmp_path: Path
) -> None:
    source = folder_source(tmp_path / "src")
    assert publish(fleet, source) == 0
    announced = announce(fleet, admin)
    controller, terminal = os.openpty()
    try:
        os.write(controller, b"yes\n")
        done = subprocess.run(
            [sys.executable, "-m", "kiosk.cli", "publish", str(source), "--to", fleet.server.channel_url(),
             "--key", str(fleet.key)],
            stdin=terminal, capture_output=True, text=True, timeout=60, cwd=REPO_ROOT,
            env={**os.environ, "GREEN_KIOSK_ADMIN_TOKEN": fleet.admin_token},
        )  # fmt: skip
    finally:
        os.close(terminal)
        os.close(controller)
    assert done.returncode == 0, done.stderr
    assert f"removes announcement {announced}" in done.stdout and "Type yes to publish" in done.stdout
    assert admin.active_release() == 3


def test_a_blob_still_arriving_at_its_deadline_is_given_up(
    fleet: Fleet, admin: CentralClient, tmp_path: Path
) -> None:
    assert publish(fleet, folder_source(tmp_path / "src")) == 0
    sha = hashlib.sha256(PNG + b"photo").hexdigest()
    size = len(PNG + b"photo")
    admin.fetch_blob(sha, size, tmp_path / "on-time", deadline=time.monotonic() + 60)
    with pytest.raises(ContentError, match="deadline"):
        admin.fetch_blob(sha, size, tmp_path / "late", deadline=time.monotonic() - 1)
