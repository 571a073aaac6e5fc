"""The chair's approval (座長了解), recorded with who and when; the override it needs while
statements are unconfirmed (with its reason); 「改訂を始める」; and the revision history."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from secretariat.minutes import actions
from secretariat.minutes.models import CorrectionProposal, Minutes, MinutesRevision
from tests.minutes import count_queries, draft_minutes, form_data, record_attendance

ASKED_AT = "2025-11-04 10:00 +0900"
DEADLINE = datetime.fromisoformat("2025-11-11T17:00+09:00")
APPROVED_AT = "2025-11-12 15:30 +0900"


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(ASKED_AT, tick=False)


@pytest.fixture
def day(cast):
    return record_attendance(cast)


@pytest.fixture
def minutes(cast, day, django_capture_on_commit_callbacks):
    """Sent for confirmation; 武山 and 森本 have answered, the proxy and the presenter not."""
    minutes = draft_minutes(day, cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_confirmations(minutes=minutes, deadline=DEADLINE, by=cast.clerk)
    for speaker in (day.takeyama, day.morimoto):
        actions.respond(
            confirmation=minutes.confirmations.get(speaker=speaker),
            answers={s.pk: ("", "") for s in minutes.statements.filter(speaker=speaker)},
            now=timezone.now(),
        )
    minutes.refresh_from_db()
    return minutes


def _url(day):
    return reverse("minutes:approve", args=[day.session.pk])


def _confirmation_url(day):
    return reverse("minutes:confirmation", args=[day.session.pk])


def _all_confirmed(minutes):
    minutes.statements.update(confirmation="confirmed")


def test_approving_confirmed_minutes_records_who_and_when(client, cast, day, minutes, time_machine):
    _all_confirmed(minutes)
    time_machine.move_to(APPROVED_AT, tick=False)
    client.force_login(cast.clerk)
    data = form_data(client.get(_confirmation_url(day)).content, _url(day))
    response = client.post(_url(day), data)
    assert response.status_code == 302
    assert response.url == _confirmation_url(day)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert (minutes.approved_by, minutes.approved_at) == (cast.clerk, timezone.now())
    assert (minutes.approval_override, minutes.approval_note) == (False, "")
    assert minutes.locked
    revision = minutes.revisions.order_by("-pk").first()
    assert (revision.note, revision.created_by, revision.version) == (
        "座長了解",
        cast.clerk,
        minutes.version,
    )
    assert revision.snapshot["status"] == "approved"
    assert revision.snapshot["approved_by"] == "clerk"
    html = client.get(_confirmation_url(day)).content.decode()
    assert "座長了解を記録しました。議事録は確定しました。" in html
    assert "座長了解済み（第1版）" in html
    assert "令和7年11月12日 15:30（clerk）" in html
    assert "座長了解を記録する" not in html
    assert "発言者に確認を依頼する" not in html


def test_unconfirmed_statements_stop_an_approval_without_the_override(client, cast, day, minutes):
    client.force_login(cast.clerk)
    response = client.post(_url(day), {"note": "座長に電話で了解を得た。"})
    assert response.status_code == 400
    html = response.content.decode()
    # The presenter's and the proxy's statements.
    assert (
        "発言者の確認が済んでいない発言が2件あります。確認を待つか、理由を記入して了解してください。"
        in html
    )
    assert "座長に電話で了解を得た。" in html  # the reason typed is still in the form
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CONFIRMING
    assert minutes.approved_at is None
    assert not minutes.revisions.filter(note__startswith="座長了解").exists()


def test_the_override_needs_a_reason(client, cast, day, minutes):
    client.force_login(cast.clerk)
    response = client.post(_url(day), {"override": "on", "note": "  "})
    assert response.status_code == 400
    assert "未確認の発言があるまま了解する理由を記入してください。" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CONFIRMING


def test_an_override_with_its_reason_is_recorded_and_shown(
    client, cast, day, minutes, time_machine
):
    time_machine.move_to(APPROVED_AT, tick=False)
    client.force_login(cast.clerk)
    reason = "説明者の確認は所管課経由で口頭にて得た。"
    response = client.post(_url(day), {"override": "on", "note": reason})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert (minutes.approval_override, minutes.approval_note) == (True, reason)
    assert minutes.approved_by == cast.clerk
    # The statements keep their true state: nobody confirmed them.
    assert minutes.statements.filter(confirmation="pending").count() == 2
    revision = minutes.revisions.order_by("-pk").first()
    assert revision.note == "座長了解（未確認の発言あり）"
    assert (revision.snapshot["approval_override"], revision.snapshot["approval_note"]) == (
        True,
        reason,
    )
    html = client.get(_confirmation_url(day)).content.decode()
    assert f"<strong>未確認の発言があるまま了解</strong>: {reason}" in html


def test_open_correction_proposals_stop_any_approval(client, cast, day, minutes):
    statement = minutes.statements.get(speaker=day.morimoto)
    CorrectionProposal.objects.create(
        statement=statement, original_text=statement.text, proposed_text="修正案です。"
    )
    client.force_login(cast.clerk)
    response = client.post(_url(day), {"override": "on", "note": "急ぎのため"})
    assert response.status_code == 400
    assert "未処理の修正の申出が1件あります。" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CONFIRMING


def test_after_the_deadline_silence_is_agreement_only_where_the_platform_says_so(
    client, cast, day, minutes, time_machine
):
    minutes.statements.filter(speaker=day.presenter).update(confirmation="confirmed")
    time_machine.move_to(APPROVED_AT, tick=False)  # after the deadline
    client.force_login(cast.clerk)
    response = client.post(_url(day), {})
    assert "発言者の確認が済んでいない発言が1件あります。" in response.content.decode()
    assert minutes.statements.get(speaker=day.proxy).confirmation == "pending"

    cast.platform.silence_is_consent = True
    cast.platform.save()
    assert client.post(_url(day), {}).status_code == 302
    minutes.refresh_from_db()
    assert (minutes.status, minutes.approval_override) == (Minutes.Status.APPROVED, False)
    assert minutes.statements.get(speaker=day.proxy).confirmation == "silent"


def test_before_the_deadline_silence_is_not_yet_agreement(client, cast, day, minutes):
    cast.platform.silence_is_consent = True
    cast.platform.save()
    minutes.statements.filter(speaker=day.presenter).update(confirmation="confirmed")
    client.force_login(cast.clerk)
    assert client.post(_url(day), {}).status_code == 400
    assert minutes.statements.get(speaker=day.proxy).confirmation == "pending"


def test_approved_minutes_are_not_approved_twice(client, cast, day, minutes):
    _all_confirmed(minutes)
    actions.approve(minutes=minutes, by=cast.admin, now=timezone.now())
    client.force_login(cast.clerk)
    response = client.post(_url(day), {})
    assert response.status_code == 400
    assert "すでに座長了解済みです。" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.approved_by == cast.admin


def test_approving_refuses_get_anonymous_other_platform_and_viewer(client, cast, day, minutes):
    _all_confirmed(minutes)
    client.force_login(cast.clerk)
    assert client.get(_url(day)).status_code == 405
    client.logout()
    response = client.post(_url(day), {})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(cast.other_clerk)
    assert client.post(_url(day), {}).status_code == 404
    client.force_login(cast.viewer)
    assert client.post(_url(day), {}).status_code == 403
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CONFIRMING


# 「改訂を始める」


def _revise_url(day):
    return reverse("minutes:revise", args=[day.session.pk])


def _editor_url(day):
    return reverse("minutes:editor", args=[day.session.pk])


@pytest.fixture
def approved(cast, minutes, time_machine):
    time_machine.move_to(APPROVED_AT, tick=False)
    actions.approve(
        minutes=minutes, by=cast.clerk, now=timezone.now(), override=True, note="口頭で了解"
    )
    minutes.refresh_from_db()
    return minutes


def test_starting_a_revision_unlocks_a_new_version(client, cast, day, approved, time_machine):
    time_machine.move_to("2025-11-20 09:00 +0900", tick=False)
    client.force_login(cast.clerk)
    response = client.post(_revise_url(day))
    assert response.status_code == 302
    assert response.url == _editor_url(day)
    minutes = Minutes.objects.get()
    assert (minutes.status, minutes.revision) == (Minutes.Status.DRAFT, 2)
    assert (minutes.approved_at, minutes.approved_by) == (None, None)
    assert (minutes.approval_override, minutes.approval_note) == (False, "")
    revision = minutes.revisions.order_by("-pk").first()
    assert (revision.note, revision.revision, revision.created_by) == ("改訂を開始", 2, cast.clerk)
    html = client.get(_editor_url(day)).content.decode()
    assert "改訂を始めました。変更後、もう一度座長了解が必要です。" in html
    assert "状態: 作成中（第2版）" in html
    data = form_data(html, _editor_url(day))
    data["summary"] = ["改訂で加えた概要"]
    assert client.post(_editor_url(day), data).status_code == 302
    minutes.refresh_from_db()
    assert minutes.summary == "改訂で加えた概要"
    # The first approval, with its override and reason, is still on record.
    first = minutes.revisions.get(note="座長了解（未確認の発言あり）")
    assert (first.revision, first.snapshot["approval_note"]) == (1, "口頭で了解")


def test_a_revision_is_started_only_from_approved_minutes(client, cast, day, minutes):
    client.force_login(cast.clerk)
    response = client.post(_revise_url(day), follow=True)
    assert "座長了解前の議事録はそのまま編集できます。" in response.content.decode()
    minutes.refresh_from_db()
    assert (minutes.status, minutes.revision) == (Minutes.Status.CONFIRMING, 1)


def test_starting_a_revision_refuses_get_anonymous_other_platform_and_viewer(
    client, cast, day, approved
):
    client.force_login(cast.clerk)
    assert client.get(_revise_url(day)).status_code == 405
    client.logout()
    response = client.post(_revise_url(day))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(cast.other_clerk)
    assert client.post(_revise_url(day)).status_code == 404
    client.force_login(cast.viewer)
    assert client.post(_revise_url(day)).status_code == 403
    approved.refresh_from_db()
    assert (approved.status, approved.revision) == (Minutes.Status.APPROVED, 1)


# The history


def _history_url(day):
    return reverse("minutes:revisions", args=[day.session.pk])


def test_every_save_is_in_the_history_with_who_and_when(client, cast, day, approved, time_machine):
    time_machine.move_to("2025-11-20 09:00 +0900", tick=False)
    actions.start_revision(minutes=approved, by=cast.admin)
    client.force_login(cast.viewer)
    response = client.get(_history_url(day))
    assert response.status_code == 200
    notes = [(r.note, r.revision, r.created_by.username) for r in response.context["revisions"]]
    assert notes == [
        ("改訂を開始", 2, "admin"),
        ("座長了解（未確認の発言あり）", 1, "clerk"),
        ("発言者確認の依頼", 1, "clerk"),
        ("編集", 1, "clerk"),
    ]
    html = response.content.decode()
    assert "令和7年11月20日 09:00:00" in html
    assert "第2版" in html
    assert "理由: 口頭で了解" in html
    assert MinutesRevision.objects.count() == 4


def test_the_history_refuses_post_anonymous_and_other_platform(client, cast, day, minutes):
    client.force_login(cast.clerk)
    assert client.post(_history_url(day)).status_code == 405
    client.logout()
    response = client.get(_history_url(day))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(cast.other_clerk)
    assert client.get(_history_url(day)).status_code == 404


def test_the_history_reads_a_fixed_number_of_queries(client, cast, day, minutes):
    client.force_login(cast.clerk)
    few = count_queries(client, _history_url(day))
    for _ in range(10):
        minutes.refresh_from_db()
        actions.save_minutes(
            minutes=minutes, version=minutes.version, summary="", statements=[], by=cast.admin
        )
    assert count_queries(client, _history_url(day)) == few
