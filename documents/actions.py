"""Workflows on materials."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from documents.models import GeneratedFile, Material, MaterialPart, MaterialVersion
from secretariat.council.models import Platform
from secretariat.meetings.models import Presenter, Session
from secretariat.publishing.models import PublishedFile


def delete_material(*, material: Material) -> None:
    """Delete a material and, once that is committed, its files (every version and part):
    a withdrawn 非公開 file must not stay in storage. Files the current publication still
    serves stay until the session is published again."""
    with transaction.atomic():
        names = _file_names(material)
        material.delete()
        transaction.on_commit(partial(delete_unused_files, names))


def _file_names(material: Material) -> list[str]:
    return [
        material.file.name,
        *material.versions.values_list("file", flat=True),
        *material.parts.values_list("file", flat=True),
    ]


def delete_unused_files(names: list[str]) -> None:
    """Delete stored files that neither a material (its current file, an earlier version
    or a part) nor a current publication uses. An earlier publication's record stays, but
    not the bytes of a file no one can be served any more."""
    names = list(set(names))
    used = {
        *Material.objects.filter(file__in=names).values_list("file", flat=True),
        *MaterialVersion.objects.filter(file__in=names).values_list("file", flat=True),
        *MaterialPart.objects.filter(file__in=names).values_list("file", flat=True),
        *PublishedFile.objects.filter(file__in=names, publication__is_current=True).values_list(
            "file", flat=True
        ),
    }
    for name in set(names) - used:
        default_storage.delete(name)


def replace_file(*, material: Material, upload: UploadedFile, now: datetime) -> None:
    """Take a new file for a material (差し替え): the current one is kept as an earlier
    version, and its parts, which were cut from it, are dropped. Call in a transaction,
    then save the material."""
    # Locked and read again: of two overlapping replacements, the second archives the
    # first's file as the next version instead of failing on the same number.
    current = Material.objects.select_for_update().get(pk=material.pk)
    MaterialVersion.objects.create(
        material=material,
        version=current.version,
        replaced_at=now,
        file=current.file.name,
        original_name=current.original_name,
        extension=current.extension,
        size_bytes=current.size_bytes,
    )
    material.version = current.version
    parts = list(material.parts.values_list("file", flat=True))
    material.parts.all().delete()
    transaction.on_commit(partial(delete_unused_files, parts))
    material.attach(upload)
    material.version += 1


def replace_parts(*, material: Material, uploads: list[UploadedFile]) -> None:
    """Set the split parts (分割版) of a material, in the order given. Call in a
    transaction; the files are checked like any upload."""
    Material.objects.select_for_update().get(pk=material.pk)  # see replace_file
    old = list(material.parts.values_list("file", flat=True))
    material.parts.all().delete()
    for number, upload in enumerate(uploads, start=1):
        part = MaterialPart(material=material, number=number)
        part.attach(upload)
        part.save()
    transaction.on_commit(partial(delete_unused_files, old))


def request_document(
    *,
    kind: str,
    by: AbstractBaseUser,
    session: Session | None = None,
    platform: Platform | None = None,
) -> GeneratedFile:
    """Queue the writing of a document of a session (or, for the platform workbook, of the
    platform); the job records its status."""
    if session is not None:
        platform = session.platform
    assert platform is not None
    if kind == GeneratedFile.Kind.SITE_VISIT_REPORT and not (session and session.is_site_visit):
        raise ValidationError(_("現地視察報告は現地視察の会議でのみ作成できます。"))
    if kind in MINUTES_KINDS and not (session and hasattr(session, "minutes")):
        raise ValidationError(_("議事録がまだ作成されていません。"))
    if (kind == GeneratedFile.Kind.PLATFORM_WORKBOOK) != (session is None):
        raise ValidationError(_("この文書はここでは作成できません。"))
    with transaction.atomic():
        generated, _created = GeneratedFile.objects.select_for_update().get_or_create(
            platform=platform, session=session, kind=kind, defaults={"requested_by": by}
        )
        generated.status = GeneratedFile.Status.QUEUED
        generated.requested_by = by
        generated.error = ""
        generated.save()
        transaction.on_commit(
            partial(async_task, "documents.tasks.generate_document", generated.pk)
        )
    return generated


MINUTES_KINDS = {
    GeneratedFile.Kind.SUMMARY_MINUTES,
    GeneratedFile.Kind.VERBATIM_MINUTES,
    GeneratedFile.Kind.SESSION_WORKBOOK,
}


def renumber_materials(*, session: Session) -> None:
    """Number the materials in agenda order: 資料1, then 資料2-1, 資料2-2 for an item with
    several; materials outside the agenda are 参考資料1, 2 …. Labels staff wrote
    themselves are kept."""
    with transaction.atomic():
        materials = list(
            session.materials.select_for_update(of=("self",))
            .select_related("agenda_item")
            .order_by(
                "agenda_item__order",
                "agenda_item__pk",
                F("presenter__order").asc(nulls_last=True),
                "order",
                "pk",
            )
        )
        by_item: dict[int, list[Material]] = {}
        references = []
        for material in materials:
            if material.agenda_item_id:
                by_item.setdefault(material.agenda_item_id, []).append(material)
            else:
                references.append(material)
        for number, group in enumerate(by_item.values(), start=1):
            for branch, material in enumerate(group, start=1):
                label = f"資料{number}" if len(group) == 1 else f"資料{number}-{branch}"
                _relabel(material, label)
        for number, material in enumerate(references, start=1):
            _relabel(material, f"参考資料{number}")


def _relabel(material: Material, label: str) -> None:
    if material.auto_label and material.label != label:
        material.label = label
        material.save(update_fields=["label", "updated_at"])


def accept_presenter_upload(
    *, presenter: Presenter, upload: UploadedFile, title: str, now: datetime
) -> Material:
    """A presenter's file becomes a material of the session, numbered in agenda order.

    It arrives 非公開 and awaiting staff review (Material.awaiting_review), whether the
    session was ever published or not: a presenter decides neither what the public nor
    what members see, and a file taken as 公開 before the first publication would go out
    with it unread. Staff change its title, label and access level afterwards."""
    if not presenter.uploads_open(now):
        raise ValidationError(
            _("提出期限を過ぎたため、このリンクからは提出できません。事務局にご連絡ください。")
        )
    item = presenter.agenda_item
    # An official's name and a long title can outgrow the material's title: cut the name,
    # not the form's error (the presenter typed no title to correct).
    room = Material._meta.get_field("title").max_length - len("提出資料")
    material = Material(
        session=item.session,
        agenda_item=item,
        presenter=presenter,
        title=title.strip() or f"{presenter.display_name[:room]}提出資料",
        order=item.materials.count() + 1,
        auto_label=True,
        access=Material.Access.NOT_PUBLIC,
        reason=Material.Reason.OTHER,
        reason_note=Material.REVIEW_NOTE,
    )
    material.attach(upload)  # checks type by content, size, emptiness; raises in Japanese
    with transaction.atomic():
        material.full_clean()
        material.save()
        renumber_materials(session=item.session)
    material.refresh_from_db()
    return material
