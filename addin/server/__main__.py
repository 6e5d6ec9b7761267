"""``python -m kinerja.addin.server [--host H] [--port P]``: the web add-in's server.

Refuses to start, with the catalogue's message and fix on stderr (exit 2), when the
xlwings licence key is not set; otherwise serves the app with uvicorn.
"""

from __future__ import annotations

import argparse
import sys

from kinerja.core.findings import KinerjaError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kinerja.addin.server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        from kinerja.addin.server.app import create_app

        app = create_app()
    except KinerjaError as exc:
        from kinerja.core.findings import text

        message, fix = exc.render("id")
        print(f"{text('KATA_GALAT_LABEL').pesan}: {message}\n{text('KATA_FIX').pesan}: {fix}", file=sys.stderr)
        return 2
    import uvicorn

    uvicorn.run(app, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
