"""Publishing a session: a numbered revision, taken in one transaction, then its bundle."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from documents.actions import delete_unused_files
from documents.models import GeneratedFile, Material, StoredFile
from secretariat.meetings.models import Session
from secretariat.minutes.data import minutes_doc
from secretariat.minutes.models import Minutes
from secretariat.publishing.models import Publication, PublishedFile, SiteExport
from secretariat.publishing.pages import page_of

MATERIAL, PART = PublishedFile.Kind.MATERIAL, PublishedFile.Kind.PART
PUBLISHABLE_STATUSES = (Session.Status.SCHEDULED, Session.Status.HELD, Session.Status.PUBLISHED)


def current_publication(session: Session) -> Publication | None:
    return session.publications.filter(is_current=True).first()


def publish(
    *,
    session: Session,
    kind: str,
    by: AbstractBaseUser,
    now: datetime,
    based_on: int | None = None,
) -> Publication:
    """Publish (or withdraw) a session as a new numbered revision.

    `based_on` is the revision number the user saw: if someone published in between, the
    request is refused rather than stacking a second revision the user never looked at.
    Full publication needs the chair-approved minutes; materials alone need saying so.
    """
    minutes_file = _minutes_file(session) if kind == Publication.Kind.FULL else None
    committed = False
    try:
        with transaction.atomic():
            # The row lock serialises two staff publishing the same session (PostgreSQL);
            # SQLite's IMMEDIATE transactions serialise every writer anyway.
            session = Session.objects.select_for_update().get(pk=session.pk)
            previous = current_publication(session)
            latest = session.publications.order_by("-number").values_list("number", flat=True)
            number = (latest.first() or 0) + 1
            if based_on is not None and based_on != number - 1:
                raise ValidationError(
                    _(
                        "他の担当者がこの会議を公開し直しました（第%(n)d版）。"
                        "内容を確かめてから、もう一度操作してください。"
                    )
                    % {"n": number - 1}
                )
            _check(session, kind, previous, minutes_file)
            if previous is not None:
                previous.is_current = False
                previous.save(update_fields=["is_current"])
                _drop_bundle(previous)
                names = list(previous.files.values_list("file", flat=True))
                transaction.on_commit(partial(delete_unused_files, names))
            publication = Publication.objects.create(
                session=session,
                number=number,
                kind=kind,
                published_at=now,
                published_by=by,
                minutes_revision=minutes_file[0] if minutes_file else None,
                # A withdrawal keeps the notice the public last saw (its files go):
                # no edit since that publication reaches the public through it.
                page=previous.page
                if kind == Publication.Kind.WITHDRAWN and previous is not None
                else page_of(session),
                bundle_status=(
                    Publication.BundleStatus.NONE
                    if kind == Publication.Kind.WITHDRAWN
                    else Publication.BundleStatus.QUEUED
                ),
            )
            if kind != Publication.Kind.WITHDRAWN:
                _snapshot(publication, session, minutes_file)
                publication.replaced_labels = _replaced_labels(publication)
                publication.save(update_fields=["replaced_labels"])
                transaction.on_commit(
                    partial(async_task, "secretariat.publishing.tasks.build_bundle", publication.pk)
                )
            session.status = _status_after(kind, session, now)
            session.save(update_fields=["status", "updated_at"])
            # Set last inside the block: what is raised after this comes from the
            # on-commit callbacks, when the publication and its minutes are already live.
            committed = True
    except BaseException:
        if minutes_file and not committed:
            stored = minutes_file[1].file
            stored.storage.delete(stored.name)
        raise
    return publication


def take_down(
    *, published_file: PublishedFile, reason: str, by: AbstractBaseUser, now: datetime
) -> PublishedFile:
    """公開停止: take one file (a material with its split parts, or the minutes) out of
    the current publication at once, recorded on its rows with who, when and why.

    The public page, downloads, the feed and the static export read only files not
    taken down (`PublishedFile.objects.public()`); the bundle is dropped and rebuilt
    without it. The same file is not published again by a later revision: the material
    must be replaced (a new version) or the minutes revised first. This is a record on
    the revision rather than a new revision because it is an emergency on one file,
    not a considered publication of the session: it keeps the revision the public sees,
    adds no feed entry drawing attention to the file, and must hold across revisions.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("公開停止の理由を入力してください。"))
    if published_file.kind == PublishedFile.Kind.PART:
        raise ValidationError(_("分割版は、元の資料ごと公開停止してください。"))
    with transaction.atomic():
        # As publish(): the session's row serialises this with a publication.
        Session.objects.select_for_update().get(pk=published_file.publication.session_id)
        publication = Publication.objects.get(pk=published_file.publication_id)
        row = PublishedFile.objects.get(pk=published_file.pk)
        if not publication.is_public:
            raise ValidationError(
                _("このファイルは公開中の版にありません。画面を開き直してください。")
            )
        if row.taken_down_at is not None:
            raise ValidationError(_("このファイルはすでに公開停止しています。"))
        rows = publication.files.filter(pk=row.pk)
        if row.kind == PublishedFile.Kind.MATERIAL:
            rows = publication.files.filter(
                material_id=row.material_id,
                kind__in=[PublishedFile.Kind.MATERIAL, PublishedFile.Kind.PART],
            )
        rows.update(taken_down_at=now, taken_down_by=by, takedown_reason=reason)
        _drop_bundle(publication)
        publication.bundle_status = Publication.BundleStatus.QUEUED
        publication.save(update_fields=["bundle_status"])
        transaction.on_commit(
            partial(async_task, "secretariat.publishing.tasks.build_bundle", publication.pk)
        )
    row.refresh_from_db()
    return row


def taken_down_versions(session: Session) -> set[tuple[int | None, int]]:
    """(material id, version) of every material file taken down from the session."""
    return set(
        PublishedFile.objects.filter(
            publication__session=session,
            kind=PublishedFile.Kind.MATERIAL,
            taken_down_at__isnull=False,
        ).values_list("material_id", "version")
    )


def _status_after(kind: str, session: Session, now: datetime) -> str:
    if kind != Publication.Kind.WITHDRAWN:
        return Session.Status.PUBLISHED
    held = session.date is not None and session.date <= timezone.localdate(now)
    return Session.Status.HELD if held else Session.Status.SCHEDULED


def _drop_bundle(publication: Publication) -> None:
    """Only the current publication's bundle is ever served: an earlier one, which may
    hold a material since withdrawn, leaves storage once the new revision is committed."""
    if publication.bundle:
        name = publication.bundle.name
        transaction.on_commit(partial(publication.bundle.storage.delete, name))
    publication.bundle = ""
    publication.bundle_size = None
    publication.bundle_status = Publication.BundleStatus.NONE
    publication.save(update_fields=["bundle", "bundle_size", "bundle_status"])


def _check(
    session: Session,
    kind: str,
    previous: Publication | None,
    minutes_file: tuple[int, PublishedFile] | None,
) -> None:
    if kind not in Publication.Kind.values:
        raise ValidationError(_("公開の種類を選んでください。"))
    if kind == Publication.Kind.WITHDRAWN:
        if previous is None or not previous.is_public:
            raise ValidationError(_("この会議は公開されていません。"))
        return
    if session.status not in PUBLISHABLE_STATUSES or not session.platform.is_public:
        raise ValidationError(_("開催が決まっていない会議や非公開の会議体の会議は公開できません。"))
    if kind == Publication.Kind.FULL:
        minutes = Minutes.objects.filter(session=session).first()
        if minutes is None or minutes.status != Minutes.Status.APPROVED:
            raise ValidationError(
                _(
                    "議事要旨の座長了解が済んでいません。資料だけを先に公開する場合は"
                    "「資料のみ公開」を選んでください。"
                )
            )
        assert minutes_file is not None
        if minutes.revision != minutes_file[0]:
            raise ValidationError(_("議事録が更新されました。もう一度操作してください。"))
        stopped = PublishedFile.objects.filter(
            publication__session=session,
            publication__minutes_revision=minutes.revision,
            kind=PublishedFile.Kind.MINUTES,
            taken_down_at__isnull=False,
        )
        if stopped.exists():
            raise ValidationError(
                _(
                    "この議事要旨は公開停止しています。議事録を直して座長の了解を得てから"
                    "公開するか、「資料のみ公開」を選んでください。"
                )
            )
    elif not session.is_site_visit and not any(m.is_publishable for m in session.materials.all()):
        raise ValidationError(
            _("公開できる資料がありません（公開区分が「公開」の資料がありません）。")
        )


def _minutes_file(session: Session) -> tuple[int, PublishedFile] | None:
    """The approved 議事要旨 as Word, written to storage before the transaction (rendering
    takes a moment); the transaction checks it is still the approved revision."""
    minutes = Minutes.objects.filter(session=session).first()
    if minutes is None or minutes.status != Minutes.Status.APPROVED:
        return None
    document = GeneratedFile(
        platform=session.platform, session=session, kind=GeneratedFile.Kind.SUMMARY_MINUTES
    )
    content = document.render(minutes_doc(session, verbatim=False, public=True))
    stored = PublishedFile(
        kind=PublishedFile.Kind.MINUTES,
        title=_("議事要旨"),
        original_name=document.download_name,
        extension="docx",
        size_bytes=len(content),
        order=10_000,
    )
    stored.file.save("minutes.docx", ContentFile(content), save=False)
    return minutes.revision, stored


def _snapshot(
    publication: Publication, session: Session, minutes_file: tuple[int, PublishedFile] | None
) -> None:
    rows: list[PublishedFile] = []
    stopped = taken_down_versions(session)
    # Locked: a material deleted or replaced meanwhile waits, so its file cleanup runs
    # only once this publication is current and can see which files it uses.
    materials = (
        session.materials.select_for_update()
        .filter(access__in=[Material.Access.PUBLIC, Material.Access.PUBLIC_LATER])
        .prefetch_related("parts")
    )
    for material in materials:
        if (material.pk, material.version) in stopped:
            continue  # 公開停止: only a replaced file is published again
        fields = {
            "publication": publication,
            "material": material,
            "label": material.label,
            "title": material.title,
            "order": material.order,
            "version": material.version,
            "public_from": material.public_from
            if material.access == Material.Access.PUBLIC_LATER
            else None,
        }
        rows.append(PublishedFile(kind=PublishedFile.Kind.MATERIAL, **_file_of(material), **fields))
        rows.extend(
            PublishedFile(
                kind=PublishedFile.Kind.PART, part=part.number, **_file_of(part), **fields
            )
            for part in material.parts.all()
        )
    if minutes_file:
        minutes_file[1].publication = publication
        rows.append(minutes_file[1])
    PublishedFile.objects.bulk_create(rows)


def _file_of(stored: StoredFile) -> dict[str, Any]:
    # The same stored name: a publication copies no bytes.
    return {
        "file": stored.file.name,
        "original_name": stored.original_name,
        "extension": stored.extension,
        "size_bytes": stored.size_bytes,
    }


def _replaced_labels(publication: Publication) -> list[str]:
    """Materials published before whose file has changed since: the public correction."""
    before = (
        PublishedFile.objects.filter(
            publication__session=publication.session,
            publication__number__lt=publication.number,
            kind=PublishedFile.Kind.MATERIAL,
        )
        .exclude(publication__kind=Publication.Kind.WITHDRAWN)
        .order_by("publication__number")
    )
    last_version = {row.material_id: row.version for row in before if row.material_id}
    return [
        row.label or row.title
        for row in publication.files.filter(kind=PublishedFile.Kind.MATERIAL)
        if row.material_id in last_version and row.version > last_version[row.material_id]
    ]


def request_site_export(*, by: AbstractBaseUser, now: datetime) -> SiteExport:
    """Queue the static export; one at a time, since every run writes the same folder.
    A run the worker gave up on (killed at its timeout) does not block the next one."""
    with transaction.atomic():
        busy = SiteExport.objects.select_for_update().filter(
            status__in=[SiteExport.Status.QUEUED, SiteExport.Status.RUNNING]
        )
        given_up = now - timedelta(seconds=settings.Q_CLUSTER["retry"])
        busy.filter(requested_at__lt=given_up).update(
            status=SiteExport.Status.FAILED,
            error=_("時間内に終わりませんでした。もう一度書き出してください。"),
        )
        if busy.exists():
            raise ValidationError(_("書き出し中です。終わってからもう一度お試しください。"))
        export = SiteExport.objects.create(requested_by=by, requested_at=now)
        transaction.on_commit(
            partial(async_task, "secretariat.publishing.tasks.export_public_site", export.pk)
        )
    return export
