"""The minutes: the staff editor, confirmation and approval, and the speaker's page."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from secretariat.access import (
    can_edit,
    get_follow_up_for_staff,
    get_platform_for_staff,
    get_proposal_for_staff,
    get_session_for_staff,
)
from secretariat.meetings.models import Session
from secretariat.minutes import actions
from secretariat.minutes.forms import (
    ApprovalForm,
    ConfirmationRequestForm,
    FollowUpForm,
    MinutesForm,
    StatementFormSet,
    TranscriptForm,
    statement_choices,
)
from secretariat.minutes.models import (
    Minutes,
    SpeakerConfirmation,
    speaker_label,
)
from secretariat.tokens import personal_link

_ANSWER_FIELD = re.compile(r"(?:answer|text|comment)-(\d{1,18})")


def _statement_initial(minutes: Minutes) -> list[dict[str, Any]]:
    if not minutes.pk:
        return []
    return [
        {"id": s.pk, "agenda_item": s.agenda_item_id, "speaker": s.speaker_id, "text": s.text}
        for s in minutes.statements.all()
    ]


def _editor(
    request: HttpRequest,
    session: Session,
    minutes: Minutes,
    *,
    form: MinutesForm | None = None,
    statements: Any = None,
    transcript: TranscriptForm | None = None,
    unparsed: list[tuple[int, str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    version = {"version": minutes.version}
    context = {
        "platform": session.platform,
        "session": session,
        "minutes": minutes,
        "form": form or MinutesForm(initial={**version, "summary": minutes.summary}),
        "statements": statements
        or StatementFormSet(
            initial=_statement_initial(minutes),
            form_kwargs=statement_choices(session),
            prefix="s",
        ),
        "transcript": transcript or TranscriptForm(initial=version),
        "unparsed": unparsed or [],
        "attendances": session.attendances.select_related("invitation__membership__person"),
        "can_edit": can_edit(request, session.platform) and not minutes.locked,
    }
    return render(request, "minutes/editor.html", context, status=status)


@require_http_methods(["GET", "POST"])
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=request.method == "POST")
    if request.method == "GET":
        return _editor(request, session, actions.existing_minutes(session))
    minutes = actions.minutes_for(session)
    form = MinutesForm(request.POST)
    statements = StatementFormSet(request.POST, form_kwargs=statement_choices(session), prefix="s")
    if form.is_valid() and statements.is_valid():
        given = [
            actions.StatementInput(
                f.cleaned_data["agenda_item"],
                f.cleaned_data["speaker"],
                f.cleaned_data["text"],
                id=f.cleaned_data["id"],
            )
            for f in statements.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            actions.save_minutes(
                minutes=minutes,
                version=form.cleaned_data["version"],
                summary=form.cleaned_data["summary"],
                statements=given,
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("議事録を保存しました。"))
            return redirect("minutes:editor", pk=session.pk)
    # Whatever was typed goes back to the page: an edit is never lost.
    return _editor(request, session, minutes, form=form, statements=statements, status=400)


@require_POST
def import_transcript(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    minutes = actions.minutes_for(session)
    transcript = TranscriptForm(request.POST)
    if not transcript.is_valid():
        return _editor(request, session, minutes, transcript=transcript, status=400)
    try:
        parsed = actions.import_transcript(
            minutes=minutes,
            version=transcript.cleaned_data["version"],
            text=transcript.cleaned_data["transcript"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _editor(request, session, minutes, transcript=transcript, status=400)
    minutes.refresh_from_db()
    messages.success(request, _("%(n)d件の発言を取り込みました。") % {"n": len(parsed.statements)})
    if not parsed.unparsed:
        return redirect("minutes:editor", pk=session.pk)
    # Lines that could not be read stay in the box, with the reason for each.
    left = "\n".join(line for _n, line, _why in parsed.unparsed)
    return _editor(
        request,
        session,
        minutes,
        transcript=TranscriptForm(initial={"version": minutes.version, "transcript": left}),
        unparsed=parsed.unparsed,
        status=200,
    )


@require_http_methods(["GET", "POST"])
def confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    """Who confirmed, the proposals beside the originals, and the chair's approval."""
    session = get_session_for_staff(request, pk, write=request.method == "POST")
    if request.method == "GET":
        return _confirmation_page(request, session, actions.existing_minutes(session))
    minutes = actions.minutes_for(session)
    request_form = ConfirmationRequestForm(request.POST or None)
    if request.method == "POST" and request_form.is_valid():
        try:
            unreachable = actions.request_confirmations(
                minutes=minutes, deadline=request_form.cleaned_data["deadline"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("発言者に確認を依頼します。"))
            if unreachable:
                messages.warning(
                    request,
                    _("メールアドレスがないため依頼できませんでした: %(names)s")
                    % {"names": "、".join(unreachable)},
                )
            return redirect("minutes:confirmation", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return _confirmation_page(request, session, minutes, request_form=request_form, status=status)


def _confirmation_page(
    request: HttpRequest,
    session: Session,
    minutes: Minutes,
    *,
    request_form: ConfirmationRequestForm | None = None,
    approval_form: ApprovalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    saved = minutes.pk is not None
    statements = (
        minutes.statements.select_related(
            "speaker__invitation__membership__person", "agenda_item"
        ).prefetch_related("proposals")
        if saved
        else []
    )
    confirmations = (
        minutes.confirmations.select_related("speaker__invitation__membership__person")
        if saved
        else []
    )
    context = {
        "platform": session.platform,
        "session": session,
        "minutes": minutes,
        "statements": statements,
        "confirmations": [(c, speaker_label(c.speaker)) for c in confirmations],
        "request_form": request_form or ConfirmationRequestForm(),
        "approval_form": approval_form or ApprovalForm(),
        "can_edit": can_edit(request, session.platform),
    }
    return render(request, "minutes/confirmation.html", context, status=status)


@require_POST
def decide(request: HttpRequest, pk: int, accept: int) -> HttpResponse:
    proposal = get_proposal_for_staff(request, pk, write=True)
    session = proposal.statement.minutes.session
    try:
        actions.decide(proposal=proposal, accept=bool(accept), by=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("修正を反映しました。") if accept else _("修正を不採用にしました。")
        )
    return redirect("minutes:confirmation", pk=session.pk)


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    minutes = actions.minutes_for(session)
    form = ApprovalForm(request.POST)
    form.is_valid()
    try:
        actions.approve(
            minutes=minutes,
            by=request.user,
            now=timezone.now(),
            override=form.cleaned_data.get("override", False),
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        # The reason typed for an override stays in the form.
        return _confirmation_page(request, session, minutes, approval_form=form, status=400)
    messages.success(request, _("座長了解を記録しました。議事録は確定しました。"))
    return redirect("minutes:confirmation", pk=session.pk)


@require_POST
def start_revision(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    try:
        actions.start_revision(minutes=actions.minutes_for(session), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("改訂を始めました。変更後、もう一度座長了解が必要です。"))
    return redirect("minutes:editor", pk=session.pk)


@require_safe
def revision_list(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk)
    minutes = actions.existing_minutes(session)
    context = {
        "platform": session.platform,
        "session": session,
        "minutes": minutes,
        # Newest first; several records can share a version (a confirmation request
        # changes no text), so the order of saving decides.
        "revisions": minutes.revisions.select_related("created_by").order_by("-pk")
        if minutes.pk
        else [],
    }
    return render(request, "minutes/revisions.html", context)


# The speaker's personal link (no login)


@require_http_methods(["GET", "POST"])
@personal_link(SpeakerConfirmation)
def confirm(request: HttpRequest, confirmation: SpeakerConfirmation) -> HttpResponse:
    minutes = confirmation.minutes
    own = list(
        minutes.statements.filter(speaker=confirmation.speaker).select_related("agenda_item")
    )
    errors: list[str] = []
    post = request.POST
    if request.method == "POST":
        # Every statement the form names, so that an answer about someone else's statement
        # is refused rather than silently dropped.
        named = {int(m[1]) for key in post if (m := _ANSWER_FIELD.fullmatch(key))}
        answers = {
            pk: (
                post.get(f"text-{pk}", "") if post.get(f"answer-{pk}") == "correct" else "",
                post.get(f"comment-{pk}", ""),
            )
            for pk in named | {s.pk for s in own}
        }
        try:
            actions.respond(confirmation=confirmation, answers=answers, now=timezone.now())
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect(reverse("minutes:confirm", args=[confirmation.token]) + "?saved=1")
    session = minutes.session
    context = {
        "confirmation": confirmation,
        "speaker": confirmation.speaker.name,  # addressed with 様, so the name alone
        "session": session,
        "platform": session.platform,
        "minutes": minutes,
        # (statement, the text in the box, the comment, correcting?): after an error, what
        # the speaker typed, never the original again.
        "rows": [
            (
                s,
                post.get(f"text-{s.pk}", s.text),
                post.get(f"comment-{s.pk}", ""),
                post.get(f"answer-{s.pk}") == "correct",
            )
            for s in own
        ],
        "errors": errors,
        "open": not minutes.locked
        and not (minutes.confirmation_deadline and timezone.now() > minutes.confirmation_deadline),
    }
    return render(request, "minutes/confirm.html", context, status=400 if errors else 200)


# The follow-up tracker


@require_http_methods(["GET", "POST"])
def follow_ups(request: HttpRequest, slug: str) -> HttpResponse:
    platform = get_platform_for_staff(request, slug, write=request.method == "POST")
    form = FollowUpForm(request.POST or None, platform=platform)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("フォローアップを登録しました。"))
        return redirect("minutes:follow_ups", slug=platform.slug)
    context = {
        "platform": platform,
        "items": platform.follow_ups.select_related("raised_at", "ministry"),
        "form": form,
        "can_edit": can_edit(request, platform),
    }
    return render(request, "minutes/follow_ups.html", context)


@require_http_methods(["GET", "POST"])
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_follow_up_for_staff(request, pk, write=True)
    platform = item.platform
    form = FollowUpForm(request.POST or None, instance=item, platform=platform)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("フォローアップを更新しました。"))
        return redirect("minutes:follow_ups", slug=platform.slug)
    context = {"platform": platform, "form": form, "item": item}
    return render(request, "minutes/follow_up_form.html", context)


@require_POST
def follow_up_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_follow_up_for_staff(request, pk, write=True)
    platform = item.platform
    item.delete()
    messages.success(request, _("フォローアップを削除しました。"))
    return redirect("minutes:follow_ups", slug=platform.slug)
