"""The platform's workbook: every session (会議一覧), who attended which (出欠一覧: members
down, sessions across) and the issues raised and followed up (フォローアップ).

Written in openpyxl's write-only mode (library-pitfalls §4.1): the matrix can be 100
members × 500 sessions, and it is read from ``book.attendance`` one member's row at a
time, so memory stays flat however many members there are. Write-only mode fixes the
order of work: column widths, frozen panes and row heights go in before the rows they
describe, every cell carries a named style (one lookup instead of four style objects per
cell), and the rows are appended top to bottom.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import NamedStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.data import FollowUpRow, PlatformWorkbook, SessionRow
from exports.xlsx.base import (
    BOLD,
    CENTER,
    ERA_DATE_FORMAT,
    ERA_DAY_FORMAT,
    FONT,
    GRID,
    HEADER_FILL,
    MIDDLE,
    TITLE,
    WRAP,
    WRAP_CENTER,
    Column,
    Stamp,
    Value,
    add_styles,
    column_widths,
    discard,
    display_width,
    lines_needed,
    longest_line,
    print_setup,
    row_height,
    save,
    wareki_minute,
    wrapped_lines,
)

SESSIONS = (
    Column("回数", center=True),
    Column("開催日", number_format=ERA_DAY_FORMAT, sample="平成27年11月13日（金）"),
    Column("内容", cap=60, wrap=True),
    Column("状態", center=True),
)
FOLLOW_UPS = (
    Column("提起した回", center=True),
    Column("課題", cap=50, wrap=True),
    Column("担当府省", cap=24, wrap=True),
    Column("状況", center=True),
    Column("期限", number_format=ERA_DATE_FORMAT, sample="平成27年11月13日"),
    Column("備考", cap=40, wrap=True),
)
MARKS = ("出席", "代理", "欠席", "オンライン")  # or "" for no entry
NAME_CAP = 30
HEADER_ROW = 4  # under the title, the 作成日時 line and a blank line

# Named styles, registered in this order (the same input gives the same bytes).
_TITLE, _LABEL, _PLAIN, _HEADER = "表題", "項目名", "標準文字", "表頭"
_TEXT, _WRAPPED, _CENTERED = "表・文字", "表・折返し", "表・中央"
_DAY, _DATE = "表・和暦曜日", "表・和暦"
STYLES = (
    NamedStyle(_TITLE, font=TITLE),
    NamedStyle(_LABEL, font=BOLD, alignment=MIDDLE),
    NamedStyle(_PLAIN, font=FONT, alignment=MIDDLE),
    NamedStyle(_HEADER, font=BOLD, fill=HEADER_FILL, border=GRID, alignment=WRAP_CENTER),
    NamedStyle(_TEXT, font=FONT, border=GRID, alignment=MIDDLE),
    NamedStyle(_WRAPPED, font=FONT, border=GRID, alignment=WRAP),
    NamedStyle(_CENTERED, font=FONT, border=GRID, alignment=CENTER),
    NamedStyle(_DAY, font=FONT, border=GRID, alignment=CENTER, number_format=ERA_DAY_FORMAT),
    NamedStyle(_DATE, font=FONT, border=GRID, alignment=CENTER, number_format=ERA_DATE_FORMAT),
)
_DATE_STYLES = {ERA_DAY_FORMAT: _DAY, ERA_DATE_FORMAT: _DATE}


def _style(column: Column) -> str:
    if column.number_format:
        return _DATE_STYLES[column.number_format]
    return _WRAPPED if column.wrap else _CENTERED if column.center else _TEXT


def _stamps(ws: WriteOnlyWorksheet) -> dict[str, Stamp]:
    return {style.name: Stamp(ws, style.name) for style in STYLES}


def _cells(stamps: Sequence[Stamp], row: Sequence[Value]) -> list[Cell]:
    return [
        stamp.text(value) if isinstance(value, str) else stamp.value(value)
        for value, stamp in zip(row, stamps, strict=True)
    ]


def _table_sheet(
    wb: Workbook,
    name: str,
    title: str,
    generated: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
) -> None:
    """A sheet with a title block and one table whose header row is frozen and filtered."""
    ws = wb.create_sheet(name)
    widths = column_widths(columns, rows)
    widths[0] = max(widths[0], display_width("作成日時") + 2)
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    last_column = get_column_letter(len(columns))
    last_row = HEADER_ROW + len(rows)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{last_row}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", area=f"A1:{last_column}{last_row}")

    stamps = _stamps(ws)
    ws.append([stamps[_TITLE].text(title)])
    ws.append([stamps[_LABEL].text("作成日時"), stamps[_PLAIN].text(generated)])
    ws.append([])
    ws.append([stamps[_HEADER].text(column.header) for column in columns])
    by_column = [stamps[_style(column)] for column in columns]
    for r, row in enumerate(rows, HEADER_ROW + 1):
        if (height := row_height(wrapped_lines(columns, widths, row))) is not None:
            ws.row_dimensions[r].height = height  # before the row: it is written at once
        ws.append(_cells(by_column, row))


def _session_row(row: SessionRow) -> tuple[Value, ...]:
    return (row.number, row.day, row.topics, row.status)


def _follow_up_row(row: FollowUpRow) -> tuple[Value, ...]:
    return (row.raised_at, row.issue, row.ministry, row.status, row.due, row.note)


def _marks(book: PlatformWorkbook) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each member with their row of marks, checked against the sessions as they come."""
    rows = iter(book.attendance)
    sessions = len(book.sessions)
    for number, member in enumerate(book.members, 1):
        marks = next(rows, None)
        if marks is None:
            raise ValueError(f"attendance has {number - 1} rows for {len(book.members)} members")
        if len(marks) != sessions:
            raise ValueError(
                f"attendance row {number} ({member}) has {len(marks)} marks for {sessions} sessions"
            )
        yield member, tuple(marks)
    if next(rows, None) is not None:
        raise ValueError(f"attendance has more rows than the {len(book.members)} members")


def _matrix_sheet(wb: Workbook, book: PlatformWorkbook) -> None:
    """出欠一覧: members down, sessions across, the first row and column frozen."""
    ws = wb.create_sheet("出欠一覧")
    headers = [session.number for session in book.sessions]
    name_width = min(max(longest_line(book.members), display_width("氏名")) + 2, NAME_CAP)
    mark_width = longest_line(MARKS)  # 「オンライン」
    ws.column_dimensions["A"].width = name_width
    for c, header in enumerate(headers, 2):
        width = max(mark_width, display_width(header)) + 2
        ws.column_dimensions[get_column_letter(c)].width = width
    last_column = get_column_letter(len(headers) + 1)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{last_column}{len(book.members) + 1}"
    print_setup(ws, fit_width=False, title_rows="1:1", title_columns="A:A")

    stamps = _stamps(ws)
    head, name, mark = stamps[_HEADER], stamps[_WRAPPED], stamps[_CENTERED]
    ws.append([head.text(text) for text in ("氏名", *headers)])
    for r, (member, marks) in enumerate(_marks(book), 2):
        if (height := row_height(lines_needed(member, name_width))) is not None:
            ws.row_dimensions[r].height = height
        ws.append([name.text(member), *(mark.text(value) for value in marks)])


def render_platform_workbook(book: PlatformWorkbook) -> bytes:
    """Return the .xlsx of the platform's workbook: sheets 会議一覧, 出欠一覧 and
    フォローアップ. 開催日 and 期限 are real dates shown in 和暦 (平成27年11月13日（金）).

    ``book.attendance`` is consumed once, row by row, and must hold one row per member with
    one mark per session; otherwise ValueError. ``generated_at`` must be aware.
    """
    generated = wareki_minute(book.generated_at)
    wb = Workbook(write_only=True)
    add_styles(wb, STYLES)
    try:
        _table_sheet(
            wb,
            "会議一覧",
            f"{book.platform_name} 会議一覧",
            generated,
            SESSIONS,
            [_session_row(row) for row in book.sessions],
        )
        _matrix_sheet(wb, book)
        _table_sheet(
            wb,
            "フォローアップ",
            f"{book.platform_name} フォローアップ",
            generated,
            FOLLOW_UPS,
            [_follow_up_row(row) for row in book.follow_ups],
        )
    except BaseException:
        discard(wb)
        raise
    return save(
        wb, title=f"{book.platform_name} 会議一覧・出欠・フォローアップ", at=book.generated_at
    )
