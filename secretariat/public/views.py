"""The public site: no login, and only what `public()` querysets return."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from documents.models import DeliverableFile, Material
from secretariat.council.models import Platform
from secretariat.meetings.models import Session


def _public_platform(slug: str) -> Platform:
    return get_object_or_404(Platform.objects.public(), slug=slug)


def _public_sessions(platform: Platform) -> list[Session]:
    return list(
        Session.objects.public()
        .filter(platform=platform)
        .select_related("platform", "site_visit")
        .prefetch_related("site_visit__days")
        .newest_first()
    )


def _download(stored: Material | DeliverableFile) -> FileResponse:
    # PDFs and images open in the browser; Office files download. Both keep the
    # Japanese file name through RFC 6266 filename*.
    inline = stored.extension in ("pdf", "jpg", "png", "gif")
    response = FileResponse(
        stored.file.open("rb"), as_attachment=not inline, filename=stored.original_name
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    platforms = Platform.objects.public()
    return render(request, "public/index.html", {"platforms": platforms})


@login_not_required
@require_safe
def platform_detail(request: HttpRequest, slug: str) -> HttpResponse:
    platform = _public_platform(slug)
    today = timezone.localdate()
    deliverables = platform.deliverables.filter(is_public=True).prefetch_related("files")
    projects = platform.projects.select_related("municipality", "company")
    context = {
        "platform": platform,
        "roster": platform.to_roster(today),
        "sessions": _public_sessions(platform)[:3],
        "deliverables": deliverables,
        "projects": projects,
    }
    return render(request, "public/platform_detail.html", context)


@login_not_required
@require_safe
def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    platform = _public_platform(slug)
    context = {"platform": platform, "sessions": _public_sessions(platform)}
    return render(request, "public/session_list.html", context)


@login_not_required
@require_safe
def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    platform = _public_platform(slug)
    session = get_object_or_404(
        Session.objects.public()
        .filter(platform=platform)
        .select_related("platform", "site_visit")
        .prefetch_related(
            "agenda_items",
            "site_visit__days",
            "site_visit__stops",
        ),
        pk=pk,
    )
    materials = Material.objects.public(timezone.localdate()).filter(session=session)
    # A site visit links to the (published) session where it was reported.
    reported_in = (
        Session.objects.public().filter(agenda_items__site_visit_reports__session=session).first()
        if session.is_site_visit
        else None
    )
    context = {
        "platform": platform,
        "session": session,
        "materials": materials,
        "reported_in": reported_in,
    }
    return render(request, "public/session_detail.html", context)


@login_not_required
@require_safe
def material_download(request: HttpRequest, slug: str, pk: int, material_pk: int) -> FileResponse:
    material = get_object_or_404(
        Material.objects.public(timezone.localdate()).filter(
            session__platform__slug=slug, session_id=pk
        ),
        pk=material_pk,
    )
    return _download(material)


@login_not_required
@require_safe
def deliverable_download(request: HttpRequest, slug: str, file_pk: int) -> FileResponse:
    stored = get_object_or_404(
        DeliverableFile.objects.filter(
            deliverable__is_public=True,
            deliverable__platform__in=Platform.objects.public(),
            deliverable__platform__slug=slug,
        ),
        pk=file_pk,
    )
    return _download(stored)
