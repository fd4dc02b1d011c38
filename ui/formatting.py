"""Numbers and times as a visitor reads them in each language (decimal comma in az and ru)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QLocale


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
