"""Writing a user's file without ever leaving it half-written (D4, pip's filesystem.py).

The new content goes to a temp file beside the target (same folder, so the final rename
is atomic), is flushed and fsynced, checked by a caller-supplied reader, and only then
replaces the target; the previous version is kept as NAME.bak.xlsx. Excel on Windows
holds open files locked: that becomes one clear message and nothing changes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kinerja.core.findings import KinerjaError

RETRY_SECONDS = 1.0


def backup_path(target: Path) -> Path:
    """book.xlsx -> book.bak.xlsx, beside it."""
    return target.with_name(f"{target.stem}.bak{target.suffix}")


def write_atomic(
    target: Path,
    write: Callable[[Path], None],
    verify: Callable[[Path], None] | None = None,
    keep_backup: bool = True,
) -> None:
    """Run ``write(tmp)``, then ``verify(tmp)`` (raise to refuse), then replace ``target``."""
    target = Path(target)
    tmp: Path | None = None
    try:
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp" + target.suffix, dir=target.parent)
            os.close(fd)
            tmp = Path(tmp_name)
            write(tmp)
            # mkstemp makes the file private (0600); the workbook keeps the permissions it
            # had, or gets the usual ones, so colleagues on a shared folder can open it.
            os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        except OSError as exc:  # a read-only folder, a full disk: nothing was touched
            raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(target), detail=exc.strerror or str(exc)) from exc
        if verify is not None:
            verify(tmp)
        try:
            if keep_backup and target.exists():
                _retry(lambda: shutil.copy2(target, backup_path(target)))
            _retry(lambda: os.replace(tmp, target))
        except PermissionError as exc:  # Excel on Windows holds the open workbook locked
            raise KinerjaError("BERKAS_TERKUNCI", path=str(target)) from exc
        except OSError as exc:
            raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(target), detail=exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _retry(action: Callable[[], object]) -> None:
    """Windows refuses a replace while a virus scanner or indexer holds the file for a
    moment; retry briefly before calling it locked (pip's retry)."""
    deadline = time.monotonic() + RETRY_SECONDS
    while True:
        try:
            action()
            return
        except PermissionError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.1)
