"""Reporting to the central server: a heartbeat every minute, play events, a screenshot when asked.

Everything goes through the :class:`~kiosk.outbox.Outbox` first, so an offline kiosk loses nothing; a
sender thread posts it oldest first and deletes it only after a 2xx. Plain Python: the UI records
events with :meth:`Reporter.record_event` (from a worker thread) and sets ``screenshot_provider``.
"""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

from kiosk.central_connection import CentralAnswer, CentralConnection, CentralConnectionError
from kiosk.config import Settings, named_path, read_named_file
from kiosk.errors import ConfigError
from kiosk.outbox import Outbox, OutboxRecord
from kiosk.periodic import Outcome, PeriodicWorker
from kiosk.wire import MAX_BATCH, Heartbeat, PlayEvent, ReportBatch, new_id

log = logging.getLogger(__name__)

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
    """Queues heartbeats and events in the outbox and sends them from a :class:`PeriodicWorker`.

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
        self._http = CentralConnection(
            self.server_url, token, what="The central server", timeout=timeout, session=session
        )
        self._worker = PeriodicWorker("central-reporter", self._cycle, heartbeat_seconds)
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
        self._worker.start()

    def flush(self) -> None:
        """Send what is queued now (ignoring the retry backoff once)."""
        self._worker.wake()

    def stop(self, timeout: float = 10.0) -> None:
        self._worker.stop(timeout)

    def close(self) -> None:
        self.stop()
        self._http.close()

    def _cycle(self, regular: bool) -> Outcome:
        """A heartbeat when its minute came round, then whatever the outbox holds."""
        if regular:
            self.record_heartbeat()
        return Outcome.DONE if self.send_pending().ok else Outcome.FAILED

    def send_pending(self) -> SendResult:
        """Post the outbox oldest first, in batches, until it is empty or the server cannot take more."""
        sent = 0
        result: SendResult | None = None
        while not self._worker.stopping:
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
        try:
            answer = self._http.post("api/kiosk/reports", json=body)
        except CentralConnectionError as exc:
            if exc.status in (400, 413, 422):
                return self._split(batch, str(exc))
            return False, 0, str(exc)
        self.outbox.remove(batch)
        if _json_or_empty(answer).get("screenshot_requested") is True:
            self.send_screenshot()
        return True, len(batch), "sent"

    def _split(self, batch: list[OutboxRecord], reason: str) -> tuple[bool, int, str]:
        """Halve a refused batch until the one record the server refuses is found; that one is dropped."""
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
        try:
            self._http.put("api/kiosk/screenshot", data=png, headers={"Content-Type": "image/png"})
        except CentralConnectionError as exc:
            log.warning("The screenshot was not sent: %s", exc)
            return False
        log.info("Sent a screenshot (%d bytes) to the central server", len(png))
        return True


def _json_or_empty(answer: CentralAnswer) -> dict[str, Any]:
    try:
        document = answer.json()
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}
