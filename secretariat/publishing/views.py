"""The staff's publishing page: the current revision, what would change, and history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from secretariat.access import can_edit, get_session_for_staff
from secretariat.minutes.actions import existing_minutes
from secretariat.publishing.actions import current_publication, publish
from secretariat.publishing.changes import pending_changes
from secretariat.publishing.forms import PublishForm
from secretariat.publishing.models import Publication


def _page(
    request: HttpRequest, pk: int, form: PublishForm | None = None, status: int = 200
) -> HttpResponse:
    session = get_session_for_staff(request, pk)
    current = current_publication(session)
    history = session.publications.select_related("published_by").prefetch_related("files")
    context = {
        "platform": session.platform,
        "session": session,
        "tab": "publishing",
        "current": current,
        "history": history,
        "changes": pending_changes(session, current),
        "minutes": existing_minutes(session),
        "form": form or PublishForm(initial={"based_on": current.number if current else 0}),
        "can_edit": can_edit(request.user, session.platform),
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
