"""Plain-text hygiene shared by the renderers and the forms."""

from __future__ import annotations

import re

__all__ = ["FORMAT_CONTROLS", "plain_text", "strip_format_controls"]

# Invisible characters that change how the text around them is laid out: the bidirectional
# embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069) and marks (U+200E
# LRM, U+200F RLM, U+061C ALM). U+202E makes 「資料\u202efdp.exe」 display as 「資料exe.pdf」,
# and a name or title holding one can make a page, a document or an email read otherwise
# than what it says. Japanese text never needs them.
FORMAT_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_format_controls(text: str) -> str:
    """`text` without bidirectional controls (FORMAT_CONTROLS)."""
    return FORMAT_CONTROLS.sub("", text)


def plain_text(text: str) -> str:
    """Text typed into a page that posts without a form, as it is stored: line ends as
    LF (browsers send a textarea's as CRLF), no NUL (PostgreSQL cannot store one), no
    bidi controls. Other control characters are kept as typed: the renderers escape them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return strip_format_controls(text)
