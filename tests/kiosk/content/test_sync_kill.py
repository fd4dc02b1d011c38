"""A sync process killed with SIGKILL at any moment leaves a complete, verified active release."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.content.manifest import blob_refs
from kiosk.content.model import parse_content
from kiosk.content.publish import publish
from tests.conftest import REPO_ROOT
from tests.kiosk.content.channel import ChannelServer, card, write_source
from tests.kiosk.content.kiosk_sync import open_kiosk_store

ICONS = 4


def big_png(tag: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + (tag.encode() * 8000)[:60_000]


def publish_version(source: Path, key: Path, channel: Path, version: int) -> None:
    write_source(
        source,
        [card(f"item-{i}", icon=f"icons/item-{i}.png") for i in range(ICONS)],
        # Two icons change with every version, two only every third one: releases share blobs.
        {f"icons/item-{i}.png": big_png(f"{i}-{version if i < 2 else version // 3} ") for i in range(ICONS)},
    )
    publish(source, key, str(channel))


def assert_active_release_is_whole(data_dir: Path) -> int:
    """The invariant: the active release parses and every blob it names is on disk with its hash."""
    connection = sqlite3.connect(data_dir / "kiosk.db", timeout=10)
    try:
        rows = connection.execute(
            "SELECT release_number, origin, document FROM content_release WHERE active"
        ).fetchall()
    finally:
        connection.close()
    assert len(rows) == 1
    number, origin, encoded = rows[0]
    document = json.loads(encoded)
    parse_content(document, release=number, origin=origin)
    for sha in blob_refs(document):
        assert hashlib.sha256((data_dir / "blobs" / sha).read_bytes()).hexdigest() == sha
    if origin == "sync":
        assert len(blob_refs(document)) == ICONS
    return int(number)


@pytest.mark.slow
def test_sigkill_at_random_points_never_leaves_a_partial_release(
    tmp_path: Path, channel: Path, server: ChannelServer, keys: tuple[Path, Path], data_dir: Path
) -> None:
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[content]\nurl = "{server.url}"\npublic_key = "{keys[1]}"\n', encoding="utf-8")
    command = [sys.executable, "-m", "kiosk.cli", "sync", "--once", "--config", str(config)]
    command += ["--data-dir", str(data_dir), "--log-level", "WARNING"]
    server.faults.trickle_bytes_per_s = 400_000  # a whole sync takes about a second after start-up
    source = tmp_path / "source"
    open_kiosk_store(data_dir).close()  # a kiosk that has started once: the schema exists
    kills = 0
    for version in range(1, 25):
        publish_version(source, keys[0], channel, version)
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if version % 6 == 0:  # now and then let one finish: the kiosk must still make progress
            _out, err = process.communicate(timeout=60)
            assert process.returncode == 0, (seed, err)
            assert assert_active_release_is_whole(data_dir) == version, seed
            continue
        time.sleep(chance.uniform(0.3, 1.8))  # the kill point is what this test varies
        process.kill()
        process.communicate(timeout=10)
        kills += 1
        assert assert_active_release_is_whole(data_dir) <= version, seed
    assert kills >= 20
