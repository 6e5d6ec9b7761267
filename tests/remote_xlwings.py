"""xlwings' remote engine for the add-in tests, with the licence key set as the add-in
sets it at run time (D23): ``noncommercial``, a government office's use."""

from __future__ import annotations

import os

LICENCE = "noncommercial"


def remote_xlwings(monkeypatch):
    """The xlwings module with its remote engine (``xlwings.Book(json=...)``) available.

    xlwings checks the key when it is first imported; if another test imported it before
    the key was set, the remote engine is added now, the way xlwings' own import does."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", LICENCE)
    import xlwings

    if "remote" not in [engine.name for engine in xlwings.engines]:
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xlwings.engines.add(Engine(impl=_xlremote.engine))
    assert os.environ["XLWINGS_LICENSE_KEY"] == LICENCE
    return xlwings
