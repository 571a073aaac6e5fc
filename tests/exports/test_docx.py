"""exports/docx: read back by python-docx (structure, styles, fonts, fields), then opened by
LibreOffice as the real client (text, page size and count, embedded fonts)."""

from __future__ import annotations

import ast
import base64
import io
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from exports.data import (
    AgendaDoc,
    AgendaLine,
    MaterialLine,
    Roster,
    RosterCategory,
    RosterGroup,
    RosterMember,
    Seat,
    SeatingDoc,
    SiteVisitDoc,
    VisitPhoto,
    VisitStopLine,
)
from exports.docx import (
    clean,
    render_agenda,
    render_roster,
    render_seating,
    render_site_visit_report,
)
from tests.office import font_aliases, pdf_fonts, pdf_info, pdf_text, to_pdf

PLATFORM = "公共サービスイノベーション・プラットフォーム"
WHEN = "平成27年9月14日（月）10:00～11:30"
VENUE = "中央合同庁舎第8号館 1階講堂"


def png(width: int, height: int, rgb: tuple[int, int, int] = (40, 90, 200)) -> bytes:
    """A valid PNG of one colour, built with the standard library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


# A 16×12 blue JPEG (Pillow, quality 75, optimised Huffman tables): no encoder needed here.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIs"
    "IxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
    "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAMABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAA"
    "AAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABQb/xAAUEQEAAAAAAAAAAAAAAAAA"
    "AAAA/9oADAMBAAIRAxEAPwCXAXAF/9k="
)


def make_agenda(**overrides: Any) -> AgendaDoc:
    agenda = AgendaDoc(
        platform_name=PLATFORM,
        session_title="第1回",
        when=WHEN,
        venue=VENUE,
        items=(
            AgendaLine(1, "開会", "開会", (), "10:00", "10:05"),
            AgendaLine(
                2,
                "ヒアリング",
                "地方行政サービス改革の取組について",
                ("総務省 自治行政局長",),
                "10:05",
                "10:20",
            ),
            AgendaLine(
                3,
                "報告",
                "窓口業務の民間委託について",
                ("武山委員", "足立区 政策経営部長　山田　太郎"),
                "10:20",
                "10:40",
            ),
            AgendaLine(4, "討議", "意見交換", (), "10:40", "11:25"),
            AgendaLine(5, "閉会", "閉会", (), "11:25", "11:30"),
        ),
        materials=(
            MaterialLine("資料1", "地方行政サービス改革の取組について（総務省提出資料）"),
            MaterialLine("資料2-1", "窓口業務の民間委託について（武山委員提出資料）"),
            MaterialLine("参考資料1", "構成員名簿"),
            MaterialLine("", "座席表"),
        ),
    )
    return replace(agenda, **overrides)


def seat(number: int, group: str = "member", note: str = "") -> Seat:
    titles = {
        "member": "株式会社サンプル 代表取締役社長",
        "presenter": "総務省 自治行政局 行政経営支援室長",
        "secretariat": "内閣府 参事官補佐",
    }
    return Seat(f"委員　{number:02d}", titles[group], note, group)


def make_seating(members: int = 30, presenters: int = 3, secretariat: int = 5) -> SeatingDoc:
    """Two heads plus the given numbers: 40 attendees by default; every fifth member a proxy."""
    return SeatingDoc(
        platform_name=PLATFORM,
        session_title="第1回",
        when=WHEN,
        venue=VENUE,
        chair=(
            Seat("大西　隆", "東京大学名誉教授", "座長"),
            Seat("武山　花子", "慶應義塾大学 教授", "座長代理"),
        ),
        members=tuple(
            replace(seat(i), note="代理（森本委員）") if i % 5 == 4 else seat(i)
            for i in range(1, members + 1)
        ),
        presenters=tuple(
            replace(seat(i, "presenter"), name=f"説明者　{i}") for i in range(1, presenters + 1)
        ),
        secretariat=tuple(
            replace(seat(i, "secretariat"), name=f"事務局　{i}") for i in range(1, secretariat + 1)
        ),
    )


def member(name: str, title: str = "", mark: str = "", role: str = "") -> RosterMember:
    return RosterMember(name, title, mark, role)


def make_roster(**overrides: Any) -> Roster:
    roster = Roster(
        platform_name=PLATFORM,
        as_of=date(2025, 4, 1),
        categories=(
            RosterCategory(
                1,
                "経済財政諮問会議関係者",
                "（敬称略）",
                (RosterGroup("", (member("髙鳥　修一", "内閣府副大臣"),)),),
            ),
            RosterCategory(
                2,
                "地方三団体",
                "（敬称略）",
                (
                    RosterGroup(
                        "",
                        (
                            member("全国知事会（中村　時広 愛媛県知事）"),
                            member("全国市長会（森　民夫 長岡市長）"),
                        ),
                    ),
                ),
            ),
            RosterCategory(
                3,
                "有識者",
                "（五十音順、敬称略）",
                (
                    RosterGroup(
                        "",
                        (
                            member("大西　隆", "東京大学名誉教授", "◎", "座長"),
                            member("武山　花子", "慶應義塾大学 教授", "○", "座長代理"),
                            member("小林　一郎", "株式会社サンプル 代表取締役社長"),
                        ),
                    ),
                ),
            ),
            RosterCategory(
                4,
                "関係省庁",
                "（敬称略）",
                (
                    RosterGroup("窓口業務", (member("総務省"), member("内閣府"))),
                    RosterGroup("クラウド化", (member("総務省"), member("経済産業省"))),
                ),
            ),
        ),
        footnote="※関係省庁は、テーマに応じて参加する。",
    )
    return replace(roster, **overrides)


def make_stop(**overrides: Any) -> VisitStopLine:
    stop = VisitStopLine(
        day="平成27年10月8日（木）",
        time="10:00～11:30",
        place="愛知県岡崎市",
        host="岡崎市役所",
        theme="窓口業務の改革について",
        participants=("大西座長", "武山委員", "事務局"),
        findings=(
            "総合窓口の導入により、来庁者の待ち時間が大幅に短縮された。\n"
            "（平均20分から8分へ）\n\n"
            "業務の標準化が民間委託の前提となるとの説明があった。"
        ),
        photos=(
            VisitPhoto(png(400, 300), "総合窓口の様子"),
            VisitPhoto(JPEG, "意見交換の様子"),
        ),
    )
    return replace(stop, **overrides)


def make_site_visit(**overrides: Any) -> SiteVisitDoc:
    visit = SiteVisitDoc(
        platform_name=PLATFORM,
        days="平成27年10月8日、9日、14日",
        summary="地方行政サービス改革の先進事例を把握するため、3か所を視察した。",
        stops=(
            make_stop(),
            make_stop(
                day="平成27年10月9日（金）",
                time="",
                place="東京都足立区",
                host="足立区役所",
                theme="窓口業務の民間委託",
                photos=(VisitPhoto(png(300, 400, (200, 120, 40)), "縦長の写真"),),
            ),
        ),
        reported_at="第2回（平成27年10月30日）",
    )
    return replace(visit, **overrides)


RENDERERS: dict[str, Callable[[], bytes]] = {
    "agenda": lambda: render_agenda(make_agenda()),
    "seating": lambda: render_seating(make_seating()),
    "roster": lambda: render_roster(make_roster()),
    "site_visit": lambda: render_site_visit_report(make_site_visit()),
}


# --- reading documents back ------------------------------------------------------------------


def read(data: bytes) -> WordDocument:
    return Document(io.BytesIO(data))


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode()


def cell_texts(table: Table) -> list[list[str]]:
    """Each row's distinct cells (a merged cell once), as text."""
    rows = []
    for row in table.rows:
        seen: list[object] = []
        texts = []
        for cell in row.cells:
            if not any(cell._tc is tc for tc in seen):
                seen.append(cell._tc)
                texts.append(cell.text)
        rows.append(texts)
    return rows


def texts(document: WordDocument) -> list[str]:
    """Paragraph and cell texts in reading order."""
    found: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            found.append(block.text)
        else:
            found += [text for row in cell_texts(block) for text in row]
    return found


def assert_in_order(haystack: list[str], needles: list[str]) -> None:
    at = 0
    for needle in needles:
        hits = [i for i, text in enumerate(haystack) if i >= at and needle in text]
        assert hits, f"{needle!r} not found after {haystack[at - 1] if at else 'the start'!r}"
        at = hits[0] + 1


def styled(document: WordDocument, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def millimetres(*lengths: Length | None) -> tuple[float, ...]:
    # Word stores page sizes in twentieths of a point, so Mm(210) reads back a hair off.
    return tuple(round(length.mm, 1) if length is not None else -1.0 for length in lengths)


def squeeze(text: str) -> str:
    # pdftotext -layout pads with spaces, and full-width spaces come out as either.
    return re.sub(r"\s+", "", text)


# --- 議事次第 ------------------------------------------------------------------------------


def test_agenda_reads_in_order() -> None:
    document = read(render_agenda(make_agenda()))
    assert_in_order(
        texts(document),
        [
            f"第1回 {PLATFORM}\n議 事 次 第",
            f"日時：{WHEN}",
            f"場所：{VENUE}",
            "1\t開会\t10:00～10:05",
            "2\t議事",
            "(1)\t地方行政サービス改革の取組について\t10:05～10:20",
            "（説明：総務省 自治行政局長）",
            "(2)\t窓口業務の民間委託について\t10:20～10:40",
            "（説明：武山委員、足立区 政策経営部長　山田　太郎）",
            "(3)\t意見交換\t10:40～11:25",
            "3\t閉会\t11:25～11:30",
            "（配布資料）",
            "資料1",
            "地方行政サービス改革の取組について（総務省提出資料）",
            "参考資料1",
            "構成員名簿",
            "座席表",
        ],
    )


def test_agenda_title_is_centred_and_the_date_and_place_right_aligned() -> None:
    document = read(render_agenda(make_agenda()))
    title, when, where = document.paragraphs[:3]
    assert title.style is not None and title.style.name == "Title"
    assert document.styles["Title"].paragraph_format.alignment == WD_PARAGRAPH_ALIGNMENT.CENTER
    assert when.alignment == where.alignment == WD_PARAGRAPH_ALIGNMENT.RIGHT
    assert document.core_properties.title == f"第1回 {PLATFORM} 議事次第"


def test_agenda_sub_items_are_indented_one_level_further() -> None:
    document = read(render_agenda(make_agenda()))
    by_text = {p.text.split("\t")[0]: p for p in document.paragraphs}
    top, sub = by_text["1"].paragraph_format, by_text["(1)"].paragraph_format
    # The number sits at the left indent plus the (negative) first-line indent.
    assert top.left_indent + top.first_line_indent == 0
    assert sub.left_indent + sub.first_line_indent == Pt(10.5)  # one character in
    assert sub.left_indent > top.left_indent


def test_agenda_without_opening_or_closing_is_simply_numbered() -> None:
    items = (
        AgendaLine(1, "討議", "論点整理", (), "10:00", "10:30"),
        AgendaLine(2, "討議", "意見交換", (), "", ""),
    )
    found = texts(read(render_agenda(make_agenda(items=items, materials=()))))
    assert "1\t論点整理\t10:00～10:30" in found
    assert "2\t意見交換" in found  # no time, no tab
    assert not any(text.split("\t")[-1] == "議事" for text in found)
    assert not any("配布資料" in text for text in found)


def test_agenda_greeting_stands_on_its_own() -> None:
    items = (
        AgendaLine(1, "開会", "開会", (), "10:00", ""),
        AgendaLine(2, "挨拶", "内閣府副大臣挨拶", ("内閣府副大臣",), "10:00", "10:05"),
        AgendaLine(3, "ヒアリング", "取組の紹介", ("岡崎市長",), "10:05", "10:30"),
        AgendaLine(4, "閉会", "閉会", (), "", "11:30"),
    )
    assert_in_order(
        texts(read(render_agenda(make_agenda(items=items)))),
        [
            "1\t開会\t10:00～",
            "2\t内閣府副大臣挨拶\t10:00～10:05",
            "（挨拶：内閣府副大臣）",
            "3\t議事",
            "(1)\t取組の紹介\t10:05～10:30",
            "（説明：岡崎市長）",
            "4\t閉会\t～11:30",
        ],
    )


def test_agenda_materials_table_is_borderless() -> None:
    data = render_agenda(make_agenda())
    (table,) = read(data).tables
    assert cell_texts(table) == [
        ["資料1", "地方行政サービス改革の取組について（総務省提出資料）"],
        ["資料2-1", "窓口業務の民間委託について（武山委員提出資料）"],
        ["参考資料1", "構成員名簿"],
        ["", "座席表"],
    ]
    body = part(data, "word/document.xml")
    assert "w:tblBorders" not in body
    assert "w:tcBorders" not in body
    assert 'w:val="TableGrid"' not in body


# --- 座席表 --------------------------------------------------------------------------------


def test_seating_table_layout() -> None:
    document = read(render_seating(make_seating()))
    (table,) = document.tables
    rows = cell_texts(table)
    assert rows[0] == [
        "",
        "座長\n大西　隆\n東京大学名誉教授",
        "座長代理\n武山　花子\n慶應義塾大学 教授",
        "",
    ]
    members = rows[1:16]
    title = "株式会社サンプル 代表取締役社長"
    assert members[0] == [title, "委員　01", "", "委員　02", title]
    assert members[1] == [title, "委員　03", "", "委員　04\n代理（森本委員）", title]
    assert [row[1].split("\n")[0] for row in members] == [f"委員　{i:02d}" for i in range(1, 30, 2)]
    assert [row[-2].split("\n")[0] for row in members] == [
        f"委員　{i:02d}" for i in range(2, 31, 2)
    ]
    assert rows[16] == [
        "説明者",
        "説明者　1\n総務省 自治行政局 行政経営支援室長",
        "説明者　2\n総務省 自治行政局 行政経営支援室長",
        "説明者　3\n総務省 自治行政局 行政経営支援室長",
        "",
    ]
    assert rows[17] == ["事務局"]
    # Five secretariat seats, six wide, centred: half a seat of margin on each side.
    assert rows[18] == ["", *(f"事務局　{i}\n内閣府 参事官補佐" for i in range(1, 6)), ""]
    assert len(rows) == 19


def test_seating_table_surface_is_one_merged_cell() -> None:
    (table,) = read(render_seating(make_seating())).tables
    rows = list(table.rows)
    # Grid column 12 is the table's first column: after a title (7) and a name (5).
    root = rows[1].cells[12]._tc
    assert all(row.cells[12]._tc is root for row in rows[1:16])
    assert (root.grid_span, root.vMerge) == (12, "restart")
    assert 'w:fill="E7E6E6"' in root.xml
    assert rows[0].cells[12]._tc is not root and rows[16].cells[12]._tc is not root


def test_seating_odd_member_count_leaves_the_last_right_seat_empty() -> None:
    doc = replace(make_seating(members=3, presenters=0, secretariat=0), chair=())
    (table,) = read(render_seating(doc)).tables
    rows = cell_texts(table)
    assert len(rows) == 2  # no head, two member rows, no presenters, no secretariat
    assert rows[1][:2] == ["株式会社サンプル 代表取締役社長", "委員　03"]
    assert rows[1][-2:] == ["", ""]


def test_seating_page_is_a4_landscape_with_its_title() -> None:
    document = read(render_seating(make_seating()))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert millimetres(section.page_width, section.page_height) == (297, 210)
    assert_in_order(
        texts(document), [f"第1回 {PLATFORM} 座席表", f"日時：{WHEN}", f"場所：{VENUE}", "座長"]
    )
    assert styled(document, "Title") == [f"第1回 {PLATFORM} 座席表"]


# --- 構成員名簿 ----------------------------------------------------------------------------


def test_roster_reads_in_order() -> None:
    document = read(render_roster(make_roster()))
    assert_in_order(
        texts(document),
        [
            f"{PLATFORM} 構成員名簿",
            "令和7年4月1日現在",
            "（◎座長、○座長代理）",
            "(1)経済財政諮問会議関係者",
            "（敬称略）",
            "氏名",
            "所属・役職",
            "　髙鳥　修一",
            "内閣府副大臣",
            "(2)地方三団体",
            "　全国知事会（中村　時広 愛媛県知事）",
            "(3)有識者",
            "（五十音順、敬称略）",
            "◎大西　隆",
            "東京大学名誉教授",
            "○武山　花子",
            "　小林　一郎",
            "(4)関係省庁",
            "（窓口業務）",
            "　総務省",
            "　内閣府",
            "（クラウド化）",
            "　総務省",
            "　経済産業省",
            "※関係省庁は、テーマに応じて参加する。",
        ],
    )


def test_roster_headings_and_tables() -> None:
    document = read(render_roster(make_roster()))
    assert styled(document, "Title") == [f"{PLATFORM} 構成員名簿"]
    assert styled(document, "Heading 1") == [
        "(1)経済財政諮問会議関係者",
        "(2)地方三団体",
        "(3)有識者",
        "(4)関係省庁",
    ]
    assert styled(document, "Heading 2") == ["（窓口業務）", "（クラウド化）"]
    assert len(document.tables) == 5
    for table in document.tables:
        header = table.rows[0]
        assert [cell.text for cell in header.cells] == ["氏名", "所属・役職"]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert cell_texts(document.tables[2])[1:] == [
        ["◎大西　隆", "東京大学名誉教授"],
        ["○武山　花子", "慶應義塾大学 教授"],
        ["　小林　一郎", "株式会社サンプル 代表取締役社長"],
    ]


def test_roster_without_office_holders_has_no_legend_or_padding() -> None:
    plain = make_roster().categories[:2]
    document = read(render_roster(make_roster(categories=plain, footnote="")))
    found = texts(document)
    assert not any("◎" in text or "○" in text for text in found)
    assert cell_texts(document.tables[0])[1] == ["髙鳥　修一", "内閣府副大臣"]
    assert found[-2:] == ["全国市長会（森　民夫 長岡市長）", ""]  # no footnote paragraph


def test_roster_legend_lists_only_the_marks_in_use() -> None:
    chair_only = RosterCategory(
        1,
        "有識者",
        "（五十音順、敬称略）",
        (RosterGroup("", (member("大西　隆", "", "◎", "座長"),)),),
    )
    found = texts(read(render_roster(make_roster(categories=(chair_only,)))))
    assert "（◎座長）" in found


def test_roster_of_a_thousand_members_is_fast() -> None:
    # table.cell(r, c) in a loop takes minutes here (library-pitfalls §3.5); rows are iterated.
    crowd = tuple(member(f"委員　{i:04d}", "所属") for i in range(1000))
    category = RosterCategory(1, "有識者", "（敬称略）", (RosterGroup("", crowd),))
    started = time.perf_counter()
    data = render_roster(make_roster(categories=(category,)))
    assert time.perf_counter() - started < 10
    assert cell_texts(read(data).tables[0])[-1] == ["委員　0999", "所属"]


# --- 現地視察報告 --------------------------------------------------------------------------


def test_site_visit_reads_in_order() -> None:
    document = read(render_site_visit_report(make_site_visit()))
    assert_in_order(
        texts(document),
        [
            f"{PLATFORM}\n現地視察報告",
            "視察日：平成27年10月8日、9日、14日",
            "報告：第2回（平成27年10月30日）",
            "概要",
            "地方行政サービス改革の先進事例を把握するため、3か所を視察した。",
            "視察先",
            "1　愛知県岡崎市",
            "日時",
            "平成27年10月8日（木） 10:00～11:30",
            "訪問先",
            "岡崎市役所",
            "テーマ",
            "窓口業務の改革について",
            "参加者",
            "大西座長、武山委員、事務局",
            "総合窓口の導入により、来庁者の待ち時間が大幅に短縮された。\n（平均20分から8分へ）",
            "業務の標準化が民間委託の前提となるとの説明があった。",
            "総合窓口の様子",
            "意見交換の様子",
            "2　東京都足立区",
            "平成27年10月9日（金）",
            "縦長の写真",
        ],
    )


def test_site_visit_headings() -> None:
    document = read(render_site_visit_report(make_site_visit()))
    assert styled(document, "Title") == [f"{PLATFORM}\n現地視察報告"]
    assert styled(document, "Heading 1") == ["概要", "視察先"]
    assert styled(document, "Heading 2") == ["1　愛知県岡崎市", "2　東京都足立区"]
    assert document.core_properties.title == f"{PLATFORM} 現地視察報告"


def test_site_visit_photos_fit_twelve_centimetres_with_captions_below() -> None:
    document = read(render_site_visit_report(make_site_visit()))
    sizes = [(round(s.width.mm, 1), round(s.height.mm, 1)) for s in document.inline_shapes]
    assert sizes == [(120.0, 90.0), (120.0, 90.0), (67.5, 90.0)]  # PNG 4:3, JPEG 4:3, 3:4
    paragraphs = document.paragraphs
    holders = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//w:drawing")]
    captions = [paragraphs[i + 1] for i in holders]
    assert [p.text for p in captions] == ["総合窓口の様子", "意見交換の様子", "縦長の写真"]
    assert all(p.style is not None and p.style.name == "Caption" for p in captions)
    assert all(paragraphs[i].paragraph_format.keep_with_next for i in holders)
    alt_texts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert alt_texts == ["総合窓口の様子", "意見交換の様子", "縦長の写真"]


def test_site_visit_without_report_line_or_photos() -> None:
    bare = make_stop(photos=(), findings="")
    document = read(render_site_visit_report(make_site_visit(stops=(bare,), reported_at="")))
    found = texts(document)
    assert not any(text.startswith("報告") for text in found)
    assert len(document.inline_shapes) == 0
    assert found[-1] == ""  # the spacer after the details table, then nothing


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "unknown format"),
        (b"this is not an image", "unknown format"),
        (png(4, 4)[:20], "UnexpectedEndOfFileError"),  # cut inside the PNG header
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "image/gif"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "UnexpectedEndOfFileError"),
    ],
)
def test_invalid_photo_raises_value_error(data: bytes, reason: str) -> None:
    stop = make_stop(photos=(VisitPhoto(data, "壊れた写真"),))
    with pytest.raises(ValueError, match="not a readable JPEG or PNG image") as error:
        render_site_visit_report(make_site_visit(stops=(stop,)))
    assert "壊れた写真" in str(error.value)
    assert "愛知県岡崎市" in str(error.value)
    assert reason in str(error.value)


# --- every document ------------------------------------------------------------------------


@pytest.mark.parametrize("name", RENDERERS)
def test_page_is_a4_with_its_margins(name: str) -> None:
    section = read(RENDERERS[name]()).sections[0]
    size = millimetres(section.page_width, section.page_height)
    if name == "seating":
        assert size == (297, 210)
        assert section.orientation == WD_ORIENT.LANDSCAPE
    else:
        assert size == (210, 297)
        assert section.orientation == WD_ORIENT.PORTRAIT
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    # The seating chart narrows top and bottom so that 40 attendees fit on one page.
    expected = (12, 12, 25, 25) if name == "seating" else (25, 25, 25, 25)
    assert millimetres(*margins) == expected


def rfonts(style_rPr: Any) -> dict[str, str]:
    fonts = style_rPr.find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in fonts.attrib.items()}


@pytest.mark.parametrize("name", RENDERERS)
def test_east_asian_fonts_are_set_without_theme_fonts(name: str) -> None:
    styles = read(RENDERERS[name]()).styles
    defaults = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    body = {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "eastAsia": "游明朝"}
    heading = {"ascii": "Arial", "hAnsi": "Arial", "eastAsia": "游ゴシック"}
    assert rfonts(defaults).items() >= body.items()
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "ja-JP"
    assert rfonts(styles["Normal"].element.rPr).items() >= body.items()
    for style in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        assert rfonts(styles[style].element.rPr).items() >= heading.items(), style
    for fonts in styles.element.iter(qn("w:rFonts")):
        assert not [key for key in fonts.attrib if key.lower().endswith("theme")], fonts.attrib


@pytest.mark.parametrize("name", RENDERERS)
def test_footer_numbers_pages_with_fields(name: str) -> None:
    footer = read(RENDERERS[name]()).sections[0].footer.paragraphs[0]
    assert footer.alignment == WD_PARAGRAPH_ALIGNMENT.CENTER
    kinds = [el.get(qn("w:fldCharType")) for el in footer._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert [el.text for el in footer._p.iter(qn("w:instrText"))] == [" PAGE ", " NUMPAGES "]
    assert footer.text == "1 / 1"  # the cached values until the pages are laid out


@pytest.mark.parametrize("name", RENDERERS)
def test_same_input_gives_the_same_bytes(name: str) -> None:
    data = RENDERERS[name]()
    assert RENDERERS[name]() == data
    properties = read(data).core_properties
    assert properties.title
    assert properties.author == properties.last_modified_by == ""
    assert properties.created == properties.modified == datetime(2000, 1, 1, tzinfo=UTC)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {entry.date_time for entry in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in archive.namelist()


def test_clean_drops_what_xml_cannot_hold() -> None:
    assert clean("a\x0bb\x1fc\x00d\x0ce\x7f") == "abcde\x7f"
    assert clean("tab\there\r\nCRLF\rCR\nLF") == "tab\there\nCRLF\nCR\nLF"
    assert clean("lone \ud800surrogate \ufffe") == "lone surrogate "


DIRTY = "Word\x0bから\x00の\x1f貼り付け"
CLEAN = "Wordからの貼り付け"


def dirty_documents() -> Iterator[tuple[str, bytes]]:
    item = AgendaLine(1, "討議", DIRTY, (DIRTY,), "10:00", "10:30")
    yield (
        "agenda",
        render_agenda(
            make_agenda(platform_name=DIRTY, items=(item,), materials=(MaterialLine(DIRTY, DIRTY),))
        ),
    )
    dirty_seat = Seat(DIRTY, DIRTY, DIRTY)
    seating = make_seating(members=2)
    yield (
        "seating",
        render_seating(
            replace(seating, venue=DIRTY, members=(dirty_seat,), secretariat=(dirty_seat,))
        ),
    )
    group = RosterGroup(DIRTY, (member(DIRTY, DIRTY, "◎", DIRTY),))
    category = RosterCategory(1, DIRTY, DIRTY, (group,))
    yield "roster", render_roster(make_roster(categories=(category,), footnote=DIRTY))
    stop = make_stop(
        place=DIRTY, findings=DIRTY, participants=(DIRTY,), photos=(VisitPhoto(JPEG, DIRTY),)
    )
    yield "site_visit", render_site_visit_report(make_site_visit(summary=DIRTY, stops=(stop,)))


def test_control_characters_are_stripped_without_a_crash() -> None:
    for name, data in dirty_documents():
        document = read(data)
        found = texts(document)
        assert any(CLEAN in text for text in found), name
        body = part(data, "word/document.xml")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", body), name
        assert "\\x" not in body and "&#" not in body, name


def test_newlines_become_line_breaks() -> None:
    data = render_roster(make_roster(footnote="※一行目\n※二行目"))
    assert read(data).paragraphs[-1].text == "※一行目\n※二行目"
    assert "<w:t>※一行目</w:t><w:br/><w:t>※二行目</w:t>" in part(data, "word/document.xml")


def test_docx_package_imports_nothing_from_the_web_side() -> None:
    # tests/test_exports_purity.py reads exports/*.py only, not this package's modules.
    from tests.test_exports_purity import FORBIDDEN

    package = Path(__file__).resolve().parents[2] / "exports" / "docx"
    modules = sorted(package.glob("*.py"))
    assert len(modules) >= 5
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            assert not [n for n in names if n.split(".")[0] in FORBIDDEN], path.name


# --- LibreOffice, the real client ------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every document converted once, in parallel (each call has its own profile), with
    Office's Japanese font names drawn as IPAex (library-pitfalls §6.5)."""
    root = tmp_path_factory.mktemp("docx")
    documents = {name: render() for name, render in RENDERERS.items()}
    # 40 attendees with as many members as possible down the sides.
    documents["seating_members"] = render_seating(
        make_seating(members=36, presenters=1, secretariat=1)
    )
    # 40 members and no one at the head: 20 rows down the sides (the benchmark's case).
    documents["seating_forty_members"] = render_seating(
        replace(make_seating(members=40, presenters=0, secretariat=1), chair=())
    )
    for name, data in documents.items():
        (root / f"{name}.docx").write_bytes(data)
    with pytest.MonkeyPatch.context() as env, ThreadPoolExecutor(max_workers=3) as pool:
        env.setenv("XDG_CONFIG_HOME", str(font_aliases(root / "config")))
        converted = pool.map(lambda name: to_pdf(root / f"{name}.docx", root / "pdf"), documents)
        return dict(zip(documents, converted, strict=True))


def page_size(pdf: Path) -> tuple[int, int]:
    size = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(pdf)["Page size"])
    assert size, pdf_info(pdf)
    return round(float(size[1])), round(float(size[2]))


def test_libreoffice_agenda(pdfs: dict[str, Path]) -> None:
    text = pdf_text(pdfs["agenda"])
    flat = squeeze(text)
    for expected in ("議事次第", "配布資料", "説明：総務省自治行政局長", "10:05～10:20", "資料2-1"):
        assert expected in flat, expected
    assert flat.index("開会") < flat.index("議事(1)") < flat.index("閉会") < flat.index("配布資料")
    assert re.search(r"1\s*/\s*1", text)
    assert page_size(pdfs["agenda"]) == (595, 842)
    assert pdf_info(pdfs["agenda"])["Pages"] == "1"


@pytest.mark.parametrize("name", ["seating", "seating_members"])
def test_libreoffice_seating_chart_of_40_is_one_landscape_page(
    pdfs: dict[str, Path], name: str
) -> None:
    assert pdf_info(pdfs[name])["Pages"] == "1"
    assert page_size(pdfs[name]) == (842, 595)
    flat = squeeze(pdf_text(pdfs[name]))
    for expected in ("座席表", "大西隆", "委員01", "代理（森本委員）", "説明者1", "事務局1"):
        assert expected in flat, expected


def test_libreoffice_seating_chart_of_40_members_alone_is_one_page(
    pdfs: dict[str, Path],
) -> None:
    assert pdf_info(pdfs["seating_forty_members"])["Pages"] == "1"
    assert "委員40" in squeeze(pdf_text(pdfs["seating_forty_members"]))


def test_libreoffice_roster(pdfs: dict[str, Path]) -> None:
    flat = squeeze(pdf_text(pdfs["roster"]))
    for expected in (
        "構成員名簿",
        "令和7年4月1日現在",
        "（◎座長、○座長代理）",
        "◎大西隆",
        "髙鳥修一",
    ):
        assert expected in flat, expected
    assert "（五十音順、敬称略）" in flat
    assert page_size(pdfs["roster"]) == (595, 842)


def test_libreoffice_site_visit_report(pdfs: dict[str, Path]) -> None:
    pdf = pdfs["site_visit"]
    text = pdf_text(pdf)
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) == int(pdf_info(pdf)["Pages"]) >= 2
    for number, page in enumerate(pages, 1):
        assert re.search(rf"{number}\s*/\s*{len(pages)}", page), f"page {number} has no number"
    flat = squeeze(text)
    for expected in ("現地視察報告", "愛知県岡崎市", "総合窓口の様子", "縦長の写真"):
        assert expected in flat, expected
    assert page_size(pdf) == (595, 842)


@pytest.mark.parametrize("name", RENDERERS)
def test_libreoffice_draws_mincho_and_gothic(pdfs: dict[str, Path], name: str) -> None:
    # Without the explicit w:eastAsia fonts (or the alias), 游明朝 falls back to Noto Sans CJK.
    fonts = pdf_fonts(pdfs[name])
    assert "IPAexMincho" in fonts, fonts
    assert "IPAexGothic" in fonts, fonts
    assert not [font for font in fonts if "CJK" in font], fonts
