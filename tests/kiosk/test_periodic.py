"""PeriodicWorker's schedule, driven by an injected clock and wait: no thread sleeps, every delay is exact."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import pytest

from kiosk.periodic import Outcome, PeriodicWorker


class Script:
    """A step that answers from a list, and a wait that moves the clock and stops after the last answer."""

    def __init__(
        self, outcomes: Iterable[Outcome | Exception], *, interval: float = 600.0, rand: float = 0.0
    ) -> None:
        self.outcomes = list(outcomes)
        self.now = 0.0
        self.runs: list[tuple[float, bool]] = []
        self.waits: list[float] = []
        self.on_wait: Callable[[int, threading.Event], bool] = lambda _n, _event: False
        """Called at each wait; True wakes the worker instead of letting the time pass."""
        self.worker = PeriodicWorker(
            "test", self.step, interval, clock=lambda: self.now, wait=self.wait, rand=lambda: rand
        )

    def step(self, regular: bool) -> Outcome:
        self.runs.append((self.now, regular))
        outcome = self.outcomes.pop(0)
        if not self.outcomes:
            self.worker.request_stop()
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def wait(self, event: threading.Event, seconds: float) -> bool:
        self.waits.append(seconds)
        if self.on_wait(len(self.waits), event):
            event.set()
            return True
        self.now += seconds
        return False


def test_failures_back_off_doubling_from_one_second_to_a_minute() -> None:
    script = Script([Outcome.FAILED] * 9)
    script.worker.run()
    assert script.waits == [1, 2, 4, 8, 16, 32, 60, 60]
    assert [regular for _at, regular in script.runs] == [True] + [False] * 8


def test_a_success_resets_the_back_off_and_the_next_run_keeps_the_interval() -> None:
    script = Script([Outcome.FAILED, Outcome.FAILED, Outcome.DONE, Outcome.FAILED])
    script.worker.run()
    assert script.waits == [1, 2, 597]  # the regular run stays at 600 s after the first
    assert script.runs == [(0, True), (1, False), (3, False), (600, True)]
    assert script.worker.backoff == 1  # the failure after a success starts again at 1 s


def test_a_refusal_waits_the_longest_back_off_at_once() -> None:
    script = Script([Outcome.REFUSED, Outcome.FAILED])
    script.worker.run()
    assert script.waits == [60]


def test_jitter_only_shortens_a_back_off_by_up_to_a_fifth() -> None:
    script = Script([Outcome.FAILED] * 4, rand=1.0)  # the largest draw
    script.worker.run()
    assert script.waits == pytest.approx([0.8, 1.6, 3.2])


def test_waking_runs_the_step_now_and_a_failure_keeps_doubling() -> None:
    script = Script([Outcome.FAILED, Outcome.FAILED, Outcome.FAILED])
    script.on_wait = lambda n, _event: n == 1  # someone presses "sync now" during the first back-off
    script.worker.run()
    assert script.runs == [(0, True), (0, False), (2, False)]
    assert script.waits == [1, 2]


def test_an_unexpected_error_in_a_step_is_logged_and_retried() -> None:
    script = Script([RuntimeError("a bug"), Outcome.DONE])
    script.worker.run()
    assert script.waits == [1]
    assert script.runs == [(0, True), (1, False)]


def test_the_interval_of_a_long_step_counts_from_its_end() -> None:
    script = Script([Outcome.DONE, Outcome.DONE], interval=10.0)
    original = script.step

    def long_step(regular: bool) -> Outcome:
        outcome = original(regular)
        script.now += 25.0  # a download that took longer than the interval
        return outcome

    script.worker.step = long_step
    script.worker.run()
    assert script.runs == [(0, True), (35, True)]


def test_stop_ends_the_thread_while_it_waits() -> None:
    ran = threading.Event()

    def step(_regular: bool) -> Outcome:
        ran.set()
        return Outcome.DONE

    worker = PeriodicWorker("test-stop", step, 3600.0)
    worker.start()
    assert ran.wait(10)
    worker.stop(timeout=10)
    assert worker.stopping
    assert all(thread.name != "test-stop" for thread in threading.enumerate())
