"""The speaker's personal link (no login): their own statements only, approved or corrected
with a comment; refused for anyone else's statements, after the chair's approval, after
the deadline, or when the link is forged, revoked or too old."""

from __future__ import annotations

from datetime import datetime

import lxml.html
import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from secretariat.minutes import actions
from secretariat.minutes.models import CorrectionProposal, SpeakerConfirmation
from tests.minutes import count_queries, draft_minutes, form_data, record_attendance

ASKED_AT = "2025-11-04 10:00 +0900"
DEADLINE = datetime.fromisoformat("2025-11-11T17:00+09:00")


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(ASKED_AT, tick=False)


@pytest.fixture
def day(cast):
    return record_attendance(cast)


@pytest.fixture
def minutes(cast, day, django_capture_on_commit_callbacks):
    minutes = draft_minutes(day, cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_confirmations(minutes=minutes, deadline=DEADLINE, by=cast.clerk)
    return minutes


@pytest.fixture
def takeyama(minutes, day):
    return SpeakerConfirmation.objects.get(minutes=minutes, speaker=day.takeyama)


def _link(confirmation):
    return reverse("minutes:confirm", args=[confirmation.token])


def _mine(minutes, day):
    first, second = minutes.statements.filter(speaker=day.takeyama)
    return first, second


def _state(minutes):
    return [(s.text, s.confirmation) for s in minutes.statements.all()]


def _page(client, confirmation):
    response = client.get(_link(confirmation))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_speaker_only_their_own_statements(client, day, takeyama):
    html = _page(client, takeyama)  # no login
    assert "武山\u3000政直 様専用のページです。" in html
    assert "確認の期限: 令和7年11月11日（火） 17:00" in html
    assert "意見交換 — ご発言 1" in html
    assert "窓口の統合に賛成です。" in html
    assert "IT化も重要です。" in html
    for others in ("資料1について説明します。", "オンラインから補足します。", "高橋の代理"):
        assert others not in html
    first, second = _mine(takeyama.minutes, day)
    names = set(form_data(html))
    assert {f"answer-{first.pk}", f"text-{second.pk}", f"comment-{second.pk}"} <= names
    assert not any(name.endswith(f"-{first.pk - 1}") for name in names)


def test_approving_every_statement(client, day, minutes, takeyama):
    before = _state(minutes)
    response = client.post(_link(takeyama), form_data(_page(client, takeyama)))
    assert response.status_code == 302
    assert response.url == _link(takeyama) + "?saved=1"
    takeyama.refresh_from_db()
    assert takeyama.responded_at == timezone.now()
    first, second = _mine(minutes, day)
    assert (first.confirmation, second.confirmation) == ("confirmed", "confirmed")
    assert [row for row in _state(minutes) if row not in before] == [
        ("窓口の統合に賛成です。", "confirmed"),
        ("IT化も重要です。", "confirmed"),
    ]
    assert not CorrectionProposal.objects.exists()
    html = client.get(response.url).content.decode()
    assert "ご確認の結果を受け付けました。ありがとうございました。" in html


def test_proposing_a_correction_with_a_comment(client, day, minutes, takeyama):
    first, second = _mine(minutes, day)
    data = form_data(_page(client, takeyama))
    data[f"answer-{first.pk}"] = ["correct"]
    data[f"text-{first.pk}"] = ["窓口の統合に\r\n強く賛成します。"]
    data[f"comment-{first.pk}"] = ["表現を強めました。"]
    assert client.post(_link(takeyama), data).status_code == 302
    proposal = CorrectionProposal.objects.get()
    assert (proposal.statement, proposal.original_text, proposal.proposed_text) == (
        first,
        "窓口の統合に賛成です。",
        "窓口の統合に\n強く賛成します。",
    )
    assert (proposal.comment, proposal.decision) == ("表現を強めました。", "pending")
    first.refresh_from_db()
    second.refresh_from_db()
    # The statement keeps its words until staff take the correction.
    assert (first.text, first.confirmation) == ("窓口の統合に賛成です。", "pending")
    assert second.confirmation == "confirmed"


def test_correct_with_the_words_unchanged_is_an_approval(client, day, minutes, takeyama):
    minutes.statements.filter(text="窓口の統合に賛成です。").update(text="窓口の統合に\n賛成です。")
    first, _second = _mine(minutes, day)
    data = form_data(_page(client, takeyama))  # the browser sends the box's text as CRLF
    assert data[f"text-{first.pk}"] == ["窓口の統合に\r\n賛成です。"]
    data[f"answer-{first.pk}"] = ["correct"]
    client.post(_link(takeyama), data)
    assert not CorrectionProposal.objects.exists()
    first.refresh_from_db()
    assert first.confirmation == "confirmed"


def test_a_correction_with_a_formula_or_control_characters_is_kept_as_text(
    client, day, minutes, takeyama
):
    first, _second = _mine(minutes, day)
    data = form_data(_page(client, takeyama))
    data[f"answer-{first.pk}"] = ["correct"]
    data[f"text-{first.pk}"] = ["=SUM(A1)\x0b\x00と<b>訂正</b>"]
    data[f"comment-{first.pk}"] = ["\x00@cmd"]
    assert client.post(_link(takeyama), data).status_code == 302
    proposal = CorrectionProposal.objects.get()
    assert (proposal.proposed_text, proposal.comment) == ("=SUM(A1)\x0bと<b>訂正</b>", "@cmd")


def test_answers_about_someone_elses_statements_are_refused(client, day, minutes, takeyama):
    first, _second = _mine(minutes, day)
    others = minutes.statements.get(speaker=day.morimoto)
    data = form_data(_page(client, takeyama))
    data[f"answer-{first.pk}"] = ["correct"]
    data[f"text-{first.pk}"] = ["自分の発言の修正です。"]
    data[f"answer-{others.pk}"] = ["correct"]
    data[f"text-{others.pk}"] = ["他人の発言を書き換えます。"]
    response = client.post(_link(takeyama), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ご自身の発言のみ確認できます。" in html
    assert "他人の発言を書き換えます。" not in html
    # What they typed for their own statement is still in the box.
    page = lxml.html.fromstring(html)
    assert page.get_element_by_id(f"text-{first.pk}").value == "自分の発言の修正です。"
    assert not CorrectionProposal.objects.exists()
    others.refresh_from_db()
    assert (others.text, others.confirmation) == ("オンラインから補足します。", "pending")
    takeyama.refresh_from_db()
    assert takeyama.responded_at is None
    # A comment alone about another speaker's statement is refused too.
    data = form_data(_page(client, takeyama))
    data[f"comment-{others.pk}"] = ["コメントです。"]
    assert client.post(_link(takeyama), data).status_code == 400
    assert minutes.statements.filter(confirmation="confirmed").count() == 1  # the secretariat's


def test_after_the_chairs_approval_the_link_only_says_so(cast, client, day, minutes, takeyama):
    first, _second = _mine(minutes, day)
    data = form_data(_page(client, takeyama))
    data[f"answer-{first.pk}"] = ["correct"]
    data[f"text-{first.pk}"] = ["承認後に送った修正です。"]
    data[f"comment-{first.pk}"] = ["遅くなりました。"]
    actions.approve(minutes=minutes, by=cast.clerk, now=timezone.now(), override=True, note="急ぎ")
    response = client.post(_link(takeyama), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "この議事録は確定しました。修正は事務局にご連絡ください。" in html
    assert "確認の受付は終了しました。" in html
    assert "<textarea" not in html
    # Not saved, but not lost: shown so it can be sent to the secretariat.
    assert "送信できなかったご入力" in html
    assert "承認後に送った修正です。" in html and "遅くなりました。" in html
    assert not CorrectionProposal.objects.exists()
    first.refresh_from_db()
    assert first.confirmation == "pending"
    html = _page(client, takeyama)
    assert "確認の受付は終了しました。" in html
    assert "<form method" not in html[html.index("<main") :]


def test_after_the_deadline_the_link_only_says_so(client, day, minutes, takeyama, time_machine):
    data = form_data(_page(client, takeyama))
    time_machine.move_to("2025-11-11 17:00 +0900", tick=False)
    assert "<textarea" in _page(client, takeyama)  # still open on the minute
    time_machine.move_to("2025-11-11 17:01 +0900", tick=False)
    response = client.post(_link(takeyama), data)
    assert response.status_code == 400
    assert "確認の期限を過ぎました。修正は事務局にご連絡ください。" in response.content.decode()
    html = _page(client, takeyama)
    assert "確認の受付は終了しました。" in html
    assert "<textarea" not in html
    first, second = _mine(minutes, day)
    assert (first.confirmation, second.confirmation) == ("pending", "pending")


def test_a_link_older_than_the_personal_link_days_has_expired(
    client, settings, takeyama, time_machine
):
    settings.PERSONAL_LINK_DAYS = 10
    link = _link(takeyama)
    time_machine.move_to("2025-11-14 09:59 +0900", tick=False)
    assert client.get(link).status_code == 200
    time_machine.move_to("2025-11-14 10:01 +0900", tick=False)
    for response in (client.get(link), client.post(link, {})):
        assert response.status_code == 403
        assert "このリンクは有効期限が切れています。" in response.content.decode()
    takeyama.refresh_from_db()
    assert takeyama.responded_at is None


def test_forged_revoked_and_other_kinds_of_token_are_refused(client, day, minutes, takeyama):
    forged = signing.dumps([takeyama.pk, takeyama.nonce], salt="someone-elses-salt")
    invitation = day.takeyama.invitation
    for token in (takeyama.token[:-2] + "xx", "not-a-token", forged, invitation.token):
        response = client.get(reverse("minutes:confirm", args=[token]))
        assert response.status_code == 403, token
        assert "このリンクは正しくありません。" in response.content.decode()
    link = _link(takeyama)
    SpeakerConfirmation.objects.filter(pk=takeyama.pk).update(nonce="revoked")
    for response in (client.get(link), client.post(link, {})):
        assert response.status_code == 403
        assert "このリンクは無効になっています。事務局にお問い合わせください。" in (
            response.content.decode()
        )
    assert not minutes.statements.filter(speaker=day.takeyama, confirmation="confirmed").exists()


def test_the_link_answers_get_and_post_only(client, takeyama):
    assert client.put(_link(takeyama)).status_code == 405
    assert client.delete(_link(takeyama)).status_code == 405


def test_the_page_reads_a_fixed_number_of_queries(client, day, minutes, takeyama):
    few = count_queries(client, _link(takeyama))
    for n in range(10):
        minutes.statements.create(
            speaker=day.takeyama, agenda_item=day.hearing, order=10 + n, text=f"{n}件目"
        )
    assert count_queries(client, _link(takeyama)) == few
