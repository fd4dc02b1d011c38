"""A full disk on a real (tmpfs) file system: the sync refuses or cleans up, the database survives.

Before, a download that filled the disk made the next start read "disk I/O error", move the healthy
kiosk.db aside as corrupt and start over from the demo content, losing the release, the energy history
and the reports waiting to be sent.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cli import main as kioskctl
from kiosk.config import Settings
from kiosk.content.library import ContentLibrary
from kiosk.content.publish import publish
from kiosk.content.signing import load_public_key
from kiosk.content.sync import FAILED, INSTALLED, ContentSync
from kiosk.core import open_core
from kiosk.doctor import _data_dir
from kiosk.errors import StoreError
from kiosk.ops import FAIL
from kiosk.outbox import Outbox
from kiosk.status import disk_space
from kiosk.store.db import DB_NAME, Store, open_store
from kiosk.store.models import EnergyDayRow
from kiosk.wire import Heartbeat
from tests.conftest import FakeClock, fill
from tests.kiosk.content.channel import PNG, ChannelServer, card, simple_source, svg, write_source
from tests.kiosk.content.kiosk_sync import open_kiosk_store, quick_retry

BIG = PNG + os.urandom(3 * 1024 * 1024)


def _engine(
    store: Store, data_dir: Path, url: str, public_key: Path, clock: FakeClock, reserve: int
) -> ContentSync:
    return ContentSync(
        url,
        load_public_key(public_key),
        store,
        data_dir / "blobs",
        centre="baku-1",
        cache_limit_bytes=10 << 20,
        clock=clock,
        retry=quick_retry(),
        timeout=(2.0, 5.0),
        disk_reserve_bytes=reserve,
    )


def _history(store: Store) -> tuple[int, int]:
    with store.session() as session:
        # The inverter's days only: a demo kiosk also fills the simulator's history at its first start.
        days = session.scalar(select(func.count()).where(EnergyDayRow.source == "sunspec")) or 0
    return days, Outbox(store).count()


def test_a_full_disk_refuses_downloads_cleans_up_and_the_database_survives_a_restart(
    small_fs: Path,
    tmp_path: Path,
    channel: Path,
    keys: tuple[Path, Path],
    server: ChannelServer,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = small_fs / "data"
    store = open_kiosk_store(data_dir)
    publish(simple_source(tmp_path / "source", count=2), keys[0], str(channel), now=clock())
    sync = _engine(store, data_dir, server.url, keys[1], clock, reserve=512 * 1024)
    assert sync.sync_once().outcome == INSTALLED
    with store.session() as session:
        session.add_all(
            EnergyDayRow(source="sunspec", day=date(2026, 11, d), energy_wh=1000.0 * d, peak_w=5000.0)
            for d in range(1, 21)
        )
    for n in range(5):
        Outbox(store).add(Heartbeat(id=f"hb-{n:04d}", at=datetime(2026, 11, 27, 9, n, tzinfo=UTC)))
    history = _history(store)

    # Release 2 needs 3 MB more than the 4 MB disk can hold beside its reserve: refused before writing.
    source = write_source(
        tmp_path / "source2",
        [card("item-0"), card("item-1", image="images/big.png")],
        {"icons/item-0.svg": svg("item 0 v1"), "icons/item-1.svg": svg("item 1 v1"), "images/big.png": BIG},
    )
    publish(source, keys[0], str(channel), now=clock())
    fill(small_fs).unlink()  # nothing is kept from filling
    filler = small_fs / "ballast"
    filler.write_bytes(b"\0" * (600 * 1024))
    refused = sync.sync_once()
    assert refused.outcome == FAILED
    assert refused.message.startswith("failed: disk full: need ") and " have " in refused.message
    assert not list((data_dir / "blobs").glob("*.part"))
    assert ContentLibrary(store, data_dir / "blobs").active().release == 1

    # With no reserve the check passes, and the disk fills up while the blob arrives: the part goes.
    sync.disk_reserve_bytes = 0
    filler.unlink()
    handle = server._handle

    def fill_then_answer(handler: BaseHTTPRequestHandler) -> None:
        if handler.path.startswith("/blobs/"):
            fill(small_fs)
        handle(handler)

    server._handle = fill_then_answer  # type: ignore[method-assign]
    cut = sync.sync_once()
    assert cut.outcome == FAILED and "disk full" in cut.message
    assert not list((data_dir / "blobs").glob("*.part"))
    assert disk_space(data_dir).full
    sync.close()
    store.close()

    # Restart with the disk still full: reported, never moved aside as "corrupt".
    try:
        open_store(data_dir).close()
    except StoreError as exc:
        assert "left as it is" in str(exc)
    assert not list(data_dir.glob(f"{DB_NAME}.corrupt-*"))

    doctor = _data_dir(data_dir, Settings())
    assert doctor.result == FAIL and "disk full" in doctor.detail

    # Space is freed: the next start has the release, the energy history and the outbox.
    (small_fs / "filler").unlink()
    core = open_core(Settings(), data_dir)
    try:
        assert not list(data_dir.glob(f"{DB_NAME}.corrupt-*"))
        content = core.content.active()
        assert (content.release, content.origin) == (1, "sync")
        assert _history(core.store) == history == (20, 5)
        assert not core.status().disk.startswith("disk full")
        fill(small_fs)
        assert core.status().disk.startswith("disk full: ")  # the admin screen's line
        config = tmp_path / "kiosk.toml"
        config.write_text("", encoding="utf-8")
        code = kioskctl(["status", "--json", "--config", str(config), "--data-dir", str(data_dir)])
        out, err = capsys.readouterr()
        shown = json.loads(out)["disk"] if code == 0 else err
        assert "disk full: " in shown
    finally:
        core.close()
