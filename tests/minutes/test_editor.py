"""The minutes editor: the attendance recorded on the day, the summary and the statements,
saved without ever losing an edit (a conflict, not an overwrite, when two staff save)."""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.meetings.models import Attendance
from secretariat.minutes import actions
from secretariat.minutes.models import CorrectionProposal, Minutes, MinutesRevision, Statement
from tests import factories as f
from tests.minutes import count_queries, form_data, record_attendance, statements, write_minutes


@pytest.fixture
def day(cast):
    return record_attendance(cast)


def _url(day):
    return reverse("minutes:editor", args=[day.session.pk])


def _page(client, day):
    response = client.get(_url(day))
    assert response.status_code == 200
    return response.content.decode()


def _textareas(html):
    page = lxml.html.fromstring(html)
    return {t.name: t.value.removeprefix("\n") for t in page.iter("textarea")}


def _confirm_all(minutes):
    minutes.statements.update(confirmation=Statement.Confirmation.CONFIRMED)


def test_the_editor_lists_the_attendance_of_the_day_and_the_statements(client, cast, day):
    write_minutes(
        day,
        cast.clerk,
        [(day.secretariat, day.hearing, "資料1を説明します。"), (day.takeyama, None, "賛成です。")],
    )
    client.force_login(cast.clerk)
    html = _page(client, day)
    for line in (
        "武山\u3000政直 教授（構成員）",
        "森本\u3000登志男 （構成員（オンライン））",
        "高橋 一郎 副会長（代理出席）",
        "山田 太郎 総務省自治行政局長（説明者）",
        "佐藤 健 参事官（事務局）",
    ):
        assert line in html
    assert reverse("meetings:checkin", args=[day.session.pk]) in html
    page = lxml.html.fromstring(html)
    speakers = [o.text for o in page.get_element_by_id("id_s-0-speaker").iter("option")]
    assert speakers == [
        "—",
        "武山委員",
        "森本委員",
        "高橋委員代理（高橋 一郎 副会長）",
        "総務省自治行政局長 山田 太郎",
        "事務局",
    ]
    items = [o.text for o in page.get_element_by_id("id_s-0-agenda_item").iter("option")]
    assert items == ["—", "関係省庁ヒアリング", "意見交換"]
    data = form_data(html, _url(day))
    assert data["s-0-speaker"] == [str(day.secretariat.pk)]
    assert data["s-0-agenda_item"] == [str(day.hearing.pk)]
    assert data["s-1-speaker"] == [str(day.takeyama.pk)]
    assert _textareas(html)["s-1-text"] == "賛成です。"
    # The empty row for a new statement has no speaker chosen.
    assert data["s-2-speaker"] == [""]
    assert "状態: 作成中（第1版）" in html
    assert "保存" in html
    assert reverse("minutes:transcript", args=[day.session.pk]) in html


def test_a_session_without_attendance_says_where_to_record_it(client, cast):
    client.force_login(cast.clerk)
    html = client.get(reverse("minutes:editor", args=[cast.published.pk])).content.decode()
    assert "出席の記録がありません。当日受付の画面で出席者を記録してください。" in html


def test_saving_the_page_as_a_browser_sends_it(client, cast, day):
    minutes = write_minutes(
        day, cast.clerk, [(day.secretariat, day.hearing, "資料1を説明します。")]
    )
    client.force_login(cast.clerk)
    data = form_data(_page(client, day), _url(day))
    data["summary"] = ["窓口の統合について議論した。\r\n\u3000次回は取りまとめを行う。"]
    data["s-1-speaker"] = [str(day.takeyama.pk)]
    data["s-1-agenda_item"] = [str(day.discussion.pk)]
    data["s-1-text"] = ["一点目は、\r\n窓口の統合です。"]
    response = client.post(_url(day), data)
    assert response.status_code == 302
    assert response.url == _url(day)
    minutes.refresh_from_db()
    assert minutes.summary == "窓口の統合について議論した。\n\u3000次回は取りまとめを行う。"
    assert minutes.version == 3
    rows = [
        (s.order, s.agenda_item, s.speaker, s.text)
        for s in Statement.objects.filter(minutes=minutes)
    ]
    assert rows == [
        (1, day.hearing, day.secretariat, "資料1を説明します。"),
        (2, day.discussion, day.takeyama, "一点目は、\n窓口の統合です。"),
    ]
    revision = minutes.revisions.order_by("-pk").first()
    assert (revision.note, revision.created_by, revision.version, revision.revision) == (
        "編集",
        cast.clerk,
        3,
        1,
    )
    assert revision.snapshot["statements"][1] == {
        "order": 2,
        "agenda_item": day.discussion.pk,
        "speaker": "武山委員",
        "text": "一点目は、\n窓口の統合です。",
        "confirmation": "pending",
    }
    html = _page(client, day)
    assert "議事録を保存しました。" in html
    assert _textareas(html)["s-1-text"].replace("\r\n", "\n") == "一点目は、\n窓口の統合です。"


def test_saving_the_page_unchanged_keeps_the_speakers_confirmations(client, cast, day):
    minutes = write_minutes(
        day,
        cast.clerk,
        [(day.takeyama, day.hearing, "一点目は、\n窓口の統合です。"), (day.morimoto, None, "賛成")],
    )
    _confirm_all(minutes)
    client.force_login(cast.clerk)
    assert client.post(_url(day), form_data(_page(client, day), _url(day))).status_code == 302
    assert [s.confirmation for s in Statement.objects.all()] == ["confirmed", "confirmed"]
    assert statements(minutes)[0] == ("武山\u3000政直", "一点目は、\n窓口の統合です。")


def test_a_changed_statement_goes_back_to_its_speaker(client, cast, day):
    minutes = write_minutes(
        day, cast.clerk, [(day.takeyama, None, "賛成です。"), (day.morimoto, None, "同じく。")]
    )
    _confirm_all(minutes)
    client.force_login(cast.clerk)
    data = form_data(_page(client, day), _url(day))
    data["s-0-text"] = ["強く賛成します。"]
    data["s-1-speaker"] = [str(day.proxy.pk)]
    client.post(_url(day), data)
    assert [(s.text, s.speaker, s.confirmation) for s in Statement.objects.all()] == [
        ("強く賛成します。", day.takeyama, "pending"),
        ("同じく。", day.proxy, "pending"),
    ]


def test_deleting_a_statement_leaves_the_others_with_their_confirmation_and_proposals(
    client, cast, day
):
    minutes = write_minutes(
        day,
        cast.clerk,
        [
            (day.secretariat, None, "事務局の説明です。"),
            (day.takeyama, None, "武山の意見です。"),
            (day.morimoto, None, "森本の意見です。"),
        ],
    )
    first, takeyama, morimoto = Statement.objects.all()
    Statement.objects.filter(pk=takeyama.pk).update(confirmation="confirmed")
    proposal = CorrectionProposal.objects.create(
        statement=morimoto,
        original_text="森本の意見です。",
        proposed_text="森本の修正後の意見です。",
    )
    client.force_login(cast.clerk)
    data = form_data(_page(client, day), _url(day))
    data["s-0-DELETE"] = ["on"]
    assert client.post(_url(day), data).status_code == 302
    assert [(s.pk, s.order, s.text, s.confirmation) for s in minutes.statements.all()] == [
        (takeyama.pk, 1, "武山の意見です。", "confirmed"),
        (morimoto.pk, 2, "森本の意見です。", "pending"),
    ]
    proposal.refresh_from_db()
    assert proposal.statement_id == morimoto.pk
    assert not Statement.objects.filter(pk=first.pk).exists()


def test_a_speaker_who_was_not_there_is_refused_and_the_text_stays(client, cast, day):
    elsewhere = Attendance.objects.create(
        session=cast.published, name="他の会議の人", capacity="other", arrived_at=timezone.now()
    )
    write_minutes(day, cast.clerk, [(day.takeyama, None, "賛成です。")])
    client.force_login(cast.clerk)
    data = form_data(_page(client, day), _url(day))
    data["s-0-speaker"] = [str(elsewhere.pk)]
    data["s-0-text"] = ["書き換えた発言です。"]
    response = client.post(_url(day), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "正しく選択してください。" in html
    assert _textareas(html)["s-0-text"] == "書き換えた発言です。"
    assert statements(day.session.minutes) == [("武山\u3000政直", "賛成です。")]


def test_a_row_with_a_speaker_but_no_text_is_an_error_and_the_rest_stays(client, cast, day):
    client.force_login(cast.clerk)
    data = form_data(_page(client, day), _url(day))
    data["summary"] = ["入力途中の概要"]
    data["s-0-speaker"] = [str(day.takeyama.pk)]
    response = client.post(_url(day), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "このフィールドは必須です。" in html
    assert _textareas(html)["summary"] == "入力途中の概要"
    assert day.session.minutes.summary == ""


def test_two_staff_saving_at_once_get_a_conflict_not_an_overwrite(client, cast, day):
    minutes = write_minutes(day, cast.clerk, [(day.takeyama, None, "元の発言です。")])
    colleague = Client()
    colleague.force_login(f.make_staff(cast.platform, username="clerk2"))
    client.force_login(cast.clerk)
    mine = form_data(_page(client, day), _url(day))
    theirs = form_data(_page(colleague, day), _url(day))

    theirs["s-0-text"] = ["同僚が先に直した発言です。"]
    assert colleague.post(_url(day), theirs).status_code == 302

    mine["s-0-text"] = ["私が後から直した発言です。"]
    mine["summary"] = ["私の書いた概要"]
    response = client.post(_url(day), mine)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ほかの方がこの議事録を先に保存しました。あなたの入力は下に残っています。" in html
    assert _textareas(html)["s-0-text"] == "私が後から直した発言です。"
    assert _textareas(html)["summary"] == "私の書いた概要"
    minutes.refresh_from_db()
    assert statements(minutes) == [("武山\u3000政直", "同僚が先に直した発言です。")]
    assert minutes.summary == ""
    assert [r.created_by.username for r in minutes.revisions.order_by("pk")] == ["clerk", "clerk2"]
    # Reloading shows the colleague's text and a fresh version: saving again works.
    data = form_data(_page(client, day), _url(day))
    assert _textareas(_page(client, day))["s-0-text"] == "同僚が先に直した発言です。"
    data["s-0-text"] = ["両方を踏まえた発言です。"]
    assert client.post(_url(day), data).status_code == 302
    assert statements(minutes) == [("武山\u3000政直", "両方を踏まえた発言です。")]


def test_formulas_markup_and_control_characters_round_trip_as_text(client, cast, day):
    client.force_login(cast.clerk)
    data = form_data(_page(client, day), _url(day))
    typed = {
        "summary": "=SUM(A1)\x0bを参照",
        "text": "=SUM(A1)",
        "other": "受付\x0bから\x01交付まで<script>alert(1)</script>",
    }
    data["summary"] = [typed["summary"]]
    data["s-0-speaker"] = [str(day.takeyama.pk)]
    data["s-0-text"] = [typed["text"]]
    data["s-TOTAL_FORMS"] = ["2"]  # a second new row, as the page's script would add
    data["s-1-speaker"] = [str(day.morimoto.pk)]
    data["s-1-text"] = [typed["other"]]
    assert client.post(_url(day), data).status_code == 302
    minutes = Minutes.objects.get()
    assert minutes.summary == typed["summary"]
    assert [s.text for s in minutes.statements.all()] == [typed["text"], typed["other"]]
    html = _page(client, day)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Sent back unchanged, the page changes nothing.
    _confirm_all(minutes)
    assert client.post(_url(day), form_data(html, _url(day))).status_code == 302
    assert [(s.text, s.confirmation) for s in minutes.statements.all()] == [
        (typed["text"], "confirmed"),
        (typed["other"], "confirmed"),
    ]


def test_a_nul_character_pasted_from_a_pdf_is_dropped(client, cast, day):
    # CharField would refuse it with Django's Japanese message 「何か文字を入力してください。」.
    client.force_login(cast.clerk)
    data = form_data(_page(client, day), _url(day))
    data["summary"] = ["概要\x00です。"]
    data["s-0-speaker"] = [str(day.takeyama.pk)]
    data["s-0-text"] = ["発言\x00です。"]
    assert client.post(_url(day), data).status_code == 302
    assert Minutes.objects.get().summary == "概要です。"
    assert [s.text for s in Statement.objects.all()] == ["発言です。"]


def test_approved_minutes_are_locked_until_a_revision_is_started(client, cast, day):
    minutes = write_minutes(day, cast.clerk, [(day.takeyama, None, "確定した発言です。")])
    _confirm_all(minutes)
    actions.approve(minutes=minutes, by=cast.clerk, now=timezone.now())
    client.force_login(cast.clerk)
    html = _page(client, day)
    assert "座長了解済みのため変更できません。" in html
    assert reverse("minutes:revise", args=[day.session.pk]) in html
    assert "改訂を始める" in html
    assert '<button type="submit">保存</button>' not in html
    assert reverse("minutes:transcript", args=[day.session.pk]) not in html
    data = form_data(html, _url(day))
    data["s-0-text"] = ["確定後に書き換えた発言です。"]
    response = client.post(_url(day), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "座長了解済みの議事録は変更できません。「改訂を始める」から変更してください。" in html
    assert _textareas(html)["s-0-text"] == "確定後に書き換えた発言です。"
    assert statements(minutes) == [("武山\u3000政直", "確定した発言です。")]


def test_the_editor_refuses_other_methods_anonymous_and_other_platform(client, cast, day):
    client.force_login(cast.clerk)
    assert client.put(_url(day)).status_code == 405
    assert client.delete(_url(day)).status_code == 405
    client.logout()
    for response in (client.get(_url(day)), client.post(_url(day), {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    client.force_login(cast.other_clerk)
    assert client.get(_url(day)).status_code == 404
    assert client.post(_url(day), {}).status_code == 404
    assert not Minutes.objects.exists()


def test_a_viewer_reads_but_cannot_save(client, cast, day):
    minutes = write_minutes(day, cast.clerk, [(day.takeyama, None, "賛成です。")])
    client.force_login(cast.clerk)
    data = form_data(_page(client, day), _url(day))
    client.force_login(cast.viewer)
    html = _page(client, day)
    assert "賛成です。" in html
    assert '<button type="submit">保存</button>' not in html
    assert reverse("minutes:transcript", args=[day.session.pk]) not in html
    data["s-0-text"] = ["閲覧者が書き換えた発言です。"]
    assert client.post(_url(day), data).status_code == 403
    assert statements(minutes) == [("武山\u3000政直", "賛成です。")]
    assert MinutesRevision.objects.count() == 1


def test_the_editor_reads_a_fixed_number_of_queries(client, cast, day):
    minutes = write_minutes(day, cast.clerk, [(day.takeyama, day.hearing, "一つ目です。")])
    client.force_login(cast.clerk)
    one = count_queries(client, _url(day))
    speakers = [day.takeyama, day.morimoto, day.proxy, day.presenter, day.secretariat]
    write_minutes(
        day,
        cast.clerk,
        [(speakers[n % 5], day.discussion, f"{n}つ目です。") for n in range(20)],
    )
    assert minutes.statements.count() == 20
    assert count_queries(client, _url(day)) == one


def test_reading_the_minutes_pages_creates_nothing(client, cast):
    from secretariat.minutes.models import Minutes

    client.force_login(cast.viewer)
    for name in ("minutes:editor", "minutes:confirmation", "minutes:revisions"):
        assert client.get(reverse(name, args=[cast.draft.pk])).status_code == 200
    assert not Minutes.objects.filter(session=cast.draft).exists()
