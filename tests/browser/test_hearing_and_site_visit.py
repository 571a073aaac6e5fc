"""The seed's hearing and site visit in Chromium, as the secretariat and the presenters do
them: staff build 第1回 (関係省庁ヒアリング) with three ministries presenting → each ministry
uploads its PDF through the link in its email → the materials are numbered in agenda order →
the 議事次第 and 座席表 are written and open in LibreOffice. Then staff enter the site visit
with its eight stops, report on one with a photo, write the 現地視察報告 and link it to 第2回,
and the public page of the visit links to 第2回 too."""

from __future__ import annotations

import io
import re
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from documents.models import Material
from secretariat.demo import SITE_VISIT_TOPICS, SLUG
from secretariat.meetings.models import Session, SiteVisit
from tests import factories as f
from tests.browser.conftest import screenshot
from tests.office import pdf_text, to_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLATFORM = "公共サービスイノベーション・プラットフォーム"
HEARING = "関係省庁ヒアリング（アウトソーシング、IT化、自治体クラウド等について）"
# (ministry, title, name, email, material): the ministries of the seed's 第1回. The officials
# and their materials are the test's placeholders: the seed does not say who spoke.
MINISTRIES = [
    ("総務省", "自治行政局行政課長", "山田 太郎", "soumu@example.jp", "窓口業務の民間委託について"),
    ("国土交通省", "総合政策局課長", "佐藤 次郎", "mlit@example.jp", "公的ストックの活用について"),
    (
        "内閣官房情報通信技術(IT)総合戦略室",
        "参事官",
        "鈴木 花子",
        "it@example.jp",
        "自治体クラウドの推進について",
    ),
]
# (prefecture, municipality, day). The seed names three of the eight places and not the
# day of each; the other five and their days are the test's placeholders.
STOPS = [
    ("愛知県", "岡崎市", ""),
    ("愛知県", "豊橋市", ""),
    ("神奈川県", "海老名市", ""),
    ("静岡県", "視察先4", "平成27年10月8日（木）"),
    ("愛知県", "視察先5", "平成27年10月8日（木）"),
    ("愛知県", "視察先6", "平成27年10月9日（金）"),
    ("東京都", "視察先7", "平成27年10月14日（水）"),
    ("神奈川県", "視察先8", "平成27年10月14日（水）"),
]
FINDINGS = "窓口業務の委託で、繁忙期の待ち時間が短くなった。（試験用の記入例）"
CAPTION = "窓口の様子（試験用の画像）"


def test_hearing_materials_and_documents(live_server, page, browser, settings, tmp_path):
    settings.SITE_URL = live_server.url
    call_command("load_demo", stdout=io.StringIO())
    session = Session.objects.get(platform__slug=SLUG, number=1)
    # The demo's 第1回 carries placeholder PDFs for the materials the ministries upload
    # here; withdraw them so that the numbering starts afresh.
    Material.objects.filter(session=session).delete()
    # Staff build the session before it is held: scheduled, never published.
    session.publications.all().delete()
    Session.objects.filter(pk=session.pk).update(status=Session.Status.SCHEDULED)
    _log_in(page, f"{live_server.url}/staff/sessions/{session.pk}/edit/")

    # The seed gives no time; the agenda's minutes are counted from this one.
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_time", "11:30")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("会議を更新しました。")

    # The seed's one agenda item becomes the hearing, between an opening and a discussion.
    page.get_by_role("link", name="議事を編集").click()
    _agenda_row(page, 0, order="2", kind="ヒアリング", title=HEARING, minutes="60")
    _agenda_row(page, 1, order="1", kind="開会", title="開会", minutes="5")
    _agenda_row(page, 2, order="3", kind="討議", title="意見交換", minutes="25")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ol.agenda li")).to_have_text(["開会", HEARING, "意見交換"])

    # Three ministries present, each official with a deadline for the materials. The
    # deadline is counted from today: a link past its deadline takes no more uploads.
    page.get_by_role("link", name="議事・説明者").click()
    deadline = f"{timezone.localdate() + timedelta(days=7):%Y-%m-%d}T17:00"
    for order, (ministry, title, name, email, _material) in enumerate(MINISTRIES, start=1):
        # By id: the field's label is still the untranslated "Agenda item".
        page.select_option("#id_agenda_item", label=HEARING)
        page.get_by_label("府省庁・団体").select_option(label=ministry)
        page.get_by_label("説明者の氏名").fill(name)
        page.get_by_label("説明者の役職・所属").fill(title)
        page.get_by_label("資料提出依頼の送り先").fill(email)
        page.get_by_label("資料の提出期限").fill(deadline)
        page.get_by_label("順番").fill(str(order))
        page.get_by_role("button", name="追加").click()
        expect(page.get_by_role("status")).to_contain_text("説明者を登録しました。")
    hearing_row = page.locator("section[aria-labelledby=timetable-heading] tbody tr").nth(1)
    expect(hearing_row).to_contain_text("10:05～11:05")
    page.get_by_role("button", name="未依頼の説明者に資料提出の依頼を送る").click()
    expect(page.get_by_role("status")).to_contain_text("3件の資料提出依頼を送ります。")
    screenshot(page, "hearing-presenters")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m[3] for m in MINISTRIES)

    # Each ministry opens the link in its email, in a browser of its own, and uploads.
    for ministry, title, name, email, material in MINISTRIES:
        [message] = [m for m in mail.outbox if m.to == [email]]
        link = re.search(r"https?://\S+/u/\S+/", message.body).group(0)
        assert link.startswith(live_server.url)
        presenter = browser.new_page(locale="ja-JP")
        presenter.goto(link)
        expect(presenter.locator("main")).to_contain_text(f"{ministry} {title} {name} 様専用")
        presenter.get_by_label("資料名").fill(material)
        presenter.get_by_label("ファイル（PDF、Word、Excel、PowerPoint）").set_input_files(
            {
                "name": f"{ministry}提出資料.pdf",
                "mimeType": "application/pdf",
                "buffer": f.pdf_bytes(material),
            }
        )
        presenter.get_by_role("button", name="提出する").click()
        expect(presenter.get_by_role("status")).to_have_text(
            "資料を受け付けました。ありがとうございました。"
        )
        expect(presenter.locator("main ul")).to_contain_text(material)
        if ministry == "総務省":
            screenshot(presenter, "hearing-upload")
        presenter.context.close()

    # Back on the session page: the materials are numbered in the order of the agenda.
    page.get_by_role("link", name="概要・議事・資料").click()
    rows = page.locator("section[aria-labelledby=materials-heading] tbody tr")
    expect(rows.locator("th")).to_have_text(
        [f"資料1-{n}\u3000{m[4]}" for n, m in enumerate(MINISTRIES, start=1)]
    )
    # Uploads arrive hidden until staff review them; staff read each and make it 公開.
    expect(rows.locator("td:nth-child(2)")).to_have_text(
        [re.compile("^非公開（事務局の確認待ち）")] * len(MINISTRIES)
    )
    for n in range(len(MINISTRIES)):
        rows.nth(n).get_by_role("link", name="編集").click()
        page.get_by_label("公開区分").select_option(label="公開")
        page.get_by_role("button", name="保存").click()
    expect(rows.locator("td:nth-child(2)")).to_have_text(["公開"] * len(MINISTRIES))

    # The 議事次第 and the 座席表, written and read back through LibreOffice.
    agenda = _generate_and_read(page, "議事次第", "第1回_議事次第.docx", tmp_path)
    _assert_has_text(agenda, "第1回", PLATFORM, "議事次第", HEARING, "10:05～11:05")
    _assert_has_text(agenda, *(f"{m} {title} {name}" for m, title, name, *_ in MINISTRIES))
    _assert_has_text(agenda, "資料1-1", "窓口業務の民間委託について", "資料1-3")
    seating = _generate_and_read(page, "座席表", "第1回_座席表.docx", tmp_path)
    _assert_has_text(seating, "第1回", PLATFORM, "座席表", "説明者", "事務局")
    # The officials' seats, by name: narrow seats wrap their titles. (The seats do not
    # name the ministry yet: Session.to_seating_doc leaves the organisation out.)
    _assert_has_text(seating, *(name for _m, _title, name, *_ in MINISTRIES))
    screenshot(page, "hearing-session-documents")


def test_site_visit_report_linked_to_second_meeting(live_server, page, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    visit_session = Session.objects.get(platform__slug=SLUG, kind=Session.Kind.SITE_VISIT)
    second = Session.objects.get(platform__slug=SLUG, number=2)
    # The demo ships the visit already entered: clear it to enter it as the secretariat did.
    SiteVisit.objects.filter(session=visit_session).delete()
    _log_in(page, f"{live_server.url}/staff/sessions/{visit_session.pk}/")

    # The summary, the meeting it was reported to, and the days (two empty rows at a time).
    page.get_by_role("link", name="視察先・報告").click()
    page.get_by_label("概要").fill(SITE_VISIT_TOPICS)
    page.get_by_label("報告した議事").select_option(label="第2回 現地視察報告")
    page.fill("[name=days-0-date]", "2015-10-08")
    page.fill("[name=days-1-date]", "2015-10-09")
    _save_site_visit(page)
    page.fill("[name=days-2-date]", "2015-10-14")
    _save_site_visit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "現地視察 — 平成27年10月8日、9日、14日"
    )

    # The stops, two empty rows after the saved ones: fill them and save until all eight
    # are in.
    for start in range(0, len(STOPS), 2):
        expect(page.locator("[name=stops-TOTAL_FORMS]")).to_have_value(str(start + 2))
        for index in (start, start + 1):
            prefecture, municipality, day = STOPS[index]
            page.fill(f"[name=stops-{index}-order]", str(index + 1))
            if day:
                page.select_option(f"[name=stops-{index}-day]", label=day)
            page.fill(f"[name=stops-{index}-prefecture]", prefecture)
            page.fill(f"[name=stops-{index}-municipality]", municipality)
            page.fill(f"[name=stops-{index}-theme]", "アウトソーシング、自治体クラウド等")
        _save_site_visit(page)
    reports = page.locator("section[aria-labelledby=reports-heading] li")
    expect(reports).to_have_count(8)
    expect(reports.first).to_contain_text("愛知県岡崎市 — 報告未記入、写真0枚")
    expect(reports.nth(6)).to_contain_text("東京都視察先7（平成27年10月14日（水））")
    screenshot(page, "site-visit")

    # One stop's report: the findings and a photo.
    page.get_by_role("link", name="愛知県岡崎市").click()
    page.get_by_label("視察で得られた知見").fill(FINDINGS)
    page.get_by_role("button", name="報告を保存").click()
    expect(page.get_by_role("status")).to_contain_text("視察先の報告を保存しました。")
    page.get_by_label("写真（JPEGまたはPNG）").set_input_files(
        {"name": "okazaki.png", "mimeType": "image/png", "buffer": _png(64, 48)}
    )
    page.get_by_label("説明").fill(CAPTION)
    page.get_by_role("button", name="写真を追加").click()
    expect(page.get_by_role("status")).to_contain_text("写真を追加しました。")
    photo = page.get_by_role("img", name=CAPTION)
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") == 64  # served back, not a broken image
    screenshot(page, "site-visit-stop")

    # The 現地視察報告, written from the session page and read back through LibreOffice.
    page.get_by_role("link", name="現地視察", exact=True).click()
    page.get_by_role("link", name="概要・議事・資料").click()
    report = _generate_and_read(page, "現地視察報告", "現地視察_現地視察報告.docx", tmp_path)
    _assert_has_text(report, PLATFORM, "現地視察報告", "視察日：平成27年10月8日、9日、14日")
    _assert_has_text(report, "報告：第2回（平成27年10月30日）", "1愛知県岡崎市", FINDINGS, CAPTION)
    _assert_has_text(report, *(f"{n}{p}{m}" for n, (p, m, _) in enumerate(STOPS, start=1)))

    # The demo published the visit before: the stops entered here reach the public page
    # when the secretariat publishes again, from the 公開 tab.
    page.get_by_role("link", name="公開", exact=True).click()
    expect(page.locator("#changes-heading + p + ul")).to_contain_text("視察先を変更")
    page.get_by_label("資料のみ公開（議事要旨は後日）").check()
    page.get_by_role("button", name="実行する").click()
    expect(page.get_by_role("status")).to_contain_text("第2版として公開しました")

    # The public page of the visit lists the stops and links to 第2回.
    page.goto(f"{live_server.url}/councils/{SLUG}/meetings/{visit_session.pk}/")
    expect(page.locator("main")).to_contain_text("東京都視察先7")
    screenshot(page, "site-visit-public")
    page.get_by_role("link", name="第2回（平成27年10月30日）").click()
    expect(page).to_have_url(f"{live_server.url}/councils/{SLUG}/meetings/{second.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("第2回")


def _log_in(page: Page, url: str) -> None:
    """Log in as the demo's staff user, whose password the demo makes up, and land on url."""
    staff = User.objects.get(username="jimukyoku")
    staff.set_password("jimukyoku-test-pass")
    staff.save()
    page.goto(url)
    page.fill("#id_username", "jimukyoku")
    page.fill("#id_password", "jimukyoku-test-pass")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(url)


def _agenda_row(page: Page, index: int, *, order: str, kind: str, title: str, minutes: str) -> None:
    page.fill(f"[name=agenda_items-{index}-order]", order)
    page.select_option(f"[name=agenda_items-{index}-kind]", label=kind)
    page.fill(f"[name=agenda_items-{index}-title]", title)
    page.fill(f"[name=agenda_items-{index}-minutes]", minutes)


def _save_site_visit(page: Page) -> None:
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("現地視察を保存しました。")


def _generate_and_read(page: Page, label: str, filename: str, tmp_path: Path) -> str:
    """Click 作成 in 作成する文書（Word）, download the file once it is made and return
    the text of the PDF LibreOffice makes of it."""
    _document_row(page, label).get_by_role("button", name="作成").click()
    expect(page.get_by_role("status")).to_contain_text(f"{label}の作成を受け付けました。")
    page.reload()  # the job ran inline in tests; staff would reload after a while
    row = _document_row(page, label)
    expect(row.locator("td").first).to_have_text("作成済み")
    with page.expect_download() as download:
        row.get_by_role("link", name=filename).click()
    assert download.value.suggested_filename == filename
    docx = tmp_path / filename
    download.value.save_as(docx)
    return pdf_text(to_pdf(docx, tmp_path / "pdf"))


def _document_row(page: Page, label: str) -> Locator:
    return page.locator("section[aria-labelledby=documents-heading] tbody tr").filter(
        has=page.get_by_role("rowheader", name=label, exact=True)
    )


def _assert_has_text(text: str, *expected: str) -> None:
    """pdftotext puts spaces between Japanese and digits (第 1 回) and breaks lines where
    LibreOffice wraps them, so compare without white space."""
    squeezed = re.sub(r"\s+", "", text)
    missing = [e for e in expected if re.sub(r"\s+", "", e) not in squeezed]
    assert not missing, f"{missing} not in:\n{text}"


def _png(width: int, height: int) -> bytes:
    """A striped RGB PNG, drawn here so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    blue, white = bytes((40, 110, 200)), bytes((235, 235, 235))
    rows = b"".join(b"\0" + (blue if y // 8 % 2 else white) * width for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
