"""Materials (配布資料) of sessions and the platform's deliverables, with their files."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.validators import clean_filename, validate_upload
from exports.fileinfo import annotated_link_text, download_annotation
from secretariat.council.models import Platform
from secretariat.meetings.models import AgendaItem, Session
from secretariat.validators import validate_era_date


def storage_name(instance: StoredFile, filename: str) -> str:
    # Never a user's file name on disk: a random name with the checked extension.
    return f"{instance.storage_folder}/{uuid.uuid4().hex}.{instance.extension}"


class StoredFile(models.Model):
    """A file kept under a random storage name, with the name users see and its size."""

    storage_folder = "files"

    file = models.FileField(_("ファイル"), upload_to=storage_name, max_length=200)
    original_name = models.CharField(_("ファイル名"), max_length=200)
    extension = models.CharField(_("形式"), max_length=10)
    size_bytes = models.PositiveBigIntegerField(_("サイズ（バイト）"))

    class Meta:
        abstract = True

    def attach(self, upload: UploadedFile) -> None:
        """Check an upload and take it as this object's file (saved with the object)."""
        self.extension = validate_upload(upload)
        self.original_name = clean_filename(upload.name or "")
        self.size_bytes = upload.size or 0
        self.file = upload

    @property
    def annotation(self) -> str:
        return download_annotation(self.extension, self.size_bytes)


class MaterialQuerySet(models.QuerySet["Material"]):
    def public(self, today: date) -> MaterialQuerySet:
        """The only materials that public pages, downloads and exports may read."""
        return self.filter(
            session__in=Session.objects.public().filter(status=Session.Status.PUBLISHED)
        ).filter(
            Q(access=Material.Access.PUBLIC)
            | Q(access=Material.Access.PUBLIC_LATER, public_from__lte=today)
        )


class Material(StoredFile):
    class Access(models.TextChoices):
        PUBLIC = "public", _("公開")
        PUBLIC_LATER = "public_later", _("後日公開")
        MEMBERS_ONLY = "members_only", _("委員限り")
        NOT_PUBLIC = "not_public", _("非公開")

    class Reason(models.TextChoices):
        # 情報公開法 第5条 grounds, the ones council rules quote.
        PERSONAL = "personal", _("個人に関する情報（情報公開法第5条第1号）")
        BUSINESS = "business", _("法人等の事業に関する情報（同条第2号）")
        DELIBERATION = (
            "deliberation",
            _("率直な意見の交換又は意思決定の中立性が不当に損なわれるおそれ（同条第5号）"),
        )
        OTHER = "other", _("その他（理由を記入）")

    storage_folder = "materials"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("議事"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
    )
    label = models.CharField(
        _("資料番号"), max_length=30, blank=True, help_text=_("資料1、資料2-1、参考資料1など")
    )
    title = models.CharField(_("資料名"), max_length=300)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    access = models.CharField(
        _("公開区分"), max_length=20, choices=Access.choices, default=Access.PUBLIC
    )
    public_from = models.DateField(
        _("公開日"), null=True, blank=True, validators=[validate_era_date]
    )
    reason = models.CharField(_("非公開の理由"), max_length=20, choices=Reason.choices, blank=True)
    reason_note = models.TextField(_("理由の補足"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("資料")
        verbose_name_plural = _("資料")
        ordering = ["session", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(access="public") | ~Q(reason=""),
                name="non_public_material_has_reason",
                violation_error_message=_("公開しない資料には理由が必要です。"),
            ),
            models.CheckConstraint(
                condition=~Q(access="public_later") | Q(public_from__isnull=False),
                name="public_later_has_date",
                violation_error_message=_("後日公開の資料には公開日が必要です。"),
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.access != self.Access.PUBLIC and not self.reason:
            errors["reason"] = _(
                "公開しない資料には理由（情報公開法第5条の該当号など）が必要です。"
            )
        if self.access == self.Access.PUBLIC_LATER and not self.public_from:
            errors["public_from"] = _("後日公開の資料には公開日を入れてください。")
        if self.reason == self.Reason.OTHER and not self.reason_note.strip():
            errors["reason_note"] = _("「その他」の場合は理由を記入してください。")
        if self.agenda_item_id and self.agenda_item.session_id != self.session_id:
            errors["agenda_item"] = _("この会議の議事を選んでください。")
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self) -> str:
        return f"{self.label}\u3000{self.title}" if self.label else self.title

    @property
    def link_text(self) -> str:
        """資料1　○○について(PDF形式:252KB)."""
        return annotated_link_text(self.display_title, self.extension, self.size_bytes)


class Deliverable(models.Model):
    """A report the platform produced, such as 「課題と対応」, with its files."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("題名"), max_length=300)
    short_title = models.CharField(_("略称"), max_length=100, blank=True)
    reported_on = models.DateField(
        _("報告日"), null=True, blank=True, validators=[validate_era_date]
    )
    reported_to = models.CharField(_("報告先"), max_length=200, blank=True)
    description = models.TextField(_("説明"), blank=True)
    is_public = models.BooleanField(_("公開する"), default=False)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("成果物")
        verbose_name_plural = _("成果物")
        ordering = ["platform", "order", "pk"]

    def __str__(self) -> str:
        return self.short_title or self.title


class DeliverableFile(StoredFile):
    class Part(models.TextChoices):
        BODY = "body", _("本文")
        SUMMARY = "summary", _("概要")

    storage_folder = "deliverables"

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="files")
    part = models.CharField(_("区分"), max_length=10, choices=Part.choices)

    class Meta:
        verbose_name = _("成果物のファイル")
        verbose_name_plural = _("成果物のファイル")
        ordering = ["deliverable", "part"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "part"], name="unique_deliverable_part")
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} {self.get_part_display()}"

    @property
    def link_text(self) -> str:
        return annotated_link_text(self.get_part_display(), self.extension, self.size_bytes)
