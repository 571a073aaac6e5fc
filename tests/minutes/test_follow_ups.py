"""The follow-up tracker of a platform (進捗管理及びフォローアップ): the list with its add
form, and the edit page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from secretariat.council.models import Organisation
from secretariat.minutes.models import FollowUp
from tests import factories as f
from tests.minutes import count_queries

LIST = reverse("minutes:follow_ups", args=["pf"])


@pytest.fixture
def soumu():
    return f.make_organisation("総務省")


@pytest.fixture
def item(cast, soumu):
    return FollowUp.objects.create(
        platform=cast.platform,
        raised_at=cast.published,
        issue="窓口業務の民間委託の範囲を整理する",
        ministry=soumu,
        due=date(2016, 3, 31),
    )


def _edit_url(item):
    return reverse("minutes:follow_up_edit", args=[item.pk])


def test_the_list_shows_the_platforms_follow_ups(client, cast, item):
    FollowUp.objects.create(platform=cast.other_platform, issue="別の会議体の課題")
    client.force_login(cast.clerk)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["items"]) == [item]
    html = response.content.decode()
    assert "窓口業務の民間委託の範囲を整理する" in html
    assert "第1回" in html and "総務省" in html and "未着手" in html
    assert "平成28年3月31日" in html
    assert "別の会議体の課題" not in html
    assert _edit_url(item) in html
    assert "登録" in html


def test_adding_a_follow_up(client, cast, soumu):
    f.make_organisation("全国知事会", kind=Organisation.Kind.ASSOCIATION)
    client.force_login(cast.clerk)
    response = client.get(LIST)
    # Numbered sessions of this platform: not the one still being scheduled.
    raised = set(response.context["form"].fields["raised_at"].queryset)
    assert raised == {cast.published, cast.draft}
    ministries = list(response.context["form"].fields["ministry"].queryset)
    assert ministries == [soumu]  # ministries only
    response = client.post(
        LIST,
        {
            "raised_at": cast.draft.pk,
            "issue": '=HYPERLINK("x")\x0bの扱いを確認する',
            "ministry": soumu.pk,
            "status": "in_progress",
            "due": "2025-12-26",
            "note": "次回報告",
        },
    )
    assert response.status_code == 302
    assert response.url == LIST
    item = FollowUp.objects.get()
    assert (item.platform, item.raised_at, item.ministry, item.status) == (
        cast.platform,
        cast.draft,
        soumu,
        "in_progress",
    )
    assert (item.issue, item.due, item.note) == (
        '=HYPERLINK("x")\x0bの扱いを確認する',
        date(2025, 12, 26),
        "次回報告",
    )
    html = client.get(LIST).content.decode()
    assert "フォローアップを登録しました。" in html
    assert "令和7年12月26日" in html


def test_a_session_of_another_platform_or_an_empty_issue_is_refused(client, cast):
    elsewhere = f.make_session(cast.other_platform)
    client.force_login(cast.clerk)
    response = client.post(LIST, {"raised_at": elsewhere.pk, "issue": "", "status": "open"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "正しく選択してください。" in html
    assert "このフィールドは必須です。" in html
    assert not FollowUp.objects.exists()


def test_editing_a_follow_up(client, cast, item):
    client.force_login(cast.clerk)
    response = client.get(_edit_url(item))
    assert response.status_code == 200
    assert "窓口業務の民間委託の範囲を整理する" in response.content.decode()
    response = client.post(
        _edit_url(item),
        {
            "raised_at": cast.published.pk,
            "issue": item.issue,
            "ministry": item.ministry_id,
            "status": "done",
            "due": "2016-03-31",
            "note": "第3回で報告済み",
        },
    )
    assert response.status_code == 302
    assert response.url == LIST
    item.refresh_from_db()
    assert (item.status, item.note, item.platform) == ("done", "第3回で報告済み", cast.platform)
    assert "フォローアップを更新しました。" in client.get(LIST).content.decode()


def test_an_edit_that_does_not_validate_is_shown_again(client, cast, item):
    client.force_login(cast.clerk)
    response = client.post(_edit_url(item), {"issue": "", "status": "unknown", "note": "入力中"})
    assert response.status_code == 200
    assert "入力中" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "open"


def test_the_list_refuses_other_methods_anonymous_other_platform_and_viewer_posts(
    client, cast, item
):
    data = {"issue": "閲覧者の課題", "status": "open"}
    client.force_login(cast.clerk)
    assert client.put(LIST).status_code == 405
    client.logout()
    for response in (client.get(LIST), client.post(LIST, data)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    client.force_login(cast.other_clerk)
    assert client.get(LIST).status_code == 404
    assert client.post(LIST, data).status_code == 404
    client.force_login(cast.viewer)
    html = client.get(LIST).content.decode()
    assert "窓口業務の民間委託の範囲を整理する" in html
    assert _edit_url(item) not in html
    assert '<form method="post" class="form"' not in html
    assert client.post(LIST, data).status_code == 403
    assert FollowUp.objects.count() == 1


def test_the_edit_page_refuses_other_methods_anonymous_other_platform_and_viewer(
    client, cast, item
):
    data = {"issue": "書き換え", "status": "done"}
    client.force_login(cast.clerk)
    assert client.put(_edit_url(item)).status_code == 405
    assert client.get(reverse("minutes:follow_up_edit", args=[item.pk + 1])).status_code == 404
    client.logout()
    response = client.post(_edit_url(item), data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(cast.other_clerk)
    assert client.get(_edit_url(item)).status_code == 404
    assert client.post(_edit_url(item), data).status_code == 404
    client.force_login(cast.viewer)
    assert client.get(_edit_url(item)).status_code == 403
    assert client.post(_edit_url(item), data).status_code == 403
    item.refresh_from_db()
    assert (item.issue, item.status) == ("窓口業務の民間委託の範囲を整理する", "open")


def test_the_list_reads_a_fixed_number_of_queries(client, cast, item, soumu):
    client.force_login(cast.clerk)
    few = count_queries(client, LIST)
    for n in range(10):
        session = f.make_session(cast.platform, date=date(2016, 1, 1 + n))
        ministry = f.make_organisation(f"省{n}")
        FollowUp.objects.create(
            platform=cast.platform, raised_at=session, issue=f"課題{n}", ministry=ministry
        )
    assert count_queries(client, LIST) == few


def _delete_url(item):
    return reverse("minutes:follow_up_delete", args=[item.pk])


def test_deleting_a_follow_up(client, cast, item):
    client.force_login(cast.clerk)
    response = client.post(_delete_url(item))
    assert response.status_code == 302
    assert not FollowUp.objects.filter(pk=item.pk).exists()
    assert "フォローアップを削除しました。" in client.get(response.url).content.decode()


def test_deleting_needs_post_an_editor_and_the_platform(client, cast, item):
    client.force_login(cast.clerk)
    assert client.get(_delete_url(item)).status_code == 405
    client.force_login(cast.viewer)
    assert client.post(_delete_url(item)).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.post(_delete_url(item)).status_code == 404
    client.logout()
    assert client.post(_delete_url(item)).status_code == 302  # to the login page
    assert FollowUp.objects.filter(pk=item.pk).exists()
