"""What the central server does, without HTTP: channels, publishing, drafts, kiosks, reports, totals.

The web API (``central.api``), the console (``central.console``) and the command line call these
methods; each raises :class:`CentralError` with an HTTP status and a one-line reason. Credentials
live in their own room, ``self.accounts`` (:mod:`central.accounts`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from central.accounts import Accounts
from central.db import Database
from central.models import Channel, Draft, Kiosk, KioskEvent, Release, Report
from kiosk.content.manifest import (
    BLOBS_DIR,
    encode_manifest,
    parse_manifest,
)
from kiosk.content.publish import write_blob, write_manifest
from kiosk.content.signing import verify
from kiosk.errors import ContentError

log = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
SHA_PATTERN = re.compile(r"^[0-9a-f]{64}$")
SILENT_AFTER = timedelta(minutes=5)  # the console shows a kiosk in red after this
NETWORK_FRESH = timedelta(minutes=15)  # a centre's power counts in the network total for this long
MAX_BATCH = 1000
LANGUAGES = ("az", "en", "ru")


class CentralError(Exception):
    """A refused request: ``status`` is the HTTP status, the message says why in one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Totals:
    """The whole network: what the kiosks' "network" energy source shows."""

    read_at: datetime
    power_w: float
    energy_today_wh: float
    energy_total_wh: float
    centres: int
    kiosks: int

    def as_json(self) -> dict[str, Any]:
        return {
            "read_at": self.read_at.isoformat(),
            "power_w": self.power_w,
            "energy_today_wh": self.energy_today_wh,
            "energy_total_wh": self.energy_total_wh,
            "centres": self.centres,
            "kiosks": self.kiosks,
        }


class ReleaseNotifier:
    """Tells waiting push connections (any thread) that a channel has a new release."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[str, int], None]] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Callable[[str, int], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def notify(self, channel: str, release: int) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(channel, release)


class Central:
    """The server's state: a database plus the channel folders under ``data_dir/channels``."""

    def __init__(
        self,
        data_dir: Path,
        database: Database,
        *,
        max_blob_bytes: int = 2 << 30,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.database = database
        self.max_blob_bytes = max_blob_bytes
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.notifier = ReleaseNotifier()
        self.channels_dir = data_dir / "channels"
        self.screenshots_dir = data_dir / "screenshots"
        self.channels_dir.mkdir(parents=True, exist_ok=True)
        self.screenshots_dir.mkdir(parents=True, exist_ok=True)
        self._publish_lock = threading.Lock()
        self.accounts = Accounts(database, lambda: self.clock())

    # --- set-up (command line) -----------------------------------------------------------------
    def add_channel(self, name: str, public_key_pem: bytes) -> None:
        _check_name(name, "channel")
        _public_key(public_key_pem.decode("ascii", "replace"))  # refuse a bad key now, not at publish
        with self.database.session() as session:
            if session.scalar(select(Channel).where(Channel.name == name)) is not None:
                raise CentralError(409, f"channel {name!r} already exists")
            session.add(
                Channel(name=name, public_key=public_key_pem.decode(), release=0, created=self.clock())
            )
        (self.channels_dir / name / BLOBS_DIR).mkdir(parents=True, exist_ok=True)

    def add_kiosk(self, kiosk_id: str, centre: str, channel: str = "") -> str:
        """Register a kiosk; returns its token (shown once: only the hash is kept)."""
        _check_name(kiosk_id, "kiosk id")
        with self.database.session() as session:
            if session.get(Kiosk, kiosk_id) is not None:
                raise CentralError(409, f"kiosk {kiosk_id!r} already exists")
            session.add(
                Kiosk(
                    id=kiosk_id,
                    centre=centre,
                    channel=channel,
                    token_hash=secrets.token_hex(32),  # no known token's hash: accounts issues the real one
                    created=self.clock(),
                )
            )
        return self.accounts.renew_kiosk_token(kiosk_id)

    # --- channels --------------------------------------------------------------------------------
    def channel_names(self) -> list[str]:
        with self.database.session() as session:
            return list(session.scalars(select(Channel.name).order_by(Channel.name)))

    def channel_release(self, name: str) -> int:
        with self.database.session() as session:
            return self._channel(session, name).release

    def channel_dir(self, name: str) -> Path:
        _check_name(name, "channel")
        return self.channels_dir / name

    def missing_blobs(self, channel: str, blobs: Mapping[str, int]) -> list[str]:
        """Which of ``{sha: size}`` the channel does not hold yet (so the publisher uploads only those)."""
        self.channel_release(channel)  # 404 for an unknown channel
        folder = self.channel_dir(channel) / BLOBS_DIR
        missing = []
        for sha, size in blobs.items():
            _check_sha(sha)
            path = folder / sha
            if not (path.is_file() and path.stat().st_size == size):
                missing.append(sha)
        return sorted(missing)

    def store_blob(self, channel: str, sha: str, size: int | None, chunks: Iterable[bytes]) -> bool:
        """Store an uploaded blob after checking its sha256 and size; False when it was already there."""
        _check_sha(sha)
        if size is not None and size > self.max_blob_bytes:
            raise CentralError(413, f"blob of {size} bytes is over the {self.max_blob_bytes} allowed")
        self.channel_release(channel)
        target = self.channel_dir(channel) / BLOBS_DIR / sha
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file() and (size is None or target.stat().st_size == size):
            for _chunk in chunks:  # drain the request body
                pass
            return False
        digest = hashlib.sha256()
        received = 0

        def fill(handle: BinaryIO) -> None:
            nonlocal received
            for chunk in chunks:
                received += len(chunk)
                if received > self.max_blob_bytes:
                    raise CentralError(413, f"blob is over the {self.max_blob_bytes} bytes allowed")
                digest.update(chunk)
                handle.write(chunk)
            if size is not None and received != size:
                raise CentralError(400, f"blob {sha}: received {received} bytes, announced {size}")
            if digest.hexdigest() != sha:
                raise CentralError(400, f"blob {sha}: its content hashes to {digest.hexdigest()}")

        write_blob(target, fill)
        return True

    def publish(self, channel: str, manifest: bytes, signature: bytes, *, by: str, note: str = "") -> int:
        """Verify and activate a signed manifest: signature, schema, growing number, every blob here."""
        with self._publish_lock, self.database.session() as session:
            row = self._channel(session, channel)
            try:
                verify(_public_key(row.public_key), manifest, signature)
                parsed = parse_manifest(manifest)
            except ContentError as exc:
                raise CentralError(422, str(exc).splitlines()[0]) from exc
            if parsed.release <= row.release:
                raise CentralError(
                    409, f"release {parsed.release} is not newer than the active release {row.release}"
                )
            if parsed.expires <= self.clock():
                raise CentralError(422, f"the manifest expired at {parsed.expires.isoformat()}")
            missing = self.missing_blobs(channel, {sha: info.size for sha, info in parsed.blobs.items()})
            if missing:
                raise CentralError(409, f"{len(missing)} blobs are not uploaded yet, e.g. {missing[0]}")
            write_manifest(self.channel_dir(channel), manifest, signature)
            row.release = parsed.release
            session.add(
                Release(
                    channel_id=row.id,
                    number=parsed.release,
                    manifest=manifest,
                    signature=signature,
                    published_at=self.clock(),
                    published_by=by,
                    note=note,
                )
            )
            for draft in session.scalars(
                select(Draft).where(Draft.channel_id == row.id, Draft.status == "pending")
            ):
                if draft.number <= parsed.release:
                    draft.status = "superseded"
        log.info("Channel %s: release %d published by %s %s", channel, parsed.release, by, note)
        self.notifier.notify(channel, parsed.release)
        return parsed.release

    def releases(self, channel: str) -> list[dict[str, Any]]:
        with self.database.session() as session:
            row = self._channel(session, channel)
            found = session.scalars(
                select(Release).where(Release.channel_id == row.id).order_by(Release.number.desc())
            )
            return [
                {
                    "release": r.number,
                    "published_at": r.published_at.isoformat(),
                    "published_by": r.published_by,
                    "note": r.note,
                    "active": r.number == row.release,
                    "items": _item_count(r.manifest),
                }
                for r in found
            ]

    def release_manifest(self, channel: str, number: int) -> bytes:
        with self.database.session() as session:
            row = self._channel(session, channel)
            release = session.scalar(
                select(Release).where(Release.channel_id == row.id, Release.number == number)
            )
            if release is None:
                raise CentralError(404, f"channel {channel!r} has no release {number}")
            return release.manifest

    # --- drafts: the server proposes, the admin's key approves -----------------------------------
    def propose_rollback(self, channel: str, number: int, *, by: str, valid_days: int = 365) -> int:
        """A draft re-activating release ``number``'s content under a new, higher release number."""
        old = parse_manifest(self.release_manifest(channel, number))
        return self._propose(
            channel,
            "rollback",
            f"roll back to the content of release {number}",
            lambda new_number, now: encode_manifest(
                release=new_number,
                created=now,
                expires=now + timedelta(days=valid_days),
                content=old.content,
                blobs=old.blobs,
            ),
            by=by,
        )

    def propose_announcement(
        self,
        channel: str,
        texts: Mapping[str, str],
        *,
        starts: datetime,
        ends: datetime,
        level: str = "info",
        centres: Sequence[str] = (),
        by: str,
    ) -> int:
        """A draft adding an announcement (the override message) to the active release's content."""
        if level not in ("info", "emergency"):
            raise CentralError(400, f"level must be info or emergency, not {level!r}")
        if any(not texts.get(language, "").strip() for language in LANGUAGES):
            raise CentralError(400, "an announcement needs its text in az, en and ru")
        if ends <= starts:
            raise CentralError(400, "an announcement must end after it starts")
        with self.database.session() as session:
            active = self._channel(session, channel).release
        if active == 0:
            raise CentralError(409, f"channel {channel!r} has no release to add an announcement to")
        base = parse_manifest(self.release_manifest(channel, active))
        content = json.loads(json.dumps(base.content))
        item: dict[str, Any] = {
            "id": f"console-{int(self.clock().timestamp())}",
            "level": level,
            "starts": starts.isoformat(),
            "ends": ends.isoformat(),
            "text": {language: texts[language].strip() for language in LANGUAGES},
        }
        if centres:
            item["centres"] = list(centres)
        content.setdefault("announcements", []).append(item)
        return self._propose(
            channel,
            "announcement",
            f"announcement until {ends.isoformat(timespec='minutes')}: {texts['az'].strip()[:80]}",
            lambda new_number, now: encode_manifest(
                release=new_number,
                created=now,
                expires=base.expires if base.expires > ends else ends + timedelta(days=30),
                content=content,
                blobs=base.blobs,
            ),
            by=by,
        )

    def _propose(
        self,
        channel: str,
        kind: str,
        description: str,
        build: Callable[[int, datetime], bytes],
        *,
        by: str,
    ) -> int:
        now = self.clock().replace(microsecond=0)
        with self.database.session() as session:
            row = self._channel(session, channel)
            pending = session.scalars(
                select(Draft.number).where(Draft.channel_id == row.id, Draft.status == "pending")
            ).all()
            number = max([row.release, *pending]) + 1
            data = build(number, now)
            try:
                parse_manifest(data)
            except ContentError as exc:
                raise CentralError(422, str(exc).splitlines()[0]) from exc
            draft = Draft(
                channel_id=row.id,
                kind=kind,
                description=description,
                number=number,
                manifest=data,
                created=now,
                created_by=by,
            )
            session.add(draft)
            session.flush()
            return draft.id

    def drafts(self, channel: str, *, pending_only: bool = True) -> list[dict[str, Any]]:
        with self.database.session() as session:
            row = self._channel(session, channel)
            query = select(Draft).where(Draft.channel_id == row.id)
            if pending_only:
                query = query.where(Draft.status == "pending")
            return [
                {
                    "id": d.id,
                    "kind": d.kind,
                    "description": d.description,
                    "release": d.number,
                    "status": d.status,
                    "created": d.created.isoformat(),
                    "created_by": d.created_by,
                    "manifest": base64.b64encode(d.manifest).decode("ascii"),
                }
                for d in session.scalars(query.order_by(Draft.id))
            ]

    def approve(self, channel: str, draft_id: int, signature: bytes, *, by: str) -> int:
        """Publish a draft with the signature the admin tool made over its exact bytes."""
        with self.database.session() as session:
            draft = session.get(Draft, draft_id)
            row = self._channel(session, channel)
            if draft is None or draft.channel_id != row.id:
                raise CentralError(404, f"channel {channel!r} has no draft {draft_id}")
            if draft.status != "pending":
                raise CentralError(409, f"draft {draft_id} is {draft.status}, not pending")
            data, kind, description = draft.manifest, draft.kind, draft.description
        number = self.publish(channel, data, signature, by=by, note=f"{kind}: {description}")
        with self.database.session() as session:
            stored = session.get(Draft, draft_id)
            if stored is not None:
                stored.status = "published"
        return number

    # --- kiosks ----------------------------------------------------------------------------------
    def ingest(
        self, kiosk_id: str, heartbeats: Sequence[Mapping[str, Any]], events: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        """Store a batch of heartbeats and events; a repeated event id is skipped, not doubled."""
        if len(heartbeats) + len(events) > MAX_BATCH:
            raise CentralError(413, f"a batch holds at most {MAX_BATCH} records")
        now = self.clock()
        reports = [_report(kiosk_id, raw, now) for raw in heartbeats]
        kiosk_events = [_event(kiosk_id, raw) for raw in events]
        with self.database.session() as session:
            kiosk = session.get(Kiosk, kiosk_id)
            if kiosk is None:
                raise CentralError(403, f"kiosk {kiosk_id!r} is not registered")
            new_reports = self._insert_new(session, Report, reports)
            new_events = self._insert_new(session, KioskEvent, kiosk_events)
            kiosk.last_seen = now
            latest = max(reports, key=lambda r: r["at"], default=None)
            if latest is not None and (kiosk.report_at is None or latest["at"] >= kiosk.report_at):
                kiosk.report_at = latest["at"]
                for key in (
                    "app_version",
                    "release",
                    "uptime_s",
                    "energy_state",
                    "power_w",
                    "energy_today_wh",
                    "energy_total_wh",
                    "last_error",
                ):
                    setattr(kiosk, key, latest[key])
                kiosk.reading_at = latest["reading_at"] or latest["at"]
            screenshot = kiosk.screenshot_requested
        return {
            "accepted": {"heartbeats": new_reports, "events": new_events},
            "duplicates": len(reports) + len(kiosk_events) - new_reports - new_events,
            "screenshot_requested": screenshot,
        }

    def _insert_new(
        self, session: Session, model: type[Report] | type[KioskEvent], rows: list[dict[str, Any]]
    ) -> int:
        if not rows:
            return 0
        values = [{k: v for k, v in row.items() if k in model.__table__.columns} for row in rows]
        insert = pg_insert if self.database.dialect == "postgresql" else sqlite_insert
        # One cached statement run over all rows ("insertmanyvalues"); only the rows really
        # inserted come back, so a resent record is counted as a duplicate.
        statement = (
            insert(model).on_conflict_do_nothing(index_elements=["kiosk_id", "event_id"]).returning(model.id)
        )
        return len(session.execute(statement, values).all())

    def request_screenshot(self, kiosk_id: str) -> None:
        with self.database.session() as session:
            kiosk = self._kiosk(session, kiosk_id)
            kiosk.screenshot_requested = True

    def store_screenshot(self, kiosk_id: str, png: bytes) -> None:
        if not png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise CentralError(415, "a screenshot must be a PNG image")
        path = self.screenshots_dir / f"{kiosk_id}.png"
        write_blob(path, lambda handle: handle.write(png))
        with self.database.session() as session:
            kiosk = self._kiosk(session, kiosk_id)
            kiosk.screenshot_requested = False
            kiosk.screenshot_at = self.clock()

    def screenshot_path(self, kiosk_id: str) -> Path | None:
        _check_name(kiosk_id, "kiosk id")
        path = self.screenshots_dir / f"{kiosk_id}.png"
        return path if path.is_file() else None

    def fleet(self) -> list[dict[str, Any]]:
        now = self.clock()
        with self.database.session() as session:
            kiosks = session.scalars(select(Kiosk).order_by(Kiosk.centre, Kiosk.id)).all()
            return [_kiosk_row(k, now) for k in kiosks]

    def kiosk(self, kiosk_id: str) -> dict[str, Any]:
        with self.database.session() as session:
            return _kiosk_row(self._kiosk(session, kiosk_id), self.clock())

    def history(self, kiosk_id: str, limit: int = 200) -> list[dict[str, Any]]:
        with self.database.session() as session:
            self._kiosk(session, kiosk_id)
            rows = session.scalars(
                select(Report).where(Report.kiosk_id == kiosk_id).order_by(Report.at.desc()).limit(limit)
            )
            return [
                {
                    "at": r.at,
                    "release": r.release,
                    "app_version": r.app_version,
                    "energy_state": r.energy_state,
                    "power_w": r.power_w,
                    "energy_today_wh": r.energy_today_wh,
                    "last_error": r.last_error,
                }
                for r in rows
            ]

    def event_summary(self, kiosk_id: str) -> list[dict[str, Any]]:
        """Proof of play: seconds shown and count per section and language."""
        with self.database.session() as session:
            rows = session.execute(
                select(
                    KioskEvent.kind,
                    KioskEvent.section,
                    KioskEvent.language,
                    func.count(),
                    func.coalesce(func.sum(KioskEvent.seconds), 0.0),
                )
                .where(KioskEvent.kiosk_id == kiosk_id)
                .group_by(KioskEvent.kind, KioskEvent.section, KioskEvent.language)
                .order_by(KioskEvent.kind, KioskEvent.section, KioskEvent.language)
            ).all()
            return [
                {"kind": k, "section": s, "language": lang, "count": int(n), "seconds": float(sec or 0.0)}
                for k, s, lang, n, sec in rows
            ]

    def network(self) -> Totals:
        """All centres: the latest reading per centre (several kiosks of one centre read one plant)."""
        now = self.clock()
        with self.database.session() as session:
            kiosks = session.scalars(select(Kiosk).where(Kiosk.reading_at.is_not(None))).all()
            per_centre: dict[str, Kiosk] = {}
            for k in kiosks:
                best = per_centre.get(k.centre)
                if best is None or (k.reading_at or now) > (best.reading_at or now):
                    per_centre[k.centre] = k
            power = today = total = 0.0
            for k in per_centre.values():
                fresh = k.reading_at is not None and now - k.reading_at <= NETWORK_FRESH
                if fresh:
                    power += k.power_w or 0.0
                    today += k.energy_today_wh or 0.0
                total += k.energy_total_wh or 0.0
            return Totals(now, power, today, total, len(per_centre), len(kiosks))

    # --- helpers ---------------------------------------------------------------------------------
    def _channel(self, session: Session, name: str) -> Channel:
        row = session.scalar(select(Channel).where(Channel.name == name))
        if row is None:
            raise CentralError(404, f"no channel {name!r}")
        return row

    def _kiosk(self, session: Session, kiosk_id: str) -> Kiosk:
        kiosk = session.get(Kiosk, kiosk_id)
        if kiosk is None:
            raise CentralError(404, f"no kiosk {kiosk_id!r}")
        return kiosk


def _check_name(name: str, what: str) -> None:
    if not NAME_PATTERN.match(name):
        raise CentralError(
            400, f"{what} {name[:70]!r}: use 1-64 of a-z 0-9 . _ - (starting with a letter or digit)"
        )


def _check_sha(sha: str) -> None:
    if not SHA_PATTERN.match(sha):
        raise CentralError(400, f"{sha[:70]!r} is not a sha256 (64 hex digits)")


def _public_key(pem: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise CentralError(400, "the channel's public key is not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise CentralError(400, "the channel's public key is not an Ed25519 key")
    return key


def _item_count(manifest: bytes) -> int:
    try:
        content = json.loads(manifest)["content"]
    except (ValueError, KeyError, TypeError):
        return 0
    return sum(len(v) for v in content.values() if isinstance(v, list))


def _time(raw: Mapping[str, Any], key: str, required: bool = True) -> datetime | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise CentralError(400, f"{key}: expected an ISO 8601 time with a zone, got {str(value)[:40]!r}")
    return when.astimezone(UTC)


def _number(raw: Mapping[str, Any], key: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CentralError(400, f"{key}: expected a number, got {str(value)[:40]!r}")
    return float(value)


def _text(raw: Mapping[str, Any], key: str, limit: int) -> str:
    value = raw.get(key) or ""
    if not isinstance(value, str):
        raise CentralError(400, f"{key}: expected text")
    return value[:limit]


def _event_id(raw: Mapping[str, Any]) -> str:
    value = raw.get("id")
    if not isinstance(value, str) or not 8 <= len(value) <= 64:
        raise CentralError(400, "every record needs an id of 8 to 64 characters (it makes resending safe)")
    return value


def _report(kiosk_id: str, raw: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise CentralError(400, "a heartbeat must be a JSON object")
    release = raw.get("release")
    uptime = raw.get("uptime_s")
    return {
        "kiosk_id": kiosk_id,
        "event_id": _event_id(raw),
        "at": _time(raw, "at"),
        "received": now,
        "app_version": _text(raw, "app_version", 64),
        "release": release if isinstance(release, int) and not isinstance(release, bool) else None,
        "uptime_s": int(uptime) if isinstance(uptime, int | float) and not isinstance(uptime, bool) else None,
        "energy_state": _text(raw, "energy_state", 256),
        "power_w": _number(raw, "power_w"),
        "energy_today_wh": _number(raw, "energy_today_wh"),
        "energy_total_wh": _number(raw, "energy_total_wh"),
        "reading_at": _time(raw, "reading_at", required=False),
        "last_error": _text(raw, "last_error", 2000),
    }


def _event(kiosk_id: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise CentralError(400, "an event must be a JSON object")
    kind = _text(raw, "kind", 32)
    if not kind:
        raise CentralError(400, "an event needs a kind")
    return {
        "kiosk_id": kiosk_id,
        "event_id": _event_id(raw),
        "at": _time(raw, "at"),
        "kind": kind,
        "section": _text(raw, "section", 64),
        "item": _text(raw, "item", 128),
        "seconds": _number(raw, "seconds"),
        "language": _text(raw, "language", 8),
    }


def _kiosk_row(k: Kiosk, now: datetime) -> dict[str, Any]:
    silent = k.last_seen is None or now - k.last_seen > SILENT_AFTER
    return {
        "id": k.id,
        "centre": k.centre,
        "channel": k.channel,
        "last_seen": k.last_seen,
        "silent": silent,
        "app_version": k.app_version,
        "release": k.release,
        "uptime_s": k.uptime_s,
        "energy_state": k.energy_state,
        "power_w": k.power_w,
        "energy_today_wh": k.energy_today_wh,
        "energy_total_wh": k.energy_total_wh,
        "last_error": k.last_error,
        "screenshot_at": k.screenshot_at,
        "screenshot_requested": k.screenshot_requested,
    }
