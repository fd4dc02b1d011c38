"""What each release changed, for the channel page: a one-line summary and the full difference.

Computed from the stored signed manifests with the kiosk's own parser (:mod:`kiosk.content.diff`, the
same difference ``kioskctl approve`` shows), against the release published just before. Releases never
change once stored, so each difference is computed once and kept in memory.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from central.console_reports_text import REPORT_TEXTS, summary
from central.publishing import Publishing
from kiosk.content.diff import ReleaseDiff, diff_releases, render_text
from kiosk.content.manifest import parse_manifest
from kiosk.errors import ContentError

log = logging.getLogger(__name__)

SUMMARY_TABLES = ("service", "services", "video", "announcement", "channel", "attract", "settings")
"""What a reader counts as a change ("release" only holds the number and dates, which always change)."""


@dataclass(frozen=True)
class ReleaseChange:
    """How many items of each table were added, removed or changed, and the difference as text."""

    number: int
    before: int | None
    counts: tuple[tuple[str, str, int], ...]  # (table, kind, how many), in a stable order
    text: str


class ReleaseNotes:
    """Differences between consecutive releases of a channel, computed on first view and cached."""

    def __init__(self, publishing: Publishing) -> None:
        self.publishing = publishing
        self._cache: dict[tuple[str, int], ReleaseChange] = {}
        self._lock = threading.Lock()

    def change(self, channel: str, number: int, before: int | None) -> ReleaseChange:
        """Release ``number`` against release ``before`` (None for the channel's first release)."""
        key = (channel, number)
        with self._lock:
            found = self._cache.get(key)
        if found is not None and found.before == before:
            return found
        after_bytes = self.publishing.release_manifest(channel, number)
        try:
            after = parse_manifest(after_bytes)
            old_bytes = None if before is None else self.publishing.release_manifest(channel, before)
            old = None if old_bytes is None else parse_manifest(old_bytes)
            diff = diff_releases(old, after)
        except ContentError as exc:  # stored long ago under an older schema: say so instead of failing
            log.warning("Channel %s release %d: no difference shown: %s", channel, number, exc)
            return ReleaseChange(number, before, (), f"The difference cannot be computed: {exc}")
        change = ReleaseChange(number, before, _counts(diff), render_text(diff, before_is_active=False))
        with self._lock:
            self._cache[key] = change
        return change

    def changes(self, channel: str, numbers: list[int]) -> dict[int, ReleaseChange]:
        """Each release of ``numbers`` against the one published before it."""
        ordered = sorted(numbers)
        return {
            number: self.change(channel, number, ordered[i - 1] if i else None)
            for i, number in enumerate(ordered)
        }

    def summaries(self, channel: str, releases: list[dict[str, Any]], lang: str) -> None:
        """Add ``summary`` (in ``lang``) to each release row of the channel page."""
        changes = self.changes(channel, [r["release"] for r in releases])
        for row in releases:
            change = changes[row["release"]]
            first = change.before is None
            row["summary"] = REPORT_TEXTS[lang]["release_first"] if first else summary(change.counts, lang)


def _counts(diff: ReleaseDiff) -> tuple[tuple[str, str, int], ...]:
    counted = Counter((c.table, c.kind) for c in diff.changes if c.table in SUMMARY_TABLES)
    order = {table: i for i, table in enumerate(SUMMARY_TABLES)}
    kinds = {"added": 0, "changed": 1, "removed": 2}
    return tuple(
        (table, kind, n)
        for (table, kind), n in sorted(counted.items(), key=lambda x: (order[x[0][0]], kinds[x[0][1]]))
    )
