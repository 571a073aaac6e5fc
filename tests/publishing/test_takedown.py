"""公開停止: an editor takes one published file down at once, with a reason. It leaves
the public page, its URL, the bundle (rebuilt), the feed and the next static export,
stays down across later publications until replaced, and the 公開 tab records who,
when and why."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from documents.models import MaterialPart
from secretariat.publishing import tasks
from secretariat.publishing.actions import take_down
from secretariat.publishing.models import Publication, PublishedFile
from secretariat.publishing.static_site import export_site
from secretariat.publishing.tasks import build_bundle
from tests import factories as f
from tests.base import download_body
from tests.publishing import approve_minutes, material_url, session_url

REASON = "個人の連絡先が載ったファイルを誤って公開した"


@pytest.fixture
def published(cast, django_capture_on_commit_callbacks):
    """第1回 published again with a split 資料1 and a 参考資料1, its bundle built."""
    f.make_material(cast.published, label="参考資料1", title="参考資料", order=9)
    part = MaterialPart(material=cast.public_material, number=1)
    part.attach(f.pdf_upload("分割1.pdf"))
    part.save()
    with django_capture_on_commit_callbacks(execute=True):
        publication = f.publish(cast.published)
    publication.refresh_from_db()
    assert publication.bundle_status == Publication.BundleStatus.READY
    return publication


def _row(publication, material):
    return publication.files.get(kind=PublishedFile.Kind.MATERIAL, material=material)


def _url(row):
    return reverse("publishing:take_down", args=[row.pk])


def _part_url(cast):
    return reverse(
        "public:material_part", args=["pf", cast.published.pk, cast.public_material.pk, 1]
    )


def _bundle_names(client, cast) -> list[str]:
    response = client.get(reverse("public:bundle", args=["pf", cast.published.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(download_body(response))).namelist()


def test_a_takedown_removes_the_file_everywhere_at_once(
    client, cast, published, django_capture_on_commit_callbacks
):
    old_bundle = Publication.objects.get(pk=published.pk).bundle.name
    assert any("公開資料" in name for name in _bundle_names(client, cast))
    row = _row(published, cast.public_material)

    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(row), {"reason": REASON})
    assert response.status_code == 302
    assert response.url == reverse("publishing:session", args=[cast.published.pk])
    client.logout()

    assert client.get(material_url(cast.published, cast.public_material.pk)).status_code == 404
    assert client.get(_part_url(cast)).status_code == 404
    page = client.get(session_url(cast.published)).content.decode()
    assert "公開資料(PDF形式" not in page and "参考資料(PDF形式" in page
    # The bundle was rebuilt without it; the old one left storage.
    names = _bundle_names(client, cast)
    assert not any("公開資料" in name for name in names)
    assert any("参考資料" in name for name in names)
    assert not default_storage.exists(old_bundle)
    # The public revision is the same one: no new revision, no new feed entry.
    assert cast.published.publications.get(is_current=True).pk == published.pk

    client.force_login(cast.viewer)
    tab = client.get(reverse("publishing:session", args=[cast.published.pk])).content.decode()
    history = tab.split("公開停止の記録")[1]
    assert "資料1\u3000公開資料" in history and "clerk" in history and REASON in history
    rows = published.files.filter(material=cast.public_material)
    assert {(r.kind, r.taken_down_by, r.takedown_reason) for r in rows} == {
        ("material", cast.clerk, REASON),
        ("part", cast.clerk, REASON),
    }


def test_the_old_bundle_is_not_served_before_the_new_one_is_built(client, cast, published):
    row = _row(published, cast.public_material)
    take_down(published_file=row, reason=REASON, by=cast.clerk, now=published.published_at)
    published.refresh_from_db()
    assert published.bundle_status == Publication.BundleStatus.QUEUED
    assert client.get(reverse("public:bundle", args=["pf", cast.published.pk])).status_code == 404
    page = client.get(session_url(cast.published)).content.decode()
    assert "資料一括ダウンロード" not in page


def test_a_bundle_written_during_the_takedown_is_not_stored(cast, published, monkeypatch):
    Publication.objects.filter(pk=published.pk).update(
        bundle="", bundle_status=Publication.BundleStatus.QUEUED
    )
    row = _row(published, cast.public_material)
    write = tasks.write_bundle

    def write_then_take_down(members, out, **kwargs):
        write(members, out, **kwargs)
        take_down(published_file=row, reason=REASON, by=cast.clerk, now=published.published_at)

    monkeypatch.setattr(tasks, "write_bundle", write_then_take_down)
    assert build_bundle(published.pk) == "skipped"
    published.refresh_from_db()
    assert published.bundle_status == Publication.BundleStatus.QUEUED and not published.bundle
    monkeypatch.setattr(tasks, "write_bundle", write)
    assert build_bundle(published.pk) == "built"


def test_the_next_static_export_drops_it(cast, published, tmp_path):
    root = tmp_path / "site"
    export_site(root, base_url="https://www.example.go.jp")
    target = (
        root / f"councils/pf/meetings/{cast.published.pk}/materials/{cast.public_material.pk}.pdf"
    )
    assert target.is_file()
    take_down(
        published_file=_row(published, cast.public_material),
        reason=REASON,
        by=cast.clerk,
        now=published.published_at,
    )
    report = export_site(root, base_url="https://www.example.go.jp")
    assert not target.exists()
    assert report.dangling == []
    assert (
        "公開資料(PDF形式"
        not in (root / f"councils/pf/meetings/{cast.published.pk}/index.html").read_text()
    )


def test_the_feed_no_longer_names_it_as_a_correction(client, cast, published):
    from documents.actions import replace_file

    material = cast.public_material
    replace_file(material=material, upload=f.pdf_upload(), now=published.published_at)
    material.save()
    publication = f.publish(cast.published)
    feed = reverse("public:feed", args=["pf"])
    assert "資料1を差し替えました" in client.get(feed).content.decode()
    assert "資料1を差し替えました" in client.get(session_url(cast.published)).content.decode()
    take_down(
        published_file=_row(publication, material),
        reason=REASON,
        by=cast.clerk,
        now=publication.published_at,
    )
    assert "資料1" not in client.get(feed).content.decode()
    assert "資料1を差し替えました" not in client.get(session_url(cast.published)).content.decode()


def test_republishing_leaves_it_down_until_it_is_replaced(client, cast, published):
    from documents.actions import replace_file

    take_down(
        published_file=_row(published, cast.public_material),
        reason=REASON,
        by=cast.clerk,
        now=published.published_at,
    )
    again = f.publish(cast.published)
    assert not again.files.filter(material=cast.public_material).exists()
    url = material_url(cast.published, cast.public_material.pk)
    assert client.get(url).status_code == 404
    client.force_login(cast.clerk)
    tab = client.get(reverse("publishing:session", args=[cast.published.pk])).content.decode()
    assert "公開停止中（差し替えるまで、公開し直しても公開しません）: 資料1\u3000公開資料" in tab
    assert "追加: 資料1" not in tab

    replace_file(material=cast.public_material, upload=f.pdf_upload(), now=again.published_at)
    cast.public_material.save()
    f.publish(cast.published)
    client.logout()
    assert client.get(url).status_code == 200


def test_taken_down_minutes_refuse_a_full_publication_of_the_same_minutes(cast):
    from django.core.exceptions import ValidationError

    approve_minutes(cast.published, cast.clerk)
    publication = f.publish(cast.published, kind=Publication.Kind.FULL)
    minutes = publication.files.get(kind=PublishedFile.Kind.MINUTES)
    take_down(published_file=minutes, reason=REASON, by=cast.clerk, now=publication.published_at)
    with pytest.raises(ValidationError, match="この議事要旨は公開停止しています"):
        f.publish(cast.published, kind=Publication.Kind.FULL)
    f.publish(cast.published)  # materials only: still possible


def test_a_reason_is_required_and_nothing_changes_without_one(client, cast, published):
    row = _row(published, cast.public_material)
    client.force_login(cast.clerk)
    response = client.post(_url(row), {"reason": "  "})
    assert response.status_code == 400
    assert "公開停止の理由を入力してください。" in response.content.decode()
    row.refresh_from_db()
    assert row.taken_down_at is None
    assert client.get(material_url(cast.published, cast.public_material.pk)).status_code == 200


def test_a_part_or_a_file_of_an_earlier_revision_cannot_be_taken_down(client, cast, published):
    part = published.files.get(kind=PublishedFile.Kind.PART)
    client.force_login(cast.clerk)
    response = client.post(_url(part), {"reason": REASON})
    assert response.status_code == 400
    assert "元の資料ごと公開停止してください" in response.content.decode()
    row = _row(published, cast.public_material)
    f.publish(cast.published)
    response = client.post(_url(row), {"reason": REASON})
    assert response.status_code == 400
    assert "公開中の版にありません" in response.content.decode()
    assert not PublishedFile.objects.filter(taken_down_at__isnull=False).exists()


def test_only_editors_of_the_council_may_take_down(client, cast, published):
    row = _row(published, cast.public_material)
    client.force_login(cast.viewer)
    assert client.post(_url(row), {"reason": REASON}).status_code == 403
    page = client.get(reverse("publishing:session", args=[cast.published.pk])).content.decode()
    assert _url(row) not in page
    client.force_login(cast.other_clerk)
    assert client.post(_url(row), {"reason": REASON}).status_code == 404
    client.force_login(cast.clerk)
    assert client.get(_url(row)).status_code == 405
    client.logout()
    response = client.post(_url(row), {"reason": REASON})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    row.refresh_from_db()
    assert row.taken_down_at is None


def test_the_tab_offers_the_button_to_editors(client, cast, published):
    client.force_login(cast.clerk)
    page = client.get(reverse("publishing:session", args=[cast.published.pk])).content.decode()
    assert _url(_row(published, cast.public_material)) in page
    assert _url(published.files.get(kind=PublishedFile.Kind.PART)) not in page
