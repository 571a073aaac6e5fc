"""The sent-mail pages (list, detail, .ics, retry) and which messages go out when a
scheduled session changes: one update per member, none for the topics, and an invitation
still waiting to go out replaced by the update rather than sent stale."""

from __future__ import annotations

import html as html_lib
from datetime import date, datetime, time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from secretariat.meetings import actions, tasks
from secretariat.meetings.models import Delivery, Session
from tests import factories as f
from tests.exports.test_ics import check_with_icaljs

TOKYO_NOON = "2026-11-02 12:00 +0900"
DEADLINE = datetime.fromisoformat("2026-11-25T17:00+09:00")
INVITE_SUBJECT = (
    "【開催案内】第3回 公共サービスイノベーション・プラットフォーム（令和8年12月2日（水））"
)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(TOKYO_NOON, tick=False)


@pytest.fixture
def members(cast):
    second = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("森本", "登志男", "もりもと", "としお", email="morimoto@example.jp"),
    )
    ministry = f.make_membership(
        cast.platform, cast.member.category, organisation=f.make_organisation("総務省")
    )
    return {"takeyama": cast.member, "morimoto": second, "ministry": ministry}


def _fix(session):
    slot = actions.add_slot(session=session, day=date(2026, 12, 2), start=time(10), end=time(12))
    actions.fix_date(session=session, slot=slot, reply_deadline=DEADLINE)
    session.refresh_from_db()
    return session


@pytest.fixture
def session(cast, members, django_capture_on_commit_callbacks):
    """The planned session scheduled, its invitations sent."""
    with django_capture_on_commit_callbacks(execute=True):
        _fix(cast.planned)
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    return cast.planned


def _delivery(session, membership, kind=Delivery.Kind.INVITE):
    return Delivery.objects.get(
        invitation__session=session, invitation__membership=membership, kind=kind
    )


def _login_url(url):
    return f"{reverse('login')}?next={url}"


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The list


def _list_url(slug="pf"):
    return reverse("meetings:mail", args=[slug])


def test_the_list_shows_every_message(client, cast, session, members):
    other_session = f.make_session(cast.other_platform, status=Session.Status.SCHEDULED)
    stranger = f.make_membership(
        cast.other_platform,
        f.make_category(cast.other_platform),
        f.make_person("他", "人", "た", "ひと", email="other@example.jp"),
    )
    Delivery.objects.create(
        invitation=other_session.invitations.create(membership=stranger),
        kind=Delivery.Kind.INVITE,
    )
    client.force_login(cast.clerk)
    response = client.get(_list_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(INVITE_SUBJECT) == 2
    assert "武山\u3000政直" in html and "森本\u3000登志男" in html
    assert "開催案内" in html and "送信済み" in html
    assert (
        reverse("meetings:mail_detail", args=[_delivery(session, members["takeyama"]).pk]) in html
    )
    assert "他\u3000人" not in html
    assert len(response.context["page"]) == 2


def test_the_list_shows_a_failure_and_its_error(client, cast, session, members):
    delivery = _delivery(session, members["morimoto"])
    delivery.status = Delivery.Status.FAILED
    delivery.last_error = "ConnectionRefusedError: SMTP server is down"
    delivery.save()
    client.force_login(cast.viewer)
    html = client.get(_list_url()).content.decode()
    assert "送信失敗（再送します）" in html
    assert "ConnectionRefusedError: SMTP server is down" in html


def test_the_list_access(client, cast, session):
    url = _list_url()
    assert client.get(url).url == _login_url(url)
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.post(url).status_code == 405


def test_the_list_query_count_does_not_grow(
    client, cast, session, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    one = _count_queries(client, _list_url())
    newcomers = [
        f.make_membership(
            cast.platform,
            cast.member.category,
            f.make_person("委員", f"{n}号", "いいん", "ごう", email=f"m{n}@example.jp"),
        )
        for n in range(10)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_members(session=session, memberships=newcomers)
    assert Delivery.objects.count() == 12
    assert _count_queries(client, _list_url()) == one


# The detail and its .ics


def _detail_url(delivery):
    return reverse("meetings:mail_detail", args=[delivery.pk])


def test_the_detail_shows_the_message_as_sent(client, cast, session, members):
    delivery = _delivery(session, members["takeyama"])
    client.force_login(cast.viewer)
    response = client.get(_detail_url(delivery))
    assert response.status_code == 200
    html = response.content.decode()
    assert "開催案内 — 武山\u3000政直" in html
    # Headers are shown decoded, not as MIME encoded-words.
    assert f'<th scope="row">Subject</th><td>{INVITE_SUBJECT}</td>' in html
    assert "=?utf-8?" not in html
    assert "takeyama@example.jp" in html
    # The text body, readable (8bit UTF-8, not \uXXXX escapes).
    text = html_lib.unescape(html)
    assert "\\u" not in text
    assert "武山\u3000政直 様" in text
    assert (
        "下記のとおり第3回 公共サービスイノベーション・プラットフォームを開催いたします。" in text
    )
    assert "回答期限：令和8年11月25日（水） 17:00" in text
    # And the calendar part.
    assert "BEGIN:VCALENDAR" in text and "METHOD:REQUEST" in text
    assert reverse("meetings:mail_ics", args=[delivery.pk]) in html
    assert "送信済み" in html and "今すぐ再送" not in html


def test_the_ics_is_the_calendar_part_and_passes_icaljs(client, cast, session, members, tmp_path):
    delivery = _delivery(session, members["takeyama"])
    client.force_login(cast.viewer)
    response = client.get(reverse("meetings:mail_ics", args=[delivery.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [checked] = check_with_icaljs(response.content, "REQUEST", tmp_path)
    assert checked["uid"] == f"{session.uid}@secretariat"
    assert checked["sequence"] == 0
    assert checked["startUTC"] == "2026-12-02T01:00:00Z"
    assert [a["address"] for a in checked["attendees"]] == ["mailto:takeyama@example.jp"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "第3回 公共サービスイノベーション・プラットフォーム"


def test_the_sent_mail_pages_never_show_a_personal_link(client, cast, session, members):
    """A read-only viewer used to read the member's link off this page and then answer as
    the member: the page says that a link was there, and shows no token."""
    delivery = _delivery(session, members["takeyama"])
    token = delivery.invitation.token
    for user in (cast.viewer, cast.clerk):
        client.force_login(user)
        html = html_lib.unescape(client.get(_detail_url(delivery)).content.decode())
        assert "出欠のご回答・変更" in html
        assert "［個人用リンク（表示しません）］" in html
        ics = client.get(reverse("meetings:mail_ics", args=[delivery.pk])).content.decode()
        for shown in (html, ics.replace("\r\n ", "")):
            assert token not in shown
            assert token[:20] not in shown


def test_the_calendar_invite_carries_no_personal_link(cast, session, members):
    """The email's text carries the member's link; the attached event does not: it is
    copied into calendar services and shared calendars, where a link would open the
    member's pages (members-only materials included) to whoever reads the calendar."""
    delivery = _delivery(session, members["takeyama"])
    email = tasks.build_delivery_email(delivery)
    token = delivery.invitation.token
    assert token in email.body
    [ics] = [content for name, content, kind in email.attachments if name.endswith(".ics")]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert token not in ics.replace("\r\n ", "") and "/m/" not in ics.replace("\r\n ", "")
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert "個人用のリンクからお願いします" in str(event["DESCRIPTION"])
    # Announced on the public site: the event links to its public page.
    assert str(event["URL"]).endswith(f"/councils/{cast.platform.slug}/meetings/{session.pk}/")


def test_a_message_without_a_calendar_has_no_ics(client, cast, members):
    with_poll = cast.planned
    actions.add_slot(session=with_poll, day=date(2026, 12, 2), start=time(10), end=time(12))
    actions.open_poll(session=with_poll)
    tasks.send_session_deliveries(with_poll.pk)
    delivery = _delivery(with_poll, members["takeyama"], Delivery.Kind.POLL)
    client.force_login(cast.clerk)
    page = client.get(_detail_url(delivery)).content.decode()
    assert "【日程調整のお願い】" in page
    assert "カレンダーの予定（.ics）" not in page
    response = client.get(reverse("meetings:mail_ics", args=[delivery.pk]))
    assert response.status_code == 404
    assert "このメールにカレンダーの予定はありません。" in response.content.decode()


def test_a_message_not_sent_yet_shows_its_state(client, cast, members):
    _fix(cast.planned)  # recorded, not sent: nothing committed
    delivery = _delivery(cast.planned, members["takeyama"])
    client.force_login(cast.clerk)
    html = client.get(_detail_url(delivery)).content.decode()
    assert "送信待ち" in html
    assert client.get(reverse("meetings:mail_ics", args=[delivery.pk])).status_code == 404


def test_the_detail_and_ics_access(client, cast, session, members):
    delivery = _delivery(session, members["takeyama"])
    for url in (_detail_url(delivery), reverse("meetings:mail_ics", args=[delivery.pk])):
        client.logout()
        assert client.get(url).url == _login_url(url)
        client.force_login(cast.other_clerk)
        assert client.get(url).status_code == 404
        client.force_login(cast.clerk)
        assert client.post(url).status_code == 405


# Failed messages and retrying them


@pytest.fixture
def failed(cast, members, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP server is down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        _fix(cast.planned)
    monkeypatch.undo()
    delivery = _delivery(cast.planned, members["takeyama"])
    assert delivery.status == Delivery.Status.FAILED
    return delivery


def test_a_failed_message_shows_its_error_and_a_retry_button(client, cast, failed):
    client.force_login(cast.clerk)
    html = client.get(_detail_url(failed)).content.decode()
    assert "送信失敗（再送します）" in html
    assert "ConnectionRefusedError: SMTP server is down" in html
    assert reverse("meetings:mail_retry", args=[failed.pk]) in html


def test_retrying_a_failed_message_sends_it(
    client, cast, failed, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:mail_retry", args=[failed.pk]), follow=True)
    assert response.redirect_chain[-1][0] == _detail_url(failed)
    assert "再送します。" in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 2, "")
    assert failed.subject == INVITE_SUBJECT
    assert ["takeyama@example.jp"] in [m.to for m in mail.outbox]


def test_only_a_failed_message_can_be_retried(client, cast, session, members):
    delivery = _delivery(session, members["takeyama"])
    client.force_login(cast.clerk)
    response = client.post(reverse("meetings:mail_retry", args=[delivery.pk]), follow=True)
    assert "送信に失敗したメールだけを再送できます。" in response.content.decode()
    assert not mail.outbox
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_retrying_access(client, cast, failed):
    url = reverse("meetings:mail_retry", args=[failed.pk])
    assert client.post(url).url == _login_url(url)
    client.force_login(cast.viewer)
    assert client.get(_detail_url(failed)).status_code == 200
    assert client.post(url).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.post(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert not mail.outbox


# What goes out when a scheduled session changes


def _edit(client, session, **changes):
    data = {
        "kind": session.kind,
        "topics": session.topics,
        "status": session.status,
        "number": str(session.number),
        "date": f"{session.date:%Y-%m-%d}",
        "start_time": f"{session.start_time:%H:%M}",
        "end_time": f"{session.end_time:%H:%M}",
        "venue_name": session.venue_name,
        "venue_address": session.venue_address,
        "reply_deadline": "2026-11-25T17:00",
    }
    return client.post(reverse("meetings:session_edit", args=[session.pk]), data | changes)


def test_changing_time_and_venue_sends_one_update_each(
    client, cast, session, members, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(
            client, session, start_time="14:00", end_time="16:00", venue_name="合同庁舎4号館"
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.ical_sequence == 1
    updates = Delivery.objects.filter(kind=Delivery.Kind.UPDATE)
    assert sorted(d.invitation.membership.pk for d in updates) == sorted(
        [members["takeyama"].pk, members["morimoto"].pk]
    )
    assert {(d.sequence, d.status) for d in updates} == {(1, "sent")}
    assert sorted(m.to[0] for m in mail.outbox) == ["morimoto@example.jp", "takeyama@example.jp"]
    message = mail.outbox[0]
    assert message.subject.startswith("【変更】第3回")
    assert "合同庁舎4号館" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    [checked] = check_with_icaljs(message.attachments[0].content, "REQUEST", tmp_path)
    assert (checked["sequence"], checked["startUTC"]) == (1, "2026-12-02T05:00:00Z")


def test_editing_only_the_topics_sends_nothing(
    client, cast, session, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        assert _edit(client, session, topics="議題を追記しました").status_code == 302
    session.refresh_from_db()
    assert (session.topics, session.ical_sequence) == ("議題を追記しました", 0)
    assert not Delivery.objects.filter(kind=Delivery.Kind.UPDATE).exists()
    assert not mail.outbox


def test_an_invitation_still_waiting_is_superseded_by_the_update(cast, members):
    session = _fix(cast.planned)  # the invitations are recorded, not yet sent
    session.start_time, session.end_time = time(14), time(16)
    actions.save_session(session=session)  # edited before the sending task ran
    assert session.ical_sequence == 1
    tasks.send_session_deliveries(session.pk)
    invites = Delivery.objects.filter(kind=Delivery.Kind.INVITE)
    assert {(d.sequence, d.status, d.attempts) for d in invites} == {(0, "superseded", 0)}
    updates = Delivery.objects.filter(kind=Delivery.Kind.UPDATE)
    assert {(d.sequence, d.status) for d in updates} == {(1, "sent")}
    # One message each, with the new time: nobody gets the stale invitation.
    assert sorted(m.to[0] for m in mail.outbox) == ["morimoto@example.jp", "takeyama@example.jp"]
    for message in mail.outbox:
        event = Calendar.from_ical(message.attachments[0].content).walk("VEVENT")[0]
        assert (event["SEQUENCE"], event.decoded("DTSTART").hour) == (1, 14)
    # Running the task again sends nothing more.
    tasks.send_session_deliveries(session.pk)
    assert len(mail.outbox) == 2


def test_cancelling_sends_one_cancellation_each(
    client, cast, session, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, session, status="cancelled")
    session.refresh_from_db()
    assert session.ical_sequence == 1
    assert Delivery.objects.filter(kind=Delivery.Kind.CANCEL, sequence=1).count() == 2
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject.startswith("【開催中止】")
    [checked] = check_with_icaljs(mail.outbox[0].attachments[0].content, "CANCEL", tmp_path)
    assert checked["status"] == "CANCELLED"
