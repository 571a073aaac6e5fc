import io
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from exports.data import AttendanceRow, AttendanceSheet
from exports.xlsx import FONT_NAME, display_width, render_attendance_sheet
from tests.office import pdf_text, to_pdf

TOKYO = ZoneInfo("Asia/Tokyo")
TITLE = "第1回 公共サービスイノベーション・プラットフォーム 出欠表"
HEADERS = ("区分", "氏名", "役職", "回答", "代理出席者", "備考", "回答日時", "入力者")
HEADER_ROW = 7
TALLY_LABELS = ("出席", "オンライン出席", "代理出席", "欠席", "未回答", "合計")


def wall_clock(*fields: int) -> datetime:
    """A naive Tokyo wall-clock time, as Excel stores it."""
    return datetime(*fields, tzinfo=TOKYO).replace(tzinfo=None)


def squeeze(text: str) -> str:
    # pdftotext -layout pads columns with spaces, and full-width spaces come out as either.
    return re.sub(r"\s+", "", text)


def make_row(**overrides: Any) -> AttendanceRow:
    row = AttendanceRow(
        category="有識者",
        name="髙鳥　修一",
        title="内閣府副大臣",
        reply="出席",
        proxy="",
        comment="",
        replied_at=datetime(2015, 9, 1, 9, 30, tzinfo=TOKYO),
        entered_by="",
    )
    return replace(row, **overrides)


ROWS = (
    make_row(),
    make_row(
        name="大谷　翔子",
        title="株式会社サンプル 代表取締役社長",
        reply="オンライン出席",
        comment="回線の確認をお願いします。\n当日は9時半から接続します。",
        replied_at=datetime(2015, 9, 2, 0, 30, tzinfo=UTC),  # 09:30 in Tokyo
    ),
    make_row(
        category="地方公共団体",
        name="全国知事会（中村　時広 愛媛県知事）",
        title="",
        reply="代理出席",
        proxy="山田　太郎 副知事",
        entered_by="事務局 佐藤",
        replied_at=datetime(2015, 9, 3, 17, 5, tzinfo=TOKYO),
    ),
    make_row(category="関係府省", name="総務省", title="", reply="欠席"),
    make_row(category="関係府省", name="財務省", title="", reply="未回答", replied_at=None),
)


def make_sheet(rows: tuple[AttendanceRow, ...] = ROWS, **overrides: Any) -> AttendanceSheet:
    sheet = AttendanceSheet(
        platform_name="公共サービスイノベーション・プラットフォーム",
        session_title="第1回",
        session_when="平成27年9月14日（月）10:00～11:30",
        venue="中央合同庁舎第8号館 1階講堂",
        reply_deadline="平成27年9月7日（月）",
        rows=rows,
        generated_at=datetime(2015, 9, 8, 1, 0, tzinfo=UTC),  # 10:00 in Tokyo
    )
    return replace(sheet, **overrides)


def read(sheet: AttendanceSheet) -> Worksheet:
    workbook = load_workbook(io.BytesIO(render_attendance_sheet(sheet)))
    assert workbook.sheetnames == ["出欠表"]
    ws = workbook["出欠表"]
    assert isinstance(ws, Worksheet)
    return ws


def table(ws: Worksheet, n_rows: int) -> list[tuple[object, ...]]:
    return [
        tuple(cell.value for cell in row)
        for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + n_rows, max_col=8)
    ]


def tally(ws: Worksheet) -> dict[str, object]:
    """The 集計 block, read as a person would: the label under 集計 and the number beside it."""
    rows = [(ws.cell(r, 1).value, ws.cell(r, 2)) for r in range(1, ws.max_row + 1)]
    start = next(i for i, (label, _) in enumerate(rows) if label == "集計") + 1
    block = rows[start : start + len(TALLY_LABELS)]
    for _, cell in block:
        assert cell.data_type == "n"
    return {str(label): cell.value for label, cell in block}


def test_title_block() -> None:
    ws = read(make_sheet())
    assert [[c.value for c in row] for row in ws.iter_rows(max_row=5, max_col=2)] == [
        [TITLE, None],
        ["日時", "平成27年9月14日（月）10:00～11:30"],
        ["場所", "中央合同庁舎第8号館 1階講堂"],
        ["回答期限", "平成27年9月7日（月）"],
        ["作成日時", "平成27年9月8日（火）10:00"],  # generated_at in Tokyo time
    ]
    assert ws["A1"].font.b


def test_header_and_rows() -> None:
    ws = read(make_sheet())
    assert tuple(c.value for c in ws[HEADER_ROW]) == HEADERS
    assert all(c.font.b for c in ws[HEADER_ROW])
    assert table(ws, len(ROWS)) == [
        (
            "有識者",
            "髙鳥　修一",
            "内閣府副大臣",
            "出席",
            None,
            None,
            wall_clock(2015, 9, 1, 9, 30),
            None,
        ),
        (
            "有識者",
            "大谷　翔子",
            "株式会社サンプル 代表取締役社長",
            "オンライン出席",
            None,
            "回線の確認をお願いします。\n当日は9時半から接続します。",
            wall_clock(2015, 9, 2, 9, 30),
            None,
        ),
        (
            "地方公共団体",
            "全国知事会（中村　時広 愛媛県知事）",
            None,
            "代理出席",
            "山田　太郎 副知事",
            None,
            wall_clock(2015, 9, 3, 17, 5),
            "事務局 佐藤",
        ),
        ("関係府省", "総務省", None, "欠席", None, None, wall_clock(2015, 9, 1, 9, 30), None),
        ("関係府省", "財務省", None, "未回答", None, None, None, None),
    ]


def test_replied_at_is_a_real_datetime_in_tokyo_time() -> None:
    ws = read(make_sheet())
    cell = ws.cell(HEADER_ROW + 2, 7)
    assert cell.data_type == "d"  # a serial number in the file, not text
    assert cell.is_date
    assert cell.value == wall_clock(2015, 9, 2, 9, 30)  # naive: 00:30 UTC is 09:30 in Tokyo
    assert cell.number_format == "yyyy/mm/dd hh:mm"


def test_text_cells_use_a_japanese_font() -> None:
    ws = read(make_sheet())
    for row in ws.iter_rows(max_row=HEADER_ROW + len(ROWS), max_col=8):
        for cell in row:
            if cell.value is not None:
                assert cell.font.name == FONT_NAME == "游ゴシック", cell.coordinate
    # Japanese Excel writes SHIFTJIS_CHARSET beside a Japanese face.
    assert ws["B8"].font.charset == 128


def test_wrap_text_in_name_title_and_comment_only() -> None:
    ws = read(make_sheet())
    for column in range(1, 9):
        cell = ws.cell(HEADER_ROW + 1, column)
        assert bool(cell.alignment.wrap_text) == (column in (2, 3, 6)), cell.coordinate


def test_rows_that_wrap_are_given_room() -> None:
    # LibreOffice does not grow rows on its own when it opens an .xlsx (Excel does).
    ws = read(make_sheet())
    one_line, two_lines = HEADER_ROW + 1, HEADER_ROW + 2  # the second comment has two lines
    assert ws.row_dimensions[one_line].height is None  # left to the client
    assert ws.row_dimensions[two_lines].height >= 2 * 15
    ws = read(make_sheet(rows=(make_row(comment="長い備考" * 100),)))
    assert ws.row_dimensions[one_line].height >= 10 * 15


def test_no_cell_is_a_formula() -> None:
    data = render_attendance_sheet(make_sheet())
    workbook = load_workbook(io.BytesIO(data))
    for ws in workbook.worksheets:
        assert isinstance(ws, Worksheet)
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+81-3-1234-5678",
        "+81-3",
        "-1",
        "@SUM(A1)",
        '=HYPERLINK("http://example.com/","詳細")',
        "＝1+1",  # full-width, as a Japanese IME types it
        "\t=1+1",
    ],
)
def test_formula_injection_stays_literal_text(text: str) -> None:
    rows = (make_row(name=text, title=text, proxy=text, comment=text, entered_by=text),)
    ws = read(make_sheet(rows, venue=text))
    cells = [ws["B3"], *(ws.cell(HEADER_ROW + 1, column) for column in (2, 3, 5, 6, 8))]
    for cell in cells:
        assert cell.value == text, cell.coordinate
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix, cell.coordinate  # still text after a user edits the cell


def test_ordinary_text_has_no_quote_prefix() -> None:
    ws = read(make_sheet(venue="1階講堂", rows=(make_row(comment="よろしくお願いします"),)))
    assert not ws["B3"].quotePrefix
    assert not ws.cell(HEADER_ROW + 1, 6).quotePrefix


def test_control_characters_are_dropped() -> None:
    ws = read(make_sheet(rows=(make_row(comment="Wordから\x0bの\x00貼り付け\x1f"),)))
    assert ws.cell(HEADER_ROW + 1, 6).value == "Wordからの貼り付け"


def test_frozen_header_filter_and_print_setup() -> None:
    ws = read(make_sheet())
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:H{HEADER_ROW + len(ROWS)}"
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.print_area == f"'出欠表'!$A$1:$H${HEADER_ROW + len(ROWS) + 8}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.oddFooter.center.text == "&P / &N"


def test_column_widths_count_full_width_characters_as_two() -> None:
    assert display_width("出欠表") == 6
    assert display_width("ABC") == 3
    assert display_width("事務局 佐藤") == 11
    assert display_width("ｱｲｳ") == 3  # half-width katakana
    ws = read(make_sheet())
    widths = {letter: ws.column_dimensions[letter].width for letter in "ABCDEFGH"}
    assert all(width > 0 for width in widths.values()), widths
    assert widths["H"] >= display_width("事務局 佐藤")
    assert widths["E"] >= display_width("山田　太郎 副知事")
    assert widths["G"] >= len("2015/09/01 09:30")
    assert widths["D"] >= display_width("オンライン出席")


def test_long_text_wraps_within_a_capped_width() -> None:
    ws = read(make_sheet(rows=(make_row(comment="長い備考" * 100, name="長い氏名" * 30),)))
    assert 0 < ws.column_dimensions["F"].width <= 40
    assert 0 < ws.column_dimensions["B"].width <= 30


def test_tally_counts_are_plain_numbers() -> None:
    rows = (*ROWS, make_row(name="二人目の出席者"), make_row(name="三人目", reply="欠席"))
    ws = read(make_sheet(rows))
    assert tally(ws) == {
        "出席": 2,
        "オンライン出席": 1,
        "代理出席": 1,
        "欠席": 2,
        "未回答": 1,
        "合計": 7,
    }


def test_unknown_reply_is_tallied_as_other() -> None:
    ws = read(make_sheet((make_row(), make_row(reply="保留"))))
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    other = labels.index("その他") + 1
    assert ws.cell(other, 2).value == 1
    assert ws.cell(other + 1, 1).value == "合計"
    assert ws.cell(other + 1, 2).value == 2


def test_same_input_gives_the_same_bytes() -> None:
    sheet = make_sheet()
    first = render_attendance_sheet(sheet)
    assert render_attendance_sheet(sheet) == first
    assert render_attendance_sheet(make_sheet()) == first  # an equal but distinct input
    later = replace(sheet, generated_at=sheet.generated_at + timedelta(minutes=1))
    assert render_attendance_sheet(later) != first


def test_file_times_come_from_generated_at() -> None:
    data = render_attendance_sheet(make_sheet())
    properties = load_workbook(io.BytesIO(data)).properties
    assert (
        properties.created
        == properties.modified
        == datetime(2015, 9, 8, 1, 0, tzinfo=UTC).replace(tzinfo=None)
    )
    assert properties.title == TITLE
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {entry.date_time for entry in archive.infolist()} == {(2015, 9, 8, 10, 0, 0)}


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        render_attendance_sheet(make_sheet(generated_at=wall_clock(2015, 9, 8, 10, 0)))
    naive_reply = make_row(replied_at=wall_clock(2015, 9, 1, 9, 30))
    with pytest.raises(ValueError, match="naive"):
        render_attendance_sheet(make_sheet((naive_reply,)))


def test_empty_roster() -> None:
    ws = read(make_sheet(rows=()))
    assert tuple(c.value for c in ws[HEADER_ROW]) == HEADERS
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:H{HEADER_ROW}"
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert tally(ws) == dict.fromkeys(TALLY_LABELS, 0)
    assert all(ws.column_dimensions[letter].width > 0 for letter in "ABCDEFGH")


def two_hundred_rows() -> tuple[AttendanceRow, ...]:
    replies = ("出席", "オンライン出席", "代理出席", "欠席", "未回答")
    start = datetime(2015, 9, 1, 9, 0, tzinfo=TOKYO)
    return tuple(
        make_row(
            category=f"区分{i // 50 + 1}",
            name=f"委員　{i + 1:03d}",
            reply=replies[i % 5],
            proxy=f"代理　{i + 1:03d}" if replies[i % 5] == "代理出席" else "",
            replied_at=None if replies[i % 5] == "未回答" else start + timedelta(minutes=i),
        )
        for i in range(200)
    )


def test_two_hundred_rows() -> None:
    ws = read(make_sheet(two_hundred_rows()))
    rows = table(ws, 200)
    assert [row[1] for row in rows] == [f"委員　{i + 1:03d}" for i in range(200)]
    assert rows[-1][6] is None  # the 200th reply is 未回答
    assert rows[-2][6] == wall_clock(2015, 9, 1, 12, 18)
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:H{HEADER_ROW + 200}"
    assert tally(ws) == {
        "出席": 40,
        "オンライン出席": 40,
        "代理出席": 40,
        "欠席": 40,
        "未回答": 40,
        "合計": 200,
    }


def test_libreoffice_renders_the_japanese_sheet(tmp_path: Path) -> None:
    rows = (*ROWS, make_row(name="注入　試験", comment="=1+1"))
    src = tmp_path / "出欠表.xlsx"
    src.write_bytes(render_attendance_sheet(make_sheet(rows)))
    pdf = to_pdf(src, tmp_path / "pdf")
    assert pdf.exists()
    text = pdf_text(pdf)
    assert "出欠表" in text
    assert "髙鳥" in text
    assert "代理出席" in text
    assert "山田" in text
    assert "2015/09/03 17:05" in text
    assert "=1+1" in text  # shown as typed, not evaluated to 2
    page = PdfReader(pdf).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape


def test_libreoffice_repeats_the_header_on_every_page(tmp_path: Path) -> None:
    src = tmp_path / "attendance.xlsx"
    src.write_bytes(render_attendance_sheet(make_sheet(two_hundred_rows())))
    pages = [page for page in pdf_text(to_pdf(src, tmp_path)).split("\f") if page.strip()]
    assert len(pages) > 1
    for number, page in enumerate(pages, 1):
        assert "代理出席者" in page, f"page {number} has no header row"
        assert f"{number}/{len(pages)}" in squeeze(page)  # the footer
    assert "委員001" in squeeze(pages[0])
    assert "委員200" in squeeze(pages[-1])
    assert "合計200名" in squeeze(pages[-1])


def test_libreoffice_refuses_a_file_that_is_not_xlsx(tmp_path: Path) -> None:
    src = tmp_path / "garbage.xlsx"
    src.write_text("this is not a workbook")
    with pytest.raises(RuntimeError, match=r"garbage\.xlsx"):
        to_pdf(src, tmp_path / "pdf")
