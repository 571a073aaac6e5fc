"""The whole scheduling flow through the staff and member views, with emails checked."""

from __future__ import annotations

import email
from datetime import date, datetime, time

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from secretariat.council.models import Membership
from secretariat.meetings.models import Delivery, Invitation, Session, SlotAnswer
from secretariat.meetings.tasks import send_session_deliveries
from tests import factories as f
from tests.exports.test_ics import check_with_icaljs

TOKYO_NOON = "2026-11-02 12:00 +0900"

# Sending is enqueued on commit, so these tests commit (tasks then run inline: sync mode).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def members(cast):
    """Three members with addresses (one must attend) and a ministry without one."""
    category = cast.member.category
    cast.member.person.email = "takeyama@example.jp"
    cast.member.person.save()
    chair = f.make_membership(
        cast.platform,
        category,
        f.make_person("高橋", "進", "たかはし", "すすむ", email="takahashi@example.jp"),
        role=Membership.Role.CHAIR,
        must_attend=True,
    )
    third = f.make_membership(
        cast.platform,
        category,
        f.make_person("森本", "登志男", "もりもと", "としお", email="morimoto@example.jp"),
    )
    ministry = f.make_membership(
        cast.platform, category, organisation=f.make_organisation("総務省")
    )
    return {"takeyama": cast.member, "chair": chair, "third": third, "ministry": ministry}


def _token(invitation: Invitation) -> str:
    return reverse("member:invitation", args=[invitation.token])


def test_poll_fix_invite_reply_update_cancel(client, cast, members, time_machine, tmp_path):
    time_machine.move_to(TOKYO_NOON)
    client.force_login(cast.clerk)
    session = cast.planned
    # Slots: one on a Saturday (flagged), two weekdays.
    for day in ("2026-11-28", "2026-12-01", "2026-12-02"):
        response = client.post(
            reverse("meetings:slot_add", args=[session.pk]),
            {"date": day, "start_time": "10:00", "end_time": "12:00"},
        )
        assert response.status_code == 302
    poll_page = client.get(reverse("meetings:poll", args=[session.pk])).content.decode()
    assert "閉庁日（土曜日）" in poll_page

    response = client.post(reverse("meetings:poll_open", args=[session.pk]), follow=True)
    page = response.content.decode()
    assert "3人に日程調整の依頼を送ります。" in page
    assert "総務省" in page  # no address: said, not silently skipped
    assert len(mail.outbox) == 3
    assert all("【日程調整のお願い】" in m.subject for m in mail.outbox)

    # Members answer through their links (no login).
    client.logout()
    sat, tue, wed = session.slots.order_by("date")
    answers = {
        "takeyama": {sat: "yes", tue: "yes", wed: "no"},
        "third": {sat: "yes", tue: "yes", wed: "yes"},
        "chair": {sat: "yes", tue: "no", wed: "maybe"},
    }
    for who, choice in answers.items():
        invitation = session.invitations.get(membership=members[who])
        data = {f"slot-{slot.pk}": value for slot, value in choice.items()}
        data[f"comment-{wed.pk}"] = "午後なら可"
        response = client.post(reverse("member:poll", args=[invitation.token]), data)
        assert response.status_code == 302
    assert SlotAnswer.objects.filter(slot__session=session).count() == 9

    # The chair (must attend) cannot come on Tuesday: Saturday or Wednesday wins.
    client.force_login(cast.clerk)
    grid = client.get(reverse("meetings:poll", args=[session.pk]))
    assert grid.context["suggestion"].slot == sat
    # Staff fix Wednesday: the session is scheduled, numbered and everyone invited.
    mail.outbox.clear()
    response = client.post(
        reverse("meetings:fix_date", args=[session.pk, wed.pk]),
        {"reply_deadline": "2026-11-25T17:00"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.number, session.date) == (
        Session.Status.SCHEDULED,
        3,
        date(2026, 12, 2),
    )
    assert len(mail.outbox) == 3
    invite = mail.outbox[0]
    message = email.message_from_bytes(invite.message().as_bytes())
    calendar_parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendar_parts) == 1
    assert calendar_parts[0].get_param("method") == "REQUEST"
    assert calendar_parts[0].get_content_charset() == "utf-8"
    assert message.get_content_type() == "multipart/mixed"
    # The attachment is base64: its bytes are exactly what we rendered (CRLF included);
    # the text/calendar part is the same text, line endings left to the transport.
    ics = invite.attachments[0].content
    assert invite.attachments[0].mimetype == "application/ics"
    assert calendar_parts[0].get_payload(decode=True).replace(b"\r\n", b"\n") == ics.replace(
        b"\r\n", b"\n"
    )
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == datetime(
        2026, 12, 2, 10, 0, tzinfo=event.decoded("DTSTART").tzinfo
    )
    [checked] = check_with_icaljs(ics, "REQUEST", tmp_path)
    assert checked["startUTC"] == "2026-12-02T01:00:00Z"
    assert len(checked["attendees"]) == 1  # only the recipient: no one sees another's address
    assert "出欠を下記のリンクからご回答ください" in invite.body and "/m/" in invite.body
    html = invite.alternatives[0]
    assert html.mimetype == "text/html"

    # A member replies 代理出席: name and title are required.
    client.logout()
    invitation = session.invitations.get(membership=members["third"])
    url = reverse("member:reply", args=[invitation.token])
    response = client.post(url, {"reply": "proxy", "proxy_name": "", "proxy_title": ""})
    assert response.status_code == 400
    assert "代理出席者の氏名を入力してください。" in response.content.decode()
    response = client.post(
        url,
        {"reply": "proxy", "proxy_name": "森本 花子", "proxy_title": "参与", "comment": "よろしく"},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.proxy_name, invitation.reply_entered_by) == (
        "proxy",
        "森本 花子",
        None,
    )

    # Staff change the time: an update with a higher SEQUENCE goes to everyone invited.
    client.force_login(cast.clerk)
    mail.outbox.clear()
    data = {
        "kind": "meeting",
        "topics": session.topics,
        "status": "scheduled",
        "number": "3",
        "date": "2026-12-02",
        "start_time": "14:00",
        "end_time": "16:00",
        "venue_name": "中央合同庁舎第8号館",
        "reply_deadline": "2026-11-25T17:00",
    }
    assert client.post(reverse("meetings:session_edit", args=[session.pk]), data).status_code == 302
    session.refresh_from_db()
    assert session.ical_sequence == 1
    assert len(mail.outbox) == 3
    assert all(m.subject.startswith("【変更】") for m in mail.outbox)
    [checked] = check_with_icaljs(mail.outbox[0].attachments[0].content, "REQUEST", tmp_path)
    assert checked["sequence"] == 1
    assert checked["startUTC"] == "2026-12-02T05:00:00Z"

    # Cancelling sends METHOD:CANCEL with the same UID and a higher SEQUENCE.
    mail.outbox.clear()
    data["status"] = "cancelled"
    client.post(reverse("meetings:session_edit", args=[session.pk]), data)
    assert len(mail.outbox) == 3
    [checked] = check_with_icaljs(mail.outbox[0].attachments[0].content, "CANCEL", tmp_path)
    assert checked["sequence"] == 2
    assert checked["status"] == "CANCELLED"


def test_a_task_run_twice_sends_nothing_twice(cast, members):
    from secretariat.meetings import actions

    session = cast.planned
    slot = actions.add_slot(session=session, day=date(2026, 12, 1), start=time(10), end=time(11))
    actions.fix_date(session=session, slot=slot)
    sent = len(mail.outbox)
    assert sent == 3
    send_session_deliveries(session.pk)
    send_session_deliveries(session.pk)
    assert len(mail.outbox) == sent
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3


def test_a_failing_mail_server_leaves_failed_deliveries_with_the_error(
    cast, members, settings, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    from secretariat.meetings import actions
    from secretariat.meetings.tasks import retry_failed_deliveries

    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP server is down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    session = cast.planned
    slot = actions.add_slot(session=session, day=date(2026, 12, 1), start=time(10), end=time(11))
    actions.fix_date(session=session, slot=slot)
    failed = Delivery.objects.filter(status=Delivery.Status.FAILED)
    assert failed.count() == 3
    assert "SMTP server is down" in failed.first().last_error
    monkeypatch.undo()
    assert retry_failed_deliveries() == 0
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3
    assert len(mail.outbox) == 3


def test_adding_a_member_later_invites_only_that_member(client, cast, members):
    from secretariat.meetings import actions

    session = cast.planned
    slot = actions.add_slot(session=session, day=date(2026, 12, 1), start=time(10), end=time(11))
    actions.fix_date(session=session, slot=slot)
    mail.outbox.clear()
    newcomer = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("足立", "慎一郎", "あだち", "しんいちろう", email="adachi@example.jp"),
    )
    client.force_login(cast.clerk)
    client.post(reverse("meetings:invite_new_members", args=[session.pk]))
    assert [m.to for m in mail.outbox] == [["adachi@example.jp"]]
    assert session.invitations.filter(membership=newcomer).exists()
