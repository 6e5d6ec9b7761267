"""NIP checks (Perka BKN 22/2007), and the PPPK number that looks like one.

PNS:  birth YYYYMMDD (8) + first appointment YYYYMM (6) + sex 1/2 (1) + serial (3).
PPPK: birth YYYYMMDD (8) + appointment YYYY (4) + "2" + a digit + sex (1) + serial (3).
The 13th digit tells them apart: a PNS appointment month starts with 0 or 1, a PPPK
number has 2 there, so PPPK is detected before the PNS rule is applied.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

PPPK_SINCE = 2019  # the first PPPK appointments (PP 49/2018)
_SPACES = re.compile(r"[\s\u00a0]+")


@dataclass(frozen=True)
class NipProblem:
    code: str  # a findings catalogue code
    params: dict[str, Any] = field(default_factory=dict)


def normalize(text: str) -> str:
    """NIPs are written with spaces (19700303 199703 1 008); read them without."""
    return _SPACES.sub("", text)


def is_pppk(digits: str) -> bool:
    return len(digits) == 18 and digits.isdigit() and digits[12] == "2"


def problems(text: str, today: dt.date | None = None) -> list[NipProblem]:
    """Everything wrong with one NIP as typed; empty when it is a possible NIP."""
    digits = normalize(text)
    if len(digits) != 18 or not digits.isdigit():
        return [NipProblem("NIP_FORMAT", {"digits": sum(ch.isdigit() for ch in digits)})]
    today = today or dt.date.today()
    found: list[NipProblem] = []
    born = _date(digits[0:8])
    if born is None or not (1930 <= born.year <= today.year - 17):
        found.append(NipProblem("NIP_TANGGAL_LAHIR", {"part": digits[0:8]}))
        born = None
    if is_pppk(digits):
        year = int(digits[8:12])
        if not (PPPK_SINCE <= year <= today.year + 1) or (born and year < born.year + 18):
            found.append(NipProblem("NIP_PPPK_TAHUN", {"part": digits[8:12]}))
    else:
        year, month = int(digits[8:12]), int(digits[12:14])
        if not (1 <= month <= 12 and 1950 <= year <= today.year + 1):
            found.append(NipProblem("NIP_TMT", {"part": digits[8:14]}))
        elif born and (year, month) < (born.year + 18, born.month):
            found.append(NipProblem("NIP_TMT_MUDA", {"appointed": f"{month:02d}/{year}", "born": born}))
    if digits[14] not in "12":
        found.append(NipProblem("NIP_JENIS_KELAMIN", {"part": digits[14]}))
    return found


def _date(yyyymmdd: str) -> dt.date | None:
    try:
        return dt.date(int(yyyymmdd[0:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None
