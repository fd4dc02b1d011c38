"""Reporting to the central server: a heartbeat every minute, play events, a screenshot when asked.

Everything goes through the :class:`~kiosk.outbox.Outbox` first, so an offline kiosk loses nothing; a
sender thread posts it oldest first and deletes it only after a 2xx. Plain Python: the UI records
events with :meth:`Reporter.record_event` (from a worker thread) and sets ``screenshot_provider``.
"""

from __future__ import annotations

import logging
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

from kiosk.config import Settings, named_path, read_named_file
from kiosk.errors import ConfigError
from kiosk.outbox import Outbox, OutboxRecord
from kiosk.wire import MAX_BATCH, Heartbeat, PlayEvent, ReportBatch, new_id

log = logging.getLogger(__name__)

BACKOFF_FIRST_S, BACKOFF_MAX_S = 1.0, 60.0
SCREENSHOT_TIMEOUT_S = 10.0


def read_kiosk_token(settings: Settings) -> str:
    """The kiosk's token from ``[central] token_file`` (relative to the config file's folder)."""
    central = settings.central
    if not central.token_file:
        raise ConfigError("[central] token_file: needed when [central] url is set")
    path = named_path(settings, central.token_file)
    try:
        token = read_named_file(path, "[central] token_file").decode("utf-8").strip()
        mode = path.stat().st_mode
    except OSError as exc:
        raise ConfigError(f"[central] token_file: cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"[central] token_file: {path} is not a text file") from exc
    if not token:
        raise ConfigError(f"[central] token_file: {path} is empty")
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s can be read by other users (mode %o): chmod 600 it", path, stat.S_IMODE(mode))
    return token


@dataclass(frozen=True)
class SendResult:
    """What one attempt to empty the outbox did (for the log and the admin screen)."""

    ok: bool
    sent: int
    message: str
    at: datetime


class Reporter:
    """Queues heartbeats and events in the outbox and sends them from its own thread.

    ``heartbeat`` builds one heartbeat (called from the sender thread every
    ``heartbeat_seconds``). ``screenshot_provider`` (set by the UI) returns a PNG or None; it is called
    from the sender thread, so it must hand the work to the GUI thread and wait.
    """

    def __init__(
        self,
        outbox: Outbox,
        server_url: str,
        token: str,
        heartbeat: Callable[[], Heartbeat],
        *,
        heartbeat_seconds: float = 60.0,
        batch_size: int = 500,
        timeout: tuple[float, float] = (5.0, 30.0),
        clock: Callable[[], datetime] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.outbox = outbox
        self.server_url = server_url.rstrip("/")
        self.heartbeat = heartbeat
        self.heartbeat_seconds = heartbeat_seconds
        self.batch_size = min(batch_size, MAX_BATCH)
        self.timeout = timeout
        self.screenshot_provider: Callable[[], bytes | None] | None = None
        self.on_sent: Callable[[SendResult], None] | None = None
        self.last_result: SendResult | None = None
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._http = session or requests.Session()
        self._http.headers["Authorization"] = f"Bearer {token}"
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False

    # --- recording (any thread) --------------------------------------------------------------------
    def record_event(
        self,
        kind: str,
        *,
        section: str = "",
        item: str = "",
        seconds: float | None = None,
        language: str = "",
        at: datetime | None = None,
    ) -> str:
        """Queue one play or interaction event (blocks on the store: not from the GUI thread)."""
        event = PlayEvent(
            id=new_id(),
            at=at or self._clock(),
            kind=kind,
            section=section,
            item=item,
            seconds=None if seconds is None else round(seconds, 3),
            language=language,
        )
        return self.outbox.add(event)

    def record_heartbeat(self) -> str:
        """Queue a heartbeat built now (the sender thread does this every ``heartbeat_seconds``)."""
        event_id = self.outbox.add(self.heartbeat())
        self.outbox.trim()
        return event_id

    # --- the sender thread -------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="central-reporter", daemon=True)
        self._thread.start()

    def flush(self) -> None:
        """Send what is queued now (ignoring the retry backoff once)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def close(self) -> None:
        self.stop()
        self._http.close()

    def _run(self) -> None:
        next_beat = time.monotonic()
        retry_at = 0.0
        backoff = 0.0
        while not self._stopping.is_set():
            woken = self._wake.is_set()
            self._wake.clear()
            now = time.monotonic()
            try:
                if now >= next_beat:
                    next_beat = now + self.heartbeat_seconds
                    self.record_heartbeat()
                if woken or now >= retry_at:
                    if self.send_pending().ok:
                        backoff, retry_at = 0.0, 0.0
                    else:
                        backoff = min(BACKOFF_MAX_S, max(BACKOFF_FIRST_S, backoff * 2))
                        retry_at = time.monotonic() + backoff
            except Exception:  # a bug must not end reporting: log it, try again at the next beat
                log.exception("Reporting to the central server failed unexpectedly")
            wake_at = next_beat if retry_at == 0.0 else min(next_beat, retry_at)
            self._wake.wait(max(0.0, wake_at - time.monotonic()))

    def send_pending(self) -> SendResult:
        """Post the outbox oldest first, in batches, until it is empty or the server cannot take more."""
        sent = 0
        result: SendResult | None = None
        while not self._stopping.is_set():
            batch = self.outbox.oldest(self.batch_size)
            if not batch:
                break
            ok, delivered, message = self._deliver(batch)
            sent += delivered
            if not ok:
                result = SendResult(False, sent, message, self._clock())
                break
        if result is None:
            result = SendResult(True, sent, f"sent {sent} records", self._clock())
            if self._failing:
                log.info("The central server takes reports again (%d queued records sent)", sent)
            self._failing = False
        elif not self._failing:
            self._failing = True
            log.warning("Reports wait in the outbox: %s", result.message)
        self.last_result = result
        if self.on_sent is not None:
            try:
                self.on_sent(result)
            except Exception:
                log.exception("The report result hook failed")
        return result

    def _deliver(self, batch: list[OutboxRecord]) -> tuple[bool, int, str]:
        """Post one batch; a batch the server refuses as malformed is split until the bad record is found."""
        body = ReportBatch(
            heartbeats=tuple(r.message for r in batch if isinstance(r.message, Heartbeat)),
            events=tuple(r.message for r in batch if isinstance(r.message, PlayEvent)),
            sent_at=self._clock(),
        ).to_json()
        url = f"{self.server_url}/api/kiosk/reports"
        try:
            response = self._http.post(url, json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            return False, 0, f"{url} cannot be reached: {type(exc).__name__}"
        if 200 <= response.status_code < 300:
            self.outbox.remove(batch)
            answer = _json_or_empty(response)
            if answer.get("screenshot_requested") is True:
                self.send_screenshot()
            return True, len(batch), "sent"
        reason = _error_text(response)
        if response.status_code in (400, 413, 422):
            if len(batch) > 1:
                half = len(batch) // 2
                first = self._deliver(batch[:half])
                if not first[0]:
                    return first
                second = self._deliver(batch[half:])
                return second[0], first[1] + second[1], second[2]
            log.error("The central server refuses a %s record and it is dropped: %s", batch[0].kind, reason)
            self.outbox.remove(batch)
            return True, 0, "dropped"
        return False, 0, f"{url} answered HTTP {response.status_code}: {reason}"

    def send_screenshot(self) -> bool:
        """Ask the UI for a PNG and upload it (the server asked for one in its answer)."""
        provider = self.screenshot_provider
        if provider is None:
            log.info("The central server asked for a screenshot, but this kiosk runs without a screen")
            return False
        try:
            png = provider()
        except Exception:
            log.exception("Taking a screenshot failed")
            return False
        if not png:
            log.warning("No screenshot could be taken for the central server")
            return False
        url = f"{self.server_url}/api/kiosk/screenshot"
        try:
            response = self._http.put(
                url, data=png, headers={"Content-Type": "image/png"}, timeout=self.timeout
            )
        except requests.RequestException as exc:
            log.warning("The screenshot could not be sent to %s: %s", url, type(exc).__name__)
            return False
        if not 200 <= response.status_code < 300:
            log.warning("%s refused the screenshot: HTTP %d", url, response.status_code)
            return False
        log.info("Sent a screenshot (%d bytes) to the central server", len(png))
        return True


def _json_or_empty(response: requests.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _error_text(response: requests.Response) -> str:
    error = _json_or_empty(response).get("error")
    return str(error) if error else response.text[:200]
