"""The staff dashboard and a platform's session list, the two entry screens of the staff side."""

from datetime import date, time

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat.meetings.models import Session, SiteVisit
from tests import factories as f

DASHBOARD = reverse("meetings:dashboard")

# 08:00 in Tokyo is still the day before in UTC: "today" must be the Tokyo day.
TOKYO_MORNING = "2025-10-01 08:00 +0900"


def _sessions_url(slug="pf"):
    return reverse("meetings:platform_sessions", args=[slug])


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _make_site_visit(platform, days):
    session = f.make_session(
        platform, kind=Session.Kind.SITE_VISIT, status=Session.Status.SCHEDULED, date=days[0]
    )
    visit = SiteVisit.objects.create(session=session)
    for day in days:
        visit.days.create(date=day)
    return session


# The dashboard


@time_machine.travel(TOKYO_MORNING)
def test_dashboard_lists_my_platforms_and_upcoming_sessions_from_today_in_tokyo(client, cast):
    f.make_session(
        cast.platform,
        number=3,
        status=Session.Status.SCHEDULED,
        date=date(2025, 10, 1),
        start_time=time(14, 0),
        end_time=time(16, 0),
        topics="今日の会議",
    )
    f.make_session(cast.platform, number=4, status=Session.Status.SCHEDULED, date=date(2025, 9, 30))
    f.make_session(
        cast.platform, number=None, status=Session.Status.PLANNED, date=None, topics="日程調整"
    )
    client.force_login(cast.clerk)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "公共サービスイノベーション・プラットフォーム" in html
    assert _sessions_url() in html
    assert reverse("council:members", args=["pf"]) in html
    assert "令和7年10月1日（水）14:00～16:00" in html
    assert "今日の会議" in html
    # Yesterday's session is not upcoming (it shows only among the minutes deadlines).
    upcoming = html[html.index('id="upcoming-heading"') :]
    assert "令和7年9月30日" not in upcoming
    assert "次回会合（日程調整中）" in html
    # Held and published sessions are not upcoming.
    assert "未公開の会議の内容" not in html
    assert {s.number for s in response.context["upcoming"]} == {None, 3}


@time_machine.travel(TOKYO_MORNING)
def test_dashboard_shows_the_days_of_an_upcoming_site_visit(client, cast):
    _make_site_visit(cast.platform, [date(2025, 10, 8), date(2025, 10, 9), date(2025, 10, 14)])
    client.force_login(cast.clerk)
    html = client.get(DASHBOARD).content.decode()
    assert "現地視察" in html
    assert "令和7年10月8日、9日、14日" in html


@time_machine.travel(TOKYO_MORNING)
def test_dashboard_hides_other_platforms(client, cast):
    f.make_session(cast.other_platform, status=Session.Status.SCHEDULED, topics="別の会議体の予定")
    client.force_login(cast.clerk)
    html = client.get(DASHBOARD).content.decode()
    assert "別の会議体" not in html
    assert "別の会議体の予定" not in html
    assert _sessions_url("other") not in html


@time_machine.travel(TOKYO_MORNING)
def test_other_platforms_staff_sees_only_their_platform(client, cast):
    f.make_session(cast.platform, status=Session.Status.SCHEDULED, topics="Aの予定")
    client.force_login(cast.other_clerk)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "別の会議体" in html
    assert "公共サービスイノベーション・プラットフォーム" not in html
    assert "Aの予定" not in html


@time_machine.travel(TOKYO_MORNING)
def test_viewer_sees_the_dashboard(client, cast):
    f.make_session(cast.platform, status=Session.Status.SCHEDULED, topics="閲覧者にも見える予定")
    client.force_login(cast.viewer)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "閲覧者にも見える予定" in response.content.decode()


@time_machine.travel(TOKYO_MORNING)
def test_superuser_sees_every_platform(client, cast):
    f.make_session(cast.other_platform, status=Session.Status.SCHEDULED, topics="Bの予定")
    client.force_login(cast.admin)
    html = client.get(DASHBOARD).content.decode()
    assert "公共サービスイノベーション・プラットフォーム" in html
    assert "別の会議体" in html
    assert "Bの予定" in html


def test_user_without_a_platform_is_told_whom_to_ask(client, cast):
    client.force_login(f.make_user("newcomer"))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "担当の会議体がありません。管理者に連絡してください。" in html
    assert "公共サービスイノベーション・プラットフォーム" not in html


def test_dashboard_anonymous_is_sent_to_login(client, cast):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={DASHBOARD}"


def test_dashboard_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.post(DASHBOARD).status_code == 405


@time_machine.travel(TOKYO_MORNING)
def test_dashboard_query_count_does_not_grow_with_sessions(client, cast):
    client.force_login(cast.clerk)
    _make_site_visit(cast.platform, [date(2025, 11, 1), date(2025, 11, 2)])
    one = _count_queries(client, DASHBOARD)
    for n in range(19):
        if n % 3:
            f.make_session(cast.platform, status=Session.Status.SCHEDULED)
        else:
            _make_site_visit(cast.platform, [date(2025, 12, 1 + n)])
    assert len(client.get(DASHBOARD).context["upcoming"]) == 21  # and the cast's planned one
    assert _count_queries(client, DASHBOARD) == one


# A platform's session list


def test_session_list_shows_every_session_newest_first(client, cast):
    _make_site_visit(cast.platform, [date(2015, 10, 8), date(2015, 10, 9)])
    f.make_session(cast.other_platform, topics="別の会議体の会議")
    client.force_login(cast.clerk)
    response = client.get(_sessions_url())
    assert response.status_code == 200
    html = response.content.decode()
    # Unpublished sessions belong on the staff side.
    assert "未公開の会議の内容" in html
    assert "平成27年10月30日（金）10:00～11:30" in html
    assert "平成27年10月8日、9日" in html
    assert html.index("第2回") < html.index("現地視察") < html.index("第1回")
    assert "別の会議体の会議" not in html
    assert reverse("meetings:session_create", args=["pf"]) in html


def test_session_list_viewer_reads_without_the_create_button(client, cast):
    client.force_login(cast.viewer)
    response = client.get(_sessions_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "第2回" in html
    assert reverse("meetings:session_create", args=["pf"]) not in html


def test_session_list_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    assert client.get(_sessions_url()).status_code == 404


def test_session_list_unknown_platform_is_404(client, cast):
    client.force_login(cast.admin)
    assert client.get(_sessions_url("nope")).status_code == 404


def test_session_list_superuser(client, cast):
    client.force_login(cast.admin)
    response = client.get(_sessions_url("pf"))
    assert response.status_code == 200
    assert "第2回" in response.content.decode()


def test_session_list_anonymous_is_sent_to_login(client, cast):
    response = client.get(_sessions_url())
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={_sessions_url()}"


def test_session_list_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.post(_sessions_url()).status_code == 405


def test_session_list_query_count_does_not_grow_with_sessions(client, cast):
    client.force_login(cast.clerk)
    cast.platform.sessions.all().delete()
    _make_site_visit(cast.platform, [date(2015, 10, 8)])
    assert len(client.get(_sessions_url()).context["sessions"]) == 1
    one = _count_queries(client, _sessions_url())
    for n in range(19):
        if n % 3:
            f.make_session(cast.platform)
        else:
            _make_site_visit(cast.platform, [date(2016, 1, 1 + n)])
    assert len(client.get(_sessions_url()).context["sessions"]) == 20
    assert _count_queries(client, _sessions_url()) == one
