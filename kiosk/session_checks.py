"""doctor's checks of the packaged session's pieces, display sleep and hardware video decoding (VA-API).

A minimal Debian lacks what cage needs to get a seat (logind through pam_systemd, the D-Bus system bus)
and a VA-API driver; each missing piece is named with the package that brings it.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from kiosk.checks import FAIL, OK, WARN, CheckResult
from kiosk.config import DisplaySettings, Settings
from kiosk.display_power import NONE, Capabilities, choose_method, probe
from kiosk.session import cage_rotates

PAM_DIRS = ("/usr/lib/x86_64-linux-gnu/security", "/lib/x86_64-linux-gnu/security", "/usr/lib/security")
LOGIND = ("/usr/lib/systemd/systemd-logind", "/lib/systemd/systemd-logind")
DBUS = ("/usr/bin/dbus-daemon", "/usr/bin/dbus-broker")


def session_check(
    settings: Settings, *, which: Callable[[str], str | None] = shutil.which, root: Path = Path("/")
) -> CheckResult:
    """Are the programs and modules the kiosk's cage session needs installed (package names if not)?"""
    missing: list[str] = []
    if which("cage") is None:
        missing.append("cage (apt install cage)")
    rotates = which("cage") is not None and cage_rotates()
    if rotates and which("Xwayland") is None:  # Debian 12's cage 0.1.4 will not start without it
        missing.append("Xwayland (apt install xwayland)")
    if not rotates and (settings.display.rotation or settings.display.output) and which("wlr-randr") is None:
        missing.append("wlr-randr for [display] rotation/output (apt install wlr-randr)")
    if not _any_exists(root, [f"{d}/pam_systemd.so" for d in PAM_DIRS]):
        missing.append("pam_systemd, the session's XDG_RUNTIME_DIR (apt install libpam-systemd)")
    if not _any_exists(root, LOGIND):
        missing.append("systemd-logind (apt install systemd)")
    if not _any_exists(root, DBUS):
        missing.append("the D-Bus system bus logind needs (apt install dbus)")
    if missing:
        return CheckResult("session", FAIL, "missing: " + "; ".join(missing))
    how = "cage -r" if rotates else "wlr-randr"
    rotation = (
        f"rotation {settings.display.rotation}° by {how}" if settings.display.rotation else "no rotation"
    )
    output = ""
    if settings.display.output:
        output = f"; output {settings.display.output}" + (" (needs cage 0.1.5 or newer)" if rotates else "")
    return CheckResult(
        "session",
        WARN if output.endswith(")") else OK,
        f"cage, logind, D-Bus, pam_systemd; {rotation}{output}",
    )


def _any_exists(root: Path, paths: Sequence[str]) -> bool:
    return any((root / p.lstrip("/")).exists() for p in paths)


def vaapi_check(render_nodes: Sequence[Path] | None = None) -> CheckResult:
    """Can libva open this GPU (VA-API: the video decoded by the GPU, not the CPU)?"""
    nodes = sorted(Path("/dev/dri").glob("renderD*")) if render_nodes is None else list(render_nodes)
    try:
        libva = ctypes.CDLL("libva.so.2")
        libva_drm = ctypes.CDLL("libva-drm.so.2")
    except OSError:
        return CheckResult(
            "video decoding",
            WARN,
            "hardware video decoding not available: no libva (apt install libva2 libva-drm2)",
        )
    if not nodes:
        return CheckResult(
            "video decoding",
            WARN,
            "hardware video decoding not available: no GPU render node (/dev/dri/renderD*)",
        )
    libva_drm.vaGetDisplayDRM.restype = ctypes.c_void_p
    libva_drm.vaGetDisplayDRM.argtypes = [ctypes.c_int]
    libva.vaInitialize.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_int),
    ]
    libva.vaQueryVendorString.restype = ctypes.c_char_p
    libva.vaQueryVendorString.argtypes = [ctypes.c_void_p]
    libva.vaTerminate.argtypes = [ctypes.c_void_p]
    reasons = []
    for node in nodes:
        try:
            fd = os.open(node, os.O_RDWR)
        except OSError as exc:
            reasons.append(f"{node}: {exc.strerror}")
            continue
        try:
            display = libva_drm.vaGetDisplayDRM(fd)
            major, minor = ctypes.c_int(), ctypes.c_int()
            if not display or libva.vaInitialize(display, ctypes.byref(major), ctypes.byref(minor)) != 0:
                reasons.append(f"{node}: no VA-API driver for this GPU (apt install va-driver-all)")
                continue
            vendor = (libva.vaQueryVendorString(display) or b"").decode(errors="replace")
            libva.vaTerminate(display)
            return CheckResult(
                "video decoding", OK, f"hardware video decoding available: {node.name}, {vendor}"
            )
        finally:
            os.close(fd)
    return CheckResult("video decoding", WARN, "hardware video decoding not available: " + "; ".join(reasons))


def display_sleep_check(
    *,
    which: Callable[[str], str | None] = shutil.which,
    rotates: Callable[[], bool] = cage_rotates,
    environ: dict[str, str] | None = None,
) -> CheckResult:
    """Can the panel really sleep after hours here, and by which means (or why only a black screen)?

    Inside a session (``WAYLAND_DISPLAY``/``DISPLAY`` set) the compositor is asked; from a console the
    answer follows from the packaged session's cage, whose abilities were measured (packaging/README.md).
    """
    env = dict(os.environ if environ is None else environ)
    if env.get("WAYLAND_DISPLAY") or env.get("DISPLAY"):
        method = choose_method(probe(environ=env), DisplaySettings())
        where = "this session"
    else:
        method = choose_method(_packaged_session(which, rotates), DisplaySettings())
        where = "the kiosk's cage session"
    if method.name == NONE:
        return CheckResult("display sleep", WARN, f"{method.describe()} ({where})")
    return CheckResult("display sleep", OK, f"the panel sleeps after hours by {method.name} ({where})")


def _packaged_session(which: Callable[[str], str | None], rotates: Callable[[], bool]) -> Capabilities:
    """What cage can do, as measured: no power management; output management from 0.1.5 (no ``-r``)."""
    cage = Capabilities(x11_reason="", power_reason="cage has no wlr-output-power-management (labwc has)")
    if which("cage") is None:
        return replace(cage, randr_reason="cage is not installed (apt install cage)")
    if rotates():
        return replace(cage, randr_reason="cage 0.1.4 (Debian 12) cannot switch outputs off either")
    if which("wlr-randr") is None:
        return replace(cage, randr_reason="wlr-randr is not installed (apt install wlr-randr)")
    return replace(cage, randr_outputs=("the kiosk's screen",))
