"""Values as an Indonesian user reads them: 12 Februari 2026, 87,5, 09:00 WIB.

Python's locale machinery depends on what the machine has installed; a government PC
or a CI runner may have no id_ID locale, so the few formats we need are spelled out.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from kinerja.core.numbers import Number, exact, rounded

MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

# Indonesia's three legal time zones (Keppres 41/1987) and their UTC offsets.
TIME_ZONES = {"WIB": dt.timedelta(hours=7), "WITA": dt.timedelta(hours=8), "WIT": dt.timedelta(hours=9)}


def format_date(value: dt.date, lang: str = "id") -> str:
    """12 Februari 2026."""
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"


def format_time(value: dt.time, zone: str | None = None, lang: str = "id") -> str:
    """09.00 (Indonesian writes the time with a dot: pukul 09.00), or 09.00 WIB when the
    zone is known; 09:00 in English."""
    separator = "." if lang == "id" else ":"
    text = f"{value.hour:02d}{separator}{value.minute:02d}"
    return f"{text} {zone}" if zone else text


def format_number(value: Number, lang: str = "id", decimals: int = 2) -> str:
    """At most `decimals` places, no trailing zeros; comma decimal in Indonesian: 87,5.

    A whole number keeps every digit. Anything else, an exact figure (Fraction) or a float
    read as the decimal it stands for (D15), is rounded half away from zero as Excel shows
    it: 87.125 → 87,13."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # never a cell number; printed rather than crashing a message
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        text = str(int(value))
    else:
        text = format(rounded(exact(value), decimals), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "id" else text


def format_value(value: object, lang: str = "id") -> str:
    """Any cell value as a message shows it."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return ("Benar" if value else "Salah") if lang == "id" else str(value)
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return format_date(value.date(), lang)
        return f"{format_date(value.date(), lang)} {format_time(value.time(), lang=lang)}"
    if isinstance(value, dt.date):
        return format_date(value, lang)
    if isinstance(value, dt.time):
        return format_time(value, lang=lang)
    if isinstance(value, float | int | Fraction):
        return format_number(value, lang)
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v, lang) for v in value)
    return str(value)


def aware_now(zone: str) -> dt.datetime:
    """Now, in an Indonesian zone, with its offset (for ISO 8601 times in the ledger)."""
    return dt.datetime.now(dt.timezone(TIME_ZONES[zone], zone))
