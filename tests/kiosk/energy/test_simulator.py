"""Behaviour of the simulated clear-sky plant: sun geometry, day curve, noise and counters."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from kiosk.energy.reading import EnergyReading, Source
from kiosk.energy.simulator import ClearSkySource, solar_elevation_deg
from kiosk.errors import ConfigError

BAKU = ZoneInfo("Asia/Baku")
LAT = 40.4
LON = 49.87
RATED_W = 30_000.0

SEASON_DATES = [
    date(2025, 1, 15),
    date(2025, 3, 21),
    date(2025, 6, 21),
    date(2025, 9, 22),
    date(2025, 12, 21),
]


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=BAKU)


def minutes_of(day: date) -> list[datetime]:
    midnight = at(day, 0)
    return [midnight + timedelta(minutes=i) for i in range(24 * 60)]


def solar_noon(day: date) -> datetime:
    """The minute of the day with the highest sun, from the module's own elevation function."""
    return max(minutes_of(day), key=lambda when: solar_elevation_deg(when, LAT, LON))


def independent_solar_noon(day: date) -> datetime:
    """12:00 + (60° − longitude)·4 min − equation of time, with a textbook EoT approximation
    (B = 360/365·(n − 81)°, EoT = 9.87 sin 2B − 7.53 cos B − 1.5 sin B) unrelated to the module's series.
    """
    b = math.radians(360.0 / 365.0 * (day.timetuple().tm_yday - 81))
    eot_min = 9.87 * math.sin(2 * b) - 7.53 * math.cos(b) - 1.5 * math.sin(b)
    return at(day, 12) + timedelta(minutes=(60.0 - LON) * 4.0 - eot_min)


def minutes_between(a: datetime, b: datetime) -> float:
    return abs((a - b).total_seconds()) / 60.0


# --- sun geometry ----------------------------------------------------------------------------


@pytest.mark.parametrize("day", SEASON_DATES)
def test_solar_noon_matches_the_independent_approximation(day: date) -> None:
    noon = solar_noon(day)
    assert minutes_between(noon, independent_solar_noon(day)) <= 3.0
    # Baku sits 10° west of its zone meridian (60° E), so noon is 12:25–12:57 local all year.
    assert time(12, 20) <= noon.time() <= time(13, 0)


def test_elevation_at_june_solstice_noon() -> None:
    day = date(2025, 6, 21)
    peak = solar_elevation_deg(solar_noon(day), LAT, LON)
    assert peak == pytest.approx(90.0 - LAT + 23.44, abs=0.5)


def test_elevation_at_december_solstice_noon() -> None:
    day = date(2025, 12, 21)
    peak = solar_elevation_deg(solar_noon(day), LAT, LON)
    assert peak == pytest.approx(90.0 - LAT - 23.44, abs=0.5)


def test_elevation_does_not_depend_on_the_datetime_time_zone() -> None:
    when = at(date(2025, 4, 10), 10, 17)
    assert solar_elevation_deg(when.astimezone(UTC), LAT, LON) == pytest.approx(
        solar_elevation_deg(when, LAT, LON), abs=1e-9
    )


def test_elevation_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        solar_elevation_deg(datetime(2025, 6, 21, 12, 0), LAT, LON)


# --- the day curve ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", [*SEASON_DATES, date(2026, 2, 28)])
def test_power_is_exactly_zero_at_local_night(day: date) -> None:
    source = ClearSkySource(seed=3)
    for when in (at(day, 2), at(day, 0, 30), at(day, 23, 30)):
        assert solar_elevation_deg(when, LAT, LON) < 0.0
        assert source.power_at(when) == 0.0
        assert source.clear_sky_power_at(when) == 0.0


@pytest.mark.parametrize("day", SEASON_DATES)
def test_clear_sky_curve_peaks_at_solar_noon(day: date) -> None:
    source = ClearSkySource()
    peak = max(minutes_of(day), key=source.clear_sky_power_at)
    assert minutes_between(peak, solar_noon(day)) <= 30.0


@pytest.mark.parametrize("seed", [0, 1, 42])
@pytest.mark.parametrize("day", SEASON_DATES)
def test_noisy_curve_is_centred_on_solar_noon(day: date, seed: int) -> None:
    # The noisy curve is flat to within the noise near noon, so its centre of mass, not its
    # single highest minute, is where the day's generation peaks.
    source = ClearSkySource(seed=seed)
    samples = [(when, source.power_at(when)) for when in minutes_of(day)]
    total = sum(power for _, power in samples)
    origin = at(day, 0)
    centre_s = sum((when - origin).total_seconds() * power for when, power in samples) / total
    assert minutes_between(origin + timedelta(seconds=centre_s), solar_noon(day)) <= 30.0


def test_rise_is_smooth_from_zero_after_sunrise() -> None:
    source = ClearSkySource()
    day = date(2025, 6, 21)
    curve = [source.clear_sky_power_at(when) for when in minutes_of(day)]
    first_light = next(i for i, power in enumerate(curve) if power > 0.0)
    # The first minute of sun gives a trickle, not a jump, and the morning only climbs.
    assert curve[first_light] < 0.01 * RATED_W
    noon_index = minutes_of(day).index(solar_noon(day))
    morning = curve[first_light : noon_index - 30]
    assert all(b >= a for a, b in pairwise(morning))


def test_june_noon_gives_about_four_fifths_of_rated() -> None:
    source = ClearSkySource()
    day = date(2025, 6, 21)
    assert 0.80 * RATED_W <= source.clear_sky_power_at(solar_noon(day)) <= 0.85 * RATED_W


def test_june_noon_peak_is_larger_than_december_noon_peak() -> None:
    source = ClearSkySource()
    june = source.power_at(solar_noon(date(2025, 6, 21)))
    december = source.power_at(solar_noon(date(2025, 12, 21)))
    assert december > 0.0
    assert june > 1.5 * december


def test_power_stays_within_zero_and_rated_over_a_year() -> None:
    source = ClearSkySource(seed=11)
    checked = 0
    for month in range(1, 13):
        for day_of_month in (1, 11, 21):
            midnight = at(date(2025, month, day_of_month), 0)
            for step in range(72):  # every 20 min
                when = midnight + timedelta(minutes=20 * step)
                power = source.power_at(when)
                clear = source.clear_sky_power_at(when)
                assert 0.0 <= power <= RATED_W
                if clear > 0.0:
                    # The deterministic "cloud" noise stays within ±5 % of the clear-sky value.
                    assert 0.95 * clear <= power <= 1.05 * clear
                else:
                    assert power == 0.0
                checked += 1
    assert checked == 12 * 3 * 72


def test_power_never_exceeds_rated_for_a_small_plant_at_the_equator() -> None:
    # A sun straight overhead is the highest output the model can produce.
    source = ClearSkySource(1_000.0, latitude=0.0, longitude=49.87, seed=5)
    midnight = at(date(2025, 3, 21), 0)
    powers = [source.power_at(midnight + timedelta(minutes=m)) for m in range(0, 24 * 60, 5)]
    assert max(powers) <= 1_000.0
    assert min(powers) >= 0.0


# --- determinism and noise -------------------------------------------------------------------


def test_same_seed_and_time_give_identical_readings() -> None:
    fixed = at(date(2025, 7, 3), 11, 37, 12)
    a = ClearSkySource(seed=7, clock=lambda: fixed).read()
    b = ClearSkySource(seed=7, clock=lambda: fixed).read()
    assert a == b


def test_different_seeds_give_different_power_at_noon() -> None:
    noon = solar_noon(date(2025, 7, 3))
    powers = {ClearSkySource(seed=seed).power_at(noon) for seed in range(5)}
    assert len(powers) == 5


def test_noise_is_fixed_within_a_minute() -> None:
    source = ClearSkySource(seed=9)
    start = at(date(2025, 5, 5), 10, 14, 5)
    later = start + timedelta(seconds=50)
    ratio_start = source.power_at(start) / source.clear_sky_power_at(start)
    ratio_later = source.power_at(later) / source.clear_sky_power_at(later)
    assert ratio_start == pytest.approx(ratio_later, rel=1e-12)


def test_noise_varies_from_minute_to_minute() -> None:
    source = ClearSkySource(seed=9)
    start = at(date(2025, 5, 5), 10, 0, 30)
    ratios = {
        round(source.power_at(w) / source.clear_sky_power_at(w), 9)
        for w in (start + timedelta(minutes=m) for m in range(10))
    }
    assert len(ratios) == 10


# --- counters --------------------------------------------------------------------------------


def test_total_is_monotonic_across_days_and_consistent_with_today() -> None:
    source = ClearSkySource(seed=2, commissioned=date(2025, 6, 1))
    start = at(date(2025, 6, 18), 21, 3)
    previous_total = -1.0
    for step in range(3 * 24 * 60 // 7):  # every 7 min for three days, crossing two midnights
        when = start + timedelta(minutes=7 * step)
        total = source.energy_total_wh_at(when)
        assert total >= previous_total
        previous_total = total
        midnight = datetime.combine(when.date(), time(0), tzinfo=BAKU)
        today = source.energy_today_wh_at(when)
        assert total - source.energy_total_wh_at(midnight) == pytest.approx(today, abs=0.1)
    assert previous_total > 0.0


def test_today_restarts_at_local_midnight() -> None:
    source = ClearSkySource()
    day = date(2025, 8, 8)
    assert source.energy_today_wh_at(at(day, 0)) == 0.0
    assert source.energy_today_wh_at(at(day, 0) - timedelta(seconds=1)) > 50_000.0
    # Still night at 05:00 in August: nothing generated yet.
    assert source.energy_today_wh_at(at(day, 4)) == 0.0


def test_total_is_the_sum_of_whole_days_since_commissioning() -> None:
    commissioned = date(2025, 3, 1)
    source = ClearSkySource(seed=4, commissioned=commissioned)
    days = [commissioned + timedelta(days=i) for i in range(5)]
    day_energies = [source.energy_today_wh_at(at(d, 0) + timedelta(days=1, seconds=-1)) for d in days]
    whole_days_wh = source.energy_total_wh_at(at(days[-1], 0) + timedelta(days=1))
    assert whole_days_wh == pytest.approx(sum(day_energies), abs=0.5)
    assert source.energy_total_wh_at(at(commissioned, 0)) == 0.0


def test_counters_read_zero_before_commissioning() -> None:
    source = ClearSkySource(commissioned=date(2025, 6, 1))
    before = at(date(2025, 5, 31), 13)
    assert source.power_at(before) > 0.0  # the sun shines; the plant just was not counting yet
    assert source.energy_total_wh_at(before) == 0.0
    assert source.energy_today_wh_at(before) == 0.0


def test_today_is_the_integral_of_the_power_curve() -> None:
    source = ClearSkySource(seed=8)
    day = date(2025, 4, 20)
    by_minute_wh = sum(source.power_at(when + timedelta(seconds=30)) for when in minutes_of(day)) / 60.0
    counted_wh = source.energy_today_wh_at(at(day, 23, 59, 59))
    assert counted_wh == pytest.approx(by_minute_wh, rel=0.01)


@pytest.mark.parametrize("day", SEASON_DATES)
def test_today_advances_at_the_current_power(day: date) -> None:
    # What the kiosk shows: over any minute of the working day the daily counter grows by
    # (power × 1 min), up to the noise the 10-minute integration grid smooths away.
    source = ClearSkySource(seed=3)
    checked = 0
    for minute in range(7 * 60, 17 * 60):
        start = at(day, 0) + timedelta(minutes=minute, seconds=17)
        power = source.power_at(start + timedelta(seconds=30))
        if power < 0.2 * RATED_W:
            continue
        gained_wh = source.energy_today_wh_at(start + timedelta(minutes=1)) - source.energy_today_wh_at(start)
        assert gained_wh * 60.0 == pytest.approx(power, rel=0.08)
        checked += 1
    assert checked > 60


@pytest.mark.parametrize("day", SEASON_DATES)
def test_today_starts_counting_at_first_light(day: date) -> None:
    source = ClearSkySource(seed=3)
    first_light = next(when for when in minutes_of(day) if source.power_at(when) > 0.0)
    assert source.energy_today_wh_at(first_light - timedelta(minutes=15)) == 0.0
    assert source.energy_today_wh_at(first_light + timedelta(minutes=15)) > 0.0


def test_summer_day_energy_is_plausible_for_a_30_kw_plant() -> None:
    source = ClearSkySource()
    june_kwh = source.energy_today_wh_at(at(date(2025, 6, 21), 23, 59, 59)) / 1000.0
    december_kwh = source.energy_today_wh_at(at(date(2025, 12, 21), 23, 59, 59)) / 1000.0
    assert 150.0 <= june_kwh <= 260.0
    assert 20.0 <= december_kwh < june_kwh / 2


def test_first_year_total_is_plausible() -> None:
    source = ClearSkySource(seed=1)
    year_kwh = source.energy_total_wh_at(at(date(2026, 1, 1), 0)) / 1000.0
    # Always-clear skies: a little above what real Absheron plants yield (≈1,400 kWh/kWp).
    assert 1_300.0 * 30 <= year_kwh <= 1_900.0 * 30


def test_counters_do_not_depend_on_the_instance_or_call_order() -> None:
    when = at(date(2025, 9, 9), 15, 41, 7)
    warm = ClearSkySource(seed=6)
    warm.energy_total_wh_at(at(date(2025, 2, 1), 12))  # fill caches with an earlier day first
    cold = ClearSkySource(seed=6)
    assert warm.energy_total_wh_at(when) == cold.energy_total_wh_at(when)


# --- reading ---------------------------------------------------------------------------------


def test_read_uses_the_injected_clock() -> None:
    instants = iter([at(date(2025, 6, 21), 13, 0), at(date(2025, 12, 21), 2, 0)])
    source = ClearSkySource(seed=5, clock=lambda: next(instants))

    day = source.read()
    assert day.read_at == at(date(2025, 6, 21), 13, 0)
    assert day.power_w == source.power_at(day.read_at)
    assert day.power_w > 0.0
    assert day.energy_total_wh == source.energy_total_wh_at(day.read_at)
    assert day.energy_today_wh == source.energy_today_wh_at(day.read_at)

    night = source.read()
    assert night.read_at == at(date(2025, 12, 21), 2, 0)
    assert night.power_w == 0.0
    assert night.energy_total_wh is not None and day.energy_total_wh is not None
    assert night.energy_total_wh > day.energy_total_wh


def test_default_clock_is_aware_utc_now() -> None:
    before = datetime.now(UTC)
    reading = ClearSkySource(commissioned=date.today() - timedelta(days=3)).read()
    after = datetime.now(UTC)
    assert reading.read_at.tzinfo is not None
    assert before <= reading.read_at <= after


def test_is_a_source() -> None:
    source: Source = ClearSkySource()
    assert source.name == "simulator"
    assert isinstance(source.read(), EnergyReading)


@pytest.mark.parametrize(
    "kwargs",
    [{"rated_power_w": 0.0}, {"rated_power_w": -5.0}, {"rated_power_w": math.nan}, {"tz": "Mars/Olympus"}],
)
def test_bad_settings_raise_config_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        ClearSkySource(**kwargs)  # type: ignore[arg-type]
