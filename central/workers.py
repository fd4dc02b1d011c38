"""Several uvicorn worker processes, each building its own app from settings left in the environment.

uvicorn starts workers by importing an application factory, so ``serve --workers N`` writes its settings
to :data:`SETTINGS_ENV` and names :func:`app`. The parent has already brought the schema up to date, so a
worker only connects; PostgreSQL ``LISTEN/NOTIFY`` (``central.push``) carries each release to all of them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi import FastAPI

from central.api import create_app
from central.db import Database
from central.preview import Previews, PreviewSettings
from central.service import Central

SETTINGS_ENV = "GREEN_CENTRAL_WORKER_SETTINGS"


def settings_for_workers(
    data: Path,
    database_url: str,
    max_blob_bytes: int,
    rated_power_w: float,
    trusted_proxies: tuple[str, ...] = (),
    preview: PreviewSettings | None = None,
) -> str:
    values = {"data": str(data), "url": database_url, "max_blob_bytes": max_blob_bytes}
    preview = preview or PreviewSettings()
    values["preview"] = {
        "python": str(preview.python) if preview.python else "",
        "timeout_seconds": preview.timeout_seconds,
        "cache_mb": preview.cache_mb,
    }
    return json.dumps({**values, "rated_power_w": rated_power_w, "trusted_proxies": list(trusted_proxies)})


def app() -> FastAPI:
    """The application of one worker process (uvicorn's ``factory=True``)."""
    settings = json.loads(os.environ[SETTINGS_ENV])
    central = Central(
        Path(settings["data"]),
        Database(settings["url"]),
        max_blob_bytes=int(settings["max_blob_bytes"]),
        rated_power_w=float(settings["rated_power_w"]),
    )
    chosen = settings.get("preview") or {}
    preview = PreviewSettings(
        python=Path(chosen["python"]) if chosen.get("python") else None,
        timeout_seconds=int(chosen.get("timeout_seconds", 120)),
        cache_mb=int(chosen.get("cache_mb", 500)),
    )
    previews = Previews(Path(settings["data"]) / "previews", preview)
    return create_app(central, trusted_proxies=tuple(settings.get("trusted_proxies", ())), previews=previews)
