"""Excel workbooks a secretariat prints, sorts and filters, one module per workbook:
the 出欠表 (attendance), a session's workbook (session: 出席者, 資料, 発言) and the
platform's workbook (platform: 会議一覧, 出欠一覧, フォローアップ).

Spec: shared/notes/library-pitfalls.md §4 (openpyxl). Pure: plain data in, bytes out.
Every text cell goes through the formula-injection guard; numbers and dates stay numbers
and dates. The same input always gives the same bytes: the document properties and the ZIP
entry times come from ``generated_at``, never from the clock. (openpyxl itself spools each
sheet through a temporary file while saving; these modules open no file of their own.)
"""

from exports.xlsx.attendance import REPLIES, render_attendance_sheet
from exports.xlsx.base import FONT_NAME, display_width, set_text
from exports.xlsx.platform import render_platform_workbook
from exports.xlsx.session import render_session_workbook

__all__ = [
    "FONT_NAME",
    "REPLIES",
    "display_width",
    "render_attendance_sheet",
    "render_platform_workbook",
    "render_session_workbook",
    "set_text",
]
