from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat.meetings.models import Session
from tests import factories as f


def _url(session):
    return reverse("meetings:session", args=[session.pk])


def test_shows_the_session_its_agenda_and_every_material(client, cast):
    f.make_agenda_item(cast.published, "関係省庁ヒアリング", order=1)
    f.make_agenda_item(cast.published, "意見交換", order=2)
    client.force_login(cast.clerk)
    response = client.get(_url(cast.published))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第1回 公共サービスイノベーション・プラットフォーム" in html
    assert "平成27年9月14日（月）10:00～11:30" in html
    assert "中央合同庁舎第8号館 講堂" in html
    assert html.index("関係省庁ヒアリング") < html.index("意見交換")
    # Staff see every access level, with its label and reason.
    for material in (cast.public_material, cast.members_only, cast.not_public, cast.public_later):
        assert material.display_title in html
        assert reverse("documents:material_download", args=[material.pk]) in html
    assert "委員限り" in html
    assert "個人に関する情報（情報公開法第5条第1号）" in html
    assert "後日公開（令和81年1月1日）" in html
    assert "資料1_公開資料.pdf" in html
    assert "(PDF形式:" in html


def test_editor_gets_the_edit_buttons(client, cast):
    client.force_login(cast.clerk)
    html = client.get(_url(cast.published)).content.decode()
    assert reverse("meetings:session_edit", args=[cast.published.pk]) in html
    assert reverse("meetings:agenda_edit", args=[cast.published.pk]) in html
    assert reverse("documents:material_create", args=[cast.published.pk]) in html
    assert reverse("documents:material_edit", args=[cast.members_only.pk]) in html
    assert reverse("documents:material_delete", args=[cast.members_only.pk]) in html


def test_viewer_reads_without_edit_buttons(client, cast):
    client.force_login(cast.viewer)
    response = client.get(_url(cast.published))
    assert response.status_code == 200
    html = response.content.decode()
    assert cast.members_only.display_title in html
    assert reverse("meetings:session_edit", args=[cast.published.pk]) not in html
    assert reverse("meetings:agenda_edit", args=[cast.published.pk]) not in html
    assert reverse("documents:material_create", args=[cast.published.pk]) not in html
    assert reverse("documents:material_delete", args=[cast.members_only.pk]) not in html


def test_unpublished_session_is_visible_to_staff(client, cast):
    client.force_login(cast.clerk)
    response = client.get(_url(cast.draft))
    assert response.status_code == 200
    assert "未公開の会議の内容" in response.content.decode()


def test_planned_session_without_a_date(client, cast):
    planned = f.make_session(
        cast.platform, number=None, status=Session.Status.PLANNED, date=None, venue_name=""
    )
    client.force_login(cast.clerk)
    html = client.get(_url(planned)).content.decode()
    assert "次回会合（日程調整中）" in html
    assert "日程調整中" in html
    assert "議事はまだありません。" in html
    assert "資料はまだありません。" in html


def test_superuser(client, cast):
    client.force_login(cast.admin)
    response = client.get(_url(cast.published))
    assert response.status_code == 200
    assert reverse("meetings:session_edit", args=[cast.published.pk]) in response.content.decode()


def test_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    assert client.get(_url(cast.published)).status_code == 404
    assert client.get(_url(cast.draft)).status_code == 404


def test_unknown_session_is_404(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("meetings:session", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(_url(cast.published))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={_url(cast.published)}"


def test_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.post(_url(cast.published)).status_code == 405


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_materials_and_agenda(client, cast):
    client.force_login(cast.clerk)
    item = f.make_agenda_item(cast.draft, "議事1", order=1)
    cast.draft_material.agenda_item = item
    cast.draft_material.save()
    one = _count_queries(client, _url(cast.draft))
    for n in range(2, 21):
        item = f.make_agenda_item(cast.draft, f"議事{n}", order=n)
        f.make_material(cast.draft, label=f"資料{n}", title=f"資料その{n}", agenda_item=item)
    assert len(client.get(_url(cast.draft)).context["materials"]) == 20
    assert _count_queries(client, _url(cast.draft)) == one
