"""A minimal Debian root as IT staff get one, for installing the real .deb with apt and chrooting into it.

debootstrap --variant=minbase takes about 30 s and apt then fetches the 183 Debian packages green-kiosk
depends on (about 45 s): both results are kept as tar files in a cache outside the repository
($GREEN_KIOSK_TEST_CACHE, default /var/cache/green-kiosk-tests), so a warm run only unpacks a tar (7 s).
The second layer is keyed by the package's Depends and Recommends (and renewed after 30 days): a change
to them is resolved against the Debian mirror again, so the cache never hides a missing dependency.
Without root, or (when a layer must be built) without debootstrap or a mirror that answers, the tests
that need it skip, saying which.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from tests.conftest import REPO_ROOT

SUITE = "bookworm"
CACHE = Path(os.environ.get("GREEN_KIOSK_TEST_CACHE", "/var/cache/green-kiosk-tests"))
MAX_AGE_S = 30 * 24 * 3600
CONTROL = REPO_ROOT / "packaging" / "debian" / "control.in"
CLEAN_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8", "HOME": "/root", "TERM": "dumb"}


class UnavailableError(Exception):
    """Why a bare root cannot be made on this machine (the tests skip with this reason)."""


def debian_mirror() -> str:
    """$GREEN_KIOSK_DEBIAN_MIRROR, else the first Debian archive (not security) this machine's apt uses."""
    if mirror := os.environ.get("GREEN_KIOSK_DEBIAN_MIRROR"):
        return mirror.rstrip("/")
    found: list[str] = []
    for path in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        found += re.findall(r"^URIs:\s*(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    lists = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*.list"))]
    for path in lists:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            found += re.findall(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)", text, re.MULTILINE)
    for uri in found:
        if uri.startswith(("http://", "https://")) and "security" not in uri:
            return uri.rstrip("/")
    raise UnavailableError("no Debian mirror in /etc/apt/sources.list(.d): set GREEN_KIOSK_DEBIAN_MIRROR")


def check_can_build() -> str:
    """The mirror to use, or UnavailableError saying why not (not root, no mirror configured)."""
    if os.geteuid() != 0:
        raise UnavailableError("needs root (debootstrap, chroot and mount); CI here runs as root")
    return debian_mirror()


def _check_mirror(mirror: str) -> None:
    """Before a cache layer is built (a warm cache needs no network): does the mirror answer?"""
    release = f"{mirror}/dists/{SUITE}/Release"
    try:
        with urllib.request.urlopen(urllib.request.Request(release, method="HEAD"), timeout=15):
            pass
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise UnavailableError(f"the Debian mirror does not answer ({release}: {exc})") from exc


def dependency_fields() -> str:
    """The Depends and Recommends lines of the package: what the second cache layer must contain."""
    control = CONTROL.read_text(encoding="utf-8")
    return "".join(re.findall(r"^(?:Depends|Recommends):.*\n", control, re.MULTILINE))


def _fresh(path: Path) -> bool:
    return path.is_file() and time.time() - path.stat().st_mtime < MAX_AGE_S


def _run(command: Sequence[str | Path], log: Path, timeout: float = 600) -> None:
    with log.open("a", encoding="utf-8") as out:
        argv = list(map(str, command))
        result = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({result.returncode}):\n" + "\n".join(tail))


def _tar_into(tree: Path, target: Path) -> None:
    """tree as an uncompressed tar at target, written under another name first (another run may read it)."""
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    _run(["tar", "-C", tree, "-cf", partial, "."], target.with_suffix(".log"))
    partial.replace(target)


def _build_dir(layer: str) -> Path:
    """A folder of this process to build a cache layer in (two test runs may build at once); the
    folders of runs that were killed meanwhile are deleted."""
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"{SUITE}-*.build-*"):
        pid = old.name.rsplit("-", 1)[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            BareRoot(old).remove()
    return CACHE / f"{SUITE}-{layer}.build-{os.getpid()}"


def minbase_tar(mirror: str) -> Path:
    """debootstrap --variant=minbase of SUITE, cached."""
    target = CACHE / f"{SUITE}-minbase.tar"
    if _fresh(target):
        return target
    if shutil.which("debootstrap") is None:
        raise UnavailableError("debootstrap is not installed (scripts/bootstrap.sh dev installs it)")
    _check_mirror(mirror)
    tree = _build_dir("minbase")
    log = CACHE / f"{SUITE}-minbase.log"
    log.unlink(missing_ok=True)
    _run(["debootstrap", "--variant=minbase", SUITE, tree, mirror], log)
    _tar_into(tree, target)
    shutil.rmtree(tree)
    return target


def dependencies_tar(mirror: str) -> Path:
    """The minimal root with every Depends and Recommends of green-kiosk installed by apt, cached per key.

    A stand-in package with the same two fields is installed with apt and purged again, so the real
    .deb's own installation (users, files, maintainer scripts) always runs in the test.
    """
    fields = dependency_fields()
    key = hashlib.sha256(f"{SUITE}\n{mirror}\n{fields}".encode()).hexdigest()[:12]
    target = CACHE / f"{SUITE}-dependencies-{key}.tar"
    if _fresh(target):
        return target
    base = minbase_tar(mirror)
    _check_mirror(mirror)
    root = BareRoot.unpack(base, _build_dir("dependencies"))
    try:
        stage = root.path / "tmp/stand-in"
        (stage / "DEBIAN").mkdir(parents=True)
        (stage / "DEBIAN/control").write_text(
            f"Package: green-kiosk-dependencies\nVersion: 1\nArchitecture: amd64\n{fields}"
            "Maintainer: Green Kiosk tests <tests@example.invalid>\n"
            "Description: green-kiosk's dependencies\n",
            encoding="utf-8",
        )
        subprocess.run(["dpkg-deb", "-Znone", "--build", stage, root.path / "tmp/stand-in.deb"],
                       check=True, capture_output=True)  # fmt: skip
        log = target.with_suffix(".log")
        log.unlink(missing_ok=True)
        root.check(["apt-get", "update", "-q"], log)
        root.check(["apt-get", "install", "-y", "-q", "/tmp/stand-in.deb"], log)
        root.check(["dpkg", "--purge", "green-kiosk-dependencies"], log)
        root.check(["apt-get", "clean"], log)
        shutil.rmtree(stage)
        (root.path / "tmp/stand-in.deb").unlink()
        root.unmount()
        for old in CACHE.glob(f"{SUITE}-dependencies-*.tar"):
            old.unlink()
        _tar_into(root.path, target)
    finally:
        root.remove()
    return target


class BareRoot:
    """An unpacked root with /proc and a /dev/shm mounted, entered with chroot; removed when done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._mounts: list[Path] = []

    @classmethod
    def unpack(cls, tar: Path, path: Path) -> BareRoot:
        if path.exists():
            BareRoot(path).remove()
        path.mkdir(parents=True)
        subprocess.run(["tar", "-C", str(path), "-xf", str(tar)], check=True)
        # No fsync per unpacked file, as in Debian's container images: 2 s less per install of the kiosk.
        (path / "etc/dpkg/dpkg.cfg.d/unsafe-io").write_text("force-unsafe-io\n", encoding="utf-8")
        root = cls(path)
        root._mount(["-t", "proc", "proc"], "proc")
        # wlroots' and Qt's shared-memory buffers; a real system has it, debootstrap does not mount it.
        root._mount(["-t", "tmpfs", "-o", "mode=1777", "tmpfs"], "dev/shm")
        return root

    def _mount(self, how: list[str], where: str) -> None:
        target = self.path / where
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", *how, str(target)], check=True)
        self._mounts.append(target)

    def run(
        self,
        command: Sequence[str | Path],
        *,
        env: dict[str, str] | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        """``command`` inside the root, as root, with a clean environment (nothing of the test's leaks in)."""
        full = dict(CLEAN_ENV, DEBIAN_FRONTEND="noninteractive", **(env or {}))
        return subprocess.run(
            ["chroot", str(self.path), *map(str, command)],
            capture_output=True,
            text=True,
            env=full,
            timeout=timeout,
        )

    def popen(self, command: Sequence[str | Path], env: dict[str, str]) -> subprocess.Popen[str]:
        """``command`` inside the root in its own process group, output to a file in the root's /tmp."""
        log = (self.path / "tmp/popen.log").open("w", encoding="utf-8")
        return subprocess.Popen(
            ["chroot", str(self.path), *map(str, command)],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(CLEAN_ENV, **env),
            start_new_session=True,
        )

    def check(self, command: Sequence[str | Path], log: Path) -> None:
        result = self.run(command, timeout=600)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"$ {' '.join(map(str, command))}\n{result.stdout}{result.stderr}")
        if result.returncode != 0:
            raise RuntimeError(f"in the root, {' '.join(map(str, command))} failed:\n{result.stderr[-2000:]}")

    def unmount(self) -> None:
        while self._mounts:
            subprocess.run(["umount", str(self._mounts.pop())], check=True)

    def remove(self) -> None:
        """Unmount, and delete the tree only when nothing is mounted below it any more."""
        self.unmount()
        for leftover in self._mounted_below()[::-1]:  # proc and tmpfs of a run that was killed
            if leftover.endswith(("/proc", "/dev/shm")):
                subprocess.run(["umount", leftover], check=False)
        if below := self._mounted_below():
            raise RuntimeError(f"still mounted below {self.path}: {below}; not deleting it")
        shutil.rmtree(self.path)

    def _mounted_below(self) -> list[str]:
        prefix = str(self.path.resolve()) + "/"
        with open("/proc/mounts", encoding="utf-8") as mounts:
            return [line.split()[1] for line in mounts if line.split()[1].startswith(prefix)]
