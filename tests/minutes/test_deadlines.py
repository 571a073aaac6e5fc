"""The 議事要旨 and 議事録 deadlines (Platform.due_date, minutes.data.minutes_deadlines) and
how the staff dashboard shows them: overdue first, approved minutes gone."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from secretariat.council.models import Platform
from secretariat.meetings.models import Session
from secretariat.minutes.data import minutes_deadlines
from secretariat.minutes.models import Minutes
from tests import factories as f
from tests.minutes import count_queries

DASHBOARD = reverse("meetings:dashboard")
# 08:00 in Tokyo is still 12 January in UTC: "today" must be the Tokyo day.
TOKYO_MORNING = "2026-01-13 08:00 +0900"
TODAY = date(2026, 1, 13)


# Counting the days


def test_calendar_days():
    platform = Platform(due_day_basis=Platform.DayBasis.CALENDAR)
    assert platform.due_date(date(2025, 12, 26), 7) == date(2026, 1, 2)
    assert platform.due_date(date(2025, 12, 26), 30) == date(2026, 1, 25)


def test_working_days_skip_weekends_holidays_and_the_new_year_closure():
    platform = Platform(due_day_basis=Platform.DayBasis.WORKING)
    friday = date(2025, 12, 26)
    # 12/29–1/3 closed, 1/4 a Sunday: the first open day is Monday 1/5.
    assert platform.due_date(friday, 1) == date(2026, 1, 5)
    assert platform.due_date(friday, 5) == date(2026, 1, 9)
    # 1/10–11 a weekend, 1/12 成人の日.
    assert platform.due_date(friday, 6) == date(2026, 1, 13)
    assert platform.due_date(friday, 7) == date(2026, 1, 14)
    assert platform.due_date(friday, 0) == friday


# The list


@pytest.fixture
def sessions(cast):
    """On a platform counting 開庁日 (議事要旨 in 5, 議事録 in 30): sessions held before
    today with their minutes in every state; the cast's own two are approved."""
    platform = cast.platform
    platform.due_day_basis = Platform.DayBasis.WORKING
    platform.summary_due_days = 5
    platform.minutes_due_days = 30
    platform.save()
    for session in (cast.published, cast.draft):
        Minutes.objects.create(session=session, status=Minutes.Status.APPROVED)

    def held(day, status=Session.Status.HELD, **fields):
        return f.make_session(platform, date=day, status=status, **fields)

    made = {
        "new_year": held(date(2025, 12, 26)),  # no minutes yet
        "recent": held(date(2026, 1, 8)),
        "older": held(date(2025, 12, 22)),
        "approved": held(date(2025, 12, 1)),
        "today": held(TODAY, status=Session.Status.SCHEDULED),
        "cancelled": held(date(2025, 12, 10), status=Session.Status.CANCELLED, number=None),
        "site_visit": held(date(2025, 12, 11), kind=Session.Kind.SITE_VISIT),
    }
    Minutes.objects.create(session=made["recent"])
    Minutes.objects.create(session=made["older"], status=Minutes.Status.CONFIRMING)
    Minutes.objects.create(session=made["approved"], status=Minutes.Status.APPROVED)
    made["elsewhere"] = f.make_session(
        cast.other_platform, date=date(2025, 12, 1), status=Session.Status.HELD
    )
    return made


def _rows(deadlines):
    return [(d.session, d.status, d.summary_due, d.minutes_due, d.overdue) for d in deadlines]


def test_overdue_first_then_the_nearest_and_approved_minutes_absent(cast, sessions):
    deadlines = minutes_deadlines(Platform.objects.filter(pk=cast.platform.pk), TODAY)
    assert _rows(deadlines) == [
        (sessions["older"], "発言者確認中", date(2026, 1, 5), date(2026, 2, 10), True),
        (sessions["new_year"], "未着手", date(2026, 1, 9), date(2026, 2, 17), True),
        (sessions["recent"], "作成中", date(2026, 1, 16), date(2026, 2, 24), False),
    ]


def test_the_due_day_itself_is_not_overdue(cast, sessions):
    deadlines = minutes_deadlines(Platform.objects.filter(pk=cast.platform.pk), date(2026, 1, 9))
    assert [(d.session, d.overdue) for d in deadlines] == [
        (sessions["older"], True),
        (sessions["new_year"], False),
        (sessions["recent"], False),
    ]


def test_calendar_days_where_the_platform_counts_them(cast, sessions):
    cast.platform.due_day_basis = Platform.DayBasis.CALENDAR
    cast.platform.save()
    deadlines = minutes_deadlines(Platform.objects.filter(pk=cast.platform.pk), TODAY)
    assert [(d.session, d.summary_due, d.minutes_due) for d in deadlines] == [
        (sessions["older"], date(2025, 12, 27), date(2026, 1, 21)),
        (sessions["new_year"], date(2025, 12, 31), date(2026, 1, 25)),
        (sessions["recent"], date(2026, 1, 13), date(2026, 2, 7)),
    ]
    assert [d.overdue for d in deadlines] == [True, True, False]


# On the dashboard


@time_machine.travel(TOKYO_MORNING)
def test_the_dashboard_shows_my_deadlines_overdue_first(client, cast, sessions):
    client.force_login(cast.clerk)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert [d.session for d in response.context["deadlines"]] == [
        sessions["older"],
        sessions["new_year"],
        sessions["recent"],
    ]
    html = response.content.decode()
    table = html[html.index('id="deadlines-heading"') : html.index('id="upcoming-heading"')]
    assert "議事要旨・議事録の公表期限" in table
    positions = [
        table.index(reverse("minutes:editor", args=[sessions[key].pk]))
        for key in ("older", "new_year", "recent")
    ]
    assert positions == sorted(positions)
    assert table.count("期限を過ぎています") == 2
    assert table.count('class="overdue"') == 2
    assert "令和8年1月9日（金）" in table
    assert "令和8年1月16日（金）" in table
    assert "令和8年2月24日（火）" in table
    assert "未着手" in table and "発言者確認中" in table and "作成中" in table
    for absent in ("approved", "today", "cancelled", "site_visit", "elsewhere"):
        assert reverse("minutes:editor", args=[sessions[absent].pk]) not in table, absent
    assert reverse("minutes:editor", args=[cast.published.pk]) not in table


@time_machine.travel(TOKYO_MORNING)
def test_the_other_platforms_staff_see_their_own(client, cast, sessions):
    client.force_login(cast.other_clerk)
    deadlines = client.get(DASHBOARD).context["deadlines"]
    assert [d.session for d in deadlines] == [sessions["elsewhere"]]


@time_machine.travel(TOKYO_MORNING)
def test_without_open_minutes_there_is_no_deadline_section(client, cast):
    for session in (cast.published, cast.draft):
        Minutes.objects.create(session=session, status=Minutes.Status.APPROVED)
    client.force_login(cast.viewer)
    html = client.get(DASHBOARD).content.decode()
    assert 'id="deadlines-heading"' not in html


def test_the_dashboard_refuses_post_and_anonymous(client, cast):
    client.force_login(cast.clerk)
    assert client.post(DASHBOARD).status_code == 405
    client.logout()
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@time_machine.travel(TOKYO_MORNING)
def test_the_deadlines_read_a_fixed_number_of_queries(client, cast, sessions):
    client.force_login(cast.clerk)
    few = count_queries(client, DASHBOARD)
    for n in range(10):
        session = f.make_session(
            cast.platform, date=date(2025, 11, 1 + n), status=Session.Status.HELD
        )
        if n % 2:
            Minutes.objects.create(session=session)
    assert len(client.get(DASHBOARD).context["deadlines"]) == 13
    assert count_queries(client, DASHBOARD) == few
