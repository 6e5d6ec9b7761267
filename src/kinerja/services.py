"""What each command does, without the command line: the CLI and the add-in call these.

Services own file reads and writes and return dataclasses; they never print. Heavy
libraries are imported inside the function that needs them, so that `kinerja validate`
starts without loading openpyxl and `kinerja new` without loading the validator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kinerja.core.cells import cell_sort_key
from kinerja.core.findings import KinerjaError, Laporan, Reason
from kinerja.core.formatting import aware_now

if TYPE_CHECKING:
    from kinerja.core.digest import Change
    from kinerja.core.model import WorkbookModel
    from kinerja.core.sop import Sop
    from kinerja.ledger.keys import KeyInfo
    from kinerja.ledger.rows import LedgerRow
    from kinerja.ledger.status import Status
    from kinerja.ledger.verify import Verification
    from kinerja.xlsx.edit import Committed

DEMO_FILE = "demo-musrenbangcam-2026.xlsx"


@dataclass(frozen=True)
class NewOptions:
    kecamatan: str | None = None
    kabupaten: str | None = None
    tahun: int | None = None
    zona_waktu: str | None = None
    target: float | None = None
    arah: str | None = None
    desa_file: Path | None = None
    overwrite: bool = False
    logo: Path | None = None  # the office's logo for the SOP's kop (PNG or JPEG)


def create_workbook(path: Path, options: NewOptions) -> Path:
    """`kinerja new`: an empty contract-v1 workbook, settings and villages filled in."""
    from kinerja.templates.builder import new_inputs, save_workbook
    from kinerja.templates.desa_file import read_desa_file

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise KinerjaError("PERINTAH_BUKAN_XLSX", path=str(path), suggestion=str(path.with_suffix(".xlsx")))
    if path.exists() and not options.overwrite:
        raise KinerjaError("BERKAS_SUDAH_ADA", path=str(path))
    _refuse_bad_options(options)
    desa = read_desa_file(options.desa_file) if options.desa_file else None
    inputs = new_inputs(
        kecamatan=options.kecamatan,
        kabupaten=options.kabupaten,
        tahun=options.tahun,
        zona_waktu=options.zona_waktu,
        target=options.target,
        arah=options.arah,
        desa=desa,
    )
    if options.logo is not None:
        inputs.logo = _logo(options.logo)
    return save_workbook(path, inputs)


def _refuse_bad_options(options: NewOptions) -> None:
    """What `kinerja new` would write is held to the bounds the definition gives its name
    (and D13's target rules), so that no file is made with a Galat typed on the command line."""
    import math

    from kinerja.core import contract, iku

    sop = contract.definition()
    for option, name, value in (("--tahun", "ref_tahun", options.tahun), ("--target", "iku_target", options.target)):
        if value is None:
            continue
        spec, shown = sop.name(name), format(value, "g")  # as typed: 0.9, not 0,9
        if not math.isfinite(value):
            raise KinerjaError("PERINTAH_BUKAN_ANGKA", option=option, value=shown, label=spec.label)
        if spec.min is not None and value < spec.min:
            raise KinerjaError("PERINTAH_NILAI_KECIL", option=option, value=shown, label=spec.label, min=spec.min)
        if spec.max is not None and value > spec.max:
            raise KinerjaError("PERINTAH_NILAI_BESAR", option=option, value=shown, label=spec.label, max=spec.max)
    problem = iku.target_problem(options.target) if options.target is not None else None
    if problem:
        code = {"not_positive": "PERINTAH_TARGET_TIDAK_POSITIF", "percent": "PERINTAH_TARGET_PERSEN"}[problem]
        raise KinerjaError(code, value=format(options.target, "g"), percent=format(options.target * 100, "g"))


def _logo(path: Path) -> bytes:
    """The logo's bytes, once Pillow has read them as a PNG or JPEG picture."""
    import io

    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    if not path.is_file():
        raise KinerjaError("BERKAS_TIDAK_ADA", path=str(path))
    data = path.read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
    except (OSError, UnidentifiedImageError):
        kind = None
    if kind not in ("PNG", "JPEG"):
        raise KinerjaError("LOGO_BERKAS", path=str(path))
    return data


@dataclass(frozen=True)
class DemoResult:
    path: Path  # the final workbook: the one with the most ledger rows (D18)
    laporan: Laporan
    stages: tuple[Path, ...]  # the workbook after each sign-off
    verified: Verified


def build_demo(out_dir: Path) -> DemoResult:
    """`kinerja demo`: the demo workbook carried through the whole SOP (walkthrough.py)."""
    from kinerja import walkthrough
    from kinerja.templates.builder import save_workbook

    out_dir = Path(out_dir)
    if (out_dir.exists() and not out_dir.is_dir()) or (
        not out_dir.exists() and out_dir.suffix.lower() in (".xlsx", ".xlsm", ".xls")
    ):
        raise KinerjaError("DEMO_BUKAN_FOLDER", path=str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(out_dir), detail=exc.strerror or str(exc)) from exc

    def sign_stage(work: Path, role: str, keputusan: str, catatan: str, when: dt.datetime, home: Path) -> None:
        sign(work, SignRequest(role=role, keputusan=keputusan, catatan=catatan, now=when, keys_home=home))

    done = walkthrough.run(out_dir, DEMO_FILE, sign_stage, save_workbook)
    return DemoResult(done.final, validate(done.final).laporan, done.stages, verify(done.final))


@dataclass(frozen=True)
class Validated:
    laporan: Laporan
    written: Committed | None = None  # with --write: where the file and its backup are


def validate(path: Path, write: bool = False, lang: str = "id", sop: Sop | None = None) -> Validated:
    """`kinerja validate`: read, check, and with ``write`` record the findings in the file
    (one read: the findings written are those of the bytes that are replaced). ``sop`` is
    the definition to check against (None: the contract's own)."""
    if not write:
        from kinerja.xlsx.reader import read_workbook

        model = read_workbook(path, sop)  # an unusable file fails here, before the validator is imported
        from kinerja.validators.engine import validate_model

        return Validated(validate_model(model, sop))
    from kinerja.xlsx.edit import EditSession

    with EditSession.open(path, sop) as session:
        from kinerja.validators.engine import validate_model
        from kinerja.xlsx.results import write_results

        laporan = validate_model(session.model, session.sop)
        check = write_results(session, laporan, lang)
        return Validated(laporan, session.commit(check))


# ====================================================================== the ledger
CATATAN_MAX = 500  # a sign-off note; long explanations belong on the step's sheet


@dataclass(frozen=True)
class SignRequest:
    role: str  # a role key of the definition: kasi_ekbang, sub_evapor, sekcam, camat
    keputusan: str  # as the workflow table writes it, case and spacing aside
    catatan: str = ""
    without_key: bool = False
    nip: str | None = None  # which listed official, when a role has several (D14)
    passphrase: Callable[[KeyInfo], bytes | None] | None = None  # asked only when a key needs one
    confirm: Callable[[SignPreview], bool] | None = None  # None: no question (--yes, no terminal)
    now: dt.datetime | None = None
    keys_home: Path | None = None


@dataclass(frozen=True)
class SignPreview:
    """What is about to be signed, for the confirmation question."""

    langkah: str
    peran: str
    nama: str
    nip: str
    keputusan: str
    fingerprint: str | None


@dataclass(frozen=True)
class Signed:
    row: LedgerRow
    status: Status
    written: Committed


def sign(path: Path, request: SignRequest) -> Signed:
    """`kinerja sign`: refuse with the reason (file untouched), or add one signed row."""
    from kinerja.core import contract, workflow
    from kinerja.core.digest import sections
    from kinerja.ledger import keys, signing
    from kinerja.ledger.record import Record
    from kinerja.ledger.rows import read_rows
    from kinerja.ledger.status import format_moment, status, verification_text, zone_of
    from kinerja.ledger.verify import PASSING, UNSIGNED, VALID, RowResult, Verification, officials, verify
    from kinerja.ledger.writer import write_ledger
    from kinerja.xlsx.edit import EditSession

    _refuse_read_only(Path(path))
    if len(request.catatan) > CATATAN_MAX:
        raise KinerjaError("TTD_CATATAN_PANJANG", length=len(request.catatan), max=CATATAN_MAX)
    with EditSession.open(path) as session:
        sop, model = session.sop, session.model
        verification = verify(model, sop)
        bad = verification.failing
        if bad:
            first = bad[0]  # its reason in the language of the message (D31)
            reason = Reason(first.code, {"no": first.row.no, **first.params})
            raise KinerjaError("TTD_BARIS_TIDAK_SAH", no=first.row.no, cause=reason)
        state = verification.state
        if state.final:
            raise KinerjaError("TTD_FINAL")
        due, role = state.due, sop.role(request.role)
        if due.role != role.key:
            raise KinerjaError(
                "TTD_BUKAN_GILIRAN", due_peran=sop.role(due.role).peran, due_langkah=due.label, peran=role.peran
            )
        decision = workflow.decision(due, request.keputusan)
        if decision is None:
            raise KinerjaError(
                "TTD_KEPUTUSAN_SALAH",
                keputusan=request.keputusan,
                langkah=due.label,
                choices=" · ".join(d.text for d in due.decisions),
            )
        if not decision.returns_to:  # a return is how problems go back: never blocked by them
            _refuse_galat(model, due, sop)
        signer = _signer(model, role.peran, request, sop)
        zone = zone_of(model.value("ref_zona_waktu"), sop)
        now = request.now or aware_now(zone)
        preview = SignPreview(
            due.label, signer.peran, signer.nama, signer.nip, decision.text, signer.key and signer.key.fingerprint
        )
        if request.confirm is not None and not request.confirm(preview):
            raise KinerjaError("TTD_DIBATALKAN")
        private = None
        if signer.key is not None:
            needs = signer.key.encrypted and request.passphrase is not None
            secret = request.passphrase(signer.key) if needs else None
            private = keys.load_private(signer.key, secret, request.keys_home)

        rows = read_rows(model.tables[contract.PERSETUJUAN])
        room = len(model.tables[contract.PERSETUJUAN].rows)
        if len(rows) >= room:  # the table is pre-sized (D5); a row beyond it would not be read
            raise KinerjaError("TTD_PENUH", rows=room)
        workbook_id = model.meta.get(contract.META_WORKBOOK_ID, "")
        content = sections(model, sop)
        row = signing.new_row(rows, due, decision, signer, request.catatan, now, content)
        if private is not None:
            row = signing.signed(row, private, signing.previous_hash(rows, workbook_id), workbook_id)
        all_rows = [*rows, row]
        record = signing.next_record(
            sop, Record.parse(model.meta.get(contract.META_LEDGER)), all_rows, content, workbook_id
        )
        results = (*verification.rows, RowResult(row, VALID if row.signed else UNSIGNED))
        after = Verification(workbook_id, results, workflow.advance(sop, decision), content)
        listed = officials(model)
        now_status = status(after, sop, zone, listed)
        line = verification_text(after, format_moment(now, zone))
        write_ledger(
            session,
            sop,
            all_rows,
            [r.status for r in results],
            record,
            now_status,
            line,
            [r.key_fingerprint for r in results],
        )

        def check(written) -> None:
            again = verify(written, sop)
            if not again.ok or again.rows[-1].row.hash != row.hash:
                reason = again.failing[0].reason() if again.failing else "–"
                raise KinerjaError("BERKAS_TULIS_TIDAK_COCOK", path=str(session.path), part=f"Persetujuan ({reason})")
            if any(r.status not in PASSING for r in again.rows):
                raise KinerjaError("BERKAS_TULIS_TIDAK_COCOK", path=str(session.path), part="Persetujuan")

        committed = session.commit(check)
    return Signed(row, now_status, committed)


def _refuse_read_only(path: Path) -> None:
    from kinerja.xlsx.atomic import real_target

    target = real_target(path)
    if target.exists() and target.is_file() and not target.stat().st_mode & 0o222:
        raise KinerjaError("BERKAS_HANYA_BACA", path=str(path))


def _refuse_galat(model, due, sop: Sop) -> None:
    """A sign-off passes its stage on only when the validator finds no Galat there."""
    from kinerja.core.findings import Level
    from kinerja.validators.engine import validate_model

    laporan = validate_model(model, sop)
    blocking = [f for f in laporan.findings if f.level is Level.GALAT and f.step in due.steps]
    if blocking:
        first = blocking[0]
        raise KinerjaError(
            "TTD_MASIH_GALAT",
            count=len(blocking),
            steps="–".join(str(s) for s in due.steps),
            where=f"{first.sheet}!{first.cell}",
            first=Reason(first.code, {"sheet": first.sheet, "cell": first.cell, **first.params}),
        )


def _signer(model, peran: str, request: SignRequest, sop: Sop):
    """Who signs: the key for the role on this PC, checked against tblPejabat; or, without
    a key, the official tblPejabat lists for the role."""
    from kinerja.core.nip import normalize as normalize_nip
    from kinerja.ledger import keys
    from kinerja.ledger.signing import Signer
    from kinerja.ledger.verify import find_official, officials

    listed = officials(model)
    of_role = [o for o in listed if o.peran == peran]
    if request.without_key:
        if request.nip:
            chosen = find_official(listed, peran, request.nip)
            if chosen is None:
                raise KinerjaError("TTD_BUKAN_PEJABAT", nama="–", nip=request.nip, peran=peran)
        elif len(of_role) == 1:
            chosen = of_role[0]
        elif not of_role:
            raise KinerjaError("TTD_PEJABAT_KOSONG", peran=peran)
        else:
            raise KinerjaError("TTD_PEJABAT_GANDA", peran=peran, names=", ".join(o.nama for o in of_role))
        return Signer(peran, chosen.nama, chosen.nip, None)
    mine = [k for k in keys.list_keys(request.keys_home) if k.peran == peran]
    if request.nip:
        mine = [k for k in mine if k.nip == normalize_nip(request.nip)]
    if not mine:
        role_key = sop.role_by_peran(peran).key.replace("_", "-")
        raise KinerjaError(
            "TTD_TANPA_KUNCI", peran=peran, folder=str(keys.keys_folder(request.keys_home)), role_key=role_key
        )
    # A key whose holder tblPejabat lists for the role; the newest when one holds several.
    known = [k for k in mine if find_official(listed, peran, k.nip)]
    if not known:
        key = mine[-1]
        raise KinerjaError("TTD_BUKAN_PEJABAT", nama=key.nama, nip=key.nip, peran=peran)
    key = sorted(known, key=lambda k: k.created)[-1]
    official = find_official(listed, peran, key.nip)
    if not official.fingerprint:
        raise KinerjaError("TTD_KUNCI_BELUM_TERCATAT", nama=official.nama, fingerprint=key.fingerprint)
    if official.fingerprint != key.fingerprint:
        matching = [k for k in known if k.fingerprint == official.fingerprint]
        if not matching:
            raise KinerjaError(
                "TTD_KUNCI_LAIN", listed=official.fingerprint, nama=official.nama, fingerprint=key.fingerprint
            )
        key = matching[0]
    return Signer(peran, official.nama, official.nip, key)


@dataclass(frozen=True)
class Printed:
    path: Path  # the PDF
    pages: int
    sheets: tuple[str, ...]  # what the pack holds, in order
    verified: Verified  # the ledger at print time
    laporan: Laporan  # the validation at print time (its Hasil Validasi is in the pack)
    workbook_id: str
    digest: str  # the content digest every page's footer carries
    verification_line: str  # the ledger's verification as the approval page prints it


def print_pdf(path: Path, output: Path | None = None, lang: str = "id", now: dt.datetime | None = None) -> Printed:
    """`kinerja cetak`: the evidence pack as one PDF, made by LibreOffice from a copy of the
    workbook as it is now (validation and verification at print time); the user's file
    is only read."""
    import shutil

    from kinerja import cetak
    from kinerja.ledger.status import format_moment, verification_text, zone_of
    from kinerja.ledger.writer import BESIDE_STATUS
    from kinerja.validators.engine import validate_model
    from kinerja.xlsx import paper
    from kinerja.xlsx.atomic import real_target, write_atomic
    from kinerja.xlsx.edit import EditSession
    from kinerja.xlsx.reader import check_file
    from kinerja.xlsx.results import write_results

    source = real_target(Path(path))
    check_file(source)
    output = Path(output) if output is not None else source.with_suffix(".pdf")
    if output.suffix.lower() != ".pdf":
        raise KinerjaError("CETAK_BUKAN_PDF", path=str(output))
    soffice = cetak.find_soffice()  # before any work: a clear message when it is missing
    with cetak.scratch() as folder:
        copy = Path(folder) / "buku-kerja.xlsx"
        shutil.copyfile(source, copy)
        verified = verify(copy)  # the ledger as it is at print time
        with EditSession.open(copy) as session:
            from kinerja.core import contract

            sop, model = session.sop, session.model
            laporan = validate_model(model)
            zone = zone_of(model.value("ref_zona_waktu"), sop)
            moment = now or aware_now(zone)
            check = write_results(session, laporan, lang, moment)  # Hasil Validasi as of now
            line = verification_text(verified.verification, format_moment(moment, zone, lang), lang)
            session.set_named(contract.LEDGER_VERIFIKASI, line)
            session.set_named(contract.STATUS_VERIFIKASI, line)
            words = [text_of(f"STATUS_KATA_{r.status.upper()}", lang) for r in verified.verification.rows]
            session.write_beside(contract.PERSETUJUAN, BESIDE_STATUS, words)
            paper.keep(session)
            sheets = cetak.printed_sheets(model, sop)
            footer = cetak.footer_of(model, sop)
            cetak.prepare(session, sheets, footer, lang)  # last: it hides what the pack leaves out
            session.commit(check)
        pdf = cetak.to_pdf(soffice, copy, Path(folder))
        data = pdf.read_bytes()
        write_atomic(output, lambda tmp: tmp.write_bytes(data), keep_backup=False)
    return Printed(
        output, cetak.page_count(data), tuple(sheets), verified, laporan, footer.workbook_id, footer.digest, line
    )


def text_of(code: str, lang: str) -> str:
    from kinerja.core.findings import text

    return text(code).render({}, lang)[0]


@dataclass(frozen=True)
class Verified:
    verification: Verification
    status: Status


def verify(path: Path, roster: Path | None = None, sop: Sop | None = None) -> Verified:
    """`kinerja verify` and `kinerja status`: read only."""
    from kinerja.core import contract
    from kinerja.ledger.roster import read_roster
    from kinerja.xlsx.reader import read_workbook

    sop = sop or contract.definition()
    return verify_model(read_workbook(path, sop), read_roster(roster) if roster else None, sop)


def verify_model(model: WorkbookModel, roster=None, sop: Sop | None = None) -> Verified:
    """The same, on a model already read (the add-in's live workbook)."""
    from kinerja.core import contract
    from kinerja.ledger.status import status, zone_of
    from kinerja.ledger.verify import officials
    from kinerja.ledger.verify import verify as verify_rows

    sop = sop or contract.definition()
    result = verify_rows(model, sop, roster)
    zone = zone_of(model.value("ref_zona_waktu"), sop)
    return Verified(result, status(result, sop, zone, officials(model)))


def diff(old: Path, new: Path, sop: Sop | None = None) -> list[Change]:
    """`kinerja diff`: the input cells that differ between two copies, sheet by sheet."""
    from kinerja.core import contract
    from kinerja.core.digest import Section, changes, sections
    from kinerja.xlsx.reader import read_workbook

    sop = sop or contract.definition()
    before, after = sections(read_workbook(old, sop), sop), sections(read_workbook(new, sop), sop)
    out = []
    for sheet in before.keys() | after.keys():
        out += changes(before.get(sheet, Section(sheet, ())), after.get(sheet, Section(sheet, ())))
    order = {s.name: i for i, s in enumerate(sop.sheets)}
    return sorted(out, key=lambda c: (order.get(c.sheet, 99), cell_sort_key(c.cell)))


def new_key(role: str, nama: str, nip: str, passphrase: bytes | None = None, base: Path | None = None) -> KeyInfo:
    """`kinerja key new`: an Ed25519 pair in the user's profile (never in a workbook)."""
    from kinerja.core import contract
    from kinerja.core import nip as nip_rules
    from kinerja.ledger import keys

    problems = nip_rules.problems(nip)
    if problems:
        first = problems[0]
        raise KinerjaError("KUNCI_NIP_SALAH", nip=nip, cause=Reason(first.code, {"value": nip, **first.params}))
    return keys.new_key(contract.definition().role(role).peran, nama, nip, passphrase, base)


# ====================================================================== the regency roll-up
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")  # a kecamatan may send any of these
REKAP_SUBJECT = "kinerja rekap"  # docProps subject of a roll-up workbook: only such a file is overwritten


def find_workbooks(folder: Path, skip: Path | None = None) -> list[Path]:
    """Every spreadsheet file under ``folder`` (D20): not Excel's `~$*` owner files, not
    `NAME.bak.xlsx` backups, not kinerja's scratch files, not the roll-up being written.
    An .xls or .ods is listed: it becomes a Tidak Terbaca line that says how to fix it."""
    from kinerja.xlsx.atomic import is_scratch

    skip_real = skip.resolve() if skip is not None else None
    found = []
    for path in sorted(Path(folder).rglob("*")):
        name = path.name.lower()
        if not name.endswith(WORKBOOK_SUFFIXES) or name.startswith("~$") or name.endswith(".bak.xlsx"):
            continue
        if is_scratch(path) or not path.is_file() or (skip_real is not None and path.resolve() == skip_real):
            continue
        found.append(path)
    return found


def check_workbook(path: str) -> Laporan:
    """One file's report for the roll-up: validated (the ledger's verification included)
    against the SOP its `_meta` names; a file that cannot be read is that outcome, and
    an exception inside the tool becomes one too (a broken file never stops the run).
    Runs in a worker process: module-level, so that a pool can call it."""
    try:
        from kinerja.core import sop as sop_module
        from kinerja.xlsx.reader import read_file, read_workbook_bytes

        data = read_file(Path(path))
        try:
            sop = None
            model = read_workbook_bytes(data, path)
        except KinerjaError as exc:
            sop = sop_module.find(exc.params.get("found")) if exc.code == "BERKAS_TEMPLAT_LAIN" else None
            if sop is None:
                raise
            model = read_workbook_bytes(data, path, sop)  # a workbook of another SOP this installation knows
        from kinerja.validators.engine import validate_model

        return validate_model(model, sop)
    except KinerjaError as exc:
        return Laporan.of_unreadable(path, exc)
    except Exception as exc:  # noqa: BLE001 - one file's bug is that file's line, never a lost roll-up
        return Laporan.of_unreadable(path, KinerjaError("GALAT_INTERNAL", detail=type(exc).__name__))


def read_daftar(path: Path) -> list:
    """`--daftar`: the regency's kecamatan, CSV with a `Kecamatan` column (and optionally
    `Kabupaten`), `,` or `;`, UTF-8 or Windows-1252 (core.csvtext)."""
    from kinerja.core import csvtext
    from kinerja.core.rekap import Expected, normalize_place

    try:
        text = csvtext.decode(Path(path).read_bytes())
        records = csvtext.rows(text)
    except FileNotFoundError:
        raise KinerjaError("BERKAS_TIDAK_ADA", path=str(path)) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise KinerjaError("REKAP_DAFTAR", path=str(path), detail=type(exc).__name__) from None
    if not records:
        raise KinerjaError("REKAP_DAFTAR", path=str(path), detail="kosong / empty")
    headers = [" ".join(h.split()).casefold() for h in records[0][1]]
    if "kecamatan" not in headers:
        raise KinerjaError("REKAP_DAFTAR", path=str(path), detail="Kecamatan ?")
    k, kab = headers.index("kecamatan"), headers.index("kabupaten") if "kabupaten" in headers else None
    out, seen = [], set()
    for _, cells in records[1:]:
        name = " ".join((cells[k] if k < len(cells) else "").split())
        regency = " ".join((cells[kab] if kab is not None and kab < len(cells) else "").split()) or None
        key = (normalize_place(name), normalize_place(regency))
        if name and key not in seen:
            seen.add(key)
            out.append(Expected(name, regency))
    return out


@dataclass(frozen=True)
class RekapRun:
    folder: Path
    files: tuple[Path, ...]
    rekap: object  # core.rekap.Rekap


def rekap(
    folder: Path,
    daftar: Path | None = None,
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    skip: Path | None = None,
    check: Callable[[str], Laporan] = check_workbook,
) -> RekapRun:
    """`kinerja rekap`: every workbook under ``folder`` checked in ``processes`` worker
    processes (default: one per core), merged into one Rekap. Reads only."""
    from kinerja.core.rekap import Rekap

    folder = Path(folder)
    if not folder.exists():
        raise KinerjaError("BERKAS_TIDAK_ADA", path=str(folder))
    if not folder.is_dir():
        raise KinerjaError("REKAP_BUKAN_FOLDER", path=str(folder))
    expected = read_daftar(daftar) if daftar is not None else None  # a bad list fails before the long run
    files = find_workbooks(folder, skip)
    reports = run_checks([str(p) for p in files], processes, progress, check)
    for report in reports:  # the roll-up names files as the regency sees them: relative to the folder
        report.file = str(Path(report.file).relative_to(folder))
    return RekapRun(folder, tuple(files), Rekap.merge(reports, expected))


def run_checks(
    paths: list[str],
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    check: Callable[[str], Laporan] = check_workbook,
) -> list[Laporan]:
    """Each path checked in a pool of worker processes (the standard library's, D24).

    At most two files per worker are in flight, so when a worker dies (a file that
    crashes the process, not just one that raises) the suspects are those few: each is
    then checked alone in a fresh pool, and one that kills its pool alone is reported as
    REKAP_PROSES_BERHENTI; every other file is checked as usual."""
    import os
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    total = len(paths)
    workers = max(1, min(processes or os.cpu_count() or 1, total or 1))
    results: dict[str, Laporan] = {}
    if workers == 1 and processes == 1:  # --proses 1: in this process, for debugging and tiny runs
        for path in paths:
            results[path] = check(path)
            if progress:
                progress(len(results), total)
        return [results[p] for p in paths]

    def tick() -> None:
        if progress:
            progress(len(results), total)

    queue = list(reversed(paths))
    suspects: list[str] = []
    while queue:
        pool = _pool(workers)
        running: dict = {}
        try:
            while queue or running:
                while queue and len(running) < 2 * workers:
                    path = queue.pop()
                    running[pool.submit(check, path)] = path
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    results[running[future]] = future.result()  # a dead worker raises here
                    del running[future]
                    tick()
        except BrokenProcessPool:
            suspects += [p for f, p in running.items() if p not in results]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for path in suspects:  # alone, so that only the file that kills its process is blamed
        pool = _pool(1)
        try:
            results[path] = pool.submit(check, path).result()
        except BrokenProcessPool:
            results[path] = Laporan.of_unreadable(path, KinerjaError("REKAP_PROSES_BERHENTI", detail="exit"))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        tick()
    return [results[p] for p in paths]


def _pool(workers: int):
    """A process pool whose workers start with the validator already imported: on POSIX
    they fork from a fork server that imported it once (its pages are shared, and the
    parent stays as small as the command line); Windows spawns each worker, which
    imports it itself."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(
            [
                "kinerja.services",
                "kinerja.validators.engine",
                "kinerja.xlsx.reader",
                "kinerja.ledger.verify",
                "PIL.Image",
            ]
        )
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def write_rekap(run: RekapRun, output: Path, lang: str = "id", now: dt.datetime | None = None) -> Path:
    """The roll-up workbook, a new file built once and written atomically (D4); an
    existing file is replaced only when it is itself a roll-up."""
    from kinerja.templates.rekap import build_rekap, is_rekap
    from kinerja.xlsx.atomic import write_atomic

    output = Path(output)
    if output.exists() and not is_rekap(output):
        raise KinerjaError("REKAP_TIMPA", path=str(output))
    book = build_rekap(run.rekap, folder=run.folder.name or str(run.folder), lang=lang, now=now or aware_now("WIB"))

    def check(tmp: Path) -> None:
        if not is_rekap(tmp):
            raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(output), detail="rekap")

    write_atomic(output, book.save, check, keep_backup=False)
    return output
