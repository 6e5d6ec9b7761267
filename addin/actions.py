"""The three buttons, on a live xlwings Book: Validasi, Tanda Tangan, Status.

Each action takes the Book the click came from (``xlwings.Book.caller()`` on the desktop,
the Book a script receives on xlwings Server) and a host for what differs per route
(addin/host.py). The rules, the ledger and the presenter are the ones the command line
uses: the live workbook becomes a model through the same assembler (``BookSource``, D28),
the findings become rows and marks through ``kinerja.present``, and a sign-off is made by
``services.sign`` on the saved file, so no digest or workflow logic is written here.

Whatever goes wrong ends in a message box with the catalogue's message and fix, never a
Python traceback (``_reported``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kinerja.addin.book_source import BookSource
from kinerja.addin.host import Host, host_for
from kinerja.addin.writer import BookWriter

from kinerja.core import contract
from kinerja.core.cells import parse_a1
from kinerja.core.findings import LANGS, KinerjaError, Laporan, Level, text
from kinerja.core.meta import placements
from kinerja.core.model import WorkbookModel
from kinerja.core.source import Area

STATUS_LINES = 12  # the most sign-offs a Status box lists (the newest); the sheet has them all
# The most cells of an earlier record a run gives their colour back: far more than one run
# marks; a record someone inflated by hand cannot make a click write millions of colours.
MAX_RESTORED = 5_000


def lang() -> str:
    """The add-in speaks Indonesian unless KINERJA_LANG=en is set for the user."""
    chosen = os.environ.get("KINERJA_LANG", "id")
    return chosen if chosen in LANGS else "id"


def _t(code: str, **params: Any) -> str:
    return text(code).render(params, lang())[0]


# ====================================================================== Validasi
def validasi(book: Any, host: Host | None = None, *, now: dt.datetime | None = None) -> Any:
    """Check the open workbook as it is now, write Hasil Validasi (each Sel a link),
    mark the offending cells (unmarking the last run's), show the results sheet and a
    short summary."""
    host = host or host_for(book)
    with _reported(host, "ADDIN_JUDUL_VALIDASI"):
        target = host.target()
        checked = check_and_write(target, host, now=now)
        host.alert(validation_summary(checked), _t("ADDIN_JUDUL_VALIDASI"), mode=_mode(checked.laporan))
    return book


@dataclass(frozen=True)
class Checked:
    laporan: Laporan
    model: WorkbookModel
    summary: str  # hasil_ringkasan as written


def check_and_write(book: Any, host: Host, *, now: dt.datetime | None = None) -> Checked:
    """The Validasi button's work without its dialog (Tanda Tangan validates first)."""
    from kinerja.validators.engine import validate_model

    from kinerja import present
    from kinerja.core.assemble import assemble
    from kinerja.core.formatting import aware_now

    sop = contract.definition()
    source = BookSource(book)
    model = assemble(source, sop)
    laporan = validate_model(model, sop)
    zone = present.validation_zone(model)
    moment = now or aware_now(zone)
    summary = _t("ADDIN_RINGKASAN_RUTE", summary=present.summary_text(laporan, lang(), moment, zone))

    writer = BookWriter(book, host, present.locked_sheets(model, sop))
    _write_results(writer, model, laporan, summary)
    previous = present.Marks.parse(model.meta.get(contract.META_MARKED_CELLS))
    marks = present.marks(laporan, {s.name for s in model.sheets})
    _write_marks(writer, sop, model, marks, previous)
    _write_meta(writer, source, contract.META_MARKED_CELLS, _marks_record(sop, model, marks, previous))
    writer.commit()
    book.sheets[contract.HASIL_SHEET].activate()
    return Checked(laporan, model, summary)


def _write_results(writer: BookWriter, model: WorkbookModel, laporan: Laporan, summary: str) -> None:
    from kinerja import present

    table = model.tables[contract.HASIL_VALIDASI]
    rows = present.result_rows(laporan, len(table.rows), lang())
    block = [[rows[i].values.get(h) if i < len(rows) else None for h in table.headers] for i in range(len(table.rows))]
    linked_before = {r.row for r in table.rows if r.values.get("Sel") not in (None, "")}
    for i, data_row in enumerate(table.rows):
        sel = table.cell("Sel", data_row.row)
        if (i >= len(rows) or rows[i].link is None) and data_row.row in linked_before:
            writer.clear(table.sheet, sel)  # its old link would still lead somewhere
    writer.block(table.sheet, table.cell(table.headers[0], table.rows[0].row), block)
    for i, row in enumerate(rows):
        if row.link is not None:
            sel = table.cell("Sel", table.rows[i].row)
            cell = str(row.values["Sel"])
            writer.link(table.sheet, sel, row.link, cell, _t("ADDIN_TAUTAN_TIP", cell=cell))
    for name in (contract.HASIL_RINGKASAN, contract.STATUS_VALIDASI):
        cell = model.names.get(name)
        if cell is not None:
            writer.value(cell.sheet, cell.ref, summary)


def _write_marks(writer: BookWriter, sop, model: WorkbookModel, marks: list, previous) -> None:
    """Give the last run's cells their fill back, then colour this run's: the record in
    _meta says which (D23: a fill colour cannot be read back through xlwings)."""
    from kinerja import present

    present_sheets = {s.name for s in model.sheets}
    now = {(m.sheet, m.cell) for m in marks}
    earlier = [
        (sheet, ref)
        for sheet, cells in previous.cells.items()
        if sheet in present_sheets
        for ref in cells
        if (sheet, ref) not in now and _is_cell(ref)
    ]
    for sheet, ref in earlier[:MAX_RESTORED]:
        template = present.template_fill(sop, model, sheet, ref)
        writer.colour(sheet, ref, present.restored_rgb(previous.fill(sheet, ref), template))
    for mark in marks:
        writer.colour(mark.sheet, mark.cell, present.MARK_RGB[mark.level])


def _marks_record(sop, model: WorkbookModel, marks: list, previous) -> str:
    """The cells marked now with the fill to give back: the one the last record kept for
    a cell marked again, else the template's own."""
    from kinerja import present

    record = present.Marks()
    for mark in marks:
        kept = previous.fill(mark.sheet, mark.cell)
        original = kept or present.fill_xml(present.template_fill(sop, model, mark.sheet, mark.cell))
        record.add(mark.sheet, mark.cell, original)
    return record.dumps()


def _write_meta(writer: BookWriter, source: BookSource, key: str, value: str) -> None:
    """A `_meta` key | value, chunked where long (core.meta), appended when new."""
    last, _ = source.extent(contract.META_SHEET)
    rows: dict[str, int] = {}
    for i, (k, _v) in enumerate(source.values(contract.META_SHEET, Area(1, 1, max(last, 1), 2)), start=1):
        if isinstance(k, str) and k.strip():
            rows.setdefault(k.strip(), i)
    for row, new_key, piece in placements(rows, last, key, value):
        if new_key is not None:
            writer.value(contract.META_SHEET, f"A{row}", new_key)
        writer.value(contract.META_SHEET, f"B{row}", piece)


def validation_summary(checked: Checked) -> str:
    laporan = checked.laporan
    lines = [checked.summary]
    galat = next((f for f in laporan.findings if f.level is Level.GALAT), None)
    if galat is not None:
        message = galat.render(lang())[0]
        lines.append(_t("ADDIN_VALIDASI_GALAT_PERTAMA", sheet=galat.sheet, cell=galat.cell, message=message))
    body = _t("ADDIN_VALIDASI_SELESAI", summary="\n\n".join(lines))
    return body + "\n\n" + _t("ADDIN_TIDAK_DIPERIKSA", file=checked.model.file)


def _mode(laporan: Laporan) -> str:
    return "critical" if laporan.has_errors else "info"


def _is_cell(ref: str) -> bool:
    try:
        parse_a1(ref)
    except ValueError:
        return False
    return True


# ====================================================================== Status
def status(book: Any, host: Host | None = None) -> Any:
    """The stage due and who is next, each sign-off with its time and the time it took
    against the SOP's standard: read only."""
    host = host or host_for(book)
    with _reported(host, "ADDIN_JUDUL_STATUS"):
        from kinerja import services
        from kinerja.core.assemble import assemble

        target = host.target()
        model = assemble(BookSource(target), contract.definition())
        host.alert(status_text(services.verify_model(model), model), _t("ADDIN_JUDUL_STATUS"))
    return book


def status_text(verified, model: WorkbookModel) -> str:
    from kinerja.core.formatting import aware_now
    from kinerja.ledger.status import format_duration, format_moment, verification_text

    s, language = verified.status, lang()
    lines = [f"{_t('KATA_TTD_STAGE')}: {s.stage(language)}", ""]
    if s.lines:
        lines.append(f"{_t('KATA_TTD_SIGNOFFS')}:")
        shown = s.lines[-STATUS_LINES:]
        if len(s.lines) > len(shown):
            lines.append(_t("ADDIN_STATUS_LAINNYA", more=len(s.lines) - len(shown)))
        for line in shown:
            lines.append(
                _t(
                    "ADDIN_STATUS_BARIS",
                    no=line.no,
                    langkah=line.langkah,
                    keputusan=line.keputusan,
                    nama=line.nama,
                    waktu=format_moment(line.time, s.zone, language),
                    taken=format_duration(line.taken_minutes, language),
                    standard=format_duration(line.standard_minutes, language),
                    status=_t(f"STATUS_KATA_{line.status.upper()}"),
                )
            )
    else:
        lines.append(_t("KATA_TTD_NONE"))
    when = format_moment(aware_now(s.zone), s.zone, language)
    lines += ["", verification_text(verified.verification, when, language)]
    if s.lines and not model.pictures_known:
        lines.append(_t("ADDIN_STATUS_FOTO", file=model.file))
    return "\n".join(lines)


# ====================================================================== Tanda Tangan
def tanda_tangan(book: Any, host: Host | None = None, *, now: dt.datetime | None = None) -> Any:
    """Sign off the stage that is due, as the holder of this PC's key for its role:
    validate first, save, let the ledger's own service sign the saved file (after the
    signer confirmed role, name and decision), and open the signed file again."""
    host = host or host_for(book)
    with _reported(host, "ADDIN_JUDUL_TANDA_TANGAN"):
        if not host.can_sign:
            raise KinerjaError("ADDIN_TTD_DI_SERVER", file=book.name)
        _sign(host, host.target(), now)
    return book


def _sign(host: Host, target: Any, now: dt.datetime | None) -> None:
    from kinerja import services
    from kinerja.ledger import keys
    from kinerja.ledger.status import format_moment

    title = _t("ADDIN_JUDUL_TANDA_TANGAN")
    if host.unsaved(target) and host.alert(_t("ADDIN_TTD_BELUM_DISIMPAN"), title, "yes_no", "critical") != "yes":
        raise KinerjaError("TTD_DIBATALKAN")
    check_and_write(target, host, now=now)  # validates first: Hasil Validasi is current in what is saved
    path = host.save(target)

    verified = services.verify(path)
    due = verified.verification.state.due
    sop = contract.definition()
    role = due.role if due is not None else sop.roles[0].key
    decisions = [d.text for d in due.decisions] if due is not None else [""]
    keputusan = decisions[0]
    peran = sop.role(role).peran
    has_key = any(k.peran == peran for k in keys.list_keys())
    if len(decisions) > 1 and has_key:  # no key: the ledger's refusal comes first, not a question
        answer = host.alert(
            _t("ADDIN_TTD_PILIH_KEPUTUSAN", langkah=due.label, peran=peran, yes=decisions[0], no=decisions[1]),
            title,
            "yes_no_cancel",
        )
        if answer not in ("yes", "no"):
            raise KinerjaError("TTD_DIBATALKAN")
        keputusan = decisions[0] if answer == "yes" else decisions[1]

    closed: list[bool] = []

    def confirm(preview) -> bool:
        key = preview.fingerprint or "–"
        question = _t(
            "ADDIN_TTD_KONFIRMASI",
            langkah=preview.langkah,
            peran=preview.peran,
            nama=preview.nama,
            nip=preview.nip,
            keputusan=preview.keputusan,
            key=key,
        )
        if host.alert(question, title, "yes_no") != "yes":
            return False
        host.close(target)  # Excel holds the file open: the service replaces it
        closed.append(True)
        return True

    def passphrase(info) -> bytes | None:
        return host.passphrase(_t("ADDIN_TTD_SANDI", fingerprint=info.fingerprint, nama=info.nama), title)

    request = services.SignRequest(role=role, keputusan=keputusan, confirm=confirm, passphrase=passphrase, now=now)
    try:
        signed = services.sign(path, request)
    finally:
        reopened = host.reopen(path) if closed else None
    if reopened is not None:
        with contextlib.suppress(Exception):
            reopened.sheets[contract.PERSETUJUAN_SHEET].activate()
    row, state = signed.row, signed.status
    host.alert(
        _t(
            "ADDIN_TTD_BERHASIL",
            langkah=row.langkah,
            keputusan=row.keputusan,
            nama=row.nama,
            waktu=format_moment(row.time, state.zone, lang()),
            stage=state.stage(lang()),
            backup=str(signed.written.backup) if signed.written.backup else "–",
        ),
        title,
    )


# ====================================================================== errors
@contextlib.contextmanager
def _reported(host: Host, title_code: str) -> Iterator[None]:
    """Any failure becomes one message box: the catalogue's message and its fix. With
    KINERJA_DEBUG set, an unexpected exception propagates (its traceback is wanted)."""
    try:
        yield
    except KinerjaError as exc:
        host.alert(_message(exc), _t(title_code), mode="critical")
    except Exception as exc:
        if os.environ.get("KINERJA_DEBUG"):
            raise
        host.alert(
            _message(KinerjaError("ADDIN_GALAT_INTERNAL", detail=type(exc).__name__)), _t(title_code), mode="critical"
        )


def _message(exc: KinerjaError) -> str:
    message, fix = exc.render(lang())
    return f"{message}\n\n{_t('KATA_FIX')}: {fix}" if fix else message
