"""Workflows on sessions: numbering, the date poll, invitations and their updates,
replies, check-in and the public gallery.

Emails are never sent here: these functions record a Delivery per message and enqueue
the sending task once the transaction commits, so a rolled-back change sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from exports.text import plain_text
from secretariat.council.models import Membership, Platform
from secretariat.meetings.models import (
    Attendance,
    CalendarFeed,
    CandidateSlot,
    Delivery,
    GalleryRegistration,
    Invitation,
    Session,
    SiteVisit,
    SlotAnswer,
)

# A change to any of these reaches members' calendars as an update.
CALENDAR_FIELDS = ("date", "start_time", "end_time", "venue_name", "venue_address", "online")


def _enqueue_sending(session: Session) -> None:
    transaction.on_commit(
        partial(async_task, "secretariat.meetings.tasks.send_session_deliveries", session.pk)
    )


def _assign_number(session: Session) -> None:
    Platform.objects.select_for_update().filter(pk=session.platform_id).first()
    needs_number = (
        session.number is None
        and not session.is_site_visit
        and session.status in Session.NUMBERED_STATUSES
    )
    if needs_number:
        highest = Session.objects.filter(platform_id=session.platform_id).aggregate(Max("number"))[
            "number__max"
        ]
        session.number = (highest or 0) + 1


def save_session(*, session: Session) -> Session:
    """Save a session, giving it the platform's next number (第N回) once it is scheduled,
    and tell invited members about a new time or place, or a cancellation.

    Site visits, sessions still in the date poll and sessions cancelled before they
    were scheduled have no number. The platform row is locked so two staff scheduling at
    once cannot take the same number.
    """
    with transaction.atomic():
        before = Session.objects.filter(pk=session.pk).first() if session.pk else None
        _assign_number(session)
        kind = _calendar_change(before, session)
        if kind:
            session.ical_sequence += 1
        session.save()
        if session.is_site_visit:
            SiteVisit.objects.get_or_create(session=session)
        if kind:
            _queue_to_invited(session, kind)
    return session


def _calendar_change(before: Session | None, after: Session) -> str:
    """Which message invited members need after this edit: update, cancel, or none."""
    if before is None or before.status == Session.Status.PLANNED:
        return ""
    if not Delivery.objects.filter(
        invitation__session=after, kind__in=[Delivery.Kind.INVITE, Delivery.Kind.UPDATE]
    ).exists():
        return ""
    if after.status == Session.Status.CANCELLED and before.status != after.status:
        return Delivery.Kind.CANCEL
    if after.status != Session.Status.CANCELLED and any(
        getattr(before, field) != getattr(after, field) for field in CALENDAR_FIELDS
    ):
        return Delivery.Kind.UPDATE
    return ""


def _queue_to_invited(session: Session, kind: str) -> None:
    """A message at the session's current SEQUENCE to everyone invited with an address."""
    invited = (
        session.invitations.active()
        .filter(deliveries__kind__in=[Delivery.Kind.INVITE, Delivery.Kind.UPDATE])
        .distinct()
    )
    for invitation in invited.select_related("membership__person"):
        if invitation.membership.email:
            Delivery.objects.get_or_create(
                invitation=invitation, kind=kind, sequence=session.ical_sequence
            )
    _enqueue_sending(session)


# The date poll


def add_slot(*, session: Session, day: date, start: time, end: time) -> CandidateSlot:
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("日程が決まった後は候補日時を追加できません。"))
    slot = CandidateSlot(session=session, date=day, start_time=start, end_time=end)
    slot.full_clean()
    slot.save()
    return slot


@dataclass(frozen=True)
class Outreach:
    """Who was written to, and who could not be (no email address)."""

    queued: list[Invitation]
    without_email: list[Membership]


def _invite(session: Session, memberships: Iterable[Membership], kind: str) -> Outreach:
    queued, without_email = [], []
    for membership in memberships:
        invitation, _ = Invitation.objects.get_or_create(session=session, membership=membership)
        if not membership.email:
            without_email.append(membership)
            continue
        sequence = 0 if kind == Delivery.Kind.POLL else session.ical_sequence
        delivery, created = Delivery.objects.get_or_create(
            invitation=invitation, kind=kind, sequence=sequence
        )
        # Sending the poll again writes only to those it has not reached yet.
        if created or delivery.status != Delivery.Status.SENT:
            queued.append(invitation)
    _enqueue_sending(session)
    return Outreach(queued, without_email)


def _current_members(session: Session) -> list[Membership]:
    """Members on the session's day (or today while it has none)."""
    members = session.platform.memberships.current(session.date)
    return list(members.select_related("person", "organisation"))


def open_poll(*, session: Session) -> Outreach:
    """Ask every current member for their ○ / △ / × on the candidate slots."""
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("日程調整は、日程が決まる前の会議でのみ行えます。"))
    if not session.slots.exists():
        raise ValidationError(_("候補日時を1つ以上登録してください。"))
    with transaction.atomic():
        return _invite(session, _current_members(session), Delivery.Kind.POLL)


def record_slot_answers(*, invitation: Invitation, answers: dict[int, tuple[str, str]]) -> None:
    """Save a member's answers, {slot id: (answer, comment)}, one for every slot, while the
    poll is open."""
    session = invitation.session
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("日程はすでに決まりました。出欠のご回答をお願いします。"))
    slots = {slot.pk: slot for slot in session.slots.all()}
    missing = [slot.label for slot in slots.values() if not answers.get(slot.pk, ("", ""))[0]]
    if missing:
        raise ValidationError(
            _("すべての候補日時に○・△・×のいずれかでお答えください: %(slots)s")
            % {"slots": "、".join(missing)}
        )
    with transaction.atomic():
        for slot_id, (answer, comment) in answers.items():
            if slot_id not in slots or answer not in SlotAnswer.Answer.values:
                raise ValidationError(_("回答の内容が正しくありません。"))
            SlotAnswer.objects.update_or_create(
                invitation=invitation,
                slot=slots[slot_id],
                # The poll page posts without a form: strip here what the base forms
                # strip from every other comment.
                defaults={
                    "answer": answer,
                    "comment": plain_text(comment).strip()[:200],
                },
            )


def fix_date(
    *, session: Session, slot: CandidateSlot, reply_deadline: datetime | None = None
) -> Outreach:
    """Fix the date from a slot: the session is scheduled, gets its 第N回 and every
    current member is invited with a calendar invitation."""
    if slot.session_id != session.pk:
        raise ValidationError(_("この会議の候補日時を選んでください。"))
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("この会議の日程はすでに決まっています。"))
    with transaction.atomic():
        session.date, session.start_time, session.end_time = (
            slot.date,
            slot.start_time,
            slot.end_time,
        )
        session.status = Session.Status.SCHEDULED
        if reply_deadline:
            session.reply_deadline = reply_deadline
        session.full_clean()
        save_session(session=session)
        return _invite(session, _current_members(session), Delivery.Kind.INVITE)


def invite_members(*, session: Session, memberships: Iterable[Membership]) -> Outreach:
    """Invite members added after the invitations went out: only them."""
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("開催決定後の会議にのみ招待を送れます。"))
    with transaction.atomic():
        already = set(
            session.invitations.filter(
                deliveries__kind__in=[Delivery.Kind.INVITE, Delivery.Kind.UPDATE]
            ).values_list("membership_id", flat=True)
        )
        return _invite(
            session, [m for m in memberships if m.pk not in already], Delivery.Kind.INVITE
        )


def toggle_invitation_link(*, invitation: Invitation, now: datetime) -> bool:
    """Revoke a member's invitation link, or issue a new one if it was revoked; return
    whether the link works now. Revoking also revokes the member's calendar link, which
    may have travelled with the same forwarded email or shared device."""
    with transaction.atomic():
        if invitation.revoked_at:
            invitation.reissue(now)
            return True
        invitation.revoke(now)
        revoke_calendar_feed(membership=invitation.membership, now=now)
        return False


def revoke_calendar_feed(*, membership: Membership, now: datetime) -> None:
    """The member's calendar link stops working; their invitation page offers a new one."""
    CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=now
    )


def retry_delivery(*, delivery: Delivery) -> None:
    """Send a failed message again now (staff's 再送)."""
    if delivery.status != Delivery.Status.FAILED:
        raise ValidationError(_("送信に失敗したメールだけを再送できます。"))
    _enqueue_sending(delivery.invitation.session)


# On the day


def check_in(
    *,
    session: Session,
    by: AbstractBaseUser,
    now: datetime,
    invitation: Invitation | None = None,
    name: str = "",
    title: str = "",
    capacity: str = "",
) -> Attendance:
    """Record an arrival: an invited member (or their proxy), or someone else who came."""
    if invitation is not None:
        if invitation.session_id != session.pk:
            raise ValidationError(_("この会議の招待者を選んでください。"))
        existing = session.attendances.filter(invitation=invitation).first()
        if existing:
            return existing
        membership = invitation.membership
        if invitation.reply == Invitation.Reply.PROXY:
            name, title = invitation.proxy_name, invitation.proxy_title
            capacity = Attendance.Capacity.PROXY
        else:
            name = membership.display_name
            title = membership.person.title if membership.person else ""
            capacity = (
                Attendance.Capacity.ONLINE
                if invitation.reply == Invitation.Reply.ONLINE
                else Attendance.Capacity.MEMBER
            )
    attendance = Attendance(
        session=session,
        invitation=invitation,
        name=name.strip(),
        title=title.strip(),
        capacity=capacity,
        arrived_at=now,
        recorded_by=by,
    )
    attendance.full_clean()
    attendance.save()
    return attendance


# The public gallery (傍聴)


def gallery_open(session: Session, now: datetime) -> bool:
    return (
        session.platform.allows_observers
        and session.status == Session.Status.SCHEDULED
        and bool(session.gallery_capacity)
        and (session.gallery_deadline is None or now <= session.gallery_deadline)
    )


# One email per address and session in this time, however often the form is sent.
GALLERY_RESEND_MINUTES = 10


def _lock_for_gallery(session: Session) -> Session:
    # Lock the session so that two registrations for the last seat are taken in turn.
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("platform")
        .get(pk=session.pk)
    )


def _check_seats(session: Session, now: datetime) -> None:
    if not gallery_open(session, now):
        raise ValidationError(_("この会議の傍聴の申込みは受け付けていません（締め切りました）。"))
    if session.gallery_registrations.confirmed().count() >= (session.gallery_capacity or 0):
        raise ValidationError(_("傍聴の定員に達したため、申込みを締め切りました。"))


def register_for_gallery(
    *, session: Session, name: str, organisation: str, email: str, now: datetime
) -> GalleryRegistration:
    """Ask for a gallery seat for an address: a pending registration, and an email with
    the link that confirms it (`confirm_gallery_registration`). No seat is held yet.

    The caller answers a new and an already registered address alike; only the address
    can tell them apart. A pending one is replaced by this request (the name typed
    now, a new link, 24 hours from now: the earlier link stops working); a confirmed
    one is kept as it is and told so by email. However often the form is sent, an address
    gets at most one email per session in GALLERY_RESEND_MINUTES.
    """
    email = email.strip().lower()  # one registration per person, however they type it
    with transaction.atomic():
        session = _lock_for_gallery(session)
        _check_seats(session, now)
        registration = session.gallery_registrations.filter(email=email).first()
        if registration is None:
            registration = GalleryRegistration(
                session=session, name=name.strip(), organisation=organisation.strip(), email=email
            )
            registration.full_clean()
            registration.save()
        elif registration.confirmation_sent_at and now < registration.confirmation_sent_at + (
            timedelta(minutes=GALLERY_RESEND_MINUTES)
        ):
            return registration
        elif registration.confirmed_at is None:
            registration.reissue(now)  # a new link, and a new confirmation window
            registration.name = name.strip()
            registration.organisation = organisation.strip()
            registration.confirmation_sent_at = None
            registration.full_clean()
            registration.save()
        else:
            registration.confirmation_sent_at = None
            registration.save(update_fields=["confirmation_sent_at"])
        transaction.on_commit(
            partial(
                async_task,
                "secretariat.meetings.tasks.send_gallery_confirmation",
                registration.pk,
            )
        )
    return registration


def confirm_gallery_registration(
    *, registration: GalleryRegistration, now: datetime
) -> GalleryRegistration:
    """The address answered the link: the registration takes a seat, if one is left.

    Confirming twice is harmless; a link older than CONFIRMATION_HOURS, a gallery that
    has closed meanwhile or seats that are gone are refused, each with its own message.
    """
    with transaction.atomic():
        session = _lock_for_gallery(registration.session)
        registration = GalleryRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.confirmed_at is not None:
            return registration
        if now > registration.confirmation_expires_at:
            raise ValidationError(
                _(
                    "確認の期限（お申込みから%(hours)s時間）が過ぎたため、お申込みを確定"
                    "できませんでした。お手数ですが、もう一度お申し込みください。"
                )
                % {"hours": GalleryRegistration.CONFIRMATION_HOURS}
            )
        try:
            _check_seats(session, now)
        except ValidationError as error:
            raise ValidationError(
                [_("お申込みを確定できませんでした。"), *error.messages]
            ) from error
        registration.confirmed_at = now
        registration.save(update_fields=["confirmed_at"])
    return registration
