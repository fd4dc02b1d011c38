"""Kiosk settings: one TOML file, every key optional, every mistake named by file, line and key.

IT staff edit this file by hand on each kiosk, so a typo must stop start-up with a message they can act
on, never a traceback and never a silently ignored key.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import re
import stat
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from kiosk.errors import ConfigError
from kiosk.hours import parse_hours
from kiosk.wire import LANGUAGES as LANGUAGES  # one definition, shared with the server

log = logging.getLogger(__name__)

APP_NAME = "green-kiosk"
CONFIG_ENV = "GREEN_KIOSK_CONFIG"
MAX_CONFIG_BYTES = 1024 * 1024
MAX_NAMED_FILE_BYTES = 64 * 1024
"""Files the config names (token_file, public_key) are small: a bigger one is a mistake, not a key."""
QT_TIMER_MAX_MS = 2**31 - 1
"""Qt timers take a signed 32-bit number of milliseconds (24.8 days): more overflows at start-up."""
_TIME_UNITS_MS = {"_seconds": 1000, "_minutes": 60_000}


@dataclass(frozen=True)
class KioskSettings:
    """Who this kiosk is: its id in the fleet and the centre it stands in."""

    id: str = "demo-kiosk"
    centre: str = "demo-centre"
    timezone: str = field(default="Asia/Baku", metadata={"timezone": True})
    remote_settings: bool = True
    """Whether [[settings]] entries of the signed content release may override this file's values."""


@dataclass(frozen=True)
class DisplaySettings:
    """What the visitor sees first and when the kiosk falls back to it."""

    language: str = field(default="az", metadata={"choices": LANGUAGES})
    idle_seconds: int = field(default=60, metadata={"min": 5})
    unmute_seconds: int = field(default=30, metadata={"min": 1, "max": 600})
    open_hours: str = field(
        default="",
        metadata={"pattern": (r"(\d{1,2}:\d{2}-\d{1,2}:\d{2})?", 'hours like "08:30-19:00"'), "hours": True},
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


SOURCE_KINDS = ("simulator", "sunspec", "fronius", "central", "huawei")
"""The kinds of energy source a config may name (``source = ...``); each is one branch in make_source."""


@dataclass(frozen=True)
class SourceSettings:
    """One device of the site: the keys a single source takes, in [energy] or in each [[energy.sources]].

    ``name`` is what the admin screen calls the device ("roof east"); empty means its address.
    """

    source: str = field(default="simulator", metadata={"choices": SOURCE_KINDS})
    name: str = ""
    host: str = ""
    port: int = field(default=502, metadata={"min": 1, "max": 65535})
    unit_id: int = field(default=1, metadata={"min": 0, "max": 255})
    url: str = ""
    timeout_seconds: float = field(default=5.0, metadata={"min": 0.1, "max": 120})

    @property
    def label(self) -> str:
        """The device as a person recognises it: its name, else its kind and address."""
        if self.name:
            return self.name
        if self.source in ("sunspec", "huawei"):
            return f"{self.source} {self.host}:{self.port} unit {self.unit_id}"
        if self.source in ("fronius", "central"):
            return f"{self.source} {self.url}"
        return self.source


DEVICE_KEYS = tuple(f.name for f in dataclasses.fields(SourceSettings))


@dataclass(frozen=True)
class EnergySettings:
    """Which sources the generation figures are read from, and the plant (site) they describe.

    A site of one device is written with the device keys in [energy]; a site of several with one
    ``[[energy.sources]]`` table per device. ``latitude``/``longitude`` place the clear-sky curve
    that shares the energy of long gaps by daylight (and drives the simulator).
    """

    source: str = field(default="simulator", metadata={"choices": SOURCE_KINDS})
    name: str = ""
    host: str = ""
    port: int = field(default=502, metadata={"min": 1, "max": 65535})
    unit_id: int = field(default=1, metadata={"min": 0, "max": 255})
    url: str = ""
    timeout_seconds: float = field(default=5.0, metadata={"min": 0.1, "max": 120})
    sources: tuple[SourceSettings, ...] = field(default=(), metadata={"tables": SourceSettings})
    poll_seconds: float = field(default=5.0, metadata={"min": 0.5})
    rated_power_w: float = field(default=30_000.0, metadata={"min": 1})
    simulator_seed: int = 0
    latitude: float = field(default=40.4, metadata={"min": -90, "max": 90})
    longitude: float = field(default=49.87, metadata={"min": -180, "max": 180})
    stale_seconds: float = field(default=120.0, metadata={"min": 1})
    gap_limit_minutes: float = field(default=15.0, metadata={"min": 0.1, "max": 1440})
    network_url: str = ""
    network_rated_power_w: float = field(default=10_000_000.0, metadata={"min": 1})
    emission_kg_per_kwh: float = field(default=0.49, metadata={"min": 0, "max": 2})
    tree_kg_co2_per_year: float = field(default=21.8, metadata={"min": 0.1, "max": 1000})
    car_kg_co2_per_km: float = field(default=0.25, metadata={"min": 0.01, "max": 5})
    home_kwh_per_day: float = field(default=6.6, metadata={"min": 0.1, "max": 1000})

    def devices(self) -> tuple[SourceSettings, ...]:
        """The site's devices: the [[energy.sources]] tables, else the one device written in [energy]."""
        if self.sources:
            return self.sources
        return (SourceSettings(**{key: getattr(self, key) for key in DEVICE_KEYS}),)


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
class UpdateSettings:
    """When green-kiosk-update may install a new version: a daily local-time window outside opening hours."""

    window: str = field(
        default="02:00-04:00",
        metadata={"pattern": (r"\d{1,2}:\d{2}-\d{1,2}:\d{2}", 'hours like "02:00-04:00"')},
    )


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
    updates: UpdateSettings = field(default_factory=UpdateSettings)
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
        text = read_named_file(path, "config file", limit=MAX_CONFIG_BYTES).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from exc
    return parse_settings(text, path)


def read_named_file(path: Path, what: str, *, limit: int = MAX_NAMED_FILE_BYTES) -> bytes:
    """The bytes of a small regular file the config names, read with a bound.

    ``token_file = "/dev/zero"`` or a FIFO must not eat memory or hang start-up: only regular files of at
    most ``limit`` bytes are read. ConfigError starts with ``what`` (e.g. "[central] token_file").
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise ConfigError(f"{what}: cannot read {path}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{what}: {path} is not a regular file")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ConfigError(f"{what}: cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise ConfigError(f"{what}: {path} is larger than {limit // 1024} KiB; is it the right file?")
    return data


def named_path(settings: Settings, name: str) -> Path:
    """A file named in the config: a relative name is relative to the config file's folder.

    ``parse_settings`` applies it once to every such key, so loaded settings hold absolute names.
    """
    path = Path(name)
    if not path.is_absolute() and settings.path is not None:
        path = settings.path.parent / path
    return path


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
    content = values.get("content")
    if isinstance(content, ContentSettings) and content.url and not content.public_key:
        raise ConfigError(
            f"{locator.where('content', 'url')}: [content] url needs public_key "
            "(the channel's public key file, to check what the server sends)"
        )
    settings = _named_files_resolved(Settings(**values, path=path))
    if settings.central.url:
        where = locator.where("central", "token_file")
        try:
            token = read_named_file(Path(settings.central.token_file), "[central] token_file")
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from exc
        if not token.strip():
            raise ConfigError(f"{where}: [central] token_file: the file is empty")
    return settings


def _named_files_resolved(settings: Settings) -> Settings:
    """The settings with the files they name (public_key, token_file) made absolute, once, at load."""

    def resolved(name: str) -> str:
        return str(named_path(settings, name)) if name else name

    return dataclasses.replace(
        settings,
        content=dataclasses.replace(settings.content, public_key=resolved(settings.content.public_key)),
        central=dataclasses.replace(settings.central, token_file=resolved(settings.central.token_file)),
    )


def check_overrides(table_name: str, table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Some keys of one table checked exactly as this file's own would be (remote settings use it).

    Returns the checked values by key; ConfigError names ``where``, the table and the key.
    """
    known = {f.name for f in _public_fields(Settings)}
    if table_name not in known:
        raise ConfigError(f"{where}: unknown table [{table_name}]")
    built = _build_table(_field_type(Settings, table_name), table_name, dict(table), _KeyLocator(where, ""))
    return {key: getattr(built, key) for key in table}


def apply_overrides(settings: Settings, overrides: Mapping[str, Mapping[str, Any]]) -> Settings:
    """``settings`` with the checked values of :func:`check_overrides` put in, table by table."""
    tables = {
        name: dataclasses.replace(getattr(settings, name), **values)
        for name, values in overrides.items()
        if values
    }
    return dataclasses.replace(settings, **tables)


class _KeyLocator:
    """Finds the line a key was written on, so messages can point IT staff at it."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$")

    def __init__(self, path: Path | str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def where(self, table: str | None, key: str, index: int | None = None) -> str:
        """``index`` picks the n-th ``[[table]]`` of an array of tables (0 = the first)."""
        current: str | None = None
        seen: dict[str, int] = {}
        key_re = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number, line in enumerate(self.lines, start=1):
            header = self._HEADER.match(line)
            if header:
                current = header.group(2)
                count = seen[current] = seen.get(current, -1) + 1
                if header.group(1) == "[[" and index is not None and count != index:
                    current = None
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


def _build_table(
    cls: Any, table_name: str, table: dict[str, Any], locator: _KeyLocator, index: int | None = None
) -> Any:
    fields = {f.name: f for f in _public_fields(cls)}
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    shown = f"[{table_name}]" if index is None else f"[[{table_name}]] #{index + 1}"
    for key, value in table.items():
        where = locator.where(table_name, key, index)
        if key not in fields:
            raise ConfigError(f"{where}: unknown key '{key}' in {shown} (known: {', '.join(fields)})")
        tables = fields[key].metadata.get("tables")
        if tables is not None:
            values[key] = _build_tables(tables, f"{table_name}.{key}", value, locator, where)
            continue
        values[key] = _check_value(hints[key], fields[key], value, f"{where}: {shown} {key}")
    if values.get("sources"):
        mixed = [key for key in table if key in _SITE_DEVICE_KEYS]
        if mixed:
            raise ConfigError(
                f"{locator.where(table_name, mixed[0])}: [{table_name}] {mixed[0]}: "
                f"with [[{table_name}.sources]] tables, write each device's keys in its own table, "
                "not in [energy]"
            )
    return cls(**values)


_SITE_DEVICE_KEYS = ("source", "name", "host", "port", "unit_id", "url", "timeout_seconds")


def _build_tables(cls: Any, table_name: str, value: Any, locator: _KeyLocator, where: str) -> tuple[Any, ...]:
    """An array of tables (``[[energy.sources]]``), each checked like a table of its own."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError(f"{where}: [[{table_name}]] must be tables, each starting with [[{table_name}]]")
    if len(value) > 32:
        raise ConfigError(f"{where}: at most 32 [[{table_name}]] tables, got {len(value)}")
    return tuple(_build_table(cls, table_name, item, locator, index) for index, item in enumerate(value))


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
        if not math.isfinite(value):
            raise ConfigError(f"{label}: expected a finite number, got {value!r}")
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
    if spec.metadata.get("hours") and value:
        _check_hours(value, label)
    if (spec.name == "url" or spec.name.endswith("_url")) and value:
        _check_url(value, label)
    _check_range(spec, value, label)
    _check_timer(spec, value, label)
    return value


def _check_hours(value: str, label: str) -> None:
    try:
        parse_hours(value)
    except ValueError as exc:
        raise ConfigError(f"{label}: {exc}") from exc


def _check_url(value: str, label: str) -> None:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in value):
        raise ConfigError(f"{label}: expected an http:// or https:// address, got {value!r}")


def _check_timer(spec: dataclasses.Field[Any], value: Any, label: str) -> None:
    """Intervals become Qt timers or thread waits in milliseconds: keep them within a signed 32-bit."""
    for suffix, unit_ms in _TIME_UNITS_MS.items():
        if (
            spec.name.endswith(suffix)
            and isinstance(value, int | float)
            and value * unit_ms > QT_TIMER_MAX_MS
        ):
            most = QT_TIMER_MAX_MS // unit_ms
            raise ConfigError(f"{label}: expected at most {most} (a timer holds 24.8 days), got {value!r}")


def _check_range(spec: dataclasses.Field[Any], value: Any, label: str) -> None:
    minimum = spec.metadata.get("min")
    if minimum is not None and value < minimum:
        raise ConfigError(f"{label}: expected at least {minimum}, got {value!r}")
    maximum = spec.metadata.get("max")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{label}: expected at most {maximum}, got {value!r}")
