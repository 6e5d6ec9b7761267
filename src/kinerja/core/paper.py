"""The workbook on paper and on screen: how much room a text needs, and the colours.

One place for the arithmetic that both the builder (openpyxl, once) and every later write
(the edit session, at XML level) use, so that a row is as tall as its text wherever it
was written, and the colours that mean something (type here, computed, required, and a
finding's level) are the same on the sheet, in its legend and in `Hasil Validasi`.

Why row heights at all: neither Excel nor LibreOffice grows a row for wrapped text when
it opens a file (LibreOffice 7.4 measured here: a wrapped cell without a row height runs
over the next row), and neither ever grows a row for text in merged cells. So whoever
writes text into a wrapped cell sets its row's height.
"""

from __future__ import annotations

import math

LINE_HEIGHT = 15.0  # points per line of 11-pt text (LibreOffice draws 12.9, Excel 15)
# Characters per unit of column width when a line is broken at words. Measured in a
# LibreOffice 7.4 render (the tests' second program, with DejaVu Sans standing in for
# Calibri, the widest case): 1.1 never under-counted a line of the catalogue's texts at
# widths 12–60; 1.05 leaves a little room for a wider font. Calibri in Excel fits more.
CHARS_PER_WIDTH = 1.05

# Colours (RGB without alpha). A finding's level has its own colour on the offending cell
# and in the `Tingkat` column of Hasil Validasi; none of them is the 'wajib diisi' pink.
INPUT_RGB = "FFF2CC"  # light yellow: type here
COMPUTED_RGB = "EDEDED"  # grey: a formula or the tool fills it
REQUIRED_RGB = "FFC7CE"  # light pink (Excel's "Light Red Fill"): required and still empty
LEVEL_RGB = {
    "Galat": "F8696B",  # red
    "Peringatan": "F4B084",  # orange
    "Info": "9BC2E6",  # blue
}
# What `validate --write` used before marks had a colour per level: still recognised as
# a mark, so the next write gives such a cell its own fill back.
LEGACY_MARK_RGB = ("FFC7CE",)


def lines_needed(text: object, width_chars: float) -> int:
    """How many lines a text needs in a column (or merged cells) this wide, broken at
    spaces the way a spreadsheet wraps; a word longer than a line is split."""
    per_line = max(int(width_chars * CHARS_PER_WIDTH), 1)
    total = 0
    for part in str(text).split("\n"):
        lines, used = 1, 0
        for word in part.split():
            if used == 0:
                used = len(word)
            elif used + 1 + len(word) <= per_line:
                used += 1 + len(word)
            else:
                lines, used = lines + 1, len(word)
            while used > per_line:  # a long word (a digest, a path) breaks anywhere
                lines, used = lines + 1, used - per_line
        total += lines
    return total


def height_for(text: object, width_chars: float, minimum: float = LINE_HEIGHT, font_size: float = 11) -> float:
    """Row height (points) that shows every line of a wrapped text."""
    per_line = LINE_HEIGHT * font_size / 11
    return max(minimum, math.ceil(lines_needed(text, width_chars) * per_line))


def axis_step(maximum: float) -> int:
    """A whole-number step for a value axis that counts people: 1, 2, 5, 10, 20, 50 …,
    the smallest that keeps about ten gridlines (an automatic step of 0.5 would label
    half persons)."""
    step = 1
    while maximum / step > 10:
        for factor in (2, 5 / 2, 2):
            step = int(step * factor)
            if maximum / step <= 10:
                return step
    return step
