"""The member's personal link (no account): the date poll, the reply (出欠), their
calendar. Each page shows only what belongs to the link's own member."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from exports.ics import render_feed
from secretariat.meetings import actions
from secretariat.meetings.forms import ReplyForm, slot_answer_fields
from secretariat.meetings.models import CalendarFeed, Delivery, Invitation, Session, SlotAnswer
from secretariat.tokens import personal_link


def _page(
    request: HttpRequest,
    invitation: Invitation,
    *,
    reply_form: ReplyForm | None = None,
    poll_rows: list[dict[str, object]] | None = None,
    poll_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    session = invitation.session
    now = timezone.now()
    answers = {a.slot_id: a for a in invitation.slot_answers.all()}
    polling = (
        session.status == Session.Status.PLANNED
        and invitation.deliveries.filter(kind=Delivery.Kind.POLL).exists()
    )
    feed = CalendarFeed.for_membership(invitation.membership, now)
    context = {
        "invitation": invitation,
        "session": session,
        "platform": session.platform,
        "token": invitation.token,
        "polling": polling,
        "answer_choices": SlotAnswer.Answer.choices,
        "poll_rows": poll_rows or slot_answer_fields(session.slots.all(), answers),
        "poll_errors": poll_errors or [],
        "replies_open": invitation.replies_open(now),
        "reply_form": reply_form or ReplyForm.for_invitation(invitation),
        "feed_url": reverse("member:feed", args=[feed.token]),
        "materials": session.materials.for_members(),
    }
    return render(request, "member/invitation.html", context, status=status)


@require_safe
@personal_link(Invitation)
def invitation_page(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    return _page(request, invitation)


@require_POST
@personal_link(Invitation)
def answer_poll(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    slots = list(invitation.session.slots.all())
    rows = [
        {
            "slot": slot,
            "answer": request.POST.get(f"slot-{slot.pk}", ""),
            "comment": request.POST.get(f"comment-{slot.pk}", "")[:200],
        }
        for slot in slots
    ]
    try:
        actions.record_slot_answers(
            invitation=invitation,
            answers={row["slot"].pk: (row["answer"], row["comment"]) for row in rows},
        )
    except ValidationError as error:
        return _page(request, invitation, poll_rows=rows, poll_errors=error.messages, status=400)
    return redirect(reverse("member:invitation", args=[invitation.token]) + "?saved=poll")


@require_POST
@personal_link(Invitation)
def reply(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = ReplyForm.for_invitation(invitation, request.POST)
    if form.is_valid():
        try:
            invitation.record_reply(
                reply=form.cleaned_data["reply"],
                proxy_name=form.cleaned_data["proxy_name"],
                proxy_title=form.cleaned_data["proxy_title"],
                comment=form.cleaned_data["comment"],
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)  # a field's error goes to that field
        else:
            return redirect(reverse("member:invitation", args=[invitation.token]) + "?saved=reply")
    return _page(request, invitation, reply_form=form, status=400)


def _ics_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@personal_link(CalendarFeed, calendar=True)
def member_feed(request: HttpRequest, feed: CalendarFeed) -> HttpResponse:
    """A member's private calendar: every session they are invited to, kept up to date.

    Its events link to the session's public page when there is one, never to a personal
    link: a feed URL sits in calendar services and forwarded pages, and must open
    nothing but the schedule itself."""
    membership = feed.membership
    invitations = list(
        Invitation.objects.active()
        .filter(membership=membership, session__date__isnull=False)
        .exclude(session__status=Session.Status.PLANNED)
        .select_related("session__platform")
        .order_by("session__date")
    )
    public = set(
        Session.objects.public()
        .filter(pk__in=[i.session_id for i in invitations])
        .values_list("pk", flat=True)
    )
    events = [
        invitation.session.to_calendar_event(
            description=invitation.session.topics,
            url=request.build_absolute_uri(
                reverse(
                    "public:session",
                    args=[invitation.session.platform.slug, invitation.session_id],
                )
            )
            if invitation.session_id in public
            else "",
        )
        for invitation in invitations
    ]
    name = f"{membership.platform.name}（{membership.display_name}）"
    return _ics_response(render_feed(events, name=name, stamp=timezone.now()), "calendar.ics")
