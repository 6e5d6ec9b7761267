"""Writing a user's file without ever leaving it half-written (D4, pip's filesystem.py).

The new content goes to a temp file beside the target (same folder, so the final rename
is atomic), is flushed and fsynced, checked by a caller-supplied reader, and only then
replaces the target; the previous version is kept as NAME.bak.xlsx, itself written
atomically, so a write killed at any moment leaves the original or the new file, and a
good backup. Scratch files are named `.~NAME….kinerja.tmp` / `.kinerja.lock`: no
spreadsheet program, no user and no `kinerja rekap` mistakes them for a workbook, and the
next write removes any a killed run left. A symlink's target is written, never the link.
Excel on Windows holds open files locked: that becomes one clear message and nothing
changes. One writer at a time per file: a lock beside it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from kinerja.core.findings import KinerjaError

RETRY_SECONDS = 1.0  # Windows: a scanner or indexer holds a file for a moment
LOCK_WAIT_SECONDS = 5.0  # a second writer waits this long for the first, then refuses
STALE_LOCK_SECONDS = 600  # a lock this old was left by a killed run
FRESH_LOCK_SECONDS = 5  # a lock without its pid yet is being written, not left
SCRATCH_PREFIX = ".~"
TMP_SUFFIX = ".kinerja.tmp"
LOCK_SUFFIX = ".kinerja.lock"


def backup_path(target: Path) -> Path:
    """book.xlsx -> book.bak.xlsx, beside it."""
    return target.with_name(f"{target.stem}.bak{target.suffix}")


def is_scratch(path: Path) -> bool:
    """A temp or lock file of ours (rekap and directory listings skip these)."""
    return path.name.startswith(SCRATCH_PREFIX) and path.name.endswith((TMP_SUFFIX, LOCK_SUFFIX))


def real_target(path: Path) -> Path:
    """The file a path names: a symlink's target is written and the link is kept."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _temp_beside(target: Path) -> Path:
    """A new empty file beside ``target`` (same folder: the rename stays atomic)."""
    fd, name = tempfile.mkstemp(prefix=f"{SCRATCH_PREFIX}{target.name}.", suffix=TMP_SUFFIX, dir=target.parent)
    os.close(fd)
    return Path(name)


def lock_path(target: Path) -> Path:
    return target.with_name(f"{SCRATCH_PREFIX}{target.name}{LOCK_SUFFIX}")


def clean_scratch(target: Path) -> None:
    """Temp files a killed write left beside ``target`` and its backup (call while
    holding its lock)."""
    prefixes = tuple(f"{SCRATCH_PREFIX}{p.name}." for p in (target, backup_path(target)))
    for leftover in target.parent.glob(f"{SCRATCH_PREFIX}*{TMP_SUFFIX}"):
        if leftover.name.startswith(prefixes):
            with contextlib.suppress(OSError):
                leftover.unlink()


@contextlib.contextmanager
def writer_lock(target: Path, wait: float | None = None) -> Iterator[None]:
    """One writer at a time per file: the second waits briefly, then refuses."""
    lock = lock_path(target)
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait is None else wait)
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            if _stale(lock):
                with contextlib.suppress(OSError):
                    lock.unlink()
                continue
            if time.monotonic() >= deadline:
                raise KinerjaError("BERKAS_SEDANG_DITULIS", path=str(target)) from None
            time.sleep(0.1)
        except OSError as exc:  # a read-only folder: the write would fail anyway
            raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(target), detail=exc.strerror or str(exc)) from exc
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
        os.close(fd)
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()


def _stale(lock: Path) -> bool:
    """A lock whose process is gone (POSIX) or that is older than any real write."""
    try:
        age = time.time() - lock.stat().st_mtime
    except OSError:
        return True  # gone meanwhile: try again
    try:
        pid = int(lock.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        # No pid yet: its writer may be between creating the lock and writing into it.
        return age > FRESH_LOCK_SECONDS
    if age > STALE_LOCK_SECONDS:
        return True
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return False


def write_atomic(
    target: Path,
    write: Callable[[Path], None],
    verify: Callable[[Path], None] | None = None,
    keep_backup: bool = True,
    expect: bytes | None = None,
) -> Path | None:
    """Run ``write(tmp)``, then ``verify(tmp)`` (raise to refuse), then replace ``target``.

    ``expect`` is the content the caller read: when the file on disk no longer holds it
    (someone saved it meanwhile), nothing is replaced. Returns the backup's path, if any.
    """
    target = real_target(target)
    tmp: Path | None = None
    try:
        try:
            tmp = _temp_beside(target)
            write(tmp)
            # The workbook keeps the permissions it had, or gets the usual ones, so
            # colleagues on a shared folder can open it.
            os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
            _fsync(tmp)
        except OSError as exc:  # a read-only folder, a full disk: nothing was touched
            raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(target), detail=exc.strerror or str(exc)) from exc
        if verify is not None:
            verify(tmp)
        try:
            backup = None
            if target.exists():
                previous = target.read_bytes()
                if expect is not None and _digest(previous) != _digest(expect):
                    raise KinerjaError("BERKAS_BERUBAH", path=str(target))
                if keep_backup:
                    backup = backup_path(target)
                    _write_bytes_atomic(backup, previous)
            _retry(lambda: os.replace(tmp, target))
            _fsync_folder(target.parent)
            return backup
        except PermissionError as exc:  # Excel on Windows holds the open workbook locked
            raise KinerjaError("BERKAS_TERKUNCI", path=str(exc.filename or target)) from exc
        except OSError as exc:
            raise KinerjaError("BERKAS_GAGAL_TULIS", path=str(target), detail=exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _write_bytes_atomic(target: Path, data: bytes) -> None:
    """The backup too is replaced whole, never truncated and then filled."""
    tmp = _temp_beside(target)
    try:
        tmp.write_bytes(data)
        _fsync(tmp)
        _retry(lambda: os.replace(tmp, target))
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_folder(folder: Path) -> None:
    """The rename itself survives a power cut only once the folder is synced (POSIX)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
