"""tasks.send_reply_reminders: once per member who has not replied, within the platform's
reminder window before the deadline, never after it."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from secretariat.meetings import actions, tasks
from secretariat.meetings.models import Delivery, Session
from tests import factories as f

DEADLINE = datetime.fromisoformat("2026-11-25T17:00+09:00")
IN_THE_WINDOW = "2026-11-23 09:00 +0900"  # the default window opens 3 days before: 11-22 17:00


@pytest.fixture
def members(cast):
    replied = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("森本", "登志男", "もりもと", "としお", email="morimoto@example.jp"),
    )
    waiting = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("高橋", "進", "たかはし", "すすむ", email="takahashi@example.jp"),
    )
    ministry = f.make_membership(
        cast.platform, cast.member.category, organisation=f.make_organisation("総務省")
    )
    return {"takeyama": cast.member, "replied": replied, "waiting": waiting, "ministry": ministry}


@pytest.fixture
def session(cast, members, time_machine, django_capture_on_commit_callbacks):
    """Scheduled on 2026-11-02 with a deadline on 11-25; invitations sent; one reply in."""
    time_machine.move_to("2026-11-02 12:00 +0900", tick=False)
    slot = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 2), start=time(10), end=time(12)
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.fix_date(session=cast.planned, slot=slot, reply_deadline=DEADLINE)
    cast.planned.invitations.get(membership=members["replied"]).record_reply(
        reply="attending", now=DEADLINE
    )
    mail.outbox.clear()
    return cast.planned


def _reminded():
    return sorted(m.to[0] for m in mail.outbox)


def test_nothing_before_the_window(session, time_machine):
    time_machine.move_to("2026-11-22 16:59 +0900", tick=False)
    assert tasks.send_reply_reminders() == 0
    assert not mail.outbox
    assert not Delivery.objects.filter(kind=Delivery.Kind.REMINDER).exists()


def test_members_who_have_not_replied_are_reminded_once(session, members, time_machine):
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    assert tasks.send_reply_reminders() == 2
    # Not the one who replied, and not the ministry, which has no address.
    assert _reminded() == ["takahashi@example.jp", "takeyama@example.jp"]
    reminders = Delivery.objects.filter(kind=Delivery.Kind.REMINDER)
    assert {(d.status, d.sequence) for d in reminders} == {("sent", 0)}
    message = next(m for m in mail.outbox if m.to == ["takeyama@example.jp"])
    assert message.subject == (
        "【出欠ご回答のお願い】第3回 公共サービスイノベーション・プラットフォーム"
    )
    assert "武山\u3000政直 様" in message.body
    assert "回答期限（令和8年11月25日（水） 17:00）までに" in message.body
    invitation = session.invitations.get(membership=members["takeyama"])
    assert f"/m/{invitation.token}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "出欠を回答する" in html
    assert not message.attachments


def test_running_twice_reminds_nobody_twice(session, time_machine):
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    tasks.send_reply_reminders()
    time_machine.move_to("2026-11-24 09:00 +0900", tick=False)
    assert tasks.send_reply_reminders() == 0
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(kind=Delivery.Kind.REMINDER).count() == 2


def test_a_member_who_replies_in_the_window_is_not_reminded(session, members, time_machine):
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    invitation = session.invitations.get(membership=members["waiting"])
    invitation.record_reply(reply="absent", now=DEADLINE)
    tasks.send_reply_reminders()
    assert _reminded() == ["takeyama@example.jp"]


def test_a_revoked_link_is_not_reminded(session, members, time_machine):
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    session.invitations.get(membership=members["waiting"]).revoke(DEADLINE)
    tasks.send_reply_reminders()
    assert _reminded() == ["takeyama@example.jp"]


def test_nothing_after_the_deadline(session, time_machine):
    time_machine.move_to("2026-11-25 17:01 +0900", tick=False)
    assert tasks.send_reply_reminders() == 0
    assert not mail.outbox


def test_the_window_is_the_platforms(cast, session, time_machine):
    cast.platform.reminder_days_before = 1
    cast.platform.save()
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    assert tasks.send_reply_reminders() == 0
    time_machine.move_to("2026-11-24 17:00 +0900", tick=False)
    assert tasks.send_reply_reminders() == 2


def test_only_scheduled_sessions_are_reminded(session, time_machine):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    assert tasks.send_reply_reminders() == 0
    assert not mail.outbox


def test_a_session_without_a_deadline_is_never_reminded(session, time_machine):
    Session.objects.filter(pk=session.pk).update(reply_deadline=None)
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    assert tasks.send_reply_reminders() == 0


def test_a_failed_reminder_is_not_retried_once_it_no_longer_applies(
    session, members, time_machine, monkeypatch
):
    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP server is down")

    time_machine.move_to(IN_THE_WINDOW, tick=False)
    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    tasks.send_reply_reminders()
    monkeypatch.undo()
    assert Delivery.objects.filter(kind=Delivery.Kind.REMINDER, status="failed").count() == 2
    # One member replies meanwhile; then the deadline passes before the retry runs.
    session.invitations.get(membership=members["waiting"]).record_reply(
        reply="attending", now=DEADLINE
    )
    tasks.retry_failed_deliveries()
    assert _reminded() == ["takeyama@example.jp"]
    time_machine.move_to("2026-11-25 17:01 +0900", tick=False)
    Delivery.objects.filter(kind=Delivery.Kind.REMINDER, status="sent").update(status="failed")
    mail.outbox.clear()
    tasks.retry_failed_deliveries()
    assert not mail.outbox
    assert set(
        Delivery.objects.filter(kind=Delivery.Kind.REMINDER).values_list("status", flat=True)
    ) == {"superseded"}
