"""Green Kiosk central server: content channels, publishing API, push, fleet status, network energy.

Nothing in ``kiosk/`` or ``ui/`` imports this package; it reuses the manifest and signature code of
``kiosk.content`` so a channel it serves is byte for byte what ``kioskctl publish`` writes to a folder.
"""
