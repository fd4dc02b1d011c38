"""Property test: any config text loads into Settings or raises ConfigError, and what loads is usable.

Known tables and keys with random values (huge and non-finite numbers, odd texts, wrong types) and
random names, written as TOML: start-up must get either settings it can run with or one clear line.
"""

from __future__ import annotations

import dataclasses
import json
import math
import typing
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config import QT_TIMER_MAX_MS, Settings, load_settings
from kiosk.errors import ConfigError
from kiosk.schedule import DisplayHours

_HINTS = typing.get_type_hints(Settings)
TABLES = {
    f.name: [g.name for g in dataclasses.fields(_HINTS[f.name])]
    for f in dataclasses.fields(Settings)
    if f.name != "path"
}


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)


TEXTS = [
    "",
    "25:00-26:00",
    "08:00-08:00",
    "19:00-08:30",
    "08:30-19:00",
    "ftp://x/",
    "https://ok.example/",
    "Asia/Baku",
    "az",
    "INFO",
    "simulator",
    "/dev/zero",
]


def field_values(spec: dataclasses.Field[Any]) -> st.SearchStrategy[Any]:
    """Mostly plausible values of the field's type, with the hostile ones of that type mixed in."""
    default = spec.default
    if "choices" in spec.metadata:
        return st.sampled_from(spec.metadata["choices"]) | st.just("nonsense")
    if isinstance(default, bool):
        return st.booleans()
    if isinstance(default, int):
        return st.sampled_from([10, 60, 300]) | st.sampled_from([2**31, 10**12, 2**70, -1, 0])
    if isinstance(default, float):
        return st.sampled_from([1.0, 1.5]) | st.sampled_from([math.nan, math.inf, -math.inf, 1e300, 1e12])
    if isinstance(default, tuple):
        return st.just([1, 2, 3]) | st.lists(st.integers(0, 8), max_size=4)
    if spec.metadata.get("timezone"):
        return st.sampled_from(["Asia/Baku", "UTC", "Mars/Olympus"])
    return st.just("") | st.sampled_from(TEXTS) | st.text(max_size=12)


FIELDS = {table: {f.name: f for f in dataclasses.fields(_HINTS[table])} for table in TABLES}


@st.composite
def config_texts(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for table in draw(st.lists(st.sampled_from(list(TABLES)), max_size=3, unique=True)):
        lines.append(f"[{table}]")
        for key in draw(st.lists(st.sampled_from(TABLES[table]), max_size=3, unique=True)):
            lines.append(f"{key} = {toml_value(draw(field_values(FIELDS[table][key])))}")
    if draw(st.integers(0, 9)) == 0:
        lines.append(f"{draw(st.text('abcxyz_', min_size=1, max_size=6))} = 1")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=1000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config_texts())
def test_any_config_loads_usable_settings_or_raises_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        loaded = load_settings(path)
    except ConfigError as exc:
        assert str(exc).startswith(str(path))
        return
    for table in TABLES:
        for field in dataclasses.fields(getattr(loaded, table)):
            value = getattr(getattr(loaded, table), field.name)
            if isinstance(value, float):
                assert math.isfinite(value), (table, field.name)
            if field.name.endswith("_seconds"):
                assert value * 1000 <= QT_TIMER_MAX_MS, (table, field.name)
    DisplayHours.parse(loaded.display.open_hours, list(loaded.display.open_weekdays))
