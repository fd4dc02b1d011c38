"""The bundle and the .deb: version from pyproject, trimmed Qt, complete libraries, lintian, systemd."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.packaging.conftest import Packaged

# Qt parts the kiosk never uses; finding one means the trimming in packaging/green-kiosk.spec broke.
UNUSED = re.compile(
    r"libQt6(WebEngine|Pdf|3D|Charts|DataVisualization|Designer|VirtualKeyboard)|/translations/qt"
)
SYSTEM_PACKAGES_ALWAYS_THERE = {"libc6"}


def run(*command: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, env=env, timeout=300)


def pyproject_version() -> str:
    with (REPO_ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def control_field(deb: Path, field: str) -> str:
    return run("dpkg-deb", "--field", deb, field).stdout.strip()


def debian_package_of(library: str) -> str:
    """The package owning a library, under any of its names (merged /usr: /lib is /usr/lib)."""
    real = os.path.realpath(library)
    for name in (library, real, real.removeprefix("/usr"), "/usr" + library):
        found = run("dpkg", "-S", name)
        if found.returncode == 0:
            return found.stdout.split(":")[0]
    raise AssertionError(f"{library} belongs to no Debian package")


def test_bundled_kioskctl_reports_the_pyproject_version(packaged: Packaged) -> None:
    result = run(packaged.bundle / "kioskctl", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"kioskctl (Green Kiosk) {pyproject_version()}"
    assert control_field(packaged.deb, "Version") == pyproject_version()


def test_bundle_leaves_out_what_the_kiosk_does_not_use(packaged: Packaged) -> None:
    files = [p for p in packaged.bundle.rglob("*") if p.is_file() or p.is_symlink()]
    unused = [str(p.relative_to(packaged.bundle)) for p in files if UNUSED.search(str(p))]
    assert unused == []
    size_mb = sum(p.lstat().st_size for p in files) / 1e6
    print(f"\nbundle: {size_mb:.0f} MB in {len(files)} files; built in {packaged.build_seconds:.0f} s")
    assert size_mb < 300, "the bundle grew: check what PyInstaller collected"


def locked_names(lock: Path) -> set[str]:
    """The distributions a lock pins, as import-style names (``psycopg-binary`` -> ``psycopg_binary``)."""
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==", lock.read_text(encoding="utf-8"), re.MULTILINE)
    return {name.lower().replace("-", "_") for name in pins}


def bundled_top_level_names(bundle: Path) -> set[str]:
    """Every top-level module of the bundle: its Python archive, extension folders and package metadata."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(bundle / "kioskctl")).open_embedded_archive("PYZ.pyz")
    names = {module.split(".")[0] for module in archive.toc}
    names |= {entry.name.split("-")[0].split(".")[0] for entry in (bundle / "_internal").iterdir()}
    return {name.lower() for name in names}


def test_bundle_holds_no_package_of_the_development_environment(packaged: Packaged) -> None:
    development_only = locked_names(REPO_ROOT / "requirements/dev.txt") - locked_names(
        REPO_ROOT / "requirements/kiosk.txt"
    )
    assert "psycopg_binary" in development_only  # the comparison sees what a dev-venv build carried
    assert sorted(bundled_top_level_names(packaged.bundle) & development_only) == []


def test_every_library_the_bundle_needs_is_inside_it_or_a_dependency(packaged: Packaged) -> None:
    internal = packaged.bundle / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal))
    elves = [packaged.bundle / "green-kiosk"]
    elves += [p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()]
    outside: set[str] = set()
    missing: list[str] = []
    for elf in elves:
        for line in run("ldd", elf, env=env).stdout.splitlines():
            if "not found" in line:
                missing.append(f"{elf.relative_to(packaged.bundle)}: {line.strip()}")
            elif "=>" in line and str(internal) not in line:
                outside.add(line.split("=>")[1].split("(")[0].strip())
    assert missing == []
    owners = set()
    for library in outside:
        owners.add(debian_package_of(library))
    depends = {d.split()[0] for d in control_field(packaged.deb, "Depends").split(", ")}
    assert owners - depends - SYSTEM_PACKAGES_ALWAYS_THERE == set()


def test_package_layout_config_and_service(packaged: Packaged) -> None:
    listing = run("dpkg-deb", "--contents", packaged.deb).stdout
    for path in (
        "./opt/green-kiosk/green-kiosk",
        "./opt/green-kiosk/kioskctl",
        "./usr/bin/kioskctl",
        "./etc/green-kiosk/kiosk.toml",
        "./lib/systemd/system/green-kiosk.service",
        "./usr/lib/sysusers.d/green-kiosk.conf",
    ):
        assert re.search(rf" {re.escape(path)}$", listing, re.MULTILINE), path
    assert "./var/lib/green-kiosk" not in listing  # made by postinst, so dpkg never deletes it on remove
    conffiles = run("dpkg-deb", "--info", packaged.deb, "conffiles").stdout.split()
    assert "/etc/green-kiosk/kiosk.toml" in conffiles
    depends = {d.split()[0] for d in control_field(packaged.deb, "Depends").split(", ")}
    # what a minimal Debian lacks for the session (logind seat, XDG_RUNTIME_DIR) and for VA-API decoding
    assert {"cage", "xwayland", "wlr-randr", "systemd", "libpam-systemd", "dbus", "libva2"} <= depends
    recommends = control_field(packaged.deb, "Recommends")
    assert "va-driver-all" in recommends and "wlopm" in recommends  # DPMS where the compositor has it


def test_lintian_finds_no_errors(packaged: Packaged) -> None:
    if packaged.lintian is None:
        pytest.skip("lintian is not installed (scripts/bootstrap.sh dev installs it)")
    output, _ = packaged.lintian.communicate(timeout=600)
    errors = [line for line in output.splitlines() if line.startswith("E:")]
    print("\n" + output)
    assert errors == []


def test_service_unit_passes_systemd_analyze_verify(packaged: Packaged, tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None or shutil.which("cage") is None:
        pytest.skip("systemd-analyze and cage are needed (scripts/bootstrap.sh dev installs them)")
    unit = packaged.stage / "lib/systemd/system/green-kiosk.service"
    text = unit.read_text(encoding="utf-8")
    # verify wants ExecStart's program to exist: point it at the staged one (not installed here).
    staged = tmp_path / "green-kiosk.service"
    in_stage = text.replace("/opt/green-kiosk/", f"{packaged.stage}/opt/green-kiosk/")
    staged.write_text(in_stage, encoding="utf-8")
    result = run("systemd-analyze", "verify", staged)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""
    for setting in (
        "Type=notify",
        "WatchdogSec=",
        "Restart=always",
        "StartLimitIntervalSec=0",
        "NotifyAccess=all",
    ):
        assert setting in text
    assert "StartLimitBurst=" not in text  # systemd never gives up on the kiosk
    security = run("systemd-analyze", "security", "--offline=true", staged)
    score = re.search(r"Overall exposure level for \S+: ([0-9.]+)", security.stdout)
    assert score is not None, security.stdout + security.stderr
    print(f"\nsystemd-analyze security: {score.group(1)} (8.9 before hardening)")
    assert float(score.group(1)) < 5.0


def test_same_bundle_gives_the_same_deb_bytes(packaged: Packaged, tmp_path: Path) -> None:
    """Reproducible packaging: staging and dpkg-deb add nothing that changes between builds (dates,
    order, owners). The bundle itself comes from PyInstaller (packaging/README.md: measured by hand)."""
    from tests.packaging.conftest import OLD_VERSION, load_build_module

    build = load_build_module()
    work = packaged.bundle.parent.parent  # the fixture's work folder, with the bundle in it
    again = build.build(tmp_path, work, version=OLD_VERSION, compression="none", reuse_bundle=True)
    assert again.deb is not None
    assert (
        hashlib.sha256(again.deb.read_bytes()).digest()
        == hashlib.sha256(packaged.old_deb.read_bytes()).digest()
    )


def test_updater_ships_with_the_package_and_stays_off_until_enrolled(packaged: Packaged) -> None:
    stage = packaged.stage
    for program in ("usr/lib/green-kiosk/green-kiosk-update", "usr/sbin/green-kiosk-enroll-updates"):
        assert (stage / program).stat().st_mode & 0o777 == 0o755, program
    timer = (stage / "lib/systemd/system/green-kiosk-update.timer").read_text(encoding="utf-8")
    assert "WantedBy=timers.target" in timer
    service = (stage / "lib/systemd/system/green-kiosk-update.service").read_text(encoding="utf-8")
    assert "ExecStart=/usr/lib/green-kiosk/green-kiosk-update" in service
    assert "ConditionPathExists=/etc/apt/sources.list.d/green-kiosk.sources" in service
    assert "green-kiosk-update" not in (stage / "DEBIAN/postinst").read_text(encoding="utf-8")
