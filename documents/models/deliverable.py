"""The platform's deliverables, such as 「課題と対応」, and their files."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.models.files import StoredFile
from exports.fileinfo import annotated_link_text
from secretariat.council.models import Platform
from secretariat.validators import MAX_ORDER, validate_era_date


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
    order = models.PositiveSmallIntegerField(
        _("表示順"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )

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
