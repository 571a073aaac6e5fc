"""The minutes of the seed's 第3回 in Chromium, as the secretariat and the members do them:
attendance recorded at the check-in desk → a pasted transcript becomes statements (the line
with an unknown speaker is reported and kept) → a summary is written → two speakers confirm
through their links, one with a correction that staff accept → the chair's approval → the
議事要旨 and both workbooks are written and open in LibreOffice with the expected text."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from secretariat.council.models import Membership, Person
from secretariat.demo import SLUG
from secretariat.meetings.models import Invitation, Session
from secretariat.minutes.models import CorrectionProposal, Minutes, Statement
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.office import font_aliases, pdf_text, to_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLATFORM = "公共サービスイノベーション・プラットフォーム"
HEARING = "有識者ヒアリング（アウトソーシング、IT化、自治体クラウド等について）"
WRAP_UP = "課題と対応に関するとりまとめ"
# The seed does not say what was said at 第3回: the statements, the summary and the
# addresses are the test's placeholders. None of them holds 「案」, which only the draft
# mark may print.
TAKEYAMA = "takeyama@example.jp"
MORIMOTO = "morimoto@example.jp"
TAKEYAMA_FIRST = "窓口業務の民間委託は、先進自治体の事例を全国に広げることが大切である。"
TAKEYAMA_MORE = "そのためには、まず業務の標準化を進めるべきだ。"
MORIMOTO_SAID = "自治体クラウドの導入には、首長のリーダーシップが欠かせない。"
MORIMOTO_CORRECTED = "自治体クラウドの導入には、首長のリーダーシップと職員の理解が欠かせない。"
MORIMOTO_COMMENT = "「職員の理解」を補いました。"
TAKEYAMA_WRAP_UP = "とりまとめの方向性に賛成する。"
UNKNOWN = "田中委員: 事務局の整理でよいと思う。"
SECRETARIAT_SAID = "それでは、有識者からのヒアリングを始めます。"
TRANSCRIPT = f"""\
# 1
事務局: {SECRETARIAT_SAID}
武山委員: {TAKEYAMA_FIRST}
{TAKEYAMA_MORE}
森本委員：{MORIMOTO_SAID}

# {WRAP_UP}
武山委員: {TAKEYAMA_WRAP_UP}
{UNKNOWN}
"""
SUMMARY = "有識者から、先進事例の全国展開に向けた課題について説明があり、意見交換を行った。"
SECRETARIAT = ("山本 一郎", "内閣府 参事官")


def test_minutes_from_transcript_to_documents(
    live_server, page, browser, settings, tmp_path, monkeypatch
):
    settings.SITE_URL = live_server.url
    # LibreOffice draws Office's Japanese font names with IPAex, as a Windows reader would.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(font_aliases(tmp_path / "config")))
    call_command("load_demo", stdout=io.StringIO())
    session = Session.objects.get(platform__slug=SLUG, number=3)
    # The seed's members have no addresses; two of the 有識者 get one. 第3回 has no
    # invitations either: the check-in desk lists the invited, so three members are.
    for family, address in (("武山", TAKEYAMA), ("森本", MORIMOTO)):
        Person.objects.filter(family_name=family).update(email=address)
    for family in ("高橋", "武山", "森本"):
        membership = Membership.objects.get(platform=session.platform, person__family_name=family)
        Invitation.objects.create(
            session=session, membership=membership, reply=Invitation.Reply.ATTENDING
        )
    base = f"{live_server.url}/staff/sessions/{session.pk}"

    # On the day: the members are checked in from the list, the secretariat by hand.
    _log_in(page, f"{base}/checkin/")
    for family in ("武山", "森本", "高橋"):
        row = page.locator("section[aria-labelledby=expected-heading] tbody tr", has_text=family)
        row.get_by_role("button", name="受付").click()
        expect(row).to_contain_text("受付済み（構成員）")
    others = page.locator("section[aria-labelledby=others-heading]")
    others.get_by_label("氏名").fill(SECRETARIAT[0])
    others.get_by_label("役職").fill(SECRETARIAT[1])
    others.get_by_label("区分").select_option(label="事務局")
    others.get_by_role("button", name="受付").click()
    expect(page.get_by_role("status")).to_contain_text(f"{SECRETARIAT[0]}の受付をしました。")
    expect(others.locator("li")).to_contain_text(f"{SECRETARIAT[0]} {SECRETARIAT[1]}（事務局）")

    # The editor: paste the transcript and take it in. The unknown speaker's line is
    # reported with its number and left in the box; the rest become statements.
    page.goto(f"{base}/minutes/")
    attendees = page.locator("section[aria-labelledby=attendance-heading] li")
    expect(attendees).to_have_count(4)
    page.get_by_label("発言録の貼り付け").fill(TRANSCRIPT)
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_role("status")).to_contain_text("4件の発言を取り込みました。")
    problems = page.locator("section[aria-labelledby=transcript-heading] [role=alert]")
    expect(problems).to_contain_text(f"9行目: {UNKNOWN} — 発言者が出席者にいません")
    expect(page.get_by_label("発言録の貼り付け")).to_have_value(UNKNOWN)
    # Four statements and the empty row for a fifth.
    texts = page.locator("ol.statements textarea")
    expect(texts).to_have_count(5)
    expect(texts.nth(0)).to_have_value(SECRETARIAT_SAID)
    expect(texts.nth(1)).to_have_value(f"{TAKEYAMA_FIRST}\n{TAKEYAMA_MORE}")
    expect(texts.nth(2)).to_have_value(MORIMOTO_SAID)
    expect(texts.nth(3)).to_have_value(TAKEYAMA_WRAP_UP)
    speakers = page.locator("ol.statements select[name$=-speaker] option:checked")
    expect(speakers).to_have_text(["事務局", "武山委員", "森本委員", "武山委員", "—"])
    items = page.locator("ol.statements select[name$=-agenda_item] option:checked")
    expect(items).to_have_text([HEARING, HEARING, HEARING, WRAP_UP, "—"])
    screenshot(page, "minutes-editor-imported")

    # The summary, saved with the statements.
    page.get_by_label("概要（議事要旨の本文）").fill(SUMMARY)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("議事録を保存しました。")
    expect(page.get_by_label("概要（議事要旨の本文）")).to_have_value(SUMMARY)
    expect(page.locator("ol.statements textarea").nth(2)).to_have_value(MORIMOTO_SAID)
    screenshot(page, "minutes-editor")
    minutes = Minutes.objects.get(session=session)
    assert minutes.summary == SUMMARY
    assert minutes.statements.count() == 4

    # Speaker confirmation: each speaker gets their own link by email.
    page.get_by_role("link", name="発言者確認・座長了解").click()
    deadline = timezone.localdate() + timedelta(days=7)
    page.get_by_label("確認の期限").fill(f"{deadline:%Y-%m-%d}T17:00")
    page.get_by_role("button", name="発言者に確認を依頼する").click()
    expect(page.get_by_role("status")).to_contain_text("発言者に確認を依頼します。")
    assert sorted(m.to[0] for m in mail.outbox) == [MORIMOTO, TAKEYAMA]
    links = {}
    for message in mail.outbox:
        assert message.subject.startswith("【発言内容のご確認のお願い】第3回")
        link = re.search(r"https?://\S+/c/\S+/", message.body).group(0)
        assert link.startswith(live_server.url)
        [(html, _mimetype)] = message.alternatives
        assert link in html
        links[message.to[0]] = link

    # 武山委員 confirms both statements as they are.
    takeyama = _speaker_page(browser, links[TAKEYAMA])
    expect(takeyama.locator("main")).to_contain_text("武山\u3000政直 様専用のページです。")
    expect(takeyama.locator("fieldset.statement")).to_have_count(2)
    takeyama.get_by_role("button", name="確認結果を送る").click()
    expect(takeyama.get_by_role("status")).to_have_text(
        "ご確認の結果を受け付けました。ありがとうございました。"
    )
    takeyama.context.close()

    # 森本委員 corrects their statement and says why.
    morimoto = _speaker_page(browser, links[MORIMOTO])
    expect(morimoto.locator("main")).to_contain_text("森本\u3000登志男 様専用のページです。")
    statement = morimoto.locator("fieldset.statement")
    expect(statement).to_have_count(1)
    expect(statement.locator("blockquote")).to_have_text(MORIMOTO_SAID)
    statement.get_by_label("修正する").check()
    statement.get_by_label("修正後の発言").fill(MORIMOTO_CORRECTED)
    statement.get_by_label("事務局へのコメント（任意）").fill(MORIMOTO_COMMENT)
    screenshot(morimoto, "minutes-speaker-confirmation")
    morimoto.get_by_role("button", name="確認結果を送る").click()
    expect(morimoto.get_by_role("status")).to_have_text(
        "ご確認の結果を受け付けました。ありがとうございました。"
    )
    morimoto.context.close()

    # Staff see the proposal beside the original and accept it.
    page.reload()
    answered = page.locator("section[aria-labelledby=speakers-heading] tbody tr")
    expect(answered).to_have_count(2)  # the secretariat is not asked
    for speaker_row in answered.all():
        expect(speaker_row).not_to_contain_text("未回答")
    row = page.locator("section[aria-labelledby=statements-heading] tbody tr").filter(
        has_text=MORIMOTO_CORRECTED
    )
    expect(row.locator("td").nth(0)).to_have_text(MORIMOTO_SAID)
    expect(row.locator(".proposal")).to_contain_text(MORIMOTO_COMMENT)
    screenshot(page, "minutes-confirmation-proposal")
    row.get_by_role("button", name="反映する").click()
    expect(page.get_by_role("status")).to_contain_text("修正を反映しました。")
    proposal = CorrectionProposal.objects.get()
    assert proposal.decision == CorrectionProposal.Decision.ACCEPTED
    assert proposal.original_text == MORIMOTO_SAID

    # The chair's approval: every statement is confirmed (the secretariat's own by the
    # secretariat), so no override is needed.
    page.get_by_role("button", name="座長了解を記録する").click()
    expect(page.get_by_role("status")).to_contain_text(
        "座長了解を記録しました。議事録は確定しました。"
    )
    expect(page.locator("dl.facts")).to_contain_text("座長了解済み")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED and not minutes.approval_override
    assert list(minutes.statements.values_list("confirmation", flat=True)) == [
        Statement.Confirmation.CONFIRMED,
        Statement.Confirmation.CONFIRMED,
        Statement.Confirmation.CORRECTED,
        Statement.Confirmation.CONFIRMED,
    ]
    screenshot(page, "minutes-approved")

    # The 議事要旨 and the session's workbook, from the session page.
    page.goto(f"{base}/")
    summary_docx = _generate(page, _document_row(page, "議事要旨"), tmp_path)
    assert summary_docx.suffix == ".docx"
    summary_pdf = to_pdf(summary_docx, tmp_path / "pdf")
    text = pdf_text(summary_pdf)
    _assert_has_text(text, "第3回", PLATFORM, "議事要旨", "出席者", SUMMARY, MORIMOTO_CORRECTED)
    _assert_has_text(text, f"{TAKEYAMA_FIRST}{TAKEYAMA_MORE}", HEARING, WRAP_UP, "座長了解")
    _assert_has_text(text, SECRETARIAT_SAID)
    _assert_has_text(text, SECRETARIAT[0], "武山", "森本", "高橋")
    assert MORIMOTO_SAID not in _squeeze(text)
    assert "案" not in _squeeze(text), "approved minutes still carry the draft mark"
    assert _pages_as_png(summary_pdf, "minutes-summary")

    session_xlsx = _generate(page, _document_row(page, "会議の記録（Excel）"), tmp_path)
    assert session_xlsx.suffix == ".xlsx"
    _assert_no_formulas(session_xlsx)
    text = pdf_text(to_pdf(session_xlsx, tmp_path / "pdf"))
    _assert_has_text(text, "第3回", "出席者", MORIMOTO_CORRECTED, TAKEYAMA_WRAP_UP, "森本委員")
    _assert_has_text(text, SECRETARIAT[0], "事務局", "修正を反映")
    screenshot(page, "minutes-session-documents")

    # The platform's workbook, from its list of sessions.
    page.goto(f"{live_server.url}/staff/councils/{SLUG}/sessions/")
    records = page.locator("main section[aria-labelledby=records-heading]")
    platform_xlsx = _generate(page, records, tmp_path)
    screenshot(page, "minutes-platform-sessions")
    assert platform_xlsx.suffix == ".xlsx"
    _assert_no_formulas(platform_xlsx)
    assert openpyxl.load_workbook(platform_xlsx).sheetnames == [
        "会議一覧",
        "出欠一覧",
        "フォローアップ",
    ]
    text = pdf_text(to_pdf(platform_xlsx, tmp_path / "pdf"))
    # The 出欠一覧 sheet prints without a title line (its name is checked above); its
    # header row names the sessions and the three members are marked for 第3回.
    _assert_has_text(text, f"{PLATFORM}会議一覧", f"{PLATFORM}フォローアップ", "第3回")
    _assert_has_text(text, "氏名第1回現地視察第2回第3回第4回", "武山政直出席", "森本登志男出席")


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


def _speaker_page(browser: Browser, link: str) -> Page:
    """The speaker's own browser: no staff session, only the link from the email."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1100, "height": 900})
    speaker = context.new_page()
    speaker.goto(link)
    return speaker


def _document_row(page: Page, label: str) -> Locator:
    return page.locator("section[aria-labelledby=documents-heading] tbody tr").filter(
        has=page.get_by_role("rowheader", name=label, exact=True)
    )


def _generate(page: Page, where: Locator, tmp_path: Path) -> Path:
    """Click 作成 in ``where``, reload (the job ran inline in tests; staff would reload after
    a while) and download the file from its link there."""
    where.get_by_role("button", name="作成").click()
    expect(page.get_by_role("status")).to_contain_text("の作成を受け付けました。")
    page.reload()
    link = where.get_by_role("link", name=re.compile(r"\.(docx|xlsx)$"))
    with page.expect_download() as download:
        link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _assert_has_text(text: str, *expected: str) -> None:
    """pdftotext puts spaces between Japanese and digits (第 3 回) and breaks lines where
    LibreOffice wraps them, so compare without white space."""
    squeezed = _squeeze(text)
    missing = [e for e in expected if _squeeze(e) not in squeezed]
    assert not missing, f"{missing} not in:\n{text}"


def _assert_no_formulas(xlsx: Path) -> None:
    """Every value is written as data: a cell a reader's Excel would compute is a formula
    someone could have injected through a name or a statement."""
    workbook = openpyxl.load_workbook(xlsx)
    formulas = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert not formulas, formulas


def _pages_as_png(pdf: Path, name: str) -> list[Path]:
    """The PDF's pages at 60 dpi beside the screenshots (``name-1.png`` …), to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / name)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return sorted(SCREENSHOTS.glob(f"{name}-*.png"))
