"""What every Word document here shares: A4 pages, Japanese fonts, page numbers, the one
text funnel, fixed-width tables and deterministic saving.

Spec: shared/notes/library-pitfalls.md §3 (python-docx) and japanese-conventions.md §5.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.section import Section
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

# (Latin, East Asian) faces: Office's defaults since 2016 (japanese-conventions §5.2).
BODY_FONT = ("Times New Roman", "游明朝")
HEADING_FONT = ("Arial", "游ゴシック")
BODY_SIZE = Pt(10.5)  # Japanese Word's default; one full-width character, the indent unit
SMALL = Pt(7.5)
CENTER = WD_PARAGRAPH_ALIGNMENT.CENTER
RIGHT = WD_PARAGRAPH_ALIGNMENT.RIGHT
SHADE = "E7E6E6"  # the light grey of header cells
A4 = (Mm(210), Mm(297))
MARGIN = Mm(25)
FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)

# What XML 1.0 cannot hold (tab, LF and CR aside), and lone surrogates, which cannot be
# encoded. \x0b is the line break Word puts in text copied out of it.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` as Word's XML can hold it: unwritable characters dropped, line ends made
    "\\n", which python-docx writes as a line break."""
    return _UNWRITABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# --- fonts and styles --------------------------------------------------------------------


def set_fonts(rPr: CT_RPr, face: tuple[str, str]) -> None:
    """Name the font of every script and drop the theme references, which win over names;
    mark East Asian text as Japanese (library-pitfalls §3.1)."""
    fonts = rPr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    latin, east_asian = face
    for slot, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian)):
        fonts.set(qn(slot), name)
    fonts.set(qn("w:cs"), latin)
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:eastAsia"), "ja-JP")


def _drop_theme_fonts(document: WordDocument) -> None:
    """Give every style still pointing at the theme (the "… Char" styles, Subtitle, …) the
    matching explicit faces: the theme's "major" fonts are the headings' ones."""
    for fonts in list(document.styles.element.iter(qn("w:rFonts"))):
        themes = [value for key, value in fonts.attrib.items() if key.lower().endswith("theme")]
        if themes:
            rPr = fonts.getparent()
            assert isinstance(rPr, CT_RPr)
            major = any(theme.startswith("major") for theme in themes)
            set_fonts(rPr, HEADING_FONT if major else BODY_FONT)


def _set_up_styles(document: WordDocument) -> None:
    styles = document.styles
    _drop_theme_fonts(document)
    defaults = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert isinstance(defaults, CT_RPr)  # the bundled template has them
    set_fonts(defaults, BODY_FONT)

    normal = styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    for name, size in (("Title", 16), ("Heading 1", 13), ("Heading 2", 12), ("Heading 3", 11)):
        style = styles[name]
        set_fonts(style.element.get_or_add_rPr(), HEADING_FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = None  # black, not the template's theme blue
        style.paragraph_format.space_before = Pt(0 if name == "Title" else 12)
        style.paragraph_format.space_after = Pt(12 if name == "Title" else 6)
    title = styles["Title"]
    title.paragraph_format.alignment = CENTER
    rule = title.element.get_or_add_pPr().find(qn("w:pBdr"))  # the template's blue underline
    if rule is not None:
        title.element.get_or_add_pPr().remove(rule)

    caption = styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.bold = False
    caption.font.color.rgb = None
    caption.paragraph_format.alignment = CENTER
    caption.paragraph_format.space_after = Pt(10)


# --- page, footer, saving ----------------------------------------------------------------


def _set_up_page(section: Section, *, landscape: bool) -> None:
    width, height = A4
    if landscape:
        width, height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = width, height
    section.top_margin = section.bottom_margin = MARGIN
    section.left_margin = section.right_margin = MARGIN
    section.header_distance = section.footer_distance = Mm(12)


def _add_field(target: Paragraph, instruction: str) -> None:
    """A complex field (python-docx has no field API, library-pitfalls §3.3). The cached
    "1" shows until Word or LibreOffice lays the pages out."""

    def marker(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        target.add_run()._r.append(element)

    marker("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    target.add_run()._r.append(code)
    marker("separate")
    target.add_run("1")
    marker("end")


def new_document(*, landscape: bool = False) -> WordDocument:
    """An empty A4 document with Japanese fonts and 「1 / 2」 page numbers in the footer."""
    document = Document()
    _set_up_styles(document)
    section = document.sections[0]
    _set_up_page(section, landscape=landscape)
    footer = section.footer.paragraphs[0]
    footer.alignment = CENTER
    _add_field(footer, "PAGE")
    run(footer, " / ")
    _add_field(footer, "NUMPAGES")
    return document


def content_width(document: WordDocument) -> Length:
    section = document.sections[0]
    page = section.page_width or 0
    return Length(page - (section.left_margin or 0) - (section.right_margin or 0))


def save(document: WordDocument, *, title: str) -> bytes:
    """The .docx bytes, the same for the same document: fixed properties and ZIP times."""
    properties = document.core_properties
    properties.title = clean(title)
    properties.author = properties.last_modified_by = properties.comments = ""
    properties.revision = 1
    properties.created = properties.modified = FIXED_TIME
    # The template's thumbnail is a picture of an empty English page; file browsers show it.
    package_rels = document.part.package.rels
    for key, rel in list(package_rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package_rels[key]

    raw = io.BytesIO()
    document.save(raw)
    # zipfile stamps each entry with the clock: copy them into a ZIP with one fixed time.
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 3  # Unix, whatever machine renders it
            target.writestr(info, source.read(entry))
    return fixed.getvalue()


# --- text: everything written goes through run() and so through clean() -----------------


class Line(NamedTuple):
    text: str
    size: Length | None = None
    bold: bool = False


def run(target: Paragraph, text: str, *, size: Length | None = None, bold: bool = False) -> Run:
    written = target.add_run(clean(text))
    if size is not None:
        written.font.size = size
    if bold:
        written.bold = True
    return written


def paragraph(
    parent: WordDocument | _Cell,
    text: str = "",
    *,
    style: str | None = None,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
) -> Paragraph:
    added = parent.add_paragraph(style=style)
    if text:
        run(added, text)
    if align is not None:
        added.alignment = align
    return added


def indent(target: Paragraph, left: float, first_line: float = 0) -> Paragraph:
    """Indent in full-width characters, the unit of 公用文 numbering."""
    target.paragraph_format.left_indent = Length(int(BODY_SIZE * left))
    target.paragraph_format.first_line_indent = Length(int(BODY_SIZE * first_line))
    return target


def body_paragraphs(document: WordDocument, text: str) -> None:
    """Paragraphs separated by blank lines, each with the customary one-character indent."""
    for block in re.split(r"\n\s*\n", clean(text).strip()):
        indent(paragraph(document, block.strip()), 0, 1).paragraph_format.space_after = Pt(4)


def info_lines(document: WordDocument, pairs: Sequence[tuple[str, str]]) -> None:
    """Right-aligned 「日時：…」 lines under a title; empty values are left out."""
    for label, value in pairs:
        if value:
            paragraph(document, f"{label}：{value}", align=RIGHT)


def fill(
    cell: _Cell, lines: Sequence[Line], *, align: WD_PARAGRAPH_ALIGNMENT | None = None
) -> None:
    """Write the non-empty ``lines`` into ``cell``'s paragraph, one below the other."""
    target = cell.paragraphs[0]
    target.alignment = align
    present = [line for line in lines if line.text]
    for index, line in enumerate(present):
        run(target, ("\n" if index else "") + line.text, size=line.size, bold=line.bold)


# --- tables --------------------------------------------------------------------------------


def new_table(
    document: WordDocument, rows: int, widths: Sequence[Length], *, grid: bool = False
) -> Table:
    """A table with fixed column widths: Word honours a width only when every cell has it
    (library-pitfalls §3.4). Rows are iterated here, never indexed (§3.5). ``grid`` draws
    every border and gives the cells some air above and below."""
    table: Table = document.add_table(rows=rows, cols=len(widths))
    if grid:
        table.style = document.styles["Table Grid"]
        margins = OxmlElement("w:tblCellMar")
        for side, twips in (("top", 30), ("left", 108), ("bottom", 30), ("right", 108)):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(twips))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption")
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def repeat_as_header(row: _Row) -> None:
    """Repeat ``row`` at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


# Children of w:tcPr that must come after w:tcBorders and w:shd (ECMA-376 order).
_AFTER_SHADING = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign")


def shade(cell: _Cell, fill_colour: str = SHADE) -> _Cell:
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", fill_colour)):
        shading.set(qn(f"w:{key}"), value)
    cell._tc.get_or_add_tcPr().insert_element_before(shading, *_AFTER_SHADING, "w:hideMark")
    return cell


def box(cell: _Cell) -> _Cell:
    """Draw a thin border round ``cell`` (in a table without borders of its own)."""
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            edge.set(qn(f"w:{key}"), value)
        borders.append(edge)
    tcPr = cell._tc.get_or_add_tcPr()
    tcPr.insert_element_before(borders, "w:shd", *_AFTER_SHADING, "w:hideMark")
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return cell


def split(row: _Row, spans: Sequence[int]) -> list[_Cell]:
    """Merge ``row``'s grid cells into consecutive cells ``spans`` columns wide.

    Written as gridSpan directly: python-docx's Cell.merge() re-walks the whole table on
    every call, which made the 座席表 25 times slower than a plain document.
    """
    tr = row._tr
    grid = list(tr.tc_lst)  # one <w:tc> per grid column, as new_table() made them
    cells, start = [], 0
    for span in spans:
        tc = grid[start]
        if span > 1:
            widths = [cell.width for cell in grid[start : start + span]]
            tc.grid_span = span
            if all(width is not None for width in widths):
                tc.width = Length(sum(width for width in widths if width is not None))
            for swallowed in grid[start + 1 : start + span]:
                tr.remove(swallowed)
        cells.append(_Cell(tc, row.table))
        start += span
    return cells
