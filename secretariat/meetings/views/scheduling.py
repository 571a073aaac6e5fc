"""Staff screens of the date poll (日程調整): candidate slots, the live grid, fixing the date."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from secretariat.access import can_edit, get_session_for_staff, get_slot_for_staff
from secretariat.meetings import actions
from secretariat.meetings.forms import FixDateForm, SlotForm
from secretariat.meetings.models import (
    Delivery,
    Session,
    SlotAnswer,
    score_slots,
    suggested_slot,
)


def _report_outreach(request: HttpRequest, outreach: actions.Outreach, done: str) -> None:
    messages.success(request, done % {"count": len(outreach.queued)})
    if outreach.without_email:
        names = "、".join(m.display_name for m in outreach.without_email)
        messages.warning(
            request,
            _("メールアドレスが登録されていないため送れませんでした: %(names)s") % {"names": names},
        )


def _poll_page(
    request: HttpRequest, session: Session, slot_form: SlotForm | None = None
) -> HttpResponse:
    slots = list(session.slots.all())
    invitations = list(
        session.invitations.select_related(
            "membership__person", "membership__organisation", "membership__category"
        )
    )
    answers = {
        (a.invitation_id, a.slot_id): a for a in SlotAnswer.objects.filter(slot__session=session)
    }
    scores = score_slots(
        slots,
        {key: answer.answer for key, answer in answers.items()},
        {i.pk for i in invitations if i.membership.must_attend},
        [i.pk for i in invitations],
    )
    rows = [
        {"invitation": i, "answers": [answers.get((i.pk, slot.pk)) for slot in slots]}
        for i in invitations
    ]
    suggestion = suggested_slot(scores) if answers else None
    context = {
        "platform": session.platform,
        "session": session,
        "slots": slots,
        "rows": rows,
        "scores": scores,
        "suggestion": suggestion,
        "slot_form": slot_form or SlotForm(),
        "fix_form": FixDateForm(),
        "can_edit": can_edit(request, session.platform),
        "poll_sent": Delivery.objects.filter(
            invitation__session=session, kind=Delivery.Kind.POLL
        ).exists(),
    }
    return render(request, "meetings/poll.html", context)


@require_safe
def poll(request: HttpRequest, pk: int) -> HttpResponse:
    return _poll_page(request, get_session_for_staff(request, pk))


@require_POST
def slot_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            actions.add_slot(
                session=session,
                day=form.cleaned_data["date"],
                start=form.cleaned_data["start_time"],
                end=form.cleaned_data["end_time"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
    if form.errors:
        return _poll_page(request, session, form)
    messages.success(request, _("候補日時を追加しました。"))
    return redirect("meetings:poll", pk=session.pk)


@require_POST
def slot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    slot = get_slot_for_staff(request, pk, write=True)
    session = slot.session
    if session.status != Session.Status.PLANNED:
        messages.error(request, _("日程が決まった後は候補日時を削除できません。"))
    else:
        slot.delete()
        messages.success(request, _("候補日時を削除しました。"))
    return redirect("meetings:poll", pk=session.pk)


@require_POST
def poll_open(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    try:
        outreach = actions.open_poll(session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _report_outreach(request, outreach, _("%(count)d人に日程調整の依頼を送ります。"))
    return redirect("meetings:poll", pk=session.pk)


@require_POST
def fix_date(request: HttpRequest, pk: int, slot_pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    slot = get_slot_for_staff(request, slot_pk, write=True)
    form = FixDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("回答期限の日時が正しくありません。"))
        return redirect("meetings:poll", pk=session.pk)
    try:
        outreach = actions.fix_date(
            session=session, slot=slot, reply_deadline=form.cleaned_data["reply_deadline"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:poll", pk=session.pk)
    _report_outreach(
        request,
        outreach,
        _("日程を確定しました。%(count)d人に開催案内（カレンダー招待付き）を送ります。"),
    )
    return redirect("meetings:session", pk=session.pk)
