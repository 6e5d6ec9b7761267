"""What `kinerja addin build | install | manifest` do, for the command line to render:
the files written, and the notes (catalogue code, parameters) to tell the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kinerja.core.findings import KinerjaError

Note = tuple[str, dict[str, Any]]


def run(command: str, args: Any) -> tuple[list[Path], list[Note]]:
    return {"build": build, "install": install, "manifest": manifest}[command](args)


def build(args: Any) -> tuple[list[Path], list[Note]]:
    from kinerja.addin import xlam

    try:
        files = xlam.build_addins(args.output, interpreter=str(args.interpreter) if args.interpreter else None)
    except xlam.TemplateError as exc:
        raise KinerjaError("ADDIN_XLWINGS_VERSI", expected=xlam.XLWINGS_VERSION, detail=str(exc)) from None
    except PermissionError as exc:
        raise KinerjaError("ADDIN_DIPAKAI", path=str(exc.filename or args.output)) from None
    except OSError as exc:
        raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(args.output), detail=exc.strerror or str(exc)) from None
    return [p.resolve() for p in files], []


def install(args: Any) -> tuple[list[Path], list[Note]]:
    from kinerja.addin.install import install as install_addin

    done = install_addin(args.folder, args.interpreter, xlstart=args.xlstart)
    notes: list[Note] = [("KATA_ADDIN_DIPASANG", {}), ("KATA_ADDIN_FOLDER", {"folder": str(done.folder)})]
    for version in sorted({v for v, _ in done.registered}):
        names = ", ".join(n for v, n in done.registered if v == version)
        notes.append(("KATA_ADDIN_TERDAFTAR", {"version": version, "names": names}))
    if done.dll_missing:
        notes.append(("KATA_ADDIN_DLL_HILANG", {"dll": done.dll_missing}))
    notes.append(("KATA_ADDIN_BUKA_LAGI", {}))
    return list(done.files), notes


def manifest(args: Any) -> tuple[list[Path], list[Note]]:
    from kinerja.addin.server.manifest import write_manifest

    return [write_manifest(args.url, args.output).resolve()], []
