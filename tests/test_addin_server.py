"""The web add-in's server through FastAPI's TestClient: the endpoints xlwings Server's
clients call answer the same payloads with the same actions as the desktop add-in, the
task pane's list has the findings ``kinerja validate`` has, signing is refused with where
to sign, and the manifest, pages and client are the add-in's own."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from addin_hosts import MACROS
from kinerja.addin.payload import alerts, apply_actions, book_payload
from remote_xlwings import remote_xlwings
from test_addin_actions import NEEDS_THE_FILE, defects, file_route_findings, filled, links, validate_file_route
from test_write_results import results_rows

from kinerja.core.findings import KinerjaError, text

OFFICE = "{http://schemas.microsoft.com/office/appforoffice/1.1}"
OVERRIDES = "{http://schemas.microsoft.com/office/taskpaneappversionoverrides}"
BT = "{http://schemas.microsoft.com/office/officeappbasictypes/1.0}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
STATIC = Path(__file__).resolve().parents[1] / "addin" / "server" / "static"


@pytest.fixture
def client(monkeypatch):
    from fastapi.testclient import TestClient

    remote_xlwings(monkeypatch)
    from kinerja.addin.server.app import create_app

    with TestClient(create_app(), base_url="https://kinerja.example.go.id") as test_client:
        yield test_client


def call(client, script: str, path: Path) -> dict:
    response = client.post(f"/xlwings/custom-scripts-call/{script}", json=book_payload(path))
    assert response.status_code == 200, response.text
    return response.json()


# ---------------------------------------------------------------------- the scripts
def test_server_validasi_answers_the_actions_that_give_what_validate_write_writes(client, book, tmp_path):
    path = defects(book)
    answer = call(client, "validasi", path)
    by_server = apply_actions(path, answer, tmp_path / "server.xlsx", macros=MACROS)
    by_file = validate_file_route(Path(shutil.copyfile(path, tmp_path / "file.xlsx")))
    assert results_rows(by_server) == results_rows(by_file)
    assert links(by_server) == links(by_file) and filled(by_server) == filled(by_file)
    (alert,) = alerts(answer)
    assert alert["title"] == text("ADDIN_JUDUL_VALIDASI").pesan and alert["mode"] == "critical"


def test_server_status_is_one_message_and_writes_nothing(client, demo_workbook):
    answer = call(client, "status", demo_workbook)
    assert [a["func"] for a in answer["actions"]] == ["alert"]
    assert text("KATA_TTD_STAGE").pesan in answer["actions"][0]["args"][0]


def test_server_tanda_tangan_says_signing_stays_on_the_signers_pc(client, demo_workbook):
    answer = call(client, "tanda_tangan", demo_workbook)
    (alert,) = alerts(answer)
    message, fix = KinerjaError("ADDIN_TTD_DI_SERVER", file="demo.xlsx").render("id")
    assert alert["prompt"] == f"{message}\n\nCara memperbaiki: {fix}"
    assert [a["func"] for a in answer["actions"]] == ["alert"]


def test_server_lists_its_three_scripts(client):
    meta = client.get("/xlwings/custom-scripts-meta.json").json()
    assert sorted(m["function_name"] for m in meta) == ["status", "tanda_tangan", "validasi"]


def test_server_the_task_pane_lists_the_findings_validate_reports(client, book):
    path = defects(book)
    listed = client.post("/kinerja/temuan", json=book_payload(path)).json()
    by_pane = {(f["code"], f["sheet"], f["cell"]) for f in listed["findings"]}
    assert by_pane == {f for f in file_route_findings(path) if f[0] not in NEEDS_THE_FILE}
    from kinerja.validators.engine import validate_file

    in_order = [(f.code, f.sheet, f.cell) for f in validate_file(path).findings if f.code not in NEEDS_THE_FILE]
    assert [(f["code"], f["sheet"], f["cell"]) for f in listed["findings"]] == in_order  # workbook order, as everywhere
    assert "foto" in listed["not_checked"] and listed["summary"].startswith("Divalidasi ")


def test_server_a_workbook_that_is_not_ours_is_its_message_in_the_pane(client, tmp_path):
    import openpyxl

    path = tmp_path / "lain.xlsx"
    openpyxl.Workbook().save(path)
    response = client.post("/kinerja/temuan", json=book_payload(path))
    assert response.status_code == 422 and response.json()["error"]["code"] == "BERKAS_BUKAN_TEMPLAT"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [(b"not json", 400, "ADDIN_PAYLOAD_SALAH"), (b'{"sheets": "x"}', 400, "ADDIN_PAYLOAD_SALAH")],
)
def test_server_what_is_not_a_workbook_is_refused_with_a_coded_message(client, body, status, code):
    response = client.post("/xlwings/custom-scripts-call/validasi", content=body)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert response.json()["detail"]  # the Office.js client shows this


def test_server_refuses_a_payload_larger_than_its_limit_before_parsing(client, monkeypatch, demo_workbook):
    from kinerja.addin.server import app

    monkeypatch.setattr(app, "MAX_BODY", 1000)
    response = client.post("/xlwings/custom-scripts-call/validasi", json=book_payload(demo_workbook))
    assert (response.status_code, response.json()["error"]["code"]) == (413, "ADDIN_PAYLOAD_BESAR")


def test_server_an_unknown_script_is_not_found(client, demo_workbook):
    assert client.post("/xlwings/custom-scripts-call/hapus", json=book_payload(demo_workbook)).status_code == 404


def test_server_does_not_start_without_a_licence_key(monkeypatch):
    from kinerja.addin.server.app import create_app

    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    with pytest.raises(KinerjaError) as refused:
        create_app()
    assert refused.value.code == "ADDIN_SERVER_LISENSI"
    assert "noncommercial" in refused.value.render("id")[1] and "PolyForm" in refused.value.render("id")[1]


# ---------------------------------------------------------------------- the manifest
def test_server_manifest_has_the_tab_and_three_buttons(client):
    root = ET.fromstring(client.get("/manifest.xml").content)
    base = "https://kinerja.example.go.id"
    assert root.find(f"{OFFICE}DefaultSettings/{OFFICE}SourceLocation").get("DefaultValue") == base + "/taskpane.html"
    strings = {s.get("id"): s.get("DefaultValue") for s in root.iter(f"{BT}String")}
    assert strings["Tab.Label"] == "SOP Kinerja"
    controls = list(root.iter(f"{OVERRIDES}Control"))
    labels = [strings[c.find(f"{OVERRIDES}Label").get("resid")] for c in controls]
    assert labels == ["Validasi", "Tanda Tangan", "Status"]
    kinds = [c.find(f"{OVERRIDES}Action").get(f"{XSI}type") for c in controls]
    assert kinds == ["ShowTaskpane", "ExecuteFunction", "ExecuteFunction"]
    functions = [c.findtext(f"{OVERRIDES}Action/{OVERRIDES}FunctionName") for c in controls[1:]]
    commands = client.get("/commands.html").text
    for function in functions:
        assert f'Office.actions.associate("{function}"' in commands  # each button's function exists
    urls = {u.get("id"): u.get("DefaultValue") for u in root.iter(f"{BT}Url")}
    assert urls == {"Commands.Url": base + "/commands.html", "Taskpane.Url": base + "/taskpane.html"}
    for image in root.iter(f"{BT}Image"):
        if image.get("DefaultValue"):
            assert client.get(image.get("DefaultValue").removeprefix(base)).headers["content-type"] == "image/png"


def test_server_manifest_texts_fit_offices_limits_and_speak_english_too(client):
    root = ET.fromstring(client.get("/manifest.xml").content)
    short = root.find(f".//{BT}ShortStrings")
    long = root.find(f".//{BT}LongStrings")
    for strings, limit in ((short, 125), (long, 250)):
        for s in strings:
            assert len(s.get("DefaultValue")) <= limit and len(s.find(f"{BT}Override").get("Value")) <= limit


def test_server_manifest_command_writes_the_same_manifest_with_a_stable_id(tmp_path, capsys):
    from kinerja.cli import main

    out = tmp_path / "manifest.xml"
    assert main(["addin", "manifest", "--url", "https://kinerja.example.go.id/", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(out.resolve())
    first = ET.parse(out).getroot().findtext(f"{OFFICE}Id")
    main(["addin", "manifest", "--url", "https://kinerja.example.go.id", "-o", str(out)])
    assert ET.parse(out).getroot().findtext(f"{OFFICE}Id") == first
    other = tmp_path / "other.xml"
    main(["addin", "manifest", "--url", "https://kinerja.lain.go.id", "-o", str(other)])
    assert ET.parse(other).getroot().findtext(f"{OFFICE}Id") != first


@pytest.mark.parametrize("url", ["http://kinerja.example.go.id", "ftp://x", "kinerja", "https://x/?a=1"])
def test_server_manifest_refuses_an_address_excel_would_not_load(url, capsys):
    from kinerja.cli import main

    assert main(["addin", "manifest", "--url", url, "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "ADDIN_MANIFEST_URL"


# ---------------------------------------------------------------------- pages and client
@pytest.mark.parametrize("page", ["/", "/taskpane.html", "/commands.html", "/dialog.html"])
def test_server_pages_have_every_word_filled_in(client, page):
    html = client.get(page).text
    assert not re.search(r"\$(JS_)?(ADDIN|KATA)_", html), "a catalogue word left unfilled"
    for src in re.findall(r'<script src="([^"]+)"', html):
        if src.startswith("https://kinerja.example.go.id"):
            assert client.get(src.removeprefix("https://kinerja.example.go.id")).status_code == 200
    english = client.get(page + ("&" if "?" in page else "?") + "lang=en").text
    assert not re.search(r"\$(JS_)?(ADDIN|KATA)_", english)


def test_server_the_client_plays_every_action_the_scripts_send(client, book):
    js = client.get("/static/kinerja.js").text
    assert '"__XLWINGS_VERSION__"' not in js and '"0.37.8"' in js
    played = set(re.findall(r"^    (\w+)\(context, sheets, action\)", js, re.M)) | {"alert", "runMacro"}
    path = defects(book)
    sent = {
        a["func"] for script in ("validasi", "status", "tanda_tangan") for a in call(client, script, path)["actions"]
    }
    assert sent <= played, sent - played
    macros = {a["args"][0] for a in call(client, "validasi", path)["actions"] if a["func"] == "runMacro"}
    for name in macros:
        assert f"async {name}(context" in js


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_server_the_javascript_parses(tmp_path):
    files = [STATIC / "kinerja.js", STATIC / "taskpane.js"]
    for page in ("taskpane.html", "commands.html", "dialog.html"):
        for i, script in enumerate(re.findall(r"<script>(.*?)</script>", (STATIC / page).read_text(), re.S)):
            target = tmp_path / f"{page}.{i}.js"
            target.write_text(re.sub(r"\$JS_\w+", '"x"', script))
            files.append(target)
    for f in files:
        done = subprocess.run(["node", "--check", str(f)], capture_output=True, text=True)
        assert done.returncode == 0, (f.name, done.stderr)


def test_server_the_package_ships_its_static_files():
    import kinerja.addin.server

    static = Path(kinerja.addin.server.__file__).parent / "static"
    assert {p.name for p in static.iterdir()} >= {
        "kinerja.js",
        "taskpane.js",
        "taskpane.html",
        "commands.html",
        "dialog.html",
        "index.html",
    }


def test_server_module_without_a_licence_key_says_so_and_exits_2(monkeypatch, capsys):
    from kinerja.addin.server.__main__ import main

    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    assert main(["--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Galat: ") and "XLWINGS_LICENSE_KEY=noncommercial" in err
