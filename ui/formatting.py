"""Numbers and times as a visitor reads them in each language (decimal comma in az and ru)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QLocale, QTime


def number(locale: QLocale, value: float, decimals: int) -> str:
    """A figure with grouping and the language's decimal separator."""
    return locale.toString(float(value), "f", decimals)


def power_kw(locale: QLocale, watts: float) -> str:
    kw = watts / 1000.0
    return number(locale, kw, 1 if kw < 1000 else 0)


def energy_kwh(locale: QLocale, wh: float) -> str:
    kwh = wh / 1000.0
    return number(locale, kwh, 1 if kwh < 10_000 else 0)


def energy_mwh(locale: QLocale, wh: float) -> str:
    return number(locale, wh / 1_000_000.0, 1)


def clock(when: datetime) -> str:
    """Time of day, 24-hour (the same in az, en and ru)."""
    return f"{when:%H:%M}"


def date_long(locale: QLocale, when: datetime) -> str:
    """A date with the month's name in the visitor's language, e.g. "25 noyabr 2026"."""
    return locale.toString(QDate(when.year, when.month, when.day), "d MMMM yyyy")


def co2_kg(locale: QLocale, kg: float) -> str:
    """CO2 in kilograms: one decimal below 1000 kg."""
    return number(locale, kg, 1 if kg < 1000 else 0)


def co2_tonnes(locale: QLocale, kg: float) -> str:
    """CO2 in tonnes, from kilograms: one decimal below 10 000 t."""
    tonnes = kg / 1000.0
    return number(locale, tonnes, 1 if tonnes < 10_000 else 0)


def whole(locale: QLocale, value: float) -> str:
    """A count for people (trees, kilometres, homes): rounded, with the language's grouping."""
    return locale.toString(round(value))


def hour_minute(locale: QLocale, when: datetime) -> str:
    """An axis label or a sunrise time, e.g. "05:32", written by the language's locale."""
    return locale.toString(QTime(when.hour, when.minute), "HH:mm")


def day_month(locale: QLocale, day: date) -> str:
    """A short date for a chart axis, e.g. "21 Jun", "21 iyn", "21 июн."."""
    return locale.toString(QDate(day.year, day.month, day.day), "d MMM")
