"""The 構成員名簿 (japanese-conventions §2.3): per category its heading and note, then
氏名 | 所属・役職 tables, with theme sub-headings where a category is divided."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.shared import Length, Mm, Pt

from exports.data import Roster, RosterGroup
from exports.docx.base import (
    CENTER,
    RIGHT,
    Line,
    content_width,
    fill,
    new_document,
    new_table,
    paragraph,
    repeat_as_header,
    save,
    shade,
)
from exports.eras import format_date

NAME_WIDTH = Mm(75)  # 「全国知事会（中村　時広 愛媛県知事）」 on one line
MARK_ORDER = "◎○"  # in the legend; any other mark comes after these
NO_MARK = "　"  # a full-width space keeps names aligned under marked ones


def legend(roster: Roster) -> str:
    """e.g. 「（◎座長、○座長代理）」, from the marks in use."""
    roles: dict[str, str] = {}
    for category in roster.categories:
        for group in category.groups:
            for member in group.members:
                if member.mark:
                    roles.setdefault(member.mark, member.role)
    order = {mark: index for index, mark in enumerate(MARK_ORDER)}
    marks = sorted(roles, key=lambda mark: order.get(mark, len(order)))
    return "（" + "、".join(f"{mark}{roles[mark]}" for mark in marks) + "）"


def _members_table(document: WordDocument, group: RosterGroup, marks: bool) -> None:
    widths = (NAME_WIDTH, Length(content_width(document) - NAME_WIDTH))
    table = new_table(document, len(group.members) + 1, widths, grid=True)
    rows = iter(table.rows)
    header = next(rows)
    repeat_as_header(header)
    for cell, text in zip(header.cells, ("氏名", "所属・役職"), strict=True):
        fill(shade(cell), [Line(text, bold=True)], align=CENTER)
    for row, member in zip(rows, group.members, strict=True):
        name, title = row.cells
        mark = (member.mark or NO_MARK) if marks else ""
        fill(name, [Line(mark + member.name)])
        fill(title, [Line(member.title)])


def render_roster(roster: Roster) -> bytes:
    """Return the .docx of the 構成員名簿 on A4 portrait: the 「現在」 date, the marks'
    legend when any member holds an office, the categories and the footnote."""
    document = new_document()
    title = f"{roster.platform_name} 構成員名簿"
    paragraph(document, title, style="Title")
    paragraph(document, format_date(roster.as_of) + "現在", align=RIGHT)
    marks = roster.has_office_holders
    if marks:
        paragraph(document, legend(roster), align=RIGHT)
    for category in roster.categories:
        paragraph(document, category.heading, style="Heading 1")
        note = paragraph(document, category.note, align=RIGHT)
        note.paragraph_format.keep_with_next = True
        for group in category.groups:
            if group.theme:
                paragraph(document, f"（{group.theme}）", style="Heading 2")
            _members_table(document, group, marks)
    if roster.footnote:
        paragraph(document, roster.footnote).paragraph_format.space_before = Pt(12)
    return save(document, title=title)
