"""Staff screens for a site visit (現地視察): its days and stops, and each stop's report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from secretariat.access import get_photo_for_staff, get_session_for_staff, get_stop_for_staff
from secretariat.downloads import open_stored
from secretariat.meetings.forms import (
    PhotoForm,
    SiteVisitDayFormSet,
    SiteVisitForm,
    SiteVisitStopFormSet,
    StopReportForm,
)
from secretariat.meetings.models import SiteVisit, SiteVisitPhoto


@require_http_methods(["GET", "POST"])
def site_visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=request.method == "POST")
    if not session.is_site_visit:
        messages.error(request, _("種類が「現地視察」の会議ではありません。"))
        return redirect("meetings:session", pk=session.pk)
    visit, _created = SiteVisit.objects.get_or_create(session=session)
    data = request.POST or None
    form = SiteVisitForm(data, instance=visit)
    days = SiteVisitDayFormSet(data, instance=visit, prefix="days")
    stops = SiteVisitStopFormSet(data, instance=visit, prefix="stops")
    if request.method == "POST" and form.is_valid() and days.is_valid() and stops.is_valid():
        with transaction.atomic():
            form.save()
            days.save()
            stops.save()
            first = visit.days.order_by("date").first()
            if first and session.date != first.date:
                session.date = first.date
                session.save(update_fields=["date", "updated_at"])
        messages.success(request, _("現地視察を保存しました。"))
        return redirect("meetings:site_visit", pk=session.pk)
    context = {
        "platform": session.platform,
        "session": session,
        "visit": visit,
        "form": form,
        "days": days,
        "stops": stops,
        "saved_stops": visit.stops.select_related("day").prefetch_related("photos"),
    }
    return render(request, "meetings/site_visit.html", context)


@require_http_methods(["GET", "POST"])
def stop_report(request: HttpRequest, pk: int) -> HttpResponse:
    stop = get_stop_for_staff(request, pk, write=request.method == "POST")
    session = stop.site_visit.session
    form = StopReportForm(request.POST or None, instance=stop, prefix="report")
    photo_form = PhotoForm(prefix="photo")
    if request.method == "POST" and "photo-image" in request.FILES:
        photo_form = PhotoForm(request.POST, request.FILES, prefix="photo")
        if photo_form.is_valid():
            photo = SiteVisitPhoto(
                stop=stop,
                caption=photo_form.cleaned_data["caption"],
                order=stop.photos.count() + 1,
            )
            try:
                photo.attach(photo_form.cleaned_data["image"])
            except ValidationError as error:
                photo_form.add_error("image", error)
            else:
                photo.save()
                messages.success(request, _("写真を追加しました。"))
                return redirect("meetings:stop_report", pk=stop.pk)
        form = StopReportForm(instance=stop, prefix="report")
    elif request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("視察先の報告を保存しました。"))
        return redirect("meetings:stop_report", pk=stop.pk)
    context = {
        "platform": session.platform,
        "session": session,
        "stop": stop,
        "form": form,
        "photo_form": photo_form,
        "photos": stop.photos.all(),
    }
    return render(request, "meetings/stop_report.html", context)


@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_photo_for_staff(request, pk, write=True)
    stop_id = photo.stop_id
    name, storage = photo.image.name, photo.image.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
    messages.success(request, _("写真を削除しました。"))
    return redirect("meetings:stop_report", pk=stop_id)


@require_safe
def photo_image(request: HttpRequest, pk: int) -> FileResponse:
    """A photo for staff screens (never public)."""
    photo = get_photo_for_staff(request, pk)
    kind = "image/jpeg" if photo.extension == "jpg" else "image/png"
    response = FileResponse(open_stored(photo.image), content_type=kind)
    response["Cache-Control"] = "private, no-store"
    return response
