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
from dataclasses import InitVar, dataclass, field
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
    section: str = "findings"  # errors (exit 2) | reasons (of an error) | findings | texts (written into the workbook)
    of: str | None = None  # reasons only: the error code this reason refines

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
    for section in ("errors", "reasons", "findings", "texts"):
        for code, entry in raw[section].items():
            level = Level(entry["level"]) if "level" in entry else None
            texts[code] = Text(
                code,
                entry["pesan"],
                entry["perbaikan"],
                entry["message"],
                entry["fix"],
                level,
                section,
                entry.get("of"),
            )
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
    target: float | None = None  # the inputs capaian was measured against (iku_target, iku_arah)
    arah: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "invited": self.invited,
            "present": self.present,
            "realisasi": json_number(self.realisasi),
            "capaian": json_number(self.capaian),
            "predikat": self.predikat,
        }


def json_number(x: Fraction | None) -> float | None:
    """A JSON number with 4 decimals, rounded as Excel shows it."""
    return None if x is None else float(rounded(x, 4))


@dataclass(frozen=True)
class Counts:
    """Findings per level, as frictionless counts errors per task: adding two gives the
    counts of both (a roll-up's totals)."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> Counts:
        levels = [f.level for f in findings]
        return cls(levels.count(Level.GALAT), levels.count(Level.PERINGATAN), levels.count(Level.INFO))

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.errors + other.errors, self.warnings + other.warnings, self.infos + other.infos)

    def get(self, level: Level) -> int:
        return {Level.GALAT: self.errors, Level.PERINGATAN: self.warnings, Level.INFO: self.infos}[level]

    def to_json(self) -> dict[str, int]:
        return {"errors": self.errors, "warnings": self.warnings, "infos": self.infos}


@dataclass(frozen=True)
class Identity:
    """Which workbook a report is about, as its Referensi and ``_meta`` say: the SOP
    (``template_id``, by which a roll-up looks up the definition), the kecamatan and
    year a regency counts it for, and the ``workbook_id`` the ledger signs. A value the
    workbook leaves empty (or that cannot be read) is None."""

    template_id: str | None = None
    kecamatan: str | None = None
    kabupaten: str | None = None
    tahun: int | None = None
    workbook_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "template_id": self.template_id,
            "kecamatan": self.kecamatan,
            "kabupaten": self.kabupaten,
            "year": self.tahun,
            "workbook_id": self.workbook_id,
        }


@dataclass(frozen=True)
class LedgerState:
    """Where the sign-off ledger stands and whether it verifies (the ledger's own
    verification, condensed for a report). ``progress`` is how far the rows that verify
    carry the workflow: the index of the sign-off they leave due (0: nothing signed yet),
    or the number of sign-offs once final; a roll-up keeps, of two copies of a workbook,
    the one furthest along (D20), so a forged row never moves a copy ahead."""

    rows: int  # ledger rows
    due: str | None  # the label of the sign-off due next; None: final
    due_role: str | None  # who signs it (the contract's Peran)
    final: bool
    verified: bool  # at least one row, and every row valid or unsigned (an empty ledger proves nothing)
    failing: tuple[int, ...]  # the rows that do not verify
    progress: int

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "state": "final" if self.final else self.due,
            "role": self.due_role,
            "final": self.final,
            "valid": self.verified,
            "failing": list(self.failing),
            "progress": self.progress,
        }


@dataclass(frozen=True)
class Unreadable:
    """The typed outcome of a file that could not be read at all (frictionless'
    resource error): the coded error, kept as data so that it crosses a process
    boundary and renders in either language like any finding."""

    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    sheet: str | None = None
    cell: str | None = None

    @classmethod
    def of(cls, error: KinerjaError) -> Unreadable:
        return cls(error.code, dict(error.params), error.sheet, error.cell)

    def error(self) -> KinerjaError:
        return KinerjaError(self.code, self.sheet, self.cell, **self.params)

    def render(self, lang: str = "id") -> tuple[str, str]:
        return self.error().render(lang)

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        return self.error().to_json(lang)


def sort_findings(findings: Sequence[Finding], sheet_order: Sequence[str] = ()) -> list[Finding]:
    """In the workbook's sheet order, then by row and column, then by severity."""
    order = {name: i for i, name in enumerate(sheet_order)}
    return sorted(
        findings,
        key=lambda f: (order.get(f.sheet, len(order)), f.sheet, cell_sort_key(f.cell), f.level.rank, f.code),
    )


# What Laporan.flatten and Rekap.flatten can put in a row (frictionless' flatten spec).
FLAT_KEYS = (
    "file",
    "template_id",
    "kecamatan",
    "kabupaten",
    "year",
    "workbook_id",
    "code",
    "level",
    "step",
    "sheet",
    "cell",
    "message",
    "fix",
)


@dataclass
class Laporan:
    """The report of one workbook (frictionless' task): which workbook it is, its
    findings (sorted once, when the report is made: every output shows them in workbook
    order), the counts per level, the IKU figures and the ledger's state; or, for a file
    that could not be read, that outcome with its coded error and nothing else."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    iku: IkuFigures | None = None
    identity: Identity = field(default_factory=Identity)
    ledger: LedgerState | None = None
    unreadable: Unreadable | None = None
    sheet_order: InitVar[Sequence[str]] = ()

    def __post_init__(self, sheet_order: Sequence[str]) -> None:
        self.findings = sort_findings(self.findings, sheet_order)

    @property
    def counts(self) -> Counts:
        return Counts.of(self.findings)

    @classmethod
    def of_unreadable(cls, file: str, error: KinerjaError) -> Laporan:
        return cls(file, unreadable=Unreadable.of(error))

    @property
    def readable(self) -> bool:
        return self.unreadable is None

    @property
    def valid(self) -> bool:
        """Read, and no Galat (frictionless' ``valid``)."""
        return self.readable and not self.has_errors

    def count(self, level: Level) -> int:
        return self.counts.get(level)

    @property
    def has_errors(self) -> bool:
        return self.counts.errors > 0

    def sorted(self, sheet_order: Sequence[str] = ()) -> list[Finding]:
        """The findings; already in workbook order unless another order is given."""
        return sort_findings(self.findings, sheet_order) if sheet_order else list(self.findings)

    def flatten(self, spec: Sequence[str] = ("sheet", "cell", "code"), lang: str = "id") -> list[list[Any]]:
        """One plain row per finding with the values ``spec`` names (FLAT_KEYS), as
        frictionless' ``report.flatten(["rowNumber", "fieldNumber", "type"])``; a file that
        could not be read is one row with its error code."""
        unknown = [k for k in spec if k not in FLAT_KEYS]
        if unknown:
            raise KeyError(f"flatten: unknown keys {unknown}; known: {FLAT_KEYS}")
        base = {"file": self.file, **self.identity.to_json()}
        if self.unreadable is not None:
            message, fix = self.unreadable.render(lang)
            items = [{"code": self.unreadable.code, "level": "error", "message": message, "fix": fix}]
        else:
            items = [f.to_json(lang) for f in self.findings]
        return [[{**base, **item}.get(k) for k in spec] for item in items]

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        """`validate --json`'s document: ``file``, ``iku`` and ``findings`` as they always
        were, then the workbook's identity, the ledger's state and the counts (fields are
        only ever added, never renamed); an unreadable file adds its ``error``."""
        doc: dict[str, Any] = {
            "file": self.file,
            "iku": self.iku.to_json() if self.iku else None,
            "findings": [f.to_json(lang) for f in self.findings],
            "workbook": self.identity.to_json(),
            "ledger": self.ledger.to_json() if self.ledger else None,
            "counts": self.counts.to_json(),
        }
        if self.unreadable is not None:
            doc["error"] = self.unreadable.to_json(lang)
        return doc


class KinerjaError(Exception):
    """The workbook (or a command's input) cannot be used at all: exit 2, one message.

    ``reason`` names the cause more precisely (D31: "truncated zip", "a CSV in
    Windows-1252" …) with a code of its own from the catalogue's ``reasons``; its text
    becomes the error's ``{reason}`` and its fix, when it has one, replaces the error's.
    Codes are checked here, when the error is made (strict in the tests)."""

    def __init__(
        self, code: str, sheet: str | None = None, cell: str | None = None, reason: str | None = None, **params: Any
    ):
        check_code(code, "errors")
        if (
            reason is not None
            and os.environ.get(STRICT)
            and (catalogue().get(reason) is None or text(reason).of != code)
        ):
            raise KeyError(f"{reason} is not a reason of {code} in the catalogue")
        self.code = code
        self.sheet = sheet
        self.cell = cell
        self.reason = reason
        self.params = params
        super().__init__(code if reason is None else f"{code}/{reason}")

    def render(self, lang: str = "id") -> tuple[str, str]:
        params = {"sheet": self.sheet or "", "cell": self.cell or "", **self.params}
        if self.reason is None:
            return text(self.code).render(params, lang)
        because, reason_fix = text(self.reason).render(params, lang)
        message, fix = text(self.code).render({**params, "reason": because}, lang)
        return message, reason_fix or fix

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        message, fix = self.render(lang)
        out: dict[str, Any] = {"code": self.code}
        if self.reason:
            out["reason"] = self.reason
        out |= {"message": message, "fix": fix}
        if self.sheet:
            out["sheet"] = self.sheet
        if self.cell:
            out["cell"] = self.cell
        return out
