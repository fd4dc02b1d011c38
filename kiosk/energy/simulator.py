"""A simulated clear-sky solar plant, so the kiosk shows believable generation out of the box.

It is the default source when no inverter or meter is configured: a demo or a freshly installed
kiosk still shows a day curve that follows the real sun over Baku, with counters that only grow.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.energy.reading import DeviceState, EnergyReading
from kiosk.errors import ConfigError

log = logging.getLogger(__name__)

__all__ = ["ClearSkySource", "clear_sky_hours", "solar_elevation_deg"]

_SECONDS_PER_DAY = 86_400.0
_UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# Clear-sky model (Meinel-style): atmospheric attenuation 0.7 ** (AM ** 0.678) times the projection
# sin(elev) ** 1.15 onto a near-horizontal array (the exponent above 1 stands in for the extra
# reflection losses at low sun).
_SHAPE_EXPONENT = 1.15
_ATTENUATION_BASE = 0.7
_ATTENUATION_EXPONENT = 0.678
# Normalisation: on a clear June noon in Baku (elevation ~73°) the array delivers 90 % of rated
# before temperature losses; the summer derate below brings that to about 82 %.
_REFERENCE_ELEVATION_DEG = 73.0
_REFERENCE_FRACTION = 0.90

# Temperature derate: a seasonal ambient temperature for Baku (about 4 °C late January,
# 26 °C late July), cells running up to 25 K above ambient in full sun, -0.4 %/K above 25 °C.
_AMBIENT_MEAN_C = 15.0
_AMBIENT_SWING_C = 11.0
_AMBIENT_COLDEST_DAY = 22
_CELL_RISE_AT_FULL_SUN_K = 25.0
_TEMPERATURE_COEFFICIENT_PER_K = 0.004
_STC_CELL_TEMPERATURE_C = 25.0

# Deterministic "cloud" variation, fixed per minute: a smooth component (random knots every
# 10 min, cosine-interpolated) plus a per-minute jitter. Amplitudes sum to 4.5 %, inside ±5 %.
# One 64-bit hash per minute feeds both: low half the jitter, high half the knot value.
_CLOUD_AMPLITUDE = 0.03
_JITTER_AMPLITUDE = 0.015
_CLOUD_KNOT_MINUTES = 10

# Lifetime counter integration step (trapezoid over each local day). Equal to the knot spacing,
# so each sample costs one hash; the first read integrates every day since commissioning, and a
# 10-minute step keeps that well under half a second for two years while staying within about
# 0.2 % of a 1-minute integration.
_STEP_SECONDS = 600.0
_SAMPLES_PER_HOUR = 6

_MASK64 = (1 << 64) - 1
_MASK32 = (1 << 32) - 1
_HALF32 = float(1 << 31)  # 32 random bits / 2**31 - 1 lies in [-1, 1)
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@lru_cache(maxsize=1024)
def _utc_day_constants(day_number: int) -> tuple[float, float, float]:
    """Per-UTC-day constants for Unix day ``day_number``: NOAA fractional-year angle at 00:00 UTC,
    its growth per hour (both radians), and the seasonal ambient temperature (°C) for that day.
    """
    utc_day = date.fromordinal(_UNIX_EPOCH_ORDINAL + day_number)
    day_of_year = utc_day.toordinal() - date(utc_day.year, 1, 1).toordinal() + 1
    days_in_year = 366 if _is_leap(utc_day.year) else 365
    per_day = 2.0 * math.pi / days_in_year
    # NOAA: gamma = 2π/N · (doy − 1 + (hour − 12) / 24)
    gamma_at_midnight = per_day * (day_of_year - 1.5)
    ambient = _AMBIENT_MEAN_C - _AMBIENT_SWING_C * math.cos(per_day * (day_of_year - _AMBIENT_COLDEST_DAY))
    return gamma_at_midnight, per_day / 24.0, ambient


def _sin_elevation(ts: float, sin_lat: float, cos_lat: float, longitude: float) -> float:
    """Sine of the solar elevation at Unix time ``ts``: the one solar-geometry routine everything uses.

    NOAA's fractional-year formulas: declination (Spencer's series) and equation of time from the
    day of year, hour angle from UTC time and longitude (east positive).
    """
    day_number, seconds = divmod(ts, _SECONDS_PER_DAY)
    gamma_at_midnight, gamma_per_hour, _ = _utc_day_constants(int(day_number))
    hours = seconds / 3600.0
    gamma = gamma_at_midnight + gamma_per_hour * hours
    c1 = math.cos(gamma)
    s1 = math.sin(gamma)
    c2 = c1 * c1 - s1 * s1
    s2 = 2.0 * s1 * c1
    c3 = c1 * c2 - s1 * s2
    s3 = s1 * c2 + c1 * s2
    declination = (
        0.006918
        - 0.399912 * c1
        + 0.070257 * s1
        - 0.006758 * c2
        + 0.000907 * s2
        - 0.002697 * c3
        + 0.00148 * s3
    )
    equation_of_time_min = 229.18 * (0.000075 + 0.001868 * c1 - 0.032077 * s1 - 0.014615 * c2 - 0.040849 * s2)
    true_solar_minutes = hours * 60.0 + equation_of_time_min + 4.0 * longitude
    hour_angle = math.radians(true_solar_minutes / 4.0 - 180.0)
    sin_elev = sin_lat * math.sin(declination) + cos_lat * math.cos(declination) * math.cos(hour_angle)
    return max(-1.0, min(1.0, sin_elev))


def solar_elevation_deg(when: datetime, latitude: float, longitude: float) -> float:
    """Geometric elevation of the sun's centre above the horizon, in degrees (no refraction).

    Uses NOAA's fractional-year formulas: declination and equation of time from the day of year,
    hour angle from UTC time and longitude (east positive). ``when`` must be timezone-aware.
    Accurate to a few hundredths of a degree, ample for a display curve.
    """
    lat = math.radians(latitude)
    sin_elev = _sin_elevation(_timestamp(when), math.sin(lat), math.cos(lat), longitude)
    return math.degrees(math.asin(sin_elev))


def clear_sky_hours(start: datetime, stop: datetime, latitude: float, longitude: float) -> float:
    """Clear-sky energy between two aware instants as hours of full sun (0 through the night).

    The weight the ledger shares a long gap's energy by: a day gets its share of daylight, a night
    none. Trapezoid over 10-minute steps, ample for weights.
    """
    t0, t1 = _timestamp(start), _timestamp(stop)
    if t1 <= t0:
        return 0.0
    lat = math.radians(latitude)
    sin_lat, cos_lat = math.sin(lat), math.cos(lat)
    steps = max(1, math.ceil((t1 - t0) / _STEP_SECONDS))
    width = (t1 - t0) / steps
    values = [
        _clear_sky_shape(_sin_elevation(t0 + i * width, sin_lat, cos_lat, longitude))
        for i in range(steps + 1)
    ]
    area = sum((values[i] + values[i + 1]) / 2.0 for i in range(steps)) * width
    return area * _SHAPE_SCALE / 3600.0


def _timestamp(when: datetime) -> float:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {when!r}")
    return when.timestamp()


def _clear_sky_shape(sin_elev: float) -> float:
    """Unnormalised clear-sky output for a sun whose elevation has sine ``sin_elev``; 0 below the horizon."""
    if sin_elev <= 0.0:
        return 0.0
    elevation_deg = math.degrees(math.asin(sin_elev))
    # Kasten & Young (1989) relative air mass: finite at the horizon, so the rise is smooth.
    air_mass = 1.0 / (sin_elev + 0.50572 * (elevation_deg + 6.07995) ** -1.6364)
    attenuation: float = _ATTENUATION_BASE ** (air_mass**_ATTENUATION_EXPONENT)
    return float(sin_elev**_SHAPE_EXPONENT) * attenuation


_SHAPE_SCALE = _REFERENCE_FRACTION / _clear_sky_shape(math.sin(math.radians(_REFERENCE_ELEVATION_DEG)))


def _minute_hash(key: int, minute: int) -> int:
    """SplitMix64 output at position ``minute`` of the stream keyed by ``key``.

    A fast, unsalted 64-bit hash, so the same seed and minute give the same bits on every run.
    """
    value = (key + minute * _GOLDEN_GAMMA) & _MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def _noise_key(seed: int) -> int:
    """Turn any integer seed into a well-spread 64-bit key (blake2b, never the salted ``hash()``)."""
    length = max(8, (seed.bit_length() + 8) // 8)
    digest = hashlib.blake2b(
        seed.to_bytes(length, "little", signed=True), digest_size=8, person=b"kiosk-sim"
    ).digest()
    return int.from_bytes(digest, "little")


@dataclass(frozen=True)
class _Site:
    """Everything the power curve depends on; hashable so daily integrals can be cached."""

    rated_power_w: float
    latitude: float
    longitude: float
    noise_key: int
    zone: ZoneInfo
    sin_lat: float = field(init=False)
    cos_lat: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sin_lat", math.sin(math.radians(self.latitude)))
        object.__setattr__(self, "cos_lat", math.cos(math.radians(self.latitude)))

    def sin_elevation(self, ts: float) -> float:
        return _sin_elevation(ts, self.sin_lat, self.cos_lat, self.longitude)

    def output(self, ts: float, *, noisy: bool) -> float:
        """Simulated power (W) at Unix time ``ts``, within [0, rated]; 0 while the sun is down.

        Clear-sky shape × temperature derate, times (when ``noisy``) a deterministic cloud and
        jitter factor that is fixed within each minute. Kept in one function: the lifetime
        counter evaluates it a few hundred thousand times on first use.
        """
        shape = _clear_sky_shape(_sin_elevation(ts, self.sin_lat, self.cos_lat, self.longitude))
        if shape == 0.0:
            return 0.0
        fraction = _SHAPE_SCALE * shape
        ambient = _utc_day_constants(int(ts // _SECONDS_PER_DAY))[2]
        cell = ambient + _CELL_RISE_AT_FULL_SUN_K * fraction
        if cell > _STC_CELL_TEMPERATURE_C:
            fraction *= 1.0 - _TEMPERATURE_COEFFICIENT_PER_K * (cell - _STC_CELL_TEMPERATURE_C)
        if noisy:
            key = self.noise_key
            minute = math.floor(ts / 60.0)
            bits = _minute_hash(key, minute)
            jitter = (bits & _MASK32) / _HALF32 - 1.0
            knot, offset = divmod(minute, _CLOUD_KNOT_MINUTES)
            if offset:
                left = (_minute_hash(key, knot * _CLOUD_KNOT_MINUTES) >> 32) / _HALF32 - 1.0
                right = (_minute_hash(key, (knot + 1) * _CLOUD_KNOT_MINUTES) >> 32) / _HALF32 - 1.0
                blend = 0.5 - 0.5 * math.cos(math.pi * offset / _CLOUD_KNOT_MINUTES)
                cloud = left + (right - left) * blend
            else:
                cloud = (bits >> 32) / _HALF32 - 1.0  # this minute is itself a knot
            fraction *= 1.0 + _CLOUD_AMPLITUDE * cloud + _JITTER_AMPLITUDE * jitter
        return self.rated_power_w * min(1.0, max(0.0, fraction))

    def local_midnight_ts(self, day: date) -> float:
        return datetime(day.year, day.month, day.day, tzinfo=self.zone).timestamp()


@dataclass(frozen=True)
class _DayProfile:
    """Power sampled over one local day and the running trapezoid integral (Wh) at each sample."""

    times: tuple[float, ...]
    powers: tuple[float, ...]
    cumulative_wh: tuple[float, ...]

    def energy_until(self, ts: float) -> float:
        """Integral from local midnight to ``ts`` of the piecewise-linear power curve.

        Integrating the linear interpolant (not the raw power) keeps the partial value
        continuous, non-decreasing and equal to the full-day sum at the next midnight.
        """
        if ts <= self.times[0]:
            return 0.0
        if ts >= self.times[-1]:
            return self.cumulative_wh[-1]
        i = bisect_right(self.times, ts) - 1
        t0, t1 = self.times[i], self.times[i + 1]
        p0, p1 = self.powers[i], self.powers[i + 1]
        elapsed = ts - t0
        partial_ws = p0 * elapsed + (p1 - p0) * elapsed * elapsed / (2.0 * (t1 - t0))
        return min(self.cumulative_wh[i] + partial_ws / 3600.0, self.cumulative_wh[i + 1])


@lru_cache(maxsize=16)
def _day_profile(site: _Site, day: date) -> _DayProfile:
    start = site.local_midnight_ts(day)
    end = site.local_midnight_ts(day + timedelta(days=1))
    steps = math.ceil((end - start) / _STEP_SECONDS)
    times = tuple(min(end, start + i * _STEP_SECONDS) for i in range(steps + 1))
    first, last = _daylight_window(site, times)
    powers = tuple(site.output(times[i], noisy=True) if first <= i <= last else 0.0 for i in range(steps + 1))
    areas = ((powers[i] + powers[i + 1]) * (times[i + 1] - times[i]) / 7200.0 for i in range(steps))
    cumulative = tuple(accumulate(areas, initial=0.0))
    return _DayProfile(times=times, powers=powers, cumulative_wh=cumulative)


def _daylight_window(site: _Site, times: tuple[float, ...]) -> tuple[int, int]:
    """Index range of ``times`` outside which the sun is certainly down (a speed-up only).

    Over one day the elevation rises to a single maximum and falls again, so every sample with
    the sun up lies within an hour of an hourly sample that has it up. If no hourly sample
    does but the sun comes close (a polar-edge day), every sample is evaluated.
    """
    hourly = range(0, len(times), _SAMPLES_PER_HOUR)
    sines = [site.sin_elevation(times[i]) for i in hourly]
    up = [i for i, sine in zip(hourly, sines, strict=True) if sine > 0.0]
    if up:
        return max(0, up[0] - _SAMPLES_PER_HOUR), min(len(times) - 1, up[-1] + _SAMPLES_PER_HOUR)
    if max(sines) > -0.3:
        return 0, len(times) - 1
    return len(times), -1


@lru_cache(maxsize=8192)
def _day_energy_wh(site: _Site, day: date) -> float:
    return _day_profile(site, day).cumulative_wh[-1]


@lru_cache(maxsize=1024)
def _day_peak_w(site: _Site, day: date) -> float:
    return max(_day_profile(site, day).powers)


class ClearSkySource:
    """A deterministic stand-in for a real inverter: clear-sky sun over Baku plus mild "clouds".

    Power follows the computed solar elevation; the same seed and instant always give the same
    power, so demos and tests are reproducible. Counters integrate that power from local midnight
    of ``commissioned`` and read 0 before it.
    """

    name = "simulator"

    def __init__(
        self,
        rated_power_w: float = 30_000.0,
        *,
        seed: int = 0,
        latitude: float = 40.4,
        longitude: float = 49.87,
        tz: str = "Asia/Baku",
        commissioned: date = date(2025, 1, 1),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if not (math.isfinite(rated_power_w) and rated_power_w > 0):
            raise ConfigError(
                f"Simulator rated power must be a positive number of watts, got {rated_power_w!r}."
            )
        if not -90.0 <= latitude <= 90.0:
            raise ConfigError(f"Simulator latitude must be within -90..90°, got {latitude!r}.")
        if not -180.0 <= longitude <= 180.0:
            raise ConfigError(f"Simulator longitude must be within -180..180°, got {longitude!r}.")
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"Simulator time zone {tz!r} is unknown; use an IANA name such as 'Asia/Baku'."
            ) from exc
        self.rated_power_w = float(rated_power_w)
        self.seed = seed
        self.commissioned = commissioned
        self._site = _Site(
            rated_power_w=float(rated_power_w),
            latitude=float(latitude),
            longitude=float(longitude),
            noise_key=_noise_key(seed),
            zone=zone,
        )
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        # _energy_before[i] = energy (Wh) of the days commissioned .. commissioned + i - 1.
        self._energy_before: list[float] = [0.0]
        self._lock = threading.Lock()

    @property
    def zone(self) -> ZoneInfo:
        """The plant's local time zone; days and the daily counter follow it."""
        return self._site.zone

    def clear_sky_power_at(self, when: datetime) -> float:
        """Noise-free model output in W at ``when`` (aware datetime): the envelope of ``power_at``."""
        return self._site.output(_timestamp(when), noisy=False)

    def power_at(self, when: datetime) -> float:
        """Simulated AC power in W at ``when`` (aware): 0 at night, never above rated."""
        return self._site.output(_timestamp(when), noisy=True)

    def energy_today_wh_at(self, when: datetime) -> float:
        """Energy in Wh since local midnight of ``when``'s local day (0 before commissioning)."""
        ts = _timestamp(when)
        day = when.astimezone(self.zone).date()
        if day < self.commissioned:
            return 0.0
        return _day_profile(self._site, day).energy_until(ts)

    def energy_total_wh_at(self, when: datetime) -> float:
        """Lifetime energy in Wh from local midnight of the commissioning date to ``when``."""
        ts = _timestamp(when)
        day = when.astimezone(self.zone).date()
        if day < self.commissioned:
            return 0.0
        return self._energy_before_day(day) + _day_profile(self._site, day).energy_until(ts)

    def day_energy_and_peak(self, day: date) -> tuple[float, float]:
        """Energy (Wh) and highest sampled power (W) of one whole local day."""
        if day < self.commissioned:
            return 0.0, 0.0
        return _day_energy_wh(self._site, day), _day_peak_w(self._site, day)

    def read(self) -> EnergyReading:
        """Read the simulated plant at the clock's current time."""
        now = self._clock()
        power = self.power_at(now)
        return EnergyReading(
            read_at=now,
            power_w=power,
            energy_total_wh=self.energy_total_wh_at(now),
            energy_today_wh=self.energy_today_wh_at(now),
            state=DeviceState.PRODUCING if power > 0.0 else DeviceState.SLEEPING,
        )

    def _energy_before_day(self, day: date) -> float:
        """Energy of all whole local days from commissioning up to (not including) ``day``."""
        index = (day - self.commissioned).days
        with self._lock:
            known = len(self._energy_before)
            if index >= known:
                if index - known > 30:
                    log.debug("Integrating %d simulated days for the lifetime counter", index)
                running = self._energy_before[-1]
                for offset in range(known - 1, index):
                    running += _day_energy_wh(self._site, self.commissioned + timedelta(days=offset))
                    self._energy_before.append(running)
            return self._energy_before[index]
