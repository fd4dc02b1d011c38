"""Three-way merge of content documents, one top-level key at a time (services, videos, settings, ...).

A content draft from the console is a whole document edited from one release; when another draft is
published first, the editor's work is carried onto the new release: each key the editor left alone takes
the new release's value, each key only the editor changed keeps the editor's, and a key both changed
differently is a conflict the editor resolves (nothing is guessed inside a list of services).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.content.manifest import BlobInfo
from kiosk.content.source import media_fields

_ABSENT = object()


@dataclass(frozen=True)
class Merged:
    """The merged document, or None with the keys changed on both sides in different ways."""

    content: dict[str, Any] | None
    conflicts: tuple[str, ...] = ()


def _same(a: Any, b: Any) -> bool:
    if a is _ABSENT or b is _ABSENT:
        return a is b
    return _canonical(a) == _canonical(b)


def _canonical(value: Any) -> str:
    """JSON text, so ``true`` and ``1`` (equal in Python) differ, as they do to the kiosk's parser."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def merge_content(base: Mapping[str, Any], ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> Merged:
    """``ours`` (the draft, edited from ``base``) carried onto ``theirs`` (the newer release)."""
    result: dict[str, Any] = {}
    conflicts: list[str] = []
    for key in sorted({*base, *ours, *theirs}):
        was, mine, new = base.get(key, _ABSENT), ours.get(key, _ABSENT), theirs.get(key, _ABSENT)
        if _same(mine, was):
            value = new
        elif _same(new, was) or _same(mine, new):
            value = mine
        else:
            conflicts.append(key)
            continue
        if value is not _ABSENT:
            result[key] = copy.deepcopy(value)
    return Merged(None, tuple(conflicts)) if conflicts else Merged(result)


def referenced_blobs(content: Mapping[str, Any], *sources: Mapping[str, BlobInfo]) -> dict[str, BlobInfo]:
    """The blobs ``content`` names (what a manifest must list, and no more), each as the first of
    ``sources`` that knows it promises; a blob none knows is left out, for the parser to refuse."""
    found: dict[str, BlobInfo] = {}
    for _key, table, name in media_fields(dict(content)):
        sha = table[name]
        for source in sources:
            if sha in source:
                found[sha] = source[sha]
                break
    return found
