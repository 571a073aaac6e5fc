"""The date poll (日程調整): the staff grid, candidate slots, sending the poll, fixing the
date, and members answering ○ / △ / × through their personal link."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat.council.models import Membership
from secretariat.meetings import actions
from secretariat.meetings.models import CandidateSlot, Delivery, Invitation, Session, SlotAnswer
from tests import factories as f

TOKYO_NOON = "2026-11-02 12:00 +0900"


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(TOKYO_NOON, tick=False)


@pytest.fixture
def members(cast):
    """The cast's member, a must-attend chair, and a ministry with no email address."""
    chair = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("高橋", "進", "たかはし", "すすむ", email="takahashi@example.jp"),
        role=Membership.Role.CHAIR,
        must_attend=True,
    )
    ministry = f.make_membership(
        cast.platform, cast.member.category, organisation=f.make_organisation("総務省")
    )
    return {"takeyama": cast.member, "chair": chair, "ministry": ministry}


def _slot(session, day, start=time(10), end=time(12)):
    return actions.add_slot(session=session, day=date.fromisoformat(day), start=start, end=end)


def _open_poll(cast, members, days=("2026-12-01", "2026-12-02")):
    """Slots on the planned session and the poll sent (no emails: nothing commits)."""
    slots = [_slot(cast.planned, day) for day in days]
    actions.open_poll(session=cast.planned)
    return slots


def _poll_url(session):
    return reverse("meetings:poll", args=[session.pk])


def _login_url(url):
    return f"{reverse('login')}?next={url}"


# The poll page


def test_poll_page_flags_weekends_holidays_and_the_new_year_closure(client, cast):
    for day in (
        "2026-11-03",  # 文化の日
        "2026-11-28",  # Saturday
        "2026-11-29",  # Sunday
        "2026-12-01",  # an ordinary Tuesday
        "2026-12-28",  # the last open day of the year
        "2026-12-29",
        "2027-01-01",  # 元日
        "2027-01-04",  # open again
    ):
        _slot(cast.planned, day)
    client.force_login(cast.clerk)
    response = client.get(_poll_url(cast.planned))
    assert response.status_code == 200
    html = response.content.decode()
    assert "閉庁日（文化の日）" in html
    assert "閉庁日（土曜日）" in html
    assert "閉庁日（日曜日）" in html
    assert "閉庁日（年末年始）" in html
    assert "閉庁日（元日）" in html
    # Open days carry no flag: five closed slots, five flags.
    assert html.count("閉庁日（") == 5
    flagged = {slot.date.isoformat(): slot.closed_reason for slot in response.context["slots"]}
    assert flagged["2026-12-01"] == flagged["2026-12-28"] == flagged["2027-01-04"] == ""


def test_poll_page_shows_each_answer_comment_and_the_suggestion(client, cast, members):
    tue, wed = _open_poll(cast, members)
    chair = cast.planned.invitations.get(membership=members["chair"])
    takeyama = cast.planned.invitations.get(membership=members["takeyama"])
    actions.record_slot_answers(
        invitation=chair, answers={tue.pk: ("no", "公務"), wed.pk: ("maybe", "午後なら可")}
    )
    actions.record_slot_answers(
        invitation=takeyama, answers={tue.pk: ("yes", ""), wed.pk: ("no", "")}
    )
    client.force_login(cast.clerk)
    response = client.get(_poll_url(cast.planned))
    html = response.content.decode()
    assert "高橋　進" in html and "武山　政直" in html
    assert "午後なら可" in html and "公務" in html
    assert "必須" in html
    # The chair must attend: Wednesday (△) beats Tuesday (more ○ but the chair is ×).
    assert response.context["suggestion"].slot == wed
    assert f"推奨: {wed.label}" in html


def test_poll_page_without_answers_suggests_nothing(client, cast, members):
    _open_poll(cast, members)
    client.force_login(cast.clerk)
    response = client.get(_poll_url(cast.planned))
    assert response.context["suggestion"] is None
    assert "推奨" not in response.content.decode()


def test_viewer_reads_the_poll_without_the_forms(client, cast, members):
    tue, _wed = _open_poll(cast, members)
    client.force_login(cast.viewer)
    response = client.get(_poll_url(cast.planned))
    assert response.status_code == 200
    html = response.content.decode()
    assert tue.label in html
    assert reverse("meetings:slot_add", args=[cast.planned.pk]) not in html
    assert reverse("meetings:fix_date", args=[cast.planned.pk, tue.pk]) not in html
    assert reverse("meetings:poll_open", args=[cast.planned.pk]) not in html


def test_poll_page_access(client, cast):
    url = _poll_url(cast.planned)
    assert client.get(url).url == _login_url(url)
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.post(url).status_code == 405


def test_poll_page_query_count_does_not_grow_with_members_and_slots(client, cast, members):
    _open_poll(cast, members, days=("2026-12-01",))
    client.force_login(cast.clerk)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_poll_url(cast.planned)).status_code == 200
        return len(queries)

    one = count()
    for n in range(10):
        person = f.make_person("委員", f"{n}号", "いいん", "ごう", email=f"m{n}@example.jp")
        f.make_membership(cast.platform, cast.member.category, person)
    for day in ("2026-12-03", "2026-12-04", "2026-12-07"):
        _slot(cast.planned, day)
    actions.open_poll(session=cast.planned)
    for invitation in cast.planned.invitations.all():
        actions.record_slot_answers(
            invitation=invitation,
            answers={slot.pk: ("yes", "可") for slot in cast.planned.slots.all()},
        )
    assert count() == one


# Adding and removing candidate slots


def _add(client, session, **data):
    data = {"date": "2026-12-01", "start_time": "10:00", "end_time": "12:00"} | data
    return client.post(reverse("meetings:slot_add", args=[session.pk]), data)


def test_adding_a_slot(client, cast):
    client.force_login(cast.clerk)
    response = _add(client, cast.planned)
    assert response.status_code == 302
    assert response.url == _poll_url(cast.planned)
    slot = cast.planned.slots.get()
    assert (slot.date, slot.start_time, slot.end_time) == (date(2026, 12, 1), time(10), time(12))
    assert "候補日時を追加しました。" in client.get(response.url).content.decode()


def test_a_slot_ending_before_it_starts_is_refused(client, cast):
    client.force_login(cast.clerk)
    response = _add(client, cast.planned, date="2026-12-09", start_time="15:00", end_time="13:30")
    assert response.status_code == 200
    html = response.content.decode()
    assert "終了時刻は開始時刻より後にしてください。" in html
    # What was typed is still in the form.
    assert 'value="2026-12-09"' in html and 'value="15:00"' in html and 'value="13:30"' in html
    assert not CandidateSlot.objects.exists()


def test_a_slot_ending_when_it_starts_is_refused(client, cast):
    client.force_login(cast.clerk)
    response = _add(client, cast.planned, start_time="10:00", end_time="10:00")
    assert "終了時刻は開始時刻より後にしてください。" in response.content.decode()
    assert not CandidateSlot.objects.exists()


def test_a_duplicate_slot_is_refused(client, cast):
    _slot(cast.planned, "2026-12-01")
    client.force_login(cast.clerk)
    response = _add(client, cast.planned, end_time="11:00")
    assert response.status_code == 200
    assert "同じ日時の候補がすでにあります。" in response.content.decode()
    assert cast.planned.slots.get().end_time == time(12)


def test_the_same_time_on_another_session_is_no_duplicate(client, cast):
    other = f.make_session(
        cast.platform, number=None, status=Session.Status.PLANNED, date=None, topics="別"
    )
    _slot(other, "2026-12-01")
    client.force_login(cast.clerk)
    assert _add(client, cast.planned).status_code == 302
    assert CandidateSlot.objects.count() == 2


def test_a_slot_with_a_missing_or_bad_date_is_refused(client, cast):
    client.force_login(cast.clerk)
    response = _add(client, cast.planned, date="2026-02-30", start_time="")
    assert response.status_code == 200
    assert response.context["slot_form"].errors.keys() == {"date", "start_time"}
    assert not CandidateSlot.objects.exists()


def test_adding_a_slot_access(client, cast):
    url = reverse("meetings:slot_add", args=[cast.planned.pk])
    response = _add(client, cast.planned)
    assert response.url == _login_url(url)
    client.force_login(cast.viewer)
    assert _add(client, cast.planned).status_code == 403
    client.force_login(cast.other_clerk)
    assert _add(client, cast.planned).status_code == 404
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    assert not CandidateSlot.objects.exists()


def test_removing_a_slot(client, cast):
    keep, drop = _slot(cast.planned, "2026-12-01"), _slot(cast.planned, "2026-12-02")
    client.force_login(cast.clerk)
    response = client.post(reverse("meetings:slot_delete", args=[drop.pk]), follow=True)
    assert response.redirect_chain[-1][0] == _poll_url(cast.planned)
    assert "候補日時を削除しました。" in response.content.decode()
    assert list(cast.planned.slots.all()) == [keep]


def test_a_slot_cannot_be_removed_once_the_date_is_fixed(client, cast, members):
    tue, wed = _open_poll(cast, members)
    actions.fix_date(session=cast.planned, slot=tue)
    client.force_login(cast.clerk)
    response = client.post(reverse("meetings:slot_delete", args=[wed.pk]), follow=True)
    assert "日程が決まった後は候補日時を削除できません。" in response.content.decode()
    assert cast.planned.slots.count() == 2


def test_removing_a_slot_access(client, cast):
    slot = _slot(cast.planned, "2026-12-01")
    url = reverse("meetings:slot_delete", args=[slot.pk])
    assert client.post(url).url == _login_url(url)
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.post(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    assert CandidateSlot.objects.filter(pk=slot.pk).exists()


# Sending the poll


def test_sending_the_poll_writes_to_every_member_with_an_address(
    client, cast, members, django_capture_on_commit_callbacks
):
    _slot(cast.planned, "2026-11-28")
    _slot(cast.planned, "2026-12-01")
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:poll_open", args=[cast.planned.pk]), follow=True)
    html = response.content.decode()
    assert "2人に日程調整の依頼を送ります。" in html
    assert "メールアドレスが登録されていないため送れませんでした: 総務省" in html
    # Everyone has an invitation; only those with an address a delivery.
    assert cast.planned.invitations.count() == 3
    deliveries = Delivery.objects.filter(invitation__session=cast.planned)
    assert sorted(d.invitation.membership.display_name for d in deliveries) == [
        "武山　政直",
        "高橋　進",
    ]
    assert {(d.kind, d.status) for d in deliveries} == {("poll", "sent")}
    assert sorted(m.to[0] for m in mail.outbox) == ["takahashi@example.jp", "takeyama@example.jp"]
    message = next(m for m in mail.outbox if m.to == ["takeyama@example.jp"])
    invitation = cast.planned.invitations.get(membership=members["takeyama"])
    assert message.subject == "【日程調整のお願い】公共サービスイノベーション・プラットフォーム"
    assert "武山　政直 様" in message.body
    assert "/m/" in message.body
    assert "令和8年11月28日（土）10:00～12:00（土曜日）" in message.body
    html_body, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "ご都合を回答する" in html_body
    # The link in the email opens this member's own page.
    link = next(line for line in message.body.splitlines() if "/m/" in line).strip()
    page = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert page.context["invitation"] == invitation
    assert not mail.outbox[0].attachments  # a poll is no calendar invitation


def test_sending_the_poll_again_writes_only_to_new_members(
    client, cast, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _open_poll(cast, members)
    mail.outbox.clear()
    f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("足立", "慎一郎", "あだち", "しんいちろう", email="adachi@example.jp"),
    )
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:poll_open", args=[cast.planned.pk]), follow=True)
    assert "1人に日程調整の依頼を送ります。" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["adachi@example.jp"]]
    assert Delivery.objects.filter(kind=Delivery.Kind.POLL).count() == 3


def test_sending_the_poll_again_retries_what_has_not_gone_out(
    client, cast, members, django_capture_on_commit_callbacks
):
    _open_poll(cast, members)  # recorded, never sent: the transaction did not commit
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:poll_open", args=[cast.planned.pk]), follow=True)
    assert "2人に日程調整の依頼を送ります。" in response.content.decode()
    assert len(mail.outbox) == 2


def test_the_poll_needs_a_slot(client, cast, members):
    client.force_login(cast.clerk)
    response = client.post(reverse("meetings:poll_open", args=[cast.planned.pk]), follow=True)
    assert "候補日時を1つ以上登録してください。" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_poll_is_only_for_a_session_without_a_date(client, cast, members):
    tue, _wed = _open_poll(cast, members)
    actions.fix_date(session=cast.planned, slot=tue)
    client.force_login(cast.clerk)
    response = client.post(reverse("meetings:poll_open", args=[cast.planned.pk]), follow=True)
    assert "日程調整は、日程が決まる前の会議でのみ行えます。" in response.content.decode()
    assert Delivery.objects.filter(kind=Delivery.Kind.POLL).count() == 2


def test_sending_the_poll_access(client, cast, members):
    _slot(cast.planned, "2026-12-01")
    url = reverse("meetings:poll_open", args=[cast.planned.pk])
    assert client.post(url).url == _login_url(url)
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.post(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    assert not Invitation.objects.exists()
    assert not Delivery.objects.exists()


# Fixing the date


def _fix(client, session, slot, deadline="2026-11-25T17:00"):
    return client.post(
        reverse("meetings:fix_date", args=[session.pk, slot.pk]), {"reply_deadline": deadline}
    )


def test_fixing_the_date_schedules_numbers_and_invites(
    client, cast, members, django_capture_on_commit_callbacks
):
    _tue, wed = _open_poll(cast, members)
    # Another session is scheduled while the poll runs: the number is taken when fixing.
    f.make_session(cast.platform, status=Session.Status.SCHEDULED, date=date(2026, 11, 20))
    assert cast.planned.number is None
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = _fix(client, cast.planned, wed)
    assert response.status_code == 302
    assert response.url == reverse("meetings:session", args=[cast.planned.pk])
    session = Session.objects.get(pk=cast.planned.pk)
    assert (session.status, session.number) == (Session.Status.SCHEDULED, 4)
    assert (session.date, session.start_time, session.end_time) == (
        date(2026, 12, 2),
        time(10),
        time(12),
    )
    assert session.reply_deadline == datetime.fromisoformat("2026-11-25T17:00+09:00")
    invites = Delivery.objects.filter(kind=Delivery.Kind.INVITE)
    assert {(d.status, d.sequence) for d in invites} == {("sent", 0)}
    assert invites.count() == 2
    invitations = [m for m in mail.outbox if m.subject.startswith("【開催案内】")]
    assert sorted(m.to[0] for m in invitations) == ["takahashi@example.jp", "takeyama@example.jp"]
    assert invitations[0].subject == (
        "【開催案内】第4回 公共サービスイノベーション・プラットフォーム（令和8年12月2日（水））"
    )
    assert invitations[0].alternatives[0].mimetype == "text/html"
    assert invitations[0].attachments[0].mimetype == "application/ics"
    page = client.get(response.url).content.decode()
    assert "日程を確定しました。2人に開催案内（カレンダー招待付き）を送ります。" in page
    assert "メールアドレスが登録されていないため送れませんでした: 総務省" in page


def test_fixing_twice_is_refused(client, cast, members):
    tue, wed = _open_poll(cast, members)
    client.force_login(cast.clerk)
    assert _fix(client, cast.planned, tue).status_code == 302
    response = client.post(
        reverse("meetings:fix_date", args=[cast.planned.pk, wed.pk]),
        {"reply_deadline": "2026-11-20T17:00"},
        follow=True,
    )
    assert "この会議の日程はすでに決まっています。" in response.content.decode()
    session = Session.objects.get(pk=cast.planned.pk)
    assert (session.date, session.number) == (date(2026, 12, 1), 3)
    assert session.reply_deadline == datetime.fromisoformat("2026-11-25T17:00+09:00")
    assert Delivery.objects.filter(kind=Delivery.Kind.INVITE).count() == 2


def test_fixing_with_a_bad_deadline_changes_nothing(client, cast, members):
    tue, _wed = _open_poll(cast, members)
    client.force_login(cast.clerk)
    response = client.post(
        reverse("meetings:fix_date", args=[cast.planned.pk, tue.pk]),
        {"reply_deadline": "来週"},
        follow=True,
    )
    assert "回答期限の日時が正しくありません。" in response.content.decode()
    session = Session.objects.get(pk=cast.planned.pk)
    assert (session.status, session.number, session.date) == (Session.Status.PLANNED, None, None)


def test_fixing_without_a_deadline(client, cast, members):
    tue, _wed = _open_poll(cast, members)
    client.force_login(cast.clerk)
    assert _fix(client, cast.planned, tue, deadline="").status_code == 302
    session = Session.objects.get(pk=cast.planned.pk)
    assert (session.status, session.reply_deadline) == (Session.Status.SCHEDULED, None)


def test_fixing_with_another_sessions_slot_is_refused(client, cast, members):
    _open_poll(cast, members)
    other = f.make_session(
        cast.platform, number=None, status=Session.Status.PLANNED, date=None, topics="別"
    )
    foreign = _slot(other, "2026-12-10")
    client.force_login(cast.clerk)
    response = client.post(
        reverse("meetings:fix_date", args=[cast.planned.pk, foreign.pk]), follow=True
    )
    assert "この会議の候補日時を選んでください。" in response.content.decode()
    assert Session.objects.get(pk=cast.planned.pk).status == Session.Status.PLANNED


def test_fixing_the_date_access(client, cast, members):
    tue, _wed = _open_poll(cast, members)
    url = reverse("meetings:fix_date", args=[cast.planned.pk, tue.pk])
    assert _fix(client, cast.planned, tue).url == _login_url(url)
    client.force_login(cast.viewer)
    assert _fix(client, cast.planned, tue).status_code == 403
    client.force_login(cast.other_clerk)
    assert _fix(client, cast.planned, tue).status_code == 404
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    session = Session.objects.get(pk=cast.planned.pk)
    assert (session.status, session.number) == (Session.Status.PLANNED, None)
    assert not Delivery.objects.filter(kind=Delivery.Kind.INVITE).exists()


# Members answer through their personal link


def _answer_url(invitation):
    return reverse("member:poll", args=[invitation.token])


def test_a_member_answers_every_slot_with_comments(client, cast, members):
    tue, wed = _open_poll(cast, members)
    invitation = cast.planned.invitations.get(membership=members["takeyama"])
    page = client.get(reverse("member:invitation", args=[invitation.token]))
    assert page.context["polling"]
    assert "各候補日時のご都合をお知らせください" in page.content.decode()
    data = {
        f"slot-{tue.pk}": "maybe",
        f"comment-{tue.pk}": "午前なら可",
        f"slot-{wed.pk}": "no",
        f"comment-{wed.pk}": "",
    }
    response = client.post(_answer_url(invitation), data)
    assert response.status_code == 302
    assert response.url.endswith("?saved=poll")
    answers = {a.slot: (a.answer, a.comment) for a in invitation.slot_answers.all()}
    assert answers == {tue: ("maybe", "午前なら可"), wed: ("no", "")}
    page = client.get(response.url).content.decode()
    assert "ご都合を登録しました。" in page
    assert 'value="午前なら可"' in page


def test_a_member_changes_their_answers(client, cast, members):
    tue, wed = _open_poll(cast, members)
    invitation = cast.planned.invitations.get(membership=members["takeyama"])
    actions.record_slot_answers(
        invitation=invitation, answers={tue.pk: ("no", "出張"), wed.pk: ("no", "")}
    )
    data = {f"slot-{tue.pk}": "yes", f"slot-{wed.pk}": "maybe", f"comment-{wed.pk}": "調整中"}
    assert client.post(_answer_url(invitation), data).status_code == 302
    answers = {a.slot: (a.answer, a.comment) for a in invitation.slot_answers.all()}
    assert answers == {tue: ("yes", ""), wed: ("maybe", "調整中")}


def test_a_partial_answer_is_refused_and_what_was_typed_is_kept(client, cast, members):
    tue, wed = _open_poll(cast, members)
    invitation = cast.planned.invitations.get(membership=members["takeyama"])
    data = {
        f"slot-{tue.pk}": "maybe",
        f"comment-{tue.pk}": "午前なら可",
        f"comment-{wed.pk}": "未定",
    }
    response = client.post(_answer_url(invitation), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"すべての候補日時に○・△・×のいずれかでお答えください: {wed.label}" in html
    assert f'name="slot-{tue.pk}" value="maybe" checked' in html
    assert 'value="午前なら可"' in html and 'value="未定"' in html
    assert not SlotAnswer.objects.exists()


def test_an_answer_that_is_no_choice_is_refused(client, cast, members):
    tue, wed = _open_poll(cast, members)
    invitation = cast.planned.invitations.get(membership=members["takeyama"])
    response = client.post(
        _answer_url(invitation), {f"slot-{tue.pk}": "yes", f"slot-{wed.pk}": "perhaps"}
    )
    assert response.status_code == 400
    assert "回答の内容が正しくありません。" in response.content.decode()
    assert not SlotAnswer.objects.exists()


def test_answering_after_the_date_was_fixed_is_refused(client, cast, members):
    tue, wed = _open_poll(cast, members)
    invitation = cast.planned.invitations.get(membership=members["takeyama"])
    actions.record_slot_answers(
        invitation=invitation, answers={tue.pk: ("yes", ""), wed.pk: ("no", "")}
    )
    actions.fix_date(session=cast.planned, slot=tue)
    for data in (
        {f"slot-{tue.pk}": "no", f"slot-{wed.pk}": "yes"},
        {f"slot-{tue.pk}": "no"},  # a partial answer gets the same answer
    ):
        response = client.post(_answer_url(invitation), data)
        assert response.status_code == 400
        assert "日程はすでに決まりました。出欠のご回答をお願いします。" in response.content.decode()
    answers = {a.slot: a.answer for a in invitation.slot_answers.all()}
    assert answers == {tue: "yes", wed: "no"}


def test_answering_the_poll_needs_a_post_and_a_good_link(client, cast, members):
    _open_poll(cast, members)
    invitation = cast.planned.invitations.get(membership=members["takeyama"])
    assert client.get(_answer_url(invitation)).status_code == 405
    response = client.post(reverse("member:poll", args=["forged-token"]), {})
    assert response.status_code == 403
    assert "このリンクは正しくありません。" in response.content.decode()
