"""Previews for the console: a release or draft drawn by the kiosk's own renderer, beside the server.

The server never imports Qt (its venv has none): a preview is the kiosk program run as a child process
(:func:`kiosk.content.preview.render_manifest`, the same path as ``kioskctl approve --preview``) by a
Python that has the kiosk's packages. One render runs at a time in one worker thread, each with a
deadline; a few more wait in a short queue, and beyond that the console answers "busy". The PNGs, and
a small JPEG of each for the page (a phone would otherwise load 40 MB of full-size pictures), are kept
under ``DATA/previews/<manifest sha256>/<language>-<orientation>/`` (the same bytes always draw the same
pictures), the least recently seen sets removed beyond a size bound. A server that stops ends the child
it is waiting for (:meth:`Previews.close`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content.manifest import parse_manifest
from kiosk.content.preview import PreviewOptions, kiosk_command, render_manifest, stop_child
from kiosk.errors import ContentError
from kiosk.paths import app_root

log = logging.getLogger(__name__)

LANGUAGES = ("az", "en", "ru")
ORIENTATIONS: Mapping[str, tuple[int, int]] = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
PREVIEW_VENV = ".venv-preview"
"""Where ``./central.sh … serve --preview`` puts the kiosk's packages, apart from the server's venv."""
QUEUE_LENGTH = 4
FAILURE_HOLD_S = 60.0
"""A failed render is not tried again for this long: a reload must not start a child each time."""
PROBE_HOLD_S = 60.0
"""How long "no renderer" is believed: installing one then needs no server restart."""
PROBE_TIMEOUT_S = 30.0
META_FILE = "preview.json"
THUMBNAIL_WIDTH = 480
"""The page shows each picture this wide (about 20 to 90 KB as JPEG) and links to the full PNG."""


@dataclass(frozen=True)
class PreviewSettings:
    """The ``[preview]`` table of the server's config."""

    python: Path | None = None
    """A Python with the kiosk's packages; None: look in this checkout (``.venv-preview``, ``.venv``)."""
    timeout_seconds: int = 120
    cache_mb: int = 500
    search: bool = True
    """Look for a renderer when ``python`` is not set (the tests turn it off to have none)."""


@dataclass(frozen=True)
class Variant:
    """One language and one screen orientation of a preview: what one child run draws."""

    language: str
    orientation: str

    @classmethod
    def parse(cls, language: str, orientation: str) -> Variant | None:
        """None for anything but the kiosk's languages and the two orientations."""
        if language in LANGUAGES and orientation in ORIENTATIONS:
            return cls(language, orientation)
        return None

    @property
    def name(self) -> str:
        return f"{self.language}-{self.orientation}"

    @property
    def size(self) -> tuple[int, int]:
        return ORIENTATIONS[self.orientation]


@dataclass(frozen=True)
class PreviewState:
    """What the console shows: ``ready`` (``files``), ``rendering``, ``queued``, ``busy``, ``failed``
    or ``unavailable`` (``message`` says why, for the admin)."""

    status: str
    files: tuple[str, ...] = ()
    message: str = ""
    seconds: float = 0.0
    thumbnails: tuple[str, ...] = ()
    """``<name>.jpg`` for each ``<name>.png`` of ``files`` that has one."""


@dataclass
class _Job:
    sha: str
    variant: Variant
    manifest: bytes
    blob_dir: Path
    started: float = 0.0


@dataclass
class _Renderer:
    python: Path | None
    reason: str
    checked: float


@dataclass
class Previews:
    """The preview worker: one thread, a short queue, a cache on disk."""

    cache_dir: Path
    settings: PreviewSettings = field(default_factory=PreviewSettings)
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._jobs: dict[tuple[str, Variant], _Job] = {}
        self._failed: dict[tuple[str, Variant], tuple[str, float]] = {}
        self._renderer: _Renderer | None = None
        self._thread: threading.Thread | None = None
        self._child: subprocess.Popen[str] | None = None
        self._closed = False
        self.renders = 0
        """Child runs so far (the tests check that a cached preview starts none)."""

    # --- the renderer ---------------------------------------------------------------------------
    def renderer(self) -> tuple[Path | None, str]:
        """The Python that runs the kiosk renderer, or None and why not (probed, then believed a while)."""
        with self._lock:
            found = self._renderer
            fresh = found is not None and self.clock() - found.checked < PROBE_HOLD_S
            if found is not None and (found.python is not None or fresh):
                return found.python, found.reason
        python, reason = self._find_renderer()
        with self._lock:
            self._renderer = _Renderer(python, reason, self.clock())
        if python is not None:
            log.info("Previews are rendered by %s", python)
        return python, reason

    def _find_renderer(self) -> tuple[Path | None, str]:
        if self.settings.python is not None:
            reason = _probe(self.settings.python)
            if reason:
                return None, f"[preview] python = {self.settings.python}: {reason}"
            return self.settings.python, ""
        if not self.settings.search:
            return None, "no [preview] python is set"
        tried = []
        for venv in (PREVIEW_VENV, ".venv"):
            candidate = app_root() / venv / "bin" / "python"
            if not candidate.exists():
                tried.append(f"{venv}: not there")
                continue
            reason = _probe(candidate)
            if not reason:
                return candidate, ""
            tried.append(f"{venv}: {reason}")
        return None, "; ".join(tried)

    # --- asking for a preview ------------------------------------------------------------------
    def state(self, manifest: bytes, blob_dir: Path, variant: Variant) -> PreviewState:
        """The preview of ``manifest`` (its media in ``blob_dir``) in ``variant``; asks for a render
        when there is none yet."""
        sha = hashlib.sha256(manifest).hexdigest()
        folder = self.folder(sha, variant)
        ready = self._ready(folder)
        if ready is not None:
            return ready
        python, reason = self.renderer()
        if python is None:
            return PreviewState("unavailable", message=reason)
        key = (sha, variant)
        with self._lock:
            if self._closed:  # the server is stopping
                return PreviewState("busy")
            job = self._jobs.get(key)
            if job is not None:
                return PreviewState("rendering" if job.started else "queued")
            failed = self._failed.get(key)
            if failed is not None and self.clock() - failed[1] < FAILURE_HOLD_S:
                return PreviewState("failed", message=failed[0])
            now = self.clock()  # failures past their hold are forgotten: the table stays small
            self._failed = {k: v for k, v in self._failed.items() if now - v[1] < FAILURE_HOLD_S}
            if len(self._jobs) > QUEUE_LENGTH:  # one rendering, QUEUE_LENGTH waiting
                return PreviewState("busy")
            ahead = len(self._jobs)
            job = _Job(sha, variant, manifest, blob_dir)
            self._queue.put(job)
            self._jobs[key] = job
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="preview-worker", daemon=True)
                self._thread.start()
        return PreviewState("queued" if ahead else "rendering")

    def folder(self, sha: str, variant: Variant) -> Path:
        return self.cache_dir / sha / variant.name

    def image(self, sha: str, variant: Variant, name: str) -> Path | None:
        """A PNG or thumbnail of a rendered preview; None unless it is one (names are checked against
        the folder's list)."""
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            return None
        folder = self.folder(sha, variant)
        ready = self._ready(folder, touch=False)
        if ready is None or name not in (*ready.files, *ready.thumbnails):
            return None
        return folder / name

    def _ready(self, folder: Path, *, touch: bool = True) -> PreviewState | None:
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            files = tuple(str(name) for name in meta["files"])
            seconds = float(meta["seconds"])
            # A set drawn before thumbnails were made has none: drawn again, not sent full size.
            thumbnails = tuple(str(name) for name in meta["thumbnails"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if touch:
            with contextlib.suppress(OSError):
                os.utime(folder)  # seen now: the cache removes the least recently seen first
        return PreviewState("ready", files=files, seconds=seconds, thumbnails=thumbnails)

    # --- the worker -----------------------------------------------------------------------------
    def _work(self) -> None:
        self.trim()
        while True:
            job = self._queue.get()
            if job is None or self.is_closed():
                return
            key = (job.sha, job.variant)
            with self._lock:
                job.started = self.clock()
            try:
                self._render(job)
            except (ContentError, OSError) as exc:
                if self.is_closed():
                    log.info("Preview %s %s stopped: the server is stopping", job.sha[:12], job.variant.name)
                    return
                log.warning("Preview %s %s failed: %s", job.sha[:12], job.variant.name, exc)
                with self._lock:
                    self._failed[key] = (str(exc), self.clock())
            except Exception as exc:  # the worker's boundary: one bad render must not stop the next
                log.exception("Preview %s %s failed unexpectedly", job.sha[:12], job.variant.name)
                with self._lock:
                    self._failed[key] = (f"unexpected error: {exc}", self.clock())
            finally:
                with self._lock:
                    self._jobs.pop(key, None)
                    if not self._jobs:
                        self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no preview is queued or rendering (for tests and an orderly stop); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._jobs, timeout)

    def _render(self, job: _Job) -> None:
        python, reason = self.renderer()
        if python is None:
            raise ContentError(f"no renderer: {reason}")
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        started = self.clock()
        with tempfile.TemporaryDirectory(prefix="render-", dir=self.cache_dir) as temp:
            work = Path(temp)
            manifest = work / "manifest.json"
            manifest.write_bytes(job.manifest)
            blobs = _linked_blobs(job.manifest, job.blob_dir, work / "blobs")
            out = work / "out"
            options = PreviewOptions(out, (job.variant.language,), (job.variant.size,), THUMBNAIL_WIDTH)
            self.renders += 1
            try:
                files = render_manifest(
                    manifest,
                    blobs,
                    out,
                    options,
                    data_dir=work / "data",
                    kiosk=kiosk_command(python),
                    timeout_s=self.settings.timeout_seconds,
                    started=self._started,
                )
            finally:
                with self._lock:
                    self._child = None
            seconds = self.clock() - started
            thumbnails = [f.with_suffix(".jpg").name for f in files if f.with_suffix(".jpg").is_file()]
            meta = {"files": [f.name for f in files], "thumbnails": thumbnails, "seconds": round(seconds, 2)}
            (out / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
            target = self.folder(job.sha, job.variant)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():  # another server process drew it meanwhile: the same bytes, the same PNGs
                shutil.rmtree(target, ignore_errors=True)
            out.rename(target)
        log.info("Preview %s %s: %d pictures in %.1f s", job.sha[:12], job.variant.name, len(files), seconds)
        self.trim()

    def trim(self) -> None:
        """Remove the least recently seen previews until the cache is within ``cache_mb``, and the
        working folders of renders a stopped server left behind."""
        stale = time.time() - 2 * self.settings.timeout_seconds - 60
        for work in self.cache_dir.glob("render-*"):
            with contextlib.suppress(OSError):
                if work.stat().st_mtime < stale:
                    shutil.rmtree(work, ignore_errors=True)
        sets = []
        for folder in self.cache_dir.glob("*/*-*"):
            try:
                size = sum(f.stat().st_size for f in folder.iterdir())
                sets.append((folder.stat().st_mtime, size, folder))
            except OSError:
                continue
        total = sum(size for _, size, _ in sets)
        limit = self.settings.cache_mb << 20
        for _, size, folder in sorted(sets):
            if total <= limit:
                break
            shutil.rmtree(folder, ignore_errors=True)
            total -= size
            with contextlib.suppress(OSError):
                folder.parent.rmdir()  # the manifest's folder, once its last variant has gone

    def is_closed(self) -> bool:
        """True once :meth:`close` was called: nothing more is drawn."""
        with self._lock:
            return self._closed

    def _started(self, child: subprocess.Popen[str]) -> None:
        with self._lock:
            self._child = None if child.poll() is not None else child
            closed = self._closed
        if closed:  # the server began to stop while this child was being started
            stop_child(child)

    def close(self) -> None:
        """Stop for good: the render under way is ended (its child and whatever that started, SIGTERM
        then SIGKILL), the queued ones are dropped. The server calls it when it shuts down."""
        with self._lock:
            self._closed = True
            child = self._child
            self._jobs.clear()  # the queued ones never start
            self._idle.notify_all()
        self._queue.put(None)
        if child is not None:
            log.info("Stopping the preview renderer (process %d): the server is stopping", child.pid)
            stop_child(child)
        if self._thread is not None:
            self._thread.join(5)


def _probe(python: Path) -> str:
    """ "" when ``python`` can run the kiosk renderer (has PySide6 with QtMultimedia); else why not."""
    if not python.is_file():
        return "no such file"
    try:
        done = subprocess.run(
            [str(python), "-c", "import PySide6.QtMultimedia, PySide6.QtWidgets, kiosk"],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            cwd=app_root(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot run it: {exc}"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return f"it lacks the kiosk's packages ({last[:200]})"
    return ""


def _linked_blobs(manifest: bytes, blob_dir: Path, target: Path) -> Path:
    """A folder holding links to the manifest's blobs only: the child sees nothing else of the channel."""
    target.mkdir()
    try:
        blobs = parse_manifest(manifest).blobs
    except ContentError as exc:
        raise ContentError(f"the manifest cannot be read: {str(exc).splitlines()[0]}") from exc
    missing = []
    for sha in blobs:
        source = blob_dir / sha
        if not source.is_file():
            missing.append(sha[:12])
            continue
        (target / sha).symlink_to(source.resolve())
    if missing:
        raise ContentError(f"the channel lacks {len(missing)} media files of it ({', '.join(missing[:5])}…)")
    return target
