"""What every workbook here shares: the Japanese font, the one text funnel that keeps text
from becoming a formula, widths that count full-width characters as 2, print set-up and
deterministic saving.

Spec: shared/notes/library-pitfalls.md §4 (openpyxl).
"""

from __future__ import annotations

import contextlib
import copy
import io
import math
import shutil
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from exports.eras import format_date

TOKYO = ZoneInfo("Asia/Tokyo")

# Excel's own default face in Japanese Office since 2016; LibreOffice without it falls back
# to a Noto/IPAex Gothic (library-pitfalls §6.5). charset 128 (SHIFTJIS) is what Japanese
# Excel writes beside it, so a non-Japanese Excel still picks a Japanese face.
FONT_NAME = "游ゴシック"

# Leading characters that make a spreadsheet read text as a formula, when written or once a
# user edits the cell, with the full-width forms a Japanese IME produces (OWASP ASVS 1.2.10).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

DATETIME_FORMAT = "yyyy/mm/dd hh:mm"
# 和暦 on a real date. `[$-411]` (ja-JP) makes Excel and LibreOffice 7.4 both draw
# 平成27年11月13日; `[$-ja-JP-x-gannen]` would give 元年 in Excel 365 but LibreOffice
# shows the serial number, so the first year of an era reads 令和1年 in both.
ERA_DATE_FORMAT = '[$-411]ggge"年"m"月"d"日"'
ERA_DAY_FORMAT = '[$-411]ggge"年"m"月"d"日（"aaa"）"'  # with the weekday: 平成27年11月13日（金）
KB_FORMAT = '#,##0"KB"'
# Points per line of 11pt 游ゴシック (Excel's own default row height for it). Excel grows a
# row with wrapped text on its own, but LibreOffice keeps the stored or default height,
# so rows that wrap get an explicit height, up to Excel's limit of 409 points.
LINE_HEIGHT = 18.75
MAX_ROW_HEIGHT = 409.0
A4 = 9  # page_setup.paperSize (write-only sheets have no PAPERSIZE_A4)

FONT = Font(name=FONT_NAME, size=11, family=2, charset=128)
BOLD = Font(name=FONT_NAME, size=11, family=2, charset=128, bold=True)
TITLE = Font(name=FONT_NAME, size=14, family=2, charset=128, bold=True)
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
CENTER = Alignment(horizontal="center", vertical="center")
MIDDLE = Alignment(vertical="center")
WRAP = Alignment(vertical="center", wrap_text=True)
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

Value = str | int | float | date | None  # datetimes (a kind of date) must be naive


def clean(value: str) -> str:
    """``value`` without the control characters XLSX cannot hold (pasted from Word or a PDF)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _guard(cell: Cell, text: str) -> None:
    if text.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"  # never a formula
        cell.quotePrefix = True  # the XLSX form of a leading apostrophe


def set_text(cell: Cell, value: str) -> Cell:
    """Store ``value`` in ``cell`` as literal text, never as a formula.

    openpyxl turns a ``str`` starting with ``=`` into a formula, and Excel turns ``+ - @``
    into one as soon as a user edits the cell: a member's comment ``=HYPERLINK(...)`` must
    stay what they typed. Control characters that XLSX cannot hold are dropped.
    """
    text = clean(value)
    cell.value = text or None  # an empty cell, not an empty string
    cell.font = FONT
    _guard(cell, text)
    return cell


class Stamp:
    """Makes the cells of one named style on one write-only sheet.

    Each cell gets a copy of a template cell's style, which is what assigning the named
    style does after looking it up by name, and what openpyxl's own WorksheetCopy does:
    a matrix of 50,000 cells is written in half the time.
    """

    def __init__(self, ws: WriteOnlyWorksheet, style: str) -> None:
        template = WriteOnlyCell(ws)
        template.style = style
        self._ws = ws
        self._style = cast(Any, template)._style  # StyleableObject's, not in the type stubs

    def _cell(self) -> Cell:
        cell = WriteOnlyCell(self._ws)
        cast(Any, cell)._style = copy.copy(self._style)
        return cell

    def text(self, value: str) -> Cell:
        """``set_text()`` for write-only sheets: ``value`` as literal text, never a formula."""
        text = clean(value)
        cell = self._cell()
        cell.value = text or None
        _guard(cell, text)
        return cell

    def value(self, value: int | float | date | None) -> Cell:
        """A number or a date, shown in the style's number format."""
        cell = self._cell()
        cell.value = value
        return cell


def add_styles(wb: Workbook, styles: Iterable[NamedStyle]) -> None:
    """Register named styles, in a fixed order so that the same input gives the same bytes."""
    for style in styles:
        wb.add_named_style(style)


def cell_at(ws: Worksheet, row: int, column: int) -> Cell:
    cell = ws.cell(row, column)
    assert isinstance(cell, Cell)  # nothing on these sheets is merged
    return cell


def display_width(text: str) -> int:
    """Width in half-width characters: full-width (Japanese) characters count as 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def longest_line(texts: Iterable[str]) -> int:
    """The display width of the longest line in ``texts``: wrapped lines break anywhere."""
    return max((display_width(line) for text in texts for line in text.split("\n")), default=0)


def lines_needed(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapped column ``width`` characters wide."""
    per_line = max(int(width) - 2, 1)  # a cell's padding takes about 2
    return sum(max(1, math.ceil(display_width(p) / per_line)) for p in text.split("\n"))


def row_height(lines: int) -> float | None:
    """The height to store for a row whose tallest cell needs ``lines`` lines; None for one."""
    return min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT) if lines > 1 else None


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, the most it may widen to, and how it shows."""

    header: str
    cap: int = 60  # the widest, in half-width characters
    wrap: bool = False
    center: bool = False
    number_format: str | None = None
    sample: str = ""  # how wide a non-text value is drawn, e.g. 「平成27年11月13日（金）」


def column_widths(columns: Sequence[Column], rows: Iterable[Sequence[Value]]) -> list[float]:
    """Each column's width: its longest line (text) or its ``sample`` (numbers, dates),
    plus padding, capped at ``cap``."""
    longest = [max(display_width(c.header), display_width(c.sample)) for c in columns]
    for row in rows:
        for index, value in enumerate(row):
            if isinstance(value, str):
                longest[index] = max(longest[index], longest_line([value]))
    return [min(width + 2, column.cap) for width, column in zip(longest, columns, strict=True)]


def wrapped_lines(columns: Sequence[Column], widths: Sequence[float], row: Sequence[Value]) -> int:
    """Lines the tallest wrapped text cell of ``row`` needs."""
    lines = 1
    for column, width, value in zip(columns, widths, row, strict=True):
        if column.wrap and isinstance(value, str) and value:
            lines = max(lines, lines_needed(value, width))
    return lines


def tokyo(moment: datetime) -> datetime:
    """``moment`` as the naive Tokyo wall-clock time Excel stores (it has no time zones)."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: pass an aware datetime")
    return moment.astimezone(TOKYO).replace(tzinfo=None, microsecond=0)


def wareki_minute(moment: datetime) -> str:
    """e.g. 「平成27年9月8日（火）10:00」 in Tokyo time."""
    local = tokyo(moment)
    return f"{format_date(local.date(), weekday=True)}{local:%H:%M}"


def print_setup(
    ws: Worksheet | WriteOnlyWorksheet,
    *,
    fit_width: bool = True,
    title_rows: str | None = None,
    title_columns: str | None = None,
    area: str | None = None,
) -> None:
    """A4 landscape, centred, 「1 / 3」 in the footer; ``fit_width`` shrinks the columns
    onto one page across and lets the rows run on as many pages down as they need."""
    # A write-only sheet has the same print attributes (set by Worksheet._setup), though
    # the type stubs list them on Worksheet only.
    sheet = cast(Worksheet, ws)
    sheet.page_setup.paperSize = A4
    sheet.page_setup.orientation = "landscape"
    if fit_width:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    if title_columns:
        sheet.print_title_cols = title_columns
    if area:
        sheet.print_area = area
    footer = sheet.oddFooter
    assert footer is not None  # a new sheet always has one
    footer.center.text = "&P / &N"


def save(wb: Workbook, *, title: str, at: datetime) -> bytes:
    """The .xlsx bytes, the same for the same workbook and ``at``.

    Workbook.save() stamps "modified" with the clock and zipfile stamps every entry with the
    clock (or a temporary file's mtime), so write through ExcelWriter, then copy the entries,
    streamed, into a ZIP whose times are all ``at`` in Tokyo time. A write-only workbook's
    sheets are finished (and openpyxl's temporary files removed) here.
    """
    local = tokyo(at)
    utc = at.astimezone(UTC).replace(tzinfo=None, microsecond=0)  # openpyxl writes it as UTC
    wb.properties.title = clean(title)
    wb.properties.creator = None
    wb.properties.created = utc
    wb.properties.modified = utc

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()

    stamp = (local.year, local.month, local.day, local.hour, local.minute, local.second)
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))  # ZIP (DOS) times start in 1980
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 3  # Unix, whatever machine renders it
            with source.open(entry) as reader, target.open(info, "w") as writer:
                shutil.copyfileobj(reader, writer)
    return fixed.getvalue()


def discard(wb: Workbook) -> None:
    """Finish a write-only workbook that failed half-way, so that its open sheet streams
    close quietly and openpyxl's temporary files are removed rather than left until exit."""
    # Already failing: the first error is the one to report.
    with contextlib.suppress(Exception), zipfile.ZipFile(io.BytesIO(), "w") as archive:
        ExcelWriter(wb, archive).write_data()
