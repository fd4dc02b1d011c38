"""Settings a signed release may carry (``[[settings]]``): which keys, for which kiosks, checked how.

The release is signed offline by the content key, so a server cannot forge these entries; still, only
keys that change how a kiosk looks and measures may travel. Where content comes from, which key it is
checked with, the central server and the kiosk's identity stay in the local file: otherwise one signed
mistake (or a stolen content key) could point the fleet at another server for good.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.config import DisplaySettings, EnergySettings, check_overrides
from kiosk.errors import ConfigError
from kiosk.kdf import ALGORITHM

_ENERGY_KEYS = tuple(f.name for f in dataclasses.fields(EnergySettings))
_DISPLAY_KEYS = tuple(
    name
    for name in (
        "language",
        "idle_seconds",
        "unmute_seconds",
        "open_hours",
        "open_weekdays",
        "rotation",
        "output",
    )
    if name in {f.name for f in dataclasses.fields(DisplaySettings)}
)
REMOTE_KEYS: Mapping[str, tuple[str, ...]] = {
    "display": _DISPLAY_KEYS,
    "energy": _ENERGY_KEYS,
    "admin": ("pin_hash",),
}
"""Every key a release may set; everything else (``[content]``, ``[central]``, ``[kiosk]``, logging,
update window) is refused by name."""
ENTRY_KEYS = ("centres", "kiosks", *REMOTE_KEYS)
MAX_ENTRIES = 500
MAX_TARGETS = 500
_PIN_HASH = re.compile(rf"^{ALGORITHM}\$(\d{{4,8}})\$[0-9a-f]{{16,128}}\$[0-9a-f]{{64}}$")
_PIN_ITERATIONS = (10_000, 5_000_000)
"""A remote PIN hash must be one the kiosk can check in well under a second (and not trivially weak)."""


@dataclass(frozen=True)
class SettingsEntry:
    """One ``[[settings]]`` entry: the kiosks it is for and its checked values per table.

    Neither ``centres`` nor ``kiosks`` means every kiosk of the channel.
    """

    centres: tuple[str, ...]
    kiosks: tuple[str, ...]
    values: Mapping[str, Mapping[str, Any]]

    def rank(self, kiosk_id: str, centre: str) -> int | None:
        """How specific this entry is for a kiosk (0 every kiosk, 1 its centre, 2 the kiosk itself), or
        None when it is not for this kiosk at all."""
        if kiosk_id in self.kiosks:
            return 2
        if centre in self.centres:
            return 1
        if not self.kiosks and not self.centres:
            return 0
        return None

    def keys(self) -> list[str]:
        """``table.key`` of every value, in the entry's order."""
        return [f"{table}.{key}" for table, values in self.values.items() for key in values]


def parse_entries(raw: Any, add_problem: Any) -> tuple[SettingsEntry, ...]:
    """Check the ``settings`` list of a content document; ``add_problem(key, message)`` gets each problem."""
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        add_problem("settings", "expected a list of tables ([[settings]])")
        return ()
    if len(raw) > MAX_ENTRIES:
        add_problem("settings", f"{len(raw)} entries, more than the {MAX_ENTRIES} allowed")
        return ()
    entries = []
    for index, item in enumerate(raw):
        entry = _entry(item, f"settings[{index}]", add_problem)
        if entry is not None:
            entries.append(entry)
    return tuple(entries)


def _entry(item: Mapping[str, Any], key: str, add_problem: Any) -> SettingsEntry | None:
    ok = True
    targets: dict[str, tuple[str, ...]] = {}
    for name in ("centres", "kiosks"):
        value = item.get(name, [])
        if (
            not isinstance(value, list)
            or len(value) > MAX_TARGETS
            or not all(isinstance(v, str) and 0 < len(v) <= 64 for v in value)
        ):
            add_problem(f"{key}.{name}", f"expected a list of {name[:-1]} ids")
            ok = False
            value = []
        targets[name] = tuple(value)
    values: dict[str, dict[str, Any]] = {}
    for table, overrides in item.items():
        if table in ("centres", "kiosks"):
            continue
        if table not in REMOTE_KEYS:
            add_problem(
                f"{key}.{str(table)[:80]}",
                f"[{str(table)[:80]}] cannot be set by a release (only {', '.join(REMOTE_KEYS)}: "
                "where content comes from, its key, the central server and the kiosk's identity stay local)",
            )
            ok = False
            continue
        if not isinstance(overrides, Mapping):
            add_problem(f"{key}.{table}", "expected a table")
            ok = False
            continue
        refused = [str(name)[:80] for name in overrides if name not in REMOTE_KEYS[table]]
        if refused:
            add_problem(
                f"{key}.{table}.{refused[0]}",
                f"[{table}] {refused[0]} cannot be set by a release "
                f"(allowed: {', '.join(REMOTE_KEYS[table])})",
            )
            ok = False
            continue
        try:
            checked = check_overrides(table, overrides, f"{key}.{table}")
        except ConfigError as exc:
            add_problem(f"{key}.{table}", str(exc).removeprefix(f"{key}.{table}: "))
            ok = False
            continue
        pin = checked.get("pin_hash")
        if pin is not None and not _pin_hash_ok(pin):
            add_problem(
                f"{key}.admin.pin_hash",
                "expected a hash made by `kioskctl hash-pin` (pbkdf2_sha256$<iterations>$<salt>$<hash>)",
            )
            ok = False
            continue
        values[str(table)] = checked
    if not ok:
        return None
    return SettingsEntry(targets["centres"], targets["kiosks"], values)


def _pin_hash_ok(value: str) -> bool:
    match = _PIN_HASH.fullmatch(value)
    return match is not None and _PIN_ITERATIONS[0] <= int(match.group(1)) <= _PIN_ITERATIONS[1]


def effective_overrides(
    entries: Sequence[SettingsEntry], kiosk_id: str, centre: str
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The values that apply to one kiosk: every-kiosk entries, then its centre's, then its own (later
    wins), and the ``table.key`` names they set."""
    ranked = sorted(
        (
            (rank, index, entry)
            for index, entry in enumerate(entries)
            if (rank := entry.rank(kiosk_id, centre)) is not None
        ),
        key=lambda item: (item[0], item[1]),
    )
    merged: dict[str, dict[str, Any]] = {}
    for _rank, _index, entry in ranked:
        for table, values in entry.values.items():
            merged.setdefault(table, {}).update(values)
    keys = [f"{table}.{key}" for table, values in merged.items() for key in values]
    return merged, keys
