"""``kioskctl energy --once``: read the configured sources once and print one JSON object.

For IT staff checking an inverter's wiring and address. It reads the kiosk's store for today's
accounting but never writes to it, so it can run beside the kiosk without counting twice. For a site of
several devices the line holds the summed figures and a ``sources`` list of each device's own.
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
from kiosk.energy.ledger import EnergyLedger, LedgerState
from kiosk.energy.reading import EnergyReading, Source
from kiosk.energy.service import (
    OFFLINE,
    SITE_NAME,
    DeviceSnapshot,
    checked_reading,
    make_sources,
    site_state,
)
from kiosk.errors import SourceError
from kiosk.logsetup import configure_logging
from kiosk.options import add_common_options, log_level, settings_from_options


def add_energy_command(subparsers: Any) -> None:
    """Register ``energy`` on kioskctl's subcommands."""
    energy = subparsers.add_parser("energy", help="read the configured energy sources")
    energy.add_argument("--once", action="store_true", required=True, help="read once, print JSON, exit")
    energy.set_defaults(run=cmd_energy)
    add_common_options(energy, in_subcommand=True)


def cmd_energy(args: argparse.Namespace) -> int:
    """Read once; SourceError (exit 1, one line) when no source answers, or the only one answers nonsense."""
    from kiosk.store.db import open_store

    settings, data_dir = settings_from_options(args)
    configure_logging(None, log_level(args, settings))
    energy = settings.energy
    sources = make_sources(energy)
    single = len(sources) == 1
    site = next(iter(sources.values())).name if single else SITE_NAME
    zone = ZoneInfo(settings.kiosk.timezone)
    store = open_store(data_dir)
    try:
        history = EnergyHistory(store, site, zone)
        saved = {name: history.load_state(None if single else name) for name in sources}
    finally:
        store.close()
    devices: list[DeviceSnapshot] = []
    for name, source in sources.items():
        ledger = EnergyLedger(
            zone,
            rated_power_w=energy.rated_power_w,
            gap_limit=timedelta(minutes=energy.gap_limit_minutes),
            state=saved[name],
        )
        try:
            reading, problem = checked_reading(_read_once(source), energy.rated_power_w)
            if problem:
                raise SourceError(f"{source.name} answered an {problem}")
            today, total = _project(ledger, reading)
        except SourceError as exc:
            if single:
                raise
            devices.append(_silent(name, saved[name], ledger, str(exc)))
            continue
        devices.append(
            DeviceSnapshot(
                name=name,
                state=str(reading.state),
                power_w=reading.power_w,
                energy_today_wh=today,
                energy_total_wh=total,
                read_at=reading.read_at,
                detail=reading.detail,
            )
        )
    state, _ = site_state(tuple(devices))
    if state == OFFLINE:
        raise SourceError(
            "no device of the site answered: " + "; ".join(f"{d.name}: {d.error}" for d in devices)
        )
    factors = EquivalentFactors.from_settings(energy)
    today = _sum_known(d.energy_today_wh for d in devices)
    total = _sum_known(d.energy_total_wh for d in devices)
    read_at = max(d.read_at for d in devices if d.read_at is not None and d.state != OFFLINE)
    result: dict[str, Any] = {
        "source": site,
        "state": state,
        "read_at": read_at.astimezone(UTC).isoformat(),
        "power_w": sum(d.power_w or 0.0 for d in devices if d.state != OFFLINE),
        "energy_today_wh": today,
        "energy_total_wh": total,
        "co2_today_kg": None if today is None else round(factors.co2_kg(today), 3),
        "co2_total_kg": None if total is None else round(factors.co2_kg(total), 3),
        "sources": [_device_json(d) for d in devices],
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _read_once(source: Source) -> EnergyReading:
    """Read, then close the connection a Modbus source keeps open (this process reads only once)."""
    try:
        return source.read()
    finally:
        close = getattr(source, "close", None)
        if callable(close):
            close()


def _silent(name: str, saved: LedgerState | None, ledger: EnergyLedger, error: str) -> DeviceSnapshot:
    """A device that did not answer: its last accounted figures stay in force (the total never drops)."""
    last = saved.last_read_at if saved else None
    return DeviceSnapshot(
        name=name,
        state=OFFLINE,
        energy_today_wh=None if last is None else ledger.today_wh(last),
        energy_total_wh=ledger.total_wh(),
        read_at=last,
        error=error,
    )


def _device_json(device: DeviceSnapshot) -> dict[str, Any]:
    return {
        "name": device.name,
        "state": device.state,
        "read_at": None if device.read_at is None else device.read_at.astimezone(UTC).isoformat(),
        "power_w": device.power_w,
        "energy_today_wh": device.energy_today_wh,
        "energy_total_wh": device.energy_total_wh,
        "detail": device.detail,
        "error": device.error,
    }


def _sum_known(values: Any) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _project(ledger: EnergyLedger, reading: EnergyReading) -> tuple[float | None, float | None]:
    """Today and lifetime energy as the kiosk would account this reading, without storing anything.

    With no accounting stored yet, today is only what the source itself reports (null if nothing).
    """
    trial = copy.deepcopy(ledger)
    update = trial.apply(reading)
    if update.dropped:
        raise SourceError(f"{reading.read_at.isoformat()}: reading dropped: {update.dropped_reason}")
    if ledger.state.day is None and reading.energy_today_wh is None:
        return None, trial.total_wh()
    today = trial.today_wh(reading.read_at)
    return today, trial.total_wh()
