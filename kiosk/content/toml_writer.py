"""Writing a content document back as ``content.toml``, for ``kioskctl pull``.

Hand-written rather than a dependency: a content document is only tables, arrays, texts, whole numbers,
finite numbers and booleans (what JSON carries), and the one promise that matters is checked by tests:
``tomllib`` reads back exactly the document that was written. Long texts with line breaks are written as
multi-line strings so an administrator can edit them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.errors import ContentError

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_INT_RANGE = (-(2**63), 2**63 - 1)


def dumps_toml(document: Mapping[str, Any], *, header: str = "") -> str:
    """``document`` as TOML text; ``header`` (plain lines) goes first as comments.

    Raises ContentError for what TOML cannot hold (null, infinite numbers, integers past 64 bits).
    """
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    if lines:
        lines.append("")
    _table(lines, (), document)
    return "\n".join(lines).rstrip("\n") + "\n"


def _table(lines: list[str], path: tuple[str, ...], table: Mapping[str, Any]) -> None:
    """Plain values first (they belong to the header above them), then sub-tables and arrays of tables."""
    nested: list[tuple[str, Any]] = []
    for key, value in table.items():
        if _is_nested(value):
            nested.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value, (*path, key))}")
    for key, value in nested:
        where = (*path, key)
        if isinstance(value, Mapping):
            if not value or any(not _is_nested(v) for v in value.values()):  # else its sub-tables say it
                lines.extend(["", f"[{_dotted(where)}]"])
            _table(lines, where, value)
        else:
            for item in value:
                lines.extend(["", f"[[{_dotted(where)}]]"])
                _table(lines, where, item)


def _is_nested(value: Any) -> bool:
    return isinstance(value, Mapping) or _is_table_array(value)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, Mapping) for item in value)


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(_key(part) for part in path)


def _key(key: str) -> str:
    if not isinstance(key, str):
        raise ContentError(f"a key must be text, got {type(key).__name__}")
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: Any, path: tuple[str, ...]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
            raise ContentError(f"{_dotted(path)}: {value} is too large for TOML")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ContentError(f"{_dotted(path)}: {value} cannot be written")
        return repr(value)
    if isinstance(value, str):
        return _multiline(value) if "\n" in value else _string(value)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v, (*path, k))}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_value(item, path) for item in value) + "]"
    raise ContentError(f"{_dotted(path)}: {type(value).__name__} cannot be written as TOML")


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04x}"
    return char


def _string(text: str) -> str:
    return '"' + "".join(_escape(char) for char in text) + '"'


def _multiline(text: str) -> str:
    """A text with line breaks, one line per line; the break right after the opening quotes is ignored
    by TOML readers, so the text starts on its own line."""
    body = "".join("\n" if char == "\n" else _escape(char) for char in text)
    return '"""\n' + body + '"""'
