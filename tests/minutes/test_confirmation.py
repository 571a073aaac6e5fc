"""Speaker confirmation on the staff side: asking every speaker (the email job, sent once),
seeing who answered, taking or declining a proposed correction, and the hourly job
(tasks.confirmation_deadlines) that reminds once and applies the platform's rule on
silence after the deadline."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.meetings.actions import check_in
from secretariat.minutes import actions, tasks
from secretariat.minutes.models import (
    CorrectionProposal,
    Minutes,
    MinutesRevision,
    SpeakerConfirmation,
    Statement,
)
from tests import factories as f
from tests.minutes import (
    count_queries,
    draft_minutes,
    form_data,
    record_attendance,
    statements,
)

ASKED_AT = "2025-11-04 10:00 +0900"
DEADLINE = datetime.fromisoformat("2025-11-11T17:00+09:00")
IN_THE_WINDOW = "2025-11-09 09:00 +0900"  # the default window opens 3 days before: 11-08 17:00
PLATFORM = "公共サービスイノベーション・プラットフォーム"


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(ASKED_AT, tick=False)


@pytest.fixture
def day(cast):
    return record_attendance(cast)


@pytest.fixture
def minutes(cast, day):
    return draft_minutes(day, cast.clerk)


@pytest.fixture
def asked(cast, minutes, django_capture_on_commit_callbacks):
    """Every speaker asked, the emails sent, the outbox emptied."""
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_confirmations(minutes=minutes, deadline=DEADLINE, by=cast.clerk)
    mail.outbox.clear()
    minutes.refresh_from_db()
    return minutes


def _url(day):
    return reverse("minutes:confirmation", args=[day.session.pk])


def _statement(minutes, text):
    return minutes.statements.get(text=text)


def _confirmation(minutes, attendance):
    return SpeakerConfirmation.objects.get(minutes=minutes, speaker=attendance)


def _respond(confirmation, answers):
    actions.respond(confirmation=confirmation, answers=answers, now=timezone.now())


def _propose(minutes, day, text="窓口の統合に賛成です。", proposed="窓口の統合に強く賛成します。"):
    statement = _statement(minutes, text)
    _respond(
        _confirmation(minutes, statement.speaker),
        {statement.pk: (proposed, "表現を強めました。")},
    )
    return CorrectionProposal.objects.get(statement=statement)


# Asking the speakers


def test_asking_every_speaker_sends_each_their_own_link_once(
    client, cast, day, minutes, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(_url(day), {"deadline": "2025-11-11T17:00"})
    assert response.status_code == 302
    assert response.url == _url(day)
    assert len(callbacks) == 1  # one job, queued once the request commits
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CONFIRMING
    assert minutes.confirmation_deadline == DEADLINE
    asked = {c.speaker: c for c in minutes.confirmations.all()}
    # Not the secretariat (its own words), not the presenter (no address).
    assert set(asked) == {day.takeyama, day.morimoto, day.proxy}
    assert {c.email for c in asked.values()} == {
        "takeyama@example.jp",
        "morimoto@example.jp",
        "takahashi@example.jp",  # the proxy's statements go to the member they stood in for
    }
    assert all(c.sent_at == timezone.now() for c in asked.values())
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in asked.values())

    message = next(m for m in mail.outbox if m.to == ["takeyama@example.jp"])
    assert message.subject == f"【発言内容のご確認のお願い】第2回 {PLATFORM}"
    link = reverse("minutes:confirm", args=[asked[day.takeyama].token])
    assert message.body.startswith("武山\u3000政直 様\n")  # one honorific, not 委員 様
    assert f"第2回 {PLATFORM}（平成27年10月30日（金）10:00～11:30）の議事録（案）" in message.body
    assert "確認期限：令和7年11月11日（火） 17:00" in message.body
    assert link in message.body
    assert "このリンクはあなた専用です。" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://127.0.0.1:8000{link}"' in html
    proxy = next(m for m in mail.outbox if m.to == ["takahashi@example.jp"])
    assert proxy.body.startswith("高橋 一郎 様\n")

    # The secretariat's statements need no answer; everyone else's wait for one.
    assert [s.confirmation for s in minutes.statements.all()] == [
        "confirmed",
        "pending",
        "pending",
        "pending",
        "pending",
        "pending",
    ]
    revision = minutes.revisions.order_by("-pk").first()
    assert (revision.note, revision.created_by) == ("発言者確認の依頼", cast.clerk)

    html = client.get(_url(day)).content.decode()
    assert "発言者に確認を依頼します。" in html
    assert "メールアドレスがないため依頼できませんでした: 総務省自治行政局長 山田 太郎" in html


def test_the_job_run_again_and_a_second_request_send_nothing_twice(
    client, cast, day, asked, django_capture_on_commit_callbacks
):
    assert tasks.send_confirmation_requests(asked.pk) == 0
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(day), {"deadline": "2025-11-12T17:00"})
    assert not mail.outbox
    assert SpeakerConfirmation.objects.count() == 3


def test_a_speaker_added_later_is_asked_alone(
    client, cast, day, asked, django_capture_on_commit_callbacks
):
    adachi = f.make_membership(
        cast.platform,
        cast.member.category,
        f.make_person("足立", "慎一郎", "あだち", "しんいちろう", email="adachi@example.jp"),
    )
    late = check_in(
        session=day.session,
        by=cast.clerk,
        now=timezone.now(),
        invitation=day.session.invitations.create(membership=adachi, reply="attending"),
    )
    asked.statements.create(speaker=late, order=7, text="遅れて参加しました。")
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(day), {"deadline": "2025-11-11T17:00"})
    assert [m.to for m in mail.outbox] == [["adachi@example.jp"]]
    assert _confirmation(asked, late).sent_at == timezone.now()


def test_a_deadline_in_the_past_is_refused(client, cast, day, minutes):
    client.force_login(cast.clerk)
    response = client.post(_url(day), {"deadline": "2025-11-04T09:59"})
    assert response.status_code == 400
    assert "確認の期限は今より後の日時にしてください。" in response.content.decode()
    response = client.post(_url(day), {"deadline": "来週"})
    assert response.status_code == 400
    assert "日時を正しく入力してください。" in response.content.decode()
    assert not SpeakerConfirmation.objects.exists()
    assert not mail.outbox
    minutes.refresh_from_db()
    assert (minutes.status, minutes.confirmation_deadline) == (Minutes.Status.DRAFT, None)


def test_minutes_without_statements_cannot_be_sent(client, cast, day):
    client.force_login(cast.clerk)
    response = client.post(_url(day), {"deadline": "2025-11-11T17:00"})
    assert response.status_code == 400
    assert "確認を依頼する発言がありません。" in response.content.decode()
    assert not SpeakerConfirmation.objects.exists()


# What staff see


def test_staff_see_who_answered_and_each_proposal_beside_the_original(client, cast, day, asked):
    _propose(asked, day)
    _respond(
        _confirmation(asked, day.morimoto),
        {_statement(asked, "オンラインから補足します。").pk: ("", "")},
    )
    client.force_login(cast.clerk)
    response = client.get(_url(day))
    assert response.status_code == 200
    html = response.content.decode()
    assert "発言者確認中（第1版）" in html
    assert "令和7年11月11日（火） 17:00" in html
    rows = {label: c for c, label in response.context["confirmations"]}
    assert set(rows) == {"武山委員", "森本委員", "高橋委員代理（高橋 一郎 副会長）"}
    assert rows["武山委員"].responded_at == timezone.now()
    assert rows["高橋委員代理（高橋 一郎 副会長）"].responded_at is None
    assert "未回答" in html
    row = html[html.index("窓口の統合に賛成です。") :]
    row = row[: row.index("</tr>")]
    assert "修正案" in row and "窓口の統合に強く賛成します。" in row
    assert "表現を強めました。" in row
    assert "反映する" in row and "反映しない" in row
    assert "確認済み" in html  # 森本's statement
    assert "座長了解を記録する" in html


def test_a_viewer_sees_the_page_without_its_forms(client, cast, day, asked):
    _propose(asked, day)
    client.force_login(cast.viewer)
    html = client.get(_url(day)).content.decode()
    assert "窓口の統合に強く賛成します。" in html
    assert "発言者に確認を依頼する" not in html
    assert "反映する" not in html
    assert "座長了解を記録する" not in html


def test_the_page_refuses_other_methods_anonymous_other_platform_and_viewer_posts(
    client, cast, day, minutes
):
    client.force_login(cast.clerk)
    assert client.put(_url(day)).status_code == 405
    client.logout()
    for response in (client.get(_url(day)), client.post(_url(day), {"deadline": "2025-11-11"})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    client.force_login(cast.other_clerk)
    assert client.get(_url(day)).status_code == 404
    assert client.post(_url(day), {"deadline": "2025-11-11T17:00"}).status_code == 404
    client.force_login(cast.viewer)
    assert client.post(_url(day), {"deadline": "2025-11-11T17:00"}).status_code == 403
    assert not SpeakerConfirmation.objects.exists()
    assert not mail.outbox


def test_the_page_reads_a_fixed_number_of_queries(client, cast, day, asked):
    client.force_login(cast.clerk)
    _propose(asked, day)
    few = count_queries(client, _url(day))
    for n in range(10):
        statement = asked.statements.create(speaker=day.morimoto, order=10 + n, text=f"{n}件目")
        CorrectionProposal.objects.create(
            statement=statement, original_text=f"{n}件目", proposed_text=f"{n}件目（修正）"
        )
    assert count_queries(client, _url(day)) == few


# Taking or declining a proposal


def _decide_url(proposal, accept):
    return reverse("minutes:decide", args=[proposal.pk, int(accept)])


def test_an_accepted_correction_replaces_the_statement(client, cast, day, asked):
    proposal = _propose(asked, day)
    version = Minutes.objects.get().version
    client.force_login(cast.clerk)
    response = client.post(_decide_url(proposal, True))
    assert response.status_code == 302
    assert response.url == _url(day)
    proposal.refresh_from_db()
    assert (proposal.decision, proposal.decided_by, proposal.decided_at) == (
        "accepted",
        cast.clerk,
        timezone.now(),
    )
    statement = proposal.statement
    statement.refresh_from_db()
    assert (statement.text, statement.confirmation) == ("窓口の統合に強く賛成します。", "corrected")
    assert proposal.original_text == "窓口の統合に賛成です。"
    minutes = Minutes.objects.get()
    assert minutes.version == version + 1
    revision = minutes.revisions.order_by("-pk").first()
    assert (revision.note, revision.created_by, revision.version) == (
        "修正の申出を反映",
        cast.clerk,
        minutes.version,
    )
    assert "窓口の統合に強く賛成します。" in [s["text"] for s in revision.snapshot["statements"]]
    html = client.get(_url(day)).content.decode()
    assert "修正を反映しました。" in html
    assert "修正を反映" in html


def test_a_declined_correction_leaves_the_statement(client, cast, day, asked):
    proposal = _propose(asked, day)
    client.force_login(cast.clerk)
    client.post(_decide_url(proposal, False))
    proposal.refresh_from_db()
    assert (proposal.decision, proposal.decided_by) == ("rejected", cast.clerk)
    statement = proposal.statement
    statement.refresh_from_db()
    assert (statement.text, statement.confirmation) == ("窓口の統合に賛成です。", "confirmed")
    revision = MinutesRevision.objects.order_by("-pk").first()
    assert revision.note == "修正の申出を不採用"
    assert "修正を不採用にしました。" in client.get(_url(day)).content.decode()


def test_a_proposal_is_decided_once(client, cast, day, asked):
    proposal = _propose(asked, day)
    client.force_login(cast.clerk)
    client.post(_decide_url(proposal, False))
    response = client.post(_decide_url(proposal, True), follow=True)
    assert "この修正の申出はすでに処理しました。" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.decision == "rejected"
    assert _statement(asked, "窓口の統合に賛成です。").confirmation == "confirmed"


def test_a_proposal_about_words_staff_have_since_edited_cannot_overwrite_them(
    client, cast, day, asked
):
    proposal = _propose(asked, day)
    statement = proposal.statement
    minutes = Minutes.objects.get()
    actions.save_minutes(
        minutes=minutes,
        version=minutes.version,
        summary="",
        statements=[
            actions.StatementInput(
                s.agenda_item_id,
                s.speaker_id,
                "窓口の統合に賛成です（事務局で補記）。" if s.pk == statement.pk else s.text,
                id=s.pk,
            )
            for s in minutes.statements.all()
        ],
        by=cast.clerk,
    )
    client.force_login(cast.clerk)
    html = client.get(_url(day)).content.decode()
    assert "申出の時点の発言" in html
    response = client.post(_decide_url(proposal, True), follow=True)
    assert "この発言は修正の申出の後に編集されています。" in response.content.decode()
    statement.refresh_from_db()
    assert statement.text == "窓口の統合に賛成です（事務局で補記）。"
    proposal.refresh_from_db()
    assert proposal.decision == "pending"


def test_an_editor_opened_before_a_correction_was_taken_gets_a_conflict(client, cast, day, asked):
    proposal = _propose(asked, day)
    editor = reverse("minutes:editor", args=[day.session.pk])
    colleague = Client()
    colleague.force_login(f.make_staff(cast.platform, username="clerk2"))
    data = form_data(colleague.get(editor).content, editor)
    client.force_login(cast.clerk)
    client.post(_decide_url(proposal, True))
    data["summary"] = ["同僚の概要"]
    response = colleague.post(editor, data)
    assert response.status_code == 400
    assert "ほかの方がこの議事録を先に保存しました。" in response.content.decode()
    assert ("武山\u3000政直", "窓口の統合に強く賛成します。") in statements(asked)


def test_deciding_refuses_get_anonymous_other_platform_viewer_and_approved_minutes(
    client, cast, day, asked
):
    proposal = _propose(asked, day)
    client.force_login(cast.clerk)
    assert client.get(_decide_url(proposal, True)).status_code == 405
    assert client.post(reverse("minutes:decide", args=[proposal.pk + 1, 1])).status_code == 404
    client.logout()
    response = client.post(_decide_url(proposal, True))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(cast.other_clerk)
    assert client.post(_decide_url(proposal, True)).status_code == 404
    client.force_login(cast.viewer)
    assert client.post(_decide_url(proposal, True)).status_code == 403
    proposal.refresh_from_db()
    assert proposal.decision == "pending"

    minutes = Minutes.objects.get()
    proposal.decision = "rejected"
    proposal.save()
    actions.approve(minutes=minutes, by=cast.clerk, now=timezone.now(), override=True, note="急ぎ")
    proposal.decision = "pending"
    proposal.save()
    client.force_login(cast.clerk)
    response = client.post(_decide_url(proposal, True), follow=True)
    assert "座長了解済みの議事録は変更できません。" in response.content.decode()
    assert _statement(minutes, "窓口の統合に賛成です。")


# The hourly job: one reminder, then the platform's rule on silence


def test_nothing_before_the_reminder_window(asked, time_machine):
    time_machine.move_to("2025-11-08 16:59 +0900", tick=False)
    assert tasks.confirmation_deadlines() == 0
    assert not mail.outbox


def test_speakers_who_have_not_answered_are_reminded_once(cast, day, asked, time_machine):
    _respond(_confirmation(asked, day.morimoto), {})
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    assert tasks.confirmation_deadlines() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["takahashi@example.jp", "takeyama@example.jp"]
    message = next(m for m in mail.outbox if m.to == ["takeyama@example.jp"])
    assert message.subject == f"【再送・発言内容のご確認のお願い】第2回 {PLATFORM}"
    assert "武山\u3000政直 様" in message.body
    assert "確認期限（令和7年11月11日（火） 17:00）までに" in message.body
    assert "期限までにご回答がない場合は" not in message.body
    link = reverse("minutes:confirm", args=[_confirmation(asked, day.takeyama).token])
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and link in html
    assert _confirmation(asked, day.takeyama).reminded_at == timezone.now()

    time_machine.move_to("2025-11-10 09:00 +0900", tick=False)
    assert tasks.confirmation_deadlines() == 0
    assert len(mail.outbox) == 2


def test_the_reminder_says_silence_counts_as_agreement_where_it_does(cast, asked, time_machine):
    cast.platform.silence_is_consent = True
    cast.platform.save()
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    tasks.confirmation_deadlines()
    assert "期限までにご回答がない場合は、案のとおりご了承いただいたものとして扱います。" in (
        mail.outbox[0].body
    )


def test_the_window_is_the_platforms(cast, asked, time_machine):
    cast.platform.reminder_days_before = 1
    cast.platform.save()
    time_machine.move_to(IN_THE_WINDOW, tick=False)
    assert tasks.confirmation_deadlines() == 0
    time_machine.move_to("2025-11-10 17:00 +0900", tick=False)
    assert tasks.confirmation_deadlines() == 3


def test_no_reminder_after_the_deadline_and_silence_is_not_agreement_by_default(
    cast, asked, time_machine
):
    time_machine.move_to("2025-11-11 17:01 +0900", tick=False)
    assert tasks.confirmation_deadlines() == 0
    assert not mail.outbox
    assert not asked.statements.filter(confirmation="silent").exists()


def test_after_the_deadline_silence_counts_as_agreement_where_the_platform_says_so(
    cast, day, asked, time_machine
):
    cast.platform.silence_is_consent = True
    cast.platform.save()
    _propose(asked, day)
    _respond(
        _confirmation(asked, day.morimoto),
        {_statement(asked, "オンラインから補足します。").pk: ("", "")},
    )
    time_machine.move_to("2025-11-11 17:00 +0900", tick=False)
    assert tasks.confirmation_deadlines() == 1  # the last minute: 高橋 is reminded
    assert not asked.statements.filter(confirmation="silent").exists()  # not yet
    time_machine.move_to("2025-11-11 17:01 +0900", tick=False)
    assert tasks.confirmation_deadlines() == 0
    assert len(mail.outbox) == 1
    assert [(s.text, s.confirmation) for s in asked.statements.all()] == [
        ("資料1について説明します。", "confirmed"),
        # The presenter was never asked (no address): silence is not theirs to give.
        ("総務省です。窓口の統合を進めています。", "pending"),
        ("窓口の統合に賛成です。", "pending"),  # a correction is waiting for staff
        ("オンラインから補足します。", "confirmed"),
        ("IT化も重要です。", "silent"),
        ("高橋の代理として発言します。", "silent"),
    ]
    assert Statement.Confirmation.SILENT.label == "期限までに回答なし（了承とみなす）"


# From the request to the chair's approval


def test_from_the_request_to_the_chairs_approval(
    client, cast, day, minutes, django_capture_on_commit_callbacks, time_machine
):
    """Staff ask; 武山 corrects one statement through the link in his email; the others
    approve theirs; staff take the correction; the presenter, who could not be asked, is
    covered by a recorded override; the chair approves."""
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(day), {"deadline": "2025-11-11T17:00"})
    links = {
        m.to[0]: next(line for line in m.body.splitlines() if "/c/" in line) for m in mail.outbox
    }
    speaker = Client()
    first, _second = minutes.statements.filter(speaker=day.takeyama)
    link = links["takeyama@example.jp"].removeprefix("http://127.0.0.1:8000")
    data = form_data(speaker.get(link).content)
    data[f"answer-{first.pk}"] = ["correct"]
    data[f"text-{first.pk}"] = ["窓口の統合に強く賛成します。"]
    data[f"comment-{first.pk}"] = ["表現を強めました。"]
    assert speaker.post(link, data).status_code == 302
    for address in ("morimoto@example.jp", "takahashi@example.jp"):
        link = links[address].removeprefix("http://127.0.0.1:8000")
        assert speaker.post(link, form_data(speaker.get(link).content)).status_code == 302

    html = client.get(_url(day)).content.decode()
    assert html.count("未回答") == 0
    proposal = CorrectionProposal.objects.get()
    decide = reverse("minutes:decide", args=[proposal.pk, 1])
    assert decide in html
    client.post(decide)

    approve = reverse("minutes:approve", args=[day.session.pk])
    assert client.post(approve, {}).status_code == 400  # the presenter's statement
    time_machine.move_to("2025-11-12 15:30 +0900", tick=False)
    client.force_login(cast.clerk)  # days later: the earlier staff session has ended
    reason = "説明者の発言は所管課に電話で確認した。"
    assert client.post(approve, {"override": "on", "note": reason}).status_code == 302
    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_by, minutes.approval_note) == (
        Minutes.Status.APPROVED,
        cast.clerk,
        reason,
    )
    assert [(s.text, s.confirmation) for s in minutes.statements.all()] == [
        ("資料1について説明します。", "confirmed"),
        ("総務省です。窓口の統合を進めています。", "pending"),
        ("窓口の統合に強く賛成します。", "corrected"),
        ("オンラインから補足します。", "confirmed"),
        ("IT化も重要です。", "confirmed"),
        ("高橋の代理として発言します。", "confirmed"),
    ]
    assert [r.note for r in minutes.revisions.order_by("pk")] == [
        "編集",
        "発言者確認の依頼",
        "修正の申出を反映",
        "座長了解（未確認の発言あり）",
    ]
