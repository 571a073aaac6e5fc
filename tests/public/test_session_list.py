from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat.meetings.models import Session, SiteVisit
from tests import factories as f


def test_lists_published_sessions_newest_first_with_era_dates(client, cast):
    f.make_session(cast.platform, number=3, date=date(2019, 5, 1), topics="令和の会議")
    response = client.get(reverse("public:sessions", args=["pf"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("第3回") < html.index("第1回")
    assert "令和元年5月1日" in html
    assert "平成27年9月14日" in html
    assert response["Content-Language"] == "ja"


def test_lists_announced_sessions_but_not_planned_or_cancelled_ones(client, cast):
    f.make_session(cast.platform, status=Session.Status.SCHEDULED, topics="予定の会議")
    f.make_session(cast.platform, status=Session.Status.CANCELLED, topics="中止の会議")
    html = client.get(reverse("public:sessions", args=["pf"])).content.decode()
    assert "予定の会議" in html and "開催予定" in html
    assert "未公開の会議の内容" in html  # held: announced, materials not yet
    assert "日程調整中の会議の内容" not in html
    assert "中止の会議" not in html


def test_site_visit_shows_its_days(client, cast):
    session = f.make_session(
        cast.platform, kind=Session.Kind.SITE_VISIT, date=date(2015, 10, 8), topics="視察"
    )
    visit = SiteVisit.objects.create(session=session)
    for day in (8, 9, 14):
        visit.days.create(date=date(2015, 10, day))
    html = client.get(reverse("public:sessions", args=["pf"])).content.decode()
    assert "現地視察" in html
    assert "平成27年10月8日、9日、14日" in html


def test_unknown_or_private_platform_is_404(client, cast):
    assert client.get(reverse("public:sessions", args=["nope"])).status_code == 404
    cast.platform.is_public = False
    cast.platform.save()
    assert client.get(reverse("public:sessions", args=["pf"])).status_code == 404


def test_wrong_method(client, cast):
    assert client.post(reverse("public:sessions", args=["pf"])).status_code == 405


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_sessions(client, cast):
    url = reverse("public:sessions", args=["pf"])
    for _ in range(7):  # with the cast's 第1回 and 第2回
        f.make_session(cast.platform)
    visit = f.make_session(cast.platform, kind=Session.Kind.SITE_VISIT)
    SiteVisit.objects.create(session=visit).days.create(date=date(2025, 1, 6))
    assert Session.objects.public().count() == 10
    with_10 = _count_queries(client, url)
    start = date(2000, 1, 1)
    for i in range(190):
        f.make_session(cast.platform, date=start + timedelta(days=i))
    assert Session.objects.public().count() == 200
    assert _count_queries(client, url) == with_10
