"""Background jobs of the documents (django-q2): writing generated documents, and asking
presenters for their materials. They take ids and record their outcome in the database
(GeneratedFile.status, Presenter.requested_at / reminded_at), so a rerun does nothing twice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from documents.models import GeneratedFile
from secretariat.emails import build_email
from secretariat.meetings.models import Presenter

logger = logging.getLogger(__name__)


def generate_document(generated_id: int) -> str:
    with transaction.atomic():
        generated = GeneratedFile.objects.select_for_update().get(pk=generated_id)
        generated.status = GeneratedFile.Status.RUNNING
        generated.save(update_fields=["status"])
    try:
        data = generated.build_data()
        checksum = GeneratedFile.checksum(data)
        if generated.file and generated.input_checksum == checksum:
            outcome = "unchanged"  # same inputs, same document: keep the file
        else:
            content = generated.render(data)
            old = generated.file.name if generated.file else ""
            generated.file.save(generated.download_name, ContentFile(content), save=False)
            if old:
                generated.file.storage.delete(old)
            generated.input_checksum = checksum
            outcome = "rendered"
    except Exception as error:  # recorded for staff to see, then the job ends
        logger.exception("document %s failed", generated_id)
        generated.status = GeneratedFile.Status.FAILED
        generated.error = f"{type(error).__name__}: {error}"
        generated.save(update_fields=["status", "error"])
        return "failed"
    generated.status = GeneratedFile.Status.DONE
    generated.error = ""
    generated.finished_at = timezone.now()
    generated.save()
    return outcome


def _presenter_email(presenter: Presenter, template: str) -> None:
    session = presenter.agenda_item.session
    link = settings.SITE_URL + reverse("documents:upload", args=[presenter.token])
    build_email(
        to=presenter.recipient,
        template=template,
        context={
            "presenter": presenter,
            "session": session,
            "platform": session.platform,
            "item": presenter.agenda_item,
            "link": link,
        },
        reply_to=session.platform.secretariat_email,
    ).send()


def send_upload_requests(session_id: int) -> int:
    """Send each presenter not yet asked their request with the personal upload link."""
    sent = 0
    waiting = Presenter.objects.filter(
        agenda_item__session_id=session_id, requested_at__isnull=True, revoked_at__isnull=True
    ).values_list("pk", flat=True)
    for presenter_id in list(waiting):
        with transaction.atomic():
            presenter = (
                Presenter.objects.select_for_update(of=("self",))
                .select_related(
                    "agenda_item__session__platform", "organisation", "membership__person"
                )
                .get(pk=presenter_id)
            )
            if presenter.requested_at or not presenter.recipient:
                continue
            _presenter_email(presenter, "upload_request")
            presenter.requested_at = timezone.now()
            presenter.save(update_fields=["requested_at"])
            sent += 1
    return sent


def remind_late_presenters() -> int:
    """Hourly: presenters past their deadline with nothing uploaded are reminded once."""
    now = timezone.now()
    late = Presenter.objects.filter(
        upload_deadline__lt=now,
        requested_at__isnull=False,
        reminded_at__isnull=True,
        revoked_at__isnull=True,
        materials__isnull=True,
    ).values_list("pk", flat=True)
    reminded = 0
    for presenter_id in list(late):
        with transaction.atomic():
            presenter = (
                Presenter.objects.select_for_update(of=("self",))
                .select_related(
                    "agenda_item__session__platform", "organisation", "membership__person"
                )
                .get(pk=presenter_id)
            )
            if presenter.reminded_at or presenter.materials.exists():
                continue
            _presenter_email(presenter, "upload_reminder")
            presenter.reminded_at = now
            presenter.save(update_fields=["reminded_at"])
            reminded += 1
    return reminded
