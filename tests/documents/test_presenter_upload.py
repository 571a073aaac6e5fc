"""The presenter's personal upload page (/u/<token>/, no login): what they upload becomes a
material of the session, numbered in agenda order; bad links and bad files are refused in
Japanese, and nothing uploaded before is lost."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.models import Material
from secretariat.meetings.models import AgendaItem, Presenter
from secretariat.publishing.models import PublishedFile
from secretariat.tokens import make_token
from tests import factories as f

DEADLINE = datetime.fromisoformat("2015-09-07T17:00+09:00")


@pytest.fixture
def hearing(cast, time_machine):
    time_machine.move_to("2015-09-01 10:00 +0900", tick=False)
    session = cast.draft  # 第2回: its only material is outside the agenda
    f.make_agenda_item(session, "開会", order=1, kind=AgendaItem.Kind.OPENING)
    first = f.make_agenda_item(session, "総務省ヒアリング", order=2, kind=AgendaItem.Kind.HEARING)
    second = f.make_agenda_item(
        session, "国土交通省ヒアリング", order=3, kind=AgendaItem.Kind.HEARING
    )
    return {
        "session": session,
        "first": first,
        "second": second,
        "soumu": Presenter.objects.create(
            agenda_item=first,
            organisation=f.make_organisation("総務省"),
            name="山田　太郎",
            title="自治行政局長",
            email="soumu@example.jp",
            upload_deadline=DEADLINE,
        ),
        "mlit": Presenter.objects.create(
            agenda_item=second,
            organisation=f.make_organisation("国土交通省"),
            email="mlit@example.jp",
            upload_deadline=DEADLINE,
        ),
    }


def _url(presenter):
    return reverse("documents:upload", args=[presenter.token])


def _upload(client, presenter, upload=None, title=""):
    return client.post(_url(presenter), {"title": title, "upload": upload or f.pdf_upload()})


def _stored_files():
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def _labels(session):
    return list(session.materials.order_by("label").values_list("label", "title", "presenter__pk"))


def test_shows_the_page_without_login(client, hearing):
    response = client.get(_url(hearing["soumu"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "総務省 自治行政局長 山田　太郎 様専用のページです。" in html
    assert "第2回 公共サービスイノベーション・プラットフォーム" in html
    assert "総務省ヒアリング" in html
    assert "平成27年9月7日（月） 17:00" in html
    assert 'enctype="multipart/form-data"' in html
    assert "提出済みの資料" not in html


def test_a_pdf_becomes_a_material_of_the_session(client, hearing):
    content = f.pdf_bytes("窓口業務の民間委託について")
    upload = f.pdf_upload("【総務省】窓口業務の民間委託.pdf", content)
    response = _upload(client, hearing["soumu"], upload, title="窓口業務の民間委託について")
    assert response.status_code == 302
    assert response.url == _url(hearing["soumu"]) + "?saved=1"
    material = Material.objects.get(presenter=hearing["soumu"])
    assert material.session == hearing["session"]
    assert material.agenda_item == hearing["first"]
    assert material.title == "窓口業務の民間委託について"
    assert material.label == "資料1"  # the first item with a material
    assert material.auto_label
    assert material.access == Material.Access.NOT_PUBLIC  # until staff review it
    assert material.awaiting_review
    assert material.original_name == "【総務省】窓口業務の民間委託.pdf"
    assert material.extension == "pdf"
    assert material.size_bytes == len(content)
    # Stored under a random name, never the presenter's.
    stored = Path(material.file.name)
    assert stored.parent.name == "materials"
    assert stored.suffix == ".pdf"
    assert len(stored.stem) == 32
    assert "総務省" not in material.file.name
    with material.file.open("rb") as saved:
        assert saved.read() == content
    html = client.get(response.url).content.decode()
    assert "資料を受け付けました。ありがとうございました。" in html
    assert "提出済みの資料" in html
    assert "資料1 窓口業務の民間委託について（【総務省】窓口業務の民間委託.pdf、PDF形式:" in html


def test_without_a_title_the_material_is_named_after_the_presenter(client, hearing):
    assert _upload(client, hearing["mlit"]).status_code == 302
    assert Material.objects.get(presenter=hearing["mlit"]).title == "国土交通省提出資料"


def test_materials_are_numbered_in_agenda_order_whoever_uploads_first(client, cast, hearing):
    # The later item's presenter uploads first.
    _upload(client, hearing["mlit"], title="公的ストックの有効活用")
    assert Material.objects.get(presenter=hearing["mlit"]).label == "資料1"
    _upload(client, hearing["soumu"], title="窓口業務の民間委託")
    _upload(client, hearing["soumu"], title="自治体クラウドの推進")
    soumu, mlit = hearing["soumu"].pk, hearing["mlit"].pk
    assert _labels(hearing["session"]) == [
        ("資料1", "未公開会議の資料", None),  # typed by staff: kept
        ("資料1-1", "窓口業務の民間委託", soumu),
        ("資料1-2", "自治体クラウドの推進", soumu),
        ("資料2", "公的ストックの有効活用", mlit),
    ]


def test_staff_see_the_uploaded_material_and_can_edit_it(client, cast, hearing):
    _upload(client, hearing["soumu"], title="窓口業務の民間委託")
    material = Material.objects.get(presenter=hearing["soumu"])
    client.force_login(cast.clerk)
    session_url = reverse("meetings:session", args=[hearing["session"].pk])
    html = client.get(session_url).content.decode()
    assert "資料1\u3000窓口業務の民間委託" in html
    assert "非公開（事務局の確認待ち）" in html
    data = {
        "auto_label": "on",
        "label": "",
        "title": "窓口業務の民間委託（委員限り）",
        "agenda_item": str(hearing["first"].pk),
        "order": "1",
        "access": "members_only",
        "public_from": "",
        "reason": "deliberation",
        "reason_note": "",
    }
    response = client.post(reverse("documents:material_edit", args=[material.pk]), data)
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.access == Material.Access.MEMBERS_ONLY
    assert material.title == "窓口業務の民間委託（委員限り）"
    assert material.label == "資料1"  # numbered again, not left blank
    assert material.presenter == hearing["soumu"]
    assert not material.awaiting_review
    assert "事務局の確認待ち" not in client.get(session_url).content.decode()


@pytest.fixture
def earlier(client, hearing):
    """A first upload that every refusal below must leave alone."""
    _upload(client, hearing["soumu"], f.pdf_upload("最初の資料.pdf"), title="最初の資料")
    material = Material.objects.get(presenter=hearing["soumu"])
    with material.file.open("rb") as saved:
        content = saved.read()
    return material, content


def _assert_refused(client, hearing, earlier, response, message, status=400):
    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    material, content = earlier
    assert list(Material.objects.filter(presenter__isnull=False)) == [material]
    material.refresh_from_db()
    assert material.label == "資料1"
    with material.file.open("rb") as saved:
        assert saved.read() == content
    return html


def _refuse_upload(client, hearing, earlier, upload, message):
    files_before = _stored_files()
    response = _upload(client, hearing["soumu"], upload, title="二つ目の資料")
    html = _assert_refused(client, hearing, earlier, response, message)
    assert _stored_files() == files_before
    # The page still offers the form, with what was typed, and lists the earlier upload.
    assert 'value="二つ目の資料"' in html
    assert "最初の資料（最初の資料.pdf、" in html
    return html


def test_content_that_is_not_what_the_name_says_is_refused(client, hearing, earlier):
    upload = SimpleUploadedFile("資料.pdf", f.png_bytes(), "application/pdf")
    _refuse_upload(
        client, hearing, earlier, upload, "ファイルの中身が名前（PDF形式）と一致しません。"
    )


def test_text_named_as_word_is_refused(client, hearing, earlier):
    upload = SimpleUploadedFile("資料.docx", "資料の本文".encode())
    _refuse_upload(
        client, hearing, earlier, upload, "ファイルの中身が名前（Word形式）と一致しません。"
    )


def test_an_old_format_word_file_is_refused(client, hearing, earlier):
    # An OLE2 compound file, which can carry VBA macros; accepted on its first bytes before.
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    upload = SimpleUploadedFile("説明資料.doc", ole2, "application/msword")
    _refuse_upload(
        client,
        hearing,
        earlier,
        upload,
        "旧形式のOfficeファイル（.doc、.xls、.ppt）はマクロを含むことがあるため、登録できません。"
        "PDFか、現在の形式（.docx、.xlsx、.pptx）で保存し直してから登録してください。",
    )


def test_an_unsupported_type_is_refused(client, hearing, earlier):
    upload = SimpleUploadedFile("資料.txt", "資料の本文".encode())
    _refuse_upload(
        client,
        hearing,
        earlier,
        upload,
        "この種類のファイルは登録できません（PDF、Word、Excel、PowerPoint、画像のみ）。",
    )


def test_an_empty_file_is_refused(client, hearing, earlier):
    upload = SimpleUploadedFile("資料.pdf", b"", "application/pdf")
    _refuse_upload(client, hearing, earlier, upload, "入力されたファイルは空です。")


def test_a_file_over_the_limit_is_refused(client, hearing, earlier):
    content = f.pdf_bytes() + b"%" * settings.MATERIAL_MAX_BYTES
    upload = f.pdf_upload("大きな資料.pdf", content)
    _refuse_upload(client, hearing, earlier, upload, "ファイルが大きすぎます（上限 200KB）。")


def test_a_missing_file_is_refused(client, hearing, earlier):
    files_before = _stored_files()
    response = client.post(_url(hearing["soumu"]), {"title": "二つ目の資料"})
    _assert_refused(client, hearing, earlier, response, "このフィールドは必須です。")
    assert _stored_files() == files_before


def test_after_the_deadline_nothing_is_accepted(client, hearing, earlier, time_machine):
    time_machine.move_to(DEADLINE + timedelta(minutes=1), tick=False)
    html = client.get(_url(hearing["soumu"])).content.decode()
    assert "提出期限を過ぎたため、このページからは提出できません。事務局にご連絡ください。" in html
    assert 'enctype="multipart/form-data"' not in html
    assert "最初の資料" in html  # what was uploaded in time is still listed
    files_before = _stored_files()
    response = _upload(client, hearing["soumu"], title="遅れた資料")
    _assert_refused(
        client,
        hearing,
        earlier,
        response,
        "提出期限を過ぎたため、このリンクからは提出できません。事務局にご連絡ください。",
    )
    assert _stored_files() == files_before


def test_at_the_deadline_itself_the_upload_is_accepted(client, hearing, time_machine):
    time_machine.move_to(DEADLINE, tick=False)
    assert _upload(client, hearing["soumu"]).status_code == 302
    assert Material.objects.filter(presenter=hearing["soumu"]).exists()


def test_a_revoked_link_is_refused(client, hearing, earlier):
    token_url = _url(hearing["soumu"])
    hearing["soumu"].revoked_at = DEADLINE
    hearing["soumu"].save()
    message = "このリンクは無効になっています。事務局にお問い合わせください。"
    assert message in client.get(token_url).content.decode()
    files_before = _stored_files()
    response = client.post(token_url, {"title": "二つ目", "upload": f.pdf_upload()})
    _assert_refused(client, hearing, earlier, response, message, status=403)
    assert _stored_files() == files_before


def test_a_link_replaced_by_a_new_one_is_refused(client, cast, hearing, earlier):
    old_url = _url(hearing["soumu"])
    client.force_login(cast.clerk)
    link = reverse("meetings:presenter_link", args=[hearing["soumu"].pk])
    client.post(link)  # revoke
    client.post(link)  # and reissue
    client.logout()
    response = client.post(old_url, {"title": "二つ目", "upload": f.pdf_upload()})
    _assert_refused(
        client,
        hearing,
        earlier,
        response,
        "このリンクは無効になっています。事務局にお問い合わせください。",
        status=403,
    )
    hearing["soumu"].refresh_from_db()
    assert _upload(client, hearing["soumu"], title="二つ目").status_code == 302


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "WzEsImFiYyJd:1tXyZa:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ],
)
def test_a_forged_token_is_refused(client, hearing, earlier, token):
    url = reverse("documents:upload", args=[token])
    response = client.post(url, {"title": "偽の資料", "upload": f.pdf_upload()})
    _assert_refused(
        client,
        hearing,
        earlier,
        response,
        "このリンクは正しくありません。届いたメールのリンクをそのまま開いてください。",
        status=403,
    )


def test_a_token_of_another_kind_is_refused(client, hearing):
    # Signed by the same key for another kind of link (another salt).
    token = make_token("invitation", hearing["soumu"].pk, hearing["soumu"].nonce)
    response = client.get(reverse("documents:upload", args=[token]))
    assert response.status_code == 403
    assert "このリンクは正しくありません。" in response.content.decode()


def test_an_expired_link_is_refused(client, hearing, time_machine):
    """A link lasts PERSONAL_LINK_DAYS after the later of its issue and the session's
    day (2015-10-30 here), however often it was opened."""
    url = _url(hearing["soumu"])
    time_machine.move_to(
        datetime.fromisoformat("2015-10-30T23:59+09:00")
        + timedelta(days=settings.PERSONAL_LINK_DAYS),
        tick=False,
    )
    assert client.get(url).status_code == 200
    time_machine.move_to(
        datetime.fromisoformat("2015-10-31T00:00:01+09:00")
        + timedelta(days=settings.PERSONAL_LINK_DAYS),
        tick=False,
    )
    response = client.post(url, {"title": "", "upload": f.pdf_upload()})
    assert response.status_code == 403
    assert "このリンクは有効期限が切れています。" in response.content.decode()
    assert not Material.objects.filter(presenter__isnull=False).exists()


def test_wrong_method(client, hearing):
    assert client.put(_url(hearing["soumu"])).status_code == 405
    assert client.delete(_url(hearing["soumu"])).status_code == 405


def test_a_long_presenter_name_still_makes_a_default_title(client, hearing):
    presenter = Presenter.objects.create(
        agenda_item=hearing["first"],
        organisation=f.make_organisation("独立行政法人" + "研究" * 90),
        title="理事" * 100,
        name="山田　太郎",
    )
    response = _upload(client, presenter)
    assert response.status_code == 302
    title = Material.objects.get(presenter=presenter).title
    assert len(title) == 300
    assert title.startswith("独立行政法人研究研究")
    assert title.endswith("提出資料")


def test_an_upload_to_a_published_session_waits_for_staff_review(client, hearing):
    session = hearing["session"]
    session.status = session.Status.PUBLISHED
    session.save()
    assert _upload(client, hearing["soumu"]).status_code == 302
    material = Material.objects.get(presenter=hearing["soumu"])
    assert material.access == Material.Access.NOT_PUBLIC
    assert "確認待ち" in material.reason_note
    f.publish(session)  # even once the session is published again
    assert not PublishedFile.objects.public(timezone.localdate()).filter(material=material)


def test_an_upload_before_the_first_publication_waits_for_staff_review(client, cast, hearing):
    # 第2回 was never published: the upload used to arrive 公開 and went out with the
    # first publication unread.
    session = hearing["session"]
    assert not session.publications.exists()
    assert _upload(client, hearing["soumu"], title="窓口業務の民間委託").status_code == 302
    material = Material.objects.get(presenter=hearing["soumu"])
    assert material.access == Material.Access.NOT_PUBLIC
    assert material.reason == Material.Reason.OTHER
    assert material.reason_note == "提出者からの提出後、事務局の確認待ち"
    assert material.awaiting_review
    # Members do not see it through their personal links either.
    assert material not in session.materials.for_members()
    # The staff session page and the presenters page say it waits for review.
    client.force_login(cast.viewer)
    html = client.get(reverse("meetings:session", args=[session.pk])).content.decode()
    assert "非公開（事務局の確認待ち）" in html
    html = client.get(reverse("meetings:presenters", args=[session.pk])).content.decode()
    assert "資料1 窓口業務の民間委託 <strong>（事務局の確認待ち）</strong>" in html
    f.publish(session)
    assert not PublishedFile.objects.filter(material=material).exists()
