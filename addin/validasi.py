"""The ribbon button ``validasi``: its add-in file ``kinerja.addin.validasi.xlam`` runs
``import kinerja.addin.validasi; kinerja.addin.validasi.main()`` (see entry.py)."""

from kinerja.addin import entry


def main() -> None:
    entry.run("validasi")
