from datetime import date, time

from django.urls import reverse

from secretariat.meetings.models import Session, SiteVisit
from tests.base import DATE_RANGE_ERROR

URL = reverse("meetings:session_create", args=["pf"])


def _data(**fields):
    data = {
        "kind": "meeting",
        "topics": "関係省庁ヒアリング",
        "status": "scheduled",
        "number": "3",
        "date": "2015-11-16",
        "start_time": "10:00",
        "end_time": "12:00",
        "venue_name": "中央合同庁舎第8号館",
        "venue_address": "東京都千代田区永田町1-6-1",
    }
    return data | fields


def test_shows_an_empty_form(client, cast):
    client.force_login(cast.clerk)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "会議の登録" in html
    assert 'name="topics"' in html


def test_creates_the_session(client, cast):
    client.force_login(cast.clerk)
    response = client.post(URL, _data(online="on"))
    session = Session.objects.get(platform=cast.platform, number=3)
    assert response.status_code == 302
    assert response.url == reverse("meetings:session", args=[session.pk])
    assert session.kind == Session.Kind.MEETING
    assert session.status == Session.Status.SCHEDULED
    assert session.topics == "関係省庁ヒアリング"
    assert session.date == date(2015, 11, 16)
    assert (session.start_time, session.end_time) == (time(10, 0), time(12, 0))
    assert session.venue_name == "中央合同庁舎第8号館"
    assert session.venue_address == "東京都千代田区永田町1-6-1"
    assert session.online is True
    assert not SiteVisit.objects.filter(session=session).exists()
    page = client.get(response.url).content.decode()
    assert "会議を登録しました。" in page
    assert "平成27年11月16日（月）10:00～12:00" in page


def test_scheduled_session_without_a_number_gets_the_next_one(client, cast):
    client.force_login(cast.clerk)
    client.post(URL, _data(number=""))
    session = Session.objects.get(platform=cast.platform, topics="関係省庁ヒアリング")
    # 第1回 and 第2回 exist on this platform.
    assert session.number == 3


def test_numbers_are_counted_per_platform(client, cast):
    client.force_login(cast.other_clerk)
    url = reverse("meetings:session_create", args=["other"])
    assert client.post(url, _data(number="")).status_code == 302
    assert Session.objects.get(platform=cast.other_platform).number == 1
    assert client.post(url, _data(number="")).status_code == 302
    numbers = Session.objects.filter(platform=cast.other_platform).values_list("number", flat=True)
    assert sorted(numbers) == [1, 2]


def test_planned_session_gets_no_number_and_needs_no_date(client, cast):
    client.force_login(cast.clerk)
    response = client.post(
        URL, _data(status="planned", number="", date="", start_time="", end_time="")
    )
    assert response.status_code == 302
    session = Session.objects.get(platform=cast.platform, topics="関係省庁ヒアリング")
    assert session.number is None
    assert session.date is None
    assert session.status == Session.Status.PLANNED


def test_site_visit_gets_no_number_and_its_site_visit_row(client, cast):
    client.force_login(cast.clerk)
    response = client.post(URL, _data(kind="site_visit", number="", topics="現地視察（愛知県）"))
    assert response.status_code == 302
    session = Session.objects.get(platform=cast.platform, topics="現地視察（愛知県）")
    assert session.number is None
    assert session.is_site_visit
    assert SiteVisit.objects.filter(session=session).count() == 1


def test_number_already_taken_is_an_error(client, cast):
    client.force_login(cast.clerk)
    response = client.post(URL, _data(number="2", topics="重複した回数の会議"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "この回数の会議はすでにあります。" in html
    assert "重複した回数の会議" in html
    assert 'value="2"' in html
    assert not Session.objects.filter(topics="重複した回数の会議").exists()
    assert Session.objects.filter(platform=cast.platform).count() == 3  # the cast's own


def test_end_before_start_is_an_error(client, cast):
    client.force_login(cast.clerk)
    response = client.post(URL, _data(start_time="15:00", end_time="14:00"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "終了時刻は開始時刻より後にしてください。" in html
    assert 'value="15:00"' in html
    assert 'value="14:00"' in html
    assert "関係省庁ヒアリング" in html
    assert not Session.objects.filter(topics="関係省庁ヒアリング").exists()


def test_end_without_start_is_an_error(client, cast):
    client.force_login(cast.clerk)
    response = client.post(URL, _data(start_time=""))
    assert response.status_code == 200
    assert "終了時刻を入れるときは開始時刻も入れてください。" in response.content.decode()
    assert not Session.objects.filter(topics="関係省庁ヒアリング").exists()


def test_date_outside_every_era_is_an_error(client, cast):
    client.force_login(cast.clerk)
    response = client.post(URL, _data(date="1800-01-01"))
    assert response.status_code == 200
    html = response.content.decode()
    assert DATE_RANGE_ERROR in html
    assert 'value="1800-01-01"' in html
    assert not Session.objects.filter(topics="関係省庁ヒアリング").exists()


def test_scheduled_session_needs_a_date(client, cast):
    client.force_login(cast.clerk)
    response = client.post(URL, _data(date=""))
    assert response.status_code == 200
    assert "予定以外の状態には開催日が必要です。" in response.content.decode()
    assert not Session.objects.filter(topics="関係省庁ヒアリング").exists()


def test_topics_are_required(client, cast):
    client.force_login(cast.clerk)
    response = client.post(URL, _data(topics=""))
    assert response.status_code == 200
    assert "このフィールドは必須です。" in response.content.decode()
    assert Session.objects.filter(platform=cast.platform).count() == 3  # the cast's own


def test_superuser_can_create(client, cast):
    client.force_login(cast.admin)
    assert client.post(URL, _data()).status_code == 302
    assert Session.objects.filter(platform=cast.platform, number=3).exists()


def test_viewer_is_forbidden(client, cast):
    client.force_login(cast.viewer)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _data()).status_code == 403
    assert not Session.objects.filter(topics="関係省庁ヒアリング").exists()


def test_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    assert client.get(URL).status_code == 404
    assert client.post(URL, _data()).status_code == 404
    assert not Session.objects.filter(topics="関係省庁ヒアリング").exists()


def test_anonymous_is_sent_to_login(client, cast):
    response = client.post(URL, _data())
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"
    assert not Session.objects.filter(topics="関係省庁ヒアリング").exists()


def test_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.put(URL).status_code == 405
