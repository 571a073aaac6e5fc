"""Replacing a material's file (差し替え) and its split parts (分割版) through the staff edit
view, as the public sees them before and after the session is published again; and what a
deleted material's stored file becomes."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

import pytest
from django.urls import reverse

from documents.models import Material, MaterialPart, MaterialVersion
from exports.atom import ATOM_NAMESPACE
from secretariat.publishing.models import PublishedFile
from secretariat.publishing.tasks import build_bundle
from tests import factories as f
from tests.base import download_body
from tests.publishing import material_url, session_url

NS = {"atom": ATOM_NAMESPACE}
# After the cast's own first publication (made at the real time), so newest in the feed.
REPUBLISHED_AT = "2030-04-01 10:00 +0900"


def _edit(client, material, **fields):
    """The edit form as the browser sends it back, with `fields` changed."""
    data = {
        "label": material.label,
        "title": material.title,
        "agenda_item": material.agenda_item_id or "",
        "order": str(material.order),
        "access": material.access,
        "public_from": f"{material.public_from:%Y-%m-%d}" if material.public_from else "",
        "reason": material.reason,
        "reason_note": material.reason_note,
    }
    response = client.post(reverse("documents:material_edit", args=[material.pk]), data | fields)
    assert response.status_code == 302, response.content.decode()
    material.refresh_from_db()


def _read(stored) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def _public_download(client, material) -> bytes:
    response = client.get(material_url(material.session, material.pk))
    assert response.status_code == 200
    return download_body(response)


@dataclass
class Replaced:
    material: Material
    old: bytes
    new: bytes


@pytest.fixture
def replaced(client, cast):
    """資料1 of 第1回 replaced by its staff after publication; not yet published again."""
    material = cast.public_material
    old = _read(material)
    new = f.pdf_bytes("差し替え後の公開資料")
    client.force_login(cast.clerk)
    _edit(client, material, upload=f.pdf_upload("資料1_公開資料（差し替え）.pdf", new))
    client.logout()
    return Replaced(material, old, new)


def test_replacing_keeps_the_earlier_file_as_version_1(cast, replaced):
    material = replaced.material
    assert material.version == 2
    earlier = MaterialVersion.objects.get(material=material)
    assert earlier.version == 1
    assert earlier.original_name == "資料1_公開資料.pdf"
    assert _read(earlier) == replaced.old
    assert _read(material) == replaced.new
    assert earlier.file.name != material.file.name


def test_the_public_keeps_the_published_file_until_published_again(client, cast, replaced):
    assert _public_download(client, replaced.material) == replaced.old
    html = client.get(session_url(cast.published)).content.decode()
    assert "差し替えました" not in html


def test_republishing_serves_the_new_file_at_the_same_url(client, cast, replaced, time_machine):
    material = replaced.material
    time_machine.move_to(REPUBLISHED_AT, tick=False)
    publication = f.publish(cast.published)
    assert publication.replaced_labels == ["資料1"]
    assert _public_download(client, material) == replaced.new
    html = client.get(session_url(cast.published)).content.decode()
    assert "資料1を差し替えました（令和12年4月1日）" in html
    assert material.link_text in html


def test_a_later_publication_keeps_listing_the_correction(client, cast, replaced, time_machine):
    time_machine.move_to(REPUBLISHED_AT, tick=False)
    f.publish(cast.published)
    time_machine.move_to("2030-05-01 10:00 +0900", tick=False)
    assert f.publish(cast.published).replaced_labels == []
    html = client.get(session_url(cast.published)).content.decode()
    assert html.count("差し替えました") == 1
    assert "資料1を差し替えました（令和12年4月1日）" in html


def test_the_feed_announces_the_replacement(client, cast, replaced, time_machine):
    time_machine.move_to(REPUBLISHED_AT, tick=False)
    f.publish(cast.published)
    feed = ET.fromstring(client.get(reverse("public:feed", args=["pf"])).content)
    titles = [
        entry.findtext("atom:title", namespaces=NS) for entry in feed.iterfind("atom:entry", NS)
    ]
    assert titles[0] == f"第1回{cast.platform.short_name}：資料1を差し替えました"
    assert sum("差し替え" in title for title in titles) == 1


PARTS = [("資料1_公開資料_その1.pdf", "分割版その1"), ("資料1_公開資料_その2.pdf", "分割版その2")]


@pytest.fixture
def parts(client, cast):
    """Two parts of 資料1 uploaded through the edit view; not yet published."""
    contents = [f.pdf_bytes(title) for _, title in PARTS]
    uploads = [f.pdf_upload(name, data) for (name, _), data in zip(PARTS, contents, strict=True)]
    client.force_login(cast.clerk)
    _edit(client, cast.public_material, parts=uploads)
    client.logout()
    return contents


def _part_url(material, number):
    return reverse("public:material_part", args=["pf", material.session_id, material.pk, number])


def test_uploaded_parts_are_numbered_in_order(cast, parts):
    rows = MaterialPart.objects.filter(material=cast.public_material).order_by("number")
    assert [(row.number, row.original_name) for row in rows] == [
        (1, "資料1_公開資料_その1.pdf"),
        (2, "資料1_公開資料_その2.pdf"),
    ]
    assert [_read(row) for row in rows] == parts
    # Adding parts is not a replacement of the whole.
    assert cast.public_material.version == 1


def test_parts_appear_once_published(client, cast, parts):
    material = cast.public_material
    assert "（分割版1）" not in client.get(session_url(cast.published)).content.decode()
    assert client.get(_part_url(material, 1)).status_code == 404

    f.publish(cast.published)
    html = client.get(session_url(cast.published)).content.decode()
    for number in (1, 2):
        assert f"資料1\u3000公開資料（分割版{number}）(PDF形式:" in html
        assert f'href="{_part_url(material, number)}"' in html
    for number, content in enumerate(parts, start=1):
        response = client.get(_part_url(material, number))
        assert response.status_code == 200
        assert download_body(response) == content
    assert client.get(_part_url(material, 3)).status_code == 404


def test_parts_are_not_in_the_bundle(cast, parts):
    publication = f.publish(cast.published)
    assert publication.files.filter(kind=PublishedFile.Kind.PART).count() == 2
    assert build_bundle(publication.pk) == "built"
    publication.refresh_from_db()
    with publication.bundle.open("rb") as handle:
        data = handle.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        contents = [archive.read(name) for name in names]
    assert [name.split("/", 1)[1] for name in names] == ["00_一覧.txt", "01_資料1_公開資料.pdf"]
    assert not any(part in content for part in parts for content in contents)
    assert "分割版" not in contents[0].decode("utf-8-sig")


def test_replacing_the_file_drops_its_parts(client, cast, parts):
    client.force_login(cast.clerk)
    _edit(client, cast.public_material, upload=f.pdf_upload("資料1_新.pdf", f.pdf_bytes("新")))
    assert not MaterialPart.objects.filter(material=cast.public_material).exists()


def _delete(client, cast, material, capture):
    client.force_login(cast.clerk)
    with capture(execute=True):
        response = client.post(reverse("documents:material_delete", args=[material.pk]))
    assert response.status_code == 302
    client.logout()


def test_a_deleted_material_keeps_its_file_while_published(
    client, cast, django_capture_on_commit_callbacks
):
    material = cast.public_material
    storage, name = material.file.storage, material.file.name
    never_published = cast.not_public
    _delete(client, cast, material, django_capture_on_commit_callbacks)
    _delete(client, cast, never_published, django_capture_on_commit_callbacks)
    # The current publication still lists it, so its file stays in storage.
    assert storage.exists(name)
    assert PublishedFile.objects.filter(file=name, publication__is_current=True).exists()
    assert not storage.exists(never_published.file.name)
    # Once a publication without it is current, no one can be served it: it goes.
    with django_capture_on_commit_callbacks(execute=True):
        f.publish(cast.published)
    assert not storage.exists(name)
    # The files still in use stay.
    assert storage.exists(cast.members_only.file.name)
    assert storage.exists(cast.public_later.file.name)


def test_a_deleted_material_stays_public_until_published_again(
    client, cast, django_capture_on_commit_callbacks
):
    material = cast.public_material
    content, url = _read(material), material_url(cast.published, material.pk)
    _delete(client, cast, material, django_capture_on_commit_callbacks)
    html = client.get(session_url(cast.published)).content.decode()
    assert material.link_text in html
    response = client.get(url)
    assert response.status_code == 200
    assert download_body(response) == content

    f.publish(cast.published)
    assert material.link_text not in client.get(session_url(cast.published)).content.decode()
    assert client.get(url).status_code == 404
