"""Issue 3's whole flow in Chromium: propose slots → members answer through their links →
staff fix the date → invitations with valid .ics → a member replies 代理出席 → the time
changes and an update with a higher SEQUENCE goes out → check-in on the day."""

import re

import pytest
from django.core import mail
from icalendar import Calendar

from secretariat.council.models import Membership
from secretariat.meetings.models import Attendance, Invitation, Session
from tests import factories as f
from tests.browser.conftest import screenshot
from tests.exports.test_ics import check_with_icaljs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(message) -> str:
    return re.search(r"https?://\S+/m/\S+/", message.body).group(0)


def test_poll_to_check_in(live_server, page, settings, tmp_path):
    settings.SITE_URL = live_server.url
    platform = f.make_platform(name="公共サービスイノベーション・プラットフォーム", slug="pf")
    category = f.make_category(platform, "有識者")
    people = [
        ("高橋", "進", "たかはし", "すすむ", "takahashi@example.jp", True),
        ("武山", "政直", "たけやま", "まさなお", "takeyama@example.jp", False),
        ("森本", "登志男", "もりもと", "としお", "morimoto@example.jp", False),
    ]
    for family, given, fk, gk, address, must in people:
        person = f.make_person(family, given, fk, gk, email=address, title="教授")
        f.make_membership(platform, category, person, must_attend=must)
    clerk = f.make_staff(platform, username="clerk")
    clerk.set_password("clerk-pass-123")
    clerk.save()
    session = f.make_session(
        platform,
        number=None,
        date=None,
        start_time=None,
        end_time=None,
        status=Session.Status.PLANNED,
        topics="先進事例の全国展開について",
    )

    # Staff log in and propose three slots.
    page.goto(f"{live_server.url}/staff/sessions/{session.pk}/poll/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "clerk-pass-123")
    page.click("main form button[type=submit]")
    for day in ("2026-12-26", "2027-01-12", "2027-01-13"):
        page.fill("#id_date", day)
        page.fill("#id_start_time", "10:00")
        page.fill("#id_end_time", "12:00")
        page.get_by_role("button", name="追加").click()
    assert "閉庁日（土曜日）" in page.content()
    page.get_by_role("button", name="日程調整の依頼を送る").click()
    assert "3人に日程調整の依頼を送ります。" in page.content()
    assert len(mail.outbox) == 3

    # Each member answers through the link in their email.
    choices = {
        "takahashi": ["no", "yes", "maybe"],
        "takeyama": ["yes", "yes", "no"],
        "morimoto": ["yes", "no", "yes"],
    }
    member_page = page.context.browser.new_page()
    for message in mail.outbox:
        who = message.to[0].split("@")[0]
        member_page.goto(_link(message))
        for index, fieldset in enumerate(member_page.locator("fieldset.slot").all()):
            fieldset.locator(f"input[value={choices[who][index]}]").check()
        member_page.get_by_role("button", name="ご都合を送る").click()
        assert "ご都合を登録しました" in member_page.content()
    screenshot(member_page, "member-poll")

    # The grid suggests 1/12: the must-attend member can come and so can most others.
    page.reload()
    suggested = page.locator("th.suggested").inner_text()
    assert "令和9年1月12日（火）" in suggested
    screenshot(page, "staff-poll-grid")
    mail.outbox.clear()
    page.locator("tfoot tr").nth(1).locator("td").nth(1).get_by_role(
        "button", name="この日程で確定"
    ).click()
    assert "日程を確定しました。3人に開催案内" in page.content()
    session.refresh_from_db()
    assert session.number == 1 and session.status == Session.Status.SCHEDULED

    invites = list(mail.outbox)
    assert len(invites) == 3
    for message in invites:
        ics = message.attachments[0].content
        [event] = check_with_icaljs(ics, "REQUEST", tmp_path)
        assert event["sequence"] == 0
        assert event["startUTC"] == "2027-01-12T01:00:00Z"
        assert Calendar.from_ical(ics).walk("VEVENT")[0]["UID"].endswith("@secretariat")

    # A member replies 代理出席 with the proxy's name and title.
    morimoto = next(m for m in invites if m.to == ["morimoto@example.jp"])
    member_page.goto(_link(morimoto))
    member_page.get_by_role("radio", name="代理出席").check()
    member_page.get_by_role("button", name="回答する").click()
    assert "代理出席者の氏名を入力してください。" in member_page.content()
    member_page.get_by_role("radio", name="代理出席").check()
    member_page.fill("#id_proxy_name", "森本 花子")
    member_page.fill("#id_proxy_title", "参与")
    member_page.get_by_role("button", name="回答する").click()
    assert "出欠のご回答を登録しました" in member_page.content()
    screenshot(member_page, "member-reply")
    invitation = Invitation.objects.get(membership__person__family_name="森本")
    assert invitation.reply == Invitation.Reply.PROXY

    # The time changes: an update with a higher SEQUENCE goes to everyone invited.
    mail.outbox.clear()
    page.goto(f"{live_server.url}/staff/sessions/{session.pk}/edit/")
    page.fill("#id_start_time", "14:00")
    page.fill("#id_end_time", "16:00")
    page.locator("main form.form button[type=submit]").click()
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        [event] = check_with_icaljs(message.attachments[0].content, "REQUEST", tmp_path)
        assert event["sequence"] == 1
        assert event["startUTC"] == "2027-01-12T05:00:00Z"

    # The replies page tallies the proxy; the check-in desk records arrivals.
    page.goto(f"{live_server.url}/staff/sessions/{session.pk}/replies/")
    assert "森本 花子" in page.content()
    screenshot(page, "staff-replies")
    page.goto(f"{live_server.url}/staff/sessions/{session.pk}/checkin/")
    row = page.locator("tr", has_text="森本")
    row.get_by_role("button", name="受付").click()
    attendance = Attendance.objects.get(invitation=invitation)
    assert (attendance.name, attendance.capacity) == ("森本 花子", Attendance.Capacity.PROXY)
    screenshot(page, "staff-checkin")
    assert Membership.objects.count() == 3
