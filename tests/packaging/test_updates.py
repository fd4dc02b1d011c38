"""The kiosk updates itself: packaging/repo.py's signed apt repository served by nginx on 127.0.0.1,
a throwaway root enrolled with green-kiosk-enroll-updates, and green-kiosk-update run in it.

Real apt-get and dpkg work on the throwaway root ($APT_CONFIG points apt's directories there; dpkg gets
``--root``). The packages are tiny stand-ins for green-kiosk built with dpkg-deb in milliseconds (the
mechanics do not depend on what the package carries); their kioskctl answers ``update-due`` with the
real command (kiosk/update_window.py) at an injected time, and ``self-test`` with the exit status a
test asks for. What cannot run here is systemd firing the timer: the units only start this script.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.kiosk.content.channel import Nginx
from tests.packaging.conftest import load_repo_module

DEBIAN = REPO_ROOT / "packaging" / "debian"
INSIDE_WINDOW = "2026-06-21T03:10+04:00"
OUTSIDE_WINDOW = "2026-06-21T11:00+04:00"

for _tool in ("apt-get", "apt-ftparchive", "dpkg-deb", "gpg", "gpgv", "sqv", "systemd-analyze"):
    if subprocess.run(["sh", "-c", f"command -v {_tool}"], capture_output=True).returncode != 0:
        pytest.skip(
            f"{_tool} is not installed (scripts/bootstrap.sh dev installs it)", allow_module_level=True
        )


repo_py = load_repo_module()


def stand_in_deb(out: Path, version: str, *, self_test_passes: bool = True, depends: str = "") -> Path:
    """A green-kiosk package whose kioskctl decides the window for real and passes or fails self-test."""
    stage = out / f"stage-{version}-{self_test_passes}-{depends}"
    (stage / "DEBIAN").mkdir(parents=True)
    (stage / "DEBIAN/control").write_text(
        f"Package: green-kiosk\nVersion: {version}\nArchitecture: amd64\n"
        + (f"Depends: {depends}\n" if depends else "")
        + "Maintainer: Green Kiosk tests <tests@example.invalid>\nDescription: stand-in for update tests\n",
        encoding="utf-8",
    )
    (stage / "opt/green-kiosk").mkdir(parents=True)
    (stage / "opt/green-kiosk/VERSION").write_text(version, encoding="utf-8")
    kioskctl = stage / "usr/bin/kioskctl"
    kioskctl.parent.mkdir(parents=True)
    kioskctl.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        f'update-due) cd "{REPO_ROOT}" && exec "{sys.executable}" -m kiosk.cli update-due '
        '--config "$GREEN_KIOSK_ROOT/etc/green-kiosk/kiosk.toml" --at "$GREEN_KIOSK_TEST_NOW" ;;\n'
        f'self-test) echo "self-test of {version}"; exit {0 if self_test_passes else 1} ;;\n'
        "esac\nexit 2\n",
        encoding="utf-8",
    )
    kioskctl.chmod(0o755)
    deb = out / f"green-kiosk_{version}_{self_test_passes}_{bool(depends)}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Znone", "--build", str(stage), str(deb)],
                   check=True, capture_output=True)  # fmt: skip
    return deb


@dataclass
class Keys:
    secret: Path
    public: Path


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    folder = tmp_path_factory.mktemp("keys")
    repo_py.make_key(folder)
    return Keys(folder / repo_py.SECRET_KEY, folder / repo_py.PUBLIC_KEY)


@pytest.fixture(scope="module")
def debs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("debs")
    return {
        "1.0": stand_in_deb(out, "1.0"),
        "2.0": stand_in_deb(out, "2.0"),
        "2.0-broken": stand_in_deb(out, "2.0", self_test_passes=False),
        "2.0-uninstallable": stand_in_deb(out, "2.0", depends="green-kiosk-missing-library"),
        "3.0": stand_in_deb(out, "3.0"),
    }


@dataclass
class Kiosk:
    """A throwaway root with green-kiosk installed, enrolled for updates from ``repo``."""

    root: Path
    repo: Path
    env: dict[str, str]

    def update(self, now: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(self.env, GREEN_KIOSK_TEST_NOW=now)
        return subprocess.run(
            [str(DEBIAN / "green-kiosk-update"), *args], capture_output=True, text=True, env=env, timeout=120
        )

    def installed(self) -> str:
        result = subprocess.run(
            ["dpkg-query", f"--root={self.root}", "-W", "-f", "${db:Status-Abbrev}${Version}", "green-kiosk"],
            capture_output=True,
            text=True,
        )
        return result.stdout.replace("ii ", "") if result.stdout.startswith("ii ") else ""

    def payload(self) -> str:
        return (self.root / "opt/green-kiosk/VERSION").read_text(encoding="utf-8")

    def last_result(self) -> str:
        return (self.root / "var/lib/green-kiosk-updates/last-result").read_text(encoding="utf-8")


@pytest.fixture
def kiosk(tmp_path: Path, keys: Keys, debs: dict[str, Path]) -> Iterator[Kiosk]:
    """Version 1.0 installed by hand (as IT staff do today), then enrolled; the repository has 1.0."""
    repo = tmp_path / "repo"
    repo_py.publish(repo, keys.secret, [debs["1.0"]])
    server = Nginx(repo, tmp_path / "nginx")
    root = tmp_path / "root"
    for folder in ("etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d",
                   "etc/green-kiosk", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial",
                   "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/log/apt"):  # fmt: skip
        (root / folder).mkdir(parents=True)
    for name in ("status", "available"):
        (root / "var/lib/dpkg" / name).touch()
    (root / "etc/green-kiosk/kiosk.toml").write_text(
        '[display]\nopen_hours = "08:00-20:00"\n\n[updates]\nwindow = "02:00-04:00"\n', encoding="utf-8"
    )
    apt_conf = root / "apt.conf"
    apt_conf.write_text(
        f'Dir "{root}/";\n'
        f'Dir::State::status "{root}/var/lib/dpkg/status";\n'
        'Dir::Bin::dpkg "/usr/bin/dpkg";\n'
        f'DPkg::Options {{ "--root={root}"; "--force-script-chrootless"; "--log=/dev/null"; }};\n'
        'APT::Sandbox::User "root";\nDebug::NoLocking "true";\n'
        'APT::Architecture "amd64";\nAPT::Architectures { "amd64"; };\n'
        'Acquire::Languages "none";\nAcquire::http::Proxy "DIRECT";\n',
        encoding="utf-8",
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "APT_CONFIG": str(apt_conf),
        "GREEN_KIOSK_ROOT": str(root),
    }
    installed = subprocess.run(
        ["dpkg", f"--root={root}", "--force-script-chrootless", "--log=/dev/null", "-i", str(debs["1.0"])],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    enrolled = subprocess.run(
        [str(DEBIAN / "green-kiosk-enroll-updates"), server.url, str(keys.public)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert enrolled.returncode == 0, enrolled.stderr
    yield Kiosk(root, repo, env)
    server.close()


def test_enrolment_trusts_only_the_given_key_and_takes_only_green_kiosk(kiosk: Kiosk, keys: Keys) -> None:
    source = (kiosk.root / "etc/apt/sources.list.d/green-kiosk.sources").read_text(encoding="utf-8")
    assert f"Signed-By: {kiosk.root}/etc/green-kiosk/updates-archive.gpg\n" in source
    assert (kiosk.root / "etc/green-kiosk/updates-archive.gpg").read_bytes() == keys.public.read_bytes()
    pin = (kiosk.root / "etc/apt/preferences.d/green-kiosk").read_text(encoding="utf-8")
    assert "Package: *\nPin: release o=Green Kiosk\nPin-Priority: -1" in pin


def test_enrolment_refuses_the_secret_key(kiosk: Kiosk, keys: Keys) -> None:
    result = subprocess.run(
        [str(DEBIAN / "green-kiosk-enroll-updates"), "http://127.0.0.1/", str(keys.secret)],
        capture_output=True,
        text=True,
        env=kiosk.env,
    )
    assert result.returncode == 1
    assert "SECRET key" in result.stderr


def test_upgrade_from_1_to_2_runs_only_inside_the_window(
    kiosk: Kiosk, keys: Keys, debs: dict[str, Path]
) -> None:
    repo_py.publish(kiosk.repo, keys.secret, [debs["2.0"]])

    outside = kiosk.update(OUTSIDE_WINDOW)
    assert outside.returncode == 0, outside.stdout + outside.stderr
    assert "outside the update window 02:00-04:00" in outside.stdout
    assert kiosk.installed() == "1.0"

    inside = kiosk.update(INSIDE_WINDOW)
    assert inside.returncode == 0, inside.stdout + inside.stderr
    assert kiosk.installed() == "2.0"
    assert kiosk.payload() == "2.0"
    assert "upgraded 1.0 -> 2.0 (self-test passed)" in kiosk.last_result()
    kept = sorted(p.name for p in (kiosk.root / "var/lib/green-kiosk-updates/rollback").iterdir())
    assert kept == ["green-kiosk_2.0_amd64.deb"]

    again = kiosk.update(INSIDE_WINDOW)
    assert again.returncode == 0
    assert "up to date: 2.0" in kiosk.last_result()


def test_version_failing_its_self_test_is_rolled_back_and_not_retried(
    kiosk: Kiosk, keys: Keys, debs: dict[str, Path]
) -> None:
    repo_py.publish(kiosk.repo, keys.secret, [debs["2.0-broken"]])

    failed = kiosk.update(INSIDE_WINDOW)
    assert failed.returncode == 1
    assert "self-test of 2.0" in failed.stdout
    assert kiosk.installed() == "1.0"
    assert kiosk.payload() == "1.0"
    assert "ROLLED BACK to 1.0" in kiosk.last_result()

    next_night = kiosk.update(INSIDE_WINDOW)
    assert next_night.returncode == 0
    assert "self-test of" not in next_night.stdout
    assert "kept 1.0: 2.0 failed its self-test here before" in kiosk.last_result()
    assert kiosk.installed() == "1.0"


def test_version_that_cannot_be_installed_keeps_the_old_one_and_is_tried_again(
    kiosk: Kiosk, keys: Keys, debs: dict[str, Path]
) -> None:
    repo_py.publish(kiosk.repo, keys.secret, [debs["2.0-uninstallable"]])

    failed = kiosk.update(INSIDE_WINDOW)

    assert failed.returncode == 1
    assert "green-kiosk-missing-library" in failed.stdout + failed.stderr
    assert "FAILED: could not install 2.0" in kiosk.last_result()
    assert kiosk.installed() == "1.0"
    assert not (kiosk.root / "var/lib/green-kiosk-updates/failed-versions").exists()


def test_no_upgrade_without_a_copy_of_the_running_version(
    kiosk: Kiosk, keys: Keys, debs: dict[str, Path]
) -> None:
    repo_py.publish(kiosk.repo, keys.secret, [debs["2.0"], debs["3.0"]], keep=2)  # 1.0 leaves the pool

    refused = kiosk.update(INSIDE_WINDOW)

    assert refused.returncode == 1
    assert "no copy of the running version 1.0 to roll back to" in kiosk.last_result()
    assert kiosk.installed() == "1.0"


def _tamper_inrelease(repo: Path, keys: Keys) -> None:
    path = repo / "InRelease"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Suite: stable", "Suite: stab1e"), encoding="utf-8"
    )


def _tamper_packages(repo: Path, keys: Keys) -> None:
    for name in ("Packages", "Packages.gz", "Packages.xz"):
        (repo / name).unlink()
    packages = (repo / "Packages.orig").read_bytes().replace(b"Version: 2.0", b"Version: 2.1")
    (repo / "Packages").write_bytes(packages)


def _sign_with_another_key(repo: Path, keys: Keys) -> None:
    other = keys.secret.parent.parent / "attacker"
    if not (other / repo_py.SECRET_KEY).exists():
        repo_py.make_key(other)
    repo_py.publish(repo, other / repo_py.SECRET_KEY, [])


@pytest.mark.parametrize(
    ("tamper", "apt_says"),
    [
        (_tamper_inrelease, "BADSIG"),
        (_tamper_packages, "Hash Sum mismatch"),
        (_sign_with_another_key, "NO_PUBKEY"),
    ],
    ids=["edited-release", "edited-packages", "signed-by-another-key"],
)
def test_tampered_repository_is_refused_and_the_old_version_stays(
    kiosk: Kiosk, keys: Keys, debs: dict[str, Path], tamper: object, apt_says: str
) -> None:
    repo_py.publish(kiosk.repo, keys.secret, [debs["2.0"]])
    (kiosk.repo / "Packages.orig").write_bytes((kiosk.repo / "Packages").read_bytes())
    assert callable(tamper)
    tamper(kiosk.repo, keys)

    result = kiosk.update(INSIDE_WINDOW)

    assert result.returncode == 1, result.stdout + result.stderr
    assert apt_says in result.stdout + result.stderr
    assert "signature did not verify" in kiosk.last_result()
    assert kiosk.installed() == "1.0"


def test_publish_refuses_a_package_that_is_not_green_kiosk(tmp_path: Path, keys: Keys) -> None:
    stage = tmp_path / "stage"
    (stage / "DEBIAN").mkdir(parents=True)
    (stage / "DEBIAN/control").write_text(
        "Package: openssh-server\nVersion: 99\nArchitecture: amd64\nMaintainer: x <x@example.invalid>\n"
        "Description: not ours\n",
        encoding="utf-8",
    )
    deb = tmp_path / "other.deb"
    subprocess.run(["dpkg-deb", "-Znone", "--build", str(stage), str(deb)], check=True, capture_output=True)
    with pytest.raises(repo_py.RepoError, match="carries green-kiosk only"):
        repo_py.publish(tmp_path / "repo", keys.secret, [deb])


def test_purge_removes_the_enrolment_and_the_updater_state(kiosk: Kiosk) -> None:
    (kiosk.root / "var/lib/green-kiosk-updates/rollback").mkdir(parents=True)
    env = dict(kiosk.env, DPKG_ROOT=str(kiosk.root))
    purged = subprocess.run(["sh", str(DEBIAN / "postrm"), "purge"], capture_output=True, text=True, env=env)
    assert purged.returncode == 0, purged.stderr
    for left in ("etc/apt/sources.list.d/green-kiosk.sources", "etc/apt/preferences.d/green-kiosk",
                 "etc/green-kiosk/updates-archive.gpg", "var/lib/green-kiosk-updates"):  # fmt: skip
        assert not (kiosk.root / left).exists(), left


def test_publish_refuses_a_version_already_published_with_other_contents(
    tmp_path: Path, keys: Keys, debs: dict[str, Path]
) -> None:
    repo = tmp_path / "repo"
    repo_py.publish(repo, keys.secret, [debs["2.0"]])
    repo_py.publish(repo, keys.secret, [debs["2.0"]])  # the same file again: nothing changes
    with pytest.raises(repo_py.RepoError, match="already published with other contents"):
        repo_py.publish(repo, keys.secret, [debs["2.0-broken"]])
    assert (repo / "pool/green-kiosk_2.0_amd64.deb").read_bytes() == debs["2.0"].read_bytes()


def test_release_signature_verifies_with_gpgv_and_with_debian_13s_sqv(tmp_path: Path, keys: Keys) -> None:
    """Debian 12's apt checks signatures with gpgv, Debian 13's with sqv (stricter policy): both must pass."""
    repo = tmp_path / "repo"
    repo_py.publish(repo, keys.secret, [])
    release, signature = repo / "Release", repo / "Release.gpg"
    gpgv = ["gpgv", "--keyring", str(keys.public)]
    sqv = ["sqv", "--keyring", str(keys.public), str(signature), str(release)]
    assert subprocess.run([*gpgv, str(repo / "InRelease")], capture_output=True).returncode == 0
    assert subprocess.run([*gpgv, str(signature), str(release)], capture_output=True).returncode == 0
    assert subprocess.run(sqv, capture_output=True).returncode == 0
    release.write_text(release.read_text(encoding="utf-8").replace("stable", "stab1e"), encoding="utf-8")
    assert subprocess.run(sqv, capture_output=True).returncode != 0


def test_update_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """The timer and its service as shipped, ExecStart pointed at the script in the source tree."""
    service = (DEBIAN / "green-kiosk-update.service").read_text(encoding="utf-8")
    assert "ExecStart=/usr/lib/green-kiosk/green-kiosk-update\n" in service
    service = service.replace("/usr/lib/green-kiosk/green-kiosk-update", str(DEBIAN / "green-kiosk-update"))
    (tmp_path / "green-kiosk-update.service").write_text(service, encoding="utf-8")
    (tmp_path / "green-kiosk-update.timer").write_bytes((DEBIAN / "green-kiosk-update.timer").read_bytes())
    units = [str(tmp_path / "green-kiosk-update.timer"), str(tmp_path / "green-kiosk-update.service")]
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""
