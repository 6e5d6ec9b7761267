"""Findings, the report that holds them, and the catalogue their texts come from.

A rule yields a :class:`Finding` holding only a code, where (sheet, cell, step) and the
values its message needs; the words come from ``definitions/catalogue.toml`` when the
finding is rendered, in Bahasa Indonesia or English. The CLI, ``Hasil Validasi``, the
JSON output and the add-in all render the same objects.
"""

from __future__ import annotations

import enum
import os
import re
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any, Sequence

from kinerja.core.cells import cell_sort_key
from kinerja.core.formatting import format_value
from kinerja.core.numbers import rounded

LANGS = ("id", "en")


class Level(enum.Enum):
    """Severity, in the words staff see; ``json`` is the machine word."""

    GALAT = "Galat"
    PERINGATAN = "Peringatan"
    INFO = "Info"

    @property
    def json(self) -> str:
        return {"Galat": "error", "Peringatan": "warning", "Info": "info"}[self.value]

    @property
    def rank(self) -> int:
        return {"Galat": 0, "Peringatan": 1, "Info": 2}[self.value]

    def label(self, lang: str = "id") -> str:
        if lang == "en":
            return {"Galat": "Error", "Peringatan": "Warning", "Info": "Info"}[self.value]
        return self.value


@dataclass(frozen=True)
class Text:
    """One catalogue entry: the message and the fix, in both languages."""

    code: str
    pesan: str
    perbaikan: str
    message: str
    fix: str
    level: Level | None = None  # findings only
    section: str = "findings"  # errors (exit 2) | findings | texts (written into the workbook)

    def render(self, params: dict[str, Any], lang: str) -> tuple[str, str]:
        values = _Params({k: _shown(v, lang) for k, v in params.items()})
        msg, fix = (self.pesan, self.perbaikan) if lang == "id" else (self.message, self.fix)
        msg, fix = _plurals(msg, params), _plurals(fix, params)
        return msg.format_map(values).strip(), fix.format_map(values).strip()


_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def _plurals(template: str, params: dict[str, Any]) -> str:
    """{count|error|errors} -> "1 error" / "2 errors": English counts its nouns,
    Indonesian does not (its entries simply write {count} Galat)."""

    def choose(m: re.Match) -> str:
        name, one, many = m.groups()
        return "{" + name + "} " + (one if params.get(name) == 1 else many)

    return _PLURAL.sub(choose, template)


def _shown(value: Any, lang: str) -> str:
    """A parameter as its message shows it: a coded sub-reason in the message's language."""
    if isinstance(value, Reason):
        return value.render(lang)
    if isinstance(value, list | tuple) and value and all(isinstance(v, Reason) for v in value):
        return "; ".join(v.render(lang).rstrip(".") for v in value)  # sentences, listed
    return format_value(value, lang)


class _Params(dict):
    def __missing__(self, key: str) -> str:  # a missing value prints, never crashes (pyxform)
        return "–"


@cache
def catalogue() -> dict[str, Text]:
    raw = tomllib.loads(resources.files("kinerja.core.definitions").joinpath("catalogue.toml").read_text("utf-8"))
    texts: dict[str, Text] = {}
    for section in ("errors", "findings", "texts"):
        for code, entry in raw[section].items():
            level = Level(entry["level"]) if "level" in entry else None
            texts[code] = Text(code, entry["pesan"], entry["perbaikan"], entry["message"], entry["fix"], level, section)
    return texts


def text(code: str) -> Text:
    """A catalogue entry. A code missing from the catalogue is a bug of ours: the tests
    run strict (KINERJA_STRICT_CODES) and fail on it where it is made; a user's run gets
    a plain text naming the code instead of a crash."""
    found = catalogue().get(code)
    if found is not None:
        return found
    if os.environ.get(STRICT):
        raise KeyError(f"{code} is not in the catalogue")
    return Text(code, f"Temuan {code}.", "", f"Finding {code}.", "", Level.GALAT)


STRICT = "KINERJA_STRICT_CODES"


def check_code(code: str, section: str) -> None:
    """Called where a finding or an error is made (not only where it is rendered)."""
    if os.environ.get(STRICT):
        entry = catalogue().get(code)
        if entry is None or entry.section != section:
            raise KeyError(f"{code} is not a {section} code of the catalogue")


@dataclass(frozen=True)
class Reason:
    """A coded part of another message (D31): where in a file, one of several problems, a
    figure that cannot be computed. Rendered from the catalogue in the language of the
    message it stands in, so an English sentence never holds an Indonesian fragment."""

    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if os.environ.get(STRICT) and self.code not in catalogue():
            raise KeyError(f"{self.code} is not in the catalogue")

    def render(self, lang: str = "id") -> str:
        return text(self.code).render(self.params, lang)[0]


def not_computable() -> Reason:
    """What a message shows for a figure that cannot be computed ("tidak bisa dihitung")."""
    return Reason("KATA_NONE")


@dataclass(frozen=True)
class Finding:
    """One finding at one cell. ``step`` is the SOP step it belongs to (0 = none), so a
    sign-off can be gated on the findings of its own stage."""

    code: str
    sheet: str
    cell: str
    step: int
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        check_code(self.code, "findings")

    @property
    def level(self) -> Level:
        level = text(self.code).level
        assert level is not None, f"{self.code} is an error code, not a finding"
        return level

    def render(self, lang: str = "id") -> tuple[str, str]:
        return text(self.code).render({"sheet": self.sheet, "cell": self.cell, **self.params}, lang)

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        message, fix = self.render(lang)
        return {
            "code": self.code,
            "level": self.level.json,
            "step": self.step or None,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": message,
            "fix": fix,
        }


@dataclass(frozen=True)
class IkuFigures:
    """The indicator as the validator computes it from input cells (None: not computable,
    e.g. an input it depends on was refused). Realisasi and capaian are exact (D26): the
    band and "target met" are decided on them; only what is shown is rounded."""

    invited: int | None
    present: int | None
    realisasi: Fraction | None
    capaian: Fraction | None
    predikat: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "invited": self.invited,
            "present": self.present,
            "realisasi": _json_number(self.realisasi),
            "capaian": _json_number(self.capaian),
            "predikat": self.predikat,
        }


def _json_number(x: Fraction | None) -> float | None:
    """A JSON number with 4 decimals, rounded as Excel shows it."""
    return None if x is None else float(rounded(x, 4))


@dataclass
class Laporan:
    """The report of one workbook: its findings and its IKU figures."""

    file: str
    findings: list[Finding]
    iku: IkuFigures | None = None

    def count(self, level: Level) -> int:
        return sum(1 for f in self.findings if f.level is level)

    @property
    def has_errors(self) -> bool:
        return self.count(Level.GALAT) > 0

    def sorted(self, sheet_order: Sequence[str] = ()) -> list[Finding]:
        """In the workbook's sheet order, then by row and column, then by severity."""
        order = {name: i for i, name in enumerate(sheet_order)}
        return sorted(
            self.findings,
            key=lambda f: (order.get(f.sheet, len(order)), f.sheet, cell_sort_key(f.cell), f.level.rank, f.code),
        )

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        return {
            "file": self.file,
            "iku": self.iku.to_json() if self.iku else None,
            "findings": [f.to_json(lang) for f in self.findings],
        }


class KinerjaError(Exception):
    """The workbook (or a command's input) cannot be used at all: exit 2, one message."""

    def __init__(self, code: str, sheet: str | None = None, cell: str | None = None, **params: Any):
        check_code(code, "errors")
        self.code = code
        self.sheet = sheet
        self.cell = cell
        self.params = params
        super().__init__(code)

    def render(self, lang: str = "id") -> tuple[str, str]:
        return text(self.code).render({"sheet": self.sheet or "", "cell": self.cell or "", **self.params}, lang)

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        message, fix = self.render(lang)
        out: dict[str, Any] = {"code": self.code, "message": message, "fix": fix}
        if self.sheet:
            out["sheet"] = self.sheet
        if self.cell:
            out["cell"] = self.cell
        return out
