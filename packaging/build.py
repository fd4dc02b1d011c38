"""Build the self-contained kiosk (PyInstaller, one folder) and the Debian package made from it.

Usage (from the repository, after ``scripts/bootstrap.sh dev``; ``packaging/build.sh`` does both):

    .venv/bin/python packaging/build.py [--out dist] [--work build/packaging] [--compression xz]

Writes ``<out>/green-kiosk_<version>_amd64.deb`` and leaves the bundle in ``<work>/bundle/green-kiosk``.
The version is pyproject.toml's ``[project] version``: the one place it is set. ``--version`` overrides it
(the package and the bundle's metadata alike) to make an older or newer package for upgrade tests.
PyInstaller runs in ``.venv-build/``, made on first use from ``requirements/kiosk.txt`` and the dev lock's
PyInstaller pins (hashes required), so the bundle holds only what the kiosk runs with, never the dev tools.
Plain standard library, so the tests can import it (``packaging`` itself is not a Python package).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_DIR = ROOT / "packaging" / "debian"
SPEC = ROOT / "packaging" / "green-kiosk.spec"
PACKAGE = "green-kiosk"
APP_DIR = Path("opt/green-kiosk")
EXECUTABLES = ("green-kiosk", "kioskctl")
# The build runs in its own environment: the kiosk's run-time lock plus PyInstaller, nothing of the dev
# tools (a bundle built from .venv carried psycopg, greenlet, playwright … that the kiosk never loads).
BUILD_VENV = ROOT / ".venv-build"
RUNTIME_LOCK = ROOT / "requirements" / "kiosk.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"
# PyInstaller and what it needs, with the versions and hashes of the dev lock (the one place they are pinned).
BUILD_TOOLS = ("altgraph", "packaging", "pyinstaller", "pyinstaller-hooks-contrib", "setuptools")


@dataclass(frozen=True)
class BuildResult:
    """What a build produced and how long each step took."""

    bundle: Path
    deb: Path | None
    version: str
    bundle_seconds: float
    deb_seconds: float


def project_version() -> str:
    """The version, from the one place it is set."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def build_tool_pins(dev_lock: Path = DEV_LOCK) -> str:
    """The BUILD_TOOLS entries of the dev lock, hashes included, as a requirements file's text."""
    entries: dict[str, str] = {}
    lines = dev_lock.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        name = re.match(r"^([A-Za-z0-9_.-]+)==", line)
        if name is None or name.group(1).lower() not in BUILD_TOOLS:
            continue
        block = [line]
        for following in lines[index + 1 :]:
            if not block[-1].endswith("\\"):
                break
            block.append(following)
        entries[name.group(1).lower()] = "\n".join(block) + "\n"
    missing = sorted(set(BUILD_TOOLS) - set(entries))
    if missing:
        raise SystemExit(f"{dev_lock} pins no {', '.join(missing)}: run scripts/lock.sh")
    return "".join(entries[name] for name in BUILD_TOOLS)


def build_environment(venv: Path = BUILD_VENV) -> Path:
    """The build's Python: a venv with only the run-time lock, PyInstaller and the project itself.

    Made once and reused while the locks and pyproject.toml are unchanged (a stamp, as in
    scripts/bootstrap.sh), so the packaging tests pay for it on their first run only.
    """
    pins = build_tool_pins()
    wanted = hashlib.sha256(
        RUNTIME_LOCK.read_bytes() + pins.encode() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    python = venv / "bin" / "python"
    stamp = venv / ".green-kiosk-build"
    if python.exists() and stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == wanted:
        return python
    print(f"== Creating the build environment {venv} (run-time lock and PyInstaller only)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    tools = venv / "build-tools.txt"
    tools.write_text(pins, encoding="utf-8")
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(RUNTIME_LOCK), "-r", str(tools)], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    stamp.write_text(wanted + "\n", encoding="utf-8")
    return python


def build_translations(python: Path) -> None:
    """Compile the .ts sources to .qm (the set-up does it too; a build must never ship without them)."""
    lrelease = python.with_name("pyside6-lrelease")
    for ts in sorted((ROOT / "translations").glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)


def build_bundle(work: Path) -> Path:
    """Run PyInstaller on the spec; returns the one-folder bundle (``<work>/bundle/green-kiosk``)."""
    python = build_environment()
    build_translations(python)
    dist = work / "bundle"
    subprocess.run(
        [
            str(python),
            "-m",
            "PyInstaller",
            str(SPEC),
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work / "pyinstaller"),
        ],
        check=True,
        cwd=ROOT,
        # A fixed hash seed: PyInstaller writes base_library.zip in set order, which changes per run.
        env={**os.environ, "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": str(_source_date())},
    )
    return dist / PACKAGE


def stage_package(bundle: Path, stage: Path, version: str) -> Path:
    """Lay out the package's files and its DEBIAN control folder in ``stage`` (made anew)."""
    if stage.exists():
        shutil.rmtree(stage)
    app = stage / APP_DIR
    shutil.copytree(bundle, app, symlinks=True, copy_function=_link_or_copy)
    _set_bundle_version(app, version)
    _normalise_modes(app)
    _install(DEBIAN_DIR / "kioskctl", stage / "usr/bin/kioskctl", 0o755)
    _install(ROOT / "resources/kiosk.example.toml", stage / "etc/green-kiosk/kiosk.toml", 0o644)
    _install(DEBIAN_DIR / "pam", stage / "etc/pam.d/green-kiosk", 0o644)
    _install(DEBIAN_DIR / "green-kiosk.service", stage / "lib/systemd/system/green-kiosk.service", 0o644)
    _install(DEBIAN_DIR / "sysusers.conf", stage / "usr/lib/sysusers.d/green-kiosk.conf", 0o644)
    _install_updater(stage)
    doc = stage / "usr/share/doc" / PACKAGE
    _install(DEBIAN_DIR / "copyright", doc / "copyright", 0o644)
    _install(ROOT / "packaging/README.md", doc / "README.md", 0o644)
    _write_changelog(doc / "changelog.gz", version)
    _install(DEBIAN_DIR / "lintian-overrides", stage / "usr/share/lintian/overrides" / PACKAGE, 0o644)

    control_dir = stage / "DEBIAN"
    control_dir.mkdir(parents=True)
    control = (DEBIAN_DIR / "control.in").read_text(encoding="utf-8")
    control = control.replace("@VERSION@", version).replace("@INSTALLED_SIZE@", str(_installed_kb(stage)))
    (control_dir / "control").write_text(control, encoding="utf-8")
    _install(DEBIAN_DIR / "conffiles", control_dir / "conffiles", 0o644)
    for script in ("postinst", "prerm", "postrm"):
        _install(DEBIAN_DIR / script, control_dir / script, 0o755)
    _write_md5sums(stage)
    return stage


def build_deb(stage: Path, out_dir: Path, compression: str = "xz") -> Path:
    """``dpkg-deb --build`` with root as every file's owner (no fakeroot needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    control = (stage / "DEBIAN/control").read_text(encoding="utf-8")
    version = re.search(r"^Version: (.+)$", control, re.MULTILINE)
    assert version is not None
    deb = out_dir / f"{PACKAGE}_{version.group(1)}_amd64.deb"
    level = {"xz": ["-z6"], "gzip": ["-z6"], "zstd": ["-z19"], "none": []}[compression]
    stamp = _source_date()
    _set_mtimes(stage, stamp)
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", f"-Z{compression}", *level, "--build", str(stage), str(deb)],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(stamp)},  # the ar and tar headers' dates
    )
    return deb


def _set_mtimes(stage: Path, stamp: int) -> None:
    """Every file dated the source date: the same source gives the same .deb bytes, whenever built."""
    for path in [stage, *stage.rglob("*")]:
        os.utime(path, (stamp, stamp), follow_symlinks=False)


def build(
    out_dir: Path,
    work: Path,
    *,
    version: str | None = None,
    compression: str = "xz",
    reuse_bundle: bool = False,
    deb: bool = True,
) -> BuildResult:
    started = time.monotonic()
    bundle = work / "bundle" / PACKAGE
    if not (reuse_bundle and bundle.is_dir()):
        bundle = build_bundle(work)
    bundle_seconds = time.monotonic() - started
    if not deb:
        return BuildResult(bundle, None, version or project_version(), bundle_seconds, 0.0)
    started = time.monotonic()
    package_version = version or project_version()
    stage = stage_package(bundle, work / "stage" / f"{PACKAGE}_{package_version}", package_version)
    result = build_deb(stage, out_dir, compression)
    return BuildResult(bundle, result, package_version, bundle_seconds, time.monotonic() - started)


def _install_updater(stage: Path) -> None:
    """The unattended update from the signed apt repository (packaging/repo.py): off until enrolled."""
    _install(DEBIAN_DIR / "green-kiosk-update", stage / "usr/lib/green-kiosk/green-kiosk-update", 0o755)
    _install(DEBIAN_DIR / "green-kiosk-enroll-updates", stage / "usr/sbin/green-kiosk-enroll-updates", 0o755)
    for unit in ("green-kiosk-update.service", "green-kiosk-update.timer"):
        _install(DEBIAN_DIR / unit, stage / "lib/systemd/system" / unit, 0o644)


def _link_or_copy(src: str, dst: str) -> None:
    """Hard links make staging a 200 MB bundle instant; a file that is changed later is copied first."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _set_bundle_version(app: Path, version: str) -> None:
    """Make the bundle's package metadata (what ``kioskctl --version`` reads) say ``version``."""
    internal = app / "_internal"
    found = [
        *internal.glob("green_kiosk-*.dist-info/METADATA"),
        *internal.glob("green_kiosk.egg-info/PKG-INFO"),  # what an editable install leaves
    ]
    if not found:
        raise SystemExit(f"no green-kiosk package metadata in {internal}: kioskctl --version would fail")
    for metadata in found:
        text = metadata.read_text(encoding="utf-8")
        new = re.sub(r"^Version: .*$", f"Version: {version}", text, count=1, flags=re.MULTILINE)
        if new != text:
            metadata.unlink()  # a hard link to the bundle's file: never change the original
            metadata.write_text(new, encoding="utf-8")


def _normalise_modes(app: Path) -> None:
    """0755 for folders and the two programs, 0644 for everything else (shared libraries included)."""
    for path in [app, *app.rglob("*")]:
        if path.is_symlink():
            continue
        program = path.parent == app and path.name in EXECUTABLES
        mode = 0o755 if path.is_dir() or program else 0o644
        if path.stat().st_mode & 0o7777 != mode:
            path.chmod(mode)


def _install(src: Path, dst: Path, mode: int) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    dst.chmod(mode)


def _write_changelog(path: Path, version: str) -> None:
    stamp = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(_source_date()))
    text = (
        f"{PACKAGE} ({version}) stable; urgency=medium\n\n"
        f"  * Release {version}: see the project's git history for the changes.\n\n"
        f" -- Green Kiosk team at ASAN xidmət <green-kiosk@asan.gov.az>  {stamp}\n"
    )
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    path.chmod(0o644)


def _source_date() -> int:
    """SOURCE_DATE_EPOCH, else the last commit's time, else now (reproducible when built from git)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return int(out.stdout.strip())
    except (OSError, subprocess.CalledProcessError, ValueError):
        return int(time.time())


def _installed_kb(stage: Path) -> int:
    total = sum(p.lstat().st_size for p in stage.rglob("*") if p.is_file() or p.is_symlink())
    return (total + 1023) // 1024


def _write_md5sums(stage: Path) -> None:
    lines = []
    for path in sorted(stage.rglob("*")):
        relative = path.relative_to(stage)
        if relative.parts[0] == "DEBIAN" or path.is_symlink() or not path.is_file():
            continue
        digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
        lines.append(f"{digest}  {relative.as_posix()}\n")
    md5sums = stage / "DEBIAN/md5sums"
    md5sums.write_text("".join(lines), encoding="utf-8")
    md5sums.chmod(0o644)


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink()) / 1e6


def _publish(deb: Path, repo: Path, key: Path) -> int:
    """The release's last step: packaging/repo.py adds the .deb to the signed update repository."""
    return subprocess.run([sys.executable, str(ROOT / "packaging/repo.py"), "publish", "--repo", str(repo),
                           "--key", str(key), str(deb)]).returncode  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the .deb goes (dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "packaging", help="build folder")
    parser.add_argument("--version", help="package version (default: pyproject.toml); for upgrade tests")
    parser.add_argument("--compression", choices=("xz", "gzip", "zstd", "none"), default="xz")
    parser.add_argument("--reuse-bundle", action="store_true", help="skip PyInstaller if a bundle exists")
    parser.add_argument("--bundle-only", action="store_true", help="build the bundle, not the .deb")
    parser.add_argument("--publish", type=Path, metavar="REPO", help="then publish the .deb there")
    parser.add_argument("--key", type=Path, help="with --publish: the repository's secret key file")
    args = parser.parse_args(argv)
    if args.publish is not None and (args.key is None or not args.key.is_file()):
        parser.error("--publish needs --key FILE: the secret key of the update repository")
    result = build(
        args.out.resolve(),
        args.work.resolve(),
        version=args.version,
        compression=args.compression,
        reuse_bundle=args.reuse_bundle,
        deb=not args.bundle_only,
    )
    print(f"bundle   {result.bundle}  {_size_mb(result.bundle):.0f} MB  ({result.bundle_seconds:.0f} s)")
    if result.deb is not None:
        print(f"package  {result.deb}  {_size_mb(result.deb):.0f} MB  ({result.deb_seconds:.0f} s)")
    if args.publish is not None and result.deb is not None:
        return _publish(result.deb, args.publish, args.key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
