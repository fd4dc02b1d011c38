"""Small content documents for tests, in the same shape as content.toml and manifests."""

from __future__ import annotations

from typing import Any


def text(base: str) -> dict[str, str]:
    return {"az": f"{base} (az)", "en": f"{base} (en)", "ru": f"{base} (ru)"}


def service(item_id: str, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": item_id,
        "category": "green",
        "url": f"https://www.e-gov.az/{item_id}",
        "title": text(f"Title {item_id}"),
        "summary": text(f"Summary {item_id}"),
        "body": text(f"Body {item_id}"),
    }
    doc.update(extra)
    return doc


def document(**extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": 1,
        "channel": {"name": text("Channel")},
        "services": [service("one", featured=True), service("two")],
        "videos": [],
        "announcements": [],
    }
    doc.update(extra)
    return doc
