"""Materials (配布資料) of sessions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.models.files import StoredFile
from exports.fileinfo import annotated_link_text
from secretariat.meetings.models import AgendaItem, Presenter, Session
from secretariat.validators import MAX_ORDER, validate_era_date


class MaterialQuerySet(models.QuerySet["Material"]):
    def for_members(self) -> MaterialQuerySet:
        """What a member may read through their personal link: everything but 非公開,
        in its latest version (the public site shows the published one instead)."""
        return self.exclude(access=Material.Access.NOT_PUBLIC)


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

    # How a presenter's upload arrives: hidden, with this note, until staff set its access
    # level (accept_presenter_upload). Stored as data, so it stays in Japanese.
    REVIEW_NOTE = "提出者からの提出後、事務局の確認待ち"

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
    presenter = models.ForeignKey(
        Presenter,
        verbose_name=_("提出者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
    )
    # Numbered by the agenda (資料1, 資料2-1 …) instead of the label staff typed.
    auto_label = models.BooleanField(_("資料番号を自動で付ける"), default=False)
    label = models.CharField(
        _("資料番号"), max_length=30, blank=True, help_text=_("資料1、資料2-1、参考資料1など")
    )
    title = models.CharField(_("資料名"), max_length=300)
    order = models.PositiveSmallIntegerField(
        _("表示順"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )
    access = models.CharField(
        _("公開区分"), max_length=20, choices=Access.choices, default=Access.PUBLIC
    )
    public_from = models.DateField(
        _("公開日"), null=True, blank=True, validators=[validate_era_date]
    )
    reason = models.CharField(_("非公開の理由"), max_length=20, choices=Reason.choices, blank=True)
    reason_note = models.TextField(_("理由の補足"), blank=True)
    # Raised each time the file is replaced; earlier files stay as MaterialVersion rows.
    version = models.PositiveIntegerField(_("版"), default=1)
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

    @property
    def awaiting_review(self) -> bool:
        """A presenter's upload that staff have not reviewed yet: still as it arrived."""
        return (
            self.access == self.Access.NOT_PUBLIC
            and self.reason == self.Reason.OTHER
            and self.reason_note == self.REVIEW_NOTE
        )

    @property
    def is_publishable(self) -> bool:
        """Public now or on a set date: what a publication takes a snapshot of."""
        return self.access in (self.Access.PUBLIC, self.Access.PUBLIC_LATER)


class MaterialVersion(StoredFile):
    """An earlier file of a material, kept when staff replace it (差し替え)."""

    storage_folder = "materials"

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版"))
    replaced_at = models.DateTimeField(_("差し替えた日時"))

    class Meta:
        verbose_name = _("資料の旧版")
        verbose_name_plural = _("資料の旧版")
        ordering = ["material", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["material", "version"], name="one_row_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.material} 第{self.version}版"


class MaterialPart(StoredFile):
    """A part of a large file (分割版), offered beside the whole for slow connections."""

    storage_folder = "materials"

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveSmallIntegerField(_("分割番号"))

    class Meta:
        verbose_name = _("分割版")
        verbose_name_plural = _("分割版")
        ordering = ["material", "number"]
        constraints = [
            models.UniqueConstraint(fields=["material", "number"], name="one_part_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.material}（分割版{self.number}）"
