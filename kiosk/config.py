"""Kiosk settings: one TOML file, every key optional, every mistake named by file, line and key.

IT staff edit this file by hand on each kiosk, so a typo must stop start-up with a message they can act
on, never a traceback and never a silently ignored key.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from kiosk.errors import ConfigError

log = logging.getLogger(__name__)

APP_NAME = "green-kiosk"
CONFIG_ENV = "GREEN_KIOSK_CONFIG"
LANGUAGES = ("az", "en", "ru")


@dataclass(frozen=True)
class KioskSettings:
    """Who this kiosk is: its id in the fleet and the centre it stands in."""

    id: str = "demo-kiosk"
    centre: str = "demo-centre"
    timezone: str = field(default="Asia/Baku", metadata={"timezone": True})


@dataclass(frozen=True)
class DisplaySettings:
    """What the visitor sees first and when the kiosk falls back to it."""

    language: str = field(default="az", metadata={"choices": LANGUAGES})
    idle_seconds: int = field(default=60, metadata={"min": 5})
    unmute_seconds: int = field(default=30, metadata={"min": 1, "max": 600})
    open_hours: str = field(
        default="", metadata={"pattern": (r"(\d{1,2}:\d{2}-\d{1,2}:\d{2})?", 'hours like "08:30-19:00"')}
    )
    open_weekdays: tuple[int, ...] = field(default=(), metadata={"min": 1, "max": 7})
    rotation: int = field(default=0, metadata={"choices": (0, 90, 180, 270)})
    output: str = field(
        default="", metadata={"pattern": (r"[A-Za-z0-9_.-]{0,64}", 'a screen connector name like "HDMI-A-1"')}
    )


@dataclass(frozen=True)
class ContentSettings:
    """Where published content comes from; empty url means the bundled demo content only."""

    url: str = ""
    public_key: str = ""
    poll_seconds: int = field(default=300, metadata={"min": 5})
    cache_limit_mb: int = field(default=2048, metadata={"min": 10})


@dataclass(frozen=True)
class EnergySettings:
    """Which source the generation figures are read from, and the plant it describes."""

    source: str = field(
        default="simulator", metadata={"choices": ("simulator", "sunspec", "fronius", "central")}
    )
    host: str = ""
    port: int = field(default=502, metadata={"min": 1, "max": 65535})
    unit_id: int = field(default=1, metadata={"min": 0, "max": 255})
    url: str = ""
    poll_seconds: float = field(default=5.0, metadata={"min": 0.5})
    rated_power_w: float = field(default=30_000.0, metadata={"min": 1})
    simulator_seed: int = 0
    timeout_seconds: float = field(default=5.0, metadata={"min": 0.1, "max": 120})
    stale_seconds: float = field(default=120.0, metadata={"min": 1})
    gap_limit_minutes: float = field(default=15.0, metadata={"min": 0.1, "max": 1440})
    network_url: str = ""
    network_rated_power_w: float = field(default=10_000_000.0, metadata={"min": 1})
    emission_kg_per_kwh: float = field(default=0.49, metadata={"min": 0, "max": 2})
    tree_kg_co2_per_year: float = field(default=21.8, metadata={"min": 0.1, "max": 1000})
    car_kg_co2_per_km: float = field(default=0.25, metadata={"min": 0.01, "max": 5})
    home_kwh_per_day: float = field(default=6.6, metadata={"min": 0.1, "max": 1000})


@dataclass(frozen=True)
class CentralSettings:
    """The central server this kiosk reports to and hears releases from; empty url means none.

    The kiosk's own token lives in ``token_file`` (mode 0600), never in this file, which IT staff copy
    around and show to each other.
    """

    url: str = field(
        default="",
        metadata={"pattern": (r"(https?://[^\s]+)?", 'a server address like "https://central.example"')},
    )
    token_file: str = ""
    heartbeat_seconds: int = field(default=60, metadata={"min": 10, "max": 3600})
    push: bool = True

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")

    @property
    def network_url(self) -> str:
        """The server's totals of all centres (what the "network" energy source reads)."""
        return f"{self.base_url}/api/network" if self.url else ""

    def serves(self, url: str) -> bool:
        """Whether ``url`` is on this central server (so the kiosk token may be sent to it)."""
        return bool(self.url) and (url == self.base_url or url.startswith(self.base_url + "/"))


@dataclass(frozen=True)
class AdminSettings:
    """Access to the hidden admin screen."""

    pin_hash: str = ""


@dataclass(frozen=True)
class LoggingSettings:
    """How much the kiosk writes to its log."""

    level: str = field(default="INFO", metadata={"choices": ("DEBUG", "INFO", "WARNING", "ERROR")})


@dataclass(frozen=True)
class Settings:
    """The whole configuration of one kiosk."""

    kiosk: KioskSettings = field(default_factory=KioskSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    content: ContentSettings = field(default_factory=ContentSettings)
    energy: EnergySettings = field(default_factory=EnergySettings)
    central: CentralSettings = field(default_factory=CentralSettings)
    admin: AdminSettings = field(default_factory=AdminSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    path: Path | None = field(default=None, metadata={"internal": True})


def default_config_path() -> Path:
    """The platform's per-user config location (``~/.config/green-kiosk/kiosk.toml`` on Linux)."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "kiosk.toml"


def default_data_dir() -> Path:
    """The platform's per-user data location (``~/.local/share/green-kiosk`` on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def resolve_config_path(cli_path: str | os.PathLike[str] | None) -> tuple[Path, bool]:
    """Pick the config file: --config, else $GREEN_KIOSK_CONFIG, else the platform default.

    Returns the path and whether it was asked for explicitly (an explicit file must exist).
    """
    if cli_path:
        return Path(cli_path), True
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env), True
    return default_config_path(), False


def load_settings(path: Path | None, *, required: bool = True) -> Settings:
    """Read and check a config file; a missing optional file gives the defaults."""
    if path is None:
        return Settings()
    if not path.exists():
        if required:
            raise ConfigError(f"{path}: config file not found")
        log.info("No config file at %s: using built-in defaults", path)
        return Settings()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from exc
    return parse_settings(text, path)


def parse_settings(text: str, path: Path) -> Settings:
    """Parse TOML text into Settings, raising ConfigError naming file, line and key on any mistake."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    locator = _KeyLocator(path, text)
    values: dict[str, Any] = {}
    known_tables = {f.name: f for f in _public_fields(Settings)}
    for table_name, table in data.items():
        if table_name not in known_tables:
            raise ConfigError(
                f"{locator.where(None, table_name)}: unknown table [{table_name}] "
                f"(known: {', '.join('[' + n + ']' for n in known_tables)})"
            )
        if not isinstance(table, dict):
            raise ConfigError(
                f"{locator.where(None, table_name)}: '{table_name}' must be a table [{table_name}]"
            )
        table_type = _field_type(Settings, table_name)
        values[table_name] = _build_table(table_type, table_name, table, locator)
    central = values.get("central")
    if isinstance(central, CentralSettings) and central.url and not central.token_file:
        raise ConfigError(
            f"{locator.where('central', 'url')}: [central] url needs token_file "
            "(the file holding this kiosk's token, mode 0600)"
        )
    return Settings(**values, path=path)


class _KeyLocator:
    """Finds the line a key was written on, so messages can point IT staff at it."""

    _HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$")

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def where(self, table: str | None, key: str) -> str:
        current: str | None = None
        key_re = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number, line in enumerate(self.lines, start=1):
            header = self._HEADER.match(line)
            if header:
                current = header.group(1)
                if table is None and current == key:
                    return f"{self.path}, line {number}"
                continue
            if current == table and key_re.match(line):
                return f"{self.path}, line {number}"
        return str(self.path)


def _public_fields(cls: type) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def _field_type(cls: type, name: str) -> Any:
    return typing.get_type_hints(cls)[name]


def _build_table(cls: Any, table_name: str, table: dict[str, Any], locator: _KeyLocator) -> Any:
    fields = {f.name: f for f in _public_fields(cls)}
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = locator.where(table_name, key)
        if key not in fields:
            raise ConfigError(f"{where}: unknown key '{key}' in [{table_name}] (known: {', '.join(fields)})")
        values[key] = _check_value(hints[key], fields[key], value, f"{where}: [{table_name}] {key}")
    return cls(**values)


def _check_value(expected: Any, spec: dataclasses.Field[Any], value: Any, label: str) -> Any:
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        expected = next(a for a in typing.get_args(expected) if a is not type(None))
    if expected is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{label}: expected true or false, got {value!r}")
    elif expected is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{label}: expected a whole number, got {value!r}")
    elif expected is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{label}: expected a number, got {value!r}")
        value = float(value)
    elif expected is str and not isinstance(value, str):
        raise ConfigError(f"{label}: expected a text in quotes, got {value!r}")
    elif typing.get_origin(expected) is tuple:
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise ConfigError(f"{label}: expected a list of whole numbers like [1, 2, 3], got {value!r}")
        for item in value:
            _check_range(spec, item, label)
        return tuple(value)
    pattern = spec.metadata.get("pattern")
    if pattern is not None and not re.fullmatch(pattern[0], value):
        raise ConfigError(f"{label}: expected {pattern[1]}, got {value!r}")
    if spec.metadata.get("timezone"):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"{label}: expected a time zone name such as 'Asia/Baku', got {value!r}"
            ) from exc
    choices = spec.metadata.get("choices")
    if choices is not None and value not in choices:
        raise ConfigError(f"{label}: expected one of {', '.join(map(repr, choices))}, got {value!r}")
    _check_range(spec, value, label)
    return value


def _check_range(spec: dataclasses.Field[Any], value: Any, label: str) -> None:
    minimum = spec.metadata.get("min")
    if minimum is not None and value < minimum:
        raise ConfigError(f"{label}: expected at least {minimum}, got {value!r}")
    maximum = spec.metadata.get("max")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{label}: expected at most {maximum}, got {value!r}")
