"""The 出欠表: one session's attendance replies, with a tally, to print on A4 landscape."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.data import AttendanceRow, AttendanceSheet
from exports.xlsx.base import (
    BOLD,
    CENTER,
    DATETIME_FORMAT,
    FONT,
    GRID,
    HEADER_FILL,
    MIDDLE,
    TITLE,
    WRAP,
    cell_at,
    display_width,
    lines_needed,
    print_setup,
    row_height,
    save,
    set_text,
    tokyo,
    wareki_minute,
)

# The tally order, as a secretariat reads it.
REPLIES = ("出席", "オンライン出席", "代理出席", "欠席", "未回答")

HEADERS = ("区分", "氏名", "役職", "回答", "代理出席者", "備考", "回答日時", "入力者")
WRAPPED = frozenset({2, 3, 6})  # 氏名, 役職, 備考: long; the others stay on one line
MAX_WIDTH = {2: 30, 3: 30, 5: 30, 6: 40}  # wrapped or long columns; 60 for the rest
COUNT_FORMAT = '#,##0"名"'


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
    return max(lines_needed(texts[column - 1], widths[column]) for column in WRAPPED)


def _write_table_row(ws: Worksheet, r: int, row: AttendanceRow) -> None:
    for column, text in enumerate(_row_texts(row), 1):
        cell = cell_at(ws, r, column)
        if column == 7:
            cell.font = FONT
            if row.replied_at is not None:
                cell.value = tokyo(row.replied_at)
                cell.number_format = DATETIME_FORMAT
        else:
            set_text(cell, text)
        cell.border = GRID
        cell.alignment = WRAP if column in WRAPPED else MIDDLE
    cell_at(ws, r, 4).alignment = CENTER


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
        ("作成日時", wareki_minute(sheet.generated_at)),
    )
    set_text(cell_at(ws, 1, 1), _title(sheet)).font = TITLE
    for r, (label, value) in enumerate(info, 2):
        set_text(cell_at(ws, r, 1), label).font = BOLD
        set_text(cell_at(ws, r, 2), value)

    header_row = len(info) + 3  # a blank line between the title block and the table
    for column, header in enumerate(HEADERS, 1):
        cell = set_text(cell_at(ws, header_row, column), header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = CENTER
    for r, row in enumerate(sheet.rows, header_row + 1):
        _write_table_row(ws, r, row)
    last_table_row = header_row + len(sheet.rows)

    # Plain numbers, not formulas: the file must be right without recalculation.
    lines = _tally(sheet.rows)
    tally_row = last_table_row + 2
    set_text(cell_at(ws, tally_row, 1), "集計").font = BOLD
    for r, (label, count) in enumerate(lines, tally_row + 1):
        label_cell = set_text(cell_at(ws, r, 1), label)
        count_cell = cell_at(ws, r, 2)
        count_cell.value = count
        count_cell.font = FONT
        count_cell.number_format = COUNT_FORMAT
        for cell in (label_cell, count_cell):
            cell.border = GRID
            cell.alignment = MIDDLE
    for cell in (cell_at(ws, tally_row + len(lines), 1), cell_at(ws, tally_row + len(lines), 2)):
        cell.font = BOLD
    last_row = tally_row + len(lines)

    labels = [label for label, _ in info] + ["集計"] + [label for label, _ in lines]
    widths = _column_widths(sheet.rows, labels)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    for r, row in enumerate(sheet.rows, header_row + 1):
        if (height := row_height(_wrapped_lines(row, widths))) is not None:
            ws.row_dimensions[r].height = height

    last_column = get_column_letter(len(HEADERS))
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_column}{last_table_row}"
    print_setup(  # as many pages down as the roster needs
        ws, title_rows=f"{header_row}:{header_row}", area=f"A1:{last_column}{last_row}"
    )

    return save(wb, title=_title(sheet), at=sheet.generated_at)
