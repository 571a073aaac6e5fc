"""Replies (出欠): members answering through their link, staff recording a reply on a
member's behalf, the list with its tally, the 出欠表 workbook, and inviting members added
after the invitations went out."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from secretariat.council.models import Membership
from secretariat.meetings import actions
from secretariat.meetings.models import Delivery, Invitation
from tests import factories as f

TOKYO_NOON = "2026-11-02 12:00 +0900"
DEADLINE = datetime.fromisoformat("2026-11-25T17:00+09:00")


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(TOKYO_NOON, tick=False)


@pytest.fixture
def members(cast):
    """Members in three categories, each with its own order, and a ministry with no email."""
    platform = cast.platform
    first = f.make_category(platform, "経済財政諮問会議関係", order=0)
    last = f.make_category(platform, "テーマ別参加省庁", order=5)
    second_in_first = f.make_membership(
        platform,
        first,
        f.make_person("高橋", "進", "たかはし", "すすむ", email="takahashi@example.jp"),
        order=2,
        role=Membership.Role.CHAIR,
    )
    first_in_first = f.make_membership(
        platform,
        first,
        f.make_person("髙鳥", "修一", "たかとり", "しゅういち", title="内閣府副大臣"),
        order=1,
        contact_email="fukudaijin@example.jp",
    )
    ministry = f.make_membership(platform, last, organisation=f.make_organisation("総務省"))
    return {
        "takeyama": cast.member,
        "chair": second_in_first,
        "vice_minister": first_in_first,
        "ministry": ministry,
    }


@pytest.fixture
def session(cast, members):
    """The planned session, its date fixed on 2026-12-02 with a reply deadline."""
    slot = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 2), start=time(10), end=time(12)
    )
    actions.fix_date(session=cast.planned, slot=slot, reply_deadline=DEADLINE)
    return cast.planned


def _invitation(session, membership):
    return session.invitations.get(membership=membership)


def _login_url(url):
    return f"{reverse('login')}?next={url}"


# Members reply through their link


def _reply(client, invitation, **data):
    return client.post(reverse("member:reply", args=[invitation.token]), data)


@pytest.mark.parametrize(
    ("reply", "label"),
    [("attending", "出席"), ("absent", "欠席"), ("online", "オンライン出席")],
)
def test_a_member_replies(client, session, members, reply, label):
    invitation = _invitation(session, members["takeyama"])
    response = _reply(client, invitation, reply=reply, comment="  遅れて参ります  ")
    assert response.status_code == 302
    assert response.url == reverse("member:invitation", args=[invitation.token]) + "?saved=reply"
    invitation.refresh_from_db()
    assert invitation.reply == reply
    assert invitation.reply_comment == "遅れて参ります"
    assert invitation.replied_at == datetime.fromisoformat("2026-11-02T12:00+09:00")
    assert invitation.reply_entered_by is None
    page = client.get(response.url).content.decode()
    assert "出欠のご回答を登録しました。" in page
    assert f"現在のご回答: {label}" in page


def test_a_member_replies_by_proxy(client, session, members):
    invitation = _invitation(session, members["takeyama"])
    response = _reply(
        client, invitation, reply="proxy", proxy_name=" 武山 花子 ", proxy_title="准教授"
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.proxy_name, invitation.proxy_title) == (
        "proxy",
        "武山 花子",
        "准教授",
    )
    assert "現在のご回答: 代理出席（武山 花子 准教授）" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("name", "title", "errors"),
    [
        ("", "", ["代理出席者の氏名を入力してください。", "代理出席者の役職を入力してください。"]),
        ("武山 花子", " ", ["代理出席者の役職を入力してください。"]),
        ("", "准教授", ["代理出席者の氏名を入力してください。"]),
    ],
)
def test_a_proxy_needs_a_name_and_a_title(client, session, members, name, title, errors):
    invitation = _invitation(session, members["takeyama"])
    _reply(client, invitation, reply="absent")
    response = _reply(
        client, invitation, reply="proxy", proxy_name=name, proxy_title=title, comment="よろしく"
    )
    assert response.status_code == 400
    html = response.content.decode()
    for error in errors:
        assert error in html
    assert "よろしく" in html  # what was typed is kept
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.proxy_name, invitation.reply_comment) == ("absent", "", "")


def test_a_reply_must_be_one_of_the_choices(client, session, members):
    invitation = _invitation(session, members["takeyama"])
    response = _reply(client, invitation, reply="maybe")
    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_a_member_changes_their_reply_until_the_deadline(client, session, members, time_machine):
    invitation = _invitation(session, members["takeyama"])
    _reply(client, invitation, reply="proxy", proxy_name="武山 花子", proxy_title="准教授")
    time_machine.move_to("2026-11-25 17:00 +0900", tick=False)
    assert _reply(client, invitation, reply="attending").status_code == 302
    invitation.refresh_from_db()
    # Changing away from 代理出席 clears the proxy.
    assert (invitation.reply, invitation.proxy_name, invitation.proxy_title) == (
        "attending",
        "",
        "",
    )


def test_a_reply_after_the_deadline_is_refused(client, session, members, time_machine):
    invitation = _invitation(session, members["takeyama"])
    _reply(client, invitation, reply="attending", comment="出席します")
    time_machine.move_to("2026-11-25 17:01 +0900", tick=False)
    page = client.get(reverse("member:invitation", args=[invitation.token])).content.decode()
    assert "回答の受付は終了しました。" in page
    response = _reply(client, invitation, reply="absent")
    assert response.status_code == 400
    assert (
        "回答期限を過ぎたため、このリンクからは変更できません。事務局にご連絡ください。"
        in response.content.decode()
    )
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.reply_comment) == ("attending", "出席します")
    assert invitation.replied_at == datetime.fromisoformat("2026-11-02T12:00+09:00")


def test_a_member_cannot_reply_before_the_date_is_fixed(client, cast, members):
    actions.add_slot(session=cast.planned, day=date(2026, 12, 2), start=time(10), end=time(12))
    actions.open_poll(session=cast.planned)
    invitation = _invitation(cast.planned, members["takeyama"])
    assert _reply(client, invitation, reply="attending").status_code == 400
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_replying_needs_a_post(client, session, members):
    invitation = _invitation(session, members["takeyama"])
    assert client.get(reverse("member:reply", args=[invitation.token])).status_code == 405


# Staff record a reply on a member's behalf


def _staff_reply_url(invitation):
    return reverse("meetings:staff_reply", args=[invitation.pk])


def test_staff_see_the_reply_form_filled_in(client, cast, session, members):
    invitation = _invitation(session, members["takeyama"])
    invitation.record_reply(
        reply="proxy", proxy_name="武山 花子", proxy_title="准教授", now=DEADLINE
    )
    client.force_login(cast.clerk)
    response = client.get(_staff_reply_url(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "出欠の記録 — 武山\u3000政直" in html
    assert 'value="proxy" required id="id_reply_2" checked' in html
    assert 'value="武山 花子"' in html


def test_staff_record_a_reply_and_the_record_says_who(client, cast, session, members):
    invitation = _invitation(session, members["takeyama"])
    client.force_login(cast.clerk)
    response = client.post(
        _staff_reply_url(invitation),
        {"reply": "online", "comment": "電話で受付"},
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:replies", args=[session.pk])
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.reply_comment) == ("online", "電話で受付")
    assert invitation.reply_entered_by == cast.clerk
    page = client.get(response.url).content.decode()
    assert "出欠を記録しました。" in page
    assert "clerkが入力" in page


def test_staff_record_a_reply_after_the_deadline(client, cast, session, members, time_machine):
    invitation = _invitation(session, members["takeyama"])
    invitation.record_reply(reply="attending", now=DEADLINE)
    time_machine.move_to("2026-12-01 09:00 +0900", tick=False)
    client.force_login(cast.clerk)
    response = client.post(
        _staff_reply_url(invitation),
        {"reply": "proxy", "proxy_name": "武山 花子", "proxy_title": "准教授"},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.proxy_name, invitation.reply_entered_by) == (
        "proxy",
        "武山 花子",
        cast.clerk,
    )
    assert invitation.replied_at == datetime.fromisoformat("2026-12-01T09:00+09:00")


def test_staff_recording_a_proxy_need_name_and_title(client, cast, session, members):
    invitation = _invitation(session, members["takeyama"])
    client.force_login(cast.clerk)
    response = client.post(
        _staff_reply_url(invitation), {"reply": "proxy", "proxy_name": "武山 花子"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "代理出席者の役職を入力してください。" in html
    assert 'value="武山 花子"' in html
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.reply_entered_by) == ("", None)


def test_a_member_answering_later_replaces_the_staff_entry(client, cast, session, members):
    invitation = _invitation(session, members["takeyama"])
    invitation.record_reply(reply="absent", now=DEADLINE, entered_by=cast.clerk)
    _reply(client, invitation, reply="attending")
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.reply_entered_by) == ("attending", None)


def test_staff_reply_access(client, cast, session, members):
    invitation = _invitation(session, members["takeyama"])
    url = _staff_reply_url(invitation)
    assert client.post(url, {"reply": "absent"}).url == _login_url(url)
    client.force_login(cast.viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reply": "absent"}).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reply": "absent"}).status_code == 404
    client.force_login(cast.clerk)
    assert client.put(url).status_code == 405
    invitation.refresh_from_db()
    assert invitation.reply == ""


# The list and its tally


def _replies_url(session):
    return reverse("meetings:replies", args=[session.pk])


def _record_replies(session, members, clerk):
    _invitation(session, members["takeyama"]).record_reply(reply="attending", now=DEADLINE)
    _invitation(session, members["chair"]).record_reply(
        reply="proxy", proxy_name="高橋 一郎", proxy_title="参与", now=DEADLINE
    )
    _invitation(session, members["vice_minister"]).record_reply(
        reply="absent", comment="公務のため", now=DEADLINE, entered_by=clerk
    )


def test_the_list_shows_every_reply_and_the_tally(client, cast, session, members):
    _record_replies(session, members, cast.clerk)
    client.force_login(cast.clerk)
    response = client.get(_replies_url(session))
    assert response.status_code == 200
    assert response.context["tally"] == {
        "attending": 1,
        "online": 0,
        "proxy": 1,
        "absent": 1,
        "waiting": 1,
        "total": 4,
    }
    html = response.content.decode()
    assert "高橋 一郎 参与" in html
    assert "公務のため" in html
    assert "clerkが入力" in html
    assert html.count("本人が回答") == 2
    # The ministry has no address: said on the list.
    assert "メールアドレス未登録" in html
    assert "回答期限" in html and "令和8年11月25日（水） 17:00" in html
    assert reverse("meetings:staff_reply", args=[_invitation(session, members["chair"]).pk]) in html


def test_the_tally_leaves_out_revoked_links(client, cast, session, members):
    _record_replies(session, members, cast.clerk)
    _invitation(session, members["takeyama"]).revoke(DEADLINE)
    client.force_login(cast.clerk)
    tally = client.get(_replies_url(session)).context["tally"]
    assert (tally["attending"], tally["total"]) == (0, 3)


def test_viewer_reads_the_list_without_the_buttons(client, cast, session, members):
    client.force_login(cast.viewer)
    response = client.get(_replies_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "武山\u3000政直" in html
    assert "代わりに記録" not in html
    assert "リンクを無効化" not in html


def test_the_list_access(client, cast, session):
    url = _replies_url(session)
    assert client.get(url).url == _login_url(url)
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.post(url).status_code == 405


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_query_count_does_not_grow_with_invitations(client, cast, session, members):
    _record_replies(session, members, cast.clerk)
    client.force_login(cast.clerk)
    one = _count_queries(client, _replies_url(session))
    one_sheet = _count_queries(client, reverse("meetings:reply_sheet", args=[session.pk]))
    newcomers = []
    for n in range(12):
        person = f.make_person("委員", f"{n}号", "いいん", "ごう", email=f"m{n}@example.jp")
        newcomers.append(f.make_membership(cast.platform, cast.member.category, person))
    actions.invite_members(session=session, memberships=newcomers[:10])
    for invitation in session.invitations.filter(membership__in=newcomers[:5]):
        invitation.record_reply(reply="absent", now=DEADLINE, entered_by=cast.viewer)
    assert _count_queries(client, _replies_url(session)) == one
    assert _count_queries(client, reverse("meetings:reply_sheet", args=[session.pk])) == one_sheet


# The 出欠表 workbook


def test_the_reply_sheet_downloads_in_category_and_member_order(client, cast, session, members):
    _record_replies(session, members, cast.clerk)
    client.force_login(cast.clerk)
    response = client.get(reverse("meetings:reply_sheet", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%AC%AC3%E5%9B%9E_%E5%87%BA%E6%AC%A0%E8%A1%A8.xlsx"
    )  # 第3回_出欠表.xlsx
    sheet = load_workbook(f.in_memory(response.content)).active
    assert sheet.title == "出欠表"
    assert sheet["A1"].value == "第3回 公共サービスイノベーション・プラットフォーム 出欠表"
    rows = [
        [cell.value for cell in row] for row in sheet.iter_rows(min_row=8, max_row=11, max_col=8)
    ]
    assert [row[:6] for row in rows] == [
        ["経済財政諮問会議関係", "髙鳥\u3000修一", "内閣府副大臣", "欠席", None, "公務のため"],
        ["経済財政諮問会議関係", "高橋\u3000進", None, "代理出席", "高橋 一郎 参与", None],
        ["有識者", "武山\u3000政直", "教授", "出席", None, None],
        ["テーマ別参加省庁", "総務省", None, "未回答", None, None],
    ]
    # Excel has no time zones: the reply time is written as Tokyo wall time.
    assert rows[0][6] == DEADLINE.replace(tzinfo=None)
    assert [row[7] for row in rows] == ["clerk", None, None, None]


def test_viewer_downloads_the_reply_sheet(client, cast, session):
    client.force_login(cast.viewer)
    response = client.get(reverse("meetings:reply_sheet", args=[session.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_the_reply_sheet_access(client, cast, session):
    url = reverse("meetings:reply_sheet", args=[session.pk])
    assert client.get(url).url == _login_url(url)
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.post(url).status_code == 405


# Inviting members added later


def _invite_url(session):
    return reverse("meetings:invite_new_members", args=[session.pk])


def test_adding_a_member_later_invites_only_that_member(
    client, cast, session, members, django_capture_on_commit_callbacks
):
    before = set(Delivery.objects.values_list("pk", flat=True))
    newcomer = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("足立", "慎一郎", "あだち", "しんいちろう", email="adachi@example.jp"),
    )
    client.force_login(cast.clerk)
    page = client.get(_replies_url(session)).content.decode()
    assert "まだ開催案内を送っていない構成員" in page and "足立\u3000慎一郎" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_invite_url(session), follow=True)
    html = response.content.decode()
    assert "1人に開催案内を送ります。" in html
    # The ministry still has no address: said again, by name.
    assert "メールアドレスが登録されていないため送れませんでした: 総務省" in html
    new = Delivery.objects.exclude(pk__in=before)
    assert [(d.invitation.membership, d.kind) for d in new] == [(newcomer, "invite")]
    # The earlier invitations were recorded but never committed, so they go out too; the
    # newcomer's is the one new message.
    assert ["adachi@example.jp"] in [m.to for m in mail.outbox]
    assert sum(m.to == ["adachi@example.jp"] for m in mail.outbox) == 1
    message = next(m for m in mail.outbox if m.to == ["adachi@example.jp"])
    assert message.subject.startswith("【開催案内】第3回")
    assert message.alternatives[0].mimetype == "text/html"


def test_a_member_with_no_email_gets_an_invitation_but_no_delivery(client, cast, session, members):
    invitation = _invitation(session, members["ministry"])
    assert not invitation.deliveries.exists()
    client.force_login(cast.clerk)
    response = client.post(_invite_url(session), follow=True)
    html = response.content.decode()
    assert "0人に開催案内を送ります。" in html
    assert "メールアドレスが登録されていないため送れませんでした: 総務省" in html
    assert not invitation.deliveries.exists()
    assert session.invitations.filter(membership=members["ministry"]).count() == 1


def test_inviting_needs_a_scheduled_session(client, cast, members):
    client.force_login(cast.clerk)
    response = client.post(_invite_url(cast.planned), follow=True)
    assert "開催決定後の会議にのみ招待を送れます。" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_access(client, cast, session, members):
    f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("足立", "慎一郎", "あだち", "しんいちろう", email="adachi@example.jp"),
    )
    url = _invite_url(session)
    count = Invitation.objects.count()
    assert client.post(url).url == _login_url(url)
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.post(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    assert Invitation.objects.count() == count
