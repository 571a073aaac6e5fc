"""The plain data the minutes documents and workbooks are drawn from (minutes.data:
minutes_doc, session_workbook, platform_workbook), read back from the rendered files, and
the documents requested through documents.actions.request_document."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from documents.actions import request_document
from documents.models import GeneratedFile, Material
from exports.data import AttendeeGroup, MaterialLine, MinutesSection, StatementLine
from exports.docx import render_minutes
from exports.xlsx import render_session_workbook
from secretariat.meetings.models import Invitation
from secretariat.minutes import actions
from secretariat.minutes.data import minutes_doc, platform_workbook, session_workbook
from secretariat.minutes.models import FollowUp, Minutes
from tests import factories as f
from tests.minutes import record_attendance, write_minutes

PLATFORM = "公共サービスイノベーション・プラットフォーム"
FORMULA = "=SUM(A1)"
PASTED = "受付\x0bから\x01交付まで\x1fを一つの窓口で行う。"


@pytest.fixture
def day(cast):
    day = record_attendance(cast)
    f.make_material(
        day.session,
        label="資料2",
        title="非公開の資料",
        order=2,
        access=Material.Access.NOT_PUBLIC,
        reason=Material.Reason.PERSONAL,
    )
    return day


@pytest.fixture
def minutes(cast, day):
    minutes = write_minutes(
        day,
        cast.clerk,
        [
            (day.secretariat, None, "ただいまから開会します。"),
            (day.secretariat, day.hearing, "資料1について説明します。"),
            (day.presenter, day.hearing, "総務省です。\n窓口の統合を進めています。"),
            (day.takeyama, day.discussion, "窓口の統合に賛成です。"),
            (day.proxy, day.discussion, "高橋の代理として発言します。"),
        ],
    )
    Minutes.objects.filter(pk=minutes.pk).update(
        summary="窓口の統合について議論した。\r\n\r\n\u3000次回は取りまとめを行う。\r\n"
    )
    minutes.refresh_from_db()
    return minutes


def _docx_text(data: bytes) -> str:
    return "".join(Document(io.BytesIO(data)).element.body.itertext())


def test_the_verbatim_minutes(cast, day, minutes):
    doc = minutes_doc(day.session, verbatim=True)
    assert (doc.kind, doc.platform_name, doc.session_title) == ("議事録", PLATFORM, "第2回")
    assert doc.when == "平成27年10月30日（金）10:00～11:30"
    assert doc.venue == "中央合同庁舎第8号館 講堂"
    assert doc.attendees == (
        AttendeeGroup(
            "構成員",
            (
                "武山\u3000政直 教授",
                "森本\u3000登志男（オンライン）",
                "高橋委員代理（高橋 一郎 副会長）",
            ),
        ),
        AttendeeGroup("説明者", ("山田 太郎 総務省自治行政局長",)),
        AttendeeGroup("事務局", ("佐藤 健 参事官",)),
    )
    assert doc.agenda == ("関係省庁ヒアリング", "意見交換")
    # Paragraphs split on any line end; a full-width indent stays with its paragraph.
    assert doc.summary == ("窓口の統合について議論した。", "\u3000次回は取りまとめを行う。")
    assert doc.sections == (
        MinutesSection("（議事以外）", (StatementLine("事務局", "ただいまから開会します。"),)),
        MinutesSection(
            "（1）関係省庁ヒアリング",
            (
                StatementLine("事務局", "資料1について説明します。"),
                StatementLine(
                    "総務省自治行政局長 山田 太郎", "総務省です。\n窓口の統合を進めています。"
                ),
            ),
        ),
        MinutesSection(
            "（2）意見交換",
            (
                StatementLine("武山委員", "窓口の統合に賛成です。"),
                StatementLine("高橋委員代理（高橋 一郎 副会長）", "高橋の代理として発言します。"),
            ),
        ),
    )
    # Not the not-public handout.
    assert doc.materials == (MaterialLine("資料1", "未公開会議の資料"),)
    assert (doc.draft, doc.approved) == (True, "")


def test_the_summary_names_speakers_only_where_the_platform_says_so(cast, day, minutes):
    doc = minutes_doc(day.session, verbatim=False)
    assert doc.kind == "議事要旨"
    assert {line.speaker for section in doc.sections for line in section.statements} == {""}
    cast.platform.summary_names_speakers = True
    cast.platform.minutes_name_speakers = False
    cast.platform.save()
    day.session.refresh_from_db()
    assert "武山委員" in [
        line.speaker
        for section in minutes_doc(day.session, verbatim=False).sections
        for line in section.statements
    ]
    assert {
        line.speaker
        for section in minutes_doc(day.session, verbatim=True).sections
        for line in section.statements
    } == {""}


def test_approved_minutes_are_no_longer_a_draft(cast, day, minutes, time_machine):
    time_machine.move_to("2025-11-12 23:30 +0900", tick=False)  # 14:30 UTC: the Tokyo day
    actions.approve(minutes=minutes, by=cast.clerk, now=timezone.now(), override=True, note="了解")
    day.session.refresh_from_db()
    doc = minutes_doc(day.session, verbatim=True)
    assert (doc.draft, doc.approved) == (False, "令和7年11月12日")
    text = _docx_text(render_minutes(doc))
    assert "（座長了解：令和7年11月12日）" in text


def test_formulas_and_control_characters_in_statements(cast, day):
    minutes = write_minutes(
        day,
        cast.clerk,
        [(day.takeyama, day.hearing, FORMULA), (day.morimoto, day.discussion, PASTED)],
    )
    assert [s.text for s in minutes.statements.all()] == [FORMULA, PASTED]
    doc = minutes_doc(day.session, verbatim=True)
    assert [line.text for section in doc.sections for line in section.statements] == [
        FORMULA,
        PASTED,
    ]
    text = _docx_text(render_minutes(doc))
    assert f"○武山委員　{FORMULA}" in text
    assert "受付から交付までを一つの窓口で行う。" in text

    book = session_workbook(day.session)
    assert [s.text for s in book.statements] == [FORMULA, PASTED]
    sheet = load_workbook(io.BytesIO(render_session_workbook(book)))["発言"]
    formula, pasted = sheet["D6"], sheet["D7"]
    assert (formula.value, formula.data_type) == (FORMULA, "s")  # text, never a formula
    assert formula.quotePrefix
    assert pasted.value == "受付から交付までを一つの窓口で行う。"


def test_the_session_workbook(cast, day, minutes):
    minutes.statements.filter(speaker=day.takeyama).update(confirmation="confirmed")
    book = session_workbook(day.session)
    assert (book.platform_name, book.session_title, book.when) == (
        PLATFORM,
        "第2回",
        "平成27年10月30日（金）10:00～11:30",
    )
    assert [(a.category, a.name, a.title, a.attendance, a.note) for a in book.attendance] == [
        ("有識者", "武山\u3000政直", "教授", "構成員", ""),
        ("有識者", "森本\u3000登志男", "", "構成員（オンライン）", ""),
        ("有識者", "高橋 一郎", "副会長", "代理出席", "高橋委員代理（高橋 一郎 副会長）"),
        ("", "山田 太郎", "総務省自治行政局長", "説明者", ""),
        ("", "佐藤 健", "参事官", "事務局", ""),
    ]
    assert [(m.label, m.title, m.access) for m in book.materials] == [
        ("資料1", "未公開会議の資料", "公開"),
        ("資料2", "非公開の資料", "非公開"),
    ]
    assert [(s.order, s.agenda_item, s.speaker, s.confirmed) for s in book.statements] == [
        (1, "", "事務局", "未確認"),
        (2, "関係省庁ヒアリング", "事務局", "未確認"),
        (3, "関係省庁ヒアリング", "総務省自治行政局長 山田 太郎", "未確認"),
        (4, "意見交換", "武山委員", "確認済み"),
        (5, "意見交換", "高橋委員代理（高橋 一郎 副会長）", "未確認"),
    ]
    sheet = load_workbook(io.BytesIO(render_session_workbook(book)))["発言"]
    assert [c.value for c in sheet[9]] == [
        4,
        "意見交換",
        "武山委員",
        "窓口の統合に賛成です。",
        "確認済み",
    ]


def test_a_session_without_minutes_has_no_statements_in_its_workbook(cast):
    assert session_workbook(cast.published).statements == ()


def test_the_platform_workbook(cast, day, minutes):
    absent = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("足立", "慎一郎", "あだち", "しんいちろう"),
    )
    day.session.invitations.create(membership=absent, reply=Invitation.Reply.ABSENT)
    replied_only = cast.published.invitations.create(
        membership=cast.member, reply=Invitation.Reply.ATTENDING
    )
    soumu = f.make_organisation("総務省")
    FollowUp.objects.create(
        platform=cast.platform,
        raised_at=day.session,
        issue=FORMULA,
        ministry=soumu,
        status=FollowUp.Status.IN_PROGRESS,
    )
    FollowUp.objects.create(platform=cast.other_platform, issue="別の会議体の課題")
    book = platform_workbook(cast.platform)
    assert [s.number for s in book.sessions] == ["第1回", "第2回"]  # not the one being planned
    assert book.members == (
        "武山\u3000政直",
        "森本\u3000登志男",
        "高橋\u3000進",
        "足立\u3000慎一郎",
    )
    # On the day what the desk recorded; else the reply.
    assert list(book.attendance) == [
        ("出席", "出席"),
        ("", "オンライン"),
        ("", "代理"),
        ("", "欠席"),
    ]
    assert replied_only.attendances.count() == 0
    assert [(r.raised_at, r.issue, r.ministry, r.status) for r in book.follow_ups] == [
        ("第2回", FORMULA, "総務省", "対応中")
    ]


def test_minutes_documents_need_minutes_and_are_written_by_the_job(
    cast, day, django_capture_on_commit_callbacks
):
    for kind in ("summary_minutes", "verbatim_minutes", "session_workbook"):
        with pytest.raises(ValidationError, match="議事録がまだ作成されていません。"):
            request_document(kind=kind, by=cast.clerk, session=day.session)
    write_minutes(day, cast.clerk, [(day.takeyama, day.hearing, FORMULA)])
    day.session.refresh_from_db()
    for kind in ("summary_minutes", "verbatim_minutes", "session_workbook"):
        with django_capture_on_commit_callbacks(execute=True):
            request_document(kind=kind, by=cast.clerk, session=day.session)
    made = {g.kind: g for g in GeneratedFile.objects.filter(session=day.session)}
    assert {kind: g.status for kind, g in made.items()} == {
        "summary_minutes": "done",
        "verbatim_minutes": "done",
        "session_workbook": "done",
    }, {kind: g.error for kind, g in made.items()}
    assert made["verbatim_minutes"].download_name == "第2回_議事録.docx"
    assert not made["verbatim_minutes"].is_stale()
    with made["verbatim_minutes"].file.open("rb") as file:
        assert f"○武山委員　{FORMULA}" in _docx_text(file.read())
    minutes = day.session.minutes
    actions.save_minutes(
        minutes=minutes,
        version=minutes.version,
        summary="",
        statements=[actions.StatementInput(day.hearing.pk, day.takeyama.pk, "書き直しました。")],
        by=cast.clerk,
    )
    assert made["verbatim_minutes"].is_stale()
    assert made["session_workbook"].is_stale()
