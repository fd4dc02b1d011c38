"""``kioskctl energy --once``: read the configured source once and print one JSON object.

For IT staff checking an inverter's wiring and address. It reads the kiosk's store for today's
accounting but never writes to it, so it can run beside the kiosk without counting twice.
"""

from __future__ import annotations

import argparse
import copy
import json
from datetime import UTC, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.energy.equivalents import EquivalentFactors
from kiosk.energy.history import EnergyHistory
from kiosk.energy.ledger import EnergyLedger
from kiosk.energy.reading import EnergyReading
from kiosk.energy.service import LIVE, make_source
from kiosk.errors import SourceError
from kiosk.logsetup import configure_logging
from kiosk.options import add_common_options, log_level, settings_from_options


def add_energy_command(subparsers: Any) -> None:
    """Register ``energy`` on kioskctl's subcommands."""
    energy = subparsers.add_parser("energy", help="read the configured energy source")
    energy.add_argument("--once", action="store_true", required=True, help="read once, print JSON, exit")
    energy.set_defaults(run=cmd_energy)
    add_common_options(energy, in_subcommand=True)


def cmd_energy(args: argparse.Namespace) -> int:
    """Read once; SourceError (exit 1, one line) when the source cannot be read or answers nonsense."""
    from kiosk.store.db import open_store

    settings, data_dir = settings_from_options(args)
    configure_logging(None, log_level(args, settings))
    energy = settings.energy
    source = make_source(energy)
    try:
        reading = source.read()
    finally:
        close = getattr(source, "close", None)  # the Modbus sources keep a connection open
        if callable(close):
            close()
    power = reading.power_w
    if not 0.0 <= power <= 1.2 * energy.rated_power_w:  # also false for NaN
        raise SourceError(f"{source.name} answered an impossible power of {power!r} W")
    zone = ZoneInfo(settings.kiosk.timezone)
    store = open_store(data_dir)
    try:
        saved = EnergyHistory(store, source.name, zone).load_state()
    finally:
        store.close()
    ledger = EnergyLedger(
        zone,
        rated_power_w=energy.rated_power_w,
        gap_limit=timedelta(minutes=energy.gap_limit_minutes),
        state=saved,
    )
    today, total = _project(ledger, reading)
    factors = EquivalentFactors.from_settings(energy)
    result = {
        "source": source.name,
        "state": LIVE,
        "read_at": reading.read_at.astimezone(UTC).isoformat(),
        "power_w": power,
        "energy_today_wh": today,
        "energy_total_wh": total,
        "co2_today_kg": None if today is None else round(factors.co2_kg(today), 3),
        "co2_total_kg": None if total is None else round(factors.co2_kg(total), 3),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _project(ledger: EnergyLedger, reading: EnergyReading) -> tuple[float | None, float | None]:
    """Today and lifetime energy as the kiosk would account this reading, without storing anything.

    With no accounting stored yet, today is only what the source itself reports (null if nothing).
    """
    trial = copy.deepcopy(ledger)
    update = trial.apply(reading)
    if update.dropped:
        raise SourceError(f"{reading.read_at.isoformat()}: reading dropped: {update.dropped_reason}")
    today = reading.energy_today_wh if ledger.state.day is None else trial.today_wh(reading.read_at)
    return today, trial.total_wh()
