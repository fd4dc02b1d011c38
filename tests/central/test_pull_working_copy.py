"""``kioskctl pull --working-copy``: the console's unsigned working copy written to a folder, against a real
central server on 127.0.0.1, and refused whole when a hostile server answers something a kiosk would not
take (a static server on 127.0.0.1 plays that server)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.cli import main as kioskctl
from kiosk.content import pull as pull_module
from kiosk.content.base_record import BASE_FILE, base_release
from kiosk.content.manifest import BLOBS_DIR, parse_manifest
from kiosk.content.remote import CentralClient
from tests.central.conftest import Fleet
from tests.central.test_api import auth
from tests.central.test_pull_publish import active_bytes, announce, folder_source, publish
from tests.kiosk.content.channel import ChannelServer


@pytest.fixture
def admin(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> CentralClient:
    monkeypatch.setenv("GREEN_KIOSK_ADMIN_TOKEN", fleet.admin_token)
    return CentralClient(fleet.server.channel_url(), fleet.admin_token)


def edit_title(fleet: Fleet, title_en: str) -> None:
    """What the console's service form does: one card's English title changed in the working copy."""
    copies = fleet.central.copies
    item = copy.deepcopy(copies.current("main").item("services", "tax-return"))
    item["title"]["en"] = title_en
    copies.put_item("main", "services", "tax-return", item, by="console:ops")


def pull_copy(url: str, folder: Path, *extra: str) -> int:
    return kioskctl(["pull", url, str(folder), "--working-copy", *extra])


def test_the_working_copy_is_pulled_unsigned_and_publishes_back_without_a_question(
    fleet: Fleet, admin: CentralClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish(fleet, folder_source(tmp_path / "src")) == 0
    edit_title(fleet, "Tax return, edited in the console")
    capsys.readouterr()

    pulled = tmp_path / "pulled"
    assert pull_copy(fleet.server.channel_url(), pulled) == 0
    out = capsys.readouterr().out
    assert "Not signed: the console's working copy as of " in out and "by console:ops" in out
    assert "taken from release 1" in out and "signature checked" not in out
    text = (pulled / "content.toml").read_text("utf-8")
    assert text.startswith("# NOT SIGNED: the console's working copy") and "edited in the console" in text
    assert base_release(pulled, fleet.server.channel_url()) == 1
    assert kioskctl(["validate", str(pulled)]) == 0

    assert publish(fleet, pulled) == 0  # its base is the active release: the console's edit is the change
    assert "replaces" not in capsys.readouterr().out
    after = parse_manifest(active_bytes(admin))
    assert after.release == 2
    assert after.content == fleet.central.copies.current("main").document


def test_a_release_made_after_the_pull_is_named_before_the_folder_replaces_it(
    fleet: Fleet, admin: CentralClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish(fleet, folder_source(tmp_path / "src")) == 0
    edit_title(fleet, "Tax return 2027")
    pulled = tmp_path / "pulled"
    assert pull_copy(fleet.server.channel_url(), pulled) == 0
    announced = announce(fleet, admin)  # release 2, approved after the pull
    capsys.readouterr()

    assert publish(fleet, pulled) == 1
    out = capsys.readouterr().out
    assert "since release 1" in out and f"removes announcement {announced}" in out
    assert "tax-return" not in out  # the console's own edit, pulled, is not a loss
    assert admin.active_release() == 2


def test_the_working_copy_answer_is_for_admins_only_and_may_predate_any_release(
    fleet: Fleet, admin: CentralClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{fleet.server.url}/api/channels/main/working-copy"
    assert requests.get(url, timeout=5).status_code == 401
    assert requests.get(url, headers=auth(fleet.kiosk_tokens["baku-1-lobby"]), timeout=5).status_code == 403
    missing = requests.get(url.replace("/main/", "/nope/"), headers=auth(fleet.admin_token), timeout=5)
    assert missing.status_code == 404
    answer = requests.get(url, headers=auth(fleet.admin_token), timeout=5).json()
    assert answer["base_release"] == 0 and answer["content"]["services"] == [] and answer["blobs"] == {}
    capsys.readouterr()
    assert pull_copy(fleet.server.channel_url(), tmp_path / "empty") == 0
    assert "started before the channel's first release" in capsys.readouterr().out
    assert base_release(tmp_path / "empty", fleet.server.channel_url()) is None  # no release to compare with


@pytest.fixture
def hostile(
    fleet: Fleet, admin: CentralClient, tmp_path: Path
) -> Iterator[tuple[ChannelServer, dict[str, Any]]]:
    """A static server that answers as the central server would, with a real working copy's answer and
    blobs to start from; each test writes what a hostile server would say instead."""
    folder_source(tmp_path / "src")
    assert publish(fleet, tmp_path / "src") == 0
    edit_title(fleet, "Tax return, edited")
    url = f"{fleet.server.url}/api/channels/main/working-copy"
    answer = requests.get(url, headers=auth(fleet.admin_token), timeout=5).json()
    root = tmp_path / "hostile"
    blobs = root / "channels" / "main" / BLOBS_DIR
    blobs.mkdir(parents=True)
    served = fleet.central.publishing.channel_dir("main") / BLOBS_DIR
    for sha in answer["blobs"]:
        (blobs / sha).write_bytes((served / sha).read_bytes())
    server = ChannelServer(root)
    yield server, answer
    server.close()


def serve(server: ChannelServer, body: bytes) -> str:
    path = server.root / "api" / "channels" / "main" / "working-copy"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return f"{server.url}channels/main"


def hostile_answers(good: dict[str, Any]) -> dict[str, tuple[bytes, str]]:
    """A name for each attack -> (the body served, what the refusal says)."""
    [icon_sha] = [s for s, info in good["blobs"].items() if info["type"] == "image/svg+xml"][:1]
    cases: dict[str, tuple[bytes, str]] = {}

    def with_(change: Any, says: str, name: str) -> None:
        answer = copy.deepcopy(good)
        change(answer)
        cases[name] = (json.dumps(answer).encode(), says)

    def climb(a: dict[str, Any]) -> None:
        a["content"]["services"][0]["icon"] = "../../../etc/passwd"

    def nan(a: dict[str, Any]) -> None:
        a["content"]["attract"] = {"seconds": float("nan")}

    def bad_size(a: dict[str, Any]) -> None:
        a["blobs"][icon_sha] = {"size": -1, "type": "image/svg+xml"}

    def html(a: dict[str, Any]) -> None:
        a["blobs"][icon_sha] = {"size": good["blobs"][icon_sha]["size"], "type": "text/html"}

    def unlisted(a: dict[str, Any]) -> None:
        del a["blobs"][icon_sha]

    def base(a: dict[str, Any]) -> None:
        a["base_release"] = True

    def sneaky_id(a: dict[str, Any]) -> None:
        a["content"]["services"][0]["id"] = "../../outside"

    with_(climb, "expected a blob's sha256", "a media name climbing out")
    with_(nan, "NaN is not allowed", "a NaN number")
    with_(bad_size, "size: expected a whole number of bytes", "a negative blob size")
    with_(html, "cannot be written into a content folder", "an HTML page as an icon")
    with_(unlisted, "is not listed in blobs", "a blob missing from the table")
    with_(base, "base_release: expected a release number", "a base release that is not a number")
    with_(sneaky_id, "services[0].id", "an id with a path in it")
    cases["not an object"] = (b"[1, 2]", "expected a JSON object")
    cases["duplicate keys"] = (b'{"base_release": 1, "base_release": 2}', "duplicate key")
    cases["over the size bound"] = (b'{"pad": "' + b"x" * 5000 + b'"}', "answered more than 4096 bytes")
    return cases


def test_a_hostile_answer_is_refused_and_nothing_is_written(
    hostile: tuple[ChannelServer, dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, good = hostile
    target = tmp_path / "target"
    assert pull_copy(serve(server, json.dumps(good).encode()), target) == 0  # the honest answer works
    assert (target / "content.toml").is_file() and (target / BASE_FILE).is_file()

    with monkeypatch.context() as bounded:
        bounded.setattr(pull_module, "MAX_WORKING_COPY_BYTES", 4096)
        for name, (body, says) in hostile_answers(good).items():
            capsys.readouterr()
            folder = tmp_path / "pulled"
            assert pull_copy(serve(server, body), folder) == 1, name
            assert says in capsys.readouterr().err, name
            assert not folder.exists(), name

    icon = next(sha for sha, info in good["blobs"].items() if info["type"] == "image/svg+xml")
    blob = server.root / "channels" / "main" / BLOBS_DIR / icon
    blob.write_bytes(b"<svg/>" + b" " * (good["blobs"][icon]["size"] - 6))  # same size, other bytes
    assert pull_copy(serve(server, json.dumps(good).encode()), tmp_path / "pulled") == 1
    assert "other bytes than the manifest names" in capsys.readouterr().err
    left = sorted(p.name for p in tmp_path.iterdir())
    assert "pulled" not in left and not any(name.startswith(".pulled") for name in left)
    assert not (tmp_path.parent / "outside").exists()
