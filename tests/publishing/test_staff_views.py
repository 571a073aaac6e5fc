"""The staff's publishing page and the static-export button: who may do what."""

from __future__ import annotations

import io
import zipfile

from django.urls import reverse

from secretariat.publishing.models import Publication, SiteExport
from tests import factories as f
from tests.base import download_body


def _page(session):
    return reverse("publishing:session", args=[session.pk])


def _publish(session):
    return reverse("publishing:publish", args=[session.pk])


def test_page_shows_the_current_revision_history_and_pending_changes(client, cast):
    cast.public_material.title = "公開資料（改）"
    cast.public_material.save()
    client.force_login(cast.viewer)
    page = client.get(_page(cast.published)).content.decode()
    assert "第1版（資料のみ公開（議事要旨は後日））" in page
    assert "資料番号・資料名の変更: 資料1\u3000公開資料（改）" in page
    assert "公開の履歴" in page
    assert (
        "<form" not in page.split("公開の履歴")[0].split("公開する")[-1] or "実行する" not in page
    )


def test_publishing_makes_a_new_revision(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_publish(cast.published), {"kind": "materials", "based_on": 1})
    assert response.status_code == 302
    assert response.url == _page(cast.published)
    assert list(cast.published.publications.values_list("number", "is_current")) == [
        (2, True),
        (1, False),
    ]
    assert "第2版として公開しました" in client.get(response.url).content.decode()


def test_a_stale_form_is_refused_and_changes_nothing(client, cast):
    client.force_login(cast.clerk)
    f.publish(cast.published)  # someone else, meanwhile
    response = client.post(_publish(cast.published), {"kind": "materials", "based_on": 1})
    assert response.status_code == 400
    assert "他の担当者がこの会議を公開し直しました（第2版）" in response.content.decode()
    assert cast.published.publications.count() == 2


def test_full_publication_without_approved_minutes_says_what_to_do(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_publish(cast.draft), {"kind": "full", "based_on": 0})
    assert response.status_code == 400
    assert "「資料のみ公開」を選んでください" in response.content.decode()
    assert not cast.draft.publications.exists()


def test_bad_kind_is_a_form_error(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_publish(cast.draft), {"kind": "everything", "based_on": 0})
    assert response.status_code == 400
    assert not cast.draft.publications.exists()


def test_withdrawing(client, cast):
    client.force_login(cast.clerk)
    assert (
        client.post(_publish(cast.published), {"kind": "withdrawn", "based_on": 1}).status_code
        == 302
    )
    current = cast.published.publications.get(is_current=True)
    assert current.kind == Publication.Kind.WITHDRAWN
    assert "公開を取り下げています" in client.get(_page(cast.published)).content.decode()


def test_get_on_publish_is_405(client, cast):
    client.force_login(cast.clerk)
    assert client.get(_publish(cast.published)).status_code == 405


def test_viewer_may_look_but_not_publish(client, cast):
    client.force_login(cast.viewer)
    assert client.get(_page(cast.published)).status_code == 200
    response = client.post(_publish(cast.published), {"kind": "materials", "based_on": 1})
    assert response.status_code == 403
    assert cast.published.publications.count() == 1


def test_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    assert client.get(_page(cast.published)).status_code == 404
    response = client.post(_publish(cast.published), {"kind": "withdrawn", "based_on": 1})
    assert response.status_code == 404
    assert cast.published.publications.count() == 1


def test_anonymous_is_sent_to_login(client, cast):
    response = client.post(_publish(cast.published), {"kind": "withdrawn", "based_on": 1})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert cast.published.publications.count() == 1


def test_superuser_can_publish(client, cast):
    client.force_login(cast.admin)
    response = client.post(_publish(cast.draft), {"kind": "materials", "based_on": 0})
    assert response.status_code == 302
    assert cast.draft.publications.get().published_by == cast.admin


def test_site_export_button_writes_and_offers_the_zip(
    client, cast, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PUBLIC_EXPORT_DIR = tmp_path / "site"
    client.force_login(cast.clerk)
    assert client.get(reverse("publishing:site_export")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("publishing:start_site_export"))
    assert response.status_code == 302
    export = SiteExport.objects.get()
    assert export.status == SiteExport.Status.DONE and export.written > 0
    assert (tmp_path / "site/councils/pf/index.html").is_file()
    page = client.get(reverse("publishing:site_export")).content.decode()
    assert "完了" in page
    download = client.get(reverse("publishing:site_export_download", args=[export.pk]))
    names = zipfile.ZipFile(io.BytesIO(download_body(download))).namelist()
    assert "councils/pf/index.html" in names
    assert not any(name.startswith(".export") for name in names)


def test_site_export_needs_an_editor(client, cast):
    client.force_login(cast.viewer)
    assert client.get(reverse("publishing:site_export")).status_code == 403
    assert client.post(reverse("publishing:start_site_export")).status_code == 403
    assert not SiteExport.objects.exists()


def test_the_site_export_page_names_no_other_councils_staff(client, cast):
    exporter = f.make_staff(cast.platform, username="jimukyoku_a")
    SiteExport.objects.create(requested_by=exporter, requested_at=cast.published.updated_at)
    client.force_login(cast.other_clerk)
    html = client.get(reverse("publishing:site_export")).content.decode()
    assert "他の担当者" in html and "jimukyoku_a" not in html
    client.force_login(exporter)
    assert "jimukyoku_a —" in client.get(reverse("publishing:site_export")).content.decode()


def test_one_site_export_at_a_time(client, cast):
    client.force_login(cast.clerk)
    SiteExport.objects.create(requested_by=cast.clerk, requested_at=cast.published.updated_at)
    response = client.post(reverse("publishing:start_site_export"), follow=True)
    assert "書き出し中です" in response.content.decode()
    assert SiteExport.objects.count() == 1


def test_an_export_the_worker_gave_up_on_does_not_block_the_next(client, cast, settings):
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(seconds=settings.Q_CLUSTER["retry"] + 60)
    stuck = SiteExport.objects.create(
        requested_by=cast.clerk, requested_at=long_ago, status=SiteExport.Status.RUNNING
    )
    client.force_login(cast.clerk)
    client.post(reverse("publishing:start_site_export"))
    stuck.refresh_from_db()
    assert stuck.status == SiteExport.Status.FAILED
    assert SiteExport.objects.count() == 2


def test_the_page_lists_a_material_made_public_later(client, cast):
    from datetime import date

    from documents.models import Material

    cast.public_material.access = Material.Access.PUBLIC_LATER
    cast.public_material.public_from = date(2099, 4, 1)
    cast.public_material.reason = Material.Reason.DELIBERATION
    cast.public_material.save()
    client.force_login(cast.clerk)
    page = client.get(_page(cast.published)).content.decode()
    assert "公開区分・公開日の変更: 資料1\u3000公開資料" in page
