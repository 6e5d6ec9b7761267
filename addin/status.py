"""The ribbon button ``status``: its add-in file ``kinerja.addin.status.xlam`` runs
``import kinerja.addin.status; kinerja.addin.status.main()`` (see entry.py)."""

from kinerja.addin import entry


def main() -> None:
    entry.run("status")
