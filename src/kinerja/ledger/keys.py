"""Signing keys: one Ed25519 pair per official, kept in the user's profile, never in a
workbook (the `cryptography` package does the cryptography).

The profile folder is `KINERJA_HOME` when set, else the platform's per-user settings
folder (`%APPDATA%\\kinerja` on Windows, `~/Library/Application Support/kinerja` on a
Mac, `$XDG_CONFIG_HOME/kinerja` or `~/.config/kinerja` elsewhere). Each key is two files
named by its fingerprint: the private key as PKCS#8 PEM (mode 0600, encrypted when a
passphrase is given) and who it belongs to (role, name, NIP, created), as JSON.

The fingerprint is what people compare and type into `tblPejabat[Sidik Kunci]` and the
office roster: the first 80 bits of SHA-256 over the raw public key, in groups of four
hex digits (`3F2A-91C0-77DE-0B12-AA90`) — short enough to read aloud, far beyond what
anyone could forge by search.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from kinerja.core.findings import KinerjaError
from kinerja.core.nip import normalize as normalize_nip

FINGERPRINT_BYTES = 10
_HEX = re.compile(r"[^0-9A-F]")


def home() -> Path:
    """Where this user's keys live."""
    given = os.environ.get("KINERJA_HOME")
    if given:
        return Path(given)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "kinerja"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "kinerja"
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "kinerja"


def fingerprint(public_raw: bytes) -> str:
    digest = hashlib.sha256(public_raw).hexdigest()[: FINGERPRINT_BYTES * 2].upper()
    return "-".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def normalize_fingerprint(text: object) -> str:
    """A fingerprint as typed (spaces, lower case, another separator) in its one form."""
    digits = _HEX.sub("", str(text or "").upper())
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def public_key_text(public_raw: bytes) -> str:
    """The `Kunci Publik` cell: the 32 raw bytes in base64."""
    return base64.b64encode(public_raw).decode("ascii")


def public_key_from_text(text: str) -> bytes | None:
    try:
        raw = base64.b64decode(text.strip().encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    return raw if len(raw) == 32 else None


@dataclass(frozen=True)
class KeyInfo:
    """Who a key belongs to; the private key stays in its file until it signs."""

    peran: str
    nama: str
    nip: str
    fingerprint: str
    public_key: str  # base64, as the ledger writes it
    created: str  # ISO date
    encrypted: bool

    def private_path(self, folder: Path) -> Path:
        return folder / f"{self.fingerprint}.pem"


def keys_folder(base: Path | None = None) -> Path:
    return (base or home()) / "keys"


def new_key(peran: str, nama: str, nip: str, passphrase: bytes | None = None, base: Path | None = None) -> KeyInfo:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return _store(Ed25519PrivateKey.generate(), peran, nama, nip, passphrase, base)


def store_key(private_raw: bytes, peran: str, nama: str, nip: str, base: Path) -> KeyInfo:
    """Keep a given key (the demo's throwaway keys are derived from a fixed seed)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return _store(Ed25519PrivateKey.from_private_bytes(private_raw), peran, nama, nip, None, base)


def _store(private, peran: str, nama: str, nip: str, passphrase: bytes | None, base: Path | None) -> KeyInfo:
    from cryptography.hazmat.primitives import serialization

    public_raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    info = KeyInfo(
        peran=peran,
        nama=nama.strip(),
        nip=normalize_nip(nip),
        fingerprint=fingerprint(public_raw),
        public_key=public_key_text(public_raw),
        created=dt.date.today().isoformat(),
        encrypted=bool(passphrase),
    )
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    folder = keys_folder(base)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _private_file(info.private_path(folder)) as fh:
            fh.write(pem)
        (folder / f"{info.fingerprint}.json").write_text(
            json.dumps(asdict(info), ensure_ascii=False, indent=2), encoding="utf-8"
        )
    except OSError as exc:
        raise KinerjaError("KUNCI_GAGAL_SIMPAN", path=str(folder), detail=exc.strerror or str(exc)) from exc
    return info


@contextlib.contextmanager
def _private_file(path: Path) -> Iterator[BinaryIO]:
    """A new file only its owner may read (0600), created that way rather than chmod-ed
    later, so the private key is never readable by others for an instant."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        yield fh
    if os.name == "posix":
        os.chmod(path, 0o600)


def list_keys(base: Path | None = None) -> list[KeyInfo]:
    folder = keys_folder(base)
    out = []
    for meta in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            info = KeyInfo(**json.loads(meta.read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if info.private_path(folder).exists():
            out.append(info)
    return sorted(out, key=lambda k: (k.peran, k.nama, k.created))


def load_private(info: KeyInfo, passphrase: bytes | None, base: Path | None = None):
    """The private key, ready to sign; a wrong or missing passphrase is its own error."""
    from cryptography.hazmat.primitives import serialization

    path = info.private_path(keys_folder(base))
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise KinerjaError("KUNCI_RUSAK", path=str(path)) from exc
    if info.encrypted and not passphrase:
        raise KinerjaError("KUNCI_PERLU_SANDI", fingerprint=info.fingerprint)
    try:
        return serialization.load_pem_private_key(pem, password=passphrase if info.encrypted else None)
    except (ValueError, TypeError) as exc:
        if info.encrypted:
            raise KinerjaError("KUNCI_SANDI_SALAH", fingerprint=info.fingerprint) from exc
        raise KinerjaError("KUNCI_RUSAK", path=str(path)) from exc


def verify_signature(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
