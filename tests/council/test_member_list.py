from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat.council.models import Membership, Theme
from tests import factories as f

URL = reverse("council:members", args=["pf"])


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _ministry_with_themes(platform, name, *themes):
    category = platform.categories.get_or_create(name="テーマ別参加省庁", defaults={"order": 4})[0]
    membership = f.make_membership(platform, category, organisation=f.make_organisation(name))
    membership.themes.set(themes)
    return membership


def test_lists_members_with_kana_title_role_and_themes(client, cast):
    chair = f.make_person("井伊", "重之", "いい", "しげゆき", title="東京大学教授")
    f.make_membership(
        cast.platform,
        cast.member.category,
        chair,
        role=Membership.Role.CHAIR,
        start_date=date(2015, 9, 1),
    )
    outsourcing = Theme.objects.create(platform=cast.platform, name="アウトソーシング", order=1)
    cloud = Theme.objects.create(platform=cast.platform, name="クラウド化", order=2)
    _ministry_with_themes(cast.platform, "総務省", outsourcing, cloud)
    client.force_login(cast.clerk)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "武山\u3000政直" in html
    assert "たけやま まさなお" in html
    assert "教授" in html
    assert "井伊\u3000重之" in html
    assert "いい しげゆき" in html
    assert "座長" in html
    assert "平成27年9月1日～" in html
    assert "総務省" in html
    assert "テーマ別参加省庁" in html
    assert "アウトソーシング、クラウド化" in html
    assert reverse("council:membership_create", args=["pf"]) in html
    assert reverse("council:membership_edit", args=[cast.member.pk]) in html


def test_shows_only_this_platforms_members(client, cast):
    other_category = f.make_category(cast.other_platform, "別の区分")
    outsider = f.make_person("別府", "花子", "べっぷ", "はなこ")
    f.make_membership(cast.other_platform, other_category, outsider)
    _ministry_with_themes(cast.other_platform, "国土交通省")
    client.force_login(cast.clerk)
    html = client.get(URL).content.decode()
    assert "武山\u3000政直" in html
    assert "別府" not in html
    assert "べっぷ" not in html
    assert "別の区分" not in html
    assert "国土交通省" not in html


def test_empty_platform_says_so(client, cast):
    client.force_login(cast.other_clerk)
    response = client.get(reverse("council:members", args=["other"]))
    assert response.status_code == 200
    assert "構成員はまだいません。" in response.content.decode()


def test_viewer_reads_without_edit_links(client, cast):
    client.force_login(cast.viewer)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "たけやま まさなお" in html
    assert reverse("council:membership_create", args=["pf"]) not in html
    assert reverse("council:membership_edit", args=[cast.member.pk]) not in html


def test_superuser(client, cast):
    client.force_login(cast.admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert "たけやま まさなお" in response.content.decode()


def test_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    assert client.get(URL).status_code == 404


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"


def test_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.post(URL).status_code == 405


def test_query_count_does_not_grow_with_members(client, cast):
    theme = Theme.objects.create(platform=cast.platform, name="広域化・共同化")
    cast.member.themes.set([theme])
    client.force_login(cast.clerk)
    one = _count_queries(client, URL)
    for n in range(19):
        if n % 2:
            person = f.make_person(f"委員{n}", "太郎", "いいん", "たろう")
            f.make_membership(cast.platform, cast.member.category, person)
        else:
            _ministry_with_themes(cast.platform, f"省庁{n}", theme)
    assert len(client.get(URL).context["memberships"]) == 20
    assert _count_queries(client, URL) == one
