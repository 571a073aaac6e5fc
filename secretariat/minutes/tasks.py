"""Background jobs of the minutes (django-q2): confirmation requests, the reminder, and
the silent-consent rule after the deadline. Outcomes are recorded on the rows."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from secretariat.emails import build_email
from secretariat.minutes.actions import apply_silence
from secretariat.minutes.models import Minutes, SpeakerConfirmation


def _send(confirmation: SpeakerConfirmation, template: str) -> None:
    minutes = confirmation.minutes
    session = minutes.session
    build_email(
        to=confirmation.email,
        template=template,
        context={
            "session": session,
            "platform": session.platform,
            "recipient": confirmation.speaker.name,  # 「武山　政直 様」, not 「武山委員 様」
            "deadline": minutes.confirmation_deadline,
            "link": settings.SITE_URL + reverse("minutes:confirm", args=[confirmation.token]),
        },
        reply_to=session.platform.secretariat_email,
    ).send()


def send_confirmation_requests(minutes_id: int) -> int:
    """Send every request not sent yet (a rerun sends nothing twice)."""
    sent = 0
    waiting = SpeakerConfirmation.objects.filter(minutes_id=minutes_id, sent_at__isnull=True)
    for confirmation_id in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            # Lock the row alone: PostgreSQL refuses FOR UPDATE on the nullable side of
            # the outer joins to the speaker's invitation and person.
            confirmation = (
                SpeakerConfirmation.objects.select_for_update(of=("self",))
                .select_related(
                    "minutes__session__platform", "speaker__invitation__membership__person"
                )
                .get(pk=confirmation_id)
            )
            if confirmation.sent_at:
                continue
            _send(confirmation, "confirmation_request")
            confirmation.sent_at = timezone.now()
            confirmation.save(update_fields=["sent_at"])
            sent += 1
    return sent


def confirmation_deadlines() -> int:
    """Hourly: remind speakers who have not answered, once, N days before the deadline;
    after it, apply the platform's silent-consent rule."""
    now = timezone.now()
    reminded = 0
    confirming = Minutes.objects.filter(
        status=Minutes.Status.CONFIRMING, confirmation_deadline__isnull=False
    ).select_related("session__platform")
    for minutes in confirming:
        assert minutes.confirmation_deadline is not None
        if now > minutes.confirmation_deadline:
            apply_silence(minutes=minutes, now=now)
            continue
        days = minutes.session.platform.reminder_days_before
        if now < minutes.confirmation_deadline - timedelta(days=days):
            continue
        waiting = minutes.confirmations.filter(
            sent_at__isnull=False, responded_at__isnull=True, reminded_at__isnull=True
        )
        for confirmation_id in list(waiting.values_list("pk", flat=True)):
            with transaction.atomic():
                confirmation = (
                    SpeakerConfirmation.objects.select_for_update(of=("self",))
                    .select_related(
                        "minutes__session__platform", "speaker__invitation__membership__person"
                    )
                    .get(pk=confirmation_id)
                )
                if confirmation.reminded_at or confirmation.responded_at:
                    continue
                _send(confirmation, "confirmation_reminder")
                confirmation.reminded_at = now
                confirmation.save(update_fields=["reminded_at"])
                reminded += 1
    return reminded
