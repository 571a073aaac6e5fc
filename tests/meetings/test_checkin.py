"""The reception desk on the day (当日受付) and the gallery registrants' list (傍聴者受付名簿)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from secretariat.meetings import actions
from secretariat.meetings.models import Attendance, GalleryRegistration
from tests import factories as f

ON_THE_DAY = "2026-12-02 09:45 +0900"
DEADLINE = datetime.fromisoformat("2026-11-25T17:00+09:00")


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(ON_THE_DAY, tick=False)


@pytest.fixture
def people(cast):
    """Besides the cast's member: one replying online, one sending a proxy."""
    online = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("森本", "登志男", "もりもと", "としお", email="morimoto@example.jp"),
    )
    proxied = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person(
            "高橋", "進", "たかはし", "すすむ", title="会長", email="takahashi@example.jp"
        ),
    )
    return {"member": cast.member, "online": online, "proxied": proxied}


@pytest.fixture
def session(cast, people):
    slot = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 2), start=time(10), end=time(12)
    )
    actions.fix_date(session=cast.planned, slot=slot, reply_deadline=DEADLINE)
    invitations = {k: cast.planned.invitations.get(membership=m) for k, m in people.items()}
    invitations["member"].record_reply(reply="attending", now=DEADLINE)
    invitations["online"].record_reply(reply="online", now=DEADLINE)
    invitations["proxied"].record_reply(
        reply="proxy", proxy_name="高橋 一郎", proxy_title="副会長", now=DEADLINE
    )
    return cast.planned


def _url(session):
    return reverse("meetings:checkin", args=[session.pk])


def _invitation(session, membership):
    return session.invitations.get(membership=membership)


# Invited members


def test_the_desk_lists_who_is_expected(client, cast, session, people):
    client.force_login(cast.clerk)
    response = client.get(_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("武山\u3000政直", "森本\u3000登志男", "高橋\u3000進"):
        assert name in html
    assert "代理: 高橋 一郎 副会長" in html
    assert [i.membership for i, _ in response.context["expected"]] == [
        people["member"],
        people["online"],
        people["proxied"],
    ]


def test_checking_in_an_invited_member(client, cast, session, people):
    invitation = _invitation(session, people["member"])
    client.force_login(cast.clerk)
    response = client.post(_url(session), {"invitation": invitation.pk}, follow=True)
    assert response.redirect_chain[-1][0] == _url(session)
    html = response.content.decode()
    assert "武山\u3000政直の受付をしました。" in html
    assert "09:45 受付済み（構成員）" in html
    attendance = Attendance.objects.get()
    assert (attendance.session, attendance.invitation) == (session, invitation)
    assert (attendance.name, attendance.title, attendance.capacity) == (
        "武山\u3000政直",
        "教授",
        Attendance.Capacity.MEMBER,
    )
    assert attendance.arrived_at == datetime.fromisoformat("2026-12-02T09:45+09:00")
    assert attendance.recorded_by == cast.clerk


def test_checking_in_a_member_who_replied_online(client, cast, session, people):
    client.force_login(cast.clerk)
    client.post(_url(session), {"invitation": _invitation(session, people["online"]).pk})
    attendance = Attendance.objects.get()
    assert (attendance.name, attendance.capacity) == (
        "森本\u3000登志男",
        Attendance.Capacity.ONLINE,
    )


def test_checking_in_a_proxy_records_the_proxy(client, cast, session, people):
    client.force_login(cast.clerk)
    response = client.post(
        _url(session), {"invitation": _invitation(session, people["proxied"]).pk}, follow=True
    )
    assert "高橋 一郎の受付をしました。" in response.content.decode()
    attendance = Attendance.objects.get()
    assert (attendance.name, attendance.title, attendance.capacity) == (
        "高橋 一郎",
        "副会長",
        Attendance.Capacity.PROXY,
    )


def test_checking_in_twice_does_not_duplicate(client, cast, session, people, time_machine):
    invitation = _invitation(session, people["member"])
    client.force_login(cast.clerk)
    client.post(_url(session), {"invitation": invitation.pk})
    time_machine.move_to("2026-12-02 09:50 +0900", tick=False)
    client.force_login(cast.admin)
    response = client.post(_url(session), {"invitation": invitation.pk}, follow=True)
    assert response.status_code == 200
    attendance = Attendance.objects.get()
    # The first arrival stands.
    assert attendance.arrived_at == datetime.fromisoformat("2026-12-02T09:45+09:00")
    assert attendance.recorded_by == cast.clerk


def test_an_invitation_of_another_session_is_refused(client, cast, session, people):
    other = f.make_session(cast.platform, date=date(2026, 12, 9))
    stranger = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("足立", "慎一郎", "あだち", "しんいちろう"),
    )
    foreign = other.invitations.create(membership=stranger)
    client.force_login(cast.clerk)
    for value in (foreign.pk, "not-a-number"):
        response = client.post(_url(session), {"invitation": value}, follow=True)
        assert "この会議の招待者を選んでください。" in response.content.decode()
    assert not Attendance.objects.exists()


# Others: presenters, the secretariat, guests


@pytest.mark.parametrize(
    ("capacity", "label"), [("presenter", "説明者"), ("secretariat", "事務局")]
)
def test_checking_in_someone_else(client, cast, session, capacity, label):
    client.force_login(cast.clerk)
    response = client.post(
        _url(session),
        {
            "other-name": " 山田 太郎 ",
            "other-title": "総務省行政管理局長",
            "other-capacity": capacity,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "山田 太郎の受付をしました。" in html
    assert f"山田 太郎 総務省行政管理局長（{label}） 09:45" in html
    attendance = Attendance.objects.get()
    assert (attendance.invitation, attendance.name, attendance.capacity) == (
        None,
        "山田 太郎",
        capacity,
    )
    assert attendance.recorded_by == cast.clerk


def test_someone_else_needs_a_name_and_a_capacity(client, cast, session):
    client.force_login(cast.clerk)
    response = client.post(
        _url(session), {"other-name": "", "other-title": "局長", "other-capacity": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "capacity"}
    assert 'value="局長"' in response.content.decode()
    assert not Attendance.objects.exists()


# Access


def test_viewer_reads_the_desk_but_cannot_check_in(client, cast, session, people):
    client.force_login(cast.viewer)
    assert client.get(_url(session)).status_code == 200
    response = client.post(_url(session), {"invitation": _invitation(session, people["member"]).pk})
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_the_desk_access(client, cast, session, people):
    url = _url(session)
    data = {"invitation": _invitation(session, people["member"]).pk}
    assert client.post(url, data).url == f"{reverse('login')}?next={url}"
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.force_login(cast.clerk)
    assert client.put(url).status_code == 405
    assert not Attendance.objects.exists()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_desk_query_count_does_not_grow(client, cast, session, people):
    client.force_login(cast.clerk)
    actions.check_in(
        session=session,
        by=cast.clerk,
        now=datetime.fromisoformat("2026-12-02T09:40+09:00"),
        invitation=_invitation(session, people["member"]),
    )
    actions.check_in(
        session=session,
        by=cast.clerk,
        now=datetime.fromisoformat("2026-12-02T09:40+09:00"),
        name="山田 太郎",
        capacity="presenter",
    )
    one = _count_queries(client, _url(session))
    newcomers = [
        f.make_membership(
            cast.platform,
            cast.member.category,
            f.make_person("委員", f"{n}号", "いいん", "ごう", email=f"m{n}@example.jp"),
        )
        for n in range(8)
    ]
    actions.invite_members(session=session, memberships=newcomers)
    for invitation in session.invitations.filter(membership__in=newcomers[:4]):
        actions.check_in(
            session=session,
            by=cast.viewer,
            now=datetime.fromisoformat("2026-12-02T09:41+09:00"),
            invitation=invitation,
        )
    for n in range(5):
        actions.check_in(
            session=session,
            by=cast.viewer,
            now=datetime.fromisoformat("2026-12-02T09:42+09:00"),
            name=f"説明者{n}",
            capacity="presenter",
        )
    assert _count_queries(client, _url(session)) == one


# The gallery registrants' list (staff only)


def _gallery_url(session):
    return reverse("meetings:gallery", args=[session.pk])


def _register(session, n, confirmed=True):
    return GalleryRegistration.objects.create(
        session=session,
        name=f"傍聴 {n}郎",
        organisation="横浜市",
        email=f"g{n}@example.jp",
        confirmed_at=timezone.now() if confirmed else None,
    )


def test_the_gallery_list_shows_registrants(client, cast, session):
    session.gallery_capacity = 20
    session.save()
    _register(session, 1)
    _register(session, 2)
    client.force_login(cast.viewer)
    response = client.get(_gallery_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "申込 2名（定員 20名）" in html
    assert "傍聴 1郎" in html and "g2@example.jp" in html and "横浜市" in html


def test_unconfirmed_requests_are_counted_but_not_listed(client, cast, session):
    session.gallery_capacity = 20
    session.save()
    _register(session, 1)
    _register(session, 2, confirmed=False)
    _register(session, 3, confirmed=False)
    client.force_login(cast.clerk)
    html = client.get(_gallery_url(session)).content.decode()
    assert "申込 1名（定員 20名）" in html
    assert "メールアドレスの確認待ち 2件" in html
    assert "傍聴 1郎" in html
    assert "傍聴 2郎" not in html and "g3@example.jp" not in html


def test_the_gallery_list_access(client, cast, session):
    url = _gallery_url(session)
    assert client.get(url).url == f"{reverse('login')}?next={url}"
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.post(url).status_code == 405


def test_the_gallery_list_query_count_does_not_grow(client, cast, session):
    client.force_login(cast.clerk)
    _register(session, 0)
    one = _count_queries(client, _gallery_url(session))
    for n in range(1, 15):
        _register(session, n)
    assert _count_queries(client, _gallery_url(session)) == one
