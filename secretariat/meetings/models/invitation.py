"""A member's invitation to a session: their personal link, their reply (出欠) and every
email sent to them about it."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from secretariat.council.models import Membership
from secretariat.meetings.models.session import Session
from secretariat.tokens import (
    MEMBERSHIP_ENDED,
    MEMBERSHIP_NOT_STARTED,
    SESSION_CANCELLED,
    BadLink,
    PersonalLink,
)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def active(self) -> InvitationQuerySet:
        return self.filter(revoked_at__isnull=True)


class Invitation(PersonalLink):
    class Reply(models.TextChoices):
        ATTENDING = "attending", _("出席")
        ONLINE = "online", _("オンライン出席")
        PROXY = "proxy", _("代理出席")
        ABSENT = "absent", _("欠席")

    TOKEN_KIND = "invitation"
    LINK_RELATED = ("session__platform", "membership__person")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="invitations")
    created_at = models.DateTimeField(auto_now_add=True)

    reply = models.CharField(_("出欠"), max_length=20, choices=Reply.choices, blank=True)
    proxy_name = models.CharField(_("代理出席者の氏名"), max_length=100, blank=True)
    proxy_title = models.CharField(_("代理出席者の役職"), max_length=200, blank=True)
    reply_comment = models.CharField(_("備考"), max_length=500, blank=True)
    replied_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    # Set when staff entered the reply (a phone call); empty when the member answered.
    reply_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("入力者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("招待")
        verbose_name_plural = _("招待")
        ordering = ["session", "membership__category__order", "membership__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "membership"], name="one_invitation_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session.title} {self.membership.display_name}"

    def link_session_day(self) -> date | None:
        return self.session.date

    def link_refusal(self, today: date) -> BadLink | None:
        if self.membership.has_ended(today):
            return BadLink(MEMBERSHIP_ENDED, gone=True)
        # Invited as a member of that session: their term must have begun by its day.
        if not self.membership.has_started(self.session.date or today):
            return BadLink(MEMBERSHIP_NOT_STARTED)
        if self.session.status == Session.Status.CANCELLED:
            return BadLink(SESSION_CANCELLED, gone=True)
        return None

    def replies_open(self, now: datetime) -> bool:
        deadline = self.session.reply_deadline
        return self.session.status == Session.Status.SCHEDULED and (
            deadline is None or now <= deadline
        )

    def record_reply(
        self,
        *,
        reply: str,
        proxy_name: str = "",
        proxy_title: str = "",
        comment: str = "",
        now: datetime,
        entered_by: settings.AUTH_USER_MODEL | None = None,  # type: ignore[valid-type]
    ) -> None:
        """Record 出席 / 欠席 / 代理出席 / オンライン出席. Members may change it until the
        deadline; staff may record it at any time, and the record says who did."""
        if reply not in self.Reply.values:
            raise ValidationError({"reply": _("出欠を選んでください。")})
        if entered_by is None and self.session.status != Session.Status.SCHEDULED:
            raise ValidationError(_("この会議の出欠は受け付けていません。事務局にご連絡ください。"))
        if entered_by is None and not self.replies_open(now):
            raise ValidationError(
                _("回答期限を過ぎたため、このリンクからは変更できません。事務局にご連絡ください。")
            )
        proxy_name, proxy_title = proxy_name.strip(), proxy_title.strip()
        if reply == self.Reply.PROXY:
            errors = {}
            if not proxy_name:
                errors["proxy_name"] = _("代理出席者の氏名を入力してください。")
            if not proxy_title:
                errors["proxy_title"] = _("代理出席者の役職を入力してください。")
            if errors:
                raise ValidationError(errors)
        else:
            proxy_name = proxy_title = ""
        self.reply = reply
        self.proxy_name, self.proxy_title = proxy_name, proxy_title
        self.reply_comment = comment.strip()
        self.replied_at = now
        self.reply_entered_by = entered_by
        self.save()


class CalendarFeed(PersonalLink):
    """A member's private calendar of the sessions they are invited to. Its link lives
    in calendar apps for years, so it is a key of its own: staff reissue it, and it is
    reissued whenever one of the member's invitation links is revoked. The feed holds
    no personal link, so reading it opens nothing else."""

    TOKEN_KIND = "feed"
    LINK_RELATED = ("membership__platform", "membership__person", "membership__organisation")

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="calendar_feed"
    )

    class Meta:
        verbose_name = _("個人用カレンダー")
        verbose_name_plural = _("個人用カレンダー")

    def __str__(self) -> str:
        return str(self.membership)

    @classmethod
    def for_membership(cls, membership: Membership, now: datetime) -> CalendarFeed:
        """The member's feed, as their invitation page offers it: one that was revoked
        or has expired is replaced, since whoever asks holds a valid invitation link."""
        feed, _created = cls.objects.get_or_create(membership=membership)
        if feed.revoked_at or now > feed.link_expires_at():
            feed.reissue(now)
        return feed

    def link_session_day(self) -> date | None:
        # A feed lives while sessions keep coming: it expires PERSONAL_LINK_DAYS after the
        # later of its issue and the last session the member is invited to.
        return (
            Invitation.objects.active()
            .filter(membership_id=self.membership_id, session__date__isnull=False)
            .aggregate(last=models.Max("session__date"))["last"]
        )

    def link_refusal(self, today: date) -> BadLink | None:
        if self.membership.has_ended(today):
            return BadLink(MEMBERSHIP_ENDED, gone=True)
        return None


class Delivery(models.Model):
    """One email to one member about one session, at one calendar SEQUENCE.

    Unique per (invitation, kind, sequence): a task that runs twice finds the row
    already sent and sends nothing; a failed row keeps its error and is retried.
    """

    class Kind(models.TextChoices):
        POLL = "poll", _("日程調整のお願い")
        INVITE = "invite", _("開催案内")
        UPDATE = "update", _("開催案内（変更）")
        CANCEL = "cancel", _("開催中止のお知らせ")
        REMINDER = "reminder", _("出欠回答のお願い（督促）")

    class Status(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗（再送します）")
        SUPERSEDED = "superseded", _("新しい案内に置き換え")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    sequence = models.PositiveIntegerField(_("版（SEQUENCE）"), default=0)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("試行回数"), default=0)
    last_error = models.TextField(_("エラー"), blank=True)
    to_email = models.EmailField(_("宛先"), blank=True)
    subject = models.CharField(_("件名"), max_length=300, blank=True)
    message = models.TextField(_("送信したメール"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("メール送信")
        verbose_name_plural = _("メール送信")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind", "sequence"], name="one_delivery_per_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.invitation.membership.display_name}"
