"""The web add-in's Office.js client (addin/server/static/kinerja.js) run in node against a
stand-in for Office.js (tests/js/fake_office.js): it reads a workbook into exactly the
payload xlwings' remote engine takes, and plays the Validasi script's actions into the
same results sheet, marks and links that the actions give when played onto the file, with
each sheet unprotected only while it is written."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from addin_hosts import ScriptedHost
from kinerja.addin import actions
from kinerja.addin.payload import book_payload
from kinerja.addin.server.app import _static
from remote_xlwings import remote_xlwings
from test_addin_actions import NOW, defects, filled, links, validate_in_book

from kinerja import present
from kinerja.core import contract

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
FAKE = Path(__file__).resolve().parent / "js" / "fake_office.js"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
_EPOCH = dt.datetime(1970, 1, 1)


def as_open_in_excel(payload: dict) -> dict:
    """The workbook as Excel holds it: a date cell is a serial number whose number format
    is of the Date (or Time) category, which the client turns into ISO text."""
    book = json.loads(json.dumps(payload))
    for sheet in book["sheets"]:
        categories = []
        for row in sheet["values"]:
            kinds = []
            for j, value in enumerate(row):
                if isinstance(value, str) and _ISO.match(value):
                    moment = dt.datetime.fromisoformat(value[:-1])
                    row[j] = 25569 + (moment - _EPOCH) / dt.timedelta(days=1)
                    kinds.append("Time" if moment.date() == dt.date(1899, 12, 30) else "Date")
                else:
                    kinds.append("General")
            categories.append(kinds)
        sheet["categories"] = categories
    return book


def run_client(tmp_path: Path, payload: dict, actions_list: list) -> dict:
    (tmp_path / "book.json").write_text(json.dumps(as_open_in_excel(payload)))
    (tmp_path / "actions.json").write_text(json.dumps(actions_list))
    (tmp_path / "kinerja.js").write_bytes(_static("kinerja.js"))  # as the server serves it
    done = subprocess.run(
        ["node", str(FAKE), str(tmp_path / "book.json"), str(tmp_path / "actions.json"), str(tmp_path / "kinerja.js")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def xw(monkeypatch):
    return remote_xlwings(monkeypatch)


def test_addin_client_reads_the_payload_the_remote_engine_takes(tmp_path, demo_workbook):
    payload = book_payload(demo_workbook)
    assert run_client(tmp_path, payload, [])["payload"] == json.loads(json.dumps(payload))


def test_addin_client_plays_validasi_into_what_the_file_gets(xw, book, tmp_path):
    path = defects(book)
    payload = book_payload(path)
    the_book = xw.Book(json=json.loads(json.dumps(payload)))
    actions.validasi(the_book, ScriptedHost(the_book), now=NOW)
    played = run_client(tmp_path, payload, the_book.json()["actions"])
    assert played["error"] is None and len(played["alerts"]) == 1

    on_file, _, _ = validate_in_book(xw, path, tmp_path / "on-file.xlsx")
    hasil = played["after"][contract.HASIL_SHEET]
    import openpyxl

    ws = openpyxl.load_workbook(on_file)[contract.HASIL_SHEET]
    for row in ws.iter_rows():
        for cell in row:
            shown = (
                hasil[cell.row - 1][cell.column - 1] if cell.row <= len(hasil) and cell.column <= len(hasil[0]) else ""
            )
            assert (shown if shown != "" else None) == cell.value, cell.coordinate

    fills = [e[1:] for e in played["log"] if e[0] == "fill"]
    galat = "#" + present.MARK_RGB[present.Level.GALAT]
    assert {(sheet, ref) for sheet, ref, colour in fills if colour.upper() == galat} == filled(on_file)
    placed = {ref: link["documentReference"] for _, _, ref, link in (e for e in played["log"] if e[0] == "link")}
    assert placed == links(on_file)
    opened = [e[1] for e in played["log"] if e[0] == "unprotect"]
    closed = [e[1] for e in played["log"] if e[0] == "protect"]
    assert opened == closed and contract.HASIL_SHEET in opened  # every sheet it opened is protected again
    assert played["log"][-1] == ["activate", contract.HASIL_SHEET]


def test_addin_client_refuses_an_action_it_does_not_play(tmp_path, demo_workbook):
    unknown = [
        {
            "func": "rangeMerge",
            "args": [False],
            "values": None,
            "sheet_position": 0,
            "start_row": 0,
            "start_column": 0,
            "row_count": 1,
            "column_count": 1,
        }
    ]
    assert "rangeMerge" in run_client(tmp_path, book_payload(demo_workbook), unknown)["error"]
