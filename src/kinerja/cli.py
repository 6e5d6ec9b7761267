"""The command line: parse, call a service, render, set the exit code.

Exit codes (one table, as pip's status_codes): 0 nothing wrong, 1 a Galat was found,
2 the input could not be used (unreadable file, bad usage). With --json, stdout carries
exactly one JSON document whatever the exit code (D16); everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from kinerja import __version__
from kinerja.core import contract
from kinerja.core.findings import KinerjaError

OK, GALAT_FOUND, UNUSABLE = 0, 1, 2


# argparse's own words (headings, errors) by its English msgid, to the catalogue's text:
# `kinerja --help` reads in Indonesian by default and in English with --lang en (D31).
_ARGPARSE_WORDS = {
    "usage: ": "ARGPARSE_USAGE",
    "positional arguments": "ARGPARSE_POSITIONAL",
    "options": "ARGPARSE_OPTIONS",
    "show this help message and exit": "ARGPARSE_HELP",
    "show program's version number and exit": "ARGPARSE_VERSION",
    "the following arguments are required: %s": "ARGPARSE_REQUIRED",
    "argument %(argument_name)s: %(message)s": "ARGPARSE_ARGUMENT",
    "invalid choice: %(value)r (choose from %(choices)s)": "ARGPARSE_CHOICE",
    "invalid %(type)s value: %(value)r": "ARGPARSE_TYPE",
    "expected one argument": "ARGPARSE_ONE",
    "unrecognized arguments: %s": "ARGPARSE_UNRECOGNIZED",
    "ambiguous option: %(option)s could match %(matches)s": "ARGPARSE_AMBIGUOUS",
    "not allowed with argument %s": "ARGPARSE_NOT_WITH",
}


def _argparse_words(lang: str):
    def translate(message: str) -> str:
        code = _ARGPARSE_WORDS.get(message)
        return _raw(code, lang) if code else message

    return translate


def _raw(code: str, lang: str) -> str:
    """A catalogue text as a template (argparse fills its own %-placeholders)."""
    from kinerja.core.findings import text

    entry = text(code)
    return entry.pesan if lang == "id" else entry.message


def _h(key: str, lang: str, **params: object) -> str:
    """A command's or option's help text (argparse reads % as a format: doubled)."""
    from kinerja.core.findings import text

    return text(f"BANTUAN_{key.upper()}").render(params, lang)[0].replace("%", "%%")


class _Parser(argparse.ArgumentParser):
    """argparse prints usage and exits; we want one message in the user's language, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise KinerjaError("PERINTAH_SALAH", detail=message)


def build_parser(lang: str = "id") -> argparse.ArgumentParser:
    argparse._ = _argparse_words(lang)  # argparse looks its words up at call time
    sop = contract.definition()
    parser = _Parser(prog="kinerja", description=_h("kinerja", lang))
    parser.add_argument(
        "--version", action="version", version=f"kinerja {__version__}", help=_raw("ARGPARSE_VERSION", lang)
    )
    parser.add_argument("--lang", choices=["id", "en"], default="id", help=_h("lang", lang))
    commands = parser.add_subparsers(dest="command", metavar=_h("command_metavar", lang), parser_class=_Parser)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--json", action="store_true", help=_h("json", lang))
        sub.add_argument("--lang", choices=["id", "en"], default="id", help=_h("lang", lang))

    def workbook(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("file", metavar=_h("file_metavar", lang), type=Path, help=_h("file", lang))

    new = commands.add_parser("new", help=_h("new", lang))
    new.add_argument("-o", "--output", required=True, type=Path, help=_h("new_output", lang))
    new.add_argument("--kecamatan", help=_h("new_kecamatan", lang))
    new.add_argument("--kabupaten", help=_h("new_kabupaten", lang))
    new.add_argument("--tahun", type=int, help=_h("new_tahun", lang))
    new.add_argument(
        "--zona",
        dest="zona_waktu",
        choices=sop.list_values("zona_waktu"),
        help=_h("new_zona", lang, default=sop.defaults["ref_zona_waktu"]),
    )
    new.add_argument("--target", type=float, help=_h("new_target", lang, default=sop.defaults["iku_target"]))
    new.add_argument(
        "--arah", choices=sop.list_values("arah"), help=_h("new_arah", lang, default=sop.defaults["iku_arah"])
    )
    new.add_argument("--desa", dest="desa_file", type=Path, help=_h("new_desa", lang))
    new.add_argument("--logo", type=Path, help=_h("new_logo", lang))
    new.add_argument("--timpa", dest="overwrite", action="store_true", help=_h("new_timpa", lang))
    common(new)

    demo = commands.add_parser("demo", help=_h("demo", lang))
    demo.add_argument("-o", "--output", type=Path, default=Path("kinerja-demo"), help=_h("demo_output", lang))
    common(demo)

    validate = commands.add_parser("validate", help=_h("validate", lang))
    workbook(validate)
    validate.add_argument("--write", action="store_true", help=_h("validate_write", lang))
    common(validate)

    roles = [r.key.replace("_", "-") for r in sop.roles]
    sign = commands.add_parser("sign", help=_h("sign", lang))
    workbook(sign)
    sign.add_argument("--peran", required=True, choices=roles, help=_h("sign_peran", lang))
    sign.add_argument("--keputusan", required=True, help=_h("sign_keputusan", lang))
    sign.add_argument("--catatan", default="", help=_h("sign_catatan", lang))
    sign.add_argument("--yes", action="store_true", help=_h("sign_yes", lang))
    sign.add_argument("--tanpa-kunci", dest="without_key", action="store_true", help=_h("sign_tanpa_kunci", lang))
    sign.add_argument("--nip", help=_h("sign_nip", lang))
    sign.add_argument("--passphrase-file", type=Path, help=_h("sign_passphrase", lang))
    common(sign)

    status = commands.add_parser("status", help=_h("status", lang))
    workbook(status)
    common(status)

    verify = commands.add_parser("verify", help=_h("verify", lang))
    workbook(verify)
    verify.add_argument("--roster", type=Path, help=_h("verify_roster", lang))
    common(verify)

    diff = commands.add_parser("diff", help=_h("diff", lang))
    diff.add_argument("old", metavar=_h("old_metavar", lang), type=Path, help=_h("diff_old", lang))
    diff.add_argument("new", metavar=_h("new_metavar", lang), type=Path, help=_h("diff_new", lang))
    common(diff)

    rekap = commands.add_parser("rekap", help=_h("rekap", lang))
    rekap.add_argument("folder", metavar=_h("folder_metavar", lang), type=Path, help=_h("rekap_folder", lang))
    rekap.add_argument("-o", "--output", required=True, type=Path, help=_h("rekap_output", lang))
    rekap.add_argument("--daftar", type=Path, help=_h("rekap_daftar", lang))
    rekap.add_argument("--proses", type=int, help=_h("rekap_proses", lang))
    common(rekap)

    key = commands.add_parser("key", help=_h("key", lang))
    key_commands = key.add_subparsers(
        dest="key_command", required=True, metavar=_h("command_metavar", lang), parser_class=_Parser
    )
    cetak = commands.add_parser("cetak", help=_h("cetak", lang))
    workbook(cetak)
    cetak.add_argument("-o", "--output", type=Path, help=_h("cetak_output", lang))
    common(cetak)

    key_new = key_commands.add_parser("new", help=_h("key_new", lang))
    key_new.add_argument("--peran", required=True, choices=roles, help=_h("key_peran", lang))
    key_new.add_argument("--nama", required=True, help=_h("key_nama", lang))
    key_new.add_argument("--nip", required=True, help=_h("key_nip", lang))
    key_new.add_argument("--passphrase-file", type=Path, help=_h("key_passphrase", lang))
    common(key_new)
    common(key_commands.add_parser("list", help=_h("key_list", lang)))
    key_export = key_commands.add_parser("export", help=_h("key_export", lang))
    key_export.add_argument("-o", "--output", type=Path, help=_h("key_export_output", lang))
    common(key_export)

    addin = commands.add_parser("addin", help=_h("addin", lang))
    addin_commands = addin.add_subparsers(
        dest="addin_command", required=True, metavar=_h("command_metavar", lang), parser_class=_Parser
    )
    addin_build = addin_commands.add_parser("build", help=_h("addin_build", lang))
    addin_build.add_argument("-o", "--output", type=Path, default=Path("."), help=_h("addin_build_output", lang))
    addin_build.add_argument("--interpreter", type=Path, help=_h("addin_interpreter", lang))
    common(addin_build)
    addin_install = addin_commands.add_parser("install", help=_h("addin_install", lang))
    addin_install.add_argument("--folder", type=Path, help=_h("addin_install_folder", lang))
    addin_install.add_argument("--interpreter", type=Path, help=_h("addin_interpreter", lang))
    addin_install.add_argument("--xlstart", action="store_true", help=_h("addin_xlstart", lang))
    common(addin_install)
    addin_manifest = addin_commands.add_parser("manifest", help=_h("addin_manifest", lang))
    addin_manifest.add_argument("--url", required=True, help=_h("addin_url", lang))
    addin_manifest.add_argument(
        "-o", "--output", type=Path, default=Path("manifest.xml"), help=_h("addin_manifest_output", lang)
    )
    common(addin_manifest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in argv
    lang = "en" if _option(argv, "--lang") == "en" else "id"
    try:
        parser = build_parser(lang)
        if not argv:  # `kinerja` alone: what it can do, not an error
            parser.print_help()
            return OK
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return OK
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
        print(f"{_raw('KATA_DIBUAT', args.lang)}: {path}")
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
        passphrase=_passphrase(args.passphrase_file, interactive, args.lang),
        confirm=None if args.yes or not interactive else lambda preview: report.confirm_sign(preview, args.lang),
    )
    signed = services.sign(args.file, request)
    if args.json:
        _print_json({"file": str(args.file), **report.signed_json(signed, args.lang)})
    else:
        report.print_signed(args.file, signed, args.lang)
    return OK


def _passphrase(path: Path | None, interactive: bool, lang: str = "id"):
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

        def ask(key) -> bytes | None:
            from kinerja.core.findings import text

            prompt = text("KATA_TTD_PASSPHRASE_PROMPT").render({"fingerprint": key.fingerprint}, lang)[0]
            return getpass.getpass(prompt + " ").encode("utf-8") or None

        return ask
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


def _run_rekap(args: argparse.Namespace) -> int:
    """D20: 0 written and every file read without a Galat, 1 a file unreadable or with a
    Galat, 2 the roll-up itself not written. With --json one document on every exit."""
    from kinerja import report, services

    if args.proses is not None and args.proses < 1:
        raise KinerjaError("PERINTAH_SALAH", detail=f"--proses {args.proses}")
    with report.rekap_progress(args.lang) as progress:
        run = services.rekap(
            args.folder, daftar=args.daftar, processes=args.proses, progress=progress, skip=args.output
        )
    try:
        written = services.write_rekap(run, args.output, args.lang)
    except KinerjaError as exc:
        if not args.json:
            raise
        _print_json({"file": str(args.output), "error": exc.to_json(args.lang), **run.rekap.to_json(args.lang)})
        return UNUSABLE
    if args.json:
        _print_json({"file": str(written), "folder": str(args.folder), **run.rekap.to_json(args.lang)})
    else:
        report.print_rekap(run.rekap, written, args.lang)
    return OK if run.rekap.valid else GALAT_FOUND


def _run_addin(args: argparse.Namespace) -> int:
    """The add-in's files: the desktop .xlam (one per button), its install, the web
    manifest. Paths go to stdout, the last line a path (D22); the rest to stderr."""
    from kinerja.addin import commands

    paths, notes = commands.run(args.addin_command, args)
    if args.json:
        _print_json({"files": [str(p) for p in paths], "notes": [_raw_note(n, args.lang) for n in notes]})
    else:
        for note in notes:
            print(_raw_note(note, args.lang), file=sys.stderr)
        for path in paths:
            print(path)
    return OK


def _raw_note(note: tuple[str, dict], lang: str) -> str:
    from kinerja.core.findings import text

    code, params = note
    return text(code).render(params, lang)[0]


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
    "rekap": _run_rekap,
    "addin": _run_addin,
}


def _fail(exc: KinerjaError, wants_json: bool, lang: str, file: str | None) -> int:
    if wants_json:
        _print_json({"file": file, "error": exc.to_json(lang)})
    else:
        message, fix = exc.render(lang)
        print(f"{_raw('KATA_GALAT_LABEL', lang)}: {message}\n{_raw('KATA_FIX', lang)}: {fix}", file=sys.stderr)
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


_VALUED = {
    "--lang",
    "--peran",
    "--keputusan",
    "--catatan",
    "--nip",
    "--passphrase-file",
    "--roster",
    "-o",
    "--output",
    "--daftar",
    "--proses",
}


def _file_argument(argv: list[str]) -> str | None:
    """The file a failed command was about, for the JSON error document."""
    if "rekap" in argv:  # the roll-up's own file is the one it could not write
        return _option(argv, "-o") or _option(argv, "--output")
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
