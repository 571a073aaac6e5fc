from datetime import date, time

from django.urls import reverse

from secretariat.meetings.models import Session, SiteVisit
from tests import factories as f
from tests.base import DATE_RANGE_ERROR


def _url(session):
    return reverse("meetings:session_edit", args=[session.pk])


def _data(session, **fields):
    """The form as the browser sends it back: every field prefilled, then the changes."""
    data = {
        "kind": session.kind,
        "topics": session.topics,
        "status": session.status,
        "number": "" if session.number is None else str(session.number),
        "date": f"{session.date:%Y-%m-%d}" if session.date else "",
        "start_time": f"{session.start_time:%H:%M}" if session.start_time else "",
        "end_time": f"{session.end_time:%H:%M}" if session.end_time else "",
        "venue_name": session.venue_name,
        "venue_address": session.venue_address,
    }
    if session.online:
        data["online"] = "on"
    return data | fields


def test_shows_the_form_filled_in(client, cast):
    client.force_login(cast.clerk)
    response = client.get(_url(cast.draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "会議の編集" in html
    assert "未公開の会議の内容" in html
    assert 'value="2015-10-30"' in html
    assert 'value="10:00"' in html


def test_saves_the_changes(client, cast):
    client.force_login(cast.clerk)
    response = client.post(
        _url(cast.draft),
        _data(cast.draft, topics="有識者ヒアリング", end_time="12:00", venue_name="合同庁舎4号館"),
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:session", args=[cast.draft.pk])
    cast.draft.refresh_from_db()
    assert cast.draft.topics == "有識者ヒアリング"
    assert cast.draft.end_time == time(12, 0)
    assert cast.draft.venue_name == "合同庁舎4号館"
    # Untouched fields stay as they were.
    assert cast.draft.number == 2
    assert cast.draft.date == date(2015, 10, 30)
    assert cast.draft.status == Session.Status.HELD
    assert "会議を更新しました。" in client.get(response.url).content.decode()


def test_keeping_its_own_number_is_not_a_clash(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_url(cast.draft), _data(cast.draft, topics="変更"))
    assert response.status_code == 302
    cast.draft.refresh_from_db()
    assert (cast.draft.number, cast.draft.topics) == (2, "変更")


def test_scheduling_a_planned_session_gives_it_the_next_number(client, cast):
    planned = f.make_session(
        cast.platform, number=None, status=Session.Status.PLANNED, date=None, topics="日程調整"
    )
    client.force_login(cast.clerk)
    response = client.post(
        _url(planned), _data(planned, status="scheduled", date="2015-12-01", number="")
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.number == 3
    assert planned.status == Session.Status.SCHEDULED


def test_a_planned_session_stays_without_a_number(client, cast):
    planned = f.make_session(
        cast.platform, number=None, status=Session.Status.PLANNED, date=None, topics="日程調整"
    )
    client.force_login(cast.clerk)
    assert client.post(_url(planned), _data(planned, topics="日程調整中")).status_code == 302
    planned.refresh_from_db()
    assert planned.number is None
    assert planned.topics == "日程調整中"


def test_turning_a_session_into_a_site_visit_creates_its_site_visit(client, cast):
    planned = f.make_session(
        cast.platform, number=None, status=Session.Status.PLANNED, date=None, topics="視察の準備"
    )
    client.force_login(cast.clerk)
    response = client.post(
        _url(planned), _data(planned, kind="site_visit", status="scheduled", date="2015-10-08")
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.is_site_visit
    assert planned.number is None
    assert SiteVisit.objects.filter(session=planned).count() == 1


def test_number_already_taken_is_an_error(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_url(cast.draft), _data(cast.draft, number="1", topics="書きかけ"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "この回数の会議はすでにあります。" in html
    assert "書きかけ" in html
    # The breadcrumbs still name the session as saved, not as typed.
    assert f'<a href="{reverse("meetings:session", args=[cast.draft.pk])}">第2回</a>' in html
    cast.draft.refresh_from_db()
    assert (cast.draft.number, cast.draft.topics) == (2, "未公開の会議の内容")


def test_end_before_start_is_an_error(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_url(cast.draft), _data(cast.draft, end_time="09:00"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "終了時刻は開始時刻より後にしてください。" in html
    assert 'value="09:00"' in html
    cast.draft.refresh_from_db()
    assert cast.draft.end_time == time(11, 30)


def test_date_outside_every_era_is_an_error(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_url(cast.draft), _data(cast.draft, date="1800-01-01"))
    assert response.status_code == 200
    html = response.content.decode()
    assert DATE_RANGE_ERROR in html
    assert 'value="1800-01-01"' in html
    cast.draft.refresh_from_db()
    assert cast.draft.date == date(2015, 10, 30)


def test_superuser_can_edit(client, cast):
    client.force_login(cast.admin)
    assert client.post(_url(cast.draft), _data(cast.draft, topics="管理者")).status_code == 302
    cast.draft.refresh_from_db()
    assert cast.draft.topics == "管理者"


def test_viewer_is_forbidden(client, cast):
    client.force_login(cast.viewer)
    assert client.get(_url(cast.draft)).status_code == 403
    assert client.post(_url(cast.draft), _data(cast.draft, topics="閲覧者")).status_code == 403
    cast.draft.refresh_from_db()
    assert cast.draft.topics == "未公開の会議の内容"


def test_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    assert client.get(_url(cast.draft)).status_code == 404
    assert client.post(_url(cast.draft), _data(cast.draft, topics="他")).status_code == 404
    cast.draft.refresh_from_db()
    assert cast.draft.topics == "未公開の会議の内容"


def test_anonymous_is_sent_to_login(client, cast):
    response = client.post(_url(cast.draft), _data(cast.draft, topics="匿名"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={_url(cast.draft)}"
    cast.draft.refresh_from_db()
    assert cast.draft.topics == "未公開の会議の内容"


def test_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.delete(_url(cast.draft)).status_code == 405


def test_published_is_set_by_publishing_only(client, cast):
    client.force_login(cast.clerk)
    for session, status in ((cast.draft, "published"), (cast.published, "held")):
        before = session.status
        response = client.post(_url(session), _data(session, status=status))
        assert response.status_code == 200
        assert "「公開」の画面で行ってください" in response.content.decode()
        session.refresh_from_db()
        assert session.status == before
