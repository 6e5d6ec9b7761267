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
    new.add_argument("--timpa", dest="overwrite", action="store_true", help="timpa berkas yang sudah ada")
    new.add_argument("--json", action="store_true", help="keluaran JSON")

    demo = commands.add_parser("demo", help="buat buku kerja contoh berisi data rekaan, lalu validasi")
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
    return parser


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
        _print_json(result.laporan.to_json(args.lang))
    else:
        report.print_demo(result.path, result.laporan, args.lang)
    return GALAT_FOUND if result.laporan.has_errors else OK


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


_COMMANDS = {"new": _run_new, "demo": _run_demo, "validate": _run_validate}


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


def _file_argument(argv: list[str]) -> str | None:
    """The file a failed command was about, for the JSON error document."""
    if "validate" in argv:
        rest = [a for a in argv[argv.index("validate") + 1 :] if not a.startswith("-") and a not in ("id", "en")]
        return rest[0] if rest else None
    return _option(argv, "-o") or _option(argv, "--output")
