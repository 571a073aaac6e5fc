"""Registering to watch a session (傍聴) on the public site: capacity, deadline, duplicates,
the confirmation email, the registrants' privacy and their deletion after the session."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from secretariat.meetings import actions, tasks
from secretariat.meetings.models import GalleryRegistration, Session
from tests import factories as f

TOKYO_NOON = "2026-11-02 12:00 +0900"
NOW = datetime.fromisoformat("2026-11-02T12:00+09:00")
GALLERY_DEADLINE = datetime.fromisoformat("2026-11-30T17:00+09:00")
CLOSED = "この会議の傍聴の申込みは受け付けていません（締め切りました）。"
FULL = "傍聴の定員に達したため、申込みを締め切りました。"


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


def _register(session, n, email=None):
    return actions.register_for_gallery(
        session=session,
        name=f"既存 {n}",
        organisation="",
        email=email or f"existing{n}@mail.test",
        now=NOW,
    )


def test_the_session_page_offers_the_form_while_open(client, session):
    html = client.get(_page_url(session)).content.decode()
    assert "傍聴の申込み" in html
    assert "定員 2名（先着順）" in html
    assert "申込期限: 令和8年11月30日（月） 17:00" in html
    assert f'action="{_url(session)}"' in html


def test_registering(client, session, django_capture_on_commit_callbacks):
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
    page = client.get(response.url).content.decode()
    assert "傍聴のお申込みを受け付けました。確認のメールをお送りしました。" in page
    # The confirmation email, once.
    [message] = mail.outbox
    assert message.to == ["taro@mail.test"]
    assert message.reply_to == ["jimukyoku@example.go.jp"]
    assert message.subject == "【傍聴申込受付】第3回 公共サービスイノベーション・プラットフォーム"
    assert "傍聴 太郎 様" in message.body
    assert "令和8年12月2日（水）10:00～11:30" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "傍聴 太郎 様" in html


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


def test_a_duplicate_email_is_refused(client, session):
    _register(session, 1, email="taro@mail.test")
    response = client.post(_url(session), _data(name="別の名前"))
    assert response.status_code == 400
    assert "このメールアドレスではすでに申し込まれています。" in response.content.decode()
    assert list(GalleryRegistration.objects.values_list("name", flat=True)) == ["既存 1"]


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
            session=s, name="傍聴 太郎", email="taro@mail.test", organisation=""
        )
    # 00:30 in Tokyo is still the day before in UTC: "today" is the Tokyo day.
    time_machine.move_to("2026-11-02 00:30 +0900", tick=False)
    assert tasks.purge_gallery_registrations() == 1
    assert set(GalleryRegistration.objects.values_list("session", flat=True)) == {
        today.pk,
        session.pk,
    }
    assert tasks.purge_gallery_registrations() == 0


# The last seat


def test_the_last_seat_cannot_be_taken_twice(session):
    _register(session, 1)  # one of the two seats left
    first = actions.register_for_gallery(
        session=session, name="先着", organisation="", email="first@mail.test", now=NOW
    )
    with pytest.raises(ValidationError) as refused:
        actions.register_for_gallery(
            session=session, name="後着", organisation="", email="second@mail.test", now=NOW
        )
    assert refused.value.messages == [FULL]
    assert list(session.gallery_registrations.all()) == [
        GalleryRegistration.objects.get(name="既存 1"),
        first,
    ]


def test_the_last_seat_is_checked_against_the_database_not_the_page(session):
    # The session object was read when only one seat was taken; the count is read again.
    stale = Session.objects.get(pk=session.pk)
    _register(session, 1)
    _register(session, 2)
    with pytest.raises(ValidationError):
        actions.register_for_gallery(
            session=stale, name="遅れて", organisation="", email="late@mail.test", now=NOW
        )
    assert session.gallery_registrations.count() == 2
