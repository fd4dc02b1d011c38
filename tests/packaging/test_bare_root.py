"""The real .deb on a minimal Debian 12, end to end: apt installs it, the session's pieces are there and
start, doctor passes, and the kiosk updates itself from the signed repository (or rolls back).

One root for the whole module (tests/packaging/bare_root.py: debootstrap minbase plus the package's
Debian dependencies, cached outside the repository). Everything runs inside it with chroot, as on a
kiosk PC: apt-get, the maintainer scripts, kioskctl as the kiosk's user, cage on its headless backend,
green-kiosk-enroll-updates, and the update timer's command against the repository packaging/repo.py
builds, served by nginx on 127.0.0.1. What a root without systemd cannot show: the timer firing and
the service being stopped and started around the upgrade (the script skips that without systemd).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.kiosk.content.channel import Nginx
from tests.packaging.bare_root import BareRoot, UnavailableError, check_can_build, dependencies_tar
from tests.packaging.conftest import Packaged, load_build_module, load_repo_module
from tests.packaging.helpers import NotifySocket

CONFIG = "/etc/green-kiosk/kiosk.toml"
UPDATES = "var/lib/green-kiosk-updates"
SESSION_PIECES = (
    "/usr/bin/cage",
    "/usr/bin/Xwayland",
    "/usr/bin/wlr-randr",
    "/usr/bin/dbus-daemon",
    "/lib/x86_64-linux-gnu/security/pam_systemd.so",
    "/usr/lib/x86_64-linux-gnu/libva.so.2",
    "/usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0",
    "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so",
    "/opt/green-kiosk/green-kiosk",
    "/usr/bin/kioskctl",
    "/lib/systemd/system/green-kiosk.service",
    "/lib/systemd/system/green-kiosk-update.timer",
)

repo_py = load_repo_module()
# The first test's set-up builds the package (shared) and, with a cold cache, the root: up to 4 minutes on
# a loaded 2-core machine (measured), more than the suite's 300 s per test would allow with a margin.
pytestmark = pytest.mark.timeout(900)


@dataclass
class Installed:
    root: BareRoot
    install: subprocess.CompletedProcess[str]
    seconds: dict[str, float]

    def version(self) -> str:
        result = self.root.run(["dpkg-query", "-W", "-f", "${db:Status-Abbrev}${Version}", "green-kiosk"])
        return result.stdout.removeprefix("ii ") if result.stdout.startswith("ii ") else ""

    def text(self, path: str) -> str:
        return (self.root.path / path.lstrip("/")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def installed(packaged: Packaged, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The minimal root, and green-kiosk installed into it with apt (Depends and Recommends resolved)."""
    started = time.monotonic()
    try:
        tar = dependencies_tar(check_can_build())
    except UnavailableError as exc:
        pytest.skip(str(exc))
    root = BareRoot.unpack(tar, tmp_path_factory.mktemp("bare-root") / "root")
    prepared = time.monotonic() - started
    try:
        shutil.copy(packaged.deb, root.path / "tmp/green-kiosk.deb")
        started = time.monotonic()
        install = root.run(["apt-get", "install", "-y", "-q", "/tmp/green-kiosk.deb"], timeout=600)
        seconds = {"root": prepared, "install": time.monotonic() - started}
        print(f"\nbare root: root ready in {prepared:.0f} s, apt install {seconds['install']:.0f} s")
        yield Installed(root, install, seconds)
    finally:
        root.remove()


def test_apt_installs_the_deb_on_a_minimal_debian(installed: Installed, packaged: Packaged) -> None:
    assert installed.install.returncode == 0, installed.install.stdout[-3000:] + installed.install.stderr
    assert "1 newly installed" in installed.install.stdout
    assert installed.version() == packaged.version
    audit = installed.root.run(["dpkg", "--audit"])
    assert audit.returncode == 0 and audit.stdout == "", audit.stdout


def test_every_piece_of_the_session_is_installed(installed: Installed) -> None:
    missing = [path for path in SESSION_PIECES if not (installed.root.path / path.lstrip("/")).exists()]
    assert missing == []
    drivers = list((installed.root.path / "usr/lib/x86_64-linux-gnu/dri").glob("*_drv_video.so"))
    assert drivers, "no VA-API driver: the Recommends were not installed"
    config = installed.root.run(["stat", "-c", "%a %U:%G", CONFIG])
    assert config.stdout.strip() == "640 root:green-kiosk"
    enabled = installed.root.run(["systemctl", "is-enabled", "green-kiosk.service"])
    assert enabled.stdout.strip() == "enabled"


def test_doctor_finds_no_failure_in_the_bare_root(installed: Installed) -> None:
    result = installed.root.run(["kioskctl", "doctor", "--json", "--timeout", "3"], timeout=120)
    checks = {check["name"]: check for check in json.loads(result.stdout)}
    failed = {name: check["detail"] for name, check in checks.items() if check["result"] == "FAIL"}
    assert failed == {}
    assert result.returncode == 0, result.stderr
    assert checks["session"]["result"] == "OK", checks["session"]
    assert checks["fonts"]["result"] == "OK", checks["fonts"]


def test_session_starts_cage_headless_with_the_kiosk_ready_in_it(installed: Installed) -> None:
    """`kioskctl session` as the service runs it, rotated 90°: cage comes up, the kiosk tells READY=1."""
    root = installed.root
    config = root.path / CONFIG.lstrip("/")
    config.write_text(config.read_text(encoding="utf-8").replace("rotation = 0 ", "rotation = 90 ", 1))
    runtime = "/run/green-kiosk-test"
    (root.path / runtime.lstrip("/")).mkdir(mode=0o700)
    assert root.run(["chown", "green-kiosk:", runtime]).returncode == 0
    notify = NotifySocket(root.path / runtime.lstrip("/") / "notify")
    env = {
        "XDG_RUNTIME_DIR": runtime,
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
        "NOTIFY_SOCKET": f"{runtime}/notify",
    }
    printed = root.run(["kioskctl", "session", "--print"])
    assert printed.returncode == 0, printed.stderr
    assert "cage" in printed.stdout and " -r" in printed.stdout  # Debian 12's cage 0.1.4 rotates with -r
    started = time.monotonic()
    session = root.popen(["runuser", "-u", "green-kiosk", "--", "/usr/bin/kioskctl", "session"], env)
    try:
        ready = notify.wait_for("READY=1", timeout=90)
        alive = session.poll() is None
    finally:
        os.killpg(session.pid, signal.SIGTERM)
        stopped = session.wait(timeout=30)
        notify.close()
    output = (root.path / "tmp/popen.log").read_text(encoding="utf-8", errors="replace")
    assert ready is not None, output[-3000:]
    assert alive, output[-3000:]
    print(f"\nbare root: session READY after {time.monotonic() - started:.1f} s; ended with {stopped}")
    log = installed.text("/var/lib/green-kiosk/logs/kiosk.log")
    assert "starting:" in log
    errors = [line for line in log.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert errors == []


# --- updates by themselves: the signed repository, the timer's command, rollback --------------------------


@dataclass
class UpdateRun:
    result: subprocess.CompletedProcess[str]
    version: str
    last_result: str
    kioskctl_version: str


@dataclass
class Fleet:
    """An update repository on 127.0.0.1 the bare root is enrolled in, and the packages for it."""

    installed: Installed
    repo: Path
    secret: Path
    debs: dict[str, Path]
    versions: dict[str, str]
    enrolled: subprocess.CompletedProcess[str]

    def update(self) -> UpdateRun:
        """The update timer's service command (ExecStart), inside the root."""
        root = self.installed.root
        started = time.monotonic()
        result = root.run(["/usr/lib/green-kiosk/green-kiosk-update"], timeout=600)
        print(f"\nbare root: green-kiosk-update took {time.monotonic() - started:.0f} s")
        version = root.run(["kioskctl", "--version"]).stdout.strip()
        last = self.installed.text(f"/{UPDATES}/last-result")
        return UpdateRun(result, self.installed.version(), last, version)


def _window_around_now(timezone: str) -> str:
    now = datetime.now(ZoneInfo(timezone))
    return f"{now - timedelta(hours=1):%H:%M}-{now + timedelta(hours=1):%H:%M}"


@pytest.fixture(scope="module")
def fleet(
    installed: Installed, packaged: Packaged, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fleet]:
    """Version N installed; N+1 fails its self-test (a release missing Qt's offscreen platform plugin,
    so it cannot draw), N+2 is good. The repository has N and N+1; N+2 is published later."""
    work = tmp_path_factory.mktemp("fleet")
    build = load_build_module()
    versions = {"N": packaged.version, "N+1": f"{packaged.version}+1", "N+2": f"{packaged.version}+2"}
    out = work / "debs"
    broken_stage = build.stage_package(packaged.bundle, work / "stage-broken", versions["N+1"])
    plugin = broken_stage / "opt/green-kiosk/_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so"
    plugin.unlink()
    md5sums = broken_stage / "DEBIAN/md5sums"
    lines = md5sums.read_text(encoding="utf-8").splitlines(keepends=True)
    md5sums.write_text("".join(line for line in lines if "libqoffscreen.so" not in line), encoding="utf-8")
    debs = {
        "N": packaged.deb,
        "N+1": build.build_deb(broken_stage, out, "none"),
    }
    debs["N+2"] = build.build(
        out, packaged.stage.parent.parent, version=versions["N+2"], compression="none", reuse_bundle=True
    ).deb
    repo_py.make_key(work / "keys")
    secret = work / "keys" / repo_py.SECRET_KEY
    repo = work / "repo"
    repo_py.publish(repo, secret, [debs["N"], debs["N+1"]])
    server = Nginx(repo, work / "nginx")
    root = installed.root
    try:
        shutil.copy(work / "keys" / repo_py.PUBLIC_KEY, root.path / "tmp/green-kiosk-updates.gpg")
        enrolled = root.run(["green-kiosk-enroll-updates", server.url, "/tmp/green-kiosk-updates.gpg"])
        config = root.path / CONFIG.lstrip("/")
        text = config.read_text(encoding="utf-8")
        window = _window_around_now("Asia/Baku")
        assert 'timezone = "Asia/Baku"' in text and 'window = "02:00-04:00"' in text
        config.write_text(text.replace('window = "02:00-04:00"', f'window = "{window}"'), encoding="utf-8")
        yield Fleet(installed, repo, secret, debs, versions, enrolled)
    finally:
        server.close()
        shutil.rmtree(work)  # two packages and the repository: about 1 GB


@pytest.fixture(scope="module")
def rolled_back(fleet: Fleet) -> UpdateRun:
    return fleet.update()


@pytest.fixture(scope="module")
def upgraded(fleet: Fleet, rolled_back: UpdateRun) -> UpdateRun:
    repo_py.publish(fleet.repo, fleet.secret, [fleet.debs["N+2"]])
    return fleet.update()


def test_enrolment_in_the_bare_root_checks_the_repository_and_enables_the_timer(fleet: Fleet) -> None:
    assert fleet.enrolled.returncode == 0, fleet.enrolled.stdout + fleet.enrolled.stderr
    enabled = fleet.installed.root.run(["systemctl", "is-enabled", "green-kiosk-update.timer"])
    assert enabled.stdout.strip() == "enabled"


def test_a_new_version_failing_its_self_test_is_rolled_back_and_the_old_one_is_intact(
    fleet: Fleet, rolled_back: UpdateRun
) -> None:
    n, broken = fleet.versions["N"], fleet.versions["N+1"]
    output = rolled_back.result.stdout + rolled_back.result.stderr
    assert rolled_back.result.returncode == 1, output[-3000:]
    assert f"upgrading green-kiosk {n} -> {broken}" in output
    assert f"ERROR: {broken} failed its self-test" in output
    assert f"ROLLED BACK to {n}: {broken} failed its self-test" in rolled_back.last_result
    assert rolled_back.version == n
    assert rolled_back.kioskctl_version.endswith(n), rolled_back.kioskctl_version
    assert fleet.installed.text(f"/{UPDATES}/failed-versions") == f"{broken}\n"
    verify = fleet.installed.root.run(["dpkg", "--verify", "green-kiosk"])  # every file N's own again
    changed = [line for line in verify.stdout.splitlines() if not line.endswith(f" c {CONFIG}")]
    assert changed == []  # only the config differs: this test edited it


def test_the_next_good_version_is_installed_by_the_timers_command(fleet: Fleet, upgraded: UpdateRun) -> None:
    n, good = fleet.versions["N"], fleet.versions["N+2"]
    output = upgraded.result.stdout + upgraded.result.stderr
    assert upgraded.result.returncode == 0, output[-3000:]
    assert f"upgraded {n} -> {good} (self-test passed)" in upgraded.last_result
    assert upgraded.version == good
    assert upgraded.kioskctl_version.endswith(good), upgraded.kioskctl_version
    kept = sorted(path.name for path in (fleet.installed.root.path / UPDATES / "rollback").iterdir())
    assert kept == [f"green-kiosk_{good}_amd64.deb"]
