"""Who actually came on the day (当日受付), and the public gallery's registrations (傍聴)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from secretariat.meetings.models.invitation import Invitation
from secretariat.meetings.models.session import Session


class Attendance(models.Model):
    """One person checked in at a session: the record the minutes use."""

    class Capacity(models.TextChoices):
        MEMBER = "member", _("構成員")
        ONLINE = "online", _("構成員（オンライン）")
        PROXY = "proxy", _("代理出席")
        PRESENTER = "presenter", _("説明者")
        SECRETARIAT = "secretariat", _("事務局")
        OTHER = "other", _("その他")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )
    name = models.CharField(_("氏名"), max_length=100)
    title = models.CharField(_("役職"), max_length=200, blank=True)
    capacity = models.CharField(_("区分"), max_length=20, choices=Capacity.choices)
    arrived_at = models.DateTimeField(_("受付時刻"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受付者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("出席記録")
        verbose_name_plural = _("出席記録")
        ordering = ["session", "arrived_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "invitation"],
                condition=Q(invitation__isnull=False),
                name="one_check_in_per_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_capacity_display()}）"


class GalleryRegistration(models.Model):
    """A citizen's request to watch a session (傍聴). Deleted after the session."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="gallery_registrations"
    )
    name = models.CharField(_("氏名"), max_length=100)
    organisation = models.CharField(_("所属"), max_length=200, blank=True)
    email = models.EmailField(_("メールアドレス"))
    created_at = models.DateTimeField(_("申込日時"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("傍聴申込")
        verbose_name_plural = _("傍聴申込")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                name="one_registration_per_email",
                violation_error_message=_("このメールアドレスではすでに申し込まれています。"),
            )
        ]

    def __str__(self) -> str:
        return self.name
