"""tasks.send_upload_requests and tasks.remind_late_presenters: each presenter with an
address is asked once for their materials with their personal upload link; those who
have uploaded nothing by the deadline are reminded once, and staff see them flagged."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core import mail
from django.urls import reverse

from documents import tasks
from secretariat.meetings.models import AgendaItem, Presenter
from tests import factories as f

DEADLINE = datetime.fromisoformat("2015-09-07T17:00+09:00")
BEFORE = "2015-09-01 10:00 +0900"
AFTER = "2015-09-07 18:00 +0900"


@pytest.fixture
def hearing(cast, time_machine):
    time_machine.move_to(BEFORE, tick=False)
    cast.platform.secretariat_email = "jimukyoku@example.go.jp"
    cast.platform.secretariat_office = "内閣府公共サービス改革推進室"
    cast.platform.save()
    session = cast.published
    item = f.make_agenda_item(
        session,
        "関係省庁ヒアリング（アウトソーシング等について）",
        order=1,
        kind=AgendaItem.Kind.HEARING,
        minutes=60,
    )

    def presenter(**fields):
        return Presenter.objects.create(agenda_item=item, upload_deadline=DEADLINE, **fields)

    return {
        "session": session,
        "item": item,
        "soumu": presenter(
            organisation=f.make_organisation("総務省"),
            name="山田　太郎",
            title="自治行政局長",
            email="soumu@example.jp",
        ),
        "member": presenter(membership=cast.member),  # the member's own address
        "mlit": presenter(
            organisation=f.make_organisation("国土交通省"), name="佐藤　次郎", email="mlit@ex.jp"
        ),
        "expert": presenter(name="田中　一郎", title="慶應義塾大学教授"),  # no address
    }


def _recipients():
    return sorted(m.to[0] for m in mail.outbox)


def _message_to(address):
    return next(m for m in mail.outbox if m.to == [address])


# --- requests ---------------------------------------------------------------------------


def test_each_presenter_with_an_address_gets_a_request(hearing):
    assert tasks.send_upload_requests(hearing["session"].pk) == 3
    assert _recipients() == ["mlit@ex.jp", "soumu@example.jp", "takeyama@example.jp"]
    for key in ("soumu", "member", "mlit"):
        hearing[key].refresh_from_db()
        assert hearing[key].requested_at == datetime.fromisoformat("2015-09-01T10:00+09:00")
    hearing["expert"].refresh_from_db()
    assert hearing["expert"].requested_at is None


def test_the_request_carries_the_personal_link_and_the_deadline(settings, hearing):
    settings.SITE_URL = "https://secretariat.example.go.jp"
    tasks.send_upload_requests(hearing["session"].pk)
    message = _message_to("soumu@example.jp")
    assert message.subject == (
        "【資料ご提出のお願い】第1回 公共サービスイノベーション・プラットフォーム"
    )
    assert message.reply_to == ["jimukyoku@example.go.jp"]
    link = "https://secretariat.example.go.jp" + reverse(
        "documents:upload", args=[hearing["soumu"].token]
    )
    body = message.body
    assert body.startswith("総務省 自治行政局長 山田　太郎 御中")
    assert "議事「関係省庁ヒアリング（アウトソーシング等について）」" in body
    assert "平成27年9月14日（月）10:00～11:30" in body
    assert "提出期限：平成27年9月7日（月） 17:00" in body
    assert link in body
    assert "内閣府公共サービス改革推進室" in body
    assert "&amp;" not in body and "&lt;" not in body  # plain text is not HTML-escaped
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{link}">資料を提出する</a>' in html
    assert "提出期限：平成27年9月7日（月） 17:00" in html
    # Each presenter gets their own link.
    member_body = _message_to("takeyama@example.jp").body
    assert member_body.startswith("武山委員 御中")
    assert hearing["member"].token in member_body
    assert hearing["soumu"].token not in member_body


def test_a_second_run_sends_nothing_again(hearing):
    assert tasks.send_upload_requests(hearing["session"].pk) == 3
    first = {p.pk: p.requested_at for p in Presenter.objects.all()}
    assert tasks.send_upload_requests(hearing["session"].pk) == 0
    assert len(mail.outbox) == 3
    assert {p.pk: p.requested_at for p in Presenter.objects.all()} == first


def test_revoked_presenters_and_other_sessions_are_left_alone(cast, hearing):
    hearing["mlit"].revoked_at = DEADLINE
    hearing["mlit"].save()
    elsewhere = Presenter.objects.create(
        agenda_item=f.make_agenda_item(cast.draft, "第2回の議事"), name="高橋", email="t@ex.jp"
    )
    assert tasks.send_upload_requests(hearing["session"].pk) == 2
    assert _recipients() == ["soumu@example.jp", "takeyama@example.jp"]
    elsewhere.refresh_from_db()
    assert elsewhere.requested_at is None


def test_an_address_added_later_gets_its_request_then(hearing):
    tasks.send_upload_requests(hearing["session"].pk)
    mail.outbox.clear()
    hearing["expert"].email = "tanaka@example.ac.jp"
    hearing["expert"].save()
    assert tasks.send_upload_requests(hearing["session"].pk) == 1
    assert _recipients() == ["tanaka@example.ac.jp"]
    assert _message_to("tanaka@example.ac.jp").body.startswith("慶應義塾大学教授 田中　一郎 御中")


# --- reminders ---------------------------------------------------------------------------


@pytest.fixture
def requested(hearing):
    tasks.send_upload_requests(hearing["session"].pk)
    mail.outbox.clear()
    return hearing


def test_no_reminder_before_the_deadline(requested, time_machine):
    time_machine.move_to("2015-09-07 17:00 +0900", tick=False)  # the deadline itself
    assert tasks.remind_late_presenters() == 0
    assert not mail.outbox
    assert not Presenter.objects.filter(reminded_at__isnull=False).exists()


def test_presenters_with_nothing_uploaded_are_reminded_once(requested, time_machine):
    f.make_material(
        requested["session"],
        label="資料5",
        title="国土交通省提出資料",
        agenda_item=requested["item"],
        presenter=requested["mlit"],
    )
    time_machine.move_to(AFTER, tick=False)
    assert tasks.remind_late_presenters() == 2
    # Not 国土交通省, which uploaded; not the expert, who was never asked (no address).
    assert _recipients() == ["soumu@example.jp", "takeyama@example.jp"]
    for key, reminded in (("soumu", True), ("member", True), ("mlit", False), ("expert", False)):
        requested[key].refresh_from_db()
        assert (requested[key].reminded_at is not None) is reminded, key
    message = _message_to("soumu@example.jp")
    assert message.subject == (
        "【再送・資料ご提出のお願い】第1回 公共サービスイノベーション・プラットフォーム"
    )
    assert message.body.startswith("総務省 自治行政局長 山田　太郎 御中")
    assert "ご説明資料を、まだいただいておりません。" in message.body
    assert "議題：テストの議題について" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "ご説明資料を、まだいただいておりません。" in html

    # The next hourly run: nobody twice.
    time_machine.move_to("2015-09-07 19:00 +0900", tick=False)
    assert tasks.remind_late_presenters() == 0
    assert len(mail.outbox) == 2


def test_a_revoked_presenter_is_not_reminded(requested, time_machine):
    requested["soumu"].revoked_at = DEADLINE
    requested["soumu"].save()
    time_machine.move_to(AFTER, tick=False)
    tasks.remind_late_presenters()
    assert "soumu@example.jp" not in _recipients()


def test_late_presenters_are_flagged_to_staff(client, cast, requested, time_machine):
    time_machine.move_to(AFTER, tick=False)
    url = reverse("meetings:presenters", args=[requested["session"].pk])
    client.force_login(cast.clerk)
    html = client.get(url).content.decode()
    assert html.count("期限切れ・未提出") == 4
    assert "督促済み" not in html
    tasks.remind_late_presenters()
    html = client.get(url).content.decode()
    assert html.count("期限切れ・未提出") == 4
    assert html.count("督促済み") == 3
