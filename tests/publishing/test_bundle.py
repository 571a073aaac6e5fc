"""The materials bundle (資料一括ダウンロード): built by build_bundle after a publication,
served at public:bundle, read back with zipfile and Info-ZIP's unzip."""

from __future__ import annotations

import io
import os
import subprocess
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from exports.fileinfo import size_label
from secretariat.publishing.models import Publication
from secretariat.publishing.tasks import build_bundle
from tests import factories as f
from tests.base import download_body
from tests.publishing import approve_minutes, session_url, stored_under


def _read(stored) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def _bundle_url(cast) -> str:
    return reverse("public:bundle", args=["pf", cast.published.pk])


def _download(client, cast) -> bytes:
    response = client.get(_bundle_url(cast))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return download_body(response)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def reference(cast):
    """A second public material of 第1回, after the cast's four."""
    return f.make_material(cast.published, label="参考資料1", title="参考資料の題名", order=5)


@pytest.fixture
def publication(cast, reference):
    """第1回 published in full (materials and the approved minutes), its bundle built."""
    approve_minutes(cast.published, cast.clerk)
    publication = f.publish(cast.published, kind=Publication.Kind.FULL)
    assert build_bundle(publication.pk) == "built"
    publication.refresh_from_db()
    return publication


def test_no_bundle_is_served_before_it_is_built(client, cast):
    current = cast.published.publications.get(is_current=True)
    assert current.bundle_status == Publication.BundleStatus.QUEUED
    assert client.get(_bundle_url(cast)).status_code == 404
    assert "資料一括ダウンロード" not in client.get(session_url(cast.published)).content.decode()


def test_the_bundle_holds_the_index_then_materials_in_label_order_then_minutes(
    client, cast, reference, publication
):
    members = _members(_download(client, cast))
    folder = f"第1回{cast.platform.short_name}"
    assert list(members) == [
        f"{folder}/00_一覧.txt",
        f"{folder}/01_資料1_公開資料.pdf",
        f"{folder}/02_参考資料1_参考資料の題名.pdf",
        f"{folder}/03_議事要旨.docx",
    ]
    contents = list(members.values())
    assert contents[1] == _read(cast.public_material)
    assert contents[2] == _read(reference)
    minutes = publication.files.get(kind="minutes")
    assert contents[3] == _read(minutes)
    index = contents[0].decode("utf-8-sig")
    assert index.startswith(f"第1回 {cast.platform.name} 資料一覧\r\n")
    assert "資料1　公開資料(PDF形式:" in index
    assert "　ファイル名:03_議事要旨.docx" in index


def test_a_materials_only_bundle_has_no_minutes(client, cast, reference):
    approve_minutes(cast.published, cast.clerk)
    publication = f.publish(cast.published)
    build_bundle(publication.pk)
    names = list(_members(_download(client, cast)))
    assert not any("議事要旨" in name for name in names)
    assert len(names) == 3


def test_names_are_utf8_flagged(client, cast, publication):
    with zipfile.ZipFile(io.BytesIO(_download(client, cast))) as archive:
        infos = archive.infolist()
    assert infos
    for info in infos:
        assert not info.filename.isascii()
        assert info.flag_bits & 0x800, info.filename


def test_no_withheld_material_is_in_the_bundle(client, cast, publication):
    data = _download(client, cast)
    members = _members(data)
    for withheld in (cast.members_only, cast.not_public, cast.public_later):
        content = _read(withheld)
        # Stored, not deflated: a member's bytes would appear as they are.
        assert content not in data
        assert not any(withheld.title in name for name in members)
        assert withheld.title not in next(iter(members.values())).decode("utf-8-sig")


def test_the_session_page_links_the_bundle_with_its_size(client, cast, publication):
    html = client.get(session_url(cast.published)).content.decode()
    text = f"資料一括ダウンロード(ZIP形式:{size_label(publication.bundle_size)})"
    assert f'<a href="{_bundle_url(cast)}">{text}</a>' in html
    assert publication.bundle_size == len(_download(client, cast))


def test_republishing_never_serves_the_old_bundle(client, cast, reference, publication):
    old = _download(client, cast)
    material = cast.public_material
    material.access, material.reason = "members_only", "deliberation"
    material.save()

    republished = f.publish(cast.published, kind=Publication.Kind.FULL)
    assert client.get(_bundle_url(cast)).status_code == 404
    assert "資料一括ダウンロード" not in client.get(session_url(cast.published)).content.decode()

    assert build_bundle(republished.pk) == "built"
    new = _download(client, cast)
    assert new != old
    names = list(_members(new))
    assert not any("公開資料" in name for name in names)
    assert any("参考資料1" in name for name in names)
    assert _read(material) not in new
    # The superseded publication's bundle is not rebuilt either.
    assert build_bundle(publication.pk) == "skipped"


def test_the_old_bundle_leaves_storage_once_republished(
    client, cast, reference, publication, django_capture_on_commit_callbacks
):
    storage, old_name = publication.bundle.storage, publication.bundle.name
    assert storage.exists(old_name)
    with django_capture_on_commit_callbacks(execute=True):
        republished = f.publish(cast.published)
    # The bundle job ran on commit (sync mode) and the superseded ZIP was deleted.
    assert not storage.exists(old_name)
    republished.refresh_from_db()
    assert republished.bundle_status == Publication.BundleStatus.READY
    assert republished.bundle.name != old_name
    publication.refresh_from_db()
    assert (publication.bundle.name, publication.bundle_size) == ("", None)
    assert len(_download(client, cast)) == republished.bundle_size


def test_unzip_lists_the_same_names_as_zipfile(client, cast, publication, tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(_download(client, cast))
    with zipfile.ZipFile(path) as archive:
        expected = archive.namelist()
    listing = subprocess.run(
        ["unzip", "-l", str(path)],
        capture_output=True,
        check=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    ).stdout.decode("utf-8")
    # The entries sit between the two dashed rules, one per line: size, date, time, name.
    lines = listing.splitlines()
    rules = [n for n, line in enumerate(lines) if line.startswith("---------")]
    assert len(rules) == 2, listing
    names = [line.split(maxsplit=3)[3] for line in lines[rules[0] + 1 : rules[1]]]
    assert names == expected


def test_building_twice_changes_nothing(cast, publication):
    name, size = publication.bundle.name, publication.bundle_size
    bundles = stored_under("bundles")
    assert build_bundle(publication.pk) == "skipped"
    publication.refresh_from_db()
    assert (publication.bundle.name, publication.bundle_size) == (name, size)
    assert publication.bundle_status == Publication.BundleStatus.READY
    assert stored_under("bundles") == bundles


def test_building_again_after_a_failure_replaces_the_error(cast, reference):
    publication = f.publish(cast.published)
    Publication.objects.filter(pk=publication.pk).update(
        bundle_status=Publication.BundleStatus.FAILED, bundle_error="BundleError: earlier"
    )
    assert build_bundle(publication.pk) == "built"
    publication.refresh_from_db()
    assert publication.bundle_status == Publication.BundleStatus.READY
    assert publication.bundle_error == ""


def test_a_public_later_material_is_bundled_from_its_tokyo_day(client, cast, time_machine):
    # 08:00 in Tokyo on 2030-04-01 is still 2030-03-31 in UTC.
    time_machine.move_to("2030-04-01 08:00 +0900", tick=False)
    material = cast.public_later
    material.public_from = date(2030, 4, 1)
    material.save()
    publication = f.publish(cast.published)
    url = reverse("public:material", args=["pf", cast.published.pk, material.pk])
    assert client.get(url).status_code == 200
    build_bundle(publication.pk)
    names = list(_members(_download(client, cast)))
    assert any(material.title in name for name in names), names
