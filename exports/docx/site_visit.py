"""The 現地視察報告 (japanese-conventions §2.8): the days and summary, then each stop with
its details, findings and photos."""

from __future__ import annotations

import io

from docx.document import Document as WordDocument
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.shared import Length, Mm, Pt

from exports.data import SiteVisitDoc, VisitPhoto, VisitStopLine
from exports.docx.base import (
    CENTER,
    Line,
    body_paragraphs,
    clean,
    content_width,
    fill,
    info_lines,
    new_document,
    new_table,
    paragraph,
    save,
    shade,
)

PHOTO_BOX = (Mm(120), Mm(90))  # the most a photo takes on the page; 4:3 fills it exactly
PHOTO_TYPES = ("image/jpeg", "image/png")
LABEL_WIDTH = Mm(25)


def photo_size(photo: VisitPhoto, where: str) -> tuple[Length, Length]:
    """The photo's size on the page, scaled to fit ``PHOTO_BOX``.

    Raises ValueError when the bytes are not a JPEG or PNG that python-docx can measure.
    """
    problem = f"photo 「{photo.caption}」 of {where} is not a readable JPEG or PNG image"
    try:
        image = Image.from_blob(photo.data)
    except UnrecognizedImageError:
        raise ValueError(f"{problem}: unknown format") from None
    except Exception as error:  # the header parsers raise whatever bad bytes make them hit
        raise ValueError(f"{problem}: {type(error).__name__} {error}".rstrip()) from error
    if image.content_type not in PHOTO_TYPES:
        raise ValueError(f"{problem}: it is {image.content_type}")
    width, height = image.px_width, image.px_height
    if width <= 0 or height <= 0:
        raise ValueError(f"{problem}: it is {width}×{height} pixels")
    scale = min(PHOTO_BOX[0] / width, PHOTO_BOX[1] / height)
    return Length(int(width * scale)), Length(int(height * scale))


def _photo(document: WordDocument, photo: VisitPhoto, where: str) -> None:
    width, height = photo_size(photo, where)
    holder = paragraph(document, align=CENTER)
    holder.paragraph_format.keep_with_next = True  # the caption stays under its photo
    holder.paragraph_format.space_before = Pt(6)
    shape = holder.add_run().add_picture(io.BytesIO(photo.data), width=width, height=height)
    shape._inline.docPr.set("descr", clean(photo.caption))  # the alt text screen readers say
    paragraph(document, photo.caption, style="Caption")


def _stop(document: WordDocument, number: int, stop: VisitStopLine) -> None:
    paragraph(document, f"{number}　{stop.place}", style="Heading 2")
    details = (
        ("日時", f"{stop.day} {stop.time}".strip()),
        ("訪問先", stop.host),
        ("テーマ", stop.theme),
        ("参加者", "、".join(stop.participants)),
    )
    widths = (LABEL_WIDTH, Length(content_width(document) - LABEL_WIDTH))
    table = new_table(document, len(details), widths, grid=True)
    for row, (label, value) in zip(table.rows, details, strict=True):
        label_cell, value_cell = row.cells
        fill(shade(label_cell), [Line(label)], align=CENTER)
        fill(value_cell, [Line(value)])
    paragraph(document).paragraph_format.space_after = Pt(2)
    if stop.findings.strip():
        body_paragraphs(document, stop.findings)
    for photo in stop.photos:
        _photo(document, photo, f"stop {number} ({stop.place})")


def render_site_visit_report(doc: SiteVisitDoc) -> bytes:
    """Return the .docx of a 現地視察報告 on A4 portrait. Photos are scaled to fit 12 × 9 cm,
    each with its caption below.

    Raises ValueError when a photo is not a readable JPEG or PNG image.
    """
    document = new_document()
    paragraph(document, f"{doc.platform_name}\n現地視察報告", style="Title")
    info_lines(document, (("視察日", doc.days), ("報告", doc.reported_at)))
    if doc.summary.strip():
        paragraph(document, "概要", style="Heading 1")
        body_paragraphs(document, doc.summary)
    if doc.stops:
        paragraph(document, "視察先", style="Heading 1")
    for number, stop in enumerate(doc.stops, 1):
        _stop(document, number, stop)
    return save(document, title=f"{doc.platform_name} 現地視察報告")
