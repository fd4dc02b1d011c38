"""A kiosk configured against the test fleet: its token file (mode 0600) and its kiosk.toml."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.config import Settings, load_settings
from tests.central.conftest import Fleet


def kiosk_settings(
    fleet: Fleet,
    folder: Path,
    *,
    kiosk_id: str = "baku-1-lobby",
    poll_seconds: int = 3600,
    heartbeat_seconds: int = 60,
    token: str | None = None,
    extra: str = "",
) -> Settings:
    """Settings read from a real kiosk.toml: content from the server's channel ``main``, reports to it."""
    folder.mkdir(parents=True, exist_ok=True)
    token_file = folder / "kiosk.token"
    token_file.write_text((token or fleet.kiosk_tokens[kiosk_id]) + "\n", encoding="utf-8")
    os.chmod(token_file, 0o600)
    config = folder / "kiosk.toml"
    config.write_text(
        f"""[kiosk]
id = "{kiosk_id}"
centre = "baku-1"
[content]
url = "{fleet.server.channel_url()}"
public_key = "{fleet.public_key}"
poll_seconds = {poll_seconds}
[central]
url = "{fleet.server.url}"
token_file = "kiosk.token"
heartbeat_seconds = {heartbeat_seconds}
{extra}""",
        encoding="utf-8",
    )
    return load_settings(config)
