"""How much of a workbook this tool will read: every limit in one table (D29).

Offices validate whatever arrives by e-mail, so a file is untrusted input. Each limit
below is checked before the work it bounds (from the zip directory before inflating, from
a sheet's XML before calamine allocates its grid, from a picture's header before
decoding) and enforced again while the work runs; each has its own catalogue code.

The figures are generous for real workbooks and strict enough that any hostile file is
answered within seconds and a few hundred MB. What a real one needs, for scale: a
Musrenbangcam with 1,000 attendees and 30 camera photos is about 60 zip parts, sheets of
under 1 MB of XML and 1,100 rows, and 30 × 3–8 MB of JPEG (LibreOffice keeps photos as
taken; Excel shrinks them to 220 ppi by default). Zip bombs inflate thousands of times;
real parts inflate at most about 20 times (measured over the shared corpus), tables of
empty rows a little more.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # The file and its zip parts (checked from the zip directory, then while inflating).
    file_bytes: int = 150 * MB  # 30 photos as a phone takes them (3-5 MB each) fit
    zip_members: int = 10_000  # a real workbook has tens of parts; thousands of sheets are not a workbook
    member_bytes: int = 64 * MB  # one part inflated: a sheet's XML, the shared strings, one picture
    total_bytes: int = 300 * MB  # all parts inflated together (pictures are held in memory as read)
    ratio: int = 200  # inflated ÷ compressed, for parts of at least ratio_from_bytes
    ratio_from_bytes: int = 1 * MB  # small parts may compress far better, and cost nothing
    # The cells of a sheet whose values are read (checked from its XML before calamine).
    sheet_rows: int = 50_000  # 50× a 1,000-attendee list
    sheet_columns: int = 16_384  # Excel's own last column, XFD
    sheet_cells: int = 500_000  # last row × last column holding a value: calamine's grid (1,000 attendees: 10,000)
    walked_cells: int = 250_000  # cell elements of a sheet written without addresses, walked one by one
    # A table's range (checked before a single row is read; every loop runs inside it, D25).
    # Twice a 1,000-attendee list, four times the template's 500 rows. What bounds it is the
    # worst case: a table this long with every value wrong gives 8,000 findings, each wrong
    # list value with a "did you mean" search (difflib), about 3 s of CPU in all.
    table_rows: int = 2_000
    below_cells: int = 100  # values under a table listed one by one (D5); the rest are counted
    # Pictures (checked from the image header before anything decodes it).
    picture_pixels: int = 120_000_000  # a 108-megapixel phone photo passes; a 30,000 × 30,000 header does not


LIMITS = Limits()


def megabytes(size: int) -> float:
    """A size as messages show it: MB with one decimal."""
    return round(size / MB, 1)
