"""How the workbook looks: fonts, fills, borders, number formats, row heights.

One place for the look, so every sheet shows input, computed and required cells the same
way: yellow is where staff type, grey is computed, pink (conditional) is required and
still empty; a finding's level has its own colour (red Galat, orange Peringatan, blue
Info), never the pink of 'wajib diisi'. The colours themselves live in core.paper, shared
with the edit session that marks cells at every later write.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from kinerja.core import paper
from kinerja.core.sop import ValueType

FONT_NAME = "Calibri"  # named, so that every program uses (or substitutes) one font

TITLE = Font(name=FONT_NAME, bold=True, size=14, color="1F3864")
SUBTITLE = Font(name=FONT_NAME, italic=True, color="595959")
HEADING = Font(name=FONT_NAME, bold=True, size=12, color="1F4E78")
LABEL = Font(name=FONT_NAME, bold=True)
HEADER = Font(name=FONT_NAME, bold=True, color="FFFFFF")
NOTE = Font(name=FONT_NAME, italic=True, color="595959")
TOTAL = Font(name=FONT_NAME, bold=True)
# The SOP page: the office's kop, the signer's name, the flowchart's symbols and lines.
KOP = Font(name=FONT_NAME, bold=True, size=12)
SIGNER = Font(name=FONT_NAME, bold=True, underline="single")
SYMBOL_FONT = Font(name=FONT_NAME, bold=True, size=10)
ARROW = Font(name=FONT_NAME, bold=True, size=10, color="1F3864")
FLOW_LABEL = Font(name=FONT_NAME, italic=True, size=9, color="1F3864")


def _solid(rgb: str, conditional: bool = False) -> PatternFill:
    # Conditional formats take a differential style: Excel reads the background colour.
    return PatternFill("solid", fgColor=rgb, bgColor=rgb) if conditional else PatternFill("solid", fgColor=rgb)


INPUT_FILL = _solid(paper.INPUT_RGB)  # light yellow: type here
COMPUTED_FILL = _solid(paper.COMPUTED_RGB)  # grey: a formula fills it
HEADER_FILL = _solid("4472C4")  # matches the table style's header
TOTAL_FILL = _solid("D9E1F2")  # the table's total row
REQUIRED_FILL = _solid(paper.REQUIRED_RGB, conditional=True)  # pink: required, still empty
LEVEL_FILLS = {level: _solid(rgb) for level, rgb in paper.LEVEL_RGB.items()}
LEVEL_CONDITIONAL_FILLS = {level: _solid(rgb, conditional=True) for level, rgb in paper.LEVEL_RGB.items()}
# The legend on Petunjuk: catalogue text ("Name: meaning") and its colour.
LEGEND = (
    ("LEGENDA_ISIAN", INPUT_FILL),
    ("LEGENDA_DIHITUNG", COMPUTED_FILL),
    ("LEGENDA_WAJIB", _solid(paper.REQUIRED_RGB)),
    ("LEGENDA_GALAT", LEVEL_FILLS["Galat"]),
    ("LEGENDA_PERINGATAN", LEVEL_FILLS["Peringatan"]),
    ("LEGENDA_INFO", LEVEL_FILLS["Info"]),
)

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
THIN_SIDE = _THIN
SYMBOL_SIDE = _MEDIUM
IDENTITY_SIDE = Side(style="thin", color="000000")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TOTAL_BORDER = Border(left=_THIN, right=_THIN, top=_MEDIUM, bottom=_MEDIUM)
SYMBOL_BORDER = Border(left=_MEDIUM, right=_MEDIUM, top=_MEDIUM, bottom=_MEDIUM)
LANE_BORDER = Border(left=_LANE, right=_LANE)
SIGN_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

WRAP = Alignment(wrap_text=True, vertical="top")
ROW = Alignment(vertical="center")  # a table's data cells: one line level with its neighbours'
ROW_WRAP = Alignment(wrap_text=True, vertical="center")
ROW_CENTER = Alignment(horizontal="center", vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)
BOTTOM = Alignment(horizontal="left", vertical="bottom")
TITLE_WRAP = Alignment(horizontal="left", vertical="bottom", wrap_text=True)
KOP_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEAD_RIGHT = Alignment(horizontal="right", vertical="bottom")  # an arrowhead on a line's end
HEAD_LEFT = Alignment(horizontal="left", vertical="bottom")
HEAD_DOWN = Alignment(horizontal="center", vertical="bottom")

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

TABLE_STYLE = "TableStyleLight9"

# Excel shows the date in Indonesian whatever the PC's language ([$-421] = id-ID).
DATE_FORMAT = "[$-421]d mmmm yyyy"
TIME_FORMAT = "hh:mm"
TEXT_FORMAT = "@"  # so an 18-digit NIP stays text instead of losing digits
INT_FORMAT = "0"

LINE_HEIGHT = paper.LINE_HEIGHT  # points per line of 11-pt text
PICTURE_ROW_HEIGHT = 90.0  # points = 120 px: room for a photo in each tblFoto row


def number_format(value_type: ValueType, given: str | None = None) -> str | None:
    """The format a cell of this type shows; the definition's own format wins."""
    if given:
        return given
    return {"date": DATE_FORMAT, "time": TIME_FORMAT, "nip": TEXT_FORMAT, "int": INT_FORMAT}.get(value_type)


def lines_needed(text: str, width_chars: float) -> int:
    """How many wrapped lines a text needs in a column this wide (Excel does not grow
    rows for wrapped text in merged cells, so the builder sets heights itself)."""
    return paper.lines_needed(text, width_chars)


def height_for(text: str, width_chars: float, minimum: float = LINE_HEIGHT) -> float:
    return paper.height_for(text, width_chars, minimum)
