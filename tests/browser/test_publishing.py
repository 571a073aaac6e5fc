"""The seed's publications in Chromium, as a citizen meets them: the demo publishes its held
sessions with their materials; a visitor who is not logged in opens the meeting list and
第1回, opens a material and downloads the 資料一式 ZIP, whose Japanese names `unzip -l` and
Python's zipfile read alike; the 委員限り material is nowhere. Then the static export opens
from disk, links and stylesheet working, and looks like the live site."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

from documents.models import Material
from secretariat.demo import SLUG
from secretariat.meetings.models import Session
from secretariat.publishing.models import Publication, PublishedFile
from secretariat.publishing.static_site import export_site
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The seed's withheld materials: 第1回's 委員限り 資料2 and 第2回's 非公開 資料3.
MEMBERS_ONLY = "自治体別の検討状況（委員限り）"
NOT_PUBLIC = "視察先担当者の連絡先一覧"
HEARING = "関係省庁ヒアリング（アウトソーシング、IT化、自治体クラウド等について）"
# Newest first, as the meeting list shows them; the seed's fifth session is still planned.
PUBLISHED = ["第4回", "第3回", "第2回", "現地視察", "第1回"]
BUNDLE_NAMES = [
    "第1回PF/00_一覧.txt",
    "第1回PF/01_議事次第.pdf",
    f"第1回PF/02_資料1_{HEARING}（説明資料）.pdf",
    "第1回PF/03_参考資料1_構成員名簿.pdf",
]
# Copies of the screenshots where they can be looked at outside the project.
SHOTS = Path("/tmp/publishing-shots")
HEADER_STYLE = """() => {
  const style = getComputedStyle(document.querySelector('.site-header'));
  return [style.backgroundColor, style.color, style.fontFamily];
}"""


def test_citizen_opens_a_session_and_downloads_its_materials(live_server, page, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    # Every held session is published with its materials; each meeting's ZIP was built by
    # the job queued on commit (tasks run inline in tests), the site visit has no files.
    current = Publication.objects.filter(is_current=True).select_related("session")
    assert sorted((p.session.title, p.kind, p.bundle_status) for p in current) == sorted(
        (title, Publication.Kind.MATERIALS, "none" if title == "現地視察" else "ready")
        for title in PUBLISHED
    )
    first = Session.objects.get(platform__slug=SLUG, number=1)
    withheld = Material.objects.get(session=first, title=MEMBERS_ONLY)

    page.goto(f"{live_server.url}/councils/{SLUG}/meetings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("開催実績")
    expect(page.locator("table.sessions tbody .session-title")).to_have_text(PUBLISHED)
    _shoot(page, "publishing-meeting-list")

    page.get_by_role("link", name="第1回PF 会議資料").click()
    expect(page).to_have_url(f"{live_server.url}/councils/{SLUG}/meetings/{first.pk}/")
    materials = page.locator("section[aria-labelledby=materials-heading]")
    expect(materials.get_by_role("heading", name="配布資料")).to_be_visible()
    expect(materials.locator("ul.files > li > a")).to_have_text(
        [
            re.compile(r"^議事次第\(PDF形式:\d+KB\)$"),
            re.compile(rf"^資料1\u3000{re.escape(HEARING)}（説明資料）\(PDF形式:\d+KB\)$"),
            re.compile(r"^参考資料1\u3000構成員名簿\(PDF形式:\d+KB\)$"),
        ]
    )
    bundle_link = page.get_by_role("link", name=re.compile(r"^資料一括ダウンロード\(ZIP形式:"))
    expect(bundle_link).to_be_visible()
    expect(bundle_link).to_have_text(re.compile(r"^資料一括ダウンロード\(ZIP形式:\d+KB\)$"))
    expect(page.locator("body")).not_to_contain_text("委員限り")
    _shoot(page, "publishing-session")

    # The members-only material has no public URL either, even to someone who guesses it.
    guessed = f"{live_server.url}/councils/{SLUG}/meetings/{first.pk}/materials/{withheld.pk}/"
    assert page.request.get(guessed).status == 404

    # A PDF opens in Chromium's own viewer, inline, with its Japanese name; the bytes are
    # the stored file's as published.
    agenda = PublishedFile.objects.get(
        publication__session=first,
        publication__is_current=True,
        kind=PublishedFile.Kind.MATERIAL,
        title="議事次第",
    )
    with page.expect_response(lambda r: "/materials/" in r.url) as opened:
        materials.get_by_role("link", name=re.compile(r"^議事次第")).click()
    response = opened.value
    expect(page).to_have_url(
        f"{live_server.url}/councils/{SLUG}/meetings/{first.pk}/materials/{agenda.material_id}/"
    )
    assert response.url == page.url
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f"inline; filename*=utf-8''{quote('議事次第.pdf')}"
    )
    with agenda.file.open("rb") as stored:
        agenda_bytes = stored.read()
    assert page.request.get(response.url).body() == agenda_bytes
    page.go_back()

    # The bundle downloads as a file, and two readers agree on the names inside.
    with page.expect_download() as download:
        bundle_link.click()
    assert download.value.suggested_filename == "第1回PF_資料一式.zip"
    bundle = tmp_path / download.value.suggested_filename
    download.value.save_as(bundle)
    with zipfile.ZipFile(bundle) as archive:
        assert archive.namelist() == BUNDLE_NAMES
        # The UTF-8 flag is what lets unzip (and Windows, and macOS) read the names.
        assert all(info.flag_bits & 0x800 for info in archive.infolist())
        assert archive.read(BUNDLE_NAMES[1]) == agenda_bytes
        index = archive.read(BUNDLE_NAMES[0]).decode("utf-8-sig")
    assert _unzip_names(bundle) == BUNDLE_NAMES
    assert "第1回 公共サービスイノベーション・プラットフォーム 資料一覧" in index
    assert "ファイル名:03_参考資料1_構成員名簿.pdf" in index
    assert MEMBERS_ONLY not in index
    assert not any("委員限り" in name for name in BUNDLE_NAMES)


def test_static_export_opens_from_disk_like_the_live_site(live_server, page, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    first = Session.objects.get(platform__slug=SLUG, number=1)
    page.goto(f"{live_server.url}/councils/{SLUG}/meetings/{first.pk}/")
    live_header = page.evaluate(HEADER_STYLE)
    live_main = page.locator("main").inner_text()
    assert live_header[0] != "rgba(0, 0, 0, 0)"  # the stylesheet has coloured the header

    root = tmp_path / "site"
    report = export_site(root, base_url=settings.PUBLIC_SITE_URL)
    assert report.dangling == []
    meetings = root / "councils" / SLUG / "meetings"
    page.goto((meetings / "index.html").as_uri())
    expect(page.locator("table.sessions tbody .session-title")).to_have_text(PUBLISHED)
    page.get_by_role("link", name="第1回PF 会議資料").click()
    expect(page).to_have_url((meetings / str(first.pk) / "index.html").as_uri())
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "第1回 公共サービスイノベーション・プラットフォーム"
    )
    assert page.evaluate(HEADER_STYLE) == live_header
    assert page.locator("main").inner_text() == live_main
    _shoot(page, "publishing-export-session")

    # The downloads sit beside the page, as the links say, with the bytes published.
    agenda = PublishedFile.objects.get(
        publication__session=first, publication__is_current=True, title="議事次第"
    )
    href = page.get_by_role("link", name=re.compile(r"^議事次第")).get_attribute("href")
    assert href == f"materials/{agenda.material_id}.pdf"
    page_folder = meetings / str(first.pk)
    with agenda.file.open("rb") as stored:
        assert (page_folder / href).read_bytes() == stored.read()
    href = page.get_by_role("link", name=re.compile(r"^資料一括ダウンロード")).get_attribute("href")
    assert href == "bundle.zip"
    with zipfile.ZipFile(page_folder / href) as archive:
        assert archive.namelist() == BUNDLE_NAMES

    # Nothing withheld went out: not on any page, not in any file name or bundle.
    for path in root.rglob("*"):
        if path.suffix == ".html":
            text = path.read_text()
            assert MEMBERS_ONLY not in text and NOT_PUBLIC not in text, path
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                assert not any(
                    MEMBERS_ONLY in name or NOT_PUBLIC in name for name in archive.namelist()
                ), path

    assert axe_violations(page) == []


def _unzip_names(path: Path) -> list[str]:
    """The entry names as Info-ZIP's `unzip -l` lists them, in a UTF-8 locale."""
    unzip = shutil.which("unzip")
    if unzip is None:
        pytest.fail("unzip not found: run `make test`, which installs it")
    listing = subprocess.run(
        [unzip, "-l", str(path)],
        capture_output=True,
        check=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    ).stdout.decode("utf-8")
    # Between the two dashed rules: "  Length  Date  Time  Name" rows.
    rows = listing.split("\n---------")[1].splitlines()[1:]
    return [row.split(maxsplit=3)[3] for row in rows if row.strip()]


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot(page, name), SHOTS / f"{name}.png")
