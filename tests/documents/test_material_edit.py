import io
import zipfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Material
from tests import factories as f


def _url(material):
    return reverse("documents:material_edit", args=[material.pk])


def _data(material, **fields):
    """The form as the browser sends it back: every field prefilled, no new file."""
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
    return data | fields


def _stored_files():
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def _file_fields(material):
    material.refresh_from_db()
    return (material.file.name, material.original_name, material.extension, material.size_bytes)


def test_shows_the_form_with_the_current_file(client, cast):
    client.force_login(cast.clerk)
    response = client.get(_url(cast.members_only))
    assert response.status_code == 200
    html = response.content.decode()
    assert "資料の編集" in html
    assert "資料2_委員限りの資料.pdf" in html
    assert 'value="委員限りの資料"' in html
    assert "差し替える場合のみ選んでください。" in html


def test_changes_fields_and_keeps_the_file(client, cast):
    before = _file_fields(cast.members_only)
    client.force_login(cast.clerk)
    response = client.post(
        _url(cast.members_only), _data(cast.members_only, title="委員限りの資料（修正）")
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:session", args=[cast.published.pk])
    assert _file_fields(cast.members_only) == before
    assert cast.members_only.title == "委員限りの資料（修正）"
    assert cast.members_only.access == Material.Access.MEMBERS_ONLY
    assert "資料を更新しました。" in client.get(response.url).content.decode()


def test_replacing_the_file_keeps_the_other_fields(client, cast):
    material = cast.members_only
    old_name = material.file.name
    content = f.pdf_bytes("差し替え版")
    client.force_login(cast.clerk)
    data = _data(material, upload=f.pdf_upload("資料2_差し替え版.pdf", content))
    assert client.post(_url(material), data).status_code == 302
    material.refresh_from_db()
    assert material.original_name == "資料2_差し替え版.pdf"
    assert material.size_bytes == len(content)
    assert material.extension == "pdf"
    assert material.file.name != old_name
    assert material.file.name.startswith("materials/")
    assert "差し替え" not in material.file.name
    with material.file.open("rb") as stored:
        assert stored.read() == content
    assert (material.label, material.title, material.order) == ("資料2", "委員限りの資料", 2)
    assert material.access == Material.Access.MEMBERS_ONLY
    assert material.reason == Material.Reason.DELIBERATION


def test_replacing_a_pdf_with_a_word_file_changes_the_format(client, cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    upload = SimpleUploadedFile("資料2_委員限りの資料.docx", buffer.getvalue())
    client.force_login(cast.clerk)
    data = _data(cast.members_only, upload=upload)
    assert client.post(_url(cast.members_only), data).status_code == 302
    cast.members_only.refresh_from_db()
    assert cast.members_only.extension == "docx"
    assert cast.members_only.file.name.endswith(".docx")
    assert cast.members_only.annotation.startswith("Word形式:")


def test_a_bad_replacement_changes_nothing(client, cast):
    before = _file_fields(cast.members_only)
    files_before = _stored_files()
    client.force_login(cast.clerk)
    upload = SimpleUploadedFile("資料2.pdf", f.png_bytes(), "application/pdf")
    data = _data(cast.members_only, title="書きかけの題名", upload=upload)
    response = client.post(_url(cast.members_only), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ファイルの中身が名前（PDF形式）と一致しません。" in html
    assert 'value="書きかけの題名"' in html
    assert _file_fields(cast.members_only) == before
    assert cast.members_only.title == "委員限りの資料"
    assert _stored_files() == files_before


def test_a_replacement_over_the_limit_is_refused(client, cast):
    before = _file_fields(cast.members_only)
    client.force_login(cast.clerk)
    content = f.pdf_bytes() + b"%" * settings.MATERIAL_MAX_BYTES
    data = _data(cast.members_only, upload=f.pdf_upload("大きな資料.pdf", content))
    response = client.post(_url(cast.members_only), data)
    assert response.status_code == 200
    assert "ファイルが大きすぎます（上限 200KB）。" in response.content.decode()
    assert _file_fields(cast.members_only) == before


def test_withdrawing_a_public_material_needs_a_reason(client, cast):
    client.force_login(cast.clerk)
    data = _data(cast.public_material, access="members_only", title="題名の変更")
    response = client.post(_url(cast.public_material), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "公開しない資料には理由（情報公開法第5条の該当号など）が必要です。" in html
    assert 'value="題名の変更"' in html
    cast.public_material.refresh_from_db()
    assert cast.public_material.access == Material.Access.PUBLIC
    assert cast.public_material.title == "公開資料"


def test_public_later_without_a_date_is_refused(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_url(cast.public_later), _data(cast.public_later, public_from=""))
    assert response.status_code == 200
    assert "後日公開の資料には公開日を入れてください。" in response.content.decode()
    cast.public_later.refresh_from_db()
    assert cast.public_later.public_from == date(2099, 1, 1)


def test_superuser_can_edit(client, cast):
    client.force_login(cast.admin)
    response = client.post(_url(cast.not_public), _data(cast.not_public, title="管理者"))
    assert response.status_code == 302
    cast.not_public.refresh_from_db()
    assert cast.not_public.title == "管理者"


def test_viewer_is_forbidden(client, cast):
    client.force_login(cast.viewer)
    assert client.get(_url(cast.members_only)).status_code == 403
    data = _data(cast.members_only, access="public")
    assert client.post(_url(cast.members_only), data).status_code == 403
    cast.members_only.refresh_from_db()
    assert cast.members_only.access == Material.Access.MEMBERS_ONLY


def test_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    assert client.get(_url(cast.members_only)).status_code == 404
    data = _data(cast.members_only, access="public")
    assert client.post(_url(cast.members_only), data).status_code == 404
    cast.members_only.refresh_from_db()
    assert cast.members_only.access == Material.Access.MEMBERS_ONLY


def test_anonymous_is_sent_to_login(client, cast):
    response = client.post(_url(cast.members_only), _data(cast.members_only, access="public"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={_url(cast.members_only)}"
    cast.members_only.refresh_from_db()
    assert cast.members_only.access == Material.Access.MEMBERS_ONLY


def test_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.put(_url(cast.members_only)).status_code == 405


def test_making_a_material_public_drops_its_old_reason(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_url(cast.public_later), _data(cast.public_later, access="public"))
    assert response.status_code == 302
    cast.public_later.refresh_from_db()
    assert (cast.public_later.access, cast.public_later.reason) == ("public", "")
    assert cast.public_later.public_from is None


def test_replacing_keeps_the_earlier_file_for_staff(client, cast):
    old_name, old_bytes = cast.public_material.file.name, cast.public_material.file.read()
    client.force_login(cast.clerk)
    data = _data(cast.public_material, upload=f.pdf_upload("資料1_改.pdf", f.pdf_bytes("改")))
    assert client.post(_url(cast.public_material), data).status_code == 302
    cast.public_material.refresh_from_db()
    assert cast.public_material.version == 2
    version = cast.public_material.versions.get()
    assert (version.version, version.file.name) == (1, old_name)
    page = client.get(_url(cast.public_material)).content.decode()
    assert "差し替え前のファイル" in page and "第1版" in page
    url = reverse("documents:material_version_download", args=[cast.public_material.pk, 1])
    response = client.get(url)
    assert b"".join(response.streaming_content) == old_bytes
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404


def test_parts_are_uploaded_in_order(client, cast):
    client.force_login(cast.clerk)
    parts = [f.pdf_upload("分割1.pdf", f.pdf_bytes("前半")), f.pdf_upload("分割2.pdf")]
    assert (
        client.post(
            _url(cast.public_material), _data(cast.public_material, parts=parts)
        ).status_code
        == 302
    )
    assert list(cast.public_material.parts.values_list("number", "original_name")) == [
        (1, "分割1.pdf"),
        (2, "分割2.pdf"),
    ]


def test_a_bad_part_changes_nothing(client, cast):
    files_before = _stored_files()
    client.force_login(cast.clerk)
    parts = [f.pdf_upload("分割1.pdf"), SimpleUploadedFile("分割2.pdf", b"", "application/pdf")]
    data = _data(cast.public_material, title="書きかけ", parts=parts)
    response = client.post(_url(cast.public_material), data)
    assert response.status_code == 200
    assert 'value="書きかけ"' in response.content.decode()
    assert not cast.public_material.parts.exists()
    assert not cast.public_material.versions.exists()
    assert _stored_files() == files_before
