"""Registering to watch a session (傍聴) on the public site: double opt-in (a seat is held
only once the address answers the emailed link), capacity, deadline, the same answer for
a new and an already registered address, rate limits, names that cannot pose as the
ministry's words in its email, the registrants' privacy and their deletion."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from secretariat import throttle
from secretariat.meetings import actions, tasks
from secretariat.meetings.models import GalleryRegistration, Session
from tests import factories as f

TOKYO_NOON = "2026-11-02 12:00 +0900"
NOW = datetime.fromisoformat("2026-11-02T12:00+09:00")
GALLERY_DEADLINE = datetime.fromisoformat("2026-11-30T17:00+09:00")
CLOSED = "この会議の傍聴の申込みは受け付けていません（締め切りました）。"
FULL = "傍聴の定員に達したため、申込みを締め切りました。"
ANSWER = (
    "お申込みを受け付けました。ご入力のメールアドレスに確認のメールをお送りしますので、"
    "24時間以内にメールのリンクを開いて申込みを確定してください。確定するまで席は確保されません。"
)
NOT_PLAIN = "URL、メールアドレス（@）、改行や制御文字は入力できません。"
THROTTLED = "お申込みが集中しているため、受け付けられませんでした。"


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(TOKYO_NOON, tick=False)


@pytest.fixture
def session(cast):
    """A scheduled session of a platform that takes observers: two seats, a deadline."""
    cast.platform.allows_observers = True
    cast.platform.secretariat_email = "jimukyoku@example.go.jp"
    cast.platform.save()
    return f.make_session(
        cast.platform,
        status=Session.Status.SCHEDULED,
        date=date(2026, 12, 2),
        gallery_capacity=2,
        gallery_deadline=GALLERY_DEADLINE,
    )


def _page_url(session):
    return reverse("public:session", args=[session.platform.slug, session.pk])


def _url(session):
    return reverse("public:gallery", args=[session.platform.slug, session.pk])


def _data(**fields):
    return {
        "name": "傍聴 太郎",
        "organisation": "横浜市",
        "email": "taro@mail.test",
        "agree": "on",
    } | fields


def _request(session, n, email=None, now=NOW):
    """A pending registration, as the form makes it."""
    return actions.register_for_gallery(
        session=session,
        name=f"既存 {n}",
        organisation="",
        email=email or f"existing{n}@mail.test",
        now=now,
    )


def _register(session, n, email=None):
    """A registration whose address answered the link: it holds a seat."""
    return actions.confirm_gallery_registration(registration=_request(session, n, email), now=NOW)


def _confirm_url(registration):
    session = registration.session
    return reverse(
        "public:gallery_confirm",
        args=[session.platform.slug, session.pk, registration.token],
    )


def _link_in(message):
    [link] = re.findall(r"http://\S+/gallery/confirm/\S+/", message.body)
    return link.removeprefix("http://127.0.0.1:8000")


def test_the_session_page_offers_the_form_while_open(client, session):
    html = client.get(_page_url(session)).content.decode()
    assert "傍聴の申込み" in html
    assert "定員 2名（先着順）" in html
    assert "申込期限: 令和8年11月30日（月） 17:00" in html
    assert f'action="{_url(session)}"' in html


def test_registering_holds_no_seat_until_the_address_confirms(
    client, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(session), _data(name=" 傍聴 太郎 "))
    assert response.status_code == 302
    assert response.url == _page_url(session)
    registration = GalleryRegistration.objects.get()
    assert (registration.session, registration.name, registration.organisation) == (
        session,
        "傍聴 太郎",
        "横浜市",
    )
    assert registration.email == "taro@mail.test"
    assert registration.confirmation_sent_at == NOW
    assert registration.confirmed_at is None
    assert not session.gallery_registrations.confirmed().exists()
    page = client.get(response.url).content.decode()
    assert ANSWER in page
    # The email: the ministry's fixed text first, the link, then what was typed, labelled.
    [message] = mail.outbox
    assert message.to == ["taro@mail.test"]
    assert message.reply_to == ["jimukyoku@example.go.jp"]
    assert message.subject == "【傍聴申込の確認】第3回 公共サービスイノベーション・プラットフォーム"
    assert message.body.startswith(
        "公共サービスイノベーション・プラットフォームです。\n"
        "第3回 公共サービスイノベーション・プラットフォームの傍聴のお申込みを、"
        "このメールアドレスで受け付けました。\n"
    )
    assert "24時間以内に次のリンクを開き" in message.body
    assert "お申込みの際に入力された内容\n氏名：傍聴 太郎\n所属：横浜市" in message.body
    assert message.body.index("傍聴 太郎") > message.body.index(_link_in(message))
    assert "令和8年12月2日（水）10:00～11:30" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert html.index("傍聴 太郎") > html.index("傍聴のお申込みを確定する")
    assert _link_in(message) == _confirm_url(registration)


def test_the_emailed_link_confirms_the_seat(client, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(session), _data())
    link = _link_in(mail.outbox[0])
    # Opening the link (as a mail scanner would) confirms nothing.
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "次の内容で傍聴のお申込みを確定します。" in html and "傍聴 太郎" in html
    assert '<form method="post"' in html
    assert not session.gallery_registrations.confirmed().exists()
    response = client.post(link)
    assert response.status_code == 200
    assert "傍聴のお申込みは確定しています。" in response.content.decode()
    registration = GalleryRegistration.objects.get()
    assert registration.confirmed_at == NOW
    # A second press changes nothing.
    assert client.post(link).status_code == 200
    registration.refresh_from_db()
    assert registration.confirmed_at == NOW


def test_pending_requests_do_not_fill_the_gallery(client, session):
    # The review's attack: one client, every seat. Pending requests hold none.
    for n in range(5):
        _request(session, n)
    assert client.post(_url(session), _data()).status_code == 302
    assert "定員 2名（先着順）" in client.get(_page_url(session)).content.decode()
    assert FULL not in client.get(_page_url(session)).content.decode()


def test_confirming_when_the_seats_are_gone_says_so(client, session):
    late = _request(session, 9)
    _register(session, 1)
    _register(session, 2)
    response = client.post(_confirm_url(late))
    assert response.status_code == 400
    html = response.content.decode()
    assert "お申込みを確定できませんでした。" in html and FULL in html
    late.refresh_from_db()
    assert late.confirmed_at is None
    assert session.gallery_registrations.confirmed().count() == 2


def test_the_link_expires_after_24_hours(client, session, time_machine):
    registration = _request(session, 1)
    time_machine.move_to(NOW + timedelta(hours=24, minutes=1), tick=False)
    page = client.get(_confirm_url(registration)).content.decode()
    assert "確認の期限が過ぎたため" in page and '<form method="post"' not in page
    response = client.post(_confirm_url(registration))
    assert response.status_code == 400
    assert "確認の期限（お申込みから24時間）が過ぎたため" in response.content.decode()
    registration.refresh_from_db()
    assert registration.confirmed_at is None


def test_the_link_still_works_at_24_hours(client, session, time_machine):
    registration = _request(session, 1)
    time_machine.move_to(NOW + timedelta(hours=24), tick=False)
    assert client.post(_confirm_url(registration)).status_code == 200
    registration.refresh_from_db()
    assert registration.confirmed_at is not None


def test_confirming_after_the_deadline_is_refused(client, session, time_machine):
    registration = _request(session, 1)
    time_machine.move_to("2026-11-30 17:01 +0900", tick=False)
    Session.objects.filter(pk=session.pk).update(gallery_deadline=GALLERY_DEADLINE)
    GalleryRegistration.objects.filter(pk=registration.pk).update(
        issued_at=datetime.fromisoformat("2026-11-30T12:00+09:00")
    )
    response = client.post(_confirm_url(registration))
    assert response.status_code == 400
    assert CLOSED in response.content.decode()
    registration.refresh_from_db()
    assert registration.confirmed_at is None


@pytest.mark.parametrize(
    ("token", "recorded"), [("nonsense", "nonsense"), ("WzEsImFiYyJd:1vQ2cH:forged", "…")]
)
def test_a_bad_link_is_refused_and_counted(client, session, token, recorded):
    url = reverse("public:gallery_confirm", args=[session.platform.slug, session.pk, token])
    response = client.get(url)
    assert response.status_code == 403
    assert "このリンクは正しくありません。" in response.content.decode()
    [attempt] = AccessAttempt.objects.all()
    assert attempt.username == "personal-link:gallery"
    # A token-shaped path segment is not stored: it may be somebody's revoked link.
    assert attempt.path_info == f"/councils/pf/meetings/{session.pk}/gallery/confirm/{recorded}/"


def test_a_link_for_another_session_is_refused(client, cast, session):
    other = f.make_session(
        cast.platform, status=Session.Status.SCHEDULED, date=date(2026, 12, 9), gallery_capacity=5
    )
    registration = _request(other, 1)
    url = reverse("public:gallery_confirm", args=["pf", session.pk, registration.token])
    assert client.post(url).status_code == 403
    registration.refresh_from_db()
    assert registration.confirmed_at is None


def test_guessing_links_is_blocked(client, session):
    base = f"/councils/pf/meetings/{session.pk}/gallery/confirm/"
    for n in range(19):
        assert client.get(f"{base}guess{n}/").status_code == 403
    # The twentieth bad link is answered with the 429 page, and so is every link after.
    assert client.get(f"{base}guess19/").status_code == 429
    registration = _request(session, 1)
    response = client.post(_confirm_url(registration))
    assert response.status_code == 429
    assert "アクセスを一時的に制限しています" in response.content.decode()
    registration.refresh_from_db()
    assert registration.confirmed_at is None
    assert client.get(_confirm_url(registration), REMOTE_ADDR="203.0.113.5").status_code == 200


def test_the_confirmation_goes_once_even_if_the_task_runs_twice(session):
    registration = _register(session, 1)  # not committed: the task has not run
    tasks.send_gallery_confirmation(registration.pk)
    tasks.send_gallery_confirmation(registration.pk)
    assert len(mail.outbox) == 1
    registration.refresh_from_db()
    assert registration.confirmation_sent_at == NOW


def test_a_full_gallery_is_refused(client, session, django_capture_on_commit_callbacks):
    _register(session, 1)
    _register(session, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(session), _data())
    assert response.status_code == 400
    html = response.content.decode()
    assert FULL in html
    assert 'value="傍聴 太郎"' in html  # what was typed is kept
    assert GalleryRegistration.objects.count() == 2
    assert not mail.outbox


def test_a_late_registration_is_refused(client, session, time_machine):
    time_machine.move_to("2026-11-30 17:01 +0900", tick=False)
    page = client.get(_page_url(session)).content.decode()
    assert f'action="{_url(session)}"' not in page
    response = client.post(_url(session), _data())
    assert response.status_code == 400
    assert CLOSED in response.content.decode()
    assert not GalleryRegistration.objects.exists()


def test_registering_at_the_deadline_is_accepted(client, session, time_machine):
    time_machine.move_to("2026-11-30 17:00 +0900", tick=False)
    assert client.post(_url(session), _data()).status_code == 302
    assert GalleryRegistration.objects.count() == 1


def test_an_address_already_registered_gets_the_same_answer(
    client, session, django_capture_on_commit_callbacks, time_machine
):
    # Before: 400 「このメールアドレスではすでに申し込まれています。」, an oracle for whether a
    # given person registered. Now the web answer is the new address's, and only the
    # address learns more, by email.
    _register(session, 1, email="taro@mail.test")
    mail.outbox.clear()
    time_machine.move_to(NOW + timedelta(minutes=30), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(_url(session), _data(name="別の名前"), follow=True)
        new = client.post(_url(session), _data(email="new@mail.test"), follow=True)
    assert known.status_code == new.status_code == 200
    assert ANSWER in known.content.decode() and ANSWER in new.content.decode()
    assert known.redirect_chain == new.redirect_chain
    assert list(GalleryRegistration.objects.order_by("pk").values_list("name", "email")) == [
        ("既存 1", "taro@mail.test"),
        ("傍聴 太郎", "new@mail.test"),
    ]
    registered, confirmation = mail.outbox
    assert registered.to == ["taro@mail.test"]
    assert registered.subject.startswith("【傍聴申込済みのお知らせ】")
    assert "このメールアドレスでのお申込みはすでに確定しています" in registered.body
    assert "別の名前" not in registered.body
    assert confirmation.to == ["new@mail.test"]


def test_a_pending_address_asking_again_gets_a_new_link(
    client, session, django_capture_on_commit_callbacks, time_machine
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(session), _data(name="最初の名前"))
    first_link = _link_in(mail.outbox[0])
    time_machine.move_to(NOW + timedelta(hours=20), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(session), _data(name="傍聴 太郎"))
    assert len(mail.outbox) == 2
    second_link = _link_in(mail.outbox[1])
    assert "氏名：傍聴 太郎" in mail.outbox[1].body
    registration = GalleryRegistration.objects.get()
    assert registration.name == "傍聴 太郎"
    # The earlier link stops working; the new one has 24 hours from the new request.
    assert client.post(first_link).status_code == 403
    time_machine.move_to(NOW + timedelta(hours=30), tick=False)
    assert client.post(second_link).status_code == 200
    registration.refresh_from_db()
    assert registration.confirmed_at is not None


def test_an_address_gets_one_email_in_ten_minutes(
    client, session, django_capture_on_commit_callbacks, time_machine
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            assert client.post(_url(session), _data()).status_code == 302
    assert len(mail.outbox) == 1
    time_machine.move_to(NOW + timedelta(minutes=10), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(session), _data())
    assert len(mail.outbox) == 2


def test_the_same_email_may_register_for_another_session(client, cast, session):
    other = f.make_session(
        cast.platform, status=Session.Status.SCHEDULED, date=date(2026, 12, 9), gallery_capacity=5
    )
    _register(other, 1, email="taro@mail.test")
    assert client.post(_url(session), _data()).status_code == 302
    assert GalleryRegistration.objects.count() == 2


def test_a_platform_without_observers_refuses(client, cast, session):
    cast.platform.allows_observers = False
    cast.platform.save()
    page = client.get(_page_url(session)).content.decode()
    assert "傍聴の申込み" not in page
    response = client.post(_url(session), _data())
    assert response.status_code == 400
    assert CLOSED in response.content.decode()
    assert not GalleryRegistration.objects.exists()


def test_a_session_without_a_capacity_takes_no_registrations(client, session):
    Session.objects.filter(pk=session.pk).update(gallery_capacity=None)
    response = client.post(_url(session), _data())
    assert response.status_code == 400
    assert CLOSED in response.content.decode()
    assert not GalleryRegistration.objects.exists()


def test_a_held_session_takes_no_registrations(client, cast):
    cast.platform.allows_observers = True
    cast.platform.save()
    Session.objects.filter(pk=cast.draft.pk).update(gallery_capacity=10)
    response = client.post(_url(cast.draft), _data())
    assert response.status_code == 400
    assert CLOSED in response.content.decode()
    assert not GalleryRegistration.objects.exists()


def test_a_session_that_is_not_public_is_404(client, cast):
    cast.platform.allows_observers = True
    cast.platform.save()
    assert client.post(_url(cast.planned), _data()).status_code == 404
    assert not GalleryRegistration.objects.exists()


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"agree": ""}, {"agree"}),
        ({"name": "", "email": "not-an-address"}, {"name", "email"}),
    ],
)
def test_the_form_must_be_complete(client, session, fields, errors):
    data = {k: v for k, v in _data(**fields).items() if v != ""}
    response = client.post(_url(session), data)
    assert response.status_code == 400
    assert response.context["gallery_form"].errors.keys() == errors
    assert not GalleryRegistration.objects.exists()


def test_registering_needs_a_post(client, session):
    assert client.get(_url(session)).status_code == 405


# Registrants stay private


def test_registrants_never_appear_on_public_pages(client, cast, session):
    _register(session, 1, email="hanako@mail.test")
    GalleryRegistration.objects.filter(email="hanako@mail.test").update(
        name="傍聴花子", organisation="傍聴者の会社"
    )
    pages = [
        client.get(_page_url(session)),
        client.get(reverse("public:sessions", args=["pf"])),
        client.get(reverse("public:platform", args=["pf"])),
        client.get(reverse("public:calendar", args=["pf"])),
        client.get(reverse("public:index")),
        # Someone else's refused registration re-renders the page: still nobody's data.
        client.post(_url(session), _data(name="別人", email="other@mail.test", agree="")),
    ]
    for response in pages:
        body = response.content.decode()
        for private in ("傍聴花子", "傍聴者の会社", "hanako@mail.test"):
            assert private not in body, (response.request["PATH_INFO"], private)


# Deleting registrations after the session


def test_purging_deletes_registrations_of_past_sessions_only(cast, session, time_machine):
    yesterday = f.make_session(
        cast.platform, status=Session.Status.HELD, date=date(2026, 11, 1), gallery_capacity=5
    )
    today = f.make_session(
        cast.platform, status=Session.Status.SCHEDULED, date=date(2026, 11, 2), gallery_capacity=5
    )
    for s in (yesterday, today, session):
        GalleryRegistration.objects.create(
            session=s, name="傍聴 太郎", email="taro@mail.test", organisation="", confirmed_at=NOW
        )
    # 00:30 in Tokyo is still the day before in UTC: "today" is the Tokyo day.
    time_machine.move_to("2026-11-02 00:30 +0900", tick=False)
    assert tasks.purge_gallery_registrations() == 1
    assert set(GalleryRegistration.objects.values_list("session", flat=True)) == {
        today.pk,
        session.pk,
    }
    assert tasks.purge_gallery_registrations() == 0


def test_purging_deletes_unanswered_requests(cast, session, time_machine):
    past = f.make_session(
        cast.platform, status=Session.Status.HELD, date=date(2026, 11, 1), gallery_capacity=5
    )
    GalleryRegistration.objects.create(session=past, name="過去", email="past@mail.test")
    answered = _register(session, 1)
    fresh = _request(session, 2)
    stale = _request(session, 3, now=NOW - timedelta(hours=25))
    GalleryRegistration.objects.filter(pk=stale.pk).update(issued_at=NOW - timedelta(hours=25))
    assert tasks.purge_gallery_registrations() == 2
    assert set(GalleryRegistration.objects.values_list("pk", flat=True)) == {answered.pk, fresh.pk}


# The last seat


def test_the_last_seat_cannot_be_taken_twice(session):
    _register(session, 1)  # one of the two seats left
    first = _request(session, 2, email="first@mail.test")
    second = _request(session, 3, email="second@mail.test")
    actions.confirm_gallery_registration(registration=first, now=NOW)
    with pytest.raises(ValidationError) as refused:
        actions.confirm_gallery_registration(registration=second, now=NOW)
    assert refused.value.messages == ["お申込みを確定できませんでした。", FULL]
    assert list(session.gallery_registrations.confirmed().values_list("email", flat=True)) == [
        "existing1@mail.test",
        "first@mail.test",
    ]


def test_the_last_seat_is_checked_against_the_database_not_the_page(session):
    # The session object was read when only one seat was taken; the count is read again.
    stale = Session.objects.get(pk=session.pk)
    late = _request(session, 9)
    late.session = stale
    _register(session, 1)
    _register(session, 2)
    with pytest.raises(ValidationError):
        actions.confirm_gallery_registration(registration=late, now=NOW)
    assert session.gallery_registrations.confirmed().count() == 2


# Rate limits


def test_one_client_cannot_send_the_form_in_bulk(
    client, session, django_capture_on_commit_callbacks
):
    # The review's burst: 44 registrations from one client in 2.4 s.
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(44):
            answers.append(client.post(_url(session), _data(email=f"fake{n}@mail.test")))
    assert [r.status_code for r in answers[:10]] == [302] * 10
    assert {r.status_code for r in answers[10:]} == {429}
    html = answers[-1].content.decode()
    assert THROTTLED in html and 'value="傍聴 太郎"' in html
    assert GalleryRegistration.objects.count() == 10
    assert len(mail.outbox) == 10
    assert not session.gallery_registrations.confirmed().exists()
    # Another client is not affected.
    assert client.post(_url(session), _data(), REMOTE_ADDR="203.0.113.5").status_code == 302


def test_many_clients_cannot_flood_one_session(client, session, monkeypatch):
    monkeypatch.setattr(throttle, "GALLERY_PER_SESSION", (30, 3600))  # 500 in production
    for n in range(30):
        address = f"203.0.{n // 200}.{n % 200 + 1}"
        response = client.post(_url(session), _data(email=f"x{n}@mail.test"), REMOTE_ADDR=address)
        assert response.status_code == 302
    response = client.post(_url(session), _data(), REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429
    assert GalleryRegistration.objects.count() == 30


def test_the_addresses_of_one_ipv6_subscriber_count_as_one_client(client, session):
    """One subscriber holds a whole /64: its addresses share one allowance."""
    for n in range(10):
        address = f"2001:db8:0:1::{n + 1:x}"
        response = client.post(_url(session), _data(email=f"x{n}@mail.test"), REMOTE_ADDR=address)
        assert response.status_code == 302
    assert client.post(_url(session), _data(), REMOTE_ADDR="2001:db8:0:1::ff").status_code == 429
    assert client.post(_url(session), _data(), REMOTE_ADDR="2001:db8:0:2::1").status_code == 302


def test_the_limit_is_an_hour(client, session, time_machine):
    for n in range(10):
        client.post(_url(session), _data(email=f"x{n}@mail.test"))
    assert client.post(_url(session), _data()).status_code == 429
    time_machine.move_to("2026-11-02 13:00 +0900", tick=False)
    assert client.post(_url(session), _data()).status_code == 302


# Names that could pose as the ministry's words


@pytest.mark.parametrize(
    "name",
    [
        "【重要】本人確認が必要です https://evil.example/verify",
        "evil.example/verify",
        "www.evil",
        "太郎 taro@evil.example",
        "ｈｔｔｐｓ：／／ｅｖｉｌ．ｅｘａｍｐｌｅ",  # full width
        "傍聴 太郎＠",
        "傍聴 太郎\n【重要】こちらをご確認ください",
        "傍聴 太郎\r\nBcc: x",
        "傍聴\t太郎",
        "x.com/verify",
        "t.me/phish",
        "g.co/x",
        "203.0.113.5/verify",
        "例え.jp",
        "evil。example",
    ],
)
def test_names_with_links_or_line_breaks_are_refused(client, session, name):
    response = client.post(_url(session), _data(name=name))
    assert response.status_code == 400
    assert response.context["gallery_form"].errors == {"name": [NOT_PLAIN]}
    assert NOT_PLAIN in response.content.decode()
    assert not GalleryRegistration.objects.exists()
    assert not mail.outbox


def test_a_bidi_override_in_a_name_is_stripped_before_anything_else(client, session):
    client.post(_url(session), _data(name="\u202e太郎"))
    assert GalleryRegistration.objects.get().name == "太郎"


def test_an_organisation_with_a_link_is_refused(client, session):
    response = client.post(_url(session), _data(organisation="https://evil.example"))
    assert response.context["gallery_form"].errors == {"organisation": [NOT_PLAIN]}


@pytest.mark.parametrize(
    "name", ["傍聴 太郎", "J. Smith", "O'Brien, Mary", "山田・花子", "ｻﾄｳ ﾊﾅｺ"]
)
def test_ordinary_names_are_accepted(client, session, name):
    assert client.post(_url(session), _data(name=name)).status_code == 302


def test_the_action_refuses_such_names_too(session):
    with pytest.raises(ValidationError):
        actions.register_for_gallery(
            session=session, name="https://evil.example", organisation="", email="a@b.test", now=NOW
        )
    assert not GalleryRegistration.objects.exists()


def test_the_confirmation_page_in_english(client, session):
    registration = _request(session, 1)
    client.cookies["django_language"] = "en"
    html = client.get(_confirm_url(registration)).content.decode()
    assert "Confirm your gallery registration" in html
    assert ">Confirm registration</button>" in html
    response = client.post(_url(session), _data(name="https://evil.example"))
    assert "URLs, email addresses (@), line breaks" in response.content.decode()
