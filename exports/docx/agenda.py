"""The 議事次第 (japanese-conventions §2.1): title, 日時・場所, the numbered 議事 with
times and presenters, and the list of 配布資料."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as WordDocument
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Length, Mm, Pt
from docx.text.paragraph import Paragraph

from exports.data import AgendaDoc, AgendaLine, MaterialLine
from exports.docx.base import (
    BODY_SIZE,
    Line,
    content_width,
    fill,
    indent,
    info_lines,
    new_document,
    new_table,
    paragraph,
    run,
    save,
)

# Kinds that stand on their own; the items between them are the 議事 proper, numbered
# (1), (2) … under 「議事」, one level down in 公用文 numbering (1 → (1) → ア).
PROCEDURAL_KINDS = frozenset({"開会", "挨拶", "閉会"})
PRESENTER_LABELS = {"挨拶": "挨拶"}  # any other kind: 説明
RANGE_SIGN = "～"  # U+FF5E, as exports.eras writes it
LABEL_WIDTH = Mm(32)  # 「参考資料10」 and a gap


def outline(items: Sequence[AgendaLine]) -> list[AgendaLine | list[AgendaLine]]:
    """Top-level entries: a procedural item, or the run of 議事 items between two of them.
    An agenda without procedural items is simply numbered."""
    if not any(item.kind in PROCEDURAL_KINDS for item in items):
        return list(items)
    entries: list[AgendaLine | list[AgendaLine]] = []
    for item in items:
        if item.kind in PROCEDURAL_KINDS:
            entries.append(item)
        elif entries and isinstance(entries[-1], list):
            entries[-1].append(item)
        else:
            entries.append([item])
    return entries


def _text_at(level: int) -> float:
    """Where an item's text starts, in characters: after 「1」 at 0, or 「(10)」 at 1."""
    return 2 + 1.5 * level


def _numbered(document: WordDocument, number: str, text: str, level: int) -> Paragraph:
    """A line with a hanging indent: the number (each level one character further in), a
    tab to the text, and room for a tab to a time at the right margin."""
    text_at = _text_at(level)
    line = indent(paragraph(document, f"{number}\t{text}"), text_at, level - text_at)
    tabs = line.paragraph_format.tab_stops
    tabs.add_tab_stop(Length(int(BODY_SIZE * text_at)))
    tabs.add_tab_stop(content_width(document), WD_TAB_ALIGNMENT.RIGHT)
    line.paragraph_format.space_before = Pt(6)
    return line


def _item(document: WordDocument, number: str, item: AgendaLine, level: int) -> None:
    line = _numbered(document, number, item.title, level)
    if item.start or item.end:
        run(line, f"\t{item.start}{RANGE_SIGN}{item.end}")
    if item.presenters:
        label = PRESENTER_LABELS.get(item.kind, "説明")
        presenters = "、".join(item.presenters)
        indent(paragraph(document, f"（{label}：{presenters}）"), _text_at(level))


def _materials(document: WordDocument, heading: str, materials: Sequence[MaterialLine]) -> None:
    """The handouts as a borderless table, so that titles line up after the labels."""
    title = paragraph(document, f"（{heading}）")
    title.paragraph_format.space_before = Pt(24)
    title.paragraph_format.keep_with_next = True
    widths = (LABEL_WIDTH, Length(content_width(document) - LABEL_WIDTH))
    table = new_table(document, len(materials), widths)
    for row, material in zip(table.rows, materials, strict=True):
        label, name = row.cells
        fill(label, [Line(material.label)])
        fill(name, [Line(material.title)])


def render_agenda(doc: AgendaDoc) -> bytes:
    """Return the .docx of a session's 議事次第 on A4 portrait."""
    document = new_document()
    heading = f"{doc.session_title} {doc.platform_name}"
    paragraph(document, f"{heading}\n議 事 次 第", style="Title")
    info_lines(document, (("日時", doc.when), ("場所", doc.venue)))
    for number, entry in enumerate(outline(doc.items), 1):
        if isinstance(entry, AgendaLine):
            _item(document, str(number), entry, 0)
            continue
        _numbered(document, str(number), "議事", 0)
        for sub_number, item in enumerate(entry, 1):
            _item(document, f"({sub_number})", item, 1)
    if doc.materials:
        _materials(document, doc.materials_heading, doc.materials)
    return save(document, title=f"{heading} 議事次第")
