"""CO2 avoided and the everyday equivalents a visitor grasps (trees, car kilometres, homes for a day).

The factors come from the config so an administrator can replace them with newer or official figures;
the defaults and their sources are listed in the README ("Energy figures").
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import EnergySettings


@dataclass(frozen=True)
class EquivalentFactors:
    """How energy turns into CO2 and CO2 into things people know."""

    emission_kg_per_kwh: float = 0.49
    tree_kg_co2_per_year: float = 21.8
    car_kg_co2_per_km: float = 0.25
    home_kwh_per_day: float = 6.6

    @classmethod
    def from_settings(cls, settings: EnergySettings) -> EquivalentFactors:
        return cls(
            emission_kg_per_kwh=settings.emission_kg_per_kwh,
            tree_kg_co2_per_year=settings.tree_kg_co2_per_year,
            car_kg_co2_per_km=settings.car_kg_co2_per_km,
            home_kwh_per_day=settings.home_kwh_per_day,
        )

    def co2_kg(self, energy_wh: float) -> float:
        """CO2 (kg) the grid would have emitted to generate ``energy_wh``."""
        return energy_wh / 1000.0 * self.emission_kg_per_kwh

    def equivalents(self, energy_wh: float) -> Equivalents:
        """What ``energy_wh`` of solar generation amounts to in trees, car kilometres and homes."""
        co2 = self.co2_kg(energy_wh)
        return Equivalents(
            co2_kg=co2,
            trees=co2 / self.tree_kg_co2_per_year,
            car_km=co2 / self.car_kg_co2_per_km,
            home_days=energy_wh / 1000.0 / self.home_kwh_per_day,
        )


@dataclass(frozen=True)
class Equivalents:
    """One amount of energy in visitor terms.

    ``trees``: trees absorbing CO2 for a whole year to take up as much; ``car_km``: kilometres a
    typical car drives emitting as much; ``home_days``: households supplied for one day.
    """

    co2_kg: float
    trees: float
    car_km: float
    home_days: float
