"""Materials: the staff screens, generated documents, and the presenters' upload page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from documents.actions import (
    accept_presenter_upload,
    delete_material,
    renumber_materials,
    request_document,
)
from documents.forms import MaterialForm, PresenterUploadForm
from documents.models import GeneratedFile, Material
from secretariat.access import (
    get_generated_file_for_staff,
    get_material_for_staff,
    get_material_version_for_staff,
    get_platform_for_staff,
    get_session_for_staff,
)
from secretariat.downloads import open_stored
from secretariat.meetings.models import Invitation, Presenter
from secretariat.tokens import personal_link


@require_http_methods(["GET", "POST"])
def material_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    form = MaterialForm(request.POST or None, request.FILES or None, session=session)
    if request.method == "POST" and form.is_valid():
        if form.save().auto_label:
            renumber_materials(session=session)
        messages.success(request, _("資料を登録しました。"))
        return redirect("meetings:session", pk=session.pk)
    context = {"platform": session.platform, "session": session, "form": form}
    return render(request, "documents/material_form.html", context)


@require_http_methods(["GET", "POST"])
def material_edit(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_material_for_staff(request, pk, write=True)
    session = material.session
    form = MaterialForm(
        request.POST or None, request.FILES or None, instance=material, session=session
    )
    if request.method == "POST" and form.is_valid():
        if form.save().auto_label:
            renumber_materials(session=session)
        messages.success(request, _("資料を更新しました。"))
        return redirect("meetings:session", pk=session.pk)
    context = {"platform": session.platform, "session": session, "form": form, "material": material}
    return render(request, "documents/material_form.html", context)


@require_POST
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_material_for_staff(request, pk, write=True)
    session = material.session
    delete_material(material=material)
    messages.success(request, _("資料を削除しました。"))
    return redirect("meetings:session", pk=session.pk)


@require_safe
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    material = get_material_for_staff(request, pk)
    response = FileResponse(
        open_stored(material.file), as_attachment=True, filename=material.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def material_version_download(request: HttpRequest, pk: int, version: int) -> FileResponse:
    """An earlier file of a material (before a 差し替え), for the secretariat's records."""
    stored = get_material_version_for_staff(request, pk, version)
    response = FileResponse(
        open_stored(stored.file), as_attachment=True, filename=stored.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def renumber(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    renumber_materials(session=session)
    messages.success(request, _("資料番号を議事の順に振り直しました。"))
    return redirect("meetings:session", pk=session.pk)


# Generated documents


@require_POST
def generate(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    if kind not in GeneratedFile.Kind.values:
        raise Http404
    try:
        request_document(session=session, kind=kind, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(kind)sの作成を受け付けました。") % {"kind": GeneratedFile.Kind(kind).label},
        )
    return redirect("meetings:session", pk=session.pk)


@require_POST
def generate_platform_workbook(request: HttpRequest, slug: str) -> HttpResponse:
    platform = get_platform_for_staff(request, slug, write=True)
    request_document(platform=platform, kind=GeneratedFile.Kind.PLATFORM_WORKBOOK, by=request.user)
    messages.success(request, _("会議体の記録（Excel）の作成を受け付けました。"))
    return redirect("meetings:platform_sessions", slug=platform.slug)


@require_safe
def generated_download(request: HttpRequest, pk: int) -> FileResponse:
    generated = get_generated_file_for_staff(request, pk)
    if generated.status != GeneratedFile.Status.DONE or not generated.file:
        raise Http404
    response = FileResponse(
        open_stored(generated.file), as_attachment=True, filename=generated.download_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The presenter's personal upload link (no login)


@require_http_methods(["GET", "POST"])
@personal_link(Presenter)
def presenter_upload(request: HttpRequest, presenter: Presenter) -> HttpResponse:
    session = presenter.agenda_item.session
    form = PresenterUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                accept_presenter_upload(
                    presenter=presenter,
                    upload=form.cleaned_data["upload"],
                    title=form.cleaned_data["title"],
                    now=timezone.now(),
                )
            except ValidationError as error:
                form.add_error("upload" if error.code else None, error)
            else:
                return redirect(reverse("documents:upload", args=[presenter.token]) + "?saved=1")
        status = 400
    context = {
        "presenter": presenter,
        "session": session,
        "platform": session.platform,
        "item": presenter.agenda_item,
        "form": form,
        "uploads_open": presenter.uploads_open(timezone.now()),
        "uploaded": presenter.materials.order_by("pk"),
    }
    return render(request, "documents/presenter_upload.html", context, status=status)


@require_safe
@personal_link(Invitation)
def member_material_download(
    request: HttpRequest, invitation: Invitation, material_pk: int
) -> HttpResponse:
    """Members-only materials reach members through their personal link only: the link
    is signed, expiring and revocable, names the session whose materials it opens, and
    stops working when the membership ends or the session is cancelled."""
    material = get_object_or_404(
        Material.objects.for_members().filter(session=invitation.session), pk=material_pk
    )
    return material.download_response(cache_control="private, no-store")
