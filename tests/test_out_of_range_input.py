"""Issue 10, finding 8: out-of-range input was a 500. Each case is now a clear error that
changes nothing, and a value stored before (or behind the forms' back) cannot take a
page or a feed down."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from secretariat.meetings import actions
from secretariat.meetings.models import AgendaItem, CandidateSlot, Invitation, Presenter, Session
from secretariat.minutes.forms import ConfirmationRequestForm
from tests import factories as f
from tests.base import DATE_RANGE_ERROR

TOKYO_NOON = "2026-11-02 12:00 +0900"
LAST_DAY = date(9999, 12, 31)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(TOKYO_NOON, tick=False)


def _uids(ics: bytes) -> list[str]:
    return [line.split(":", 1)[1] for line in ics.decode().splitlines() if line.startswith("UID:")]


# --- a session dated 9999-12-31 and the calendar feeds ---


def test_a_stored_last_day_session_is_left_out_of_the_public_calendar(client, cast):
    Session.objects.filter(pk=cast.draft.pk).update(date=LAST_DAY, start_time=None, end_time=None)
    response = client.get(reverse("public:calendar", args=["pf"]))
    assert response.status_code == 200
    assert _uids(response.content) == [f"{cast.published.uid}@secretariat"]


def test_a_stored_last_day_session_is_left_out_of_the_member_feed(client, cast):
    for session in (cast.published, cast.draft):
        Invitation.objects.create(session=session, membership=cast.member)
    Session.objects.filter(pk=cast.draft.pk).update(date=LAST_DAY, start_time=None, end_time=None)
    response = client.get(reverse("member:feed", args=[f.feed_token(cast.member)]))
    assert response.status_code == 200
    assert _uids(response.content) == [f"{cast.published.uid}@secretariat"]


def test_the_session_form_refuses_the_last_day(client, cast):
    client.force_login(cast.clerk)
    url = reverse("meetings:session_edit", args=[cast.draft.pk])
    data = {"kind": "meeting", "topics": "x", "status": "held", "number": "2"}
    response = client.post(url, data | {"date": "9999-12-31"})
    assert response.status_code == 200
    assert DATE_RANGE_ERROR in response.content.decode()
    cast.draft.refresh_from_db()
    assert cast.draft.date == date(2015, 10, 30)


# --- a poll slot on 9999-12-31 ---


def test_a_stored_last_day_slot_keeps_the_poll_and_invitation_pages_up(client, cast):
    slot = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 1), start=time(10), end=time(12)
    )
    actions.open_poll(session=cast.planned)
    CandidateSlot.objects.filter(pk=slot.pk).update(date=LAST_DAY)
    invitation = cast.planned.invitations.get(membership=cast.member)
    assert client.get(reverse("member:invitation", args=[invitation.token])).status_code == 200
    client.force_login(cast.clerk)
    assert client.get(reverse("meetings:poll", args=[cast.planned.pk])).status_code == 200


def test_a_slot_on_the_last_day_is_refused(client, cast):
    client.force_login(cast.clerk)
    response = client.post(
        reverse("meetings:slot_add", args=[cast.planned.pk]),
        {"date": "9999-12-31", "start_time": "10:00", "end_time": "12:00"},
    )
    assert response.status_code == 200
    assert DATE_RANGE_ERROR in response.content.decode()
    assert not cast.planned.slots.exists()


# --- date-times at 0001-01-01T00:00 ---


@pytest.mark.parametrize("field", ["reply_deadline", "gallery_deadline"])
def test_a_session_deadline_at_the_first_moment_is_refused(client, cast, field):
    client.force_login(cast.clerk)
    url = reverse("meetings:session_edit", args=[cast.draft.pk])
    data = {"kind": "meeting", "topics": "x", "status": "held", "number": "2", "date": "2015-10-30"}
    response = client.post(url, data | {field: "0001-01-01T00:00"})
    assert response.status_code == 200
    assert DATE_RANGE_ERROR in response.content.decode()
    cast.draft.refresh_from_db()
    assert (cast.draft.topics, getattr(cast.draft, field)) == ("未公開の会議の内容", None)


def test_fixing_the_date_with_a_deadline_at_the_first_moment_is_refused(client, cast):
    slot = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 1), start=time(10), end=time(12)
    )
    client.force_login(cast.clerk)
    response = client.post(
        reverse("meetings:fix_date", args=[cast.planned.pk, slot.pk]),
        {"reply_deadline": "0001-01-01T00:00"},
        follow=True,
    )
    assert "回答期限の日時が正しくありません。" in response.content.decode()
    cast.planned.refresh_from_db()
    assert (cast.planned.status, cast.planned.date) == (Session.Status.PLANNED, None)


def test_a_presenter_upload_deadline_at_the_first_moment_is_refused(client, cast):
    item = f.make_agenda_item(cast.published, "ヒアリング", kind=AgendaItem.Kind.HEARING)
    client.force_login(cast.clerk)
    response = client.post(
        reverse("meetings:presenters", args=[cast.published.pk]),
        {
            "agenda_item": str(item.pk),
            "name": "田中　一郎",
            "title": "教授",
            "upload_deadline": "0001-01-01T00:00",
            "order": "0",
        },
    )
    assert response.status_code == 200
    assert DATE_RANGE_ERROR in response.content.decode()
    assert not Presenter.objects.exists()


def test_a_confirmation_deadline_on_the_last_day_is_refused():
    # In the future, so the form's own check let it through to the reminders' arithmetic.
    form = ConfirmationRequestForm({"deadline": "9999-12-31T23:59"})
    assert not form.is_valid()
    assert form.errors["deadline"] == [DATE_RANGE_ERROR]


# --- agenda minutes of 10**12 ---


def test_agenda_minutes_past_a_day_are_refused_and_the_timetable_stays_up(client, cast):
    prefix = "agenda_items"
    client.force_login(cast.clerk)
    response = client.post(
        reverse("meetings:agenda_edit", args=[cast.published.pk]),
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-order": "1",
            f"{prefix}-0-kind": "other",
            f"{prefix}-0-title": "討議",
            f"{prefix}-0-minutes": str(10**12),
        },
    )
    assert response.status_code == 200
    assert "この値は 1440 以下でなければなりません。" in response.content.decode()
    assert not cast.published.agenda_items.exists()
    assert client.get(reverse("meetings:presenters", args=[cast.published.pk])).status_code == 200


# --- an id one past SQLite's integer range ---


def test_a_material_id_past_the_database_range_is_a_404_for_anyone(client, cast):
    url = f"/councils/pf/meetings/{cast.published.pk}/materials/9223372036854775808/"
    assert client.get(url).status_code == 404
    in_range = f"/councils/pf/meetings/{cast.published.pk}/materials/9223372036854775807/"
    assert client.get(in_range).status_code == 404
    assert client.get(f"/councils/pf/meetings/{cast.published.pk}/materials/1/").status_code in {
        200,
        404,
    }
