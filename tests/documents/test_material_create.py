from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Material
from tests import factories as f
from tests.base import DATE_RANGE_ERROR


def _url(session):
    return reverse("documents:material_create", args=[session.pk])


def _data(upload=None, **fields):
    data = {
        "label": "資料2",
        "title": "ヒアリング資料",
        "order": "2",
        "access": "public",
        "public_from": "",
        "reason": "",
        "reason_note": "",
        "upload": upload if upload is not None else f.pdf_upload("資料2_ヒアリング資料.pdf"),
    }
    return data | fields


def _stored_files():
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def _multipart(fields, filename, content, boundary="----secretariat-test-boundary"):
    """A request body with a file name exactly as a client sent it: the test client
    would strip the folders itself, and the point is to see what the server does."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    head = "".join(parts) + (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="upload"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_shows_an_empty_form(client, cast):
    client.force_login(cast.clerk)
    response = client.get(_url(cast.draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "資料の登録" in html
    assert 'enctype="multipart/form-data"' in html


def test_uploads_a_pdf_under_a_random_name(client, cast):
    content = f.pdf_bytes("ヒアリング資料")
    client.force_login(cast.clerk)
    response = client.post(
        _url(cast.draft), _data(f.pdf_upload("資料2_ヒアリング資料.pdf", content))
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:session", args=[cast.draft.pk])
    material = cast.draft.materials.get(label="資料2")
    assert material.title == "ヒアリング資料"
    assert material.order == 2
    assert material.access == Material.Access.PUBLIC
    assert material.original_name == "資料2_ヒアリング資料.pdf"
    assert material.extension == "pdf"
    assert material.size_bytes == len(content)
    # On disk: a random name with the checked extension, never the user's name.
    assert material.file.name.startswith("materials/")
    assert material.file.name.endswith(".pdf")
    assert "資料" not in material.file.name
    assert len(Path(material.file.name).stem) == 32
    with material.file.open("rb") as stored:
        assert stored.read() == content
    page = client.get(response.url).content.decode()
    assert "資料を登録しました。" in page
    assert material.display_title in page


def test_two_uploads_of_the_same_name_are_kept_apart(client, cast):
    client.force_login(cast.clerk)
    client.post(_url(cast.draft), _data(label="資料2"))
    client.post(_url(cast.draft), _data(label="資料3"))
    uploads = cast.draft.materials.filter(label__in=["資料2", "資料3"])
    assert {m.original_name for m in uploads} == {"資料2_ヒアリング資料.pdf"}
    assert len({m.file.name for m in uploads}) == 2


def test_links_the_material_to_an_agenda_item_of_the_session(client, cast):
    item = f.make_agenda_item(cast.draft, "関係省庁ヒアリング", order=1)
    client.force_login(cast.clerk)
    assert client.post(_url(cast.draft), _data(agenda_item=str(item.pk))).status_code == 302
    assert cast.draft.materials.get(label="資料2").agenda_item == item


def test_agenda_item_of_another_session_is_refused(client, cast):
    item = f.make_agenda_item(cast.published, "第1回の議事", order=1)
    client.force_login(cast.clerk)
    response = client.post(_url(cast.draft), _data(agenda_item=str(item.pk)))
    assert response.status_code == 200
    assert "正しく選択してください。" in response.content.decode()
    assert not cast.draft.materials.filter(label="資料2").exists()


def test_members_only_material_with_its_reason(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_url(cast.draft), _data(access="members_only", reason="business"))
    assert response.status_code == 302
    material = cast.draft.materials.get(label="資料2")
    assert material.access == Material.Access.MEMBERS_ONLY
    assert material.reason == Material.Reason.BUSINESS


def test_public_later_material_with_its_date(client, cast):
    client.force_login(cast.clerk)
    data = _data(access="public_later", reason="deliberation", public_from="2016-04-01")
    assert client.post(_url(cast.draft), data).status_code == 302
    assert cast.draft.materials.get(label="資料2").public_from == date(2016, 4, 1)


def _assert_refused(client, cast, data, message):
    files_before = _stored_files()
    response = client.post(_url(cast.draft), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    # What the user typed is still there.
    assert 'value="ヒアリング資料"' in html
    assert 'value="資料2"' in html
    # Nothing saved half-way: no row, no file.
    assert not cast.draft.materials.filter(title="ヒアリング資料").exists()
    assert _stored_files() == files_before
    return html


def test_content_that_contradicts_the_name_is_refused(client, cast):
    client.force_login(cast.clerk)
    upload = SimpleUploadedFile("資料2.pdf", f.png_bytes(), "application/pdf")
    _assert_refused(client, cast, _data(upload), "ファイルの中身が名前（PDF形式）と一致しません。")


def test_text_named_docx_is_refused(client, cast):
    client.force_login(cast.clerk)
    upload = SimpleUploadedFile("議事次第.docx", "議事次第\n1. 開会\n".encode())
    _assert_refused(client, cast, _data(upload), "ファイルの中身が名前（Word形式）と一致しません。")


def test_unsupported_type_is_refused(client, cast):
    client.force_login(cast.clerk)
    upload = SimpleUploadedFile("メモ.txt", "メモ".encode())
    _assert_refused(
        client,
        cast,
        _data(upload),
        "この種類のファイルは登録できません（PDF、Word、Excel、PowerPoint、画像のみ）。",
    )


def test_empty_file_is_refused(client, cast):
    client.force_login(cast.clerk)
    upload = SimpleUploadedFile("資料2.pdf", b"", "application/pdf")
    _assert_refused(client, cast, _data(upload), "入力されたファイルは空です。")


def test_file_over_the_limit_is_refused(client, cast):
    client.force_login(cast.clerk)
    content = f.pdf_bytes() + b"%" * settings.MATERIAL_MAX_BYTES
    upload = f.pdf_upload("大きな資料.pdf", content)
    _assert_refused(client, cast, _data(upload), "ファイルが大きすぎます（上限 200KB）。")


def test_file_of_exactly_the_limit_is_accepted(client, cast):
    client.force_login(cast.clerk)
    content = f.pdf_bytes()
    content += b"%" * (settings.MATERIAL_MAX_BYTES - len(content))
    response = client.post(_url(cast.draft), _data(f.pdf_upload("上限の資料.pdf", content)))
    assert response.status_code == 302
    assert cast.draft.materials.get(label="資料2").size_bytes == settings.MATERIAL_MAX_BYTES


def test_missing_file_is_refused(client, cast):
    client.force_login(cast.clerk)
    data = _data()
    del data["upload"]
    _assert_refused(client, cast, data, "このフィールドは必須です。")


def test_non_public_material_needs_a_reason(client, cast):
    client.force_login(cast.clerk)
    html = _assert_refused(
        client,
        cast,
        _data(access="not_public"),
        "公開しない資料には理由（情報公開法第5条の該当号など）が必要です。",
    )
    assert '<option value="not_public" selected>' in html


def test_public_later_needs_a_date(client, cast):
    client.force_login(cast.clerk)
    _assert_refused(
        client,
        cast,
        _data(access="public_later", reason="deliberation"),
        "後日公開の資料には公開日を入れてください。",
    )


def test_public_date_outside_every_era_is_refused(client, cast):
    client.force_login(cast.clerk)
    html = _assert_refused(
        client,
        cast,
        _data(access="public_later", reason="deliberation", public_from="1800-01-01"),
        DATE_RANGE_ERROR,
    )
    assert 'value="1800-01-01"' in html
    # The session page, which shows the date in 和暦, still works.
    assert client.get(reverse("meetings:session", args=[cast.draft.pk])).status_code == 200


def test_other_reason_needs_a_note(client, cast):
    client.force_login(cast.clerk)
    _assert_refused(
        client,
        cast,
        _data(access="not_public", reason="other"),
        "「その他」の場合は理由を記入してください。",
    )


def test_folders_in_the_file_name_are_dropped(client, cast):
    content = f.pdf_bytes()
    fields = {"label": "資料2", "title": "ヒアリング資料", "order": "2", "access": "public"}
    client.force_login(cast.clerk)
    for n, filename in enumerate(("../../etc/資料.pdf", "..\\..\\Windows\\資料.pdf")):
        body, content_type = _multipart(fields | {"label": f"資料{n + 2}"}, filename, content)
        response = client.post(_url(cast.draft), body, content_type=content_type)
        assert response.status_code == 302, filename
        material = cast.draft.materials.get(label=f"資料{n + 2}")
        assert material.original_name == "資料.pdf"
        assert material.file.name.startswith("materials/")
        assert ".." not in material.file.name
        assert "\\" not in material.file.name
        path = Path(material.file.path).resolve()
        assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "materials")
        assert path.read_bytes() == content


def test_file_name_is_kept_in_composed_form(client, cast):
    client.force_login(cast.clerk)
    # カ + combining 濁点, as macOS writes ガ.
    upload = f.pdf_upload("カ\u3099イドライン.pdf")
    assert client.post(_url(cast.draft), _data(upload)).status_code == 302
    assert cast.draft.materials.get(label="資料2").original_name == "ガイドライン.pdf"


def test_superuser_can_upload(client, cast):
    client.force_login(cast.admin)
    assert client.post(_url(cast.draft), _data()).status_code == 302
    assert cast.draft.materials.filter(label="資料2").exists()


def test_viewer_is_forbidden(client, cast):
    client.force_login(cast.viewer)
    files_before = _stored_files()
    assert client.get(_url(cast.draft)).status_code == 403
    assert client.post(_url(cast.draft), _data()).status_code == 403
    assert not cast.draft.materials.filter(label="資料2").exists()
    assert _stored_files() == files_before


def test_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    assert client.get(_url(cast.draft)).status_code == 404
    assert client.post(_url(cast.draft), _data()).status_code == 404
    assert not cast.draft.materials.filter(label="資料2").exists()


def test_anonymous_is_sent_to_login(client, cast):
    response = client.post(_url(cast.draft), _data())
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={_url(cast.draft)}"
    assert not cast.draft.materials.filter(label="資料2").exists()


def test_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.put(_url(cast.draft)).status_code == 405
