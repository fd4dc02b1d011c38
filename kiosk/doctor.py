"""``kioskctl doctor``: is this PC and its configuration fit to run the kiosk? One line per check.

Read-only: it never writes to the kiosk's database or data dir, so it can run beside the kiosk. A FAIL
is something the kiosk cannot work around (exit status 1); a WARN is worth a look but the kiosk copes.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from kiosk.checks import FAIL, OK, SKIP, WARN, CheckResult, report
from kiosk.config import Settings, default_data_dir
from kiosk.errors import KioskError
from kiosk.options import settings_from_options
from kiosk.paths import RESOURCES_DIR
from kiosk.session_checks import display_sleep_check, session_check, vaapi_check
from kiosk.startup import LAST_GOOD_CONFIG
from kiosk.status import disk_space

MIN_FREE_MB = 200
"""Below this the database and logs may fail to write: FAIL. Below the content cache limit: WARN."""
EARLIEST_SANE = datetime(2026, 1, 1, tzinfo=UTC)
"""A clock before this has lost its time (a dead RTC battery): certificates and schedules are wrong."""
GL_LIBRARIES = ("libEGL.so.1", "libGL.so.1")
SHIPPED_FONTS = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
KIOSK_USER = "green-kiosk"
"""The package's system user (packaging/debian/sysusers.conf): who must be able to read the token."""


def cmd_doctor(args: argparse.Namespace) -> int:
    return report(run_doctor(args), args)


def run_doctor(args: argparse.Namespace, *, now: Callable[[], datetime] | None = None) -> list[CheckResult]:
    """Every check, in the order a technician would look; a check that crashes is reported as FAIL."""
    settings, data_dir, config_result = _config(args)
    checks: list[tuple[str, Callable[[], CheckResult]]] = [
        ("config", lambda: config_result),
        ("display", _display),
        ("session", lambda: session_check(settings)),
        ("display sleep", display_sleep_check),
        ("gl", _gl),
        ("video decoding", vaapi_check),
        ("fonts", _fonts),
        ("data dir", lambda: _data_dir(data_dir, settings)),
        ("database", lambda: _database(data_dir)),
        ("clock", lambda: _clock(now or (lambda: datetime.now(UTC)))),
        ("content", lambda: _content(settings, args.timeout)),
        ("central", lambda: token_file_check(settings)),
        ("energy", lambda: _energy(settings)),
    ]
    results = []
    for name, check in checks:
        try:
            results.append(check())
        except KioskError as exc:  # a source, key or server problem, in words for the technician
            results.append(CheckResult(name, FAIL, str(exc).replace("\n", "; ")))
        except Exception as exc:  # one broken check must not hide the others
            results.append(CheckResult(name, FAIL, f"the check itself failed: {exc!r}"))
    return results


def _config(args: argparse.Namespace) -> tuple[Settings, Path, CheckResult]:
    try:
        settings, data_dir = settings_from_options(args)
    except KioskError as exc:
        data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
        fallback = (
            "the kiosk starts anyway with the last config that worked"
            if (data_dir / LAST_GOOD_CONFIG).is_file()
            else "the kiosk starts anyway with the built-in defaults and the keys that can be read"
        )
        return Settings(), data_dir, CheckResult("config", FAIL, f"{exc}; {fallback}")
    where = str(settings.path) if settings.path else "no config file: built-in defaults"
    return settings, data_dir, CheckResult("config", OK, f"{where} (kiosk {settings.kiosk.id!r})")


def _display() -> CheckResult:
    wayland = os.environ.get("WAYLAND_DISPLAY", "")
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if wayland and (Path(runtime) / wayland).exists():
        return CheckResult("display", OK, f"Wayland display {wayland}")
    x11 = os.environ.get("DISPLAY", "")
    if x11.startswith(":") and Path(f"/tmp/.X11-unix/X{x11[1:].split('.')[0]}").exists():
        return CheckResult("display", OK, f"X11 display {x11}")
    cards = sorted(str(p) for p in Path("/dev/dri").glob("card*"))
    cage = shutil.which("cage")
    if cards and cage:
        return CheckResult("display", OK, f"no display in this shell; cage can draw on {', '.join(cards)}")
    if not cage:
        return CheckResult(
            "display", WARN, "no display in this shell and no cage compositor (apt install cage)"
        )
    return CheckResult(
        "display", WARN, "no GPU device (/dev/dri/card*): cage cannot show the kiosk on a screen here"
    )


def _gl() -> CheckResult:
    missing = []
    for name in GL_LIBRARIES:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    if missing:
        return CheckResult("gl", FAIL, f"{', '.join(missing)} not found: apt install libegl1 libgl1")
    render = sorted(p.name for p in Path("/dev/dri").glob("renderD*"))
    if not render:
        return CheckResult("gl", WARN, "EGL and GL libraries present; no GPU render node: software rendering")
    return CheckResult("gl", OK, f"EGL and GL libraries present; render node {', '.join(render)}")


def _fonts() -> CheckResult:
    fonts = RESOURCES_DIR / "fonts"
    missing = [name for name in SHIPPED_FONTS if not os.access(fonts / name, os.R_OK)]
    if missing:
        return CheckResult("fonts", FAIL, f"shipped fonts missing from {fonts}: {', '.join(missing)}")
    if not Path("/etc/fonts/fonts.conf").exists():
        return CheckResult(
            "fonts", WARN, "Noto Sans shipped; no /etc/fonts/fonts.conf (apt install fontconfig-config)"
        )
    return CheckResult("fonts", OK, f"{', '.join(SHIPPED_FONTS)}; fontconfig present")


def _data_dir(data_dir: Path, settings: Settings) -> CheckResult:
    existing = data_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        who = f"user {_user()}"
        what = "" if existing == data_dir else f" (it does not exist; {existing} is not writable either)"
        return CheckResult("data dir", FAIL, f"{data_dir} is not writable for {who}{what}")
    space = disk_space(data_dir)
    if space.full:
        return CheckResult("data dir", FAIL, f"{data_dir}: writable, but {space.describe()}")
    free_mb = space.free_bytes // (1024 * 1024)
    detail = f"{data_dir}: writable, {free_mb:,} MB free"
    if free_mb < MIN_FREE_MB:
        return CheckResult(
            "data dir", FAIL, f"{detail}; the database and logs need at least {MIN_FREE_MB} MB"
        )
    if free_mb < settings.content.cache_limit_mb:
        return CheckResult(
            "data dir",
            WARN,
            f"{detail}; less than [content] cache_limit_mb ({settings.content.cache_limit_mb})",
        )
    return CheckResult("data dir", OK, detail)


def _database(data_dir: Path) -> CheckResult:
    from kiosk.store.db import DB_NAME

    path = data_dir / DB_NAME
    if not path.exists():
        return CheckResult("database", OK, f"{path}: not created yet (the kiosk creates it at start)")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            check = connection.execute("PRAGMA quick_check").fetchone()
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return CheckResult(
            "database", WARN, f"{path}: unreadable ({exc}); the kiosk moves it aside and starts afresh"
        )
    if check is None or check[0] != "ok":
        return CheckResult("database", WARN, f"{path}: damaged; the kiosk moves it aside and starts afresh")
    stored = {row[0] for row in rows}
    known, heads = _migrations()
    revision = ",".join(sorted(stored)) or "none"
    if stored == heads:
        return CheckResult("database", OK, f"{path}: sound, schema {revision} (current)")
    if not stored <= known:
        return CheckResult(
            "database",
            FAIL,
            f"{path}: schema {revision} is from a newer version of the kiosk: install that version again, "
            "or restore the kiosk.db.pre-* copy made before the upgrade (packaging/README.md)",
        )
    target = ",".join(sorted(heads))
    return CheckResult(
        "database", OK, f"{path}: sound, schema {revision}; migrated to {target} at next start"
    )


def _migrations() -> tuple[set[str], set[str]]:
    """Every revision this version's migrations know, and the newest ones."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from kiosk.store.db import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    return {rev.revision for rev in script.walk_revisions()}, set(script.get_heads())


def _clock(now: Callable[[], datetime]) -> CheckResult:
    current = now()
    if current < EARLIEST_SANE:
        return CheckResult(
            "clock", FAIL, f"the clock says {current:%Y-%m-%d %H:%M} UTC: set the time (and check NTP)"
        )
    synced = _ntp_synchronised()
    stamp = f"{current:%Y-%m-%d %H:%M} UTC"
    if synced is None:
        return CheckResult("clock", WARN, f"{stamp}; cannot tell whether NTP keeps it right")
    if not synced:
        return CheckResult("clock", WARN, f"{stamp}; not synchronised by NTP (timedatectl set-ntp true)")
    return CheckResult("clock", OK, f"{stamp}; synchronised by NTP")


def _ntp_synchronised() -> bool | None:
    if Path("/run/systemd/timesync/synchronized").exists():
        return True
    if shutil.which("timedatectl") is None:
        return None
    try:
        out = subprocess.run(
            ["timedatectl", "show", "--property=NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = out.stdout.strip()
    return None if out.returncode != 0 or value not in ("yes", "no") else value == "yes"


def _content(settings: Settings, timeout: float) -> CheckResult:
    if not settings.content.url:
        return CheckResult("content", SKIP, "no [content] url: the kiosk shows its bundled demo content")
    import requests

    from kiosk.content.manifest import MANIFEST_FILE, SIGNATURE_FILE, parse_manifest
    from kiosk.content.signing import load_public_key, verify

    if not settings.content.public_key:
        return CheckResult("content", FAIL, "[content] public_key is empty: needed when url is set")
    key_path = Path(settings.content.public_key)  # made absolute when the config was loaded
    key = load_public_key(key_path)  # ConfigError: reported as FAIL by the caller's message
    base = settings.content.url if settings.content.url.endswith("/") else settings.content.url + "/"
    try:
        manifest = requests.get(base + MANIFEST_FILE, timeout=timeout)
        manifest.raise_for_status()
        signature = requests.get(base + SIGNATURE_FILE, timeout=timeout)
        signature.raise_for_status()
    except requests.RequestException as exc:
        return CheckResult("content", FAIL, f"cannot fetch {base}{MANIFEST_FILE}: {exc}")
    verify(key, manifest.content, signature.content)
    release = parse_manifest(manifest.content).release
    return CheckResult("content", OK, f"{base}: release {release}, signed with {key_path.name}")


def _energy(settings: Settings) -> CheckResult:
    from kiosk.energy.service import make_network_source, make_source

    central = settings.central
    token = None
    if central.url:
        from kiosk.fleet import read_kiosk_token

        try:
            token = read_kiosk_token(settings)
        except KioskError:
            token = None  # the "central" check says why
    results = []
    for source in (
        make_source(settings.energy, central=central, central_token=token),
        make_network_source(settings.energy, central=central, central_token=token),
    ):
        if source is None:
            continue
        url = getattr(source, "url", "")
        if token is None and central.url and isinstance(url, str) and central.serves(url):
            results.append(f"{source.name}: not read, it needs the kiosk's token (see central)")
            continue
        reading = source.read()  # SourceError names the source and the reason
        results.append(f"{source.name}: {reading.power_w:,.0f} W")
    detail = "; ".join(results)
    if settings.energy.source == "simulator":
        detail += " (simulated: set [energy] source for the real inverter)"
    return CheckResult("energy", OK if "not read" not in detail else WARN, detail)


def token_file_check(settings: Settings, *, as_user: str | None = None) -> CheckResult:
    """Can the kiosk's own user read ``[central] token_file``, and is nobody else able to?

    The kiosk starts without it (no reports, no push), so the cause must be named here and in
    ``check-config``: a file made by root with ``chmod 600`` is the usual one. Run as root (who reads
    anything), it judges for the package's ``green-kiosk`` user when there is one, or ``as_user``.
    """
    central = settings.central
    if not central.url:
        return CheckResult("central", SKIP, "no [central] url: this kiosk reports to no central server")
    if not central.token_file:
        return CheckResult("central", FAIL, "[central] token_file is empty: needed when url is set")
    path = Path(central.token_file)  # made absolute when the config was loaded
    if as_user is None and os.geteuid() == 0 and _uid_of(KIOSK_USER) is not None:
        as_user = KIOSK_USER
    user = as_user or _user()
    try:
        info = path.stat()
    except OSError as exc:
        return CheckResult("central", FAIL, f"[central] token_file {path}: {exc.strerror}")
    owner = _owner(info.st_uid)
    mode = info.st_mode & 0o777
    readable = os.access(path, os.R_OK) if as_user is None else _readable_by(info, as_user)
    if not readable:
        return CheckResult(
            "central",
            FAIL,
            f"[central] token_file {path} cannot be read by {user}, the kiosk's user (owner {owner}, "
            f"mode {mode:o}): sudo chown {user} {path}; sudo chmod 600 {path}",
        )
    from kiosk.fleet import read_kiosk_token

    read_kiosk_token(settings)  # ConfigError (empty, not text): reported as FAIL by the caller
    if mode & 0o077:
        return CheckResult(
            "central",
            WARN,
            f"[central] token_file {path} can be read by other users (mode {mode:o}): sudo chmod 600 {path}",
        )
    return CheckResult("central", OK, f"{central.base_url}: token in {path}, readable by {user} only")


def _readable_by(info: os.stat_result, user: str) -> bool:
    """Whether ``user`` may read a file with this owner, group and mode (the permission bits only)."""
    import grp
    import pwd

    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        return False
    if entry.pw_uid == 0:
        return True
    if info.st_uid == entry.pw_uid:
        return bool(info.st_mode & 0o400)
    groups = {entry.pw_gid} | {g.gr_gid for g in grp.getgrall() if user in g.gr_mem}
    if info.st_gid in groups:
        return bool(info.st_mode & 0o040)
    return bool(info.st_mode & 0o004)


def _uid_of(user: str) -> int | None:
    import pwd

    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        return None


def _owner(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _user() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())
