"""How the workbook looks: fonts, fills, borders, number formats, row heights.

One place for the look, so every sheet shows input, computed and required cells the same
way: yellow is where staff type, grey is computed, red (conditional) is required and still
empty.
"""

from __future__ import annotations

import math

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from kinerja.core.sop import ValueType

TITLE = Font(bold=True, size=14, color="1F3864")
SUBTITLE = Font(italic=True, color="595959")
HEADING = Font(bold=True, size=12, color="1F4E78")
LABEL = Font(bold=True)
HEADER = Font(bold=True, color="FFFFFF")
NOTE = Font(italic=True, color="595959")

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: type here
COMPUTED_FILL = PatternFill("solid", fgColor="EDEDED")  # grey: a formula fills it
HEADER_FILL = PatternFill("solid", fgColor="4472C4")  # matches the table style's header
# Conditional formats take a differential style: Excel reads the background colour.
REQUIRED_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")  # light red

# Flowchart symbols on Petunjuk (Permenpan RB 35/2012): capsule, box, diamond.
SYMBOL_FILLS = {
    "start": PatternFill("solid", fgColor="E2EFDA"),
    "end": PatternFill("solid", fgColor="E2EFDA"),
    "process": PatternFill("solid", fgColor="DDEBF7"),
    "decision": PatternFill("solid", fgColor="FCE4D6"),
}

_THIN = Side(style="thin", color="8EA9DB")
_MEDIUM = Side(style="medium", color="2F5597")
_LANE = Side(style="thin", color="D9D9D9")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
SYMBOL_BORDER = Border(left=_MEDIUM, right=_MEDIUM, top=_MEDIUM, bottom=_MEDIUM)
LANE_BORDER = Border(left=_LANE, right=_LANE)

WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

TABLE_STYLE = "TableStyleLight9"

# Excel shows the date in Indonesian whatever the PC's language ([$-421] = id-ID).
DATE_FORMAT = "[$-421]d mmmm yyyy"
TIME_FORMAT = "hh:mm"
TEXT_FORMAT = "@"  # so an 18-digit NIP stays text instead of losing digits
INT_FORMAT = "0"

LINE_HEIGHT = 15.0  # points per line of 11-pt text
PICTURE_ROW_HEIGHT = 90.0  # points = 120 px: room for a photo in each tblFoto row


def number_format(value_type: ValueType, given: str | None = None) -> str | None:
    """The format a cell of this type shows; the definition's own format wins."""
    if given:
        return given
    return {"date": DATE_FORMAT, "time": TIME_FORMAT, "nip": TEXT_FORMAT, "int": INT_FORMAT}.get(value_type)


def lines_needed(text: str, width_chars: float) -> int:
    """How many wrapped lines a text needs in a column this wide (Excel does not grow
    rows for wrapped text in merged cells, so the builder sets heights itself)."""
    per_line = max(int(width_chars * 1.1), 1)
    return sum(max(math.ceil(len(part) / per_line), 1) for part in str(text).split("\n"))


def height_for(text: str, width_chars: float, minimum: float = LINE_HEIGHT) -> float:
    return max(minimum, lines_needed(text, width_chars) * LINE_HEIGHT)
