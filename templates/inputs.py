"""What a new workbook is filled with: values by contract name, rows by table header.

`kinerja new` fills only settings and villages; the demo fills everything. Keeping the
inputs keyed by contract names (not by cell) lets the builder place them wherever the
layout puts those names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PictureInput:
    """A picture to embed, anchored in a data row of a table (0 = first data row)."""

    table: str
    row_index: int
    data: bytes  # JPEG or PNG bytes
    name: str = ""


@dataclass
class WorkbookInputs:
    values: dict[str, Any] = field(default_factory=dict)  # defined name -> value
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # table -> rows by header
    pictures: list[PictureInput] = field(default_factory=list)
    logo: bytes | None = None  # the office's logo for the SOP's kop (PNG or JPEG), optional
