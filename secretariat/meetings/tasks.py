"""Background jobs (django-q2): sending the recorded deliveries, reminders, retries,
gallery confirmations and the deletion of gallery registrations after the session.

Every task takes ids, reads the database and records its outcome there, so running it
twice (at-least-once delivery, a retried task) sends nothing twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from exports.data import CalendarAttendee
from exports.ics import render_itip
from secretariat.emails import build_email
from secretariat.meetings.models import (
    CalendarFeed,
    Delivery,
    GalleryRegistration,
    Invitation,
    Session,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
CALENDAR_KINDS = {
    Delivery.Kind.INVITE: "REQUEST",
    Delivery.Kind.UPDATE: "REQUEST",
    Delivery.Kind.CANCEL: "CANCEL",
}
PARTSTAT = {
    Invitation.Reply.ATTENDING: "ACCEPTED",
    Invitation.Reply.ONLINE: "ACCEPTED",
    Invitation.Reply.PROXY: "DELEGATED",
    Invitation.Reply.ABSENT: "DECLINED",
}


CALENDAR_REPLY_NOTE = "出欠のご回答・変更は、開催案内のメールにある個人用のリンクからお願いします。"


def member_link(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("member:invitation", args=[invitation.token])


def _recipient(invitation: Invitation) -> str:
    membership = invitation.membership
    return membership.person.full_name if membership.person else membership.display_name


def build_delivery_email(delivery: Delivery) -> Any:
    """The email for a delivery, from the session as it is now."""
    invitation = delivery.invitation
    session = invitation.session
    link = member_link(invitation)
    context = {
        "session": session,
        "platform": session.platform,
        "recipient": _recipient(invitation),
        "link": link,
        "slots": list(session.slots.all()),
    }
    options: dict[str, Any] = {}
    method = CALENDAR_KINDS.get(delivery.kind)
    if method:
        membership = invitation.membership
        # Only the recipient is an attendee: no member sees another's address.
        attendee = CalendarAttendee(
            membership.email,
            _recipient(invitation),
            role="CHAIR" if membership.role == membership.Role.CHAIR else "REQ-PARTICIPANT",
            partstat=PARTSTAT.get(invitation.reply, "NEEDS-ACTION"),
        )
        # The event lands in calendar services, shared and delegated calendars: it
        # carries no personal link, only the session's public page (when there is one).
        public = Session.objects.public().filter(pk=session.pk).exists()
        reply_note = "" if method == "CANCEL" else f"\n\n{CALENDAR_REPLY_NOTE}"
        event = session.to_calendar_event(
            description=f"{session.topics}{reply_note}",
            url=settings.SITE_URL
            + reverse("public:session", args=[session.platform.slug, session.pk])
            if public
            else "",
            attendees=(attendee,),
        )
        options = {"ics": render_itip(event, method=method, stamp=timezone.now()), "method": method}
    return build_email(
        to=invitation.membership.email,
        template=delivery.kind,
        context=context,
        reply_to=session.platform.secretariat_email,
        **options,
    )


def _superseded(delivery: Delivery) -> bool:
    """A calendar message older than the session's SEQUENCE: a newer one replaces it. A
    reminder (retried after a failure) that the member's reply or the deadline overtook."""
    invitation = delivery.invitation
    if invitation.revoked_at:
        return True  # its link no longer works: staff re-issue it and write again
    if delivery.kind == Delivery.Kind.REMINDER:
        return bool(invitation.reply) or not invitation.replies_open(timezone.now())
    return delivery.kind in CALENDAR_KINDS and delivery.sequence < invitation.session.ical_sequence


def _send_one(delivery_id: int, connection: Any) -> bool:
    """Send one delivery unless it is already sent; record the outcome. The row stays
    locked while sending, so a twin run waits and then finds it sent."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("invitation__session__platform", "invitation__membership__person")
            .get(pk=delivery_id)
        )
        if delivery.status in (Delivery.Status.SENT, Delivery.Status.SUPERSEDED):
            return True
        if _superseded(delivery):
            delivery.status = Delivery.Status.SUPERSEDED
            delivery.save(update_fields=["status"])
            return True
        delivery.attempts += 1
        try:
            email = build_delivery_email(delivery)
            email.connection = connection
            email.send()
        except Exception as error:  # the mail server's failure is recorded, never lost
            logger.warning("delivery %s failed: %s", delivery.pk, error)
            delivery.status = Delivery.Status.FAILED
            delivery.last_error = f"{type(error).__name__}: {error}"
            delivery.save(update_fields=["status", "attempts", "last_error"])
            return False
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.to_email = invitation_email = delivery.invitation.membership.email
        delivery.subject = email.subject
        delivery.message = email.message().as_string()
        delivery.last_error = ""
        delivery.save()
        logger.info("delivery %s sent to %s", delivery.pk, invitation_email)
        return True


def _send(deliveries: Any) -> int:
    """Send the given deliveries over one connection; return how many failed."""
    ids = list(deliveries.values_list("pk", flat=True))
    if not ids:
        return 0
    failed = 0
    with get_connection() as connection:
        for delivery_id in ids:
            failed += not _send_one(delivery_id, connection)
    return failed


def send_session_deliveries(session_id: int) -> int:
    """Send every message of a session still to go (pending, or failed and retriable)."""
    return _send(
        Delivery.objects.filter(
            invitation__session_id=session_id,
            status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED],
            attempts__lt=MAX_ATTEMPTS,
        ).order_by("pk")
    )


def retry_failed_deliveries() -> int:
    """Every few minutes: try failed messages again, up to MAX_ATTEMPTS each."""
    return _send(
        Delivery.objects.filter(status=Delivery.Status.FAILED, attempts__lt=MAX_ATTEMPTS).order_by(
            "pk"
        )
    )


def send_reply_reminders() -> int:
    """Remind members who have not replied, N days before the deadline, once each."""
    now = timezone.now()
    queued = 0
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED, reply_deadline__gt=now
    ).select_related("platform")
    for session in sessions:
        assert session.reply_deadline is not None
        remind_from = session.reply_deadline - timedelta(days=session.platform.reminder_days_before)
        if now < remind_from:
            continue
        waiting = (
            session.invitations.active()
            .filter(reply="", deliveries__kind=Delivery.Kind.INVITE)
            .distinct()
        )
        for invitation in waiting.select_related("membership__person"):
            if invitation.membership.email:
                _, created = Delivery.objects.get_or_create(
                    invitation=invitation, kind=Delivery.Kind.REMINDER, sequence=0
                )
                queued += created
        send_session_deliveries(session.pk)
    return queued


def send_gallery_confirmation(registration_id: int) -> None:
    """The email a gallery request asks for: the link that confirms it, or, for an
    address whose registration is already confirmed, a note saying so."""
    with transaction.atomic():
        registration = (
            GalleryRegistration.objects.select_for_update(of=("self",))
            .select_related("session__platform")
            .filter(pk=registration_id, confirmation_sent_at__isnull=True)
            .first()
        )
        if registration is None:
            return
        session = registration.session
        confirmed = registration.confirmed_at is not None
        link = settings.SITE_URL + reverse(
            "public:gallery_confirm", args=[session.platform.slug, session.pk, registration.token]
        )
        build_email(
            to=registration.email,
            template="gallery_registered" if confirmed else "gallery_confirmation",
            context={
                "registration": registration,
                "session": session,
                "platform": session.platform,
                "link": link,
                "hours": GalleryRegistration.CONFIRMATION_HOURS,
            },
            reply_to=session.platform.secretariat_email,
        ).send()
        registration.confirmation_sent_at = timezone.now()
        registration.save(update_fields=["confirmation_sent_at"])


def purge_gallery_registrations() -> int:
    """Daily: registrants' personal data goes once their session is over, and a request
    whose link was never answered goes once the link has expired."""
    now = timezone.now()
    unanswered = now - timedelta(hours=GalleryRegistration.CONFIRMATION_HOURS)
    deleted, _ = GalleryRegistration.objects.filter(
        Q(session__date__lt=timezone.localdate(now))
        | Q(confirmed_at__isnull=True, issued_at__lt=unanswered)
    ).delete()
    return deleted


def revoke_former_members_calendars() -> int:
    """Daily: a membership that ended takes its calendar link with it, for good (the feed
    already refuses a former member; revoking means a later re-appointment gets a new
    link rather than reviving the old one)."""
    return CalendarFeed.objects.filter(
        revoked_at__isnull=True, membership__end_date__lt=timezone.localdate()
    ).update(revoked_at=timezone.now())
