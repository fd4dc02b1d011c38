"""Domain errors of the central server's rooms: what went wrong, in words; the HTTP edge picks the status.

``api.py`` and ``console.py`` map each class to one status code; the command line prints the message.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refused request; the message says why in one line, for the administrator who reads it."""


class NotFound(DomainError):  # noqa: N818 - the names the issue gives the domain errors
    """The named thing does not exist (404)."""


class Conflict(DomainError):  # noqa: N818 - the names the issue gives the domain errors
    """The request contradicts what is already there (409)."""


class Invalid(DomainError):  # noqa: N818 - the names the issue gives the domain errors
    """The request itself is wrong: a bad name, a short password (400)."""


class Forbidden(DomainError):  # noqa: N818 - the names the issue gives the domain errors
    """The caller is known but may not do this (403)."""


HTTP_STATUS: dict[type[DomainError], int] = {NotFound: 404, Conflict: 409, Invalid: 400, Forbidden: 403}


def http_status(error: DomainError) -> int:
    """The status the HTTP edge answers a domain error with (400 for one it does not know)."""
    for kind in type(error).__mro__:
        if kind in HTTP_STATUS:
            return HTTP_STATUS[kind]
    return 400
