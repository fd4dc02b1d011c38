"""Publishing to a central server over HTTP(S): ``kioskctl publish SRC --to https://…/channels/NAME``.

The admin tool signs; the server only checks. Steps: ask which blobs the channel lacks, upload those
(the server checks each one's sha256 and size), then send the manifest and its detached signature
(the server checks the signature against the channel's public key and that the number grows).
Drafts the server proposes (a rollback, an announcement from the console) are signed the same way by
``kioskctl approve``. The private key never leaves the admin's machine.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from kiosk.config import read_named_file
from kiosk.content.manifest import encode_manifest, parse_manifest
from kiosk.content.publish import DEFAULT_VALID_DAYS, PublishReport, load_release
from kiosk.content.signing import load_private_key, sign
from kiosk.errors import ConfigError, ContentError

TOKEN_ENV = "GREEN_KIOSK_ADMIN_TOKEN"
TIMEOUT = (10.0, 300.0)  # connect, read (a big video takes a while to hash on the server)


@dataclass(frozen=True)
class ChannelUrl:
    """``https://host/prefix/channels/NAME`` split into the server's base URL and the channel name."""

    server: str
    name: str

    @classmethod
    def parse(cls, url: str) -> ChannelUrl:
        parts = urlsplit(url.rstrip("/"))
        segments = parts.path.split("/")
        if parts.scheme not in ("http", "https") or len(segments) < 3 or segments[-2] != "channels":
            raise ContentError(f"{url}: expected a channel URL like https://server/channels/NAME")
        base_path = "/".join(segments[:-2])
        return cls(urlunsplit((parts.scheme, parts.netloc, base_path, "", "")), segments[-1])

    def api(self, *path: str) -> str:
        return "/".join([self.server, "api", "channels", self.name, *path])


def read_token(token_file: str | None) -> str:
    """The admin token from ``--token-file`` or ``$GREEN_KIOSK_ADMIN_TOKEN`` (never a command-line
    argument: those show in ``ps`` and shell history)."""
    if token_file:
        try:
            token = read_named_file(Path(token_file), "admin token").decode("utf-8").strip()
        except (ConfigError, UnicodeDecodeError) as exc:
            raise ContentError(f"{token_file}: cannot read the admin token: {exc}") from exc
    else:
        token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise ContentError(f"publishing to a server needs an admin token: --token-file FILE or ${TOKEN_ENV}")
    return token


class CentralClient:
    """The publishing API of one channel on a central server."""

    def __init__(self, url: str, token: str, session: requests.Session | None = None) -> None:
        self.channel = ChannelUrl.parse(url)
        self._session = session or requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            response = self._session.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as exc:
            raise ContentError(f"{url}: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            try:
                reason = response.json().get("error", response.text)
            except ValueError:
                reason = response.text[:200]
            raise ContentError(f"{self.channel.server}: {response.status_code}: {reason}")
        return response

    def active_release(self) -> int:
        return int(self._call("GET", self.channel.api("releases")).json()["active"])

    def missing(self, blobs: dict[str, int]) -> list[str]:
        response = self._call("POST", self.channel.api("missing"), json={"blobs": blobs})
        return list(response.json()["missing"])

    def upload(self, sha: str, path: Path) -> None:
        with path.open("rb") as handle:
            headers = {"Content-Type": "application/octet-stream", "Content-Length": str(path.stat().st_size)}
            self._call("PUT", self.channel.api("blobs", sha), data=handle, headers=headers)

    def publish_signed(self, manifest: bytes, signature: bytes, note: str = "") -> int:
        body = {
            "manifest": base64.b64encode(manifest).decode("ascii"),
            "signature": base64.b64encode(signature).decode("ascii"),
            "note": note,
        }
        return int(self._call("POST", self.channel.api("releases"), json=body).json()["release"])

    def drafts(self) -> list[dict[str, Any]]:
        return list(self._call("GET", self.channel.api("drafts")).json()["drafts"])

    def propose_rollback(self, release: int) -> int:
        return int(
            self._call("POST", self.channel.api("rollback"), json={"release": release}).json()["draft"]
        )

    def approve(self, draft_id: int, signature: bytes) -> int:
        body = {"signature": base64.b64encode(signature).decode("ascii")}
        url = self.channel.api("drafts", str(draft_id), "signature")
        return int(self._call("POST", url, json=body).json()["release"])


def publish_remote(
    source: Path,
    key_path: Path,
    client: CentralClient,
    *,
    release: int | None = None,
    valid_days: int = DEFAULT_VALID_DAYS,
    now: datetime | None = None,
) -> PublishReport:
    """Publish ``source`` to the server: missing blobs first, then the signed manifest."""
    if valid_days < 1:
        raise ContentError(f"--valid-days: expected at least 1, got {valid_days}")
    key = load_private_key(key_path)
    content = load_release(source)
    current = client.active_release()
    number = current + 1 if release is None else release
    if number <= current:
        raise ContentError(f"--release {number}: the channel already has release {current}")
    missing = client.missing({sha: info.size for sha, info in content.blobs.items()})
    uploaded_bytes = 0
    for sha in missing:
        client.upload(sha, content.files[sha])
        uploaded_bytes += content.blobs[sha].size
    created = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    data = encode_manifest(
        release=number,
        created=created,
        expires=created + timedelta(days=valid_days),
        content=content.content,
        blobs=content.blobs,
    )
    client.publish_signed(data, sign(key, data), note=f"kioskctl publish {source.name}")
    return PublishReport(number, len(data), len(content.blobs), len(missing), uploaded_bytes)


def approve_drafts(
    client: CentralClient,
    key_path: Path,
    *,
    only: int | None = None,
    show: Callable[[str], None] = print,
) -> list[int]:
    """Sign and publish the server's pending drafts (or draft ``only``); returns the new releases.

    Each draft is parsed and described before it is signed, so the admin sees what the key approves.
    """
    key = load_private_key(key_path)
    published = []
    drafts = [d for d in client.drafts() if only is None or d["id"] == only]
    if only is not None and not drafts:
        raise ContentError(f"draft {only}: not pending on {client.channel.server}")
    for draft in drafts:
        data = base64.b64decode(draft["manifest"])
        manifest = parse_manifest(data, where=f"draft {draft['id']}")
        items = sum(len(v) for v in manifest.content.values() if isinstance(v, list))
        show(
            f"Draft {draft['id']} ({draft['kind']}, by {draft['created_by']}): {draft['description']}; "
            f"becomes release {manifest.release} with {items} items, expires {manifest.expires:%Y-%m-%d}"
        )
        published.append(client.approve(int(draft["id"]), sign(key, data)))
    return published
