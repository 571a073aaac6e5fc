"""The public site: no login, and only what `public()` querysets and the sessions'
public pages (secretariat.publishing.pages) return."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from documents.models import DeliverableFile
from exports.ics import render_feed
from secretariat import throttle
from secretariat.council.models import Platform
from secretariat.downloads import open_stored
from secretariat.meetings.actions import (
    confirm_gallery_registration,
    gallery_open,
    register_for_gallery,
)
from secretariat.meetings.models import GalleryRegistration, Session
from secretariat.public.forms import GalleryForm
from secretariat.publishing.feeds import platform_updated, publication_feed
from secretariat.publishing.models import Publication, PublishedFile
from secretariat.publishing.pages import (
    PublicSession,
    find_public_session,
    get_public_session,
    public_sessions,
    published_page,
)
from secretariat.templatetags.japanese import wareki
from secretariat.tokens import FORGED, personal_link


def _static(request: HttpRequest) -> bool:
    return getattr(request, "static_export", False)


def absolute_url(request: HttpRequest, path: str) -> str:
    """A full URL for feeds: the live site's, or the base URL the static export is for."""
    if _static(request):
        return str(request.static_base_url).rstrip("/") + path  # type: ignore[attr-defined]
    return request.build_absolute_uri(path)


def _public_platform(slug: str) -> Platform:
    return get_object_or_404(Platform.objects.public(), slug=slug)


def _download(stored: PublishedFile | DeliverableFile) -> FileResponse:
    # Cached copies are checked again: a republication can change or withdraw the file
    # behind the same URL.
    return stored.download_response(cache_control="no-cache")


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
        "sessions": public_sessions(platform)[:3],
        "deliverables": deliverables,
        "projects": projects,
    }
    return render(request, "public/platform_detail.html", context)


@login_not_required
@require_safe
def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    platform = _public_platform(slug)
    context = {"platform": platform, "sessions": public_sessions(platform)}
    return render(request, "public/session_list.html", context)


def _gallery_session(platform: Platform, pk: int) -> Session:
    """The live session behind the gallery (傍聴) form: registering takes a seat now, so
    the form shows and enforces the live capacity and deadline. Everything else on the
    page comes from `get_public_session()`."""
    return get_object_or_404(Session.objects.public().filter(platform=platform), pk=pk)


def _published_files(session: PublicSession) -> list[PublishedFile]:
    return list(
        PublishedFile.objects.public(timezone.localdate()).filter(publication__session=session.pk)
    )


def _corrections(publication: Publication | None) -> list[str]:
    """「資料3を差し替えました（令和7年10月1日）」 for each correction published so far."""
    if publication is None or not publication.is_public:
        return []
    earlier = Publication.objects.filter(
        session=publication.session_id, number__lte=publication.number
    ).exclude(kind=Publication.Kind.WITHDRAWN)
    # A material taken down (公開停止) is no longer named.
    hidden = PublishedFile.objects.taken_down_labels({publication.session_id})
    gone = hidden.get(publication.session_id, frozenset())
    lines = []
    for row in earlier.order_by("number"):
        labels = [label for label in row.replaced_labels if label not in gone]
        if labels:
            lines.append(
                _("%(labels)sを差し替えました（%(date)s）")
                % {"labels": "、".join(labels), "date": wareki(row.published_at)}
            )
    return lines


def _session_page(
    request: HttpRequest,
    platform: Platform,
    session: PublicSession,
    gallery: Session,
    form: GalleryForm | None = None,
    status: int = 400,
) -> HttpResponse:
    files = _published_files(session)
    parts: dict[int | None, list[PublishedFile]] = {}
    for row in files:
        if row.kind == PublishedFile.Kind.PART:
            parts.setdefault(row.material_id, []).append(row)
    materials = [row for row in files if row.kind == PublishedFile.Kind.MATERIAL]
    for row in materials:
        row.split_parts = parts.get(row.material_id, [])
    # A site visit links to the (public) session where it was reported.
    reported_in = (
        find_public_session(platform, session.reported_in) if session.reported_in else None
    )
    context = {
        "platform": platform,
        "session": session,
        "materials": materials,
        "minutes": next((row for row in files if row.kind == PublishedFile.Kind.MINUTES), None),
        "publication": session.publication,
        "corrections": _corrections(session.publication),
        "static_export": _static(request),
        "reported_in": reported_in,
        "gallery": gallery,
        "gallery_open": gallery_open(gallery, timezone.now()),
        "gallery_full": gallery.gallery_registrations.confirmed().count()
        >= (gallery.gallery_capacity or 0),
        "gallery_form": form or GalleryForm(),
    }
    return render(request, "public/session_detail.html", context, status=status if form else 200)


@login_not_required
@require_safe
def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    platform = _public_platform(slug)
    session = get_public_session(platform, pk)
    return _session_page(request, platform, session, _gallery_session(platform, pk))


@login_not_required
@require_POST
def gallery_register(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask for a gallery seat (傍聴): one answer for a new and an already registered
    address, which the email then tells apart; a full or closed gallery says so."""
    platform = _public_platform(slug)
    public = get_public_session(platform, pk)
    session = _gallery_session(platform, pk)
    form = GalleryForm(request.POST)
    if form.is_valid():
        if not throttle.gallery_submission_allowed(request, session.pk):
            form.add_error(
                None,
                _(
                    "お申込みが集中しているため、受け付けられませんでした。"
                    "しばらくたってから、もう一度お申し込みください。"
                ),
            )
            return _session_page(request, platform, public, session, form, status=429)
        try:
            register_for_gallery(
                session=session,
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                email=form.cleaned_data["email"],
                now=timezone.now(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _(
                    "お申込みを受け付けました。ご入力のメールアドレスに確認のメールを"
                    "お送りしますので、%(hours)s時間以内にメールのリンクを開いて"
                    "申込みを確定してください。確定するまで席は確保されません。"
                )
                % {"hours": GalleryRegistration.CONFIRMATION_HOURS},
            )
            return redirect("public:session", slug=platform.slug, pk=session.pk)
    return _session_page(request, platform, public, session, form)


@require_http_methods(["GET", "HEAD", "POST"])
@personal_link(GalleryRegistration)
def gallery_confirm(
    request: HttpRequest, registration: GalleryRegistration, slug: str, pk: int
) -> HttpResponse:
    """The link in the gallery email. Opening it shows a button; only the button (a
    POST) takes the seat, so that mail scanners that open links confirm nothing."""
    platform = _public_platform(slug)
    session = _gallery_session(platform, pk)
    if registration.session_id != session.pk:
        return render(
            request,
            "public/gallery_confirm.html",
            {"platform": platform, "session": session, "error": str(FORGED)},
            status=403,
        )
    error = ""
    if request.method == "POST":
        try:
            registration = confirm_gallery_registration(
                registration=registration, now=timezone.now()
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
    context = {
        "platform": platform,
        "session": session,
        "registration": registration,
        "expired": timezone.now() > registration.confirmation_expires_at,
        "error": error,
    }
    return render(request, "public/gallery_confirm.html", context, status=400 if error else 200)


@login_not_required
@require_safe
def platform_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The platform's public calendar: announced and published sessions, no people,
    each as the public sees it (see secretariat.publishing.pages)."""
    platform = _public_platform(slug)
    events = [
        session.to_calendar_event(
            description=session.topics,
            url=absolute_url(request, reverse("public:session", args=[platform.slug, session.pk])),
        )
        for session in public_sessions(platform)
        if session.date is not None
    ]
    # The static export stamps with the data's own time, so that re-exporting is stable.
    stamp = platform_updated(platform) if _static(request) else timezone.now()
    data = render_feed(events, name=platform.name, stamp=stamp)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


def _published_file(slug: str, pk: int, **lookup: object) -> PublishedFile:
    return get_object_or_404(
        PublishedFile.objects.public(timezone.localdate()).filter(
            publication__session__platform__slug=slug, publication__session_id=pk
        ),
        **lookup,
    )


@login_not_required
@require_safe
def material_download(request: HttpRequest, slug: str, pk: int, material_pk: int) -> FileResponse:
    """A material as last published; the URL stays when the file is replaced."""
    return _download(
        _published_file(slug, pk, kind=PublishedFile.Kind.MATERIAL, material_id=material_pk)
    )


@login_not_required
@require_safe
def material_part_download(
    request: HttpRequest, slug: str, pk: int, material_pk: int, part: int
) -> FileResponse:
    return _download(
        _published_file(slug, pk, kind=PublishedFile.Kind.PART, material_id=material_pk, part=part)
    )


@login_not_required
@require_safe
def minutes_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    return _download(_published_file(slug, pk, kind=PublishedFile.Kind.MINUTES))


@login_not_required
@require_safe
def bundle_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The current publication's ZIP; an older bundle is never served."""
    publication = get_object_or_404(
        Publication.objects.filter(
            session__in=Session.objects.public(),
            session__platform__slug=slug,
            session_id=pk,
            is_current=True,
            bundle_status=Publication.BundleStatus.READY,
        ).exclude(kind=Publication.Kind.WITHDRAWN)
    )
    session = published_page(publication)
    name = f"{session.title}{session.platform.short_name}_資料一式.zip"
    response = FileResponse(open_stored(publication.bundle), as_attachment=True, filename=name)
    # As for single files (see _download).
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_safe
def platform_feed(request: HttpRequest, slug: str) -> HttpResponse:
    platform = _public_platform(slug)
    data = publication_feed(platform, partial(absolute_url, request), platform_updated(platform))
    return HttpResponse(data, content_type="application/atom+xml; charset=utf-8")


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
