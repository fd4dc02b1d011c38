"""The kiosk's content library: which release is active, and where its media files are on disk."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kiosk.content.model import Content, parse_content
from kiosk.content.source import load_demo_content, safe_relative_path
from kiosk.errors import ContentError
from kiosk.paths import DEMO_CONTENT_DIR
from kiosk.store.db import Store
from kiosk.store.models import ContentRelease

log = logging.getLogger(__name__)


class ContentLibrary:
    """Reads the active release from the store and turns its media references into file paths."""

    def __init__(
        self,
        store: Store,
        blob_dir: Path,
        *,
        demo_dir: Path = DEMO_CONTENT_DIR,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.blob_dir = blob_dir
        self.demo_dir = demo_dir
        self._now = now or (lambda: datetime.now(UTC))

    def ensure_demo_release(self) -> None:
        """Make the bundled demo content the active release when no published release is active.

        The demo copy is refreshed at every start, so an upgraded app shows its own demo content.
        """
        doc, _content = load_demo_content(self.demo_dir)
        encoded = json.dumps(doc, ensure_ascii=False, sort_keys=True)
        with self.store.session() as session:
            active = session.scalars(select(ContentRelease).where(ContentRelease.active)).first()
            if active is not None and active.origin != "demo":
                return
            if active is not None:
                if active.document != encoded:
                    active.document = encoded
                    active.installed_at = self._now()
                    log.info("Refreshed the bundled demo content")
                return
            session.add(
                ContentRelease(
                    release_number=0, origin="demo", document=encoded, installed_at=self._now(), active=True
                )
            )
            log.info("No published content yet: showing the bundled demo content")

    def active(self) -> Content:
        """The active release; the bundled demo content if the store holds none that parses."""
        with self.store.session() as session:
            row = session.scalars(select(ContentRelease).where(ContentRelease.active)).first()
            if row is not None:
                try:
                    doc: dict[str, Any] = json.loads(row.document)
                    return parse_content(doc, release=row.release_number, origin=row.origin)
                except (ValueError, ContentError) as exc:
                    log.error("Active release %s in the store is unreadable: %s", row.release_number, exc)
        return load_demo_content(self.demo_dir)[1]

    def resolve(self, ref: str | None) -> Path | None:
        """The file behind a media reference, or None when it is not (or no longer) on disk."""
        if not ref:
            return None
        kind, _, name = ref.partition(":")
        try:
            if kind == "demo":
                path = self.demo_dir / safe_relative_path(name)
            elif kind == "blob" and len(name) == 64 and all(c in "0123456789abcdef" for c in name):
                path = self.blob_dir / name
            else:
                raise ContentError(f"unknown media reference '{ref}'")
        except ContentError as exc:
            log.error("Ignoring media reference: %s", exc)
            return None
        return path if path.is_file() else None
