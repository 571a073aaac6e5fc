"""Excel workbooks a secretariat prints: the 出欠表 (attendance replies).

Spec: shared/notes/library-pitfalls.md §4 (openpyxl). Pure: plain data in, bytes out.
The same input always gives the same bytes: the document properties and the ZIP entry
times come from ``generated_at``, never from the clock. (openpyxl itself spools each sheet
through a temporary file while saving; this module opens no file of its own.)
"""

from __future__ import annotations

import io
import math
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from exports.data import AttendanceRow, AttendanceSheet
from exports.eras import format_date

__all__ = ["FONT_NAME", "REPLIES", "display_width", "render_attendance_sheet", "set_text"]

TOKYO = ZoneInfo("Asia/Tokyo")

# Excel's own default face in Japanese Office since 2016; LibreOffice without it falls back
# to a Noto/IPAex Gothic (library-pitfalls §6.5). charset 128 (SHIFTJIS) is what Japanese
# Excel writes beside it, so a non-Japanese Excel still picks a Japanese face.
FONT_NAME = "游ゴシック"

# The tally order, as a secretariat reads it.
REPLIES = ("出席", "オンライン出席", "代理出席", "欠席", "未回答")

HEADERS = ("区分", "氏名", "役職", "回答", "代理出席者", "備考", "回答日時", "入力者")
WRAPPED = frozenset({2, 3, 6})  # 氏名, 役職, 備考: long; the others stay on one line
MAX_WIDTH = {2: 30, 3: 30, 5: 30, 6: 40}  # wrapped or long columns; 60 for the rest
DATETIME_FORMAT = "yyyy/mm/dd hh:mm"
COUNT_FORMAT = '#,##0"名"'
# Points per line of 11pt 游ゴシック (Excel's own default row height for it). Excel grows a
# row with wrapped text on its own, but LibreOffice keeps the stored or default height,
# so rows that wrap get an explicit height.
LINE_HEIGHT = 18.75

# Leading characters that make a spreadsheet read text as a formula, when written or once a
# user edits the cell, with the full-width forms a Japanese IME produces (OWASP ASVS 1.2.10).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

_FONT = Font(name=FONT_NAME, size=11, family=2, charset=128)
_BOLD = Font(name=FONT_NAME, size=11, family=2, charset=128, bold=True)
_TITLE = Font(name=FONT_NAME, size=14, family=2, charset=128, bold=True)
_THIN = Side(style="thin", color="808080")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
_CENTER = Alignment(horizontal="center", vertical="center")
_MIDDLE = Alignment(vertical="center")
_WRAP = Alignment(vertical="center", wrap_text=True)


def set_text(cell: Cell, value: str) -> Cell:
    """Store ``value`` in ``cell`` as literal text, never as a formula.

    openpyxl turns a ``str`` starting with ``=`` into a formula, and Excel turns ``+ - @``
    into one as soon as a user edits the cell: a member's comment ``=HYPERLINK(...)`` must
    stay what they typed. Control characters that XLSX cannot hold (pasted from Word or a
    PDF) are dropped.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = text or None  # an empty cell, not an empty string
    cell.font = _FONT
    if text.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True  # the XLSX form of a leading apostrophe
    return cell


def _cell(ws: Worksheet, row: int, column: int) -> Cell:
    cell = ws.cell(row, column)
    assert isinstance(cell, Cell)  # nothing on this sheet is merged
    return cell


def display_width(text: str) -> int:
    """Width in half-width characters: full-width (Japanese) characters count as 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _tokyo(moment: datetime) -> datetime:
    # Excel has no time zones: write the wall-clock time in Tokyo.
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: pass an aware datetime")
    return moment.astimezone(TOKYO).replace(tzinfo=None, microsecond=0)


def _wareki_minute(moment: datetime) -> str:
    local = _tokyo(moment)
    return f"{format_date(local.date(), weekday=True)}{local:%H:%M}"


def _title(sheet: AttendanceSheet) -> str:
    return f"{sheet.session_title} {sheet.platform_name} 出欠表"


def _row_texts(row: AttendanceRow) -> tuple[str, ...]:
    return (
        row.category,
        row.name,
        row.title,
        row.reply,
        row.proxy,
        row.comment,
        "",  # 回答日時 is a datetime, sized by its format below
        row.entered_by,
    )


def _tally(rows: Sequence[AttendanceRow]) -> list[tuple[str, int]]:
    """The 集計 lines: each reply in ``REPLIES`` order, その他 only if a reply is unknown, 合計."""
    counts = Counter(row.reply for row in rows)
    lines = [(reply, counts[reply]) for reply in REPLIES]
    other = len(rows) - sum(n for _, n in lines)
    if other:
        lines.append(("その他", other))
    lines.append(("合計", len(rows)))
    return lines


def _column_widths(rows: Sequence[AttendanceRow], labels: Sequence[str]) -> dict[int, float]:
    widths: dict[int, float] = {}
    for column, header in enumerate(HEADERS, 1):
        values = [header] + [_row_texts(row)[column - 1] for row in rows]
        if column == 1:
            values += labels  # the title-block and tally labels also sit in column A
        if column == 7:
            values.append("0000/00/00 00:00")
        # Wrapped lines break anywhere, so their longest line is what counts.
        longest = max(display_width(line) for value in values for line in value.split("\n"))
        widths[column] = min(max(longest, display_width(header)) + 2, MAX_WIDTH.get(column, 60))
    return widths


def _wrapped_lines(row: AttendanceRow, widths: dict[int, float]) -> int:
    """Lines the tallest wrapped cell of ``row`` needs, estimated from display widths."""
    texts = _row_texts(row)
    lines = 1
    for column in WRAPPED:
        per_line = max(int(widths[column]) - 2, 1)  # a cell's padding takes about 2
        paragraphs = texts[column - 1].split("\n")
        needed = sum(max(1, math.ceil(display_width(p) / per_line)) for p in paragraphs)
        lines = max(lines, needed)
    return lines


def _write_table_row(ws: Worksheet, r: int, row: AttendanceRow) -> None:
    for column, text in enumerate(_row_texts(row), 1):
        cell = _cell(ws, r, column)
        if column == 7:
            cell.font = _FONT
            if row.replied_at is not None:
                cell.value = _tokyo(row.replied_at)
                cell.number_format = DATETIME_FORMAT
        else:
            set_text(cell, text)
        cell.border = _GRID
        cell.alignment = _WRAP if column in WRAPPED else _MIDDLE
    _cell(ws, r, 4).alignment = _CENTER


def render_attendance_sheet(sheet: AttendanceSheet) -> bytes:
    """Return the .xlsx of one session's attendance replies, ready to print on A4 landscape.

    Rows are written in the order given. Datetimes must be aware; they are shown in Tokyo time.
    """
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "出欠表"

    info = (
        ("日時", sheet.session_when),
        ("場所", sheet.venue),
        ("回答期限", sheet.reply_deadline),
        ("作成日時", _wareki_minute(sheet.generated_at)),
    )
    set_text(_cell(ws, 1, 1), _title(sheet)).font = _TITLE
    for r, (label, value) in enumerate(info, 2):
        set_text(_cell(ws, r, 1), label).font = _BOLD
        set_text(_cell(ws, r, 2), value)

    header_row = len(info) + 3  # a blank line between the title block and the table
    for column, header in enumerate(HEADERS, 1):
        cell = set_text(_cell(ws, header_row, column), header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _GRID
        cell.alignment = _CENTER
    for r, row in enumerate(sheet.rows, header_row + 1):
        _write_table_row(ws, r, row)
    last_table_row = header_row + len(sheet.rows)

    # Plain numbers, not formulas: the file must be right without recalculation.
    lines = _tally(sheet.rows)
    tally_row = last_table_row + 2
    set_text(_cell(ws, tally_row, 1), "集計").font = _BOLD
    for r, (label, count) in enumerate(lines, tally_row + 1):
        label_cell = set_text(_cell(ws, r, 1), label)
        count_cell = _cell(ws, r, 2)
        count_cell.value = count
        count_cell.font = _FONT
        count_cell.number_format = COUNT_FORMAT
        for cell in (label_cell, count_cell):
            cell.border = _GRID
            cell.alignment = _MIDDLE
    for cell in (_cell(ws, tally_row + len(lines), 1), _cell(ws, tally_row + len(lines), 2)):
        cell.font = _BOLD
    last_row = tally_row + len(lines)

    labels = [label for label, _ in info] + ["集計"] + [label for label, _ in lines]
    widths = _column_widths(sheet.rows, labels)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    for r, row in enumerate(sheet.rows, header_row + 1):
        if (lines_needed := _wrapped_lines(row, widths)) > 1:
            ws.row_dimensions[r].height = lines_needed * LINE_HEIGHT

    last_column = get_column_letter(len(HEADERS))
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_column}{last_table_row}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last_column}{last_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the roster needs
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    footer = ws.oddFooter
    assert footer is not None  # a new sheet always has one
    footer.center.text = "&P / &N"

    return _save(wb, title=_title(sheet), at=sheet.generated_at)


def _save(wb: Workbook, *, title: str, at: datetime) -> bytes:
    # Workbook.save() stamps "modified" with the clock and zipfile stamps every entry with
    # the clock (or a temporary file's mtime), so write through ExcelWriter, then copy the
    # entries into a ZIP whose times are all `at`.
    local = _tokyo(at)
    utc = at.astimezone(UTC).replace(tzinfo=None, microsecond=0)  # openpyxl writes it as UTC
    wb.properties.title = title
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
            target.writestr(info, source.read(entry))
    return fixed.getvalue()
