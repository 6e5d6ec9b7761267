"""The ribbon button ``tanda_tangan``: its add-in file ``kinerja.addin.tanda_tangan.xlam`` runs
``import kinerja.addin.tanda_tangan; kinerja.addin.tanda_tangan.main()`` (see entry.py)."""

from kinerja.addin import entry


def main() -> None:
    entry.run("tanda_tangan")
