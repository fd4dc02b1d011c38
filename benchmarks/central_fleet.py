"""A fleet of simulated kiosks against the central server as production runs it: 2 workers, PostgreSQL, nginx.

The server runs ``python -m central serve --workers 2`` on a throwaway PostgreSQL cluster behind
Debian's nginx (the README's production set-up: push unbuffered, upstream keep-alive). A second
process simulates kiosks on loopback with raw asyncio streams: each holds its push connection
(``GET /channels/main/events``) and reports one heartbeat a minute, so N kiosks post N/60 reports a
second, spread evenly over the minute (on a pool of keep-alive connections, as many kiosks behind one
proxy would). The count grows step by step; at each step it measures the report latency (from the
moment a report was due, so queueing in the client counts) over a window, then publishes a release
and times its arrival on every held stream. It stops at the first step where p99 report latency
passes 200 ms or a push takes over 5 s. Prints figures; asserts nothing.
Usage: .venv/bin/python benchmarks/central_fleet.py [--steps 1000,2500,5000,7500,10000] [--window 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

P99_LIMIT_S = 0.2
PUSH_LIMIT_S = 5.0
REPORT_CONNECTIONS = 128
OPENING_AT_ONCE = 100


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def raise_fd_limit() -> int:
    """Soft limit of open files up to the hard one (10,000 streams need 10,000 sockets per side)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# --- set-up (parent) ---------------------------------------------------------------------------------
def prepare(data: Path, url: str, kiosks: int) -> tuple[list[str], str, Path]:
    """Channel ``main``, an admin token and ``kiosks`` kiosks, inserted in one transaction."""
    from central.db import open_database
    from central.models import Kiosk
    from central.security import KIOSK_TOKEN_PREFIX, new_token, token_hash
    from central.service import Central
    from kiosk.content.signing import generate_keys

    data.mkdir(parents=True, exist_ok=True)
    central = Central(data, open_database(url))
    private, public = generate_keys(data / "keys")
    central.add_channel("main", public.read_bytes())
    admin = central.accounts.add_admin_token("bench")
    tokens = [new_token(KIOSK_TOKEN_PREFIX) for _ in range(kiosks)]
    now = datetime.now(UTC)
    with central.database.session() as session:
        session.add_all(
            Kiosk(id=f"kiosk-{i:05d}", centre=f"centre-{i // 4:04d}", channel="main",
                  token_hash=token_hash(token), created=now)
            for i, token in enumerate(tokens)
        )  # fmt: skip
    central.database.close()
    return tokens, admin, private


def start_nginx(prefix: Path, upstream: int) -> tuple[subprocess.Popen[bytes], int]:
    """nginx as the README sets it up: 2 workers, push unbuffered, keep-alive to uvicorn."""
    port = free_port()
    prefix.mkdir(parents=True, exist_ok=True)
    temp = "".join(
        f"{kind}_temp_path {prefix}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes 2;
worker_rlimit_nofile {limit};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections {limit - 100}; }}
http {{
    {temp}
    access_log off;
    keepalive_requests 1000000;
    upstream central {{ server 127.0.0.1:{upstream}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port} reuseport backlog=4096;
        location ~ ^/channels/[^/]+/events$ {{
            proxy_pass http://central; proxy_http_version 1.1; proxy_set_header Connection "";
            proxy_buffering off; proxy_read_timeout 1h;
        }}
        location / {{
            proxy_pass http://central; proxy_http_version 1.1; proxy_set_header Connection "";
            client_max_body_size 64m;
        }}
    }}
}}
""",
        encoding="utf-8",
    )
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"])
    wait_for_port(port, 10)
    return process, port


def start_server(data: Path, url: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "central", "--data", str(data), "--database-url", url, "serve",
         "--workers", "2", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=(data / "server.log").open("wb"),
        preexec_fn=raise_fd_limit,
    )  # fmt: skip
    wait_for_port(port, 60)
    return process, port


def worker_pids(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def tree_cpu_seconds(root: int) -> float:
    """CPU time (user + system) of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


def postmaster_pid(cluster_folder: Path) -> int:
    return int((cluster_folder / "data" / "postmaster.pid").read_text().split()[0])


def open_sockets(pid: int) -> int:
    try:
        return sum(
            os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:") for fd in os.listdir(f"/proc/{pid}/fd")
        )
    except OSError:
        return 0


# --- the kiosks (child) --------------------------------------------------------------------------------
def heartbeat_body() -> bytes:
    from kiosk.wire import Heartbeat, ReportBatch, new_id

    now = datetime.now(UTC)
    beat = Heartbeat(
        id=new_id(), at=now, app_version="0.1.0", release=1, uptime_s=3600, energy_state="ok",
        power_w=1500.0, energy_today_wh=12_000.0, energy_total_wh=9e6, reading_at=now,
    )  # fmt: skip
    return json.dumps(ReportBatch(heartbeats=(beat,), sent_at=now).to_json()).encode()


@dataclass
class Kiosks:
    port: int
    tokens: list[str]
    streams: int = 0
    dropped: int = 0
    target: int = -1
    arrivals: list[float] = field(default_factory=list)
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None] = field(
        default_factory=asyncio.Queue
    )
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def hold(self, token: str, opened: asyncio.Event) -> None:
        """One kiosk's push connection: note when each release arrives."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writers.append(writer)
        writer.write(
            f"GET /channels/main/events HTTP/1.1\r\nHost: bench\r\n"
            f"Authorization: Bearer {token}\r\n\r\n".encode()
        )
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"push refused: {status!r}")
        while True:
            line = await reader.readline()
            if not line:
                self.dropped += 1
                self.streams -= 1
                return
            if line.startswith(b"id: "):
                if not opened.is_set():
                    self.streams += 1
                    opened.set()
                if int(line[4:]) == self.target:
                    self.arrivals.append(time.monotonic())

    async def open_streams(self, count: int) -> float:
        started = time.monotonic()
        gate = asyncio.Semaphore(OPENING_AT_ONCE)

        async def one(token: str) -> None:
            async with gate:
                opened = asyncio.Event()
                asyncio.get_running_loop().create_task(self.hold(token, opened))
                await asyncio.wait_for(opened.wait(), 60)

        await asyncio.gather(*(one(token) for token in self.tokens[self.streams : count]))
        return time.monotonic() - started

    async def post_report(self, token: str) -> bool:
        connection = await self.pool.get()
        if connection is None:
            connection = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = connection
        body = heartbeat_body()
        try:
            writer.write(
                f"POST /api/kiosk/reports HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            status = await reader.readline()
            length, close = 0, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and "close" in value.lower():
                    close = True
            await reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError):
            writer.close()
            self.pool.put_nowait(None)
            return False
        if close:
            writer.close()
            self.pool.put_nowait(None)
        else:
            self.pool.put_nowait(connection)
        return b" 200 " in status

    async def report_window(self, count: int, seconds: float) -> tuple[list[float], int]:
        """``count`` kiosks at one report a minute for ``seconds``: latency of each from when it was due."""
        loop = asyncio.get_running_loop()
        interval = 60.0 / count
        latencies: list[float] = []
        errors = 0

        async def one(token: str, due: float) -> None:
            nonlocal errors
            if not await self.post_report(token):
                errors += 1
            latencies.append(loop.time() - due)

        start = loop.time()
        tasks = []
        k = 0
        while (due := start + k * interval) < start + seconds:
            if due > loop.time():
                await asyncio.sleep(due - loop.time())
            tasks.append(loop.create_task(one(self.tokens[k % count], due)))
            k += 1
        await asyncio.gather(*tasks)
        return latencies, errors


def publish_next(folder: Path, key: Path, port: int, admin: str, number: int) -> None:
    from kiosk.content.remote import CentralClient, publish_remote
    from tests.kiosk.content.channel import simple_source

    source = folder / "source"
    if not source.exists():
        simple_source(source, count=2)
    (source / "icons" / "item-0.svg").write_text(f"<svg xmlns='http://www.w3.org/2000/svg'>{number}</svg>")
    publish_remote(
        source, key, CentralClient(f"http://127.0.0.1:{port}/channels/main", admin), release=number
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def kiosks_main(setup: dict[str, object]) -> None:
    raise_fd_limit()
    port = int(str(setup["port"]))
    kiosks = Kiosks(port, list(setup["tokens"]))  # type: ignore[call-overload]
    for _ in range(REPORT_CONNECTIONS):
        kiosks.pool.put_nowait(None)
    folder = Path(str(setup["folder"]))
    server_pid = int(str(setup["server_pid"]))
    window = float(str(setup["window"]))
    deadline = time.monotonic() + float(str(setup["max_seconds"]))
    for release, count in enumerate(setup["steps"], start=1):  # type: ignore[call-overload]
        if time.monotonic() > deadline:
            print(json.dumps({"stopped": "time limit"}), flush=True)
            return
        opening = await kiosks.open_streams(int(count))
        roots = [int(str(setup[name])) for name in ("server_pid", "nginx_pid", "postgres_pid")]
        cpu_before = [tree_cpu_seconds(pid) for pid in roots]
        latencies, errors = await kiosks.report_window(int(count), window)
        cpu = [tree_cpu_seconds(pid) - before for pid, before in zip(roots, cpu_before, strict=True)]
        kiosks.target, kiosks.arrivals = release, []
        started = time.monotonic()
        await asyncio.to_thread(
            publish_next, folder, Path(str(setup["key"])), port, str(setup["admin"]), release
        )
        wait_until = time.monotonic() + 30
        while len(kiosks.arrivals) < kiosks.streams and time.monotonic() < wait_until:
            await asyncio.sleep(0.05)
        push = [t - started for t in kiosks.arrivals]
        row = {
            "kiosks": count,
            "streams": kiosks.streams,
            "open_s": round(opening, 1),
            "reports": len(latencies),
            "errors": errors,
            "p50_ms": round(pct(latencies, 0.5) * 1000, 1),
            "p99_ms": round(pct(latencies, 0.99) * 1000, 1),
            "push_received": len(push),
            "push_p50_s": round(pct(push, 0.5), 2),
            "push_max_s": round(max(push), 2) if push else None,
            "dropped": kiosks.dropped,
            "worker_sockets": [n for n in map(open_sockets, worker_pids(server_pid)) if n],
            "load": round(os.getloadavg()[0], 1),
            "cpu_ms_per_report": [round(c * 1000 / max(1, len(latencies)), 1) for c in cpu],
        }
        print(json.dumps(row), flush=True)
        if row["p99_ms"] > P99_LIMIT_S * 1000 or len(push) < kiosks.streams or max(push) > PUSH_LIMIT_S:
            print(json.dumps({"stopped": "limit passed"}), flush=True)
            return
    for writer in kiosks.writers:
        writer.close()


# --- orchestration -------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", default="1000,2500,5000,7500,10000", help="kiosk counts, ascending")
    parser.add_argument("--window", type=float, default=30.0, help="seconds of reports measured per step")
    parser.add_argument("--max-minutes", type=float, default=12.0, help="stop starting new steps after this")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(kiosks_main(json.loads(Path(args.child).read_text())))
        return

    from tests.central.server import PostgresCluster

    steps = sorted({max(1, int(s)) for s in args.steps.split(",")})
    binaries = PostgresCluster.find_binaries()
    if binaries is None:
        print("PostgreSQL is not installed: nothing measured")
        return
    limit = raise_fd_limit()
    print(
        f"Central fleet: python -m central serve --workers 2 on PostgreSQL behind nginx, kiosks from "
        f"a second process on loopback; {os.cpu_count()} cores, open-file limit {limit}, load average "
        f"{os.getloadavg()[0]:.1f} before the start (other work shares this machine)"
    )
    pg_folder = Path(tempfile.mkdtemp(prefix="green-central-pg-"))
    cluster = PostgresCluster(pg_folder, binaries).start()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            url = cluster.create_database("fleet")
            tokens, admin, key = prepare(work / "central", url, max(steps))
            server, server_port = start_server(work / "central", url)
            processes.append(server)
            nginx, port = start_nginx(work / "nginx", server_port)
            processes.append(nginx)
            setup = work / "setup.json"
            setup.write_text(json.dumps({
                "port": port, "tokens": tokens, "admin": admin, "key": str(key), "folder": folder,
                "server_pid": server.pid, "nginx_pid": nginx.pid,
                "postgres_pid": postmaster_pid(cluster.folder), "window": args.window, "steps": steps,
                "max_seconds": args.max_minutes * 60,
            }))  # fmt: skip
            child = subprocess.Popen(
                [sys.executable, __file__, "--child", str(setup)], stdout=subprocess.PIPE, text=True
            )
            assert child.stdout is not None
            print(
                "  kiosks  streams  open(s)  reports  errors  p50(ms)  p99(ms)  push p50(s)  push max(s)  "
                "sockets per worker  load  CPU ms/report"
            )
            for line in child.stdout:
                row = json.loads(line)
                if "stopped" in row:
                    print(f"  stopped: {row['stopped']}")
                    continue
                print(
                    f"  {row['kiosks']:6d}  {row['streams']:7d}  {row['open_s']:7.1f}  {row['reports']:7d}  "
                    f"{row['errors']:6d}  {row['p50_ms']:7.1f}  {row['p99_ms']:7.1f}  "
                    f"{row['push_p50_s']:11.2f}  "
                    f"{row['push_max_s'] if row['push_max_s'] is not None else '-':>11}  "
                    f"{'/'.join(map(str, row['worker_sockets'])):>18}  {row['load']:4.1f}  "
                    f"{'/'.join(map(str, row['cpu_ms_per_report'])):>15}"
                    + (f"  ({row['push_received']} of {row['streams']} got the push)"
                       if row["push_received"] < row["streams"] else "")
                )  # fmt: skip
            child.wait()
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        cluster.stop()
        shutil.rmtree(pg_folder, ignore_errors=True)
    print(
        "CPU ms/report: CPU time of uvicorn/nginx/PostgreSQL during the window per report (held streams' "
        "keep-alives included)"
    )
    print(f"Limits: p99 report latency {P99_LIMIT_S * 1000:.0f} ms, every push within {PUSH_LIMIT_S:.0f} s")


if __name__ == "__main__":
    main()
