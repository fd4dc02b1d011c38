"""Start-up that never leaves the lobby dark: a broken config, token or crash loop degrades, never stops.

A kiosk nobody can reach with a keyboard must come up whatever IT staff typed: a config file that does
not parse gives the last config that started well (saved in the data dir), else the built-in defaults
with every key that does parse; a kiosk that crashed again and again soon after start comes up in a
safe mode with the optional network subsystems off. Every such problem is kept for the admin screen.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.atomic_file import write_atomically
from kiosk.config import Settings, load_settings, parse_settings
from kiosk.errors import ConfigError

log = logging.getLogger(__name__)

LAST_GOOD_CONFIG = "last-good-config.toml"
CRASH_FILE = "quick-exits.json"
SAFE_MODE_AFTER = 3
"""Starts in a row that ended (crash, watchdog kill) before HEALTHY_SECONDS: the next one is safe mode."""
HEALTHY_SECONDS = 120
"""Running this long (or exiting cleanly) clears the count of quick exits."""
MAX_CONFIG_BYTES = 1_000_000


@dataclass(frozen=True)
class StartupSettings:
    """The settings the kiosk starts with, where they came from, and what was wrong on the way."""

    settings: Settings
    origin: str
    """"file" (the config file as written), "last good" (the saved copy), "defaults" or "preview"
    (main.py --preview-manifest: default settings, nothing of this machine's config)."""
    problems: tuple[str, ...] = ()
    config_text: str | None = field(default=None, repr=False)
    """The config file's text when it parsed cleanly (saved as the last good one once the kiosk runs)."""


def load_startup_settings(path: Path | None, data_dir: Path, *, required: bool = True) -> StartupSettings:
    """Settings for the kiosk itself: never raises for a config problem, says what went wrong instead."""
    try:
        settings = load_settings(path, required=required)
    except ConfigError as exc:
        problem = str(exc)
    else:
        text = None
        if settings.path is not None:
            try:
                text = settings.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):  # changed since it was read a moment ago: not saved then
                text = None
        return StartupSettings(settings, "file", (), text)
    assert path is not None  # no file at all cannot fail
    last_good = data_dir / LAST_GOOD_CONFIG
    if last_good.is_file():
        try:
            settings = parse_settings(last_good.read_text(encoding="utf-8"), path)
        except (OSError, UnicodeDecodeError, ConfigError) as exc:
            log.error("The last good config %s cannot be used either: %s", last_good, exc)
        else:
            note = f"started with the last config that worked (saved {_stamp(last_good)})"
            log.error("Config problem: %s; %s", problem, note)
            return StartupSettings(settings, "last good", (problem, note))
    settings, problems = salvage_settings(path)
    problems = [problem, *[p for p in problems if p != problem]]
    problems.append("started with the built-in defaults and the keys that could be read")
    for line in problems:
        log.error("Config problem: %s", line)
    return StartupSettings(settings, "defaults", tuple(problems))


def remember_good_config(startup: StartupSettings, data_dir: Path) -> None:
    """Save a config file that parsed cleanly, once the kiosk runs with it: tomorrow's fallback."""
    if startup.origin != "file" or startup.config_text is None:
        return
    target = data_dir / LAST_GOOD_CONFIG
    try:
        if target.is_file() and target.read_text(encoding="utf-8") == startup.config_text:
            return
        _write_replace(target, startup.config_text)
    except OSError as exc:
        log.warning("Cannot save the working config to %s: %s", target, exc)


def salvage_settings(path: Path) -> tuple[Settings, list[str]]:
    """The defaults overridden by every key of ``path`` that is valid, and a line per key that is not."""
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            return Settings(path=path), [f"{path}: bigger than {MAX_CONFIG_BYTES:,} bytes: not read"]
        original = path.read_text(encoding="utf-8")
        data = tomllib.loads(original)
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(path=path), [f"{path}: cannot read config file: {exc}"]
    except tomllib.TOMLDecodeError as exc:
        return Settings(path=path), [f"{path}: not valid TOML: {exc}"]
    kept: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for table, items in data.items():
        if not isinstance(items, dict):
            problems.append(f"{path}: '{table}' must be a table [{table}]")
            continue
        for key, value in items.items():
            if _toml_value(value) is None:
                where = _where(path, original, table, key)
                problems.append(f"{where}: [{table}] {key}: value not understood")
            else:
                kept.setdefault(table, {})[key] = value
    for _ in range(sum(len(items) for items in kept.values()) + 1):
        try:
            return parse_settings(_toml_text(kept), path), problems
        except ConfigError as exc:
            culprit = _culprit(str(exc), kept)
            if culprit is None:
                problems.append(str(exc))
                return Settings(path=path), problems
            table, key = culprit
            message = str(exc).split(": ", 1)[1] if ": " in str(exc) else str(exc)
            problems.append(f"{_where(path, original, table, key)}: {message}")
            if key:
                del kept[table][key]
            else:
                del kept[table]
    return Settings(path=path), problems


def _culprit(message: str, kept: dict[str, dict[str, Any]]) -> tuple[str, str] | None:
    """Which table and key a ConfigError message is about (key "" for a whole table)."""
    unknown_key = re.search(r"unknown key '([^']+)' in \[([^\]]+)\]", message)
    if unknown_key:
        return unknown_key.group(2), unknown_key.group(1)
    unknown_table = re.search(r"unknown table \[([^\]]+)\]", message)
    if unknown_table:
        return unknown_table.group(1), ""
    for match in re.finditer(r"\[([A-Za-z0-9_-]+)\] ([A-Za-z0-9_-]+)", message):
        table, key = match.groups()
        if key in kept.get(table, {}):
            return table, key
    return None


def _where(path: Path, text: str, table: str, key: str) -> str:
    """``path, line N`` of ``key`` in ``[table]`` (just the path when it cannot be found)."""
    current = None
    key_re = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]", line)
        if header:
            current = header.group(1)
            if not key and current == table:
                return f"{path}, line {number}"
        elif key and current == table and key_re.match(line):
            return f"{path}, line {number}"
    return str(path)


def _toml_value(value: Any) -> str | None:
    """A TOML literal for the value kinds settings use; None for anything else (dates, deeper nesting)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value) if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        items = [_toml_value(v) for v in value]
        return None if any(i is None for i in items) else "[" + ", ".join(i for i in items if i) + "]"
    if isinstance(value, dict):  # one of [[energy.sources]]: written back as an inline table
        pairs = {json.dumps(key): _toml_value(item) for key, item in value.items()}
        if any(item is None for item in pairs.values()):
            return None
        return "{" + ", ".join(f"{key} = {item}" for key, item in pairs.items()) + "}"
    return None


def _toml_text(tables: dict[str, dict[str, Any]]) -> str:
    lines: list[str] = []
    for table, items in tables.items():
        lines.append(f"[{table}]")
        lines += [f"{json.dumps(key)} = {_toml_value(value)}" for key, value in items.items()]
    return "\n".join(lines) + "\n"


def _stamp(path: Path) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime))


def _write_replace(target: Path, text: str) -> None:
    """Small state files: a temporary file renamed into place, so a power cut leaves the old or the new."""
    write_atomically(target, text.encode("utf-8"))


class QuickExits:
    """Counts starts that ended soon after: the crash loop that would otherwise keep the screen dark.

    ``begin()`` at start counts this start; ``healthy()`` (after HEALTHY_SECONDS, or on a clean exit)
    clears the count. So the count is the number of starts in a row that crashed or were killed early.
    """

    def __init__(self, data_dir: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = data_dir / CRASH_FILE
        self.clock = clock
        self.before = 0
        """Quick exits in a row before this start."""

    def begin(self) -> bool:
        """Count this start; True when the kiosk should come up in safe mode."""
        self.before = self._read()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_replace(self.path, json.dumps({"count": self.before + 1, "at": int(self.clock())}))
        except OSError as exc:
            log.warning("Cannot count starts in %s: %s", self.path, exc)
        return self.before >= SAFE_MODE_AFTER

    def healthy(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("Cannot clear the count of quick exits in %s: %s", self.path, exc)

    def _read(self) -> int:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8")[:1000])
            count = data.get("count") if isinstance(data, dict) else None
        except (OSError, ValueError):
            return 0
        return count if isinstance(count, int) and 0 <= count < 1_000_000 else 0
