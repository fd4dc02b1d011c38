"""Fetching one JSON document over HTTP for a source, with every failure turned into a SourceError."""

from __future__ import annotations

import math
import re
from typing import Any

import requests

from kiosk.errors import SourceError

MAX_BYTES = 1_000_000
"""A JSON answer of an inverter or feed is a few kB: anything larger is not one."""


class HttpStatusError(SourceError):
    """The server answered, with an HTTP status other than 200 (``status``)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def fetch_json(session: requests.Session, url: str, timeout: float, what: str) -> Any:
    """GET ``url`` and decode its JSON; the message names ``what`` was being read and why it failed."""
    try:
        response = session.get(url, timeout=timeout)
    except requests.Timeout as exc:
        raise SourceError(f"{what} at {url} cannot be reached: no answer within {timeout:g} s") from exc
    except requests.RequestException as exc:
        raise SourceError(f"{what} at {url} cannot be reached: {_reason(exc)}") from exc
    if response.status_code in (401, 403):
        raise HttpStatusError(
            f"{what} at {url} refused access (HTTP {response.status_code}): "
            "check the kiosk's token ([central] token_file)",
            response.status_code,
        )
    if response.status_code != 200:
        raise HttpStatusError(f"{what} at {url} answered HTTP {response.status_code}", response.status_code)
    if len(response.content) > MAX_BYTES:
        raise SourceError(f"{what} at {url} answered {len(response.content)} bytes, more than a reading")
    try:
        return response.json()
    except ValueError as exc:
        raise SourceError(f"{what} at {url} answered something that is not JSON") from exc


def _reason(exc: requests.RequestException) -> str:
    """The operating system's words ("[Errno 111] Connection refused"), not urllib3's nested repr."""
    found = re.search(r"\[Errno -?\d+\] [^'\")]+", str(exc))
    return found.group(0).strip() if found else str(exc)[:200]


def number_or_none(document: dict[str, Any], key: str, what: str) -> float | None:
    """A numeric field that may be null; anything else (text, true, a list) is garbage."""
    value = document.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SourceError(f"{what}: field {key} is {value!r:.40}, not a number")
    number = float(value)
    if not math.isfinite(number):
        raise SourceError(f"{what}: field {key} is {value!r}, not a finite number")
    return number
