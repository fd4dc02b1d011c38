"""The central server's refusals in its own words; ``central.api`` and ``central.console`` pick the status.

Each message is one line for the person who reads it (an admin, a technician, a kiosk's log).
"""

from __future__ import annotations


class CentralError(Exception):
    """A request the server refuses; the subclass says why in kind, the message in words."""


class NotFound(CentralError):  # noqa: N818 - the names the issue and the rooms use
    """No such channel, release, draft or kiosk."""


class Conflict(CentralError):  # noqa: N818 - the names the issue and the rooms use
    """The request clashes with the server's state (an existing name, an older release, a used draft)."""


class Invalid(CentralError):  # noqa: N818 - the names the issue and the rooms use
    """The request itself is malformed: a bad name, hash, level, time or body."""


class Rejected(CentralError):  # noqa: N818 - the names the issue and the rooms use
    """Well-formed but refused on its merits: a signature that does not verify, an expired manifest."""


class Forbidden(CentralError):  # noqa: N818 - the names the issue and the rooms use
    """The caller is known but may not do this (a kiosk on an admin endpoint, an unregistered kiosk)."""


class TooLarge(CentralError):  # noqa: N818 - the names the issue and the rooms use
    """A body, blob or batch over its limit."""


class Unsupported(CentralError):  # noqa: N818 - the names the issue and the rooms use
    """A body of the wrong media type (a screenshot that is not a PNG)."""


class StorageFull(CentralError):  # noqa: N818 - the names the issue and the rooms use
    """The server's disk (or its database's) is full: nothing was changed, the active release is served."""


class Unavailable(CentralError):  # noqa: N818 - the names the issue and the rooms use
    """The database or the disk failed under the request (gone, locked, an I/O error): try again later."""
