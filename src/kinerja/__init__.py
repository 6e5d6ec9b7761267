"""kinerja: the workbook, validator and sign-off ledger of the SOP Pengumpulan Data
Kinerja Indikator Partisipasi Delegasi Musrenbangcam."""

__version__ = "0.1.0"


def main() -> None:
    """Entry point for the console script and ``python -m kinerja``."""
    from kinerja.cli import main as cli_main

    raise SystemExit(cli_main())
