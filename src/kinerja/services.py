"""What each command does, without the command line: the CLI and the add-in call these.

Services own file reads and writes and return dataclasses; they never print. Heavy
libraries are imported inside the function that needs them, so that `kinerja validate`
starts without loading openpyxl and `kinerja new` without loading pandera.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kinerja.core.cells import cell_sort_key
from kinerja.core.findings import KinerjaError, Laporan
from kinerja.core.formatting import aware_now

if TYPE_CHECKING:
    from kinerja.core.digest import Change
    from kinerja.core.model import WorkbookModel
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


def create_workbook(path: Path, options: NewOptions) -> Path:
    """`kinerja new`: an empty contract-v1 workbook, settings and villages filled in."""
    from kinerja.templates.builder import new_inputs, save_workbook
    from kinerja.templates.desa_file import read_desa_file

    path = Path(path)
    if path.exists() and not options.overwrite:
        raise KinerjaError("BERKAS_SUDAH_ADA", path=str(path))
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
    return save_workbook(path, inputs)


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


def validate(path: Path, write: bool = False, lang: str = "id") -> Validated:
    """`kinerja validate`: read, check, and with ``write`` record the findings in the file
    (one read: the findings written are those of the bytes that are replaced)."""
    if not write:
        from kinerja.xlsx.reader import read_workbook

        model = read_workbook(path)  # an unusable file fails here, before pandera is imported
        from kinerja.validators.engine import validate_model

        return Validated(validate_model(model))
    from kinerja.xlsx.edit import EditSession

    with EditSession.open(path) as session:
        from kinerja.validators.engine import validate_model
        from kinerja.xlsx.results import write_results

        laporan = validate_model(session.model)
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
            raise KinerjaError("TTD_BARIS_TIDAK_SAH", no=bad[0].row.no, reason=bad[0].reason())
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
            _refuse_galat(model, due)
        signer = _signer(model, role.peran, request)
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


def _refuse_galat(model, due) -> None:
    """A sign-off passes its stage on only when the validator finds no Galat there."""
    from kinerja.core.findings import Level
    from kinerja.validators.engine import validate_model

    laporan = validate_model(model)
    blocking = [f for f in laporan.findings if f.level is Level.GALAT and f.step in due.steps]
    if blocking:
        first = blocking[0]
        message, _ = first.render()
        raise KinerjaError(
            "TTD_MASIH_GALAT",
            count=len(blocking),
            steps="–".join(str(s) for s in due.steps),
            first=f"{first.sheet}!{first.cell}: {message}",
        )


def _signer(model, peran: str, request: SignRequest):
    """Who signs: the key for the role on this PC, checked against tblPejabat; or, without
    a key, the official tblPejabat lists for the role."""
    from kinerja.core import contract
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
        role_key = contract.definition().role_by_peran(peran).key.replace("_", "-")
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
class Verified:
    verification: Verification
    status: Status


def verify(path: Path, roster: Path | None = None) -> Verified:
    """`kinerja verify` and `kinerja status`: read only."""
    from kinerja.ledger.roster import read_roster
    from kinerja.xlsx.reader import read_workbook

    return verify_model(read_workbook(path), read_roster(roster) if roster else None)


def verify_model(model: WorkbookModel, roster=None) -> Verified:
    """The same, on a model already read (the add-in's live workbook)."""
    from kinerja.core import contract
    from kinerja.ledger.status import status, zone_of
    from kinerja.ledger.verify import officials
    from kinerja.ledger.verify import verify as verify_rows

    sop = contract.definition()
    result = verify_rows(model, sop, roster)
    zone = zone_of(model.value("ref_zona_waktu"), sop)
    return Verified(result, status(result, sop, zone, officials(model)))


def diff(old: Path, new: Path) -> list[Change]:
    """`kinerja diff`: the input cells that differ between two copies, sheet by sheet."""
    from kinerja.core import contract
    from kinerja.core.digest import Section, changes, sections
    from kinerja.xlsx.reader import read_workbook

    sop = contract.definition()
    before, after = sections(read_workbook(old), sop), sections(read_workbook(new), sop)
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
        raise KinerjaError("KUNCI_NIP_SALAH", nip=nip, reason=problems[0].code)
    return keys.new_key(contract.definition().role(role).peran, nama, nip, passphrase, base)
