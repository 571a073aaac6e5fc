from urllib.parse import quote

from django.urls import reverse

from tests import factories as f
from tests.base import download_body


def test_shows_date_venue_agenda_and_public_materials_only(client, cast):
    f.make_agenda_item(cast.published, "関係省庁ヒアリング", order=1)
    f.publish(cast.published)  # the public sees the agenda as published
    response = client.get(reverse("public:session", args=["pf", cast.published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "平成27年9月14日（月）10:00～11:30" in html
    assert "中央合同庁舎第8号館 講堂" in html
    assert "関係省庁ヒアリング" in html
    assert cast.public_material.link_text in html
    assert "(PDF形式:" in html
    for hidden in (cast.members_only, cast.not_public, cast.public_later):
        assert hidden.title not in html


def test_planned_session_is_404(client, cast):
    assert client.get(reverse("public:session", args=["pf", cast.planned.pk])).status_code == 404


def test_held_session_shows_its_notice_but_no_materials_yet(client, cast):
    response = client.get(reverse("public:session", args=["pf", cast.draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "未公開の会議の内容" in html
    assert cast.draft_material.title not in html
    assert "資料は準備ができ次第掲載します。" in html


def test_session_of_another_platform_is_404_under_this_slug(client, cast):
    other = f.make_session(cast.other_platform)
    assert client.get(reverse("public:session", args=["pf", other.pk])).status_code == 404


def test_download_keeps_the_japanese_file_name(client, cast):
    url = reverse("public:material", args=["pf", cast.published.pk, cast.public_material.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline")
    assert f"filename*=utf-8''{quote('資料1_公開資料.pdf')}" in disposition
    assert download_body(response).startswith(b"%PDF")


def test_office_files_download_as_attachments(client, cast):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    upload = SimpleUploadedFile("議事次第.docx", buffer.getvalue())
    material = f.make_material(cast.published, label="", title="議事次第", upload=upload)
    f.publish(cast.published)
    response = client.get(reverse("public:material", args=["pf", cast.published.pk, material.pk]))
    download_body(response)
    assert response["Content-Disposition"].startswith("attachment")


def test_non_public_material_downloads_are_404(client, cast):
    for material in (cast.members_only, cast.not_public, cast.public_later):
        url = reverse("public:material", args=["pf", cast.published.pk, material.pk])
        assert client.get(url).status_code == 404
    url = reverse("public:material", args=["pf", cast.draft.pk, cast.draft_material.pk])
    assert client.get(url).status_code == 404


def test_public_later_material_appears_on_its_date(client, cast, settings):
    import time_machine

    url = reverse("public:material", args=["pf", cast.published.pk, cast.public_later.pk])
    with time_machine.travel("2099-01-01 09:00 +0900"):
        response = client.get(url)
        assert response.status_code == 200
        download_body(response)
    with time_machine.travel("2098-12-31 23:00 +0900"):
        assert client.get(url).status_code == 404


def test_wrong_method(client, cast):
    url = reverse("public:material", args=["pf", cast.published.pk, cast.public_material.pk])
    assert client.post(url).status_code == 405


def test_site_visit_page_links_to_the_session_that_reported_it(client, cast):
    from datetime import date

    from secretariat.meetings.models import Session, SiteVisit

    report = f.make_agenda_item(cast.published, "現地視察報告")
    session = f.make_session(cast.platform, kind=Session.Kind.SITE_VISIT, date=date(2015, 10, 8))
    visit = SiteVisit.objects.create(session=session, reported_at=report)
    visit.days.create(date=date(2015, 10, 8))
    visit.stops.create(prefecture="愛知県", municipality="岡崎市", theme="アウトソーシング")
    html = client.get(reverse("public:session", args=["pf", session.pk])).content.decode()
    assert "愛知県岡崎市" in html
    assert reverse("public:session", args=["pf", cast.published.pk]) in html
    # Reported at a session that is not public: no link to it.
    report.session = cast.planned
    report.save()
    html = client.get(reverse("public:session", args=["pf", session.pk])).content.decode()
    assert reverse("public:session", args=["pf", cast.planned.pk]) not in html
