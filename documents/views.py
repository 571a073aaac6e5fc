"""Staff screens for a session's materials."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from documents.actions import delete_material
from documents.forms import MaterialForm
from secretariat.access import get_material_for_staff, get_session_for_staff


@require_http_methods(["GET", "POST"])
def material_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=True)
    form = MaterialForm(request.POST or None, request.FILES or None, session=session)
    if request.method == "POST" and form.is_valid():
        form.save()
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
        form.save()
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
        material.file.open("rb"), as_attachment=True, filename=material.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return response
