"""The web add-in (Excel 365, Excel for Mac, Excel on the web) through xlwings Server.

``scripts`` holds the three buttons as xlwings ``@script`` functions (the same actions as
the desktop add-in, ``kinerja.addin.actions``); ``app`` is a small FastAPI app that serves
them with the manifest, the task pane and the Office.js client (``static/kinerja.js``);
``manifest`` writes the manifest (no server needed for that). A regency can host it for
all its kecamatan: Validasi and Status work there; signing stays on the signer's own PC.

xlwings Server's Python side (``xlwings.pro``, the remote engine) is PolyForm
Noncommercial or a paid licence; it checks ``XLWINGS_LICENSE_KEY`` when xlwings is first
imported, so :func:`remote_xlwings` is the one way this package imports it.
"""

from __future__ import annotations

import os

from kinerja.core.findings import KinerjaError

LICENCE_VARIABLE = "XLWINGS_LICENSE_KEY"


def remote_xlwings():
    """xlwings with its remote engine, or ADDIN_SERVER_LISENSI when no key is set (the
    choice of licence is the deployer's: ``noncommercial`` for a government office)."""
    if not os.environ.get(LICENCE_VARIABLE):
        raise KinerjaError("ADDIN_SERVER_LISENSI")
    import xlwings

    if "remote" not in [engine.name for engine in xlwings.engines]:
        # xlwings was imported before the key was set: validate it now, as its import does.
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xlwings.engines.add(Engine(impl=_xlremote.engine))
    return xlwings
