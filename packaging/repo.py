"""The signed apt repository kiosks update themselves from: make its key once, publish each release.

Usage (plain standard library and Debian tools: apt-ftparchive from apt-utils, gpg):

    python3 packaging/repo.py make-key OUT_DIR
    python3 packaging/repo.py publish --repo REPO_DIR --key OUT_DIR/green-kiosk-updates.key DEB...

``make-key`` writes the signing key (``green-kiosk-updates.key``, secret: keep it offline like the
content channel's key) and its public half (``green-kiosk-updates.gpg``, copied to every kiosk by
``green-kiosk-enroll-updates``). ``publish`` adds .debs to a flat repository (``pool/``, ``Packages``,
``Packages.gz``, ``Packages.xz``, ``Release`` with SHA-256 sums, ``InRelease`` and ``Release.gpg``) that
any static web server can serve as it is; kiosks use it as ``deb [signed-by=…] URL ./``.
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import functools
import gzip
import lzma
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "green-kiosk"
ORIGIN = "Green Kiosk"
SECRET_KEY = "green-kiosk-updates.key"
PUBLIC_KEY = "green-kiosk-updates.gpg"
KEY_USER_ID = "Green Kiosk updates <green-kiosk@asan.gov.az>"
INDEXES = ("Packages", "Packages.gz", "Packages.xz", "Release", "InRelease", "Release.gpg")


class RepoError(Exception):
    """A reason the repository could not be made, written for the IT technician who ran the command."""


@dataclass(frozen=True)
class Published:
    """What a publish left in the repository."""

    repo: Path
    versions: tuple[str, ...]
    fingerprint: str


@contextlib.contextmanager
def gnupg_home() -> Iterator[Path]:
    """A throwaway GnuPG home (short path: gpg-agent's socket lives in it), agent stopped afterwards."""
    home = Path(tempfile.mkdtemp(prefix="gk-gpg-"))
    home.chmod(0o700)
    try:
        yield home
    finally:
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def _gpg(home: Path, *args: str, stdin: bytes | None = None) -> bytes:
    command = ["gpg", "--batch", "--quiet", "--homedir", str(home), "--pinentry-mode", "loopback"]
    result = subprocess.run([*command, "--passphrase", "", *args], input=stdin, capture_output=True)
    if result.returncode != 0:
        raise RepoError(f"gpg {' '.join(args[:2])} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def _fingerprint(home: Path) -> str:
    listing = _gpg(home, "--list-secret-keys", "--with-colons").decode()
    for line in listing.splitlines():
        if line.startswith("fpr:"):
            return line.split(":")[9]
    raise RepoError("the key file holds no secret key: give the .key file made by 'repo.py make-key'")


def make_key(out_dir: Path) -> str:
    """Make the repository's signing key (Ed25519, signing only); returns its fingerprint."""
    secret, public = out_dir / SECRET_KEY, out_dir / PUBLIC_KEY
    if secret.exists():
        raise RepoError(f"{secret} exists: a new key would lock out every enrolled kiosk; keep the old one")
    out_dir.mkdir(parents=True, exist_ok=True)
    with gnupg_home() as home:
        _gpg(home, "--quick-gen-key", KEY_USER_ID, "ed25519", "sign", "never")
        fingerprint = _fingerprint(home)
        secret_bytes = _gpg(home, "--armor", "--export-secret-keys", fingerprint)
        public_bytes = _gpg(home, "--export", fingerprint)
    fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret_bytes)
    public.write_bytes(public_bytes)
    return fingerprint


def deb_fields(deb: Path) -> dict[str, str]:
    """Package, Version and Architecture from a .deb's control file."""
    result = subprocess.run(
        ["dpkg-deb", "--showformat=${Package}\\n${Version}\\n${Architecture}\\n", "--show", str(deb)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RepoError(f"{deb}: not a Debian package ({result.stderr.strip()})")
    package, version, architecture = result.stdout.splitlines()[:3]
    return {"Package": package, "Version": version, "Architecture": architecture}


def _compare_versions(a: str, b: str) -> int:
    if a == b:
        return 0
    less = subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
    return -1 if less else 1


def publish(repo: Path, key_file: Path, debs: list[Path], *, keep: int = 3) -> Published:
    """Add ``debs`` to the flat repository ``repo`` (made if new), keep the newest ``keep`` versions
    (older ones stay downloadable for a rollback), rewrite the indexes and sign them."""
    if shutil.which("apt-ftparchive") is None:
        raise RepoError("apt-ftparchive is missing: sudo apt-get install apt-utils")
    if keep < 2:
        raise RepoError("--keep must be at least 2: kiosks roll back to the previous version")
    if not key_file.is_file():
        raise RepoError(f"{key_file}: no such key file (make it once with 'repo.py make-key')")
    pool = repo / "pool"
    pool.mkdir(parents=True, exist_ok=True)
    for deb in debs:
        fields = deb_fields(deb)
        if fields["Package"] != PACKAGE:
            raise RepoError(f"{deb}: package {fields['Package']!r}; this repository carries {PACKAGE} only")
        target = pool / f"{PACKAGE}_{fields['Version']}_{fields['Architecture']}.deb"
        if target.exists() and not filecmp.cmp(target, deb, shallow=False):
            raise RepoError(
                f"{target.name} is already published with other contents: kiosks that have it would "
                "never see the change; publish it under a new version"
            )
        shutil.copyfile(deb, target)
        target.chmod(0o644)
    by_version = {deb_fields(p)["Version"]: p for p in pool.glob("*.deb")}
    ordered = sorted(by_version, key=functools.cmp_to_key(_compare_versions))
    for old in ordered[:-keep]:
        by_version[old].unlink()
    kept = tuple(ordered[-keep:])
    with gnupg_home() as home:
        _gpg(home, "--import", str(key_file))
        fingerprint = _fingerprint(home)
        _write_indexes(repo)
        _sign(repo, home, fingerprint)
    return Published(repo, kept, fingerprint)


def _write_indexes(repo: Path) -> None:
    for name in INDEXES:
        (repo / name).unlink(missing_ok=True)
    packages = subprocess.run(
        ["apt-ftparchive", "packages", "pool"], cwd=repo, capture_output=True, check=True
    ).stdout
    (repo / "Packages").write_bytes(packages)
    with (repo / "Packages.gz").open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(packages)
    (repo / "Packages.xz").write_bytes(lzma.compress(packages))
    options = {
        "Origin": ORIGIN,
        "Label": ORIGIN,
        "Suite": "stable",
        "Codename": PACKAGE,
        "Architectures": "amd64",
        "Description": "Green Kiosk releases for the kiosks' unattended updates",
    }
    command = ["apt-ftparchive"]
    for field, value in options.items():
        command += ["-o", f"APT::FTPArchive::Release::{field}={value}"]
    release = subprocess.run(
        [*command, "-o", "APT::FTPArchive::Release::Default-Patterns=false", "-o",
         "APT::FTPArchive::Release::Patterns::=Packages*", "release", "."],
        cwd=repo, capture_output=True, check=True,
    ).stdout  # fmt: skip
    (repo / "Release").write_bytes(release)


def _sign(repo: Path, home: Path, fingerprint: str) -> None:
    signing = ["--local-user", fingerprint, "--digest-algo", "SHA512"]
    _gpg(home, *signing, "--clearsign", "--output", str(repo / "InRelease"), str(repo / "Release"))
    _gpg(
        home,
        *signing,
        "--armor",
        "--detach-sign",
        "--output",
        str(repo / "Release.gpg"),
        str(repo / "Release"),
    )
    for name in ("InRelease", "Release.gpg"):
        (repo / name).chmod(0o644)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    key = commands.add_parser("make-key", help="make the repository's signing key, once")
    key.add_argument("out", type=Path, help="folder for the .key (secret) and .gpg (public) files")
    pub = commands.add_parser("publish", help="add .debs to the repository and sign it")
    pub.add_argument("--repo", type=Path, required=True, help="the repository folder your web server serves")
    pub.add_argument("--key", type=Path, required=True, help=f"the secret key file ({SECRET_KEY})")
    pub.add_argument("--keep", type=int, default=3, help="how many versions stay downloadable (default 3)")
    pub.add_argument("debs", type=Path, nargs="+", help="green-kiosk_<version>_amd64.deb files")
    args = parser.parse_args(argv)
    try:
        if args.command == "make-key":
            fingerprint = make_key(args.out)
            print(f"key      {args.out / SECRET_KEY}  (secret: keep it offline, with a backup)")
            print(f"public   {args.out / PUBLIC_KEY}  (copy it to each kiosk: green-kiosk-enroll-updates)")
            print(f"fingerprint {fingerprint}")
        else:
            published = publish(args.repo, args.key, args.debs, keep=args.keep)
            print(f"repository {published.repo}  versions {' '.join(published.versions)}")
            print(f"signed by  {published.fingerprint}")
    except (RepoError, subprocess.CalledProcessError) as exc:
        print(f"repo.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
