"""exports/xlsx: the session workbook (出席者, 資料, 発言) and the platform workbook
(会議一覧, 出欠一覧, フォローアップ), read back by openpyxl and opened by LibreOffice."""

from __future__ import annotations

import gc
import io
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from exports.data import (
    FollowUpRow,
    PlatformWorkbook,
    SessionRow,
    SessionWorkbook,
    WorkbookAttendance,
    WorkbookMaterial,
    WorkbookStatement,
)
from exports.xlsx import FONT_NAME, render_platform_workbook, render_session_workbook
from exports.xlsx.base import ERA_DATE_FORMAT, ERA_DAY_FORMAT, KB_FORMAT
from tests.office import pdf_info, pdf_text, to_pdf

PLATFORM = "公共サービスイノベーション・プラットフォーム"
GENERATED = datetime(2015, 11, 20, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo
INJECTIONS = ("=1+1", "+81", "-1", "@SUM(A1)", '=HYPERLINK("x")')
MARKS = ("出席", "代理", "欠席", "オンライン", "")


def squeeze(text: str) -> str:
    # pdftotext -layout pads columns with spaces, and full-width spaces come out as either.
    return re.sub(r"\s+", "", text)


# --- data --------------------------------------------------------------------------------------


def make_session_book(**overrides: Any) -> SessionWorkbook:
    long_text = "窓口業務の民間委託は、自治体の規模によって効果が大きく異なる。" * 6
    book = SessionWorkbook(
        platform_name=PLATFORM,
        session_title="第3回",
        when="平成27年11月13日（金）10:00～12:00",
        attendance=(
            WorkbookAttendance("有識者", "大西　隆", "東京大学名誉教授", "出席", ""),
            WorkbookAttendance(
                "地方三団体",
                "全国知事会（中村　時広 愛媛県知事）",
                "",
                "代理",
                "山田　太郎 副知事",
            ),
            WorkbookAttendance("有識者", "武山　花子", "慶應義塾大学 教授", "オンライン", "=1+1"),
            WorkbookAttendance("関係府省", "総務省", "", "欠席", "@SUM(A1)"),
        ),
        materials=(
            WorkbookMaterial(
                "資料1", "地方行政サービス改革の取組について", "公開", "s1.pdf", 252_000
            ),
            WorkbookMaterial("資料2", "委員限りの資料", "委員限り", '=HYPERLINK("x")', 5_300_000),
            WorkbookMaterial("参考資料1", "構成員名簿", "公開", "meibo.pdf", 0),
            WorkbookMaterial("参考資料2", "座席表", "非公開", "-1", 1),
        ),
        statements=(
            WorkbookStatement(1, "（1）関係省庁ヒアリング", "武山委員", long_text, "確認済み"),
            WorkbookStatement(2, "（1）関係省庁ヒアリング", "+81", "=1+1", "未確認"),
            WorkbookStatement(3, "（2）意見交換", "大西座長", "-1", "修正あり"),
            WorkbookStatement(4, "（2）意見交換", "@SUM(A1)", '=HYPERLINK("x")', "未確認"),
        ),
        generated_at=GENERATED,
    )
    return replace(book, **overrides)


SESSIONS = (
    SessionRow("第1回", date(2015, 9, 14), "地方行政サービス改革について", "公開済み"),
    SessionRow("第2回", date(2019, 5, 1), "=1+1 窓口業務の民間委託", "公開済み"),
    SessionRow("現地視察", None, "愛知県岡崎市", "開催済み"),
    SessionRow("第3回", date(2025, 11, 20), "意見交換", "開催予定"),
)
FOLLOW_UPS = (
    FollowUpRow("第1回", "窓口業務の効果検証", "総務省", "対応中", date(2016, 3, 31), "=1+1"),
    FollowUpRow("第2回", "@SUM(A1)", "内閣府\n総務省", "完了", None, "-1"),
    FollowUpRow("第3回", "+81", "厚生労働省", "未着手", date(2019, 5, 1), '=HYPERLINK("x")'),
)


def marks_of(member: int, sessions: int) -> tuple[str, ...]:
    return tuple(MARKS[(member + session) % len(MARKS)] for session in range(sessions))


def make_platform_book(members: int = 6, **overrides: Any) -> PlatformWorkbook:
    sessions = overrides.get("sessions", SESSIONS)
    names = tuple(f"委員　{i:03d}" for i in range(1, members + 1))
    book = PlatformWorkbook(
        platform_name=PLATFORM,
        sessions=sessions,
        members=names,
        attendance=(marks_of(i, len(sessions)) for i in range(members)),  # a one-shot iterator
        follow_ups=FOLLOW_UPS,
        generated_at=GENERATED,
    )
    return replace(book, **overrides)


def many_sessions(n: int) -> tuple[SessionRow, ...]:
    start = date(2015, 9, 14)
    return tuple(
        SessionRow(f"第{i}回", start + timedelta(days=7 * i), f"議事{i}", "公開済み")
        for i in range(1, n + 1)
    )


# --- reading back --------------------------------------------------------------------------------


def load(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def sheet(wb: Workbook, name: str) -> Worksheet:
    ws = wb[name]
    assert isinstance(ws, Worksheet)
    return ws


def values(ws: Worksheet, row: int) -> list[object]:
    return [cell.value for cell in ws[row]]


def day(value: object) -> date | None:
    """A date cell as openpyxl reads it (a naive datetime at midnight), as a date."""
    if value is None:
        return None
    assert isinstance(value, datetime) and value.time() == datetime.min.time(), value
    return value.date()


def sheet_xml(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        }


def assert_no_formula(data: bytes) -> None:
    for ws in load(data).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} = {cell.value!r}"
    for name, xml in sheet_xml(data).items():
        assert "<f>" not in xml and "<f " not in xml, name


def assert_literal(ws: Worksheet, text: str) -> None:
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value == text]
    assert cells, f"{text!r} not on {ws.title}"
    for cell in cells:
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix, cell.coordinate


# --- the session workbook ------------------------------------------------------------------------

SESSION_TITLE = f"第3回 {PLATFORM}"


def test_session_workbook_sheets_and_title_blocks() -> None:
    wb = load(render_session_workbook(make_session_book()))
    assert wb.sheetnames == ["出席者", "資料", "発言"]
    for name in wb.sheetnames:
        ws = sheet(wb, name)
        assert [values(ws, r)[:2] for r in (1, 2, 3)] == [
            [f"{SESSION_TITLE} {name}一覧", None],
            ["日時", "平成27年11月13日（金）10:00～12:00"],
            ["作成日時", "平成27年11月20日（金）10:00"],
        ]
        assert ws["A1"].font.b
        assert ws.freeze_panes == "A6"
        assert ws.print_title_rows == "$5:$5"
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
    assert wb.properties.title == f"{SESSION_TITLE} 出席者・資料・発言"


def test_session_workbook_tables() -> None:
    wb = load(render_session_workbook(make_session_book()))
    attendance, materials, statements = (sheet(wb, n) for n in wb.sheetnames)
    assert values(attendance, 5) == ["区分", "氏名", "役職", "出欠", "備考"]
    assert values(attendance, 7) == [
        "地方三団体",
        "全国知事会（中村　時広 愛媛県知事）",
        None,
        "代理",
        "山田　太郎 副知事",
    ]
    assert attendance.auto_filter.ref == "A5:E9"
    assert values(materials, 5) == ["資料番号", "資料名", "公開区分", "ファイル名", "サイズ"]
    assert values(statements, 5) == ["順", "議題", "発言者", "発言内容", "確認状況"]
    assert statements.auto_filter.ref == "A5:E9"
    assert [statements.cell(r, 1).value for r in range(6, 10)] == [1, 2, 3, 4]
    assert statements.cell(6, 1).data_type == "n"


def test_sizes_are_kilobyte_numbers_rounded_up() -> None:
    ws = sheet(load(render_session_workbook(make_session_book())), "資料")
    cells = [ws.cell(r, 5) for r in range(6, 10)]
    assert [cell.value for cell in cells] == [247, 5176, 0, 1]  # as the public pages label them
    for cell in cells:
        assert cell.data_type == "n"
        assert cell.number_format == KB_FORMAT


def test_negative_sizes_are_refused() -> None:
    material = WorkbookMaterial("資料1", "題", "公開", "a.pdf", -1)
    with pytest.raises(ValueError, match="negative"):
        render_session_workbook(make_session_book(materials=(material,)))


def test_long_text_wraps_in_capped_columns_with_taller_rows() -> None:
    ws = sheet(load(render_session_workbook(make_session_book())), "発言")
    assert ws.cell(6, 4).alignment.wrap_text
    assert not ws.cell(6, 5).alignment.wrap_text
    assert ws.column_dimensions["D"].width == 80
    assert ws.row_dimensions[6].height is not None and ws.row_dimensions[6].height > 40
    assert ws.row_dimensions[8].height is None  # 「-1」 fits on one line


def test_session_text_cells_use_a_japanese_font() -> None:
    for ws in load(render_session_workbook(make_session_book())).worksheets:
        for row in ws.iter_rows(min_row=5):
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == FONT_NAME, cell.coordinate


def test_session_workbook_keeps_injections_literal() -> None:
    data = render_session_workbook(make_session_book())
    assert_no_formula(data)
    wb = load(data)
    texts = [cell.value for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
    for text in INJECTIONS:
        assert text in texts, text
    for ws in wb.worksheets:
        for text in INJECTIONS:
            if text in [cell.value for row in ws.iter_rows() for cell in row]:
                assert_literal(ws, text)
    assert not sheet(wb, "発言").cell(6, 4).quotePrefix  # ordinary text is left alone


def test_session_workbook_same_input_same_bytes() -> None:
    first = render_session_workbook(make_session_book())
    assert render_session_workbook(make_session_book()) == first
    later = make_session_book(generated_at=GENERATED + timedelta(minutes=1))
    assert render_session_workbook(later) != first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(2015, 11, 20, 10, 0, 0)}


def test_session_workbook_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        render_session_workbook(make_session_book(generated_at=datetime(2015, 11, 20, 10)))  # noqa: DTZ001


def test_empty_session_workbook() -> None:
    book = make_session_book(attendance=(), materials=(), statements=())
    wb = load(render_session_workbook(book))
    for ws in wb.worksheets:
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.endswith("5")
        assert ws.max_row == 5


# --- the platform workbook -----------------------------------------------------------------------


def test_platform_workbook_sheets() -> None:
    wb = load(render_platform_workbook(make_platform_book()))
    assert wb.sheetnames == ["会議一覧", "出欠一覧", "フォローアップ"]
    assert wb.properties.title == f"{PLATFORM} 会議一覧・出欠・フォローアップ"
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == "landscape"


def test_session_list_has_real_dates_shown_in_wareki() -> None:
    ws = sheet(load(render_platform_workbook(make_platform_book())), "会議一覧")
    assert values(ws, 1)[0] == f"{PLATFORM} 会議一覧"
    assert values(ws, 2)[:2] == ["作成日時", "平成27年11月20日（金）10:00"]
    assert values(ws, 4) == ["回数", "開催日", "内容", "状態"]
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:D8"
    assert ws.print_title_rows == "$4:$4"
    days = [ws.cell(r, 2) for r in range(5, 9)]
    assert [day(cell.value) for cell in days] == [
        date(2015, 9, 14),
        date(2019, 5, 1),
        None,
        date(2025, 11, 20),
    ]
    for cell in (days[0], days[1], days[3]):
        assert cell.is_date
        assert cell.number_format == ERA_DAY_FORMAT
    assert ws.cell(6, 3).value == "=1+1 窓口業務の民間委託"
    assert ws.cell(5, 3).alignment.wrap_text


def test_attendance_matrix() -> None:
    ws = sheet(load(render_platform_workbook(make_platform_book())), "出欠一覧")
    assert ws.freeze_panes == "B2"
    assert values(ws, 1) == ["氏名", "第1回", "第2回", "現地視察", "第3回"]
    for member in range(6):
        row = values(ws, member + 2)
        assert row[0] == f"委員　{member + 1:03d}"
        assert row[1:] == [mark or None for mark in marks_of(member, len(SESSIONS))]
    assert ws.auto_filter.ref == "A1:E7"
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_title_cols == "$A:$A"
    assert ws.cell(2, 2).alignment.horizontal == "center"
    assert ws.cell(2, 2).font.name == FONT_NAME
    assert ws.column_dimensions["A"].width >= 10
    assert ws.column_dimensions["D"].width >= 10  # 「オンライン」 and 「現地視察」 fit


def test_follow_ups() -> None:
    ws = sheet(load(render_platform_workbook(make_platform_book())), "フォローアップ")
    assert values(ws, 4) == ["提起した回", "課題", "担当府省", "状況", "期限", "備考"]
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:F7"
    due = ws.cell(5, 5)
    assert values(ws, 5) == ["第1回", "窓口業務の効果検証", "総務省", "対応中", due.value, "=1+1"]
    assert day(due.value) == date(2016, 3, 31)
    assert due.is_date and due.number_format == ERA_DATE_FORMAT
    assert ws.cell(6, 5).value is None
    assert ws.cell(6, 3).value == "内閣府\n総務省"
    assert ws.row_dimensions[6].height is not None  # two lines


def test_platform_workbook_keeps_injections_literal() -> None:
    data = render_platform_workbook(make_platform_book())
    assert_no_formula(data)
    wb = load(data)
    follow_ups = sheet(wb, "フォローアップ")
    for text in INJECTIONS:
        assert_literal(follow_ups, text)
    assert_literal(sheet(wb, "会議一覧"), "=1+1 窓口業務の民間委託")
    assert not follow_ups.cell(5, 2).quotePrefix


def test_matrix_marks_are_guarded_too() -> None:
    book = make_platform_book(members=1, attendance=iter([("=1+1", "@SUM(A1)", "", "出席")]))
    data = render_platform_workbook(book)
    assert_no_formula(data)
    ws = sheet(load(data), "出欠一覧")
    assert_literal(ws, "=1+1")
    assert_literal(ws, "@SUM(A1)")


def test_platform_workbook_same_input_same_bytes() -> None:
    first = render_platform_workbook(make_platform_book())
    assert render_platform_workbook(make_platform_book()) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(2015, 11, 20, 10, 0, 0)}


def test_attendance_is_streamed_one_row_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each member's row is pulled from ``book.attendance`` only once the one before it
    is on the sheet: the matrix is never held in memory."""
    written = 0
    append = WriteOnlyWorksheet.append

    def counting_append(ws: WriteOnlyWorksheet, row: Any) -> None:
        nonlocal written
        written += ws.title == "出欠一覧"
        append(ws, row)

    monkeypatch.setattr(WriteOnlyWorksheet, "append", counting_append)
    ahead: list[int] = []

    def rows() -> Iterator[tuple[str, ...]]:
        for member in range(200):
            ahead.append(member - (written - 1))  # rows pulled but not yet written (header aside)
            yield marks_of(member, 50)

    book = make_platform_book(members=200, sessions=many_sessions(50), attendance=rows())
    ws = sheet(load(render_platform_workbook(book)), "出欠一覧")
    assert len(ahead) == 200
    assert set(ahead) == {0}
    assert ws.max_row == 201
    assert ws.max_column == 51
    assert values(ws, 201)[1:] == [mark or None for mark in marks_of(199, 50)]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (lambda: iter([marks_of(0, 4)] * 5), r"5 rows for 6 members"),
        (lambda: iter([marks_of(0, 4)] * 7), r"more rows than the 6 members"),
        (lambda: iter([marks_of(0, 4), marks_of(0, 3)]), r"row 2 \(委員　002\) has 3 marks"),
    ],
)
def test_attendance_that_does_not_fit_is_refused_cleanly(
    rows: Any, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # openpyxl spools write-only sheets through temporary files: none may be left behind,
    # and the half-written sheets must close without "Exception ignored" noise.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(ValueError, match=message):
        render_platform_workbook(make_platform_book(attendance=rows()))
    gc.collect()
    assert unraisable == []
    assert list(tmp_path.iterdir()) == []


def test_platform_workbook_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        render_platform_workbook(make_platform_book(generated_at=datetime(2015, 11, 20)))  # noqa: DTZ001


def test_a_hundred_members_by_five_hundred_sessions() -> None:
    sessions = many_sessions(500)
    book = make_platform_book(members=100, sessions=sessions)
    start = time.perf_counter()
    data = render_platform_workbook(book)
    elapsed = time.perf_counter() - start
    ws = sheet(load(data), "出欠一覧")
    assert ws.max_column == 501
    assert ws.cell(1, 501).value == "第500回"
    assert values(ws, 101)[1:] == [mark or None for mark in marks_of(99, 500)]
    assert elapsed < 15, f"{elapsed:.1f}s"  # about 1–3 s; the machine may be busy


# --- LibreOffice, the real client ----------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("workbooks")
    documents = {
        "session": render_session_workbook(make_session_book()),
        "platform": render_platform_workbook(make_platform_book(members=40)),
    }
    for name, data in documents.items():
        (root / f"{name}.xlsx").write_bytes(data)
    with ThreadPoolExecutor(max_workers=2) as pool:
        converted = pool.map(lambda name: to_pdf(root / f"{name}.xlsx", root / "pdf"), documents)
        return dict(zip(documents, converted, strict=True))


def test_libreoffice_session_workbook(pdfs: dict[str, Path]) -> None:
    text = pdf_text(pdfs["session"])
    flat = squeeze(text)
    for expected in (
        "出席者一覧",
        "資料一覧",
        "発言一覧",
        "武山花子",
        "山田太郎副知事",
        "武山委員",
        "247KB",
        "5,176KB",
        "確認済み",
    ):
        assert expected in flat, expected
    for injected in INJECTIONS:  # shown as typed, never evaluated
        assert injected.replace(" ", "") in flat, injected
    size = pdf_info(pdfs["session"])["Page size"]
    assert size.startswith("841.89 x 595.3"), size  # A4 landscape


def test_libreoffice_platform_workbook(pdfs: dict[str, Path]) -> None:
    text = pdf_text(pdfs["platform"])
    flat = squeeze(text)
    for expected in (
        "会議一覧",
        "平成27年9月14日（月）",  # the real date, drawn in 和暦 by the cell format
        "令和1年5月1日（水）",  # LibreOffice (and Excel with [$-411]) write 1年, not 元年
        "令和7年11月20日（木）",
        "委員040",
        "オンライン",
        "フォローアップ",
        "平成28年3月31日",
        "厚生労働省",
    ):
        assert expected in flat, expected
    for injected in INJECTIONS:
        assert injected in flat, injected
    pages = [page for page in text.split("\f") if page.strip()]
    matrix = [page for page in pages if "委員" in page and "氏名" in page]
    assert len(matrix) >= 2  # 40 members run over pages, each with its header row
    assert all("第1回" in page for page in matrix)
