"""Hearings: who presents each agenda item, and their personal upload link for materials."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from secretariat.council.models import Membership, Organisation
from secretariat.meetings.models.session import AgendaItem, Session
from secretariat.tokens import (
    MEMBERSHIP_ENDED,
    MEMBERSHIP_NOT_STARTED,
    SESSION_CANCELLED,
    BadLink,
    PersonalLink,
)
from secretariat.validators import MAX_ORDER, validate_era_date


class Presenter(PersonalLink):
    """A member, a ministry (with the official who will speak) or an outside expert."""

    TOKEN_KIND = "upload"
    LINK_RELATED = ("agenda_item__session__platform", "organisation", "membership")

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("議事"), on_delete=models.CASCADE, related_name="presenters"
    )
    order = models.PositiveSmallIntegerField(
        _("順番"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("構成員"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presentations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("府省庁・団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presentations",
    )
    name = models.CharField(_("説明者の氏名"), max_length=100, blank=True)
    title = models.CharField(_("説明者の役職・所属"), max_length=200, blank=True)
    email = models.EmailField(_("資料提出依頼の送り先"), blank=True)

    upload_deadline = models.DateTimeField(
        _("資料の提出期限"), null=True, blank=True, validators=[validate_era_date]
    )
    requested_at = models.DateTimeField(_("依頼日時"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("督促日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("説明者")
        verbose_name_plural = _("説明者")
        ordering = ["agenda_item", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(membership__isnull=False) | Q(organisation__isnull=False) | ~Q(name=""),
                name="presenter_is_someone",
                violation_error_message=_(
                    "構成員、府省庁・団体、氏名のいずれかを入力してください。"
                ),
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        foreign = (
            self.membership_id
            and self.agenda_item_id
            and self.membership.platform_id != self.agenda_item.session.platform_id
        )
        if foreign:
            raise ValidationError({"membership": _("この会議体の構成員を選んでください。")})

    @property
    def display_name(self) -> str:
        """武山委員 / 総務省 自治行政局長　山田　太郎 / 慶應義塾大学教授　田中　一郎."""
        if self.membership and not self.name:
            person = self.membership.person
            return f"{person.family_name}委員" if person else self.membership.display_name
        parts = [self.organisation.name if self.organisation else "", self.title, self.name]
        return " ".join(part for part in parts if part)

    @property
    def recipient(self) -> str:
        if self.email:
            return self.email
        return self.membership.email if self.membership else ""

    def link_session_day(self) -> date | None:
        return self.agenda_item.session.date

    def link_refusal(self, today: date) -> BadLink | None:
        if self.membership and self.membership.has_ended(today):
            return BadLink(MEMBERSHIP_ENDED, gone=True)
        session_day = self.agenda_item.session.date or today
        if self.membership and not self.membership.has_started(session_day):
            return BadLink(MEMBERSHIP_NOT_STARTED)
        if self.agenda_item.session.status == Session.Status.CANCELLED:
            return BadLink(SESSION_CANCELLED, gone=True)
        return None

    def uploads_open(self, now: datetime) -> bool:
        return self.upload_deadline is None or now <= self.upload_deadline
