"""Who actually came on the day (当日受付), and the public gallery's registrations (傍聴)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from secretariat.meetings.models.invitation import Invitation
from secretariat.meetings.models.session import Session
from secretariat.tokens import PersonalLink
from secretariat.validators import validate_plain_text


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


class GalleryRegistrationQuerySet(models.QuerySet["GalleryRegistration"]):
    def confirmed(self) -> GalleryRegistrationQuerySet:
        """The registrations that hold a seat: their address answered the link."""
        return self.filter(confirmed_at__isnull=False)

    def pending(self) -> GalleryRegistrationQuerySet:
        return self.filter(confirmed_at__isnull=True)


class GalleryRegistration(PersonalLink):
    """A citizen's request to watch a session (傍聴). Deleted after the session.

    Double opt-in: the form makes a pending registration and mails a link to the address
    typed; only opening it (`confirm_gallery_registration`) takes a seat, so nobody can
    fill the gallery, or register somebody else, with addresses they do not read.
    """

    TOKEN_KIND = "gallery"
    LINK_RELATED = ("session__platform",)
    # The link must be answered within this time of the (last) request.
    CONFIRMATION_HOURS = 24

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="gallery_registrations"
    )
    name = models.CharField(_("氏名"), max_length=100, validators=[validate_plain_text])
    organisation = models.CharField(
        _("所属"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    email = models.EmailField(_("メールアドレス"))
    created_at = models.DateTimeField(_("申込日時"), auto_now_add=True)
    # The last email to this address about this session (the link, or "already
    # registered"); None asks the sending task for one.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("確定日時"), null=True, blank=True)

    objects = GalleryRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("傍聴申込")
        verbose_name_plural = _("傍聴申込")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "email"], name="one_registration_per_email")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def confirmation_expires_at(self) -> datetime:
        # From the link's issue: a pending address that asks again gets a new link.
        return self.issued_at + timedelta(hours=self.CONFIRMATION_HOURS)
