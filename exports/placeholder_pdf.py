"""Small A4 PDFs with Japanese text, for the demo's placeholder materials.

reportlab's CID fonts (HeiseiMin-W3) are the standard Adobe-Japan1 fonts every PDF
viewer has, so the files need no embedded font and stay a few KB.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "HeiseiMin-W3"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def render_placeholder_pdf(*, corner_label: str, title: str, lines: Sequence[str]) -> bytes:
    """One A4 page: the label top right (資料1), the title, then the lines."""
    buffer = io.BytesIO()
    # invariant=True fixes the creation date and document id: same input, same bytes.
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setTitle(title)
    pdf.setAuthor("")
    width, height = A4
    pdf.setFont(FONT, 12)
    if corner_label:
        pdf.drawRightString(width - 20 * mm, height - 20 * mm, corner_label)
    pdf.setFont(FONT, 16)
    pdf.drawCentredString(width / 2, height - 40 * mm, title)
    pdf.setFont(FONT, 11)
    y = height - 55 * mm
    for line in lines:
        pdf.drawString(25 * mm, y, line)
        y -= 7 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
