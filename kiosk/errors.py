"""The kiosk's error hierarchy: messages are written for the admin or IT technician who reads them."""

from __future__ import annotations


class KioskError(Exception):
    """Base of every error the kiosk reports to a person."""


class ConfigError(KioskError):
    """The configuration file is missing, unreadable or has a wrong key or value."""


class StoreError(KioskError):
    """The local database cannot be opened or migrated."""


class SourceError(KioskError):
    """An energy source cannot be read (offline, garbage, silent)."""


class ContentError(KioskError):
    """A content source, manifest or blob is invalid."""


class DiskFullError(KioskError):
    """The kiosk's disk has too little free space for what it is about to write."""
