"""Publish → a kiosk's switch to the new release, with push and with polling only.

A real central server (uvicorn on 127.0.0.1) and a real kiosk core (sync engine, push client, SQLite
store) in this process; each round publishes a changed source with ``publish_remote`` (as
``kioskctl publish --to https://…`` does) and times from the moment the server accepted the manifest
to the kiosk's ``on_release_activated``. Without push, each publish waits a random part of a
poll cycle first, so the polling figure samples every phase. Prints figures; asserts nothing.
Usage: .venv/bin/python benchmarks/central_push.py [--rounds N] [--poll-seconds S]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.config import load_settings  # noqa: E402
from kiosk.content.remote import CentralClient, publish_remote  # noqa: E402
from kiosk.content.signing import generate_keys  # noqa: E402
from kiosk.core import open_core  # noqa: E402
from tests.central.server import RunningServer  # noqa: E402
from tests.kiosk.content.channel import simple_source  # noqa: E402


def run(folder: Path, *, push: bool, poll_seconds: int, rounds: int) -> list[float]:
    private, public = generate_keys(folder / "keys")
    server = RunningServer(folder / "central")
    server.central.add_channel("main", public.read_bytes())
    admin = server.central.accounts.add_admin_token("bench")
    token_file = folder / "kiosk.token"
    token_file.write_text(server.central.add_kiosk("bench-1", "baku-1", "main"))
    os.chmod(token_file, 0o600)
    server.start()
    config = folder / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nid = "bench-1"\ncentre = "baku-1"\n'
        f'[content]\nurl = "{server.channel_url()}"\npublic_key = "{public}"\npoll_seconds = {poll_seconds}\n'
        f'[central]\nurl = "{server.url}"\ntoken_file = "{token_file}"\n'
        f"push = {'true' if push else 'false'}\n",
        encoding="utf-8",
    )
    core = open_core(load_settings(config), folder / "data")
    client = CentralClient(server.channel_url(), admin)
    activated: dict[int, float] = {}
    arrived = threading.Condition()
    assert core.sync is not None

    def on_activated(release: int) -> None:
        with arrived:
            activated[release] = time.monotonic()
            arrived.notify_all()

    core.sync.on_release_activated = on_activated
    source = simple_source(folder / "source", count=4)
    publish_remote(source, private, client)
    core.sync.start()
    delays = []
    try:
        with arrived:
            arrived.wait_for(lambda: 1 in activated, timeout=60)
        if core.sync.push is not None:
            core.sync.push.connected.wait(10)
        pause = random.Random(7)
        for number in range(2, rounds + 2):
            if not push:  # publish at a random point of the poll cycle, as an admin would
                time.sleep(pause.uniform(0, poll_seconds))
            (source / "icons" / "item-0.svg").write_text(
                f"<svg xmlns='http://www.w3.org/2000/svg'>{number}</svg>"
            )
            publish_remote(source, private, client)
            accepted = time.monotonic()
            with arrived:
                arrived.wait_for(lambda n=number: n in activated, timeout=poll_seconds * 2 + 30)  # type: ignore[misc]
            delays.append(activated[number] - accepted)
    finally:
        core.sync.stop()
        core.close()
        server.close()
    return delays


def describe(label: str, delays: list[float]) -> None:
    print(
        f"  {label}: median {statistics.median(delays):6.2f} s, max {max(delays):6.2f} s, "
        f"min {min(delays):6.2f} s over {len(delays)} releases"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--poll-seconds", type=int, default=30)
    args = parser.parse_args()
    print("Time from the server accepting a release to the kiosk switching to it (goal with push: <= 5 s)")
    with tempfile.TemporaryDirectory() as folder:
        describe(
            "push (polling hourly)      ",
            run(Path(folder) / "push", push=True, poll_seconds=3600, rounds=args.rounds),
        )
        polled = run(
            Path(folder) / "poll", push=False, poll_seconds=args.poll_seconds, rounds=max(3, args.rounds // 2)
        )
        describe(f"polling every {args.poll_seconds:3d} s, no push", polled)


if __name__ == "__main__":
    main()
