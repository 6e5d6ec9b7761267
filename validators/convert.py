"""Turn one raw cell value into the typed value a rule needs, or say why it cannot.

Each cell is converted on its own, before any schema or rule runs, so that one bad cell
yields one finding at that cell and never hides another (D11). A conversion that works
but was sloppy (" YA ") converts and adds an Info; one that fails returns no value and
a Galat, and rules that need the value skip it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from kinerja.core import nip
from kinerja.core.contract import NO, YES
from kinerja.core.formatting import MONTHS, format_date, format_time
from kinerja.core.model import ExcelError, Scalar, is_blank

EXCEL_EPOCH = dt.date(1899, 12, 30)
_NUMBER_TEXT = re.compile(r"^[+-]?(\d{1,3}([.,]\d{3})+|\d+)([.,]\d+)?$")
_TIME_TEXT = re.compile(r"^(\d{1,2})[.:](\d{2})(?:[.:](\d{2}))?\s*(WIB|WITA|WIT)?$", re.I)
_DATE_NUMERIC = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_DATE_WORDS = re.compile(r"^(?:[A-Za-z]+,?\s+)?(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$")


NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Converted:
    value: Any = None  # None: empty, or not convertible
    code: str | None = None  # a catalogue code when conversion failed or was sloppy
    params: Mapping[str, Any] = field(default_factory=lambda: NO_PARAMS)  # one shared empty mapping

    @property
    def failed(self) -> bool:
        return self.code is not None and self.value is None


EMPTY = Converted()


def convert(raw: Scalar, type_: str) -> Converted:
    if type(raw) is str and type_ in _AS_TEXT:  # most cells: text into a text column
        text = raw.strip()
        return Converted(text) if text else EMPTY
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, ExcelError):
        return Converted(None, "NILAI_GALAT_EXCEL", {"value": raw.code})
    return _CONVERTERS.get(type_, _text)(raw)


_AS_TEXT = frozenset(("text", "choice"))


def _text(raw: Scalar) -> Converted:
    if isinstance(raw, str):
        return Converted(raw.strip())
    if isinstance(raw, float) and raw.is_integer():
        return Converted(str(int(raw)))
    if isinstance(raw, dt.date):
        return Converted(raw.isoformat())
    return Converted(str(raw))


def _choice(raw: Scalar) -> Converted:
    return _text(raw)  # membership is the schema's check, against the list of the moment


def _int(raw: Scalar) -> Converted:
    number = _number(raw)
    if number.value is None:
        return number
    if not float(number.value).is_integer():
        return Converted(None, "NILAI_BUKAN_BULAT", {"value": raw, "rounded": round(number.value)})
    return Converted(int(number.value))


def _number(raw: Scalar) -> Converted:
    if isinstance(raw, bool) or isinstance(raw, dt.date | dt.time):
        return Converted(None, "NILAI_BUKAN_ANGKA", {"value": raw})
    if isinstance(raw, int | float):
        return Converted(float(raw) if isinstance(raw, float) else raw)
    text = str(raw).strip()
    if _NUMBER_TEXT.match(text):
        # Digits stored as text: Excel's SUM and COUNTIFS skip them, so the sheet's own
        # figures would silently disagree with the data.
        return Converted(None, "NILAI_ANGKA_TEKS", {"value": text})
    return Converted(None, "NILAI_BUKAN_ANGKA", {"value": text})


def _date(raw: Scalar) -> Converted:
    if isinstance(raw, dt.datetime):
        return Converted(raw.date())
    if isinstance(raw, dt.date):
        return Converted(raw)
    if isinstance(raw, bool) or isinstance(raw, dt.time):
        return Converted(None, "NILAI_BUKAN_TANGGAL", {"value": raw})
    if isinstance(raw, int | float):
        # A serial day number in a cell without a date format: the date is right, only
        # its display is not.
        if 1 <= raw < 2958466:
            return Converted(EXCEL_EPOCH + dt.timedelta(days=int(raw)))
        return Converted(None, "NILAI_BUKAN_TANGGAL", {"value": raw})
    text = str(raw).strip()
    parsed = parse_date_text(text)
    if parsed is None:
        return Converted(None, "NILAI_BUKAN_TANGGAL", {"value": text})
    return Converted(None, "NILAI_TANGGAL_TEKS", {"value": text, "reads_as": format_date(parsed)})


def parse_date_text(text: str) -> dt.date | None:
    """What a date typed as text most likely means, read the Indonesian way (day first)."""
    m = _DATE_NUMERIC.match(text)
    if m:
        a, b, c = (int(x) for x in m.groups())
        day, month, year = (c, b, a) if len(m.group(1)) == 4 else (a, b, c)
        if year < 100:
            year += 2000
        return _safe_date(year, month, day)
    m = _DATE_WORDS.match(text)
    if m:
        month = _month_number(m.group(2))
        return _safe_date(int(m.group(3)), month, int(m.group(1))) if month else None
    return None


def _month_number(word: str) -> int | None:
    word = word.lower()
    for names in MONTHS.values():
        for i, name in enumerate(names, start=1):
            if name.lower().startswith(word[:3]) and len(word) >= 3:
                return i
    return {"agu": 8, "agt": 8, "okt": 10, "des": 12, "mei": 5, "peb": 2, "nop": 11}.get(word[:3])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _time(raw: Scalar) -> Converted:
    if isinstance(raw, dt.time):
        return Converted(raw.replace(microsecond=0))
    if isinstance(raw, dt.datetime):
        return Converted(raw.time().replace(microsecond=0))
    if isinstance(raw, float | int) and not isinstance(raw, bool) and 0 <= raw < 1:
        seconds = round(raw * 86400)
        return Converted(dt.time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60))
    text = str(raw).strip()
    m = _TIME_TEXT.match(text)
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        reads_as = dt.time(int(m.group(1)), int(m.group(2)))
        # shown as it must be typed, with a colon (Excel reads 09.00 as a number)
        return Converted(None, "NILAI_JAM_TEKS", {"value": text, "reads_as": format_time(reads_as, lang="en")})
    return Converted(None, "NILAI_BUKAN_JAM", {"value": text})


def _yesno(raw: Scalar) -> Converted:
    """D13: "Ya" and "Tidak" exactly; spacing or case variants read with an Info; Y, yes,
    1 or a tick are a Galat, since Excel's COUNTIFS would not count them."""
    if isinstance(raw, str):
        text = raw.strip(" ")  # what Excel's TRIM removes: spaces, not tabs or NBSP
        if raw in (YES, NO):
            return Converted(raw)
        for word in (YES, NO):
            if text.casefold() == word.casefold():
                return Converted(word, "NILAI_YA_VARIAN", {"value": raw, "reads_as": word})
    return Converted(None, "NILAI_YA_TIDAK", {"value": raw})


def _nip(raw: Scalar) -> Converted:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # An 18-digit number keeps only 15 significant digits in Excel: the NIP is lost.
        shown = format(Decimal(f"{raw:.15g}"), "f")  # what Excel kept: 15 digits, then zeros
        return Converted(None, "NIP_ANGKA", {"value": shown})
    return Converted(nip.normalize(str(raw)))


_CONVERTERS = {
    "text": _text,
    "choice": _choice,
    "int": _int,
    "number": _number,
    "date": _date,
    "time": _time,
    "yesno": _yesno,
    "nip": _nip,
}
