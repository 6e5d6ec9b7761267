"""The human-readable report: findings grouped by sheet, then the IKU figures.

Rendered with rich, which degrades to plain text when stdout is not a terminal (a log
file, a pipe); the JSON output (--json) is the machine's view of the same Laporan.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kinerja.core.findings import Laporan, Level, text
from kinerja.core.formatting import format_number

if TYPE_CHECKING:
    from kinerja.xlsx.edit import Committed


class Words:
    """The report's words, from the catalogue (D31): ``_WORDS[lang]["file"]`` is the text
    KATA_FILE in that language, its {placeholders} left for the caller."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __getitem__(self, lang: str) -> _Lang:
        return _Lang(self.prefix, lang)


class _Lang:
    def __init__(self, prefix: str, lang: str):
        self.prefix, self.lang = prefix, lang

    def __getitem__(self, key: str) -> str:
        return self(key)

    def __call__(self, key: str, **params: object) -> str:
        """The word or sentence, its placeholders filled (plurals included)."""
        return text(self.prefix + key.upper()).render(params, self.lang)[0]


_STYLE = {Level.GALAT: "bold red", Level.PERINGATAN: "yellow", Level.INFO: "cyan"}
_WORDS = Words("KATA_")


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def print_laporan(laporan: Laporan, lang: str = "id", written: Committed | None = None) -> None:
    console = _console()
    words = _WORDS[lang]
    console.print(f"[bold]{words['file']}:[/] {laporan.file}")
    current = None
    for finding in laporan.findings:  # in workbook order since the report was made
        if finding.sheet != current:
            current = finding.sheet
            console.print(f"\n[bold underline]{words['sheet']} {current}[/]")
        message, fix = finding.render(lang)
        level = finding.level
        step = f" ({words['step']} {finding.step})" if finding.step else ""
        console.print(
            f"  [{_STYLE[level]}]{level.label(lang):<10}[/] {finding.cell:>6}  {message} [dim]{finding.code}{step}[/]"
        )
        console.print(f"  {'':<10} {'':>6}  [dim]{words['fix']}:[/] {fix}")
    console.print()
    print_iku(laporan, lang, console)
    counts = ", ".join(f"{laporan.count(lv)} {lv.label(lang)}" for lv in Level)
    verdict = f"[bold red]{counts}[/]" if laporan.has_errors else f"[bold green]{words['ok']}[/] ({counts})"
    console.print(verdict)
    if written:
        console.print(words["written"])
        if written.backup:
            console.print(words("backup", path=written.backup))


def print_iku(laporan: Laporan, lang: str, console=None) -> None:
    console = console or _console()
    words = _WORDS[lang]
    iku = laporan.iku
    if iku is None:
        return

    def pct(value: float | None) -> str:
        return f"{format_number(value, lang)} %" if value is not None else words["none"]

    def count(value: int | None) -> str:
        return str(value) if value is not None else words["none"]

    console.print(
        f"[bold]IKU[/]  {words['invited']}: {count(iku.invited)}   {words['present']}: {count(iku.present)}   "
        f"{words['realisasi']}: {pct(iku.realisasi)}   {words['capaian']}: {pct(iku.capaian)}   "
        f"{words['predikat']}: {iku.predikat or words['none']}"
    )


def print_demo(result, lang: str = "id") -> None:
    console = _console()
    words = _WORDS[lang]
    console.print(f"[bold]{words['demo']}:[/] {result.path}")
    console.print(words["stages"])
    for stage in result.stages:
        console.print(f"  {stage}")
    console.print()
    print_status(result.path, result.verified, lang)
    console.print()
    print_laporan(result.laporan, lang)


# ---------------------------------------------------------------------- the ledger
_LEDGER_WORDS = Words("KATA_TTD_")
_STATUS_STYLE = {
    "valid": "green",
    "unsigned": "yellow",
    "data_changed": "bold red",
    "forged": "bold red",
    "chain_broken": "bold red",
}


def confirm_sign(preview, lang: str = "id") -> bool:
    words = _LEDGER_WORDS[lang]
    key = words("with_key", fingerprint=preview.fingerprint) if preview.fingerprint else words["without_key"]
    question = words(
        "confirm",
        langkah=preview.langkah,
        peran=preview.peran,
        nama=preview.nama,
        nip=preview.nip,
        keputusan=preview.keputusan,
        key=key,
    )
    answer = input(question + " ").strip().casefold()
    return answer in ("y", "ya", "yes")


def _status_word(status: str, lang: str) -> str:
    from kinerja.core.findings import text

    return text(f"STATUS_KATA_{status.upper()}").render({}, lang)[0]


def _line_json(line, result, lang: str) -> dict:
    return {
        "no": line.no,
        "step": line.langkah,
        "role": line.peran,
        "name": line.nama,
        "nip": line.nip,
        "decision": line.keputusan,
        "note": line.catatan,
        "time": result.row.waktu,
        "status": result.status,
        "reason": result.reason(lang) or None,
        "changed": [c.address for c in result.changed],
        "fingerprint": line.fingerprint or None,
        "minutes_taken": line.taken_minutes,
        "minutes_standard": line.standard_minutes,
    }


def _state_json(status) -> dict:
    return {
        "final": status.final,
        "due": status.due_label,
        "role": status.due_peran,
        "officials": list(status.due_names),
    }


def status_json(verified, lang: str = "id") -> dict:
    v, s = verified.verification, verified.status
    return {
        "state": "final" if s.final else s.due_label,
        "next": _state_json(s),
        "rows": [_line_json(line, r, lang) for line, r in zip(s.lines, v.rows)],
    }


def verify_json(verified, lang: str = "id") -> dict:
    doc = status_json(verified, lang)
    doc["valid"] = verified.verification.ok
    doc["roster"] = verified.verification.roster
    return doc


def signed_json(signed, lang: str = "id") -> dict:
    s = signed.status
    return {
        "row": signed.row.cells(),
        "state": "final" if s.final else s.due_label,
        "next": _state_json(s),
        "backup": str(signed.written.backup) if signed.written.backup else None,
    }


def print_status(path: Path, verified, lang: str = "id") -> None:
    from kinerja.ledger.status import format_duration, format_moment

    console = _console()
    words = _LEDGER_WORDS[lang]
    s = verified.status
    console.print(f"[bold]{_WORDS[lang]['file']}:[/] {path}")
    console.print(f"[bold]{words['stage']}:[/] {s.stage(lang)}")
    if not s.lines:
        console.print(words["none"])
        return
    console.print(f"\n[bold underline]{words['signoffs']}[/]")
    for line, result in zip(s.lines, verified.verification.rows):
        style = _STATUS_STYLE[line.status]
        took = f"{words['taken']} {format_duration(line.taken_minutes, lang)} / {words['standard']} {format_duration(line.standard_minutes, lang)}"
        console.print(
            f"  {line.no:>2}. {line.langkah:<18} {line.keputusan:<28} {line.nama} · "
            f"{format_moment(line.time, s.zone, lang)}  [dim]{took}[/]  [{style}]{_status_word(line.status, lang)}[/]"
        )
        if result.code and line.status != "valid":
            console.print(f"      [dim]{result.reason(lang)}[/]")


def print_verify(path: Path, verified, lang: str = "id") -> None:
    console = _console()
    words = _LEDGER_WORDS[lang]
    v = verified.verification
    print_status(path, verified, lang)
    console.print()
    if not v.rows:
        console.print(f"[bold red]{words['empty']}[/]")
        return
    bad = v.failing
    if bad:
        console.print(f"[bold red]{words('bad', bad=len(bad), count=len(v.rows))}[/]")
        for r in bad:
            console.print(f"  [red]{r.row.no}. {_status_word(r.status, lang)}[/]: {r.reason(lang)}")
    else:
        console.print(f"[bold green]{words['ok']}[/]")
    if any(r.status == "unsigned" for r in v.rows):
        console.print(words["no_identity"])
    console.print(words("roster", roster=v.roster) if v.roster else words["no_roster"])
    console.print(f"[dim]{words['tail']}[/]")


def print_signed(path: Path, signed, lang: str = "id") -> None:
    console = _console()
    words = _LEDGER_WORDS[lang]
    line = signed.status.lines[-1]
    console.print(f"[bold]{words['signed']}:[/] {signed.status.line_text(line, lang)}")
    console.print(f"[bold]{words['stage']}:[/] {signed.status.stage(lang)}")
    console.print(f"{words['written']}: {path}")
    if signed.written.backup:
        console.print(words("backup", path=signed.written.backup))


def diff_json(changes) -> list[dict]:
    from kinerja.core.digest import shown

    return [
        {"sheet": c.sheet, "cell": c.cell, "old": shown(c.old) or None, "new": shown(c.new) or None} for c in changes
    ]


def print_diff(old: Path, new: Path, changes, lang: str = "id") -> None:
    from kinerja.core.digest import shown

    console = _console()
    words = _LEDGER_WORDS[lang]
    if not changes:
        console.print(words["same"])
        return
    console.print(f"[bold]{words('changes', count=len(changes))}[/] ({old} → {new})")
    current = None
    for c in changes:
        if c.sheet != current:
            current = c.sheet
            console.print(f"\n[bold underline]{_WORDS[lang]['sheet']} {current}[/]")
        before = shown(c.old) or words["empty_value"]
        after = shown(c.new) or words["empty_value"]
        console.print(f"  {c.cell:>6}  {words['old']}: {before}  →  {words['new']}: {after}")


def key_json(info) -> dict:
    return {
        "role": info.peran,
        "name": info.nama,
        "nip": info.nip,
        "fingerprint": info.fingerprint,
        "public_key": info.public_key,
        "created": info.created,
        "passphrase": info.encrypted,
    }


def print_new_key(info, folder: Path, lang: str = "id") -> None:
    words = _LEDGER_WORDS[lang]
    print(words("key_made", peran=info.peran, nama=info.nama, nip=info.nip, folder=folder))
    print(words["key_next"])
    print(info.fingerprint)  # the last line, for tblPejabat[Sidik Kunci]


def print_keys(found, folder: Path, lang: str = "id") -> None:
    words = _LEDGER_WORDS[lang]
    if not found:
        print(words("keys_none", folder=folder))
        return
    print(words("keys_in", folder=folder))
    for k in found:
        flag = f" ({words['passphrase']})" if k.encrypted else ""
        print(f"  {k.fingerprint}  {k.peran:<12} {k.nama} · NIP {k.nip} · {k.created}{flag}")


# ---------------------------------------------------------------------- the roll-up
def rekap_progress(lang: str = "id"):
    """A progress bar on stderr while the files are checked (none when stderr is not a
    terminal: a log keeps only the summary). Yields the callback services.rekap calls."""
    import contextlib

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from kinerja.core.findings import text

    console = Console(stderr=True)

    @contextlib.contextmanager
    def bar():
        if not console.is_terminal:
            yield None
            return
        label = text("REKAP_PROGRES").render({}, lang)[0]
        with Progress(
            TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console, transient=True
        ) as progress:
            task = progress.add_task(label, total=None)

            def update(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            yield update

    return bar()


def print_rekap(rekap, path: Path, lang: str = "id") -> None:
    from kinerja.core.findings import text

    console = _console()
    console.print(text("REKAP_RINGKASAN").render(rekap.stats, lang)[0])
    for r in rekap.unreadable:
        message, _ = r.unreadable.render(lang)
        console.print(f"  [red]{r.file}[/]: {message}")
    console.print(text("REKAP_DITULIS").render({"path": str(path)}, lang)[0])


# ---------------------------------------------------------------------- kinerja cetak
def printed_json(printed, lang: str = "id") -> dict:
    """The evidence pack: where it is, what it holds, and the checks at print time."""
    return {
        "pdf": str(printed.path),
        "pages": printed.pages,
        "sheets": list(printed.sheets),
        "workbook_id": printed.workbook_id,
        "digest": printed.digest,
        "ledger": verify_json(printed.verified, lang),
        "findings": printed.laporan.to_json(lang)["findings"],
    }


def print_printed(file: Path, printed, lang: str = "id") -> None:
    from kinerja.core.findings import text

    console = _console()
    message, fix = text("CETAK_SELESAI").render(
        {
            "path": str(printed.path),
            "pages": printed.pages,
            "sheets": ", ".join(printed.sheets),
            "workbook_id": printed.workbook_id,
            "digest": printed.digest,
        },
        lang,
    )
    console.print(message)
    console.print(f"  {printed.verification_line}")
    counts = {level: printed.laporan.count(level) for level in Level}
    console.print(f"  {' · '.join(f'{n} {level.label(lang)}' for level, n in counts.items())}")
    console.print(f"  [dim]{fix}[/]")
