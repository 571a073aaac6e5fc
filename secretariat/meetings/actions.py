"""Workflows on sessions."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from secretariat.council.models import Platform
from secretariat.meetings.models import Session, SiteVisit


def save_session(*, session: Session) -> Session:
    """Save a session, giving it the platform's next number (第N回) once it is scheduled.

    Site visits, sessions still in the date poll and sessions cancelled before they
    were scheduled have no number. The platform row is
    locked so two staff scheduling at once cannot take the same number.
    """
    with transaction.atomic():
        Platform.objects.select_for_update().filter(pk=session.platform_id).first()
        needs_number = (
            session.number is None
            and not session.is_site_visit
            and session.status in Session.NUMBERED_STATUSES
        )
        if needs_number:
            highest = Session.objects.filter(platform_id=session.platform_id).aggregate(
                Max("number")
            )["number__max"]
            session.number = (highest or 0) + 1
        session.save()
        if session.is_site_visit:
            SiteVisit.objects.get_or_create(session=session)
    return session
