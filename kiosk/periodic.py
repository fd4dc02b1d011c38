"""The one background loop of the kiosk: a step every ``interval``, sooner when woken, back-off on failure.

Content sync, reporting and push each run a :class:`PeriodicWorker`; the step says how it went, and the
worker decides when to run it again: after ``interval`` when it went well, after a back-off doubling
from 1 s to 60 s (with jitter, so a fleet does not return in step) when it failed, after the longest
back-off when the server refused, and at once when woken.
"""

from __future__ import annotations

import enum
import logging
import random
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

BACKOFF_FIRST_S, BACKOFF_MAX_S = 1.0, 60.0
JITTER = 0.2
"""A back-off is shortened by up to this fraction, at random."""


class Outcome(enum.Enum):
    """How one step went."""

    DONE = "done"
    FAILED = "failed"
    REFUSED = "refused"
    """The peer refused (a wrong token): waiting the longest back-off spares it and the log."""


Step = Callable[[bool], Outcome]
"""Runs one cycle; its argument is True when the regular interval came round (not a wake or a retry)."""
Wait = Callable[[threading.Event, float], object]
"""Waits up to the seconds given or until the event is set (tests pass one that only moves a clock)."""


class PeriodicWorker:
    """A daemon thread running ``step`` (the first run at once); :meth:`wake` runs it now."""

    def __init__(
        self,
        name: str,
        step: Step,
        interval: float,
        *,
        backoff_first: float = BACKOFF_FIRST_S,
        backoff_max: float = BACKOFF_MAX_S,
        jitter: float = JITTER,
        clock: Callable[[], float] = time.monotonic,
        wait: Wait | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.name = name
        self.step = step
        self.interval = interval
        self.backoff_first = backoff_first
        self.backoff_max = backoff_max
        self.jitter = jitter
        self.backoff = 0.0
        """The back-off of the last failure (0 after a success)."""
        self._clock = clock
        self._wait: Wait = wait or (lambda event, seconds: event.wait(seconds))
        self._rand = rand
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def stopping(self) -> bool:
        """True once :meth:`stop` was asked: a long step should end early."""
        return self._stopping.is_set()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Run the step as soon as the thread is free (ignoring a back-off once)."""
        self._wake.set()

    def request_stop(self) -> None:
        """Ask the thread to end after the step in progress (without waiting for it)."""
        self._stopping.set()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to end and wait up to ``timeout`` seconds for it."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run(self) -> None:
        """The loop (in the worker's thread; a test may call it directly with an injected ``wait``)."""
        next_run = self._clock()
        retry_at: float | None = None
        while not self._stopping.is_set():
            woken = self._wake.is_set()
            self._wake.clear()
            now = self._clock()
            regular = now >= next_run
            if regular or woken or (retry_at is not None and now >= retry_at):
                if regular:
                    next_run = now + self.interval
                retry_at = self._after(self._attempt(regular))
                if regular and self._clock() > next_run:  # a long step: the interval counts from its end
                    next_run = self._clock() + self.interval
            wake_at = next_run if retry_at is None else min(next_run, retry_at)
            if self._stopping.is_set():
                break
            self._wait(self._wake, max(0.0, wake_at - self._clock()))

    def _attempt(self, regular: bool) -> Outcome:
        try:
            return self.step(regular)
        except Exception:  # a bug must not end the loop: log it and back off
            log.exception("%s: a cycle failed unexpectedly", self.name)
            return Outcome.FAILED

    def _after(self, outcome: Outcome) -> float | None:
        """When to retry after ``outcome`` (None: at the next regular run)."""
        if outcome is Outcome.DONE:
            self.backoff = 0.0
            return None
        if outcome is Outcome.REFUSED:
            self.backoff = self.backoff_max
        else:
            self.backoff = min(self.backoff_max, max(self.backoff_first, self.backoff * 2))
        return self._clock() + self.backoff * (1.0 - self.jitter * self._rand())
