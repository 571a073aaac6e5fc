"""Word documents a secretariat prints and edits, one module per document:
議事次第 (agenda), 座席表 (seating), 構成員名簿 (roster), 現地視察報告 (site_visit),
議事要旨 and 議事録 (minutes).

Spec: shared/notes/japanese-conventions.md §2 and §5, library-pitfalls.md §3. Pure: plain
data in, bytes out. (python-docx itself reads its bundled template; these modules open no
file of their own.) All of them are A4 with Japanese fonts set explicitly, real
Title/Heading styles and 「1 / 2」 page numbers; every text goes through `clean()`; the
same input gives the same bytes.
"""

from exports.docx.agenda import render_agenda
from exports.docx.base import clean
from exports.docx.minutes import render_minutes
from exports.docx.roster import render_roster
from exports.docx.seating import render_seating
from exports.docx.site_visit import render_site_visit_report

__all__ = [
    "clean",
    "render_agenda",
    "render_minutes",
    "render_roster",
    "render_seating",
    "render_site_visit_report",
]
