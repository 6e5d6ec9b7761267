"""kinerja: the workbook, validator and sign-off ledger of the SOP Pengumpulan Data
Kinerja Indikator Partisipasi Delegasi Musrenbangcam."""

__version__ = "0.1.0"


def main() -> None:
    """``python -m kinerja``, and the add-in's entry: a ribbon button of an add-in file
    named ``kinerja.xlam`` runs ``import kinerja; kinerja.main()`` (the xlwings template's
    macro). Called from Excel, the add-in answers and the command line never starts (its
    SystemExit would land in Excel's persistent Python); otherwise this is the command
    line, as the console script ``kinerja`` (``kinerja.cli:main``) is."""
    from kinerja.addin.entry import main as addin_main

    if addin_main():
        return
    from kinerja.cli import main as cli_main

    raise SystemExit(cli_main())
