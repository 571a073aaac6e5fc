"""The staff's site-visit screens: the visit (summary, the agenda item where it was
reported, days and stops), each stop's report (who went, findings, photos), and the
photos, served only to the platform's staff."""

from __future__ import annotations

import io
from datetime import date, time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from secretariat.meetings.models import Session, SiteVisit, SiteVisitPhoto, SiteVisitStop
from tests import factories as f
from tests.base import DATE_RANGE_ERROR

NOT_A_PHOTO = "写真はJPEGまたはPNGの画像にしてください。"
NOT_A_JPEG = "ファイルの中身が名前（JPEG形式）と一致しません。"


def image_bytes(kind: str) -> bytes:
    """A real image (Pillow comes with reportlab)."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 160)).save(out, kind)
    return out.getvalue()


@pytest.fixture
def visit_session(cast):
    return f.make_session(
        cast.platform,
        kind=Session.Kind.SITE_VISIT,
        date=None,
        start_time=None,
        end_time=None,
        status=Session.Status.SCHEDULED,
        topics="先進自治体の窓口業務の視察",
    )


@pytest.fixture
def visit(visit_session):
    """The visit with one day and one stop on it."""
    site_visit = SiteVisit.objects.create(session=visit_session)
    day = site_visit.days.create(date=date(2015, 10, 8))
    stop = SiteVisitStop.objects.create(
        site_visit=site_visit,
        day=day,
        order=1,
        prefecture="愛知県",
        municipality="岡崎市",
        host="岡崎市役所",
        theme="総合窓口",
    )
    return {"session": visit_session, "visit": site_visit, "day": day, "stop": stop}


def _stored_files():
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


# --- the visit ---------------------------------------------------------------------------


def _url(session):
    return reverse("meetings:site_visit", args=[session.pk])


def _form(visit=None, *, summary="", reported_at="", days=(), stops=()):
    """The page's three forms as the browser posts them. `days`: (id, date, delete) rows;
    `stops`: dicts of a stop's fields (with "id" for a saved one)."""
    data = {"summary": summary, "reported_at": reported_at}
    for prefix, rows in (("days", days), ("stops", stops)):
        saved = [r for r in rows if (r[0] if prefix == "days" else r.get("id"))]
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": str(len(saved)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    for i, (pk, day, delete) in enumerate(days):
        data |= {f"days-{i}-id": str(pk or ""), f"days-{i}-date": day}
        if delete:
            data[f"days-{i}-DELETE"] = "on"
    for i, stop in enumerate(stops):
        fields = {
            "id": "",
            "order": "0",
            "day": "",
            "start_time": "",
            "end_time": "",
            "prefecture": "",
            "municipality": "",
            "host": "",
            "theme": "",
        } | stop
        if fields.pop("DELETE", False):
            data[f"stops-{i}-DELETE"] = "on"
        data |= {f"stops-{i}-{name}": str(value) for name, value in fields.items()}
    return data


def _stop_row(stop, **fields):
    row = {
        "id": stop.pk,
        "order": stop.order,
        "day": stop.day_id or "",
        "prefecture": stop.prefecture,
        "municipality": stop.municipality,
        "host": stop.host,
        "theme": stop.theme,
    }
    return row | fields


def test_a_meeting_has_no_site_visit_page(client, cast):
    client.force_login(cast.clerk)
    response = client.get(_url(cast.published))
    assert response.status_code == 302
    assert response.url == reverse("meetings:session", args=[cast.published.pk])
    assert "種類が「現地視察」の会議ではありません。" in client.get(response.url).content.decode()
    assert not SiteVisit.objects.filter(session=cast.published).exists()


def test_shows_the_empty_visit(client, cast, visit_session):
    client.force_login(cast.clerk)
    response = client.get(_url(visit_session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "概要と報告先" in html
    assert 'name="days-0-date"' in html
    assert 'name="stops-1-prefecture"' in html
    assert SiteVisit.objects.filter(session=visit_session).count() == 1


def test_saves_the_summary_days_and_stops(client, cast, visit_session):
    reported = f.make_agenda_item(cast.draft, "現地視察の報告", order=3)
    client.force_login(cast.clerk)
    data = _form(
        summary="窓口業務の民間委託の現場を視察する。",
        reported_at=str(reported.pk),
        days=[("", "2015-10-09", False), ("", "2015-10-08", False)],
        stops=[
            {"order": 1, "prefecture": "愛知県", "municipality": "岡崎市", "host": "岡崎市役所"},
            {"order": 2, "prefecture": "愛知県", "municipality": "豊橋市", "start_time": "14:00"},
        ],
    )
    response = client.post(_url(visit_session), data)
    assert response.status_code == 302
    assert response.url == _url(visit_session)
    visit = SiteVisit.objects.get(session=visit_session)
    assert visit.summary == "窓口業務の民間委託の現場を視察する。"
    assert visit.reported_at == reported
    assert [d.date for d in visit.days.all()] == [date(2015, 10, 8), date(2015, 10, 9)]
    stops = list(visit.stops.values_list("municipality", "host", "start_time", "day"))
    assert stops == [("岡崎市", "岡崎市役所", None, None), ("豊橋市", "", time(14, 0), None)]
    # The session's date follows the first day.
    visit_session.refresh_from_db()
    assert visit_session.date == date(2015, 10, 8)
    html = client.get(response.url).content.decode()
    assert "現地視察を保存しました。" in html
    assert "平成27年10月8日" in html
    assert "愛知県岡崎市 岡崎市役所" in html  # a link to the stop's report
    assert reverse("meetings:stop_report", args=[visit.stops.first().pk]) in html


def test_a_stop_takes_one_of_the_visits_own_days(client, cast, visit):
    second = visit["visit"].days.create(date=date(2015, 10, 9))
    client.force_login(cast.clerk)
    data = _form(
        days=[(visit["day"].pk, "2015-10-08", False), (second.pk, "2015-10-09", False)],
        stops=[_stop_row(visit["stop"], day=second.pk)],
    )
    assert client.post(_url(visit["session"]), data).status_code == 302
    visit["stop"].refresh_from_db()
    assert visit["stop"].day == second


def test_a_day_of_another_visit_is_refused(client, cast, visit):
    other = SiteVisit.objects.create(
        session=f.make_session(cast.platform, kind=Session.Kind.SITE_VISIT)
    )
    foreign_day = other.days.create(date=date(2015, 11, 2))
    client.force_login(cast.clerk)
    data = _form(
        summary="変更した概要",
        days=[(visit["day"].pk, "2015-10-08", False)],
        stops=[_stop_row(visit["stop"], day=foreign_day.pk, host="変更した訪問先")],
    )
    response = client.post(_url(visit["session"]), data)
    assert response.status_code == 200
    assert "正しく選択してください。" in response.content.decode()
    visit["stop"].refresh_from_db()
    assert visit["stop"].day == visit["day"]
    assert visit["stop"].host == "岡崎市役所"
    visit["visit"].refresh_from_db()
    assert visit["visit"].summary == ""  # nothing saved half-way


def test_the_reporting_item_is_one_of_the_platforms_other_sessions(client, cast, visit):
    reported = f.make_agenda_item(cast.draft, "現地視察の報告", order=3)
    own = f.make_agenda_item(visit["session"], "現地視察の議事")
    foreign = f.make_agenda_item(f.make_session(cast.other_platform), "別の会議体の議事", order=1)
    client.force_login(cast.clerk)
    html = client.get(_url(visit["session"])).content.decode()
    assert "第2回 現地視察の報告" in html
    assert "別の会議体の議事" not in html
    assert "現地視察の議事" not in html
    for item in (own, foreign):
        data = _form(reported_at=str(item.pk), days=[(visit["day"].pk, "2015-10-08", False)])
        response = client.post(_url(visit["session"]), data)
        assert response.status_code == 200
        assert "正しく選択してください。" in response.content.decode()
    visit["visit"].refresh_from_db()
    assert visit["visit"].reported_at is None
    data = _form(reported_at=str(reported.pk), days=[(visit["day"].pk, "2015-10-08", False)])
    assert client.post(_url(visit["session"]), data).status_code == 302
    visit["visit"].refresh_from_db()
    assert visit["visit"].reported_at == reported
    assert visit["visit"].to_report_doc().reported_at == "第2回（平成27年10月30日）"


def test_deleting_the_first_day_moves_the_sessions_date(client, cast, visit):
    second = visit["visit"].days.create(date=date(2015, 10, 14))
    client.force_login(cast.clerk)
    data = _form(
        days=[(visit["day"].pk, "2015-10-08", True), (second.pk, "2015-10-14", False)],
        stops=[_stop_row(visit["stop"])],
    )
    assert client.post(_url(visit["session"]), data).status_code == 302
    assert list(visit["visit"].days.values_list("date", flat=True)) == [date(2015, 10, 14)]
    visit["session"].refresh_from_db()
    assert visit["session"].date == date(2015, 10, 14)
    visit["stop"].refresh_from_db()
    assert visit["stop"].day is None  # kept, without its day


def test_deletes_a_stop(client, cast, visit):
    client.force_login(cast.clerk)
    data = _form(
        days=[(visit["day"].pk, "2015-10-08", False)],
        stops=[_stop_row(visit["stop"], DELETE=True)],
    )
    assert client.post(_url(visit["session"]), data).status_code == 302
    assert not visit["visit"].stops.exists()


def test_a_stop_needs_its_place(client, cast, visit):
    client.force_login(cast.clerk)
    data = _form(
        days=[(visit["day"].pk, "2015-10-08", False)],
        stops=[_stop_row(visit["stop"]), {"order": 2, "host": "豊橋市役所"}],
    )
    response = client.post(_url(visit["session"]), data)
    assert response.status_code == 200
    assert "このフィールドは必須です。" in response.content.decode()
    assert visit["visit"].stops.count() == 1


def test_a_day_outside_every_era_is_refused(client, cast, visit):
    client.force_login(cast.clerk)
    data = _form(days=[(visit["day"].pk, "1800-01-01", False)])
    response = client.post(_url(visit["session"]), data)
    assert response.status_code == 200
    assert DATE_RANGE_ERROR in response.content.decode()
    visit["day"].refresh_from_db()
    assert visit["day"].date == date(2015, 10, 8)


def test_viewer_reads_but_cannot_save(client, cast, visit):
    client.force_login(cast.viewer)
    assert client.get(_url(visit["session"])).status_code == 200
    data = _form(summary="閲覧者の変更", days=[(visit["day"].pk, "2015-10-08", False)])
    assert client.post(_url(visit["session"]), data).status_code == 403
    visit["visit"].refresh_from_db()
    assert visit["visit"].summary == ""


def test_visit_refuses_other_platform_anonymous_and_wrong_method(client, cast, visit):
    url = _url(visit["session"])
    data = _form(summary="変更", days=[(visit["day"].pk, "2015-10-08", False)])
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.force_login(cast.clerk)
    assert client.put(url).status_code == 405
    client.logout()
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    visit["visit"].refresh_from_db()
    assert visit["visit"].summary == ""


# --- a stop's report ---------------------------------------------------------------------


def _stop_url(stop):
    return reverse("meetings:stop_report", args=[stop.pk])


def test_shows_the_stop_report(client, cast, visit):
    client.force_login(cast.clerk)
    response = client.get(_stop_url(visit["stop"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "愛知県岡崎市 岡崎市役所" in html
    assert "武山\u3000政直" in html  # a member to tick
    assert "写真はまだありません。" in html


def test_saves_who_went_and_the_findings(client, cast, visit):
    client.force_login(cast.clerk)
    data = {
        "report-members": [str(cast.member.pk)],
        "report-secretariat": "内閣府　佐藤、内閣府　鈴木",
        "report-findings": "受付から交付までを一つの窓口で行っている。\n委託先の職員が案内する。",
    }
    response = client.post(_stop_url(visit["stop"]), data)
    assert response.status_code == 302
    assert response.url == _stop_url(visit["stop"])
    stop = SiteVisitStop.objects.get(pk=visit["stop"].pk)
    assert list(stop.members.all()) == [cast.member]
    assert stop.secretariat == "内閣府　佐藤、内閣府　鈴木"
    assert stop.findings.startswith("受付から交付まで")
    assert "視察先の報告を保存しました。" in client.get(response.url).content.decode()
    line = visit["visit"].to_report_doc().stops[0]
    assert line.participants == ("武山\u3000政直", "内閣府　佐藤", "内閣府　鈴木")
    assert line.findings == stop.findings
    assert line.day == "平成27年10月8日（木）"


def test_a_member_of_another_platform_is_refused(client, cast, visit):
    stranger = f.make_membership(
        cast.other_platform,
        f.make_category(cast.other_platform),
        f.make_person("別所", "一", "べっしょ", "はじめ"),
    )
    client.force_login(cast.clerk)
    data = {"report-members": [str(stranger.pk)], "report-findings": "所見"}
    response = client.post(_stop_url(visit["stop"]), data)
    assert response.status_code == 200
    assert "正しく選択してください。" in response.content.decode()
    visit["stop"].refresh_from_db()
    assert not visit["stop"].members.exists()
    assert visit["stop"].findings == ""


def _post_photo(client, stop, upload, caption="総合窓口の様子"):
    return client.post(_stop_url(stop), {"photo-image": upload, "photo-caption": caption})


@pytest.mark.parametrize(
    ("name", "kind", "extension"),
    [("窓口.png", "PNG", "png"), ("窓口.jpg", "JPEG", "jpg"), ("窓口.JPEG", "JPEG", "jpg")],
)
def test_adds_a_photo(client, cast, visit, name, kind, extension):
    content = image_bytes(kind)
    client.force_login(cast.clerk)
    response = _post_photo(client, visit["stop"], SimpleUploadedFile(name, content))
    assert response.status_code == 302
    assert response.url == _stop_url(visit["stop"])
    photo = visit["stop"].photos.get()
    assert photo.caption == "総合窓口の様子"
    assert photo.extension == extension
    assert photo.order == 1
    stored = Path(photo.image.name)
    assert stored.parent.name == "site-visits"
    assert stored.suffix == f".{extension}"
    assert len(stored.stem) == 32  # a random name, never the uploaded one
    with photo.image.open("rb") as saved:
        assert saved.read() == content
    html = client.get(response.url).content.decode()
    assert "写真を追加しました。" in html
    assert reverse("meetings:photo", args=[photo.pk]) in html
    assert 'alt="総合窓口の様子"' in html


def test_a_second_photo_comes_after_the_first(client, cast, visit):
    client.force_login(cast.clerk)
    for caption in ("一枚目", "二枚目"):
        upload = SimpleUploadedFile("p.png", image_bytes("PNG"))
        assert _post_photo(client, visit["stop"], upload, caption).status_code == 302
    assert list(visit["stop"].photos.values_list("caption", "order")) == [
        ("一枚目", 1),
        ("二枚目", 2),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("資料.pdf", f.pdf_bytes(), NOT_A_PHOTO),
        ("写真.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", NOT_A_PHOTO),
        ("写真.jpg", f.pdf_bytes(), NOT_A_JPEG),
        ("写真.jpg", "写真のつもりの文章".encode(), NOT_A_JPEG),
        ("写真.png", image_bytes("JPEG"), "ファイルの中身が名前（PNG形式）と一致しません。"),
        ("写真.txt", "文章".encode(), "この種類のファイルは登録できません"),
        ("写真.jpg", b"", "入力されたファイルは空です。"),
    ],
)
def test_what_is_not_a_photo_is_refused(client, cast, visit, name, content, message):
    client.force_login(cast.clerk)
    earlier = SiteVisitPhoto(stop=visit["stop"], caption="先の写真", order=1)
    earlier.attach(SimpleUploadedFile("先.png", image_bytes("PNG")))
    earlier.save()
    files_before = _stored_files()
    response = _post_photo(client, visit["stop"], SimpleUploadedFile(name, content))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="総合窓口の様子"' in html  # the caption typed is kept
    assert list(visit["stop"].photos.all()) == [earlier]
    assert _stored_files() == files_before


def test_a_photo_over_the_limit_is_refused(client, cast, visit):
    content = image_bytes("PNG") + b"\0" * settings.MATERIAL_MAX_BYTES
    client.force_login(cast.clerk)
    response = _post_photo(client, visit["stop"], SimpleUploadedFile("大きな写真.png", content))
    assert response.status_code == 200
    assert "ファイルが大きすぎます（上限 200KB）。" in response.content.decode()
    assert not visit["stop"].photos.exists()


def test_viewer_reads_the_report_but_cannot_change_it(client, cast, visit):
    client.force_login(cast.viewer)
    assert client.get(_stop_url(visit["stop"])).status_code == 200
    assert client.post(_stop_url(visit["stop"]), {"report-findings": "所見"}).status_code == 403
    upload = SimpleUploadedFile("p.png", image_bytes("PNG"))
    assert _post_photo(client, visit["stop"], upload).status_code == 403
    visit["stop"].refresh_from_db()
    assert visit["stop"].findings == ""
    assert not visit["stop"].photos.exists()


def test_report_refuses_other_platform_anonymous_and_wrong_method(client, cast, visit):
    url = _stop_url(visit["stop"])
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"report-findings": "所見"}).status_code == 404
    client.force_login(cast.clerk)
    assert client.put(url).status_code == 405
    client.logout()
    response = client.post(url, {"report-findings": "所見"})
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    visit["stop"].refresh_from_db()
    assert visit["stop"].findings == ""


# --- photos ------------------------------------------------------------------------------


@pytest.fixture
def photo(visit):
    photo = SiteVisitPhoto(stop=visit["stop"], caption="総合窓口の様子", order=1)
    photo.attach(SimpleUploadedFile("窓口.png", image_bytes("PNG")))
    photo.save()
    return photo


def test_staff_of_the_platform_see_the_photo(client, cast, photo):
    url = reverse("meetings:photo", args=[photo.pk])
    with photo.image.open("rb") as saved:
        content = saved.read()
    for user in (cast.clerk, cast.viewer, cast.admin):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, no-store"


def test_no_one_else_sees_the_photo(client, cast, photo):
    url = reverse("meetings:photo", args=[photo.pk])
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.post(url).status_code == 405
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_deleting_a_photo_removes_its_file_once_committed(
    client, cast, visit, photo, django_capture_on_commit_callbacks
):
    storage, name = photo.image.storage, photo.image.name
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("meetings:photo_delete", args=[photo.pk]))
    assert response.status_code == 302
    assert response.url == _stop_url(visit["stop"])
    assert not SiteVisitPhoto.objects.filter(pk=photo.pk).exists()
    assert storage.exists(name)  # not before the commit
    for callback in callbacks:
        callback()
    assert not storage.exists(name)
    html = client.get(response.url).content.decode()
    assert "写真を削除しました。" in html
    assert "写真はまだありません。" in html


def test_delete_refuses_get_viewer_other_platform_and_anonymous(client, cast, photo):
    url = reverse("meetings:photo_delete", args=[photo.pk])
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
    assert SiteVisitPhoto.objects.filter(pk=photo.pk).exists()
    assert photo.image.storage.exists(photo.image.name)


def test_a_time_that_is_not_a_time_is_shown_on_its_row(client, cast, visit):
    client.force_login(cast.clerk)
    data = _form(
        days=[(visit["day"].pk, "2015-10-08", False)],
        stops=[_stop_row(visit["stop"], start_time="10時半")],
    )
    response = client.post(_url(visit["session"]), data)
    assert response.status_code == 200
    assert "時間を正しく入力してください。" in response.content.decode()
    visit["stop"].refresh_from_db()
    assert visit["stop"].start_time is None


def test_the_same_day_twice_is_refused(client, cast, visit):
    client.force_login(cast.clerk)
    data = _form(days=[(visit["day"].pk, "2015-10-08", False), ("", "2015-10-08", False)])
    response = client.post(_url(visit["session"]), data)
    assert response.status_code == 200
    assert "重複" in response.content.decode()
    assert visit["visit"].days.count() == 1
