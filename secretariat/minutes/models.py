"""Minutes (議事要旨・議事録): statements by speaker, speaker confirmation (発言者確認),
the chair's approval (座長了解) and every revision."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from secretariat.council.models import Organisation, Platform
from secretariat.meetings.models import AgendaItem, Attendance, Session
from secretariat.tokens import PersonalLink
from secretariat.validators import validate_era_date


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        CONFIRMING = "confirming", _("発言者確認中")
        APPROVED = "approved", _("座長了解済み")

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("概要（議事要旨の本文）"), blank=True)
    # Raised on every save: an edit made from an older version is a conflict, not an
    # overwrite.
    version = models.PositiveIntegerField(default=1, editable=False)
    revision = models.PositiveIntegerField(_("版"), default=1)
    confirmation_deadline = models.DateTimeField(
        _("発言者確認の期限"), null=True, blank=True, validators=[validate_era_date]
    )
    approved_at = models.DateTimeField(_("座長了解の日時"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approval_override = models.BooleanField(_("未確認の発言があるまま了解"), default=False)
    approval_note = models.TextField(_("了解に関する記録"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("議事録")
        verbose_name_plural = _("議事録")

    def __str__(self) -> str:
        return f"{self.session.title} 議事録"

    @property
    def locked(self) -> bool:
        return self.status == self.Status.APPROVED


class Statement(models.Model):
    class Confirmation(models.TextChoices):
        PENDING = "pending", _("未確認")
        CONFIRMED = "confirmed", _("確認済み")
        CORRECTED = "corrected", _("修正を反映")
        SILENT = "silent", _("期限までに回答なし（了承とみなす）")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="statements")
    order = models.PositiveIntegerField(_("順番"), default=0)
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("議事"), on_delete=models.SET_NULL, null=True, blank=True
    )
    speaker = models.ForeignKey(
        Attendance,
        verbose_name=_("発言者"),
        on_delete=models.PROTECT,
        related_name="statements",
    )
    text = models.TextField(_("発言"))
    confirmation = models.CharField(
        _("発言者確認"), max_length=20, choices=Confirmation.choices, default=Confirmation.PENDING
    )

    class Meta:
        verbose_name = _("発言")
        verbose_name_plural = _("発言")
        ordering = ["minutes", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.speaker_name}: {self.text[:20]}"

    @property
    def speaker_name(self) -> str:
        """As the minutes name the speaker: 武山委員, 事務局 …"""
        return speaker_label(self.speaker)


def speaker_label(attendance: Attendance) -> str:
    """武山委員 / 森本委員代理（森本　花子 参与） / 総務省 自治行政局長 / 事務局."""
    if attendance.capacity in (Attendance.Capacity.MEMBER, Attendance.Capacity.ONLINE):
        membership = attendance.invitation.membership if attendance.invitation else None
        if membership and membership.person:
            return f"{membership.person.family_name}委員"
        return attendance.name
    if attendance.capacity == Attendance.Capacity.PROXY:
        membership = attendance.invitation.membership if attendance.invitation else None
        whose = (
            f"{membership.person.family_name}委員代理"
            if membership and membership.person
            else "代理"
        )
        return f"{whose}（{attendance.name} {attendance.title}）".replace(" ）", "）")
    if attendance.capacity == Attendance.Capacity.SECRETARIAT:
        return "事務局"
    return " ".join(part for part in (attendance.title, attendance.name) if part)


class SpeakerConfirmation(PersonalLink):
    """A speaker's personal link to confirm their own statements."""

    TOKEN_KIND = "confirmation"
    LINK_RELATED = ("minutes__session__platform", "speaker")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="confirmations")
    speaker = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("送り先"))
    sent_at = models.DateTimeField(_("依頼日時"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("督促日時"), null=True, blank=True)
    responded_at = models.DateTimeField(_("回答日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("発言者確認")
        verbose_name_plural = _("発言者確認")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "speaker"], name="one_confirmation_per_speaker"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes} {speaker_label(self.speaker)}"

    def link_session_day(self) -> date | None:
        # A speaker may have left the council since: confirming what they said stays
        # theirs to do, so the membership's end does not close this link.
        return self.minutes.session.date


class CorrectionProposal(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("未処理")
        ACCEPTED = "accepted", _("反映")
        REJECTED = "rejected", _("不採用")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="proposals")
    original_text = models.TextField(_("元の発言"))
    proposed_text = models.TextField(_("修正案"))
    comment = models.TextField(_("コメント"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        _("処理"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("修正の申出")
        verbose_name_plural = _("修正の申出")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.statement} → {self.proposed_text[:20]}"


class MinutesRevision(models.Model):
    """Every saved state of the minutes, with who saved it and why."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField(_("版"))
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(_("内容"), max_length=200)
    snapshot = models.JSONField()

    class Meta:
        verbose_name = _("議事録の履歴")
        verbose_name_plural = _("議事録の履歴")
        ordering = ["minutes", "-version"]

    def __str__(self) -> str:
        return f"{self.minutes} 第{self.revision}版 ({self.note})"


class FollowUp(models.Model):
    """An issue raised at a session and who follows it up (進捗管理及びフォローアップ)."""

    class Status(models.TextChoices):
        OPEN = "open", _("未着手")
        IN_PROGRESS = "in_progress", _("対応中")
        DONE = "done", _("完了")

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="follow_ups")
    raised_at = models.ForeignKey(
        Session,
        verbose_name=_("提起した会議"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    issue = models.TextField(_("課題"))
    ministry = models.ForeignKey(
        Organisation,
        verbose_name=_("担当府省庁"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    status = models.CharField(_("状況"), max_length=20, choices=Status.choices, default=Status.OPEN)
    due = models.DateField(_("期限"), null=True, blank=True, validators=[validate_era_date])
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("フォローアップ")
        verbose_name_plural = _("フォローアップ")
        ordering = ["platform", "due", "pk"]

    def __str__(self) -> str:
        return self.issue[:40]
