"""The one HTTP client for the central server: a session with the bearer token, timeouts, bounded answers.

Every conversation with the central server (reports, push, the network energy feed, admin publishing)
goes through :class:`CentralConnection`, so a failure reads the same everywhere: it names what was being
done, the URL, and what the reader can do about it. Content channel files are fetched by the sync engine,
which talks to any static web server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from kiosk.errors import KioskError

MAX_ANSWER_BYTES = 1_000_000
"""An API answer of the central server is a few kB: anything larger is not one."""
KIOSK_TOKEN_HINT = "check the kiosk's token ([central] token_file)"


class CentralConnectionError(KioskError):
    """The central server could not be reached, refused, failed or answered garbage.

    ``status`` is the HTTP status when the server answered one, else None.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def refused(self) -> bool:
        """The server refused the token: retrying soon will not help."""
        return self.status in (401, 403)


@dataclass(frozen=True)
class CentralAnswer:
    """A complete, bounded answer of the central server (status 2xx)."""

    url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body decoded as JSON (ValueError when it is not)."""
        return json.loads(self.body)


class CentralConnection:
    """One session to one central server; every failure raises ``error`` (a CentralConnectionError).

    ``what`` names the conversation in messages ("Reports to the central server"); ``token_hint`` says
    what to check when the server refuses the token. ``session`` lets a test put a peer in between.
    """

    def __init__(
        self,
        server_url: str,
        token: str,
        *,
        what: str = "The central server",
        timeout: tuple[float, float] = (5.0, 30.0),
        max_bytes: int = MAX_ANSWER_BYTES,
        token_hint: str = KIOSK_TOKEN_HINT,
        error: type[CentralConnectionError] = CentralConnectionError,
        session: requests.Session | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.what = what
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.token_hint = token_hint
        self.error = error
        self.session = session or requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def url(self, path: str) -> str:
        """``path`` below the server's URL; an absolute URL is taken as it is."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.server_url}/{path.lstrip('/')}"

    # --- complete answers --------------------------------------------------------------------------
    def get(self, path: str, **kwargs: Any) -> CentralAnswer:
        return self._answer(self.session.get, path, kwargs)

    def post(self, path: str, **kwargs: Any) -> CentralAnswer:
        return self._answer(self.session.post, path, kwargs)

    def put(self, path: str, **kwargs: Any) -> CentralAnswer:
        return self._answer(self.session.put, path, kwargs)

    def get_json(self, path: str) -> Any:
        """GET ``path`` and decode its JSON answer."""
        answer = self.get(path)
        try:
            return answer.json()
        except ValueError as exc:
            raise self.error(
                f"{self.what} at {answer.url} answered something that is not JSON", answer.status
            ) from exc

    # --- streams -----------------------------------------------------------------------------------
    def open_stream(
        self, path: str, *, timeout: tuple[float, float] | None = None, **kwargs: Any
    ) -> requests.Response:
        """A 2xx response still streaming (the caller closes it); any other status raises ``error``."""
        url = self.url(path)
        response = self._send(self.session.get, url, kwargs | {"stream": True}, timeout)
        if not 200 <= response.status_code < 300:
            with response:
                raise self._status_error(url, response.status_code, _reason(_bounded(response, 4096)))
        return response

    def read_limited(self, response: requests.Response, limit: int) -> bytes:
        """The rest of a streamed body, refusing more than ``limit`` bytes."""
        try:
            data = _bounded(response, limit)
        except requests.RequestException as exc:
            raise self.error(f"{self.what} at {response.url}: the answer broke off: {_why(exc)}") from exc
        if len(data) > limit:
            raise self.error(f"{self.what} at {response.url} answered more than {limit} bytes", 200)
        return data

    def close(self) -> None:
        self.session.close()

    # --- the one mapping of failures -----------------------------------------------------------------
    def _answer(
        self, method: Callable[..., requests.Response], path: str, kwargs: dict[str, Any]
    ) -> CentralAnswer:
        url = self.url(path)
        timeout = kwargs.pop("timeout", None)
        with self._send(method, url, kwargs | {"stream": True}, timeout) as response:
            body = self.read_limited(response, self.max_bytes)
            if not 200 <= response.status_code < 300:
                raise self._status_error(url, response.status_code, _reason(body))
            return CentralAnswer(url, response.status_code, body, dict(response.headers))

    def _send(
        self,
        method: Callable[..., requests.Response],
        url: str,
        kwargs: dict[str, Any],
        timeout: tuple[float, float] | None,
    ) -> requests.Response:
        limits = timeout or self.timeout
        try:
            return method(url, timeout=limits, **kwargs)
        except requests.Timeout as exc:
            waited = limits[0] if isinstance(exc, requests.ConnectTimeout) else limits[1]
            message = f"{self.what} at {url} cannot be reached: no answer within {waited:g} s"
            raise self.error(message) from exc
        except requests.RequestException as exc:
            raise self.error(f"{self.what} at {url} cannot be reached: {_why(exc)}") from exc

    def _status_error(self, url: str, status: int, reason: str) -> CentralConnectionError:
        said = f": {reason}" if reason else ""
        if status in (401, 403):
            message = f"{self.what} at {url} refused access (HTTP {status}): {self.token_hint}"
            return self.error(message, status)
        if status >= 500:
            message = f"{self.what} at {url} answered HTTP {status}{said} (a fault of the server)"
            return self.error(message, status)
        return self.error(f"{self.what} at {url} answered HTTP {status}{said}", status)


def _bounded(response: requests.Response, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a streamed body (one more tells that it is too large)."""
    data = bytearray()
    chunks: Iterator[bytes] = response.iter_content(64 * 1024)
    for chunk in chunks:
        data += chunk
        if len(data) > limit:
            break
    return bytes(data[: limit + 1])


def _reason(body: bytes) -> str:
    """The server's own words: ``{"error": "..."}`` or the start of the text, printable only."""
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    if isinstance(document, dict) and document.get("error"):
        text = str(document["error"])
    elif isinstance(document, dict) and isinstance(document.get("detail"), str):
        text = document["detail"]
    else:
        text = body[:200].decode("utf-8", "replace")
    return "".join(c if c.isprintable() else " " for c in text).strip()[:300]


def _why(exc: requests.RequestException) -> str:
    """The operating system's words ("[Errno 111] Connection refused"), not urllib3's nested repr."""
    found = re.search(r"\[Errno -?\d+\] [^'\")]+", str(exc))
    return found.group(0).strip() if found else f"{type(exc).__name__}: {str(exc)[:200]}"
