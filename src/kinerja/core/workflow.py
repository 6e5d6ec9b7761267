"""The SOP's workflow as a state machine, read from the definition's [[signoffs]].

The state is the sign-off that is due next (or none: the workbook is final). A decision
either passes the workbook on (`next`), reopens an earlier sign-off (`returns_to`, the
SOP's loop), or closes it (`final`). Which sheets are locked follows from the state
alone: a sheet locks once every sign-off covering its step lies behind the one due, so a
return unlocks exactly the stages it reopens, and the final state locks everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kinerja.core.sop import Signoff, SignoffDecision, Sop


@dataclass(frozen=True)
class State:
    due: Signoff | None  # None: final (archived)

    @property
    def final(self) -> bool:
        return self.due is None


def start(sop: Sop) -> State:
    return State(sop.signoffs[0])


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def signoff_by_label(sop: Sop, label: str) -> Signoff | None:
    """A ledger row's `Langkah`, as the workflow table writes it."""
    return next((s for s in sop.signoffs if _words(s.label) == _words(label)), None)


def decision(signoff: Signoff, text: str) -> SignoffDecision | None:
    """A decision of this sign-off, matched as a user types it: case and spacing aside."""
    return next((d for d in signoff.decisions if _words(d.text) == _words(text)), None)


def advance(sop: Sop, chosen: SignoffDecision) -> State:
    if chosen.final:
        return State(None)
    target = chosen.next or chosen.returns_to
    return State(sop.signoff(target)) if target else State(None)


@dataclass(frozen=True)
class Step:
    """One ledger row replayed: the state before it, and after it when it is the sign-off
    that was due with one of its decisions (None otherwise)."""

    before: State
    after: State | None
    signoff: Signoff | None
    decision: SignoffDecision | None


def replay(sop: Sop, rows: Iterable[tuple[str, str]]) -> list[Step]:
    """(Langkah, Keputusan) of each row, in order; a row out of turn leaves the state
    where it was, so the rows after it are judged against what was really due."""
    state = start(sop)
    out = []
    for label, text in rows:
        signoff = signoff_by_label(sop, label)
        chosen = decision(signoff, text) if signoff else None
        if state.final or signoff is None or chosen is None or signoff.key != state.due.key:
            out.append(Step(state, None, signoff, chosen))
            continue
        after = advance(sop, chosen)
        out.append(Step(state, after, signoff, chosen))
        state = after
    return out


def current(sop: Sop, rows: Iterable[tuple[str, str]]) -> State:
    steps = replay(sop, rows)
    for step in reversed(steps):
        if step.after is not None:
            return step.after
    return start(sop)


def input_sheets(sop: Sop) -> tuple[str, ...]:
    """Sheets that hold inputs of an SOP step (the step sheets and Referensi)."""
    return tuple(s.name for s in sop.sheets if s.step is not None)


def locked_sheets(sop: Sop, state: State) -> set[str]:
    """Input sheets staff may no longer change in this state."""
    if state.final:
        return set(input_sheets(sop))
    due = sop.signoff_index(state.due.key)
    locked = set()
    for sheet in sop.sheets:
        if sheet.step is None:
            continue
        covering = [i for i, so in enumerate(sop.signoffs) if sheet.step in so.steps]
        if covering and max(covering) < due:
            locked.add(sheet.name)
    return locked
