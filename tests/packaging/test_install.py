"""Installing the .deb into a throwaway root: first install, the installed self-test, an upgrade over
the previous version with data in place, remove and purge.

``dpkg --root`` with ``--force-script-chrootless`` runs the maintainer scripts on this machine with
$DPKG_ROOT set; the scripts honour it, so nothing outside the throwaway root changes.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.store.db import head_revisions
from tests.packaging.conftest import OLD_VERSION, Packaged
from tests.packaging.helpers import make_database_at, read_state, revisions

DATA = Path("var/lib/green-kiosk")
CONFIG = Path("etc/green-kiosk/kiosk.toml")


def dpkg(root: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    command = ["dpkg", f"--root={root}", "--force-script-chrootless", "--force-depends", "--log=/dev/null"]
    result = subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def new_root(path: Path) -> Path:
    (path / "var/lib/dpkg/info").mkdir(parents=True)
    (path / "var/lib/dpkg/updates").mkdir()
    (path / "var/lib/dpkg/status").touch()
    (path / "var/lib/dpkg/available").touch()
    return path


def kioskctl(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed kioskctl, pointed at the throwaway root's config and data."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("GREEN_KIOSK_CONFIG", None)
    command = [root / "opt/green-kiosk/kioskctl", "--config", root / CONFIG, "--data-dir", root / DATA]
    return subprocess.run([*map(str, command), *args], capture_output=True, text=True, env=env, timeout=300)


@dataclass
class Upgraded:
    root: Path
    old_version_output: str


@pytest.fixture(scope="module")
def upgraded(packaged: Packaged, tmp_path_factory: pytest.TempPathFactory) -> Upgraded:
    """The previous version installed and used (edited config, content, history at an older schema),
    then the new version installed over it."""
    root = new_root(tmp_path_factory.mktemp("upgrade-root"))
    dpkg(root, "--install", packaged.old_deb)
    old_version = kioskctl(root, "--version").stdout.strip()
    config = root / CONFIG
    edited = config.read_text(encoding="utf-8").replace('id = "demo-kiosk"', 'id = "baku-1-lobby"')
    config.write_text(edited, encoding="utf-8")
    make_database_at(root / DATA / "kiosk.db", "0001", state={"last_sync": '"2026-06-20T18:00:00+00:00"'})
    blob = root / DATA / "blobs" / "ab" / "ab12"
    blob.parent.mkdir(parents=True)
    blob.write_bytes(b"cached campaign video")
    dpkg(root, "--install", packaged.deb)
    return Upgraded(root, old_version)


def test_first_install_creates_user_data_dir_and_enables_the_service(
    packaged: Packaged, tmp_path: Path
) -> None:
    root = new_root(tmp_path / "root")
    dpkg(root, "--install", packaged.deb)
    passwd = (root / "etc/passwd").read_text(encoding="utf-8")
    user = next(line.split(":") for line in passwd.splitlines() if line.startswith("green-kiosk:"))
    assert user[5] == "/var/lib/green-kiosk"
    data = (root / DATA).stat()
    assert (data.st_uid, data.st_mode & 0o777) == (int(user[2]), 0o750)
    wants = root / "etc/systemd/system/graphical.target.wants/green-kiosk.service"
    assert wants.is_symlink()
    config = (root / CONFIG).stat()  # it holds the admin PIN hash: not for every user
    assert (config.st_uid, config.st_gid, config.st_mode & 0o777) == (0, int(user[3]), 0o640)


def test_installed_self_test_passes_offscreen(upgraded: Upgraded) -> None:
    result = kioskctl(upgraded.root, "self-test", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    checks = {c["name"]: c["result"] for c in json.loads(result.stdout)}
    assert set(checks.values()) == {"OK"}
    assert {"sections", "video", "database", "translations", "svg icons"} <= set(checks)


def test_installed_session_starts_cage_with_the_configured_rotation(upgraded: Upgraded) -> None:
    config = upgraded.root / CONFIG
    text = config.read_text(encoding="utf-8")
    assert "\nrotation = 0 " in text  # the example config lists the key with its default
    config.write_text(text.replace("\nrotation = 0 ", "\nrotation = 90 "), encoding="utf-8")
    result = kioskctl(upgraded.root, "session", "--print")
    assert result.returncode == 0, result.stderr
    words = result.stdout.split()
    assert "cage" in words and words[-3:] == [
        "/opt/green-kiosk/green-kiosk",
        "--data-dir",
        str(upgraded.root / DATA),
    ]
    assert "-r" in words or "GREEN_KIOSK_APPLY_OUTPUTS=1" in words


def test_upgrade_keeps_config_content_and_history_and_migrates(
    upgraded: Upgraded, packaged: Packaged
) -> None:
    root = upgraded.root
    assert upgraded.old_version_output == f"kioskctl (Green Kiosk) {OLD_VERSION}"
    status = kioskctl(root, "status", "--json")
    assert status.returncode == 0, status.stderr
    fields = json.loads(status.stdout)
    assert fields["version"] == packaged.version
    assert fields["kiosk_id"] == "baku-1-lobby"  # the edited conffile survived the upgrade
    assert fields["last_sync"] == "2026-06-20T18:00:00+00:00"  # history survived
    db = root / DATA / "kiosk.db"
    assert revisions(db) == head_revisions()
    assert read_state(db, "last_sync") == '"2026-06-20T18:00:00+00:00"'
    assert (root / DATA / "blobs/ab/ab12").read_bytes() == b"cached campaign video"
    copy = root / DATA / "kiosk.db.pre-0001"  # the old database, for rolling back to the old version
    assert revisions(copy) == {"0001"}


def test_remove_keeps_data_and_purge_deletes_it(upgraded: Upgraded) -> None:
    root = upgraded.root
    dpkg(root, "--remove", "green-kiosk")
    assert not (root / "opt/green-kiosk").exists()
    assert (root / DATA / "kiosk.db").exists()
    assert (root / CONFIG).exists()
    assert not (root / "etc/systemd/system/graphical.target.wants/green-kiosk.service").exists()
    dpkg(root, "--purge", "green-kiosk")
    assert not (root / DATA).exists()
    assert not (root / CONFIG).exists()
