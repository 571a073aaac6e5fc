"""exports/docx/minutes.py: the 議事要旨 and 議事録, read back by python-docx (order, styles,
bold speakers, the 「案」 header, fonts, page) and then opened by LibreOffice."""

from __future__ import annotations

import io
import re
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from exports.data import AttendeeGroup, MaterialLine, MinutesDoc, MinutesSection, StatementLine
from exports.docx import render_minutes
from exports.docx.minutes import approval_line
from tests.office import font_aliases, pdf_fonts, pdf_info, pdf_text, to_pdf

PLATFORM = "公共サービスイノベーション・プラットフォーム"
TITLE = f"第3回 {PLATFORM}"
BODY = {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "eastAsia": "游明朝"}
HEADING = {"ascii": "Arial", "hAnsi": "Arial", "eastAsia": "游ゴシック"}


def statements(kind: str) -> tuple[MinutesSection, ...]:
    """Two agenda items. A summary names only the ministry's answer; the 議事録 names all."""
    named = kind == "議事録"
    return (
        MinutesSection(
            "（1）関係省庁ヒアリング",
            (
                StatementLine("髙鳥内閣府副大臣" if named else "", "資料1に基づき総務省から説明。"),
                StatementLine(
                    "武山委員" if named else "",
                    "窓口業務の民間委託は、団体の規模によって効果が異なる。\n"
                    "二点目として、標準化の進め方を伺いたい。",
                ),
                StatementLine("総務省（山田自治行政局長）", "来年度の調査で把握したい。"),
            ),
        ),
        MinutesSection(
            "（2）意見交換",
            (
                StatementLine("大西座長" if named else "", "本日の議論を踏まえ、論点を整理する。"),
                StatementLine("", ""),  # nothing to print
            ),
        ),
    )


def make_minutes(kind: str = "議事要旨", **overrides: Any) -> MinutesDoc:
    minutes = MinutesDoc(
        kind=kind,
        platform_name=PLATFORM,
        session_title="第3回",
        when="平成27年11月13日（金）10:00～12:00",
        venue="中央合同庁舎第8号館 1階講堂",
        attendees=(
            AttendeeGroup("構成員", ("髙鳥　修一 内閣府副大臣", "大西　隆 東京大学名誉教授")),
            AttendeeGroup("説明者", ("総務省 自治行政局長　山田　太郎",)),
            AttendeeGroup("事務局", ("内閣府 参事官　佐藤　一郎",)),
        ),
        agenda=("関係省庁ヒアリング", "意見交換"),
        summary=("資料1に基づき総務省から説明があり、意見交換が行われた。",)
        if kind == "議事要旨"
        else (),
        sections=statements(kind),
        materials=(
            MaterialLine("資料1", "地方行政サービス改革の取組について（総務省提出資料）"),
            MaterialLine("参考資料1", "構成員名簿"),
            MaterialLine("", "座席表"),
        ),
        draft=True,
    )
    return replace(minutes, **overrides)


def long_minutes(n: int, **overrides: Any) -> MinutesDoc:
    """A 議事録 of ``n`` statements by 10 speakers, each of two paragraphs."""
    lines = tuple(
        StatementLine(
            f"委員{i % 10:02d}",
            f"発言{i:03d}。窓口業務の改革について意見を述べる。" * 3 + "\n続けて、標準化について。",
        )
        for i in range(1, n + 1)
    )
    sections = (MinutesSection("（1）意見交換", lines),)
    return make_minutes("議事録", sections=sections, **overrides)


def read(data: bytes) -> WordDocument:
    return Document(io.BytesIO(data))


def body(document: WordDocument) -> list[Paragraph]:
    return list(document.paragraphs)


def texts(document: WordDocument) -> list[str]:
    return [p.text for p in document.paragraphs]


def styled(document: WordDocument, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def assert_in_order(haystack: list[str], needles: list[str]) -> None:
    at = 0
    for needle in needles:
        hits = [i for i, text in enumerate(haystack) if i >= at and needle in text]
        assert hits, f"{needle!r} not found after {haystack[at - 1] if at else 'the start'!r}"
        at = hits[0] + 1


def header_text(document: WordDocument) -> str:
    return "".join(p.text for p in document.sections[0].header.paragraphs)


def squeeze(text: str) -> str:
    # pdftotext -layout pads with spaces, and full-width spaces come out as either.
    return re.sub(r"\s+", "", text)


def rfonts(rPr: Any) -> dict[str, str]:
    fonts = rPr.find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in fonts.attrib.items()}


# --- structure -------------------------------------------------------------------------------


def test_summary_reads_in_order() -> None:
    document = read(render_minutes(make_minutes()))
    assert_in_order(
        texts(document),
        [
            f"{TITLE}\n議事要旨",
            "1　日時　平成27年11月13日（金）10:00～12:00",
            "2　場所　中央合同庁舎第8号館 1階講堂",
            "3　出席者　（敬称略）",
            "（構成員）",
            "髙鳥　修一 内閣府副大臣",
            "大西　隆 東京大学名誉教授",
            "（説明者）",
            "総務省 自治行政局長　山田　太郎",
            "（事務局）",
            "内閣府 参事官　佐藤　一郎",
            "4　議事",
            "(1)\t関係省庁ヒアリング",
            "(2)\t意見交換",
            "5　議事概要",
            "資料1に基づき総務省から説明があり、意見交換が行われた。",
            "（1）関係省庁ヒアリング",
            "・資料1に基づき総務省から説明。",
            "・窓口業務の民間委託は、団体の規模によって効果が異なる。",
            "二点目として、標準化の進め方を伺いたい。",
            "○総務省（山田自治行政局長）　来年度の調査で把握したい。",
            "（2）意見交換",
            "・本日の議論を踏まえ、論点を整理する。",
            "（配布資料）",
            "資料1\t地方行政サービス改革の取組について（総務省提出資料）",
            "参考資料1\t構成員名簿",
            "\t座席表",
        ],
    )
    assert read(render_minutes(make_minutes())).core_properties.title == f"{TITLE} 議事要旨"


def test_headings_use_word_heading_styles() -> None:
    document = read(render_minutes(make_minutes()))
    assert styled(document, "Title") == [f"{TITLE}\n議事要旨"]
    assert [text.split("　")[1] for text in styled(document, "Heading 1")] == [
        "日時",
        "場所",
        "出席者",
        "議事",
        "議事概要",
    ]
    assert styled(document, "Heading 2") == ["（1）関係省庁ヒアリング", "（2）意見交換"]


def test_full_minutes_call_the_body_giji_naiyou() -> None:
    document = read(render_minutes(make_minutes("議事録")))
    assert styled(document, "Title") == [f"{TITLE}\n議事録"]
    assert "5　議事内容" in styled(document, "Heading 1")
    assert "5　議事概要" not in texts(document)


def test_full_minutes_open_every_statement_with_the_speaker_in_bold() -> None:
    document = read(render_minutes(make_minutes("議事録")))
    openings = [p for p in body(document) if p.text.startswith("○")]
    assert [p.runs[0].text for p in openings] == [
        "○髙鳥内閣府副大臣",
        "○武山委員",
        "○総務省（山田自治行政局長）",
        "○大西座長",
    ]
    for opening in openings:
        speaker, *said = opening.runs
        assert speaker.bold is True
        assert said and all(not run.bold for run in said)
        assert said[0].text.startswith("　")  # a full-width space after the speaker
    # The statement's second paragraph follows with a one-character indent and no mark.
    texts_ = texts(document)
    second = texts_.index("二点目として、標準化の進め方を伺いたい。")
    assert texts_[second - 1].startswith("○武山委員　窓口業務")
    assert document.paragraphs[second].paragraph_format.first_line_indent > 0
    assert not [t for t in texts_ if t.startswith("・")]


def test_summary_leaves_out_missing_speakers_and_bolds_the_named_one() -> None:
    document = read(render_minutes(make_minutes()))
    points = [p for p in body(document) if p.text.startswith("・")]
    assert len(points) == 3
    assert not [run for p in points for run in p.runs if run.bold]
    named = [p for p in body(document) if p.text.startswith("○")]
    assert [p.runs[0].text for p in named] == ["○総務省（山田自治行政局長）"]
    assert named[0].runs[0].bold is True
    # Points hang: the 「・」 sits one character left of the text that wraps under it.
    fmt = points[0].paragraph_format
    assert fmt.first_line_indent is not None and fmt.first_line_indent < 0


def test_empty_statements_print_nothing() -> None:
    found = texts(read(render_minutes(make_minutes())))
    after = found[found.index("（2）意見交換") + 1 : found.index("（配布資料）")]
    assert after == ["・本日の議論を踏まえ、論点を整理する。"]


def test_agenda_lines_already_numbered_are_printed_as_they_are() -> None:
    agenda = ("（1）関係省庁ヒアリング", "2. 報告", "意見交換")
    document = read(render_minutes(make_minutes(agenda=agenda)))
    found = texts(document)
    assert "（1）関係省庁ヒアリング" in found
    assert "2. 報告" in found
    assert "(3)\t意見交換" in found


def test_draft_carries_a_boxed_an_in_the_page_header() -> None:
    document = read(render_minutes(make_minutes(draft=True)))
    header = document.sections[0].header
    assert not header.is_linked_to_previous
    mark = header.paragraphs[0]
    assert mark.text == "案"
    assert mark.alignment == WD_PARAGRAPH_ALIGNMENT.RIGHT
    (run,) = mark.runs
    assert run.bold is True
    assert run.font.size is not None and run.font.size.pt >= 14
    rPr = run._r.rPr
    assert rPr.find(qn("w:bdr")).get(qn("w:val")) == "single"
    assert rfonts(rPr).items() >= HEADING.items()
    # ECMA-376 order inside w:rPr: the border after the size, before the language.
    order = [child.tag.split("}")[1] for child in rPr]
    assert order.index("sz") < order.index("bdr") < order.index("lang")
    # One section, so this header is on every page (LibreOffice proves it below).
    assert len(document.sections) == 1
    assert not document.sections[0].different_first_page_header_footer


def test_approved_minutes_have_no_an_and_end_with_the_chairs_approval() -> None:
    document = read(render_minutes(make_minutes(draft=False, approved="令和7年11月20日")))
    assert "案" not in header_text(document)
    last = document.paragraphs[-1]
    assert last.text == "（座長了解：令和7年11月20日）"
    assert last.alignment == WD_PARAGRAPH_ALIGNMENT.RIGHT


def test_no_approval_line_until_approved() -> None:
    document = read(render_minutes(make_minutes()))
    assert not [t for t in texts(document) if "座長了解" in t]
    assert document.paragraphs[-1].text == "\t座席表"


@pytest.mark.parametrize(
    "approved",
    [
        "令和7年11月20日",
        "座長了解: 令和7年11月20日",
        "座長了解：令和7年11月20日",
        " 令和7年11月20日 ",
    ],
)
def test_approval_line_takes_the_date_with_or_without_its_label(approved: str) -> None:
    assert approval_line(approved) == "（座長了解：令和7年11月20日）"


def test_page_is_a4_with_25mm_margins_and_numbered() -> None:
    section = read(render_minutes(make_minutes())).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    sizes = (section.page_width, section.page_height)
    assert tuple(round(s.mm) for s in sizes if s is not None) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert {round(m.mm) for m in margins if m is not None} == {25}
    footer = section.footer.paragraphs[0]
    assert [el.text for el in footer._p.iter(qn("w:instrText"))] == [" PAGE ", " NUMPAGES "]


def test_east_asian_fonts_are_set_without_theme_fonts() -> None:
    document = read(render_minutes(make_minutes()))
    styles = document.styles
    defaults = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert rfonts(defaults).items() >= BODY.items()
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "ja-JP"
    assert rfonts(styles["Normal"].element.rPr).items() >= BODY.items()
    for style in ("Title", "Heading 1", "Heading 2"):
        assert rfonts(styles[style].element.rPr).items() >= HEADING.items(), style
    for fonts in styles.element.iter(qn("w:rFonts")):
        assert not [key for key in fonts.attrib if key.lower().endswith("theme")], fonts.attrib
    # The date on the 「1　日時」 heading line is body type: Mincho, not bold.
    when = next(p for p in document.paragraphs if p.text.startswith("1　日時"))
    value = when.runs[-1]
    assert value.bold is False
    assert rfonts(value._r.rPr).items() >= BODY.items()


def test_same_input_gives_the_same_bytes() -> None:
    data = render_minutes(make_minutes())
    assert render_minutes(make_minutes()) == data
    properties = read(data).core_properties
    assert properties.created == properties.modified == datetime(2000, 1, 1, tzinfo=UTC)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {entry.date_time for entry in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_control_characters_are_stripped() -> None:
    dirty = "Word\x0bから\x00の\x1f貼り付け"
    minutes = make_minutes(
        "議事録",
        venue=dirty,
        attendees=(AttendeeGroup(dirty, (dirty,)),),
        agenda=(dirty,),
        sections=(MinutesSection(dirty, (StatementLine(dirty, dirty),)),),
        materials=(MaterialLine(dirty, dirty),),
        approved=dirty,
    )
    data = render_minutes(minutes)
    found = texts(read(data))
    assert sum("Wordからの貼り付け" in text for text in found) >= 6
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)


def test_four_hundred_statements_render_quickly() -> None:
    minutes = long_minutes(400)
    start = time.perf_counter()
    data = render_minutes(minutes)
    elapsed = time.perf_counter() - start
    document = read(data)
    openings = [p for p in document.paragraphs if p.text.startswith("○委員")]
    assert len(openings) == 400
    assert all(p.runs[0].bold for p in openings)
    assert openings[-1].text.startswith("○委員00　発言400。")
    assert elapsed < 3, f"{elapsed:.2f}s for 400 statements"  # about 0.3 s on a quiet machine


# --- LibreOffice, the real client --------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each document converted once, in parallel, with Office's Japanese font names drawn
    as IPAex (library-pitfalls §6.5)."""
    root = tmp_path_factory.mktemp("minutes")
    many = tuple(
        StatementLine("", f"意見{i:02d}。窓口業務の改革について、規模に応じた工夫が必要。" * 3)
        for i in range(40)
    )
    documents = {
        # Two pages or more, so that the 「案」 is seen on a page the header had to repeat on.
        "draft_summary": render_minutes(
            make_minutes(sections=(*statements("議事要旨"), MinutesSection("（3）その他", many)))
        ),
        "approved_minutes": render_minutes(
            make_minutes("議事録", draft=False, approved="令和7年11月20日")
        ),
        "long_draft_minutes": render_minutes(long_minutes(400)),
    }
    for name, data in documents.items():
        (root / f"{name}.docx").write_bytes(data)
    with pytest.MonkeyPatch.context() as env, ThreadPoolExecutor(max_workers=3) as pool:
        env.setenv("XDG_CONFIG_HOME", str(font_aliases(root / "config")))
        converted = pool.map(lambda name: to_pdf(root / f"{name}.docx", root / "pdf"), documents)
        return dict(zip(documents, converted, strict=True))


def pages(pdf: Path) -> list[str]:
    found = [page for page in pdf_text(pdf).split("\f") if page.strip()]
    assert len(found) == int(pdf_info(pdf)["Pages"])
    return found


def test_libreoffice_draft_summary_has_an_on_every_page(pdfs: dict[str, Path]) -> None:
    pdf = pdfs["draft_summary"]
    found = pages(pdf)
    assert len(found) >= 2
    for number, page in enumerate(found, 1):
        first_line = page.strip().splitlines()[0].strip()
        assert first_line == "案", f"page {number} starts with {first_line!r}"
        assert re.search(rf"{number}\s*/\s*{len(found)}", page), f"page {number} has no number"
    flat = squeeze(pdf_text(pdf))
    for expected in (
        "議事要旨",
        "出席者",
        "（敬称略）",
        "髙鳥修一",
        "議事概要",
        "○総務省（山田自治行政局長）",
        "・資料1に基づき総務省から説明。",
        "（配布資料）",
    ):
        assert expected in flat, expected
    assert pdf_info(pdf)["Page size"].startswith("595.3")  # A4 portrait, 595.3 x 841.9 pts


def test_libreoffice_approved_minutes(pdfs: dict[str, Path]) -> None:
    pdf = pdfs["approved_minutes"]
    for page in pages(pdf):
        assert page.strip().splitlines()[0].strip() != "案"
    flat = squeeze(pdf_text(pdf))
    for expected in ("議事録", "出席者", "議事内容", "○武山委員", "○大西座長", "（座長了解："):
        assert expected in flat, expected
    assert flat.index("○髙鳥内閣府副大臣") < flat.index("○武山委員") < flat.index("○大西座長")


def test_libreoffice_renders_four_hundred_statements_with_an_on_every_page(
    pdfs: dict[str, Path],
) -> None:
    found = pages(pdfs["long_draft_minutes"])
    assert len(found) >= 10
    assert all(page.strip().splitlines()[0].strip() == "案" for page in found)
    flat = squeeze("".join(found))
    assert "○委員01発言001。" in flat
    assert "○委員00発言400。" in flat


def test_libreoffice_draws_mincho_and_gothic(pdfs: dict[str, Path]) -> None:
    for pdf in pdfs.values():
        fonts = pdf_fonts(pdf)
        assert "IPAexMincho" in fonts, fonts
        assert "IPAexGothic" in fonts, fonts
        assert not [font for font in fonts if "CJK" in font], fonts
