"""Staff screens for sessions: the dashboard, a session's page, its form and its agenda."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from documents.models import GeneratedFile
from secretariat.access import (
    can_edit,
    get_platform_for_staff,
    get_session_for_staff,
    staff_platforms,
)
from secretariat.meetings.actions import save_session
from secretariat.meetings.forms import AgendaFormSet, SessionForm
from secretariat.meetings.models import Session
from secretariat.minutes.data import minutes_deadlines


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    platforms = staff_platforms(request)
    upcoming = (
        Session.objects.filter(platform__in=platforms)
        .upcoming(timezone.localdate())
        .select_related("platform", "site_visit")
        .prefetch_related("site_visit__days")
        .order_by(F("date").asc(nulls_last=True), "start_time", "pk")
    )
    context = {
        "platforms": platforms,
        "upcoming": upcoming,
        "deadlines": minutes_deadlines(platforms, timezone.localdate()),
    }
    return render(request, "meetings/dashboard.html", context)


@require_safe
def platform_sessions(request: HttpRequest, slug: str) -> HttpResponse:
    platform = get_platform_for_staff(request, slug)
    sessions = (
        platform.sessions.select_related("platform", "site_visit")
        .prefetch_related("site_visit__days")
        .newest_first()
    )
    workbook = platform.generated_files.filter(
        session__isnull=True, kind=GeneratedFile.Kind.PLATFORM_WORKBOOK
    ).first()
    context = {
        "platform": platform,
        "sessions": sessions,
        "workbook": workbook,
        "can_edit": can_edit(request, platform),
    }
    return render(request, "meetings/platform_sessions.html", context)


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, slug: str) -> HttpResponse:
    platform = get_platform_for_staff(request, slug, write=True)
    session = Session(platform=platform)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        save_session(session=form.instance)
        messages.success(request, _("会議を登録しました。"))
        return redirect("meetings:session", pk=session.pk)
    return render(request, "meetings/session_form.html", {"platform": platform, "form": form})


@require_safe
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk)
    context = {
        "platform": session.platform,
        "session": session,
        "agenda_items": session.agenda_items.all(),
        "materials": session.materials.select_related("agenda_item", "presenter"),
        "documents": _documents(session),
        "can_edit": can_edit(request, session.platform),
    }
    return render(request, "meetings/session_detail.html", context)


def _documents(session: Session) -> list[dict[str, object]]:
    """The session's Word documents: each kind with its file, status and staleness."""
    if session.is_site_visit:
        kinds = [GeneratedFile.Kind.SITE_VISIT_REPORT]
    elif session.date:
        kinds = [GeneratedFile.Kind.AGENDA, GeneratedFile.Kind.SEATING, GeneratedFile.Kind.ROSTER]
        if hasattr(session, "minutes"):
            kinds += [
                GeneratedFile.Kind.SUMMARY_MINUTES,
                GeneratedFile.Kind.VERBATIM_MINUTES,
                GeneratedFile.Kind.SESSION_WORKBOOK,
            ]
    else:
        return []
    made = {g.kind: g for g in session.generated_files.all()}
    rows = []
    for kind in kinds:
        generated = made.get(kind)
        stale = bool(
            generated and generated.status == GeneratedFile.Status.DONE and generated.is_stale()
        )
        rows.append({"kind": kind, "label": kind.label, "file": generated, "stale": stale})
    return rows


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        save_session(session=form.instance)
        messages.success(request, _("会議を更新しました。"))
        return redirect("meetings:session", pk=session.pk)
    if form.is_bound:
        # The invalid form wrote the typed values onto the instance; the title and the
        # breadcrumbs show the session as saved (the form keeps what was typed).
        session.refresh_from_db()
    context = {"platform": session.platform, "session": session, "form": form}
    return render(request, "meetings/session_form.html", context)


@require_http_methods(["GET", "POST"])
def agenda_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    formset = AgendaFormSet(request.POST or None, instance=session)
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("議事を保存しました。"))
        return redirect("meetings:session", pk=session.pk)
    context = {"platform": session.platform, "session": session, "formset": formset}
    return render(request, "meetings/agenda_form.html", context)
