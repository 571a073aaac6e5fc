"""The staff's publishing page: the current revision, what would change, and history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from secretariat.access import (
    can_edit,
    check_site_editor,
    get_published_file_for_staff,
    get_session_for_staff,
    get_site_export_for_staff,
)
from secretariat.downloads import open_stored
from secretariat.minutes.actions import existing_minutes
from secretariat.publishing.actions import (
    current_publication,
    publish,
    request_site_export,
    take_down,
)
from secretariat.publishing.changes import pending_changes
from secretariat.publishing.forms import PublishForm, TakedownForm
from secretariat.publishing.models import Publication, PublishedFile, SiteExport


def _page(
    request: HttpRequest,
    pk: int,
    form: PublishForm | None = None,
    status: int = 200,
    takedown: tuple[int, TakedownForm] | None = None,
) -> HttpResponse:
    session = get_session_for_staff(request, pk)
    current = current_publication(session)
    history = session.publications.select_related("published_by").prefetch_related("files")
    takedowns = (
        PublishedFile.objects.filter(publication__session=session, taken_down_at__isnull=False)
        .exclude(kind=PublishedFile.Kind.PART)
        .select_related("publication", "taken_down_by")
        .order_by("-taken_down_at", "-pk")
    )
    context = {
        "platform": session.platform,
        "session": session,
        "tab": "publishing",
        "current": current,
        "history": history,
        "changes": pending_changes(session, current),
        "minutes": existing_minutes(session),
        "form": form or PublishForm(initial={"based_on": current.number if current else 0}),
        "can_edit": can_edit(request, session.platform),
        "takedowns": takedowns,
        "takedown_pk": takedown[0] if takedown else None,
        "takedown_form": takedown[1] if takedown else TakedownForm(),
    }
    return render(request, "publishing/session.html", context, status=status)


@require_safe
def session_publishing(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


@require_POST
def publish_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            publication = publish(
                session=session,
                kind=form.cleaned_data["kind"],
                by=request.user,
                now=timezone.now(),
                based_on=form.cleaned_data["based_on"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if publication.kind == Publication.Kind.WITHDRAWN:
                messages.success(request, _("公開を取り下げました。"))
            else:
                messages.success(
                    request,
                    _("第%(n)d版として公開しました。一括ダウンロード用のZIPを作成しています。")
                    % {"n": publication.number},
                )
            return redirect("publishing:session", pk=session.pk)
    return _page(request, pk, form, status=400)


@require_POST
def take_down_file(request: HttpRequest, pk: int) -> HttpResponse:
    """公開停止 of one published file, at once, with the reason (editors only)."""
    published = get_published_file_for_staff(request, pk, write=True)
    session_pk = published.publication.session_id
    form = TakedownForm(request.POST)
    if form.is_valid():
        try:
            take_down(
                published_file=published,
                reason=form.cleaned_data["reason"],
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _(
                    "「%(title)s」の公開を停止しました。公開ページ、一括ダウンロード、"
                    "新着情報から外れ、次の書き出しで静的サイトからも消えます。"
                )
                % {"title": published.display_title},
            )
            return redirect("publishing:session", pk=session_pk)
    return _page(request, session_pk, status=400, takedown=(published.pk, form))


@require_safe
def site_export(request: HttpRequest) -> HttpResponse:
    check_site_editor(request)
    context = {
        "latest": SiteExport.objects.select_related("requested_by").first(),
        "folder": settings.PUBLIC_EXPORT_DIR,
        "site_url": settings.PUBLIC_SITE_URL,
    }
    return render(request, "publishing/site_export.html", context)


@require_POST
def start_site_export(request: HttpRequest) -> HttpResponse:
    check_site_editor(request)
    try:
        request_site_export(by=request.user, now=timezone.now())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("書き出しを始めました。終わるとここからダウンロードできます。"))
    return redirect("publishing:site_export")


@require_safe
def site_export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_site_export_for_staff(request, pk)
    response = FileResponse(
        open_stored(export.archive), as_attachment=True, filename="public-site.zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response
