"""A session's workbook for the secretariat's own work: who attended (出席者), the handouts
(資料) and every statement with its confirmation state (発言), one sheet each. Each sheet
has a title block, a frozen, filterable header row and prints on A4 landscape."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.data import SessionWorkbook, WorkbookAttendance, WorkbookMaterial, WorkbookStatement
from exports.xlsx.base import (
    BOLD,
    CENTER,
    FONT,
    GRID,
    HEADER_FILL,
    KB_FORMAT,
    MIDDLE,
    TITLE,
    WRAP,
    WRAP_CENTER,
    Column,
    Value,
    cell_at,
    column_widths,
    display_width,
    print_setup,
    row_height,
    save,
    set_text,
    wareki_minute,
    wrapped_lines,
)

ATTENDANCE = (
    Column("区分", cap=24, wrap=True),
    Column("氏名", cap=30, wrap=True),
    Column("役職", cap=40, wrap=True),
    Column("出欠", center=True),
    Column("備考", cap=40, wrap=True),
)
MATERIALS = (
    Column("資料番号", center=True),
    Column("資料名", cap=60, wrap=True),
    Column("公開区分", center=True),
    Column("ファイル名", cap=40, wrap=True),
    Column("サイズ", number_format=KB_FORMAT, sample="999,999KB"),
)
STATEMENTS = (
    Column("順", number_format="0", sample="9999"),
    Column("議題", cap=30, wrap=True),
    Column("発言者", cap=24, wrap=True),
    Column("発言内容", cap=80, wrap=True),
    Column("確認状況", center=True),
)
INFO_ROWS = 2  # 日時, 作成日時
HEADER_ROW = INFO_ROWS + 3  # the title, the info lines and a blank line above it
KIB = 1024


def kilobytes(size_bytes: int) -> int:
    """The size as the public pages label it (exports.fileinfo): KB rounded up."""
    if size_bytes < 0:
        raise ValueError(f"file size must not be negative: {size_bytes}")
    return -(-size_bytes // KIB)


def _attendance_row(row: WorkbookAttendance) -> tuple[Value, ...]:
    return (row.category, row.name, row.title, row.attendance, row.note)


def _material_row(row: WorkbookMaterial) -> tuple[Value, ...]:
    return (row.label, row.title, row.access, row.file_name, kilobytes(row.size_bytes))


def _statement_row(row: WorkbookStatement) -> tuple[Value, ...]:
    return (row.order, row.agenda_item, row.speaker, row.text, row.confirmed)


def _write_value(ws: Worksheet, r: int, c: int, value: Value, column: Column) -> None:
    cell = cell_at(ws, r, c)
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
        cell.font = FONT
        if column.number_format and value is not None:
            cell.number_format = column.number_format
    cell.border = GRID
    if column.wrap:
        cell.alignment = WRAP
    elif column.center:
        cell.alignment = CENTER
    else:
        cell.alignment = MIDDLE


def _sheet(
    wb: Workbook,
    name: str,
    title: str,
    info: Sequence[tuple[str, str]],
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
) -> None:
    ws = wb.create_sheet(name)
    set_text(cell_at(ws, 1, 1), title).font = TITLE
    for r, (label, text) in enumerate(info, 2):
        set_text(cell_at(ws, r, 1), label).font = BOLD
        set_text(cell_at(ws, r, 2), text)

    for c, column in enumerate(columns, 1):
        cell = set_text(cell_at(ws, HEADER_ROW, c), column.header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = WRAP_CENTER
    widths = column_widths(columns, rows)
    # Column A also holds the title block's labels; the title itself may run on.
    widths[0] = max(widths[0], max(display_width(label) + 2 for label, _ in info))
    for r, row in enumerate(rows, HEADER_ROW + 1):
        for c, (value, column) in enumerate(zip(row, columns, strict=True), 1):
            _write_value(ws, r, c, value, column)
        if (height := row_height(wrapped_lines(columns, widths, row))) is not None:
            ws.row_dimensions[r].height = height

    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    last_column = get_column_letter(len(columns))
    last_row = HEADER_ROW + len(rows)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{last_row}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", area=f"A1:{last_column}{last_row}")


def render_session_workbook(book: SessionWorkbook) -> bytes:
    """Return the .xlsx of a session's workbook: sheets 出席者, 資料 and 発言, in the
    order given. Sizes are numbers of KB (rounded up, as on the public pages) shown as
    「1,234KB」; ``generated_at`` must be aware and is shown in Tokyo time.
    """
    wb = Workbook()
    default = wb.active
    assert isinstance(default, Worksheet)
    wb.remove(default)

    heading = f"{book.session_title} {book.platform_name}"
    info = (("日時", book.when), ("作成日時", wareki_minute(book.generated_at)))
    sheets: tuple[tuple[str, Sequence[Column], list[tuple[Value, ...]]], ...] = (
        ("出席者", ATTENDANCE, [_attendance_row(row) for row in book.attendance]),
        ("資料", MATERIALS, [_material_row(row) for row in book.materials]),
        ("発言", STATEMENTS, [_statement_row(row) for row in book.statements]),
    )
    for name, columns, rows in sheets:
        _sheet(wb, name, f"{heading} {name}一覧", info, columns, rows)
    return save(wb, title=f"{heading} 出席者・資料・発言", at=book.generated_at)
