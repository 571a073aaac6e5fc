"""Staff screens for replies (出欠), the 出欠表, check-in on the day and the gallery list."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from exports.data import AttendanceRow, AttendanceSheet
from exports.eras import format_date
from exports.xlsx import render_attendance_sheet
from secretariat.access import can_edit, get_invitation_for_staff, get_session_for_staff
from secretariat.meetings import actions
from secretariat.meetings.forms import CheckInForm, ReplyForm
from secretariat.meetings.models import Invitation, Session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _invitations(session: Session) -> list[Invitation]:
    return list(
        session.invitations.select_related(
            "membership__person",
            "membership__organisation",
            "membership__category",
            "reply_entered_by",
        )
    )


def tally(invitations: list[Invitation]) -> dict[str, int]:
    counts = Counter(i.reply for i in invitations if not i.revoked_at)
    return {
        "attending": counts[Invitation.Reply.ATTENDING],
        "online": counts[Invitation.Reply.ONLINE],
        "proxy": counts[Invitation.Reply.PROXY],
        "absent": counts[Invitation.Reply.ABSENT],
        "waiting": counts[""],
        "total": sum(counts.values()),
    }


@require_safe
def reply_list(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk)
    invitations = _invitations(session)
    invited = {i.membership_id for i in invitations}
    not_invited = [
        m
        for m in session.platform.memberships.current(session.date).select_related(
            "person", "organisation"
        )
        if m.pk not in invited
    ]
    context = {
        "platform": session.platform,
        "session": session,
        "invitations": invitations,
        "tally": tally(invitations),
        "not_invited": not_invited,
        "can_edit": can_edit(request, session.platform),
    }
    return render(request, "meetings/replies.html", context)


def to_attendance_sheet(session: Session, invitations: list[Invitation]) -> AttendanceSheet:
    rows = []
    for invitation in invitations:
        membership = invitation.membership
        proxy = " ".join(p for p in (invitation.proxy_name, invitation.proxy_title) if p)
        rows.append(
            AttendanceRow(
                category=membership.category.name,
                name=membership.display_name,
                title=membership.person.title
                if membership.person and not membership.organisation
                else "",
                reply=invitation.get_reply_display() if invitation.reply else "未回答",
                proxy=proxy,
                comment=invitation.reply_comment,
                replied_at=timezone.localtime(invitation.replied_at)
                if invitation.replied_at
                else None,
                entered_by=invitation.reply_entered_by.get_username()
                if invitation.reply_entered_by
                else "",
            )
        )
    deadline = session.reply_deadline
    return AttendanceSheet(
        platform_name=session.platform.name,
        session_title=session.title,
        session_when=session.when,
        venue=session.venue,
        reply_deadline=format_date(timezone.localdate(deadline), weekday=True) if deadline else "",
        rows=tuple(rows),
        generated_at=timezone.localtime(),
    )


@require_safe
def reply_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk)
    data = render_attendance_sheet(to_attendance_sheet(session, _invitations(session)))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{session.title}_出欠表.xlsx"
    )
    return response


@require_http_methods(["GET", "POST"])
def staff_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record a reply on a member's behalf (a phone call); the record says who."""
    invitation = get_invitation_for_staff(request, pk, write=True)
    form = ReplyForm.for_invitation(invitation, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation.record_reply(
                reply=form.cleaned_data["reply"],
                proxy_name=form.cleaned_data["proxy_name"],
                proxy_title=form.cleaned_data["proxy_title"],
                comment=form.cleaned_data["comment"],
                now=timezone.now(),
                entered_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)  # a field's error goes to that field
        else:
            messages.success(request, _("出欠を記録しました。"))
            return redirect("meetings:replies", pk=invitation.session_id)
    context = {
        "platform": invitation.session.platform,
        "session": invitation.session,
        "invitation": invitation,
        "form": form,
    }
    return render(request, "meetings/staff_reply.html", context)


@require_POST
def revoke_link(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_staff(request, pk, write=True)
    if actions.toggle_invitation_link(invitation=invitation, now=timezone.now()):
        messages.success(
            request, _("個人用リンクを新しく発行しました（以前のリンクは使えません）。")
        )
    else:
        messages.success(request, _("個人用リンクと個人用カレンダーのURLを無効にしました。"))
    return redirect("meetings:replies", pk=invitation.session_id)


@require_POST
def revoke_feed(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_staff(request, pk, write=True)
    actions.revoke_calendar_feed(membership=invitation.membership, now=timezone.now())
    messages.success(
        request,
        _(
            "個人用カレンダーのURLを再発行しました。以前のURLは使えません。"
            "新しいURLは構成員の案内ページに表示されます。"
        ),
    )
    return redirect("meetings:replies", pk=invitation.session_id)


@require_POST
def invite_new_members(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    try:
        outreach = actions.invite_members(
            session=session,
            memberships=session.platform.memberships.current(session.date).select_related("person"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(count)d人に開催案内を送ります。") % {"count": len(outreach.queued)}
        )
        if outreach.without_email:
            names = "、".join(m.display_name for m in outreach.without_email)
            messages.warning(
                request,
                _("メールアドレスが登録されていないため送れませんでした: %(names)s")
                % {"names": names},
            )
    return redirect("meetings:replies", pk=session.pk)


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The reception desk on the day: who was expected, who came, when, as what."""
    session = get_session_for_staff(request, pk, write=request.method == "POST")
    form = CheckInForm(request.POST or None, prefix="other")
    if request.method == "POST":
        invitation_id = request.POST.get("invitation")
        try:
            if invitation_id:
                invitation = session.invitations.select_related("membership__person").get(
                    pk=int(invitation_id)
                )
                attendance = actions.check_in(
                    session=session, invitation=invitation, by=request.user, now=timezone.now()
                )
                messages.success(
                    request, _("%(name)sの受付をしました。") % {"name": attendance.name}
                )
                return redirect("meetings:checkin", pk=session.pk)
            if form.is_valid():
                attendance = actions.check_in(
                    session=session,
                    by=request.user,
                    now=timezone.now(),
                    name=form.cleaned_data["name"],
                    title=form.cleaned_data["title"],
                    capacity=form.cleaned_data["capacity"],
                )
                messages.success(
                    request, _("%(name)sの受付をしました。") % {"name": attendance.name}
                )
                return redirect("meetings:checkin", pk=session.pk)
        except (Invitation.DoesNotExist, ValueError):
            messages.error(request, _("この会議の招待者を選んでください。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    attendances = list(session.attendances.select_related("recorded_by"))
    arrived = {a.invitation_id: a for a in attendances if a.invitation_id}
    context = {
        "platform": session.platform,
        "session": session,
        "expected": [(i, arrived.get(i.pk)) for i in _invitations(session) if not i.revoked_at],
        "others": [a for a in attendances if a.invitation_id is None],
        "form": form,
    }
    return render(request, "meetings/checkin.html", context)


@require_safe
def gallery_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The reception list of gallery registrants (personal data: staff only)."""
    session = get_session_for_staff(request, pk)
    context = {
        "platform": session.platform,
        "session": session,
        # Only confirmed registrations hold a seat and belong on the reception list;
        # unconfirmed requests are counted, never listed (nobody vouched for them).
        "registrations": session.gallery_registrations.confirmed().order_by("confirmed_at", "pk"),
        "pending": session.gallery_registrations.pending().count(),
    }
    return render(request, "meetings/gallery.html", context)
