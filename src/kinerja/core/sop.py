"""The SOP definition, read from its TOML file into frozen dataclasses.

Everything that is a fact of the SOP (steps, lanes, times, sign-offs, sheets, tables,
names, lists, predicate bands, defaults) lives in ``definitions/<sop id>.toml``; the
template, the validator and the docs read it through this module, so adding a column or
a second SOP is data, not code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

DEFAULT_SOP = "musrenbangcam-partisipasi-delegasi"
CATALOGUE = "catalogue.toml"

# formula: Excel computes it; tool: kinerja writes it (status lines); the rest are typed.
ValueType = Literal["text", "int", "number", "date", "time", "yesno", "choice", "nip", "formula", "tool"]
Symbol = Literal["start", "process", "decision", "end"]


@dataclass(frozen=True)
class Role:
    key: str
    peran: str  # the contract's word, as typed in tblPejabat[Peran]
    lane: str  # lane heading of the SOP table
    jabatan: str  # default title; an office may write its own in tblPejabat[Jabatan]


@dataclass(frozen=True)
class Decision:
    """The diamond of a step: the question, its answers, and where "no" loops back to."""

    question: str
    yes: str
    no: str
    no_goes_to: int
    no_label: str
    met_at: float = 100  # capaian (%) from which the answer is yes


@dataclass(frozen=True)
class Step:
    no: int
    activity: str
    short: str
    lanes: tuple[str, ...]
    symbol: Symbol
    inputs: str
    minutes: int
    time: str
    output: str
    note: str = ""
    hands_to: str | None = None
    decision: Decision | None = None
    lane_labels: tuple[str, ...] = ()  # a step drawn in several lanes: one label per symbol


@dataclass(frozen=True)
class SignoffDecision:
    text: str
    next: str | None = None
    returns_to: str | None = None
    final: bool = False


@dataclass(frozen=True)
class Signoff:
    key: str
    label: str
    steps: tuple[int, ...]
    role: str
    condition: str
    decisions: tuple[SignoffDecision, ...]


@dataclass(frozen=True)
class Sheet:
    name: str
    kind: Literal["guide", "settings", "step", "ledger", "results", "meta"]
    holds: str
    step: int | None = None
    filled_by: tuple[str, ...] = ()
    orientation: Literal["portrait", "landscape"] = "portrait"  # on A4, one page wide


@dataclass(frozen=True)
class ListDef:
    key: str
    values: tuple[str, ...] = ()
    source: str | None = None  # a table column, e.g. "tblDesa[Desa/Kelurahan]"
    unknown_code: str = "NILAI_PILIHAN"  # the finding for a value not in the list

    @property
    def defined_name(self) -> str:
        return f"lst_{self.key}"


@dataclass(frozen=True)
class RequiredWhen:
    column: str
    equals: str


@dataclass(frozen=True)
class Requirement:
    """When a value must be filled: always, never, when the IKU target is missed (the
    SOP's consultation loop), or once a sign-off is recorded (its step is due)."""

    kind: Literal["always", "never", "target_missed", "signed"]
    signoff: str | None = None

    @classmethod
    def parse(cls, value: bool | str) -> Requirement:
        if value is True or value is False:
            return cls("always" if value else "never")
        if value == "target_missed":
            return cls("target_missed")
        if isinstance(value, str) and value.startswith("signed:"):
            return cls("signed", value.removeprefix("signed:"))
        raise ValueError(f"unknown requirement {value!r}")


@dataclass(frozen=True)
class NameDef:
    """A single-value input or computed cell, reached by a workbook-scoped defined name."""

    name: str
    sheet: str
    label: str
    type: ValueType
    required: bool | str = False  # as written in the definition; read `requirement`
    group: str = ""
    list: str | None = None
    min: float | None = None
    max: float | None = None
    prompt: str = ""
    number_format: str | None = None
    height: float | None = None  # row height (points) for a value of several lines
    initial: str = ""  # what a new workbook shows in a tool-written cell
    extension: bool = False  # added within contract v1: an older workbook may lack it

    @property
    def is_input(self) -> bool:
        return self.type not in ("formula", "tool")

    @property
    def requirement(self) -> Requirement:
        return Requirement.parse(self.required)


@dataclass(frozen=True)
class Column:
    header: str
    type: ValueType
    required: bool = False
    required_when: RequiredWhen | None = None
    list: str | None = None
    unique: bool = False
    min: float | None = None
    max: float | None = None
    width: float = 12
    prompt: str = ""
    number_format: str | None = None
    signed: bool = True  # part of the content a sign-off signs (D15)

    @property
    def is_input(self) -> bool:
        return self.type not in ("formula", "tool")


@dataclass(frozen=True)
class Beside:
    """A column right of a table, outside it, never read as data (pictures, the chart's
    target, the approval page's fingerprints, the paper sign-in's signatures)."""

    header: str
    width: float


@dataclass(frozen=True)
class Totals:
    """The total a table shows on paper, in the row right above its header (D5 leaves
    no room below): the number of filled rows beside ``label``, sums, a percentage."""

    label: str
    count: str = ""  # what the rows are, after their number: "15 desa/kelurahan"
    sum: tuple[str, ...] = ()
    percent: dict[str, str] | None = None  # column, part, whole: part x 100 / whole


@dataclass(frozen=True)
class TableDef:
    name: str
    sheet: str
    kind: Literal["input", "computed", "tool"]
    rows: int  # pre-sized data rows (D5)
    title: str
    columns: tuple[Column, ...]
    min_rows: int = 0
    beside: tuple[Beside, ...] = ()
    totals: Totals | None = None
    paper_rows: int = 0  # blank rows an empty table prints (a list to fill in by hand)
    row_height: float | None = None  # points, the least a data row is high
    rows_from: str | None = None  # a computed table whose row i shows this table's row i

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, header: str) -> Column:
        for c in self.columns:
            if c.header == header:
                return c
        raise KeyError(f"{self.name} has no column {header!r}")

    @property
    def input_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.is_input)


@dataclass(frozen=True)
class Band:
    lower: float
    label: str


@dataclass(frozen=True)
class Sop:
    id: str
    contract_version: int
    title: str
    short_title: str
    basis: str
    roles: tuple[Role, ...]
    steps: tuple[Step, ...]
    signoffs: tuple[Signoff, ...]
    sheets: tuple[Sheet, ...]
    lists: dict[str, ListDef]
    names: tuple[NameDef, ...]
    tables: tuple[TableDef, ...]
    predikat: tuple[Band, ...]
    defaults: dict[str, Any]
    limits: dict[str, Any] = field(default_factory=dict)

    # Look-ups by key; each raises KeyError for a name the definition does not hold,
    # so a typo in code fails its first test instead of reading nothing.
    def role(self, key: str) -> Role:
        return _find(self.roles, "key", key)

    def role_by_peran(self, peran: str) -> Role:
        return _find(self.roles, "peran", peran)

    def step(self, no: int) -> Step:
        return _find(self.steps, "no", no)

    def signoff(self, key: str) -> Signoff:
        return _find(self.signoffs, "key", key)

    def sheet(self, name: str) -> Sheet:
        return _find(self.sheets, "name", name)

    def table(self, name: str) -> TableDef:
        return _find(self.tables, "name", name)

    def name(self, name: str) -> NameDef:
        return _find(self.names, "name", name)

    def list_values(self, key: str) -> tuple[str, ...]:
        return self.lists[key].values

    def names_on(self, sheet: str) -> tuple[NameDef, ...]:
        return tuple(n for n in self.names if n.sheet == sheet)

    def tables_on(self, sheet: str) -> tuple[TableDef, ...]:
        return tuple(t for t in self.tables if t.sheet == sheet)

    @property
    def target_met_at(self) -> float:
        """The capaian (%) from which the SOP's decision says the target is met."""
        return next(s.decision.met_at for s in self.steps if s.decision)

    @property
    def placeholders(self) -> dict[str, str]:
        """Defaults that only say what belongs in a cell, "(nama kecamatan)": a text default
        in parentheses. `kinerja new` writes them; the validator refuses them until replaced."""
        return {
            name: value
            for name, value in self.defaults.items()
            if isinstance(value, str) and value.startswith("(") and value.endswith(")")
        }

    @property
    def total_minutes(self) -> int:
        """The SOP's mutu baku waktu: the sum of its steps' standard times."""
        return sum(s.minutes for s in self.steps)

    def signoff_index(self, key: str) -> int:
        return [s.key for s in self.signoffs].index(key)

    def step_sheets(self, no: int) -> tuple[Sheet, ...]:
        return tuple(s for s in self.sheets if s.kind == "step" and s.step == no)

    def performer_label(self, step: Step) -> str:
        """Who does a step, as the SOP row shows it: "Kasi Ekbang → Sub. Evapor"."""
        lanes = [self.role(k).peran for k in step.lanes]
        if step.hands_to:
            lanes.append(self.role(step.hands_to).peran)
        return " → ".join(lanes)


def _find(items, attr: str, value):
    for item in items:
        if getattr(item, attr) == value:
            return item
    raise KeyError(f"the SOP definition has no {attr} {value!r}")


@cache
def load(sop_id: str = DEFAULT_SOP) -> Sop:
    """Read and check a definition; cached, since every command needs the same one."""
    text = resources.files("kinerja.core.definitions").joinpath(f"{sop_id}.toml").read_text("utf-8")
    return parse(tomllib.loads(text))


def available() -> tuple[str, ...]:
    """The ids of the SOP definitions this installation holds (one TOML file each; the
    catalogue of texts is not one)."""
    folder = resources.files("kinerja.core.definitions")
    return tuple(
        sorted(
            f.name.removesuffix(".toml") for f in folder.iterdir() if f.name.endswith(".toml") and f.name != CATALOGUE
        )
    )


def find(template_id: str | None) -> Sop | None:
    """The definition a workbook's ``_meta`` template_id names, or None when this
    installation has none by that id (an id from a file is never used as a path)."""
    return load(template_id) if template_id in available() else None


def parse(data: dict[str, Any]) -> Sop:
    roles = tuple(Role(**r) for r in data["roles"])
    steps = tuple(_step(s) for s in data["steps"])
    signoffs = tuple(
        Signoff(
            key=s["key"],
            label=s["label"],
            steps=tuple(s["steps"]),
            role=s["role"],
            condition=s["condition"],
            decisions=tuple(SignoffDecision(**d) for d in s["decisions"]),
        )
        for s in data["signoffs"]
    )
    lists = {
        k: ListDef(
            key=k,
            values=tuple(v.get("values", ())),
            source=v.get("source"),
            unknown_code=v.get("unknown_code", "NILAI_PILIHAN"),
        )
        for k, v in data["lists"].items()
    }
    # Lists that the workflow itself defines are derived, never typed twice.
    lists["peran"] = ListDef("peran", tuple(r.peran for r in roles))
    lists["langkah"] = ListDef("langkah", tuple(s.label for s in signoffs))
    decision_words: dict[str, None] = {}
    for so in signoffs:
        for d in so.decisions:
            decision_words.setdefault(d.text)
    lists["keputusan"] = ListDef("keputusan", tuple(decision_words))

    sop = Sop(
        id=data["sop"]["id"],
        contract_version=int(data["sop"]["contract_version"]),
        title=data["sop"]["title"],
        short_title=data["sop"]["short_title"],
        basis=data["sop"]["basis"],
        roles=roles,
        steps=steps,
        signoffs=signoffs,
        sheets=tuple(
            Sheet(
                name=s["name"],
                kind=s["kind"],
                holds=s["holds"],
                step=s.get("step"),
                filled_by=tuple(s.get("filled_by", ())),
                orientation=s.get("orientation", "portrait"),
            )
            for s in data["sheets"]
        ),
        lists=lists,
        names=tuple(NameDef(**n) for n in data["names"]),
        tables=tuple(_table(t) for t in data["tables"]),
        predikat=tuple(Band(lower=float(b["lower"]), label=b["label"]) for b in data["predikat"]),
        defaults=dict(data.get("defaults", {})),
        limits=dict(data.get("limits", {})),
    )
    _check(sop)
    return sop


def _step(s: dict[str, Any]) -> Step:
    s = dict(s)
    s["lanes"] = tuple(s["lanes"])
    s["lane_labels"] = tuple(s.get("lane_labels", ()))
    if "decision" in s:
        s["decision"] = Decision(**s["decision"])
    return Step(**s)


def _table(t: dict[str, Any]) -> TableDef:
    columns = []
    for c in t["columns"]:
        c = dict(c)
        if "required_when" in c:
            c["required_when"] = RequiredWhen(**c["required_when"])
        columns.append(Column(**c))
    totals = t.get("totals")
    return TableDef(
        name=t["name"],
        sheet=t["sheet"],
        kind=t["kind"],
        rows=int(t["rows"]),
        title=t["title"],
        columns=tuple(columns),
        min_rows=int(t.get("min_rows", 0)),
        beside=tuple(Beside(b["header"], float(b["width"])) for b in t.get("beside", ())),
        totals=Totals(**{**totals, "sum": tuple(totals.get("sum", ()))}) if totals else None,
        paper_rows=int(t.get("paper_rows", 0)),
        row_height=t.get("row_height"),
        rows_from=t.get("rows_from"),
    )


def _check(sop: Sop) -> None:
    """Fail loudly on a definition that contradicts itself (a typo in a data file)."""
    sheet_names = {s.name for s in sop.sheets}
    role_keys = {r.key for r in sop.roles}
    for s in sop.steps:
        for k in (*s.lanes, *([s.hands_to] if s.hands_to else [])):
            assert k in role_keys, f"step {s.no}: unknown role {k!r}"
    for so in sop.signoffs:
        assert so.role in role_keys, f"{so.key}: unknown role {so.role!r}"
        for d in so.decisions:
            for target in (d.next, d.returns_to):
                assert target is None or any(x.key == target for x in sop.signoffs), f"{so.key}: unknown {target!r}"
    for item in (*sop.names, *sop.tables):
        assert item.sheet in sheet_names, f"{item.name}: unknown sheet {item.sheet!r}"
    for n in sop.names:
        assert n.list is None or n.list in sop.lists, f"{n.name}: unknown list {n.list!r}"
        requirement = n.requirement  # raises on a misspelt requirement
        assert requirement.signoff is None or any(x.key == requirement.signoff for x in sop.signoffs), n.name
        assert len(n.prompt) <= 255, f"{n.name}: input message longer than Excel's 255 characters (D9)"
    for s in sop.sheets:
        assert s.orientation in ("portrait", "landscape"), f"{s.name}: orientation {s.orientation!r}"
    for t in sop.tables:
        assert t.rows >= 1, f"{t.name}: a table needs at least one data row (D9)"
        assert t.paper_rows <= t.rows, f"{t.name}: paper_rows beyond the table"
        assert t.rows_from is None or any(x.name == t.rows_from for x in sop.tables), f"{t.name}: rows_from"
        if t.totals:
            named = [*t.totals.sum, *((t.totals.percent or {}).values())]
            assert all(h in t.headers for h in named), f"{t.name}: totals name a column it does not have"
        for c in t.columns:
            assert c.list is None or c.list in sop.lists, f"{t.name}[{c.header}]: unknown list {c.list!r}"
            assert len(c.prompt) <= 255, f"{t.name}[{c.header}]: input message longer than 255 characters (D9)"
