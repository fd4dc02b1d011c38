"""Publishing to a central server over HTTP(S): ``kioskctl publish SRC --to https://…/channels/NAME``.

The admin tool signs; the server only checks. Steps: ask which blobs the channel lacks, upload those
(the server checks each one's sha256 and size), then send the manifest and its detached signature
(the server checks the signature against the channel's public key and that the number grows).
Drafts the server proposes (a rollback, an announcement from the console) are signed the same way by
``kioskctl approve``. The private key never leaves the admin's machine.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.central_connection import MAX_ANSWER_BYTES, CentralConnection, CentralConnectionError
from kiosk.config import read_named_file
from kiosk.content.base_record import record_base
from kiosk.content.diff import ReleaseDiff, diff_releases, render_text, shown
from kiosk.content.manifest import (
    BLOBS_DIR,
    MANIFEST_FILE,
    MAX_MANIFEST_BYTES,
    SIGNATURE_FILE,
    Manifest,
    encode_manifest,
    parse_manifest,
)
from kiosk.content.publish import DEFAULT_VALID_DAYS, PublishReport, SourceRelease, load_release
from kiosk.content.signing import SIGNATURE_SIZE, load_private_key, sign, verify
from kiosk.errors import ConfigError, ContentError

log = logging.getLogger(__name__)

TOKEN_ENV = "GREEN_KIOSK_ADMIN_TOKEN"
TIMEOUT = (10.0, 300.0)  # connect, read (a big video takes a while to hash on the server)
MAX_NOTE = 256  # what the server keeps (central.bodies.MAX_NOTE)
ADMIN_TOKEN_HINT = f"check the admin token (--token-file or ${TOKEN_ENV})"


class PublishingError(CentralConnectionError, ContentError):
    """Publishing or approving failed on the server's side (the CLI reports it as a content error)."""


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

    def files(self, *path: str) -> str:
        """The public channel folder kiosks read (manifest, signature, blobs)."""
        return "/".join([self.server, "channels", self.name, *path])


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
    """The publishing API of one channel on a central server, over a :class:`CentralConnection`."""

    def __init__(self, url: str, token: str, session: requests.Session | None = None) -> None:
        self.channel = ChannelUrl.parse(url)
        self._http = CentralConnection(
            self.channel.server,
            token,
            what="The central server",
            timeout=TIMEOUT,
            max_bytes=MAX_ANSWER_BYTES + 4 * MAX_MANIFEST_BYTES,  # the drafts list carries manifests
            token_hint=ADMIN_TOKEN_HINT,
            error=PublishingError,
            session=session,
        )

    def _json(self, method: str, url: str, **kwargs: Any) -> Any:
        call = {"GET": self._http.get, "POST": self._http.post, "PUT": self._http.put}[method]
        answer = call(url, **kwargs)
        try:
            return answer.json()
        except ValueError as exc:
            raise PublishingError(f"{url} answered something that is not JSON", answer.status) from exc

    def active_release(self) -> int:
        return int(self._json("GET", self.channel.api("releases"))["active"])

    def missing(self, blobs: dict[str, int]) -> list[str]:
        return list(self._json("POST", self.channel.api("missing"), json={"blobs": blobs})["missing"])

    def upload(self, sha: str, path: Path) -> None:
        with path.open("rb") as handle:
            headers = {"Content-Type": "application/octet-stream", "Content-Length": str(path.stat().st_size)}
            self._http.put(self.channel.api("blobs", sha), data=handle, headers=headers)

    def publish_signed(self, manifest: bytes, signature: bytes, note: str = "") -> int:
        body = {
            "manifest": base64.b64encode(manifest).decode("ascii"),
            "signature": base64.b64encode(signature).decode("ascii"),
            "note": note,
        }
        return int(self._json("POST", self.channel.api("releases"), json=body)["release"])

    def drafts(self) -> list[dict[str, Any]]:
        return list(self._json("GET", self.channel.api("drafts"))["drafts"])

    def propose_rollback(self, release: int) -> int:
        return int(self._json("POST", self.channel.api("rollback"), json={"release": release})["draft"])

    def channel_file(self, name: str, *, limit: int) -> bytes | None:
        """A public channel file (what kiosks fetch), at most ``limit`` bytes; None when it is absent."""
        try:
            with self._http.open_stream(self.channel.files(name)) as response:
                return self._http.read_limited(response, limit)
        except CentralConnectionError as exc:
            if exc.status == 404:
                return None
            raise

    def release_files(self, number: int) -> tuple[bytes, bytes]:
        """Release ``number``'s manifest bytes and the admin's signature over them, as the server keeps
        them (any release, not only the active one)."""
        found: list[bytes] = []
        for name, limit in (("manifest", MAX_MANIFEST_BYTES), ("signature", SIGNATURE_SIZE)):
            with self._http.open_stream(self.channel.api("releases", str(number), name)) as response:
                found.append(self._http.read_limited(response, limit))
        return found[0], found[1]

    def working_copy(self, limit: int) -> bytes:
        """The console's working copy as the server answers it (JSON, unsigned), at most ``limit`` bytes;
        :mod:`kiosk.content.pull` checks it as strictly as a release."""
        with self._http.open_stream(self.channel.api("working-copy")) as response:
            return self._http.read_limited(response, limit)

    def fetch_blob(self, sha: str, size: int, dest: Path, *, deadline: float | None = None) -> None:
        """Download a channel blob to ``dest``, refusing more bytes than promised or another sha256, and
        giving up at ``deadline`` (``time.monotonic()``) so a trickling server cannot hold it forever."""
        digest = hashlib.sha256()
        written = 0
        with self._http.open_stream(self.channel.files(BLOBS_DIR, sha)) as response, dest.open("wb") as out:
            try:
                for chunk in response.iter_content(256 * 1024):
                    written += len(chunk)
                    if written > size:
                        raise ContentError(f"blob {sha}: larger than the {size} bytes the manifest promises")
                    if deadline is not None and time.monotonic() > deadline:
                        raise ContentError(f"blob {sha}: still downloading at its deadline; try again later")
                    digest.update(chunk)
                    out.write(chunk)
            except requests.RequestException as exc:
                raise ContentError(f"blob {sha}: the download broke off: {type(exc).__name__}") from exc
        if written != size or digest.hexdigest() != sha:
            raise ContentError(f"blob {sha}: the server sent other bytes than the manifest names")

    def active_manifest(self, public_key: Ed25519PublicKey) -> Manifest | None:
        """The release kiosks are shown now, its signature checked with ``public_key``, parsed as a kiosk
        parses it; None when the channel has published nothing yet."""
        data = self.channel_file(MANIFEST_FILE, limit=MAX_MANIFEST_BYTES)
        if data is None:
            return None
        signature = self.channel_file(SIGNATURE_FILE, limit=SIGNATURE_SIZE) or b""
        try:
            verify(public_key, data, signature)
        except ContentError as exc:
            raise ContentError(
                f"{self.channel.files(MANIFEST_FILE)}: the channel's active release is not signed by this "
                f"key ({exc}); nothing is signed until that is explained"
            ) from exc
        return parse_manifest(data, where=f"the channel's active {MANIFEST_FILE}")

    def approve(self, draft_id: int, signature: bytes, data: bytes) -> int:
        """Send the signature over ``data`` with their sha256, so a server that rebuilt the draft since
        answers "stale" (409) rather than "bad signature"."""
        body = {
            "signature": base64.b64encode(signature).decode("ascii"),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        url = self.channel.api("drafts", str(draft_id), "signature")
        return int(self._json("POST", url, json=body)["release"])


def publish_remote(
    source: Path,
    key_path: Path,
    client: CentralClient,
    *,
    release: int | None = None,
    valid_days: int = DEFAULT_VALID_DAYS,
    now: datetime | None = None,
    note: str = "",
    check: Callable[[SourceRelease], None] | None = None,
) -> PublishReport:
    """Publish ``source`` to the server: missing blobs first, then the signed manifest with its note.

    ``check`` sees the checked folder before anything is uploaded and raises to stop (the CLI's
    "what this would overwrite"). Afterwards the folder records the release it now is.
    """
    if valid_days < 1:
        raise ContentError(f"--valid-days: expected at least 1, got {valid_days}")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ContentError(f"--note: at most {MAX_NOTE} characters, got {len(note)}")
    key = load_private_key(key_path)
    content = load_release(source)
    if check is not None:
        check(content)
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
    client.publish_signed(data, sign(key, data), note=note)
    try:
        record_base(source, client.channel.files(), parse_manifest(data))
    except OSError as exc:  # a read-only folder still published; the next publish just compares more
        log.warning("%s: cannot note which release it is now: %s", source, exc)
    return PublishReport(number, len(data), len(content.blobs), len(missing), uploaded_bytes)


@dataclass(frozen=True)
class ProposedDraft:
    """A pending draft as the signer sees it: the bytes that would be signed, parsed as a kiosk would,
    and the difference from the release the channel shows now."""

    id: int
    data: bytes
    manifest: Manifest
    diff: ReleaseDiff
    active: Manifest | None
    """The channel's verified active release (None when it has none yet)."""


def approve_drafts(
    client: CentralClient,
    key_path: Path,
    *,
    only: int | None = None,
    show: Callable[[str], None] = print,
    confirm: Callable[[ProposedDraft], bool] = lambda _draft: True,
    now: datetime | None = None,
) -> list[int]:
    """Show each pending draft (or draft ``only``) and sign it when ``confirm`` agrees; returns the new
    releases.

    What is shown comes from the manifest bytes that would be signed and from the channel's active
    release (its signature checked with this key), never from the server's description of the draft.
    After each signature the server rebuilds the other pending drafts on the new release, so they are
    fetched again and the rebuilt bytes are what is shown and signed. A draft a kiosk would refuse is
    not signed. Raises ContentError after the last draft when any was refused, declined or found stale,
    so a script sees that not everything was published.
    """
    key = load_private_key(key_path)
    public = key.public_key()

    def pending(wanted: set[Any] | None) -> list[dict[str, Any]]:
        found = [d for d in client.drafts() if only is None or d.get("id") == only]
        return found if wanted is None else [d for d in found if d.get("id") in wanted]

    drafts = pending(None)
    if only is not None and not drafts:
        raise ContentError(
            f"draft {only} is not waiting for approval on {client.channel.server} (approved, discarded or "
            "superseded already, or no such draft): nothing was signed"
        )
    wanted = {d.get("id") for d in drafts}  # drafts proposed while this runs wait for the next run
    active = client.active_manifest(public)
    published: list[int] = []
    unsigned: list[str] = []
    handled: set[Any] = set()
    while (raw := next((d for d in drafts if d.get("id") not in handled), None)) is not None:
        draft_id = raw.get("id")
        handled.add(draft_id)
        label = f"draft {draft_id}"
        try:
            proposed = _proposed(raw, active, now or datetime.now(UTC))
        except ContentError as exc:
            show(
                f"Draft {shown(str(draft_id))}: NOT SIGNED, a kiosk would refuse it:\n{shown_lines(str(exc))}"
            )
            unsigned.append(f"{label} refused")
            continue
        show(
            f"Draft {proposed.id}: the server calls it {shown(str(raw.get('kind', '')))!r} by "
            f'{shown(str(raw.get("created_by", "")))!r}, "{shown(str(raw.get("description", "")))}" '
            "(the server's words, not checked; what you sign is below)"
        )
        show(render_text(proposed.diff))
        try:
            agreed = confirm(proposed)
        except ContentError as exc:
            show(f"Draft {proposed.id}: NOT SIGNED: {shown_lines(str(exc)).strip()}")
            unsigned.append(f"{label} not signed ({str(exc).splitlines()[0]})")
            continue
        if not agreed:
            show(f"Draft {proposed.id}: not signed")
            unsigned.append(f"{label} not signed")
            continue
        try:
            release = client.approve(proposed.id, sign(key, proposed.data), proposed.data)
        except PublishingError as exc:
            if exc.status != 409:
                raise
            reason = str(exc).partition("HTTP 409: ")[2] or str(exc)
            show(f"Draft {proposed.id}: NOT PUBLISHED: {shown(reason)}")
            unsigned.append(f"{label} not published ({shown(reason)})")
        else:
            show(f"Draft {proposed.id}: signed and published as release {release}")
            published.append(release)
        drafts = pending(wanted)
        active = client.active_manifest(public)
    if unsigned:
        done = f"; published release {', '.join(map(str, published))}" if published else ""
        raise ContentError(f"{', '.join(unsigned)}{done}")
    return published


def _proposed(raw: dict[str, Any], active: Manifest | None, now: datetime) -> ProposedDraft:
    """Parse a draft's manifest exactly as a kiosk would, and refuse what a kiosk would refuse."""
    draft_id = raw.get("id")
    if isinstance(draft_id, bool) or not isinstance(draft_id, int):
        raise ContentError(f"the server sent a draft without a numeric id: {str(draft_id)[:40]!r}")
    where = f"draft {draft_id}"
    try:
        data = base64.b64decode(str(raw.get("manifest", "")), validate=True)
    except ValueError as exc:
        raise ContentError(f"{where}: the manifest is not valid base64") from exc
    manifest = parse_manifest(data, where=where)
    if active is not None and manifest.release <= active.release:
        raise ContentError(
            f"{where}: release {manifest.release} is not newer than the active release {active.release}"
        )
    if manifest.expires <= now:
        raise ContentError(f"{where}: expired at {manifest.expires.isoformat()}; kiosks refuse it")
    return ProposedDraft(draft_id, data, manifest, diff_releases(active, manifest), active)


def shown_lines(text: str) -> str:
    """A multi-line error from a parser, each line made safe for the terminal and indented."""
    return "\n".join(f"  {shown(line)}" for line in text.splitlines())
