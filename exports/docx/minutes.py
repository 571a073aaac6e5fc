"""The 議事要旨 (japanese-conventions §2.6) and the 議事録 (§2.7): 1 日時, 2 場所, 3 出席者,
4 議事, 5 議事概要 or 議事内容 with a heading per agenda item, then the 配布資料 and the
chair's approval. A draft carries a boxed 「案」 at the top right of every page."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from exports.data import AttendeeGroup, MaterialLine, MinutesDoc, MinutesSection, StatementLine
from exports.docx.base import (
    BODY_FONT,
    BODY_SIZE,
    HEADING_FONT,
    RIGHT,
    indent,
    new_document,
    paragraph,
    run,
    save,
    set_fonts,
)

FULL_MINUTES = "議事録"  # any other kind (議事要旨, 議事概要) is a summary
SPEAKER_MARK = "○"  # 「○武山委員　…」 (§2.7, the soumu style)
BULLET = "・"
GAP = "　"  # a full-width space: after a number, a label or a speaker
DRAFT_MARK = "案"
DRAFT_SIZE = Pt(16)
LABEL_WIDTH = Mm(32)  # 「参考資料10」 and a gap, as in the 議事次第
MATERIALS_HEADING = "配布資料"
# An agenda line that already carries its number: 「(1)」, 「（1）」, 「1.」, 「１．」.
_NUMBERED = re.compile(r"\s*(?:[(（][0-9０-９]+[)）]|[0-9０-９]+[.．])")
# Children of w:rPr that come after w:bdr (ECMA-376 order).
_AFTER_BORDER = (
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


def _draft_mark(document: WordDocument) -> None:
    """A boxed 「案」 at the right of the page header, so every page carries it: Word and
    LibreOffice both repeat a header on every page, with no floating shape to position."""
    mark = document.sections[0].header.paragraphs[0]
    mark.alignment = RIGHT
    written = run(mark, DRAFT_MARK, size=DRAFT_SIZE, bold=True)
    rPr = written._r.get_or_add_rPr()
    set_fonts(rPr, HEADING_FONT)
    border = OxmlElement("w:bdr")  # a character border: the box sits tight round 案
    for key, value in (("val", "single"), ("sz", "12"), ("space", "1"), ("color", "000000")):
        border.set(qn(f"w:{key}"), value)
    rPr.insert_element_before(border, *_AFTER_BORDER)


def _heading(document: WordDocument, number: int, label: str, value: str = "") -> Paragraph:
    """A numbered Heading 1 (「1　日時」), with a short value on the same line in body type."""
    heading = paragraph(document, f"{number}{GAP}{label}", style="Heading 1")
    if value:
        written = run(heading, GAP + value, size=BODY_SIZE)
        written.bold = False
        set_fonts(written._r.get_or_add_rPr(), BODY_FONT)
    return heading


def _attendees(document: WordDocument, groups: Sequence[AttendeeGroup]) -> None:
    for group in groups:
        if group.heading:
            heading = indent(paragraph(document, f"（{group.heading}）"), 1)
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.space_before = Pt(4)
        for name in group.names:
            indent(paragraph(document, name), 2)


def _agenda(document: WordDocument, items: Sequence[str]) -> None:
    """The 議事 as (1), (2) …, one level below the heading; a line the domain has already
    numbered is printed as it is."""
    at = Length(int(BODY_SIZE * 3))
    for number, item in enumerate(items, 1):
        text = item if _NUMBERED.match(item) else f"({number})\t{item}"
        line = indent(paragraph(document, text), 3, -2)
        line.paragraph_format.tab_stops.add_tab_stop(at)


def _statement(
    document: WordDocument, statement: StatementLine, *, full: bool, gap: Length
) -> None:
    """One statement: 「○武山委員　…」 with the speaker in bold when there is one, else a
    「・」 point in a summary or a plain paragraph in the 議事録. In the 議事録 the marks
    stand at the margin and each further paragraph is indented one character, as Japanese
    paragraphs are; in a summary the points hang under the agenda item's heading."""
    blocks = [block.strip() for block in statement.text.split("\n") if block.strip()]
    if not statement.speaker and not blocks:
        return
    # (left, first line) of the first paragraph and of the ones after it, in characters
    first_at, rest_at = ((0.0, 0.0), (0.0, 1.0)) if full else ((2.0, -1.0), (2.0, 0.0))
    first = indent(paragraph(document), *first_at)
    first.paragraph_format.space_before = gap
    if statement.speaker:
        run(first, SPEAKER_MARK + statement.speaker, bold=True)
        if blocks:
            run(first, GAP + blocks.pop(0))
    elif full:
        run(first, blocks.pop(0))
        indent(first, 0, 1)
    else:
        run(first, BULLET + blocks.pop(0))
    for block in blocks:
        indent(paragraph(document, block), *rest_at)


def _sections(document: WordDocument, sections: Sequence[MinutesSection], *, full: bool) -> None:
    style = document.styles["Heading 2"]
    assert isinstance(style, ParagraphStyle)
    gap = Pt(6) if full else Pt(3)
    for section in sections:
        heading = document.add_paragraph(style=style)  # the style object: no lookup by name
        run(heading, section.title)
        indent(heading, 1)
        for statement in section.statements:
            _statement(document, statement, full=full, gap=gap)


def _materials(document: WordDocument, materials: Sequence[MaterialLine]) -> None:
    """「資料1　タイトル」 lines whose titles line up after the labels and wrap under them."""
    heading = paragraph(document, f"（{MATERIALS_HEADING}）")
    heading.paragraph_format.space_before = Pt(18)
    heading.paragraph_format.keep_with_next = True
    left = Length(int(BODY_SIZE) + LABEL_WIDTH)
    for material in materials:
        line = paragraph(document, f"{material.label}\t{material.title}")
        line.paragraph_format.left_indent = left
        line.paragraph_format.first_line_indent = Length(-LABEL_WIDTH)
        line.paragraph_format.tab_stops.add_tab_stop(left)


def approval_line(approved: str) -> str:
    """「（座長了解：令和7年11月20日）」, whether ``approved`` holds the date alone or, as
    the MinutesDoc field's comment has it, starts with 「座長了解:」."""
    value = re.sub(r"^座長了解\s*[:：]?\s*", "", approved.strip())
    return f"（座長了解：{value}）"


def render_minutes(doc: MinutesDoc) -> bytes:
    """Return the .docx of a 議事要旨 or 議事録 (``doc.kind``) on A4 portrait.

    In a 議事録 every statement opens with its speaker in bold; in a summary a statement
    without a speaker is a 「・」 point. While ``doc.draft`` is true, every page carries a
    boxed 「案」 in its header; ``doc.approved`` adds the 「（座長了解：…）」 line at the end.
    """
    document = new_document()
    full = doc.kind == FULL_MINUTES
    if doc.draft:
        _draft_mark(document)
    heading = f"{doc.session_title} {doc.platform_name}"
    paragraph(document, f"{heading}\n{doc.kind}", style="Title")

    _heading(document, 1, "日時", doc.when)
    _heading(document, 2, "場所", doc.venue)
    _heading(document, 3, "出席者", "（敬称略）")
    _attendees(document, doc.attendees)
    _heading(document, 4, "議事")
    _agenda(document, doc.agenda)
    _heading(document, 5, "議事内容" if full else "議事概要")
    for block in doc.summary:
        if block.strip():
            indent(paragraph(document, block.strip()), 1, 1).paragraph_format.space_after = Pt(4)
    _sections(document, doc.sections, full=full)
    if doc.materials:
        _materials(document, doc.materials)
    if doc.approved.strip():
        line = paragraph(document, approval_line(doc.approved), align=RIGHT)
        line.paragraph_format.space_before = Pt(18)
    return save(document, title=f"{heading} {doc.kind}")
