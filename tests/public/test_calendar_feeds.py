"""Calendar subscriptions: a platform's public feed (no people, no planned sessions) and a
member's private feed of the sessions they are invited to."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from secretariat.meetings import actions
from secretariat.meetings.models import CalendarFeed, Invitation, Session
from tests import factories as f
from tests.exports.test_ics import check_with_icaljs

TOKYO_NOON = "2026-11-02 12:00 +0900"
DEADLINE = datetime.fromisoformat("2026-11-25T17:00+09:00")
EMAIL = re.compile(rb"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(TOKYO_NOON, tick=False)


@pytest.fixture
def scheduled(cast):
    """The planned session, scheduled through the poll, the member invited and replying."""
    cast.platform.secretariat_email = "jimukyoku@example.go.jp"
    cast.platform.save()
    slot = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 2), start=time(10), end=time(12)
    )
    actions.fix_date(session=cast.planned, slot=slot, reply_deadline=DEADLINE)
    cast.planned.invitations.get(membership=cast.member).record_reply(
        reply="proxy", proxy_name="代理花子", proxy_title="秘書官", now=DEADLINE
    )
    cast.planned.refresh_from_db()
    return cast.planned


def _events(ics: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}


# The public feed of a platform


def _public_feed(client, slug="pf"):
    return client.get(reverse("public:calendar", args=[slug]))


def test_the_public_feed_lists_announced_sessions_and_passes_icaljs(
    client, cast, scheduled, tmp_path
):
    f.make_session(cast.platform, status=Session.Status.CANCELLED, date=date(2026, 12, 9))
    f.make_session(
        cast.platform, number=None, status=Session.Status.PLANNED, date=date(2026, 12, 16)
    )
    response = _public_feed(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    checked = check_with_icaljs(response.content, "PUBLISH", tmp_path)
    assert sorted(e["uid"] for e in checked) == sorted(
        f"{s.uid}@secretariat" for s in (cast.published, cast.draft, scheduled)
    )
    event = _events(response.content)[f"{scheduled.uid}@secretariat"]
    assert str(event["SUMMARY"]) == "第3回 公共サービスイノベーション・プラットフォーム"
    assert str(event["URL"]).endswith(reverse("public:session", args=["pf", scheduled.pk]))
    assert str(event["DESCRIPTION"]) == "日程調整中の会議の内容"


def test_the_public_feed_carries_no_people(client, cast, scheduled):
    body = _public_feed(client).content
    for forbidden in (b"ATTENDEE", b"ORGANIZER", b"mailto", b"/m/"):
        assert forbidden not in body, forbidden
    assert not EMAIL.search(body)
    text = body.decode()
    for private in ("代理花子", "秘書官", "武山", "jimukyoku"):
        assert private not in text


def test_the_public_feed_has_no_planned_sessions(client, cast):
    body = _public_feed(client).content
    assert str(cast.planned.uid).encode() not in body
    assert "日程調整中の会議の内容" not in body.decode()


def test_an_empty_feed_is_still_a_valid_calendar(client, cast, tmp_path):
    empty = f.make_platform(slug="empty")
    response = _public_feed(client, "empty")
    assert response.status_code == 200
    assert check_with_icaljs(response.content, "PUBLISH", tmp_path) == []
    assert empty.name in Calendar.from_ical(response.content)["X-WR-CALNAME"]


def test_a_private_platform_has_no_public_feed(client, cast):
    f.make_platform(slug="hidden", is_public=False)
    assert _public_feed(client, "hidden").status_code == 404
    assert _public_feed(client, "nope").status_code == 404


def test_the_public_feed_needs_get(client, cast):
    assert client.post(reverse("public:calendar", args=["pf"])).status_code == 405


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_public_feed_query_count_does_not_grow(client, cast):
    url = reverse("public:calendar", args=["pf"])
    Session.objects.filter(platform=cast.platform).exclude(pk=cast.published.pk).delete()
    one = _count_queries(client, url)
    for n in range(29):
        f.make_session(cast.platform, date=date(2016, 1, 1 + n))
    assert len(_events(client.get(url).content)) == 30
    assert _count_queries(client, url) == one


# A member's private feed


def _member_feed_url(membership):
    return reverse("member:feed", args=[f.feed_token(membership)])


def test_the_member_feed_lists_the_sessions_they_are_invited_to(client, cast, scheduled, tmp_path):
    not_invited = f.make_session(
        cast.platform, status=Session.Status.SCHEDULED, date=date(2026, 12, 9)
    )
    elsewhere = f.make_session(cast.other_platform, status=Session.Status.SCHEDULED)
    stranger = f.make_membership(
        cast.platform, cast.member.category, f.make_person("森本", "登志男", "もりもと", "としお")
    )
    Invitation.objects.create(session=elsewhere, membership=stranger)
    response = client.get(_member_feed_url(cast.member))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    [checked] = check_with_icaljs(response.content, "PUBLISH", tmp_path)
    assert checked["uid"] == f"{scheduled.uid}@secretariat"
    assert checked["startUTC"] == "2026-12-02T01:00:00Z"
    assert str(not_invited.uid).encode() not in response.content
    calendar = Calendar.from_ical(response.content)
    assert "武山\u3000政直" in str(calendar["X-WR-CALNAME"])
    # The session's public page, never a personal link: the feed opens nothing else.
    assert str(calendar.walk("VEVENT")[0]["URL"]) == (
        f"http://testserver/councils/{cast.platform.slug}/meetings/{scheduled.pk}/"
    )
    assert "/m/" not in response.content.decode()


def test_the_member_feed_follows_changes_and_cancellations(client, cast, scheduled, tmp_path):
    scheduled.start_time, scheduled.end_time = time(14), time(16)
    scheduled.venue_name = "合同庁舎4号館"
    actions.save_session(session=scheduled)
    [checked] = check_with_icaljs(
        client.get(_member_feed_url(cast.member)).content, "PUBLISH", tmp_path
    )
    assert (checked["sequence"], checked["startUTC"]) == (1, "2026-12-02T05:00:00Z")
    assert checked["location"].startswith("合同庁舎4号館")
    scheduled.status = Session.Status.CANCELLED
    actions.save_session(session=scheduled)
    [checked] = check_with_icaljs(
        client.get(_member_feed_url(cast.member)).content, "PUBLISH", tmp_path
    )
    assert (checked["sequence"], checked["status"]) == (2, "CANCELLED")


def test_the_member_feed_leaves_out_polls_and_revoked_invitations(client, cast, scheduled):
    poll = f.make_session(
        cast.platform, number=None, status=Session.Status.PLANNED, date=None, topics="次の会合"
    )
    Invitation.objects.create(session=poll, membership=cast.member)
    body = client.get(_member_feed_url(cast.member)).content
    assert len(_events(body)) == 1
    scheduled.invitations.get(membership=cast.member).revoke(DEADLINE)
    assert _events(client.get(_member_feed_url(cast.member)).content) == {}


def test_the_member_feed_carries_no_people(client, cast, scheduled):
    body = client.get(_member_feed_url(cast.member)).content
    for forbidden in (b"ATTENDEE", b"ORGANIZER", b"mailto"):
        assert forbidden not in body
    assert not EMAIL.search(body)
    assert "代理花子" not in body.decode()


@pytest.mark.parametrize("token", ["forged", "WzEsImFiYyJd:1vQ8Yy:tampered"])
def test_a_forged_member_feed_link_is_refused(client, cast, scheduled, token):
    response = client.get(reverse("member:feed", args=[token]))
    assert response.status_code == 403
    assert "このリンクは正しくありません。" in response.content.decode()


def test_a_member_feed_link_with_an_old_nonce_is_gone(client, cast, scheduled):
    url = _member_feed_url(cast.member)
    CalendarFeed.objects.get(membership=cast.member).reissue()
    response = client.get(url)
    assert response.status_code == 410
    assert "このリンクは無効になっています。" in response.content.decode()
    assert client.get(_member_feed_url(cast.member)).status_code == 200


def test_the_member_feed_needs_get(client, cast):
    assert client.post(_member_feed_url(cast.member)).status_code == 405


def test_the_member_feed_query_count_does_not_grow(client, cast):
    url = _member_feed_url(cast.member)

    def invite_to_new_session(day):
        session = f.make_session(cast.platform, status=Session.Status.SCHEDULED, date=day)
        Invitation.objects.create(session=session, membership=cast.member)

    invite_to_new_session(date(2026, 12, 1))
    one = _count_queries(client, url)
    for n in range(29):
        invite_to_new_session(date(2027, 1 + n % 12, 4 + n // 12))
    assert len(_events(client.get(url).content)) == 30
    assert _count_queries(client, url) == one
