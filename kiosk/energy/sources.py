"""Building the energy sources a config names: one small branch per kind of device.

A new kind (a maker's own register map, a new logger) is one branch in ``make_device_source`` and its
name in ``kiosk.config.SOURCE_KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kiosk.config import CentralSettings, EnergySettings, SourceSettings
from kiosk.energy.reading import Source
from kiosk.energy.simulator import ClearSkySource
from kiosk.errors import ConfigError


def make_device_source(
    device: SourceSettings,
    settings: EnergySettings,
    clock: Callable[[], datetime] | None = None,
    *,
    central: CentralSettings | None = None,
    central_token: str | None = None,
) -> Source:
    """Build one device's source; ConfigError when its address is missing. One branch per kind.

    A central feed on the ``[central]`` server is read with the kiosk's token.
    """
    kind, where = device.source, f"[energy] source = '{device.source}' ({device.label})"
    if kind == "simulator":
        return ClearSkySource(
            settings.rated_power_w,
            seed=settings.simulator_seed,
            latitude=settings.latitude,
            longitude=settings.longitude,
            clock=clock,
        )
    if kind in ("sunspec", "huawei") and not device.host:
        raise ConfigError(f"{where} needs host (the inverter's address)")
    if kind == "sunspec":
        from kiosk.energy.sunspec import SunSpecSource

        return SunSpecSource(
            device.host, device.port, device.unit_id, timeout=device.timeout_seconds, clock=clock
        )
    if kind == "huawei":
        from kiosk.energy.huawei import HuaweiSource

        return HuaweiSource(
            device.host, device.port, device.unit_id, timeout=device.timeout_seconds, clock=clock
        )
    if kind == "fronius":
        if not device.url:
            raise ConfigError(f"{where} needs url (e.g. http://192.0.2.10)")
        from kiosk.energy.fronius import FroniusSource

        return FroniusSource(device.url, timeout=device.timeout_seconds, clock=clock)
    if kind == "central":
        if not device.url:
            raise ConfigError(f"{where} needs url (the central energy feed)")
        from kiosk.energy.central import CentralFeedSource

        token = central_token if central is not None and central.serves(device.url) else None
        return CentralFeedSource(device.url, timeout=device.timeout_seconds, clock=clock, token=token)
    raise ConfigError(f"{where} is not a known source")


def make_sources(
    settings: EnergySettings,
    clock: Callable[[], datetime] | None = None,
    *,
    central: CentralSettings | None = None,
    central_token: str | None = None,
) -> dict[str, Source]:
    """Every device of the site by its name on the admin screen (one entry for a single source)."""
    sources: dict[str, Source] = {}
    for device in settings.devices():
        label = device.label
        if label in sources:
            raise ConfigError(f"[[energy.sources]]: two devices are both '{label}' (give each a name)")
        sources[label] = make_device_source(
            device, settings, clock, central=central, central_token=central_token
        )
    return sources


def make_source(
    settings: EnergySettings,
    clock: Callable[[], datetime] | None = None,
    *,
    central: CentralSettings | None = None,
    central_token: str | None = None,
) -> Source:
    """The site's first (for a single-source config, its only) device."""
    return make_device_source(
        settings.devices()[0], settings, clock, central=central, central_token=central_token
    )


def make_network_source(
    settings: EnergySettings,
    clock: Callable[[], datetime] | None = None,
    *,
    central: CentralSettings | None = None,
    central_token: str | None = None,
) -> Source | None:
    """The central feed of all centres' totals (named "network"), or None when not configured.

    ``[energy] network_url`` wins; without it a kiosk with a ``[central]`` server reads the server's
    ``/api/network`` with its token.
    """
    url = settings.network_url or (central.network_url if central is not None else "")
    if not url:
        return None
    from kiosk.energy.central import CentralFeedSource

    token = central_token if central is not None and central.serves(url) else None
    return CentralFeedSource(url, name="network", timeout=settings.timeout_seconds, clock=clock, token=token)
