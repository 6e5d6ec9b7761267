"""The command line: parse, call a service, render, set the exit code.

Exit codes (one table, as pip's status_codes): 0 nothing wrong, 1 a Galat was found,
2 the input could not be used (unreadable file, bad usage). With --json, stdout carries
exactly one JSON document whatever the exit code (D16); everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from kinerja import __version__
from kinerja.core import contract
from kinerja.core.findings import KinerjaError

OK, GALAT_FOUND, UNUSABLE = 0, 1, 2


# argparse speaks English; the messages staff meet most often, in their words.
_ARGPARSE_ID = (
    (r"the following arguments are required: (.+)", r"argumen wajib belum diberikan: \1"),
    (r"argument (\S+): invalid choice: '(.*?)' \(choose from (.+)\)", r"\1: pilihan '\2' tidak dikenal (pilih: \3)"),
    (r"argument (\S+): invalid (int|float) value: '(.*?)'", r"\1: '\3' bukan angka"),
    (r"argument (\S+): expected one argument", r"\1: nilainya belum diberikan"),
    (r"unrecognized arguments: (.+)", r"argumen tidak dikenal: \1"),
)


class _Parser(argparse.ArgumentParser):
    """argparse prints usage and exits; we want one Indonesian message and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, replacement in _ARGPARSE_ID:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        raise KinerjaError("PERINTAH_SALAH", detail=message)


def build_parser() -> argparse.ArgumentParser:
    sop = contract.definition()
    parser = _Parser(
        prog="kinerja",
        description="Buku kerja, validator dan buku tanda tangan SOP Pengumpulan Data "
        "Kinerja Indikator Partisipasi Delegasi Musrenbangcam.",
    )
    parser.add_argument("--version", action="version", version=f"kinerja {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="PERINTAH", parser_class=_Parser)

    new = commands.add_parser("new", help="buat buku kerja baru (templat kosong)")
    new.add_argument("-o", "--output", required=True, type=Path, help="berkas .xlsx yang dibuat")
    new.add_argument("--kecamatan", help="nama kecamatan")
    new.add_argument("--kabupaten", help="nama kabupaten/kota")
    new.add_argument("--tahun", type=int, help="tahun Musrenbangcam (bawaan: tahun ini)")
    new.add_argument(
        "--zona",
        dest="zona_waktu",
        choices=sop.list_values("zona_waktu"),
        help=f"zona waktu (bawaan: {sop.defaults['ref_zona_waktu']})",
    )
    new.add_argument(
        "--target", type=float, help=f"target IKU dalam persen, mis. 90 (bawaan: {sop.defaults['iku_target']})"
    )
    new.add_argument(
        "--arah", choices=sop.list_values("arah"), help=f"arah indikator (bawaan: {sop.defaults['iku_arah']})"
    )
    new.add_argument("--desa", dest="desa_file", type=Path, help="daftar desa dan delegasi diundang (CSV atau XLSX)")
    new.add_argument("--logo", type=Path, help="logo kantor untuk kop SOP (PNG atau JPEG)")
    new.add_argument("--timpa", dest="overwrite", action="store_true", help="timpa berkas yang sudah ada")
    new.add_argument("--json", action="store_true", help="keluaran JSON")

    demo = commands.add_parser("demo", help="jalankan SOP lengkap pada buku kerja contoh berisi data rekaan")
    demo.add_argument(
        "-o", "--output", type=Path, default=Path("kinerja-demo"), help="folder keluaran (bawaan: kinerja-demo)"
    )
    demo.add_argument("--json", action="store_true", help="keluaran JSON")
    demo.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan (id atau en)")

    validate = commands.add_parser("validate", help="periksa buku kerja dan hitung IKU")
    validate.add_argument("file", metavar="BERKAS", type=Path, help="buku kerja .xlsx")
    validate.add_argument("--json", action="store_true", help="keluaran JSON untuk mesin")
    validate.add_argument(
        "--write", action="store_true", help="tulis temuan ke lembar Hasil Validasi dan tandai selnya"
    )
    validate.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan (id atau en)")

    roles = [r.key.replace("_", "-") for r in sop.roles]
    sign = commands.add_parser("sign", help="tanda tangani tahap yang sedang giliran")
    sign.add_argument("file", metavar="BERKAS", type=Path, help="buku kerja .xlsx")
    sign.add_argument("--peran", required=True, choices=roles, help="peran penanda tangan")
    sign.add_argument("--keputusan", required=True, help="keputusan, mis. Diserahkan (lihat 'kinerja status')")
    sign.add_argument("--catatan", default="", help="catatan singkat (boleh kosong)")
    sign.add_argument("--yes", action="store_true", help="jangan tanya konfirmasi")
    sign.add_argument(
        "--tanpa-kunci", dest="without_key", action="store_true", help="catat tanpa kunci (tanpa bukti identitas)"
    )
    sign.add_argument("--nip", help="NIP penanda tangan bila peran itu dipegang lebih dari satu orang")
    sign.add_argument("--passphrase-file", type=Path, help="berkas berisi kata sandi kunci")
    _common(sign)

    status = commands.add_parser("status", help="tahap sekarang, giliran siapa, dan riwayat tanda tangan")
    status.add_argument("file", metavar="BERKAS", type=Path, help="buku kerja .xlsx")
    _common(status)

    verify = commands.add_parser("verify", help="periksa keaslian setiap tanda tangan")
    verify.add_argument("file", metavar="BERKAS", type=Path, help="buku kerja .xlsx")
    verify.add_argument(
        "--roster", type=Path, help="daftar kunci kantor (CSV: Peran, Nama, NIP, Sidik Kunci, Berlaku Mulai)"
    )
    _common(verify)

    diff = commands.add_parser("diff", help="isian yang berbeda antara dua salinan buku kerja")
    diff.add_argument("old", metavar="LAMA", type=Path, help="salinan lama .xlsx")
    diff.add_argument("new", metavar="BARU", type=Path, help="salinan baru .xlsx")
    _common(diff)

    cetak = commands.add_parser(
        "cetak",
        help="cetak berkas bukti (PDF): SOP, lembar berisi data, foto, analisa IKU, persetujuan, hasil validasi",
    )
    cetak.add_argument("file", metavar="BERKAS", type=Path, help="buku kerja .xlsx (tidak diubah)")
    cetak.add_argument("-o", "--output", type=Path, help="berkas PDF (bawaan: nama buku kerja dengan .pdf)")
    _common(cetak)

    key = commands.add_parser("key", help="kunci tanda tangan di komputer ini")
    key_commands = key.add_subparsers(dest="key_command", required=True, metavar="PERINTAH", parser_class=_Parser)
    key_new = key_commands.add_parser("new", help="buat kunci baru (Ed25519)")
    key_new.add_argument("--peran", required=True, choices=roles, help="peran pemilik kunci")
    key_new.add_argument("--nama", required=True, help="nama lengkap dengan gelar, seperti di tblPejabat")
    key_new.add_argument("--nip", required=True, help="NIP 18 angka")
    key_new.add_argument("--passphrase-file", type=Path, help="berkas berisi kata sandi untuk melindungi kunci")
    _common(key_new)
    key_list = key_commands.add_parser("list", help="daftar kunci di komputer ini")
    _common(key_list)
    key_export = key_commands.add_parser("export", help="baris daftar kunci kantor (CSV) dari kunci di komputer ini")
    key_export.add_argument("-o", "--output", type=Path, help="berkas CSV (bawaan: ke layar)")
    _common(key_export)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="keluaran JSON untuk mesin")
    parser.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan (id atau en)")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in argv
    lang = "en" if _option(argv, "--lang") == "en" else "id"
    try:
        args = build_parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except KinerjaError as exc:
        return _fail(exc, wants_json, lang, _file_argument(argv))
    except KeyboardInterrupt:  # Ctrl+C: nothing was written (writes are atomic)
        return _fail(KinerjaError("DIBATALKAN"), wants_json, lang, _file_argument(argv))
    except Exception as exc:  # a bug of ours: one message, the traceback only on request
        if os.environ.get("KINERJA_DEBUG"):
            raise
        return _fail(KinerjaError("GALAT_INTERNAL", detail=type(exc).__name__), wants_json, lang, _file_argument(argv))


def _run_new(args: argparse.Namespace) -> int:
    from kinerja import services

    options = services.NewOptions(**{f.name: getattr(args, f.name) for f in fields(services.NewOptions)})
    path = services.create_workbook(args.output, options)
    if args.json:
        _print_json({"file": str(path)})
    else:
        print(f"Buku kerja dibuat: {path}")
    return OK


def _run_demo(args: argparse.Namespace) -> int:
    from kinerja import report, services

    result = services.build_demo(args.output)
    if args.json:
        document = result.laporan.to_json(args.lang)
        document["stages"] = [str(p) for p in result.stages]
        document["ledger"] = report.verify_json(result.verified, args.lang)
        _print_json(document)
    else:
        report.print_demo(result, args.lang)
    failed = result.laporan.has_errors or not result.verified.verification.ok
    return GALAT_FOUND if failed else OK


def _run_validate(args: argparse.Namespace) -> int:
    from kinerja import report, services

    result = services.validate(args.file, write=args.write, lang=args.lang)
    laporan = result.laporan
    if args.json:
        document = laporan.to_json(args.lang)
        if result.written:
            document["backup"] = str(result.written.backup) if result.written.backup else None
        _print_json(document)
    else:
        report.print_laporan(laporan, args.lang, written=result.written)
    return GALAT_FOUND if laporan.has_errors else OK


def _run_sign(args: argparse.Namespace) -> int:
    from kinerja import report, services

    interactive = sys.stdin.isatty() and not args.json
    request = services.SignRequest(
        role=args.peran.replace("-", "_"),
        keputusan=args.keputusan,
        catatan=args.catatan,
        without_key=args.without_key,
        nip=args.nip,
        passphrase=_passphrase(args.passphrase_file, interactive),
        confirm=None if args.yes or not interactive else lambda preview: report.confirm_sign(preview, args.lang),
    )
    signed = services.sign(args.file, request)
    if args.json:
        _print_json({"file": str(args.file), **report.signed_json(signed, args.lang)})
    else:
        report.print_signed(args.file, signed, args.lang)
    return OK


def _passphrase(path: Path | None, interactive: bool):
    """A key's passphrase: from the file given, else asked in a terminal (D16), else none."""
    if path is not None:
        try:
            lines = path.read_bytes().splitlines()
        except OSError:
            lines = []
        secret = lines[0].strip() if lines else b""
        if not secret:
            raise KinerjaError("KUNCI_BERKAS_SANDI", path=str(path))
        return lambda key: secret
    if interactive:
        import getpass

        return lambda key: getpass.getpass(f"Kata sandi kunci {key.fingerprint}: ").encode("utf-8") or None
    return None


def _run_status(args: argparse.Namespace) -> int:
    from kinerja import report, services

    verified = services.verify(args.file)
    if args.json:
        _print_json({"file": str(args.file), **report.status_json(verified, args.lang)})
    else:
        report.print_status(args.file, verified, args.lang)
    return OK


def _run_verify(args: argparse.Namespace) -> int:
    from kinerja import report, services

    verified = services.verify(args.file, roster=args.roster)
    if args.json:
        _print_json({"file": str(args.file), **report.verify_json(verified, args.lang)})
    else:
        report.print_verify(args.file, verified, args.lang)
    return OK if verified.verification.ok else GALAT_FOUND


def _run_diff(args: argparse.Namespace) -> int:
    from kinerja import report, services

    changes = services.diff(args.old, args.new)
    if args.json:
        _print_json({"old": str(args.old), "new": str(args.new), "changes": report.diff_json(changes)})
    else:
        report.print_diff(args.old, args.new, changes, args.lang)
    return GALAT_FOUND if changes else OK


def _run_cetak(args: argparse.Namespace) -> int:
    from kinerja import report, services

    printed = services.print_pdf(args.file, args.output, lang=args.lang)
    if args.json:
        _print_json({"file": str(args.file), **report.printed_json(printed, args.lang)})
    else:
        report.print_printed(args.file, printed, args.lang)
    return OK


def _run_key(args: argparse.Namespace) -> int:
    from kinerja import report, services
    from kinerja.ledger import keys
    from kinerja.ledger.roster import roster_lines

    if args.key_command == "new":
        secret = _passphrase(args.passphrase_file, False)(None) if args.passphrase_file else None
        info = services.new_key(args.peran.replace("-", "_"), args.nama, args.nip, secret)
        if args.json:
            _print_json(report.key_json(info))
        else:
            report.print_new_key(info, keys.keys_folder(), args.lang)
        return OK
    found = keys.list_keys()
    if args.key_command == "list":
        if args.json:
            _print_json({"folder": str(keys.keys_folder()), "keys": [report.key_json(k) for k in found]})
        else:
            report.print_keys(found, keys.keys_folder(), args.lang)
        return OK
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(roster_lines(found))
    if args.output:
        from kinerja.xlsx.atomic import write_atomic

        write_atomic(args.output, lambda tmp: tmp.write_text(out.getvalue(), encoding="utf-8"), keep_backup=False)
    if args.json:
        _print_json({"file": str(args.output) if args.output else None, "keys": [report.key_json(k) for k in found]})
    elif not args.output:
        sys.stdout.write(out.getvalue())
    return OK


_COMMANDS = {
    "new": _run_new,
    "demo": _run_demo,
    "validate": _run_validate,
    "sign": _run_sign,
    "status": _run_status,
    "verify": _run_verify,
    "diff": _run_diff,
    "cetak": _run_cetak,
    "key": _run_key,
}


def _fail(exc: KinerjaError, wants_json: bool, lang: str, file: str | None) -> int:
    if wants_json:
        _print_json({"file": file, "error": exc.to_json(lang)})
    else:
        message, fix = exc.render(lang)
        label = ("Galat", "Cara memperbaiki") if lang == "id" else ("Error", "How to fix")
        print(f"{label[0]}: {message}\n{label[1]}: {fix}", file=sys.stderr)
    return UNUSABLE


def _print_json(document: dict) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.partition("=")[2]
    return None


_VALUED = {"--lang", "--peran", "--keputusan", "--catatan", "--nip", "--passphrase-file", "--roster", "-o", "--output"}


def _file_argument(argv: list[str]) -> str | None:
    """The file a failed command was about, for the JSON error document."""
    for command in ("validate", "sign", "status", "verify", "diff", "cetak"):
        if command in argv:
            rest, skip = [], False
            for arg in argv[argv.index(command) + 1 :]:
                if skip:
                    skip = False
                elif arg in _VALUED:
                    skip = True
                elif not arg.startswith("-"):
                    rest.append(arg)
            return rest[0] if rest else None
    return _option(argv, "-o") or _option(argv, "--output")
