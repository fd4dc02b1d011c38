"""Fixtures for the content tests: a key pair, a channel folder, and servers serving it on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content.signing import generate_keys
from tests.kiosk.content.channel import ChannelServer, Nginx


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return generate_keys(tmp_path / "keys")


@pytest.fixture
def channel(tmp_path: Path) -> Path:
    path = tmp_path / "channel"
    path.mkdir()
    return path


@pytest.fixture
def server(channel: Path) -> Iterator[ChannelServer]:
    running = ChannelServer(channel)
    yield running
    running.close()


@pytest.fixture
def nginx(channel: Path, tmp_path: Path) -> Iterator[Nginx]:
    running = Nginx(channel, tmp_path / "nginx")
    yield running
    running.close()
