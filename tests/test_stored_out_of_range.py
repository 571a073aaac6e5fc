"""Values stored out of range before dates and numbers were bounded: a migration moves
deadlines to the bounds, and the timetable holds each item to its cap, so no page that
shows them fails."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

from django.apps import apps
from django.urls import reverse

from secretariat.meetings.models import Invitation, Session

clamp = importlib.import_module(
    "secretariat.minutes.migrations.0004_trust_clamp_stored_deadlines"
).clamp


def test_a_deadline_stored_at_year_one_is_moved_to_the_lower_bound(client, cast, time_machine):
    time_machine.move_to("2015-09-01 12:00 +0900", tick=False)
    Session.objects.filter(pk=cast.published.pk).update(
        reply_deadline=datetime(1, 1, 1, tzinfo=UTC),
        gallery_deadline=datetime(9999, 12, 31, tzinfo=UTC),
    )
    invitation = Invitation.objects.create(session=cast.published, membership=cast.member)
    clamp(apps, None)
    cast.published.refresh_from_db()
    assert cast.published.reply_deadline.year == 1989
    assert cast.published.gallery_deadline.year == 2100
    client.force_login(cast.clerk)
    assert client.get(reverse("meetings:replies", args=[cast.published.pk])).status_code == 200
    assert client.get(reverse("meetings:reply_sheet", args=[cast.published.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("member:invitation", args=[invitation.token])).status_code in (
        200,
        403,
    )


def test_a_stored_agenda_of_huge_minutes_in_year_9999_still_shows(client, cast):
    """Stored before the bounds (the column's own limit, beyond the model's cap of a
    day): the timetable holds each item to the cap and ignores the date."""
    from datetime import date as day

    from secretariat.meetings.models import AgendaItem
    from tests import factories as f

    item = f.make_agenda_item(cast.published, "長い議事", minutes=90)
    AgendaItem.objects.filter(pk=item.pk).update(minutes=32767)
    Session.objects.filter(pk=cast.published.pk).update(date=day(9999, 12, 31))
    client.force_login(cast.clerk)
    response = client.get(reverse("meetings:presenters", args=[cast.published.pk]))
    assert response.status_code == 200
