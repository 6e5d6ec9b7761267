"""The Excel add-in (xlwings): validate and sign off with one click.

``payload`` turns a workbook file into what xlwings' remote engine receives, and plays
its answer back (test infrastructure); ``xlam`` builds the desktop add-in files from the
pinned xlwings ribbon template; ``entry`` and the button modules (``validasi``,
``tanda_tangan``, ``status``) are where a ribbon click lands. docs/xlwings-notes.md says
what each engine can do. The commands the actions call already exist in
:mod:`kinerja.services`."""
