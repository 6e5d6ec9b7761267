"""The three buttons as xlwings Server scripts: ``POST …/xlwings/custom-scripts-call/<name>``
with the workbook's payload answers the actions the Office.js client plays. Importable by
xlwings-server itself (``from kinerja.addin.server.scripts import *`` in its
``app/custom_scripts/__init__.py``) as well as by this package's own app (``app.py``).

Each script runs the desktop add-in's action with the server route's host: writes and
message boxes become actions, protection goes through the client's two functions, and
Tanda Tangan answers that signing happens on the signer's own PC.
"""

from __future__ import annotations

from kinerja.addin.server import remote_xlwings

xw = remote_xlwings()

from kinerja.addin import actions  # noqa: E402
from kinerja.addin.host import ServerHost  # noqa: E402
from xlwings.server import script  # noqa: E402  (after the licence key is checked)

__all__ = ["status", "tanda_tangan", "validasi"]


@script(name="Validasi", show_taskpane=True)
def validasi(book: xw.Book):
    actions.validasi(book, ServerHost(book))


@script(name="Tanda Tangan")
def tanda_tangan(book: xw.Book):
    actions.tanda_tangan(book, ServerHost(book))


@script(name="Status")
def status(book: xw.Book):
    actions.status(book, ServerHost(book))
