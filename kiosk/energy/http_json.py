"""Fetching one JSON document over HTTP for a source, with every failure turned into a SourceError."""

from __future__ import annotations

from typing import Any

import requests

from kiosk.errors import SourceError


def fetch_json(session: requests.Session, url: str, timeout: float, what: str) -> Any:
    """GET ``url`` and decode its JSON; the message names ``what`` was being read and why it failed."""
    try:
        response = session.get(url, timeout=timeout)
    except requests.RequestException as exc:
        raise SourceError(f"{what} at {url} cannot be reached: {exc}") from exc
    if response.status_code in (401, 403):
        raise SourceError(
            f"{what} at {url} refused access (HTTP {response.status_code}): "
            "check the kiosk's token ([central] token_file)"
        )
    if response.status_code != 200:
        raise SourceError(f"{what} at {url} answered HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError as exc:
        raise SourceError(f"{what} at {url} answered something that is not JSON") from exc


def number_or_none(document: dict[str, Any], key: str, what: str) -> float | None:
    """A numeric field that may be null; anything else (text, true, a list) is garbage."""
    value = document.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SourceError(f"{what}: field {key} is {value!r}, not a number")
    return float(value)
