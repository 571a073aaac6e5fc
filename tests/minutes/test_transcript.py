"""A pasted transcript split into statements: the parser (transcript.parse_transcript), the
names it knows a speaker by (actions.speaker_directory) and the import view, which keeps
every line it could not read in the box, with the reason."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from secretariat.minutes import actions
from secretariat.minutes.models import MinutesRevision, Statement
from secretariat.minutes.transcript import normalise, parse_transcript
from tests.minutes import form_data, record_attendance, statements, write_minutes

TAKEYAMA, MORIMOTO, SECRETARIAT = 11, 12, 15
HEARING, DISCUSSION = 101, 102
SPEAKERS = {
    normalise(name): pk
    for name, pk in [
        ("武山委員", TAKEYAMA),
        ("武山", TAKEYAMA),
        ("武山\u3000政直", TAKEYAMA),
        ("森本委員", MORIMOTO),
        ("事務局", SECRETARIAT),
    ]
}
ITEMS = [(HEARING, 1, "関係省庁ヒアリング"), (DISCUSSION, 2, "意見交換")]


def _parse(text: str, items=ITEMS):
    return parse_transcript(text, SPEAKERS, items)


def _said(parsed):
    return [(s.agenda_item, s.speaker, s.text) for s in parsed.statements]


# The parser


def test_a_speaker_by_title_surname_full_name_or_as_the_secretariat():
    parsed = _parse(
        "武山委員: 一つ目です。\n武山: 二つ目です。\n武山　政直: 三つ目です。\n"
        "武山 政直: 四つ目です。\n事務局: 事務局から説明します。"
    )
    assert _said(parsed) == [
        (None, TAKEYAMA, "一つ目です。"),
        (None, TAKEYAMA, "二つ目です。"),
        (None, TAKEYAMA, "三つ目です。"),
        (None, TAKEYAMA, "四つ目です。"),
        (None, SECRETARIAT, "事務局から説明します。"),
    ]
    assert parsed.unparsed == []


def test_a_full_width_colon_and_full_width_letters():
    parsed = _parse("森本委員：ありがとうございます。\nＡＢ\n武山委員 ： ＩＴ化について")
    assert _said(parsed) == [
        (None, MORIMOTO, "ありがとうございます。\nＡＢ"),
        (None, TAKEYAMA, "ＩＴ化について"),
    ]


def test_headings_by_number_or_title_file_what_follows():
    parsed = _parse(
        "# 1\n事務局: 資料1を説明します。\n＃ 意見交換\n武山委員: 意見です。\n"
        "#２\n森本委員: 補足です。\n# 意見　交換\n事務局: 以上です。"
    )
    assert _said(parsed) == [
        (HEARING, SECRETARIAT, "資料1を説明します。"),
        (DISCUSSION, TAKEYAMA, "意見です。"),
        (DISCUSSION, MORIMOTO, "補足です。"),
        (DISCUSSION, SECRETARIAT, "以上です。"),
    ]
    assert parsed.unparsed == []


def test_with_one_agenda_item_every_statement_is_filed_under_it():
    parsed = _parse("武山委員: 意見です。", items=[(HEARING, 1, "関係省庁ヒアリング")])
    assert _said(parsed) == [(HEARING, TAKEYAMA, "意見です。")]
    # With several and no heading yet, a statement is not filed under any of them.
    assert _said(_parse("武山委員: 意見です。")) == [(None, TAKEYAMA, "意見です。")]


def test_lines_without_a_speaker_continue_the_statement_above():
    parsed = _parse(
        "武山委員: 一点目は、\n  窓口の統合です。\n二点目は、IT化です。\n森本委員: 賛成です。"
    )
    assert _said(parsed) == [
        (None, TAKEYAMA, "一点目は、\n窓口の統合です。\n二点目は、IT化です。"),
        (None, MORIMOTO, "賛成です。"),
    ]


def test_blank_lines_are_skipped_and_still_counted():
    parsed = _parse(
        "\n武山委員: 一点目は、\n\n\u3000\n窓口の統合です。\r\n\r\n鈴木委員: 賛成です。\n"
    )
    assert _said(parsed) == [(None, TAKEYAMA, "一点目は、\n窓口の統合です。")]
    assert parsed.unparsed == [(7, "鈴木委員: 賛成です。", "発言者が出席者にいません")]


def test_an_unknown_speaker_is_reported_with_its_line_and_not_given_to_anyone():
    parsed = _parse(
        "武山委員: 意見です。\n鈴木委員: 別の意見です。\n続きの行です。\n森本委員: 以上。"
    )
    assert _said(parsed) == [(None, TAKEYAMA, "意見です。"), (None, MORIMOTO, "以上。")]
    # The continuation of an unknown speaker's statement is not added to 武山's.
    assert parsed.unparsed == [
        (2, "鈴木委員: 別の意見です。", "発言者が出席者にいません"),
        (3, "続きの行です。", "発言者がわかりません（「発言者: 発言」の形で）"),
    ]


def test_an_unknown_heading_is_reported_and_what_follows_is_not_filed_under_the_last_item():
    parsed = _parse("# 1\n事務局: 説明です。\n# 閉会\n武山委員: 閉会の挨拶です。")
    assert _said(parsed) == [
        (HEARING, SECRETARIAT, "説明です。"),
        (None, TAKEYAMA, "閉会の挨拶です。"),
    ]
    assert parsed.unparsed == [(3, "# 閉会", "議事が見つかりません")]
    assert _parse("# 3\n武山委員: 意見です。").unparsed == [(1, "# 3", "議事が見つかりません")]


def test_text_before_any_speaker_is_reported():
    parsed = _parse("第2回 議事録\n武山委員: 意見です。")
    assert parsed.unparsed == [
        (1, "第2回 議事録", "発言者がわかりません（「発言者: 発言」の形で）")
    ]
    assert _said(parsed) == [(None, TAKEYAMA, "意見です。")]


def test_a_colon_inside_a_continuation_line_is_reported_not_dropped():
    # A limitation of the form: a line with a colon reads as 「発言者: 発言」.
    parsed = _parse("武山委員: 再開は、\n時刻は10:30からです。")
    assert _said(parsed) == [(None, TAKEYAMA, "再開は、")]
    assert parsed.unparsed == [(2, "時刻は10:30からです。", "発言者が出席者にいません")]


def test_formulas_and_control_characters_are_kept_as_text():
    parsed = _parse("武山委員: =SUM(A1)\n+1\x07だと思います。")
    assert _said(parsed) == [(None, TAKEYAMA, "=SUM(A1)\n+1\x07だと思います。")]


def test_nothing_to_read():
    for text in ("", "\n\n  \n"):
        parsed = _parse(text)
        assert (parsed.statements, parsed.unparsed) == ([], [])


# The names an attendee is known by


def test_every_attendee_is_known_by_the_names_the_minutes_use(cast):
    day = record_attendance(cast)
    directory = actions.speaker_directory(day.session)
    expected = {
        "武山委員": day.takeyama,
        "武山": day.takeyama,
        "武山\u3000政直": day.takeyama,
        "森本委員": day.morimoto,
        "森本": day.morimoto,
        "高橋委員代理（高橋 一郎 副会長）": day.proxy,
        "高橋 一郎": day.proxy,
        "総務省自治行政局長 山田 太郎": day.presenter,
        "山田 太郎": day.presenter,
        "事務局": day.secretariat,
        "佐藤 健": day.secretariat,
    }
    for name, attendance in expected.items():
        assert directory[normalise(name)] == attendance.pk, name
    # 高橋 was absent: his name does not stand for the proxy who came instead.
    assert normalise("高橋委員") not in directory
    assert normalise("高橋") not in directory


# The import view


@pytest.fixture
def day(cast):
    return record_attendance(cast)


def _editor_url(day):
    return reverse("minutes:editor", args=[day.session.pk])


def _url(day):
    return reverse("minutes:transcript", args=[day.session.pk])


def _paste(client, day, text):
    data = form_data(client.get(_editor_url(day)).content, action=_url(day))
    data["transcript"] = [text]
    return client.post(_url(day), data)


TRANSCRIPT = """# 関係省庁ヒアリング
事務局: 資料1について説明します。
山田 太郎：総務省です。
窓口の統合を進めています。
# 2
武山委員: 窓口の統合に賛成です。
森本: 補足します。
"""


def test_a_transcript_becomes_statements(client, cast, day):
    client.force_login(cast.clerk)
    response = _paste(client, day, TRANSCRIPT)
    assert response.status_code == 302
    assert response.url == _editor_url(day)
    minutes = day.session.minutes
    rows = [
        (s.order, s.agenda_item, s.speaker, s.text, s.confirmation)
        for s in Statement.objects.filter(minutes=minutes)
    ]
    assert rows == [
        (1, day.hearing, day.secretariat, "資料1について説明します。", "pending"),
        (2, day.hearing, day.presenter, "総務省です。\n窓口の統合を進めています。", "pending"),
        (3, day.discussion, day.takeyama, "窓口の統合に賛成です。", "pending"),
        (4, day.discussion, day.morimoto, "補足します。", "pending"),
    ]
    revision = MinutesRevision.objects.get(minutes=minutes)
    assert (revision.note, revision.created_by, revision.version) == (
        "発言録の取り込み（4件）",
        cast.clerk,
        2,
    )
    assert len(revision.snapshot["statements"]) == 4
    html = client.get(_editor_url(day)).content.decode()
    assert "4件の発言を取り込みました。" in html


def test_a_second_transcript_is_added_after_the_statements_already_there(client, cast, day):
    write_minutes(day, cast.clerk, [(day.takeyama, None, "最初の発言です。")])
    client.force_login(cast.clerk)
    _paste(client, day, "森本委員: 次の発言です。")
    assert statements(day.session.minutes) == [
        ("武山\u3000政直", "最初の発言です。"),
        ("森本\u3000登志男", "次の発言です。"),
    ]
    assert [s.order for s in Statement.objects.all()] == [1, 2]


def test_lines_that_cannot_be_read_stay_in_the_box_with_the_reason(client, cast, day):
    client.force_login(cast.clerk)
    response = _paste(
        client,
        day,
        "# 1\n武山委員: 意見です。\n鈴木委員: 出席していない人です。\n# 閉会\n\n"
        "森本委員: 以上です。",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2件の発言を取り込みました。" in html
    assert "次の行は取り込めませんでした（下の欄に残しています）:" in html
    assert "3行目: 鈴木委員: 出席していない人です。 — 発言者が出席者にいません" in html
    assert "4行目: # 閉会 — 議事が見つかりません" in html
    box = lxml.html.fromstring(html).get_element_by_id("id_transcript")
    assert box.value.strip() == "鈴木委員: 出席していない人です。\n# 閉会"
    assert statements(day.session.minutes) == [
        ("武山\u3000政直", "意見です。"),
        ("森本\u3000登志男", "以上です。"),
    ]
    # The box carries the new version: sending the corrected lines again just works.
    data = form_data(html, action=_url(day))
    data["transcript"] = ["# 1\n森本委員: 出席していない人の代わりに。"]
    assert client.post(_url(day), data).status_code == 302
    assert Statement.objects.count() == 3


def test_a_transcript_with_nothing_readable_imports_nothing(client, cast, day):
    client.force_login(cast.clerk)
    minutes = actions.minutes_for(day.session)
    response = _paste(client, day, "鈴木委員: 出席していない人です。")
    assert response.status_code == 200
    assert "1行目: 鈴木委員: 出席していない人です。 — 発言者が出席者にいません" in (
        response.content.decode()
    )
    minutes.refresh_from_db()
    assert minutes.version == 1
    assert not Statement.objects.exists()
    assert not MinutesRevision.objects.exists()


def test_a_nul_pasted_from_a_pdf_is_dropped(client, cast, day):
    client.force_login(cast.clerk)
    assert _paste(client, day, "武山委員: 発言\x00です。").status_code == 302
    assert statements(day.session.minutes) == [("武山\u3000政直", "発言です。")]


def test_an_empty_box_is_an_error(client, cast, day):
    client.force_login(cast.clerk)
    response = _paste(client, day, "   ")
    assert response.status_code == 400
    assert "このフィールドは必須です。" in response.content.decode()
    assert not Statement.objects.exists()


def test_a_transcript_sent_from_an_old_page_is_a_conflict_and_stays_in_the_box(client, cast, day):
    client.force_login(cast.clerk)
    data = form_data(client.get(_editor_url(day)).content, action=_url(day))
    # Reading the editor creates nothing; someone else's first save creates the minutes.
    minutes = write_minutes(day, cast.admin, [(day.morimoto, None, "先に保存された発言です。")])
    data["transcript"] = ["武山委員: 後から貼り付けた発言です。"]
    response = client.post(_url(day), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ほかの方がこの議事録を先に保存しました。" in html
    box = lxml.html.fromstring(html).get_element_by_id("id_transcript")
    assert box.value.strip() == "武山委員: 後から貼り付けた発言です。"
    assert statements(minutes) == [("森本\u3000登志男", "先に保存された発言です。")]


def test_approved_minutes_take_no_transcript(client, cast, day):
    minutes = write_minutes(day, cast.clerk, [(day.takeyama, None, "確定した発言です。")])
    actions.approve(
        minutes=minutes, by=cast.clerk, now=timezone.now(), override=True, note="急ぎのため"
    )
    minutes.refresh_from_db()
    client.force_login(cast.clerk)
    response = client.post(_url(day), {"version": minutes.version, "transcript": "森本委員: 追加"})
    assert response.status_code == 400
    assert "座長了解済みの議事録は変更できません。" in response.content.decode()
    assert statements(minutes) == [("武山\u3000政直", "確定した発言です。")]


def test_the_import_refuses_get_anonymous_other_platform_and_viewer(client, cast, day):
    data = {"version": 1, "transcript": "武山委員: 意見です。"}
    client.force_login(cast.clerk)
    assert client.get(_url(day)).status_code == 405
    client.logout()
    response = client.post(_url(day), data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(cast.other_clerk)
    assert client.post(_url(day), data).status_code == 404
    client.force_login(cast.viewer)
    assert client.post(_url(day), data).status_code == 403
    assert not Statement.objects.exists()
