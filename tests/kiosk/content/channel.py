"""Real peers and sources for the content sync tests: content folders, nginx, and a fault-injecting server.

``ChannelServer`` serves a channel folder like a static web server (ETag, If-None-Match, Range) and can
be told to answer 500, cut a blob after N bytes, or trickle blobs slowly, logging every request.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kiosk.content.manifest import BlobInfo, encode_manifest
from kiosk.content.signing import load_private_key, sign
from tests.content_docs import text

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False)


def svg(label: str) -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg"><title>{label}</title></svg>'.encode()


def write_source(folder: Path, services: list[dict[str, Any]], files: dict[str, bytes]) -> Path:
    """A content source folder: content.toml naming ``services`` plus the media ``files``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["format = 1", "[channel]", f"name = {_toml_value(text('Channel'))}"]
    for service in services:
        lines.append("[[services]]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in service.items()]
    (folder / "content.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def card(item_id: str, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": item_id,
        "category": "green",
        "url": f"https://www.e-gov.az/{item_id}",
        "icon": f"icons/{item_id}.svg",
        "title": text(f"Title {item_id}"),
        "summary": text(f"Summary {item_id}"),
        "body": text(f"Body {item_id}"),
    }
    doc.update(extra)
    return doc


def simple_source(folder: Path, count: int = 3, *, tag: str = "v1") -> Path:
    """``count`` service cards, each with its own small SVG icon whose bytes depend on ``tag``."""
    services = [card(f"item-{i}") for i in range(count)]
    files = {f"icons/item-{i}.svg": svg(f"item {i} {tag}") for i in range(count)}
    return write_source(folder, services, files)


def sign_raw(channel: Path, key_path: Path, data: bytes) -> None:
    """Publish arbitrary manifest bytes with a signature by ``key_path`` (for forged channels)."""
    (channel / "manifest.json").write_bytes(data)
    (channel / "manifest.json.sig").write_bytes(sign(load_private_key(key_path), data))


def forged_manifest(
    *,
    release: int,
    created: datetime,
    expires: datetime,
    content: dict[str, Any],
    blobs: dict[str, BlobInfo],
) -> bytes:
    return encode_manifest(release=release, created=created, expires=expires, content=content, blobs=blobs)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Request:
    path: str
    status: int
    range: str | None
    sent: int


@dataclass
class Faults:
    """What the ChannelServer does wrong next; every field consumed as it is used."""

    errors: int = 0  # answer this many requests with 500
    cut: dict[str, int] = field(default_factory=dict)  # blob sha -> close after this many body bytes
    trickle_bytes_per_s: float = 0.0  # slow down blob bodies (for kill tests)


class ChannelServer:
    """A static server for a channel folder with ETag, conditional GET and Range, plus faults."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.faults = Faults()
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _record(self, handler: BaseHTTPRequestHandler, status: int, sent: int) -> None:
        with self._lock:
            self.requests.append(Request(handler.path, status, handler.headers.get("Range"), sent))

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            fail = self.faults.errors > 0
            if fail:
                self.faults.errors -= 1
        if fail:
            body = b"boom"
            handler.send_response(500)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            self._record(handler, 500, len(body))
            return
        relative = handler.path.lstrip("/")
        path = self.root / relative
        if ".." in relative or not path.is_file():
            handler.send_response(404)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            self._record(handler, 404, 0)
            return
        data = path.read_bytes()
        etag = '"' + sha256(data)[:16] + '"'
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            self._record(handler, 304, 0)
            return
        start = 0
        status = 200
        wanted = handler.headers.get("Range")
        if wanted and wanted.startswith("bytes=") and wanted.endswith("-"):
            start = int(wanted[len("bytes=") : -1])
            if start >= len(data):
                handler.send_response(416)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                self._record(handler, 416, 0)
                return
            status = 206
        body = data[start:]
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("ETag", etag)
        if status == 206:
            handler.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        handler.end_headers()
        name = relative.rsplit("/", 1)[-1]
        with self._lock:
            cut = self.faults.cut.pop(name, None) if relative.startswith("blobs/") else None
            trickle = self.faults.trickle_bytes_per_s if relative.startswith("blobs/") else 0.0
        if cut is not None:
            body = body[:cut]
        sent = 0
        try:
            step = 16 * 1024
            for offset in range(0, len(body), step):
                piece = body[offset : offset + step]
                handler.wfile.write(piece)
                sent += len(piece)
                if trickle:
                    time.sleep(len(piece) / trickle)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self._record(handler, status, sent)
        if cut is not None:
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)


class Nginx:
    """Debian's nginx serving a channel folder on 127.0.0.1, logging status and bytes of each request."""

    def __init__(self, root: Path, prefix: Path) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.access_log = prefix / "access.log"
        user = "user root;\n" if os.geteuid() == 0 else ""
        temp = "".join(
            f"{kind}_temp_path {prefix}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf = prefix / "nginx.conf"
        conf.write_text(
            f"""{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    {temp}
    types {{ application/json json; }}
    default_type application/octet-stream;
    log_format channel '$request_method $uri $status $bytes_sent $request_length "$http_range"';
    access_log {self.access_log} channel;
    gzip on;
    gzip_types application/json;
    server {{
        listen 127.0.0.1:{self.port};
        root {root};
        location / {{ }}
    }}
}}
""",
            encoding="utf-8",
        )
        self._process = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"nginx did not start: {self._process.stderr.read()!r}")  # type: ignore[union-attr]
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def log(self, expect: int = 0) -> list[tuple[str, str, int, int, int, str]]:
        """(method, uri, status, bytes sent, request length, range) per request so far.

        nginx writes a line just after it answers: ``expect`` waits (up to 5 s) for that many lines.
        """
        deadline = time.monotonic() + 5
        lines = self._lines()
        while len(lines) < expect and time.monotonic() < deadline:
            time.sleep(0.01)
            lines = self._lines()
        rows = []
        for line in lines:
            method, uri, status, sent, length, rng = line.split(" ", 5)
            rows.append((method, uri, int(status), int(sent), int(length), rng.strip('"')))
        return rows

    def _lines(self) -> list[str]:
        return self.access_log.read_text().splitlines() if self.access_log.exists() else []

    def clear_log(self) -> None:
        self.access_log.write_text("")  # nginx appends, so it goes on at the start of the file

    def close(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
