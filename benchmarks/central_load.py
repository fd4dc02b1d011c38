"""The central server under load: heartbeats per second (SQLite and PostgreSQL) and memory with 2,000 kiosks.

The server runs as IT staff run it (``python -m central serve``, one uvicorn process); the load comes
from a second process on loopback with a bounded number of connections, each a kiosk posting one
heartbeat per request as fast as it is answered. Then 2,000 kiosks each hold a push connection and
report once, and the server's resident memory is read from /proc before and after.
Prints figures; asserts nothing. Usage: .venv/bin/python benchmarks/central_load.py [--seconds N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def prepare(data: Path, database_url: str | None, kiosks: int) -> list[str]:
    """Register ``kiosks`` kiosks (directly in the database, as add-kiosk would) and return their tokens."""
    from central.db import open_database, sqlite_url
    from central.service import Central
    from kiosk.content.signing import generate_keys

    data.mkdir(parents=True, exist_ok=True)
    central = Central(data, open_database(database_url or sqlite_url(data / "central.db")))
    _private, public = generate_keys(data / "keys")
    central.add_channel("main", public.read_bytes())
    tokens = [central.add_kiosk(f"kiosk-{i:04d}", f"centre-{i // 2:04d}", "main") for i in range(kiosks)]
    central.database.close()
    return tokens


class Server:
    def __init__(self, data: Path, database_url: str | None) -> None:
        self.port = free_port()
        env = {**os.environ}
        if database_url:
            env["GREEN_CENTRAL_DATABASE_URL"] = database_url
        self.process = subprocess.Popen(
            [sys.executable, "-m", "central", "--data", str(data), "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def heartbeat_body(power: float) -> bytes:
    from kiosk.wire import Heartbeat, ReportBatch, new_id

    now = datetime.now(UTC)
    beat = Heartbeat(
        id=new_id(),
        at=now,
        app_version="0.1.0",
        release=1,
        uptime_s=3600,
        energy_state="ok",
        power_w=power,
        energy_today_wh=12_000.0,
        energy_total_wh=9e6,
        reading_at=now,
    )
    return json.dumps(ReportBatch(heartbeats=(beat,), sent_at=now).to_json()).encode()


def load(port: int, tokens: list[str], seconds: float, connections: int) -> None:
    """The load process: ``connections`` keep-alive connections, each cycling through kiosks' tokens."""
    import requests

    counts = [0] * connections
    errors = [0] * connections
    stop_at = time.monotonic() + seconds

    def worker(index: int) -> None:
        session = requests.Session()
        url = f"http://127.0.0.1:{port}/api/kiosk/reports"
        mine = tokens[index::connections]
        n = 0
        while time.monotonic() < stop_at:
            token = mine[n % len(mine)]
            n += 1
            response = session.post(
                url,
                data=heartbeat_body(1000.0 + n),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                timeout=30,
            )
            if response.status_code == 200:
                counts[index] += 1
            else:
                errors[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    print(json.dumps({"ok": sum(counts), "errors": sum(errors), "seconds": elapsed}))


async def hold_push_and_report(port: int, tokens: list[str]) -> dict[str, float]:
    """Every kiosk opens its push connection (and reads the first event), then reports once."""
    writers = []
    opened = 0
    for token in tokens:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET /channels/main/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
        )
        await writer.drain()
        while b"event: release" not in await reader.readline():
            pass
        opened += 1
        writers.append(writer)
    print(json.dumps({"push_connections": opened}), flush=True)
    sys.stdin.readline()  # the parent measures memory while every connection is open
    for writer in writers:
        writer.close()
    return {"push_connections": float(opened)}


def run_child(*args: str, stdin: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, *args],
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE if stdin else None,
        text=True,
    )


def measure(label: str, data: Path, database_url: str | None, seconds: float, kiosks: int) -> None:
    tokens = prepare(data, database_url, kiosks)
    token_file = data / "tokens.json"
    token_file.write_text(json.dumps(tokens))
    server = Server(data, database_url)
    try:
        idle = rss_mb(server.process.pid)
        # 1. Throughput: 8 connections from a second process, 200 kiosks' tokens.
        child = run_child("--child-load", str(server.port), str(token_file), str(seconds))
        out, _ = child.communicate()
        result = json.loads(out.strip().splitlines()[-1])
        rate = result["ok"] / result["seconds"]
        print(
            f"  {label}: {rate:7.0f} heartbeats/s sustained over {result['seconds']:.0f} s "
            f"({result['ok']} stored, {result['errors']} errors; 8 connections)"
        )
        # 2. Memory: all kiosks hold a push connection, then each reports once.
        holder = run_child("--child-push", str(server.port), str(token_file), stdin=True)
        assert holder.stdout is not None and holder.stdin is not None
        opened = json.loads(holder.stdout.readline())["push_connections"]
        with_push = rss_mb(server.process.pid)
        reporter = run_child("--child-once", str(server.port), str(token_file))
        reporter.communicate()
        after_reports = rss_mb(server.process.pid)
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(60)
        print(
            f"  {label}: server RSS {idle:.0f} MB idle, {with_push:.0f} MB with {opened} push connections, "
            f"{after_reports:.0f} MB after each of the {kiosks} kiosks reported"
        )
    finally:
        server.stop()


def report_once(port: int, tokens: list[str]) -> None:
    import requests

    session = requests.Session()
    for token in tokens:
        session.post(
            f"http://127.0.0.1:{port}/api/kiosk/reports",
            data=heartbeat_body(500.0),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            timeout=30,
        ).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--kiosks", type=int, default=2000)
    parser.add_argument("--child-load", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-push", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child-once", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_load:
        port, tokens, seconds = args.child_load
        load(int(port), json.loads(Path(tokens).read_text())[:200], float(seconds), 8)
        return
    if args.child_push:
        port, tokens = args.child_push
        asyncio.run(hold_push_and_report(int(port), json.loads(Path(tokens).read_text())))
        return
    if args.child_once:
        port, tokens = args.child_once
        report_once(int(port), json.loads(Path(tokens).read_text()))
        return

    from tests.central.server import PostgresCluster

    print(
        f"Central server (one uvicorn process), load from another process on loopback, {os.cpu_count()} cores"
    )
    with tempfile.TemporaryDirectory() as folder:
        measure("SQLite    ", Path(folder) / "sqlite", None, args.seconds, args.kiosks)
        binaries = PostgresCluster.find_binaries()
        if binaries is None:
            print("  PostgreSQL: not installed, skipped")
            return
        pg_folder = Path(tempfile.mkdtemp(prefix="green-central-pg-"))
        cluster = PostgresCluster(pg_folder, binaries).start()
        try:
            url = cluster.create_database("bench")
            measure("PostgreSQL", Path(folder) / "pg", url, args.seconds, args.kiosks)
        finally:
            cluster.stop()
            subprocess.run(["rm", "-rf", str(pg_folder)], check=False)


if __name__ == "__main__":
    main()
