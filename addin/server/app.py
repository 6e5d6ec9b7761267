"""A small FastAPI app for the web add-in: the routes xlwings Server's clients use, plus
the manifest, the task pane and the Office.js client of this package.

    XLWINGS_LICENSE_KEY=noncommercial uvicorn --factory kinerja.addin.server.app:create_app

- ``POST /xlwings/custom-scripts-call/{name}``: the workbook's payload in, the actions of
  the script out (``{"actions": [...]}``), as xlwings-server answers;
- ``GET /xlwings/custom-scripts-meta.json``: the scripts and their options;
- ``POST /kinerja/temuan``: the same payload in, the findings as JSON out, for the task
  pane's list (click → cell); nothing is written;
- ``GET /manifest.xml``, ``/taskpane.html``, ``/commands.html``, ``/dialog.html``,
  ``/static/…``: the add-in itself, its words from the catalogue.

The app holds no workbook and no key: each request's workbook lives for that request.
xlwings' remote engine keeps its books in one process-wide list and addresses the newest
(``books.active``) for message boxes, so requests run one at a time (they take tens of
milliseconds). A payload larger than ``MAX_BODY`` is refused before it is parsed.
"""

import asyncio
import functools
import html
import io
import json
import os
from importlib import resources
from string import Template
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from kinerja.addin.server import manifest, remote_xlwings

from kinerja.core.findings import LANGS, KinerjaError, text

MAX_BODY = 40 * 1024 * 1024  # a workbook of 500 attendees is about 1 MB as a payload
PAGES = ("taskpane.html", "commands.html", "dialog.html")
SCRIPTS_JS = ("kinerja.js", "taskpane.js")
URL_VARIABLE = "KINERJA_ADDIN_URL"  # the public https address, when a proxy hides it


def create_app() -> FastAPI:
    xw = remote_xlwings()  # no licence key: the server does not start (ADDIN_SERVER_LISENSI)
    from kinerja.addin.server import scripts
    from xlwings.server import custom_scripts_call, custom_scripts_meta

    app = FastAPI(title="kinerja add-in", docs_url=None, redoc_url=None, openapi_url=None)
    one_at_a_time = asyncio.Lock()

    def lang_of(request: Request) -> str:
        wanted = request.query_params.get("lang") or os.environ.get("KINERJA_LANG", "id")
        return wanted if wanted in LANGS else "id"

    def base_of(request: Request) -> str:
        return manifest.base_url(os.environ.get(URL_VARIABLE) or str(request.base_url))

    async def payload_of(request: Request) -> dict[str, Any]:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
            raise _Refused(413, KinerjaError("ADDIN_PAYLOAD_BESAR", limit=MAX_BODY // (1024 * 1024)))
        body = await request.body()
        if len(body) > MAX_BODY:
            raise _Refused(413, KinerjaError("ADDIN_PAYLOAD_BESAR", limit=MAX_BODY // (1024 * 1024)))
        try:
            payload = json.loads(body)
        except ValueError:
            raise _Refused(400, KinerjaError("ADDIN_PAYLOAD_SALAH")) from None
        if not isinstance(payload, dict) or not isinstance(payload.get("sheets"), list):
            raise _Refused(400, KinerjaError("ADDIN_PAYLOAD_SALAH"))
        return payload

    def open_book(payload: dict[str, Any]):
        try:
            return xw.Book(json=payload)
        except Exception:
            raise _Refused(400, KinerjaError("ADDIN_PAYLOAD_SALAH")) from None

    @app.exception_handler(_Refused)
    async def refused(request: Request, exc: _Refused):
        message, fix = exc.error.render(lang_of(request))
        return JSONResponse(
            {"detail": f"{message} {fix}".strip(), "error": exc.error.to_json(lang_of(request))}, exc.status
        )

    # ------------------------------------------------------------------ xlwings Server's routes
    @app.get("/xlwings/custom-scripts-meta.json")
    async def scripts_meta():
        return custom_scripts_meta(scripts)

    @app.post("/xlwings/custom-scripts-call/{script_name}")
    async def scripts_call(script_name: str, request: Request):
        if script_name not in scripts.__all__:
            return JSONResponse({"detail": script_name}, 404)
        payload = await payload_of(request)
        async with one_at_a_time:
            book = open_book(payload)
            try:
                await custom_scripts_call(scripts, script_name, typehint_to_value={xw.Book: book})
                return book.json()
            finally:
                book.close()

    # ------------------------------------------------------------------ the task pane's list
    @app.post("/kinerja/temuan")
    async def findings(request: Request):
        payload = await payload_of(request)
        async with one_at_a_time:
            book = open_book(payload)
            try:
                return findings_json(book, lang_of(request))
            except KinerjaError as exc:
                return JSONResponse({"error": exc.to_json(lang_of(request))}, 422)
            finally:
                book.close()

    # ------------------------------------------------------------------ the add-in itself
    @app.get("/manifest.xml")
    async def manifest_file(request: Request):
        return Response(manifest.manifest_xml(base_of(request)), media_type="application/xml")

    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request):
        return _page("index.html", lang_of(request), base_of(request))

    @app.get("/{page}", response_class=HTMLResponse)
    async def page(page: str, request: Request):
        if page not in PAGES:
            return Response(status_code=404)
        return _page(page, lang_of(request), base_of(request))

    @app.get("/static/{name}")
    async def static(name: str):
        if name in SCRIPTS_JS:
            return Response(_static(name), media_type="text/javascript; charset=utf-8")
        sizes = {f"icon-{n}.png": n for n in manifest.ICON_SIZES}
        if name in sizes:
            return Response(_icon(sizes[name]), media_type="image/png")
        return Response(status_code=404)

    return app


class _Refused(Exception):
    def __init__(self, status: int, error: KinerjaError):
        self.status, self.error = status, error


def findings_json(book, lang: str) -> dict[str, Any]:
    """The findings of the open workbook as the task pane lists them, Galat first."""
    from kinerja.addin.book_source import BookSource
    from kinerja.validators.engine import validate_model

    from kinerja import present
    from kinerja.core import contract
    from kinerja.core.assemble import assemble
    from kinerja.core.formatting import aware_now

    model = assemble(BookSource(book), contract.definition())
    laporan = validate_model(model)
    zone = present.validation_zone(model)
    rows = present.result_rows(laporan, len(laporan.findings) or 1, lang)
    listed = []
    for row in rows[: len(laporan.findings)]:
        values = row.values
        listed.append(
            {
                "level": values["Tingkat"],
                "code": values["Kode"],
                "sheet": values["Lembar"],
                "cell": values["Sel"],
                "message": values["Pesan"],
                "fix": values["Cara Memperbaiki"],
            }
        )
    return {
        "file": model.file,
        "summary": present.summary_text(laporan, lang, aware_now(zone), zone),
        "not_checked": text("ADDIN_TIDAK_DIPERIKSA").render({"file": model.file}, lang)[0],
        "findings": listed,
    }


@functools.cache
def _static(name: str) -> bytes:
    from importlib.metadata import version

    source = resources.files("kinerja.addin.server").joinpath("static", name).read_text("utf-8")
    return source.replace("__XLWINGS_VERSION__", version("xlwings")).encode("utf-8")


def _page(name: str, lang: str, base: str) -> str:
    """A page with its words from the catalogue (every ``$ADDIN_…`` placeholder)."""
    source = resources.files("kinerja.addin.server").joinpath("static", name).read_text("utf-8")
    words: dict[str, str] = {}
    for code, entry in _texts():
        said = entry.render({"file": "", "detail": "$detail"}, lang)[0]
        words[code] = html.escape(said)  # in the page's text
        words["JS_" + code] = json.dumps(said, ensure_ascii=False).replace("</", "<\\/")  # in a <script>
    return Template(source).safe_substitute(words, BASE=html.escape(base), LANG=lang)


def _texts():
    from kinerja.core.findings import catalogue

    return [(code, entry) for code, entry in catalogue().items() if code.startswith(("ADDIN_", "KATA_FIX"))]


@functools.cache
def _icon(size: int) -> bytes:
    """The ribbon's icon, drawn here (no binary file in the repository): a tick on blue."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (0x1F, 0x4E, 0x78, 255))
    draw = ImageDraw.Draw(image)
    width = max(2, size // 8)
    draw.line(
        [(size * 0.22, size * 0.52), (size * 0.42, size * 0.72), (size * 0.78, size * 0.3)], fill="white", width=width
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
