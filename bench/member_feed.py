"""A member's private calendar feed with 1,000 sessions.

The feed view is fetched through Django's test client for a member invited to 10 sessions
and for one invited to 1,000; its query count must be the same for both. The baseline is
`exports.ics.render_feed` alone on the same events, built in memory beforehand: the
rendering the view cannot avoid, so the ratio is what the database and the request add.

Run alone with `.venv/bin/python bench/member_feed.py`.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import harness  # sets Django up on a throwaway database: before any model import
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exports.data import CalendarEvent
from exports.ics import render_feed
from secretariat.council.models import MemberCategory, Membership, Person, Platform
from secretariat.meetings.models import Invitation, Session
from secretariat.meetings.views.member import feed_token

FEW, MANY = 10, 1000
FIRST_DAY = date(2024, 1, 9)


def make_member(platform: Platform, category: MemberCategory, n: int) -> Membership:
    person = Person.objects.create(
        family_name="構成員",
        given_name=f"{n}",
        family_name_kana="こうせいいん",
        given_name_kana="いち",
        email=f"member{n}@example.jp",
    )
    return Membership.objects.create(platform=platform, category=category, person=person)


def make_feeds() -> tuple[Membership, Membership]:
    """1,000 scheduled sessions: one member is invited to all, another to the first 10."""
    platform = Platform.objects.create(
        name="ベンチマーク会議体",
        slug="bench-feed",
        secretariat_email="jimukyoku@example.jp",
        is_public=True,
    )
    category = MemberCategory.objects.create(platform=platform, name="有識者")
    few, many = make_member(platform, category, 1), make_member(platform, category, 2)
    sessions = Session.objects.bulk_create(
        Session(
            platform=platform,
            number=n + 1,
            topics="公共サービスの改革について\n事務局からの報告",
            status=Session.Status.SCHEDULED,
            date=FIRST_DAY + timedelta(days=n),
            start_time=time(10),
            end_time=time(12),
            venue_name="中央合同庁舎第8号館 講堂",
            venue_address="東京都千代田区永田町1-6-1",
        )
        for n in range(MANY)
    )
    Invitation.objects.bulk_create(
        [Invitation(session=session, membership=many) for session in sessions]
        + [Invitation(session=session, membership=few) for session in sessions[:FEW]]
    )
    return few, many


def feed_events(membership: Membership) -> list[CalendarEvent]:
    """The events the view puts in the feed, built here before the baseline is timed."""
    invitations = Invitation.objects.filter(membership=membership).select_related(
        "session__platform"
    )
    return [
        invitation.session.to_calendar_event(
            description=invitation.session.topics,
            url="http://testserver" + reverse("member:invitation", args=[invitation.token]),
        )
        for invitation in invitations
    ]


def get_feed(
    client: Client, membership: Membership, *, count_queries: bool = False
) -> harness.Measured:
    url = reverse("member:feed", args=[feed_token(membership)])
    with harness.measure(count_queries=count_queries) as measured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    events = response.content.count(b"BEGIN:VEVENT")
    assert events == membership.invitations.count(), events
    return measured


def render(events: list[CalendarEvent], membership: Membership) -> float:
    name = f"{membership.platform.name}（{membership.display_name}）"
    with harness.measure() as measured:
        render_feed(events, name=name, stamp=timezone.now())
    return measured.seconds


def run() -> list[harness.Row]:
    few, many = make_feeds()
    client = Client()
    events = {few: feed_events(few), many: feed_events(many)}
    # An untimed first round fills the caches and counts the view's queries.
    queries = {member: get_feed(client, member, count_queries=True).queries for member in events}
    views: dict[Membership, list[float]] = {few: [], many: []}
    renders: dict[Membership, list[float]] = {few: [], many: []}
    for _ in range(harness.REPEAT):
        for member in events:
            views[member].append(get_feed(client, member).seconds)
            renders[member].append(render(events[member], member))

    constant = "constant" if queries[few] == queries[many] else "GROWS with the sessions"
    rows = []
    for member, count in ((few, FEW), (many, MANY)):
        rows.append(
            harness.Row(
                f"2. Member's calendar feed view, {count:,} sessions",
                harness.median(views[member]),
                f"`render_feed` alone, same {count:,} events",
                harness.median(renders[member]),
                f"{queries[member]} queries ({FEW:,}: {queries[few]}, "
                f"{MANY:,}: {queries[many]}, {constant})",
            )
        )
    return rows


if __name__ == "__main__":
    print(harness.markdown_table(run()))
