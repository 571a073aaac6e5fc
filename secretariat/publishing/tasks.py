"""Background jobs of publishing (django-q2): a publication's bundle, the static export."""

from __future__ import annotations

import logging
import tempfile
import zipfile
from functools import partial
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from exports.bundle import BundleMember, write_bundle
from secretariat.publishing.models import Publication, PublishedFile, SiteExport
from secretariat.publishing.pages import published_page
from secretariat.publishing.static_site import export_site

logger = logging.getLogger(__name__)


def bundle_members(publication: Publication) -> list[PublishedFile]:
    """What the bundle holds: the public materials (no parts: they repeat the whole) in
    label order, then the minutes; a 後日公開 material only once its day has come, and
    nothing taken down (公開停止)."""
    day = timezone.localdate(publication.published_at)
    rows = publication.files.exclude(kind=PublishedFile.Kind.PART).filter(
        taken_down_at__isnull=True
    )
    return [
        row
        for row in rows.order_by("order", "pk")
        if row.public_from is None or row.public_from <= day
    ]


def build_bundle(publication_id: int) -> str:
    """Write the publication's ZIP to a temporary file in bounded memory, then store it.
    Idempotent: a bundle already built, or a publication no longer current, is left."""
    publication = Publication.objects.select_related("session__platform").get(pk=publication_id)
    if publication.bundle_status == Publication.BundleStatus.READY or not publication.is_public:
        return "skipped"
    session = published_page(publication)
    rows = bundle_members(publication)
    if not rows:  # nothing to bundle (a site visit's overview, say)
        Publication.objects.filter(pk=publication_id).update(
            bundle_status=Publication.BundleStatus.NONE
        )
        return "empty"
    members = [
        BundleMember(
            label=row.label,
            title=row.title,
            extension=row.extension,
            size=row.size_bytes,
            open=partial(row.file.storage.open, row.file.name, "rb"),
        )
        for row in rows
    ]
    title = f"{session.title}{session.platform.short_name}"
    try:
        with tempfile.TemporaryFile() as out:
            write_bundle(
                members,
                out,
                folder=title,
                index_title=f"{session.title} {session.platform.name} 資料一覧",
                stamp=publication.published_at,
            )
            size = out.tell()
            out.seek(0)
            publication.bundle.save("bundle.zip", File(out), save=False)
    except Exception as error:  # recorded for staff to see
        logger.exception("bundle of publication %s failed", publication_id)
        Publication.objects.filter(pk=publication_id).update(
            bundle_status=Publication.BundleStatus.FAILED,
            bundle_error=f"{type(error).__name__}: {error}",
        )
        return "failed"
    with transaction.atomic():
        # A file taken down (公開停止) while this run wrote the ZIP: the takedown queued
        # another run, and this ZIP, which holds the file, is never stored as the bundle.
        locked = Publication.objects.select_for_update().filter(pk=publication_id)
        current = [row.pk for row in bundle_members(locked.get())]
        updated = 0
        if current == [row.pk for row in rows]:
            updated = locked.filter(
                bundle_status__in=[
                    Publication.BundleStatus.QUEUED,
                    Publication.BundleStatus.FAILED,
                ],
            ).update(
                bundle=publication.bundle.name,
                bundle_size=size,
                bundle_status=Publication.BundleStatus.READY,
                bundle_error="",
            )
    if not updated:  # another run finished first, or the members changed meanwhile
        publication.bundle.storage.delete(publication.bundle.name)
        return "skipped"
    return "built"


def export_public_site(export_id: int) -> str:
    """The staff button: write the static site to its folder, then zip the folder for
    download. The folder is the same one `manage.py export_public_site` writes."""
    export = SiteExport.objects.get(pk=export_id)
    if export.status == SiteExport.Status.DONE:
        return "skipped"
    SiteExport.objects.filter(pk=export_id).update(status=SiteExport.Status.RUNNING)
    root = Path(settings.PUBLIC_EXPORT_DIR)
    try:
        report = export_site(root, base_url=settings.PUBLIC_SITE_URL)
        with tempfile.TemporaryFile() as out:
            zip_folder(root, out)
            size = out.tell()
            out.seek(0)
            export.archive.save("public-site.zip", File(out), save=False)
    except Exception as error:  # recorded for staff to see
        logger.exception("site export %s failed", export_id)
        SiteExport.objects.filter(pk=export_id).update(
            status=SiteExport.Status.FAILED, error=f"{type(error).__name__}: {error}"
        )
        return "failed"
    old = SiteExport.objects.exclude(pk=export_id).exclude(archive="")
    for previous in old:  # only the newest archive is kept
        previous.archive.delete(save=False)
    old.update(archive="", archive_size=None)
    SiteExport.objects.filter(pk=export_id).update(
        status=SiteExport.Status.DONE,
        finished_at=timezone.now(),
        written=len(report.written),
        removed=len(report.removed),
        archive=export.archive.name,
        archive_size=size,
        error="",
    )
    return "done"


def zip_folder(root: Path, out: BinaryIO) -> None:
    """The export folder as one ZIP (pages deflated, downloads stored as they are)."""
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        for path in sorted(root.rglob("*")):
            name = path.relative_to(root).as_posix()
            if not path.is_file():
                continue
            compress = path.suffix in (".html", ".css", ".atom", ".ics", ".xml")
            archive.write(
                path, name, compress_type=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            )
