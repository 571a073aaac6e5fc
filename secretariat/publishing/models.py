"""Publication revisions: what the public site shows of a session, frozen at one moment.

Public pages, downloads, bundles, feeds and the static export read only the current
publication's snapshot — its files (`PublishedFile.objects.public()`) and its copy of the
session's page (`Publication.page`, read through secretariat.publishing.pages) — never
the live materials or session, so a session changes for the public all at once, when
staff publish it, and a file, an agenda item or a venue staff change afterwards stays as
published until they publish again. The one exception is 公開停止 (actions.take_down):
one file taken out of the current publication at once.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.models import Material, StoredFile
from exports.fileinfo import annotated_link_text, size_label
from secretariat.meetings.models import Session


def bundle_name(instance: Publication, filename: str) -> str:
    return f"bundles/{uuid.uuid4().hex}.zip"


class Publication(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("資料と議事要旨を公開")
        MATERIALS = "materials", _("資料のみ公開（議事要旨は後日）")
        WITHDRAWN = "withdrawn", _("公開を取り下げ")

    class BundleStatus(models.TextChoices):
        NONE = "none", _("なし")
        QUEUED = "queued", _("作成中")
        READY = "ready", _("作成済み")
        FAILED = "failed", _("失敗")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="publications")
    number = models.PositiveIntegerField(_("公開版"))
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    # Exactly one publication of a session is current: the one the public sees.
    is_current = models.BooleanField(default=True)
    minutes_revision = models.PositiveIntegerField(_("議事録の版"), null=True, blank=True)
    # Labels of materials whose file changed since the previous publication (差し替え).
    replaced_labels = models.JSONField(default=list, blank=True)
    # What the public pages show of the session as published (pages.page_of): the
    # public sees an edit of the session only once it is published again.
    page = models.JSONField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("日時"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    bundle = models.FileField(upload_to=bundle_name, max_length=200, blank=True)
    bundle_size = models.PositiveBigIntegerField(null=True, blank=True)
    bundle_status = models.CharField(
        max_length=20, choices=BundleStatus.choices, default=BundleStatus.NONE
    )
    bundle_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("公開")
        verbose_name_plural = _("公開")
        ordering = ["session", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="one_publication_number"),
            models.UniqueConstraint(
                fields=["session"], condition=Q(is_current=True), name="one_current_publication"
            ),
            models.CheckConstraint(
                condition=Q(kind="withdrawn") | Q(page__isnull=False),
                name="publication_has_its_page",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} 第{self.number}版 {self.get_kind_display()}"

    @property
    def is_public(self) -> bool:
        return self.is_current and self.kind != self.Kind.WITHDRAWN

    @property
    def bundle_link_text(self) -> str:
        """資料一括ダウンロード(ZIP形式:12.3MB)."""
        return f"資料一括ダウンロード(ZIP形式:{size_label(self.bundle_size or 0)})"


class PublishedFileQuerySet(models.QuerySet["PublishedFile"]):
    def public(self, today: date) -> PublishedFileQuerySet:
        """The only files that public pages, downloads, bundles and exports may read."""
        return (
            self.filter(
                publication__is_current=True,
                publication__session__in=Session.objects.public(),
            )
            .exclude(publication__kind=Publication.Kind.WITHDRAWN)
            .filter(Q(public_from__isnull=True) | Q(public_from__lte=today))
            .filter(taken_down_at__isnull=True)
        )

    def taken_down_labels(self, session_ids: set[int]) -> dict[int, frozenset[str]]:
        """Session → labels of the materials taken down (公開停止) from its current
        publication: corrections on the page and in the feed no longer name them."""
        rows = self.filter(
            publication__session__in=session_ids,
            publication__is_current=True,
            kind=PublishedFile.Kind.MATERIAL,
            taken_down_at__isnull=False,
        ).values_list("publication__session", "label", "title")
        labels: dict[int, set[str]] = {}
        for session_id, label, title in rows:
            labels.setdefault(session_id, set()).add(label or title)
        return {session_id: frozenset(found) for session_id, found in labels.items()}


class PublishedFile(StoredFile):
    """One file of a publication: a material (as published), a part of one, or the minutes.
    It points at the same stored file as the material's version; nothing is copied."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("資料")
        PART = "part", _("分割版")
        MINUTES = "minutes", _("議事要旨")

    storage_folder = "published"

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The material's id is its public URL across publications, so it stays when the
    # material is deleted: the publication still shows the file until the next one.
    material = models.ForeignKey(
        Material,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    part = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=30, blank=True)
    title = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    public_from = models.DateField(null=True, blank=True)
    # 公開停止: an emergency takedown of one file (a material with its parts, or the
    # minutes) out of the current publication, recorded on the rows themselves.
    taken_down_at = models.DateTimeField(_("公開停止の日時"), null=True, blank=True)
    taken_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公開停止した担当者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    takedown_reason = models.TextField(_("公開停止の理由"), blank=True)

    objects = PublishedFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("公開したファイル")
        verbose_name_plural = _("公開したファイル")
        ordering = ["publication", "order", "part", "pk"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        title = f"{self.label}\u3000{self.title}" if self.label else self.title
        return f"{title}（分割版{self.part}）" if self.part else title

    @property
    def link_text(self) -> str:
        return annotated_link_text(self.display_title, self.extension, self.size_bytes)


def site_export_name(instance: SiteExport, filename: str) -> str:
    return f"site-exports/{uuid.uuid4().hex}.zip"


class SiteExport(models.Model):
    """A run of the static export started by staff, with the folder zipped for download."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        RUNNING = "running", _("書き出し中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    written = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    archive = models.FileField(upload_to=site_export_name, max_length=200, blank=True)
    archive_size = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("静的サイトの書き出し")
        verbose_name_plural = _("静的サイトの書き出し")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.get_status_display()}"
