"""Shared fixtures: offscreen Qt, a temporary data dir, a movable clock, a running kiosk."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import Settings
from kiosk.core import KioskCore, open_core

REPO_ROOT = Path(__file__).resolve().parent.parent


class FakeClock:
    """A clock tests move by hand; call it to get the current aware time."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 6, 21, 9, 0, tzinfo=UTC))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def core(data_dir: Path) -> Iterator[KioskCore]:
    kiosk_core = open_core(Settings(), data_dir)
    yield kiosk_core
    kiosk_core.close()
