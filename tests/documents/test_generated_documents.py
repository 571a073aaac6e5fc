"""A session's Word documents (議事次第, 座席表, 委員名簿, 現地視察報告): requested by staff,
written by the django-q2 task with a visible status, kept with a checksum of their inputs
(an unchanged session is not rewritten, a changed one shows as stale), downloaded under a
Japanese name, and opened in LibreOffice."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from PIL import Image

from documents import tasks
from documents.models import GeneratedFile
from secretariat.meetings.models import (
    AgendaItem,
    Presenter,
    Session,
    SiteVisit,
    SiteVisitPhoto,
    SiteVisitStop,
)
from tests import factories as f
from tests.base import download_body
from tests.office import font_aliases, pdf_text, to_pdf

PLATFORM = "公共サービスイノベーション・プラットフォーム"
HEARING = "関係省庁ヒアリング（アウトソーシング、IT化等について）"


@pytest.fixture
def agenda(cast):
    """第1回 (cast.published) with a timetable and a ministry presenting."""
    session = cast.published
    cast.platform.secretariat_office = "内閣府公共サービス改革推進室"
    cast.platform.save()
    f.make_agenda_item(session, "開会", order=1, kind=AgendaItem.Kind.OPENING, minutes=5)
    item = f.make_agenda_item(session, HEARING, order=2, kind=AgendaItem.Kind.HEARING, minutes=60)
    Presenter.objects.create(
        agenda_item=item,
        organisation=f.make_organisation("総務省"),
        name="山田　太郎",
        title="自治行政局長",
    )
    f.make_agenda_item(session, "閉会", order=3, kind=AgendaItem.Kind.CLOSING, minutes=5)
    return session


@pytest.fixture
def visit(cast):
    """A site visit of two days with one stop, reported at 第2回 (cast.draft)."""
    session = f.make_session(
        cast.platform,
        kind=Session.Kind.SITE_VISIT,
        date=date(2015, 10, 8),
        start_time=None,
        end_time=None,
        topics="先進自治体の窓口業務の視察",
    )
    reported = f.make_agenda_item(cast.draft, "現地視察の報告", order=1)
    site_visit = SiteVisit.objects.create(
        session=session, summary="窓口業務の民間委託の現場を視察した。", reported_at=reported
    )
    day = site_visit.days.create(date=date(2015, 10, 8))
    site_visit.days.create(date=date(2015, 10, 9))
    stop = SiteVisitStop.objects.create(
        site_visit=site_visit,
        day=day,
        order=1,
        prefecture="愛知県",
        municipality="岡崎市",
        host="岡崎市役所",
        theme="総合窓口の民間委託",
        start_time=time(10),
        end_time=time(11, 30),
        secretariat="内閣府　佐藤、内閣府　鈴木",
        findings="受付から交付までを一つの窓口で行っている。",
    )
    stop.members.add(cast.member)
    photo = SiteVisitPhoto(stop=stop, caption="総合窓口の様子", order=1)
    photo.attach(SimpleUploadedFile("窓口.png", photo_png()))
    photo.save()
    return session


def photo_png(size=(40, 30)) -> bytes:
    """A real PNG (Pillow comes with reportlab): the factories' smallest PNG is enough for
    type detection, not for a document that must draw it."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _generate(client, session, kind, capture):
    with capture(execute=True) as callbacks:
        response = client.post(reverse("documents:generate", args=[session.pk, kind]))
    assert response.status_code == 302
    assert response.url == reverse("meetings:session", args=[session.pk])
    return callbacks


def _docx_text(data: bytes) -> str:
    return "".join(Document(io.BytesIO(data)).element.body.itertext())


def _session_page(client, session):
    response = client.get(reverse("meetings:session", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _download(client, generated):
    response = client.get(reverse("documents:generated_download", args=[generated.pk]))
    assert response.status_code == 200
    return response, download_body(response)


# --- requesting and writing ----------------------------------------------------------------


def test_a_request_is_queued_and_the_job_writes_the_file(
    client, cast, agenda, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("documents:generate", args=[agenda.pk, "agenda"]))
    generated = GeneratedFile.objects.get(session=agenda, kind="agenda")
    assert generated.status == GeneratedFile.Status.QUEUED
    assert generated.requested_by == cast.clerk
    assert not generated.file
    assert len(callbacks) == 1  # the job goes out once the request commits
    html = _session_page(client, agenda)
    assert "議事次第の作成を受け付けました。" in html
    assert "作成待ち" in html

    callbacks[0]()  # the job, run inline (django-q2 sync)
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.DONE
    assert generated.error == ""
    assert generated.finished_at is not None
    assert generated.file.name.startswith("generated/")
    assert generated.file.name.endswith(".docx")
    assert generated.input_checksum == GeneratedFile.checksum(agenda.to_agenda_doc())
    assert not generated.is_stale()
    html = _session_page(client, agenda)
    assert "作成済み" in html
    assert "第1回_議事次第.docx" in html
    assert "内容が変わりました。" not in html


def test_the_file_downloads_under_a_japanese_name_and_opens_as_word(
    client, cast, agenda, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=agenda, kind="agenda")
    response, body = _download(client, generated)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('第1回_議事次第.docx')}" in disposition
    assert response["Cache-Control"] == "private, no-store"
    text = _docx_text(body)
    assert f"第1回 {PLATFORM}" in text
    assert HEARING in text
    assert "総務省 自治行政局長 山田　太郎" in text
    assert "10:05～11:05" in text


def test_every_document_of_a_meeting(client, cast, agenda, django_capture_on_commit_callbacks):
    client.force_login(cast.clerk)
    for kind in ("agenda", "seating", "roster"):
        _generate(client, agenda, kind, django_capture_on_commit_callbacks)
    made = {g.kind: g for g in agenda.generated_files.all()}
    assert {kind: g.status for kind, g in made.items()} == {
        "agenda": "done",
        "seating": "done",
        "roster": "done",
    }
    seating = _docx_text(_download(client, made["seating"])[1])
    assert "第1回" in seating
    assert "山田　太郎" in seating
    assert "内閣府公共サービス改革推進室" in seating
    roster = _docx_text(_download(client, made["roster"])[1])
    assert PLATFORM in roster
    assert "武山" in roster
    html = _session_page(client, agenda)
    for name in ("第1回_議事次第.docx", "第1回_座席表.docx", "第1回_委員名簿.docx"):
        assert name in html
    # A meeting has no site-visit report.
    assert "現地視察報告" not in html


def test_the_job_run_again_on_unchanged_inputs_keeps_the_file(
    client, cast, agenda, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=agenda, kind="agenda")
    name, checksum = generated.file.name, generated.input_checksum
    assert tasks.generate_document(generated.pk) == "unchanged"
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.DONE
    assert (generated.file.name, generated.input_checksum) == (name, checksum)
    assert generated.file.storage.exists(name)
    # Requesting it again from the page: the same.
    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated.refresh_from_db()
    assert generated.file.name == name
    assert GeneratedFile.objects.filter(session=agenda).count() == 1


def test_a_changed_agenda_marks_the_document_stale_until_rewritten(
    client, cast, agenda, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=agenda, kind="agenda")
    old_name = generated.file.name
    item = agenda.agenda_items.get(order=2)
    item.title = "関係省庁ヒアリング（差替え）"
    item.save()
    assert generated.is_stale()
    html = _session_page(client, agenda)
    assert "内容が変わりました。作り直してください。" in html
    assert "作り直す" in html

    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.DONE
    assert generated.file.name != old_name
    assert not generated.file.storage.exists(old_name)  # the old file is not left behind
    assert "関係省庁ヒアリング（差替え）" in _docx_text(_download(client, generated)[1])
    assert "内容が変わりました。" not in _session_page(client, agenda)


def test_a_failing_renderer_is_recorded_and_shown(
    client, cast, agenda, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(self, data):
        raise ValueError("表の列が足りません")

    monkeypatch.setattr(GeneratedFile, "render", broken)
    client.force_login(cast.clerk)
    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=agenda, kind="agenda")
    assert generated.status == GeneratedFile.Status.FAILED
    assert generated.error == "ValueError: 表の列が足りません"
    assert not generated.file
    assert tasks.generate_document(generated.pk) == "failed"
    html = _session_page(client, agenda)
    assert "失敗" in html
    assert "ValueError: 表の列が足りません" in html
    # Nothing to download.
    response = client.get(reverse("documents:generated_download", args=[generated.pk]))
    assert response.status_code == 404

    monkeypatch.undo()
    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.DONE
    assert generated.error == ""
    assert "ValueError" not in _session_page(client, agenda)


def test_a_failure_after_a_good_file_keeps_the_good_file_out_of_reach(
    client, cast, agenda, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=agenda, kind="agenda")
    agenda.agenda_items.filter(order=1).update(title="開会（変更）")

    def broken(self, data):
        raise RuntimeError("python-docx が落ちました")

    monkeypatch.setattr(GeneratedFile, "render", broken)
    assert tasks.generate_document(generated.pk) == "failed"
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.FAILED
    html = _session_page(client, agenda)
    assert "RuntimeError: python-docx が落ちました" in html
    assert "第1回_議事次第.docx" not in html


# --- control characters ------------------------------------------------------------------


def test_control_characters_in_an_agenda_title_do_not_break_the_document(
    client, cast, agenda, django_capture_on_commit_callbacks
):
    # \x0b is what Word puts in text copied out of it; \x01 and \x1f come from pasted PDFs.
    agenda.agenda_items.filter(order=2).update(title="関係省庁\x0bヒアリング\x01（総務省\x1f）")
    client.force_login(cast.clerk)
    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=agenda, kind="agenda")
    assert generated.status == GeneratedFile.Status.DONE, generated.error
    assert "関係省庁ヒアリング（総務省）" in _docx_text(_download(client, generated)[1])


def test_control_characters_in_findings_do_not_break_the_report(
    client, cast, visit, django_capture_on_commit_callbacks
):
    # (No NUL: PostgreSQL cannot store it, and Django's form fields refuse it already.)
    SiteVisitStop.objects.filter(site_visit__session=visit).update(
        findings="受付\x0cから交付まで\x1fを一つの窓口で\x08行っている。"
    )
    client.force_login(cast.clerk)
    _generate(client, visit, "site_visit_report", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=visit)
    assert generated.status == GeneratedFile.Status.DONE, generated.error
    text = _docx_text(_download(client, generated)[1])
    assert "受付から交付までを一つの窓口で行っている。" in text


# --- site-visit reports ------------------------------------------------------------------


def test_a_site_visit_report(client, cast, visit, django_capture_on_commit_callbacks):
    client.force_login(cast.clerk)
    html = _session_page(client, visit)
    assert "現地視察報告" in html
    assert "議事次第" not in html  # a site visit has only its report
    _generate(client, visit, "site_visit_report", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=visit)
    assert generated.kind == GeneratedFile.Kind.SITE_VISIT_REPORT
    assert generated.status == GeneratedFile.Status.DONE, generated.error
    response, body = _download(client, generated)
    assert quote("現地視察_現地視察報告.docx") in response["Content-Disposition"]
    text = _docx_text(body)
    for expected in (
        "現地視察報告",
        "平成27年10月8日",
        "第2回（平成27年10月30日）",
        "愛知県岡崎市",
        "岡崎市役所",
        "武山\u3000政直、内閣府　佐藤、内閣府　鈴木",
        "受付から交付までを一つの窓口で行っている。",
        "総合窓口の様子",
    ):
        assert expected in text, expected
    assert len(Document(io.BytesIO(body)).inline_shapes) == 1  # the photo


def test_a_new_photo_marks_the_report_stale(
    client, cast, visit, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    _generate(client, visit, "site_visit_report", django_capture_on_commit_callbacks)
    stop = SiteVisitStop.objects.get(site_visit__session=visit)
    photo = SiteVisitPhoto(stop=stop, caption="説明を受ける委員", order=2)
    photo.attach(SimpleUploadedFile("説明.png", photo_png((30, 40))))
    photo.save()
    assert "内容が変わりました。作り直してください。" in _session_page(client, visit)


def test_a_site_visit_report_only_for_a_site_visit(
    client, cast, agenda, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    callbacks = _generate(client, agenda, "site_visit_report", django_capture_on_commit_callbacks)
    assert not callbacks
    assert not GeneratedFile.objects.exists()
    html = _session_page(client, agenda)
    assert "現地視察報告は現地視察の会議でのみ作成できます。" in html


def test_a_photo_no_one_can_draw_fails_the_report_visibly(
    client, cast, visit, django_capture_on_commit_callbacks
):
    # Its first bytes say PNG, so the upload took it; python-docx cannot measure it.
    stop = SiteVisitStop.objects.get(site_visit__session=visit)
    photo = SiteVisitPhoto(stop=stop, caption="壊れた写真", order=2)
    photo.attach(SimpleUploadedFile("壊れた.png", f.png_bytes()))
    photo.save()
    client.force_login(cast.clerk)
    _generate(client, visit, "site_visit_report", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=visit)
    assert generated.status == GeneratedFile.Status.FAILED
    assert "壊れた写真" in generated.error
    assert "is not a readable JPEG or PNG image" in _session_page(client, visit)


def test_a_site_visit_without_its_details_fails_visibly(
    client, cast, django_capture_on_commit_callbacks
):
    session = f.make_session(cast.platform, kind=Session.Kind.SITE_VISIT)
    client.force_login(cast.clerk)
    _generate(client, session, "site_visit_report", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=session)
    assert generated.status == GeneratedFile.Status.FAILED
    assert generated.error


def test_an_unknown_kind_is_404(client, cast, agenda):
    client.force_login(cast.clerk)
    response = client.post(reverse("documents:generate", args=[agenda.pk, "no_such_document"]))
    assert response.status_code == 404
    assert not GeneratedFile.objects.exists()


# --- access ------------------------------------------------------------------------------


def test_generate_refuses_get_viewer_other_platform_and_anonymous(
    client, cast, agenda, django_capture_on_commit_callbacks
):
    url = reverse("documents:generate", args=[agenda.pk, "agenda"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.force_login(cast.clerk)
        assert client.get(url).status_code == 405
        client.force_login(cast.viewer)
        assert client.post(url).status_code == 403
        client.force_login(cast.other_clerk)
        assert client.post(url).status_code == 404
        client.logout()
        response = client.post(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"
    assert not callbacks
    assert not GeneratedFile.objects.exists()


def test_viewer_sees_and_downloads_but_cannot_request(
    client, cast, agenda, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=agenda)
    client.force_login(cast.viewer)
    html = _session_page(client, agenda)
    assert "第1回_議事次第.docx" in html
    assert reverse("documents:generate", args=[agenda.pk, "agenda"]) not in html
    _, body = _download(client, generated)
    assert body.startswith(b"PK")


def test_download_refuses_post_other_platform_anonymous_and_unfinished(
    client, cast, agenda, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    _generate(client, agenda, "agenda", django_capture_on_commit_callbacks)
    generated = GeneratedFile.objects.get(session=agenda)
    url = reverse("documents:generated_download", args=[generated.pk])
    assert client.post(url).status_code == 405
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    # Queued again: the old file is not offered meanwhile.
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("documents:generate", args=[agenda.pk, "agenda"]))
    assert client.get(url).status_code == 404
    assert client.get(reverse("documents:generated_download", args=[999999])).status_code == 404


# --- LibreOffice, the real client --------------------------------------------------------


def test_every_generated_document_opens_in_libreoffice(
    client, cast, agenda, visit, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    for kind in ("agenda", "seating", "roster"):
        _generate(client, agenda, kind, django_capture_on_commit_callbacks)
    _generate(client, visit, "site_visit_report", django_capture_on_commit_callbacks)
    for generated in GeneratedFile.objects.all():
        assert generated.status == GeneratedFile.Status.DONE, generated.error
        (tmp_path / f"{generated.kind}.docx").write_bytes(_download(client, generated)[1])
    kinds = ["agenda", "seating", "roster", "site_visit_report"]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(font_aliases(tmp_path / "config")))
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = dict(
            zip(
                kinds,
                pool.map(lambda kind: to_pdf(tmp_path / f"{kind}.docx", tmp_path / "pdf"), kinds),
                strict=True,
            )
        )
    expected = {
        "agenda": ("議事次第", "第1回", "関係省庁ヒアリング", "総務省自治行政局長山田太郎"),
        "seating": ("座席表", "第1回", "山田太郎", "内閣府公共サービス改革推進室"),
        "roster": ("構成員名簿", "武山政直"),
        "site_visit_report": ("現地視察報告", "愛知県岡崎市", "総合窓口の様子"),
    }
    for kind, words in expected.items():
        flat = "".join(pdf_text(pdfs[kind]).split())
        for word in words:
            assert word in flat, (kind, word)
