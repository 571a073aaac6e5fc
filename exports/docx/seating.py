"""The 座席表 (japanese-conventions §2.5): one A4 landscape page holding one editable
table. The chair sits at the head, members alternate down both sides in list order, the
presenters (説明者) face the chair from the far end and the secretariat sits below."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as WordDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.shared import Length, Mm, Pt
from docx.table import _Cell, _Row

from exports.data import Seat, SeatingDoc
from exports.docx.base import (
    CENTER,
    RIGHT,
    SMALL,
    Line,
    box,
    content_width,
    fill,
    info_lines,
    new_document,
    new_table,
    paragraph,
    save,
    shade,
    split,
)

# The page width is a grid of 36 equal columns: on each side of the table a title (7) and
# a name (5) column, and the table itself 12 wide. 12 divides evenly among the 1–3 seats
# at each end of the table, and 36 among the 6 secretariat seats of a row.
TITLE_SPAN, NAME_SPAN, TABLE_SPAN = 7, 5, 12
SIDE_SPAN = TITLE_SPAN + NAME_SPAN
GRID = 2 * SIDE_SPAN + TABLE_SPAN
END_SEATS = 3
SECRETARIAT_SEATS = 6
SECRETARIAT_SPAN = GRID // SECRETARIAT_SEATS
NAME_SIZE = Pt(9)
MEMBER_ROW = Mm(5.5)


def _chunks(seats: Sequence[Seat], size: int) -> list[Sequence[Seat]]:
    return [seats[i : i + size] for i in range(0, len(seats), size)]


def _seat(cell: _Cell, seat: Seat) -> None:
    lines = [Line(seat.note, SMALL), Line(seat.name, NAME_SIZE, bold=True), Line(seat.title, SMALL)]
    fill(box(cell), lines, align=CENTER)


def _end_row(row: _Row, seats: Sequence[Seat], label: str = "") -> None:
    """A row at one end of the table: a label on the left, the seats across the table."""
    spans = [SIDE_SPAN] + [TABLE_SPAN // len(seats)] * len(seats) + [SIDE_SPAN]
    left, *cells, _right = split(row, spans)
    fill(left, [Line(label, NAME_SIZE, bold=True)], align=RIGHT)
    left.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for cell, seat in zip(cells, seats, strict=True):
        _seat(cell, seat)


def _member_row(row: _Row, left: Seat, right: Seat | None) -> _Cell:
    """Two members facing each other across the table; returns the table's cell."""
    spans = (TITLE_SPAN, NAME_SPAN, TABLE_SPAN, NAME_SPAN, TITLE_SPAN)
    left_title, left_name, middle, right_name, right_title = split(row, spans)
    for seat, title, name, align in (
        (left, left_title, left_name, RIGHT),
        (right, right_title, right_name, None),
    ):
        if seat is not None:
            fill(box(title), [Line(seat.title, SMALL)], align=align)
            lines = [Line(seat.name, NAME_SIZE, bold=True), Line(seat.note, SMALL)]
            fill(box(name), lines, align=CENTER)
    row.height, row.height_rule = MEMBER_ROW, WD_ROW_HEIGHT_RULE.AT_LEAST
    return middle


def _secretariat_rows(rows: Sequence[_Row], seats: Sequence[Seat]) -> None:
    label_row, *seat_rows = rows
    (label,) = split(label_row, [GRID])
    fill(label, [Line("事務局", NAME_SIZE, bold=True)], align=CENTER)
    label.paragraphs[0].paragraph_format.space_before = Pt(8)
    for row, chunk in zip(seat_rows, _chunks(seats, SECRETARIAT_SEATS), strict=True):
        margin = (GRID - SECRETARIAT_SPAN * len(chunk)) // 2  # a short row is centred
        spans = [SECRETARIAT_SPAN] * len(chunk)
        cells = split(row, [margin, *spans, margin] if margin else spans)
        for cell, seat in zip(cells[1:-1] if margin else cells, chunk, strict=True):
            _seat(cell, seat)


def _seating_table(document: WordDocument, doc: SeatingDoc) -> None:
    heads = _chunks(doc.chair, END_SEATS)
    # Alternating sides, the first member on the chair's right: the page's left.
    members = doc.members
    pairs = [
        (members[i], members[i + 1] if i + 1 < len(members) else None)
        for i in range(0, len(members), 2)
    ]
    presenters = _chunks(doc.presenters, END_SEATS)
    # The secretariat's rows of seats, and a row for their label above them.
    secretariat_rows = len(_chunks(doc.secretariat, SECRETARIAT_SEATS))
    back_rows = secretariat_rows + 1 if secretariat_rows else 0
    n_rows = len(heads) + len(pairs) + len(presenters) + back_rows
    unit = Length(content_width(document) // GRID)
    table = new_table(document, n_rows, [unit] * GRID)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = iter(table.rows)  # rows are iterated, never indexed (library-pitfalls §3.5)

    for seats in heads:
        _end_row(next(rows), seats)
    surface = [_member_row(next(rows), left, right) for left, right in pairs]
    for cell in surface:  # Word draws a merged cell's edges from each of its parts
        shade(box(cell))
    if len(surface) > 1:
        surface[0].merge(surface[-1])
    for index, seats in enumerate(presenters):
        _end_row(next(rows), seats, "説明者" if index == 0 else "")
    if secretariat_rows:
        _secretariat_rows(list(rows), doc.secretariat)


def render_seating(doc: SeatingDoc) -> bytes:
    """Return the .docx of a session's 座席表 on one A4 landscape page (for about 40
    attendees; a longer list runs onto a second page)."""
    document = new_document(landscape=True)
    # Narrow top and bottom margins: 40 attendees, proxies on two lines, must fit one page.
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Mm(12)
    section.header_distance = section.footer_distance = Mm(5)
    heading = f"{doc.session_title} {doc.platform_name} 座席表"
    paragraph(document, heading, style="Title").paragraph_format.space_after = Pt(0)
    info_lines(document, (("日時", doc.when), ("場所", doc.venue)))
    paragraph(document).paragraph_format.space_after = Pt(4)
    _seating_table(document, doc)
    return save(document, title=heading)
