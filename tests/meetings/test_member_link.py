"""The member's personal link (no login): forged, foreign, expired, revoked and re-issued
links are refused with a Japanese page, and the page shows only its own member's data."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from secretariat.meetings import actions, tasks
from secretariat.meetings.models import Invitation
from secretariat.tokens import make_token
from tests import factories as f

TOKYO_NOON = "2026-11-02 12:00 +0900"
DEADLINE = datetime.fromisoformat("2026-11-25T17:00+09:00")
FORGED = "このリンクは正しくありません。届いたメールのリンクをそのまま開いてください。"
REVOKED = "このリンクは無効になっています。事務局にお問い合わせください。"
EXPIRED = "このリンクは有効期限が切れています。事務局にお問い合わせください。"
ENDED = "構成員の任期が終了したため、このリンクは使えません。"
CANCELLED = "この会議は中止になりました。このリンクは使えません。"
TOKEN_IN_PATH = re.compile(r"/m/(?!calendar/)([^/\"]+)/")


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(TOKYO_NOON, tick=False)


@pytest.fixture
def other(cast):
    """A second member, with an address, a reply and poll answers of their own."""
    return f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("森本", "登志男", "もりもと", "としお", email="morimoto@example.jp"),
    )


@pytest.fixture
def session(cast, other):
    """The planned session after a poll (with answers) and its date fixed."""
    tue = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 1), start=time(10), end=time(12)
    )
    wed = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 2), start=time(10), end=time(12)
    )
    actions.open_poll(session=cast.planned)
    actions.record_slot_answers(
        invitation=cast.planned.invitations.get(membership=other),
        answers={tue.pk: ("no", "森本の出張予定"), wed.pk: ("yes", "")},
    )
    actions.record_slot_answers(
        invitation=cast.planned.invitations.get(membership=cast.member),
        answers={tue.pk: ("yes", "武山の都合"), wed.pk: ("maybe", "")},
    )
    actions.fix_date(session=cast.planned, slot=wed, reply_deadline=DEADLINE)
    cast.planned.invitations.get(membership=other).record_reply(
        reply="proxy",
        proxy_name="森本 花子",
        proxy_title="参与",
        comment="森本の備考",
        now=DEADLINE,
    )
    return cast.planned


def _page(invitation_or_token):
    token = getattr(invitation_or_token, "token", invitation_or_token)
    return reverse("member:invitation", args=[token])


def _assert_refused(response, message):
    assert response.status_code == 403
    html = response.content.decode()
    assert "リンクを開けません" in html
    assert message in html
    assert 'name="robots" content="noindex, nofollow"' in html


# Links that do not open


@pytest.mark.parametrize("token", ["forged", "WzEsImFiYyJd:1vQ8Yy:tampered", "a" * 300])
def test_a_forged_link_is_refused(client, cast, session, token):
    _assert_refused(client.get(_page(token)), FORGED)
    _assert_refused(client.post(reverse("member:reply", args=[token]), {"reply": "absent"}), FORGED)
    _assert_refused(client.post(reverse("member:poll", args=[token]), {}), FORGED)


def test_a_link_whose_signature_was_altered_is_refused(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    token = invitation.token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    _assert_refused(client.get(_page(tampered)), FORGED)


def test_a_link_of_another_kind_is_refused(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    # The member's calendar link does not open the invitation page, and the reverse.
    _assert_refused(client.get(_page(f.feed_token(cast.member))), FORGED)
    _assert_refused(client.get(reverse("member:feed", args=[invitation.token])), FORGED)
    # Same id and nonce, signed for another kind: still refused.
    foreign = make_token("feed", invitation.pk, invitation.nonce)
    _assert_refused(client.get(_page(foreign)), FORGED)


def test_a_link_for_an_invitation_that_is_gone_is_refused(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    token = make_token(Invitation.TOKEN_KIND, 99999, invitation.nonce)
    _assert_refused(client.get(_page(token)), REVOKED)


def test_a_link_expires_relative_to_the_later_of_its_issue_and_the_session(
    client, cast, session, settings, time_machine
):
    settings.PERSONAL_LINK_DAYS = 30
    invitation = session.invitations.get(membership=cast.member)
    token = invitation.token  # as sent in the email on 11月2日, for the session of 12月2日
    time_machine.move_to(datetime.fromisoformat("2027-01-01T23:59+09:00"), tick=False)
    assert client.get(_page(token)).status_code == 200  # 30 days after the session's day
    time_machine.move_to(datetime.fromisoformat("2027-01-02T00:00:01+09:00"), tick=False)
    _assert_refused(client.get(_page(token)), EXPIRED)
    response = client.post(reverse("member:reply", args=[token]), {"reply": "absent"})
    _assert_refused(response, EXPIRED)
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_a_link_issued_after_the_session_lasts_the_days_from_its_issue(
    client, cast, session, settings, time_machine
):
    settings.PERSONAL_LINK_DAYS = 30
    invitation = session.invitations.get(membership=cast.member)
    time_machine.move_to(datetime.fromisoformat("2027-03-01T09:00+09:00"), tick=False)
    invitation.revoke(timezone.now())
    invitation.reissue()
    time_machine.move_to(datetime.fromisoformat("2027-03-31T08:59+09:00"), tick=False)
    assert client.get(_page(invitation.token)).status_code == 200
    time_machine.move_to(datetime.fromisoformat("2027-03-31T09:01+09:00"), tick=False)
    _assert_refused(client.get(_page(invitation.token)), EXPIRED)


def test_opening_a_link_does_not_renew_it(client, cast, session, settings, time_machine):
    """Every page opened through a link used to sign its own links anew, so a link opened
    once in a while never expired."""
    settings.PERSONAL_LINK_DAYS = 30
    invitation = session.invitations.get(membership=cast.member)
    f.make_material(session, title="会議資料")
    sent = invitation.token
    time_machine.move_to(datetime.fromisoformat("2026-12-30T12:00+09:00"), tick=False)
    html = client.get(_page(sent)).content.decode()
    # The links on the page are the link that was sent, not a fresh signature.
    assert set(TOKEN_IN_PATH.findall(html)) == {sent}
    assert invitation.token == sent
    time_machine.move_to(datetime.fromisoformat("2027-01-02T00:00:01+09:00"), tick=False)
    for token in {sent, *TOKEN_IN_PATH.findall(html)}:
        _assert_refused(client.get(_page(token)), EXPIRED)


# Former members, cancelled sessions, staff in the same browser


def test_a_former_member_cannot_open_the_page_the_materials_or_the_feed(
    client, cast, session, time_machine
):
    invitation = session.invitations.get(membership=cast.member)
    material = f.make_material(
        session, access="members_only", reason="business", title="委員限りの資料"
    )
    download = reverse("documents:member_material", args=[invitation.token, material.pk])
    feed = reverse("member:feed", args=[f.feed_token(cast.member)])
    assert client.get(download).status_code == 200
    cast.member.end_date = date(2026, 12, 31)
    cast.member.save()
    assert client.get(download).status_code == 200  # the last day of the term
    time_machine.move_to(datetime.fromisoformat("2027-01-01T00:00:01+09:00"), tick=False)
    _assert_refused(client.get(_page(invitation)), ENDED)
    _assert_refused(client.get(download), ENDED)
    response = client.post(reverse("member:reply", args=[invitation.token]), {"reply": "absent"})
    _assert_refused(response, ENDED)
    response = client.get(feed)
    assert response.status_code == 410
    assert ENDED in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_a_member_whose_term_has_not_begun_cannot_open_the_materials(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    material = f.make_material(
        session, access="members_only", reason="business", title="委員限りの資料"
    )
    cast.member.start_date = date(2027, 4, 1)
    cast.member.save()
    download = reverse("documents:member_material", args=[invitation.token, material.pk])
    _assert_refused(client.get(download), "構成員の任期が始まっていないため")
    _assert_refused(client.get(_page(invitation)), "構成員の任期が始まっていないため")


def test_a_member_invited_before_their_term_begins_can_use_the_invitation(client, cast, session):
    """Invited (by the date poll) as a member of a session after their term begins."""
    invitation = session.invitations.get(membership=cast.member)
    cast.member.start_date = session.date
    cast.member.save()
    assert client.get(_page(invitation)).status_code == 200


def test_an_old_link_expired_under_the_old_rule_stays_expired(
    client, cast, session, time_machine, settings
):
    invitation = session.invitations.get(membership=cast.member)
    old = signing.dumps([invitation.pk, invitation.nonce], salt="secretariat.invitation")
    time_machine.move_to(
        datetime.fromisoformat("2026-11-02T12:00+09:00")
        + timedelta(days=settings.PERSONAL_LINK_DAYS, minutes=1),
        tick=False,
    )
    invitation.reissue()  # a row issued just now would let a new link live on
    invitation.nonce = signing.loads(old, salt="secretariat.invitation")[1]
    invitation.save()
    _assert_refused(client.get(_page(old)), EXPIRED)


def test_a_404_inside_a_personal_page_sends_no_referer_path(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    url = reverse("documents:member_material", args=[invitation.token, 2**40])
    response = client.get(url)
    assert response.status_code == 404
    assert response["Referrer-Policy"] == "strict-origin"


def test_a_link_sent_before_tokens_lost_their_time_still_opens(client, cast, session):
    """Links already in inboxes were signed with a timestamp (signing.dumps): they keep
    working, and expire by the row's issue time like the new ones."""
    invitation = session.invitations.get(membership=cast.member)
    old = signing.dumps([invitation.pk, invitation.nonce], salt="secretariat.invitation")
    assert old != invitation.token
    assert client.get(_page(old)).status_code == 200
    invitation.revoke(timezone.now())
    _assert_refused(client.get(_page(old)), REVOKED)


def test_old_revoked_or_expired_links_do_not_lock_a_shared_address_out(
    client, cast, session, settings
):
    """Only forged tokens are guesses: twenty members behind one ministry address who
    open revoked links must not lock the twenty-first out."""
    invitation = session.invitations.get(membership=cast.member)
    revoked = invitation.token
    invitation.revoke(timezone.now())
    invitation.reissue()
    for _ in range(settings.PERSONAL_LINK_FAILURE_LIMIT + 5):
        _assert_refused(client.get(_page(revoked)), REVOKED)
    assert client.get(_page(invitation.token)).status_code == 200
    for n in range(settings.PERSONAL_LINK_FAILURE_LIMIT):
        client.get(_page(f"guess{n}"))
    response = client.get(_page(invitation.token))
    assert response.status_code == 429
    assert response["Cache-Control"] == "private, no-store"


def test_a_cancelled_sessions_link_opens_nothing(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    material = f.make_material(
        session, access="members_only", reason="business", title="委員限りの資料"
    )
    session.status = session.Status.CANCELLED
    session.save()
    _assert_refused(client.get(_page(invitation)), CANCELLED)
    download = reverse("documents:member_material", args=[invitation.token, material.pk])
    _assert_refused(client.get(download), CANCELLED)


def test_a_reply_through_a_link_while_logged_in_as_staff_is_refused(client, cast, session):
    """A reply through the link is recorded as the member's own: someone logged in as
    staff (a read-only viewer who read the link somewhere) must not make one."""
    invitation = session.invitations.get(membership=cast.member)
    for user in (cast.viewer, cast.clerk):
        client.force_login(user)
        assert client.get(_page(invitation)).status_code == 200  # looking is fine
        response = client.post(
            reverse("member:reply", args=[invitation.token]), {"reply": "absent"}
        )
        _assert_refused(response, "事務局のアカウントでログインしたまま")
        response = client.post(reverse("member:poll", args=[invitation.token]), {})
        _assert_refused(response, "事務局のアカウントでログインしたまま")
    invitation.refresh_from_db()
    assert invitation.reply == "" and invitation.reply_entered_by is None


def test_personal_link_pages_are_private(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    for response in (
        client.get(_page(invitation)),
        client.get(_page("forged")),
        client.post(reverse("member:reply", args=[invitation.token]), {"reply": "proxy"}),
    ):
        assert response["Cache-Control"] == "private, no-store"
        assert response["Referrer-Policy"] == "strict-origin"
        assert "noindex" in response["X-Robots-Tag"]


# Revoking and re-issuing (staff)


def _revoke_url(invitation):
    return reverse("meetings:revoke_link", args=[invitation.pk])


def test_staff_revoke_a_link(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    old = invitation.token
    client.force_login(cast.clerk)
    replies = client.get(reverse("meetings:replies", args=[session.pk])).content.decode()
    assert "リンクを無効化" in replies
    response = client.post(_revoke_url(invitation), follow=True)
    assert response.redirect_chain[-1][0] == reverse("meetings:replies", args=[session.pk])
    html = response.content.decode()
    assert "個人用リンクと個人用カレンダーのURLを無効にしました。" in html
    assert "リンク無効" in html and "リンクを再発行" in html
    invitation.refresh_from_db()
    assert invitation.revoked_at == datetime.fromisoformat("2026-11-02T12:00+09:00")
    client.logout()
    _assert_refused(client.get(_page(old)), REVOKED)
    response = client.post(reverse("member:reply", args=[old]), {"reply": "absent"})
    _assert_refused(response, REVOKED)
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_staff_reissue_a_link(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    old = invitation.token
    client.force_login(cast.clerk)
    client.post(_revoke_url(invitation))
    response = client.post(_revoke_url(invitation), follow=True)
    assert (
        "個人用リンクを新しく発行しました（以前のリンクは使えません）。"
        in response.content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    client.logout()
    _assert_refused(client.get(_page(old)), REVOKED)
    new = invitation.token
    assert client.get(_page(new)).status_code == 200
    assert client.post(reverse("member:reply", args=[new]), {"reply": "absent"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.reply == "absent"


def test_revoking_a_link_revokes_the_members_calendar_too(client, cast, session):
    """The feed used to outlive every revocation and to hand out freshly signed
    invitation links: after a revoke and reissue the old feed served the new link."""
    invitation = session.invitations.get(membership=cast.member)
    old_feed = reverse("member:feed", args=[f.feed_token(cast.member)])
    assert client.get(old_feed).status_code == 200
    client.force_login(cast.clerk)
    client.post(_revoke_url(invitation))
    client.post(_revoke_url(invitation))  # and reissue
    client.logout()
    response = client.get(old_feed)
    assert response.status_code == 410
    invitation.refresh_from_db()
    # The member's new invitation page offers a new calendar link that works.
    html = client.get(_page(invitation)).content.decode()
    new_feed = reverse("member:feed", args=[f.feed_token(cast.member)])
    assert new_feed != old_feed and new_feed in html
    body = client.get(new_feed).content.decode()
    assert "BEGIN:VEVENT" in body
    assert invitation.token not in body and "/m/" not in body


def test_staff_reissue_the_calendar_link(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    old_feed = reverse("member:feed", args=[f.feed_token(cast.member)])
    client.force_login(cast.clerk)
    replies = client.get(reverse("meetings:replies", args=[session.pk])).content.decode()
    assert "カレンダーのURLを再発行" in replies
    url = reverse("meetings:revoke_feed", args=[invitation.pk])
    response = client.post(url, follow=True)
    assert "個人用カレンダーのURLを再発行しました。" in response.content.decode()
    client.logout()
    assert client.get(old_feed).status_code == 410
    # The invitation link itself still works.
    assert client.get(_page(invitation)).status_code == 200
    assert client.get(reverse("member:feed", args=[f.feed_token(cast.member)])).status_code == 200


def test_reissuing_the_calendar_link_access(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    feed = reverse("member:feed", args=[f.feed_token(cast.member)])
    url = reverse("meetings:revoke_feed", args=[invitation.pk])
    assert client.post(url).url == f"{reverse('login')}?next={url}"
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.post(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    client.logout()
    assert client.get(feed).status_code == 200


def test_the_daily_job_revokes_former_members_calendars(client, cast, session, time_machine):
    feed = reverse("member:feed", args=[f.feed_token(cast.member)])
    cast.member.end_date = date(2026, 11, 30)
    cast.member.save()
    assert tasks.revoke_former_members_calendars() == 0  # still a member today
    time_machine.move_to(datetime.fromisoformat("2026-12-01T03:00+09:00"), tick=False)
    assert tasks.revoke_former_members_calendars() == 1
    # Re-appointed: the old link stays dead; a new one is issued on the next visit.
    cast.member.end_date = None
    cast.member.save()
    assert client.get(feed).status_code == 410
    assert client.get(reverse("member:feed", args=[f.feed_token(cast.member)])).status_code == 200


def test_revoking_access(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    url = _revoke_url(invitation)
    assert client.post(url).url == f"{reverse('login')}?next={url}"
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.post(url).status_code == 404
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert client.get(_page(invitation)).status_code == 200


# What the page shows


def test_the_page_shows_the_session_and_the_members_own_reply(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    invitation.record_reply(reply="online", comment="武山の備考", now=DEADLINE)
    response = client.get(_page(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第3回 公共サービスイノベーション・プラットフォーム" in html
    assert "武山\u3000政直 様専用のページです。" in html
    assert "令和8年12月2日（水）10:00～12:00" in html
    assert "日程調整中の会議の内容" in html
    assert "現在のご回答: オンライン出席" in html
    assert "武山の備考" in html
    assert "回答期限: 令和8年11月25日（水） 17:00" in html
    # The token in the address never goes to another site as a Referer.
    assert response["Referrer-Policy"] == "strict-origin"
    assert reverse("member:feed", args=[f.feed_token(cast.member)]) in html


def test_the_page_never_shows_another_members_name_reply_or_address(client, cast, session, other):
    invitation = session.invitations.get(membership=cast.member)
    for html in (
        client.get(_page(invitation)).content.decode(),
        # Re-rendered with errors, too.
        client.post(
            reverse("member:reply", args=[invitation.token]), {"reply": "proxy"}
        ).content.decode(),
    ):
        for private in (
            "森本",
            "登志男",
            "morimoto@example.jp",
            "森本 花子",
            "参与",
            "森本の備考",
            "森本の出張予定",
            "takeyama@example.jp",  # not even the member's own address
        ):
            assert private not in html, private


def test_the_poll_form_shows_only_the_members_own_answers(client, cast, other):
    tue = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 1), start=time(10), end=time(12)
    )
    actions.open_poll(session=cast.planned)
    actions.record_slot_answers(
        invitation=cast.planned.invitations.get(membership=other),
        answers={tue.pk: ("no", "森本の出張予定")},
    )
    mine = cast.planned.invitations.get(membership=cast.member)
    html = client.get(_page(mine)).content.decode()
    assert "日程調整" in html
    assert "森本" not in html and "森本の出張予定" not in html
    assert f'name="slot-{tue.pk}" value="no"' in html
    assert f'name="slot-{tue.pk}" value="no" checked' not in html


def test_a_poll_comment_with_control_characters_is_stored_clean(client, cast):
    """The poll posts without a form: a NUL in a comment was a 500 on PostgreSQL."""
    slot = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 1), start=time(10), end=time(12)
    )
    actions.open_poll(session=cast.planned)
    mine = cast.planned.invitations.get(membership=cast.member)
    response = client.post(
        reverse("member:poll", args=[mine.token]),
        {f"slot-{slot.pk}": "yes", f"comment-{slot.pk}": "午前\x00は不可\u202e"},
    )
    assert response.status_code == 302
    assert mine.slot_answers.get().comment == "午前は不可"


def test_the_page_needs_get(client, cast, session):
    invitation = session.invitations.get(membership=cast.member)
    assert client.post(_page(invitation)).status_code == 405
