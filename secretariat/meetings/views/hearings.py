"""Staff screens for a session's hearings: the timetable and who presents, with their
personal upload links."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_q.tasks import async_task

from secretariat.access import can_edit, get_presenter_for_staff, get_session_for_staff
from secretariat.meetings.forms import PresenterForm
from secretariat.meetings.models import Presenter, Session


@require_http_methods(["GET", "POST"])
def presenters(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_staff(request, pk, write=request.method == "POST")
    form = PresenterForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("説明者を登録しました。"))
        return redirect("meetings:presenters", pk=session.pk)
    rows = session.timetable()
    now = timezone.now()
    items = session.agenda_items.prefetch_related(
        "presenters__organisation", "presenters__membership__person", "presenters__materials"
    )
    context = {
        "platform": session.platform,
        "session": session,
        "rows": rows,
        "overrun": session.overrun_minutes(rows),
        "items": items,
        "now": now,
        "form": form,
        "can_edit": can_edit(request, session.platform),
    }
    return render(request, "meetings/presenters.html", context)


@require_POST
def presenter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    presenter = get_presenter_for_staff(request, pk, write=True)
    session_id = presenter.agenda_item.session_id
    if presenter.materials.exists():
        messages.error(
            request, _("提出された資料がある説明者は削除できません。先に資料を整理してください。")
        )
    else:
        presenter.delete()
        messages.success(request, _("説明者を削除しました。"))
    return redirect("meetings:presenters", pk=session_id)


@require_POST
def presenter_link(request: HttpRequest, pk: int) -> HttpResponse:
    presenter = get_presenter_for_staff(request, pk, write=True)
    if presenter.revoked_at:
        presenter.reissue()
        # The new link goes out with the next requests.
        presenter.requested_at = None
        presenter.save(update_fields=["requested_at"])
        messages.success(
            request, _("提出用リンクを新しく発行しました。依頼を送ると新しいリンクが届きます。")
        )
    else:
        presenter.revoke(timezone.now())
        messages.success(request, _("提出用リンクを無効にしました。"))
    return redirect("meetings:presenters", pk=presenter.agenda_item.session_id)


@require_POST
def send_upload_requests(request: HttpRequest, pk: int) -> HttpResponse:
    session: Session = get_session_for_staff(request, pk, write=True)
    waiting = Presenter.objects.filter(
        agenda_item__session=session, requested_at__isnull=True, revoked_at__isnull=True
    ).select_related("membership__person", "organisation")
    without_email = [p.display_name for p in waiting if not p.recipient]
    count = sum(1 for p in waiting if p.recipient)
    transaction.on_commit(partial(async_task, "documents.tasks.send_upload_requests", session.pk))
    messages.success(request, _("%(count)d件の資料提出依頼を送ります。") % {"count": count})
    if without_email:
        messages.warning(
            request,
            _("メールアドレスがないため送れませんでした: %(names)s")
            % {"names": "、".join(without_email)},
        )
    return redirect("meetings:presenters", pk=session.pk)
