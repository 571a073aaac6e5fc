"""Sessions (会議) of a platform, their agenda, and site visits."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exports.eras import format_date, format_dates, format_datetime
from secretariat.council.models import Platform
from secretariat.validators import validate_era_date

TOKYO = ZoneInfo("Asia/Tokyo")


class SessionQuerySet(models.QuerySet["Session"]):
    def public(self) -> SessionQuerySet:
        """The only sessions that public pages, feeds, downloads and exports may read."""
        return self.filter(status=Session.Status.PUBLISHED, platform__is_public=True)

    def upcoming(self, today: date) -> SessionQuerySet:
        return self.filter(
            Q(date__gte=today) | Q(date__isnull=True),
            status__in=[Session.Status.PLANNED, Session.Status.SCHEDULED],
        )

    def newest_first(self) -> SessionQuerySet:
        return self.order_by(models.F("date").desc(nulls_first=True), "-number", "-pk")


class Session(models.Model):
    """One meeting, hearing or site visit. Times are Tokyo wall-clock times.

    The date and the times are kept apart, in Asia/Tokyo, because councils meet in
    Japan and a date must never shift a day through UTC; `starts_at`/`ends_at` give the
    aware datetimes that calendars need.
    """

    class Kind(models.TextChoices):
        MEETING = "meeting", _("会合")
        HEARING = "hearing", _("ヒアリング")
        SITE_VISIT = "site_visit", _("現地視察")

    class Status(models.TextChoices):
        PLANNED = "planned", _("予定（日程調整中）")
        SCHEDULED = "scheduled", _("開催決定")
        HELD = "held", _("開催済み")
        PUBLISHED = "published", _("公開済み")
        CANCELLED = "cancelled", _("中止")

    # A session takes its 第N回 when its date is fixed.
    NUMBERED_STATUSES = (Status.SCHEDULED, Status.HELD, Status.PUBLISHED)

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(
        _("回数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("第N回のN。日程が決まったときに付けます。"),
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    topics = models.TextField(_("内容"))
    date = models.DateField(_("開催日"), null=True, blank=True, validators=[validate_era_date])
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)
    venue_name = models.CharField(_("会場"), max_length=200, blank=True)
    venue_address = models.CharField(_("会場の所在地"), max_length=200, blank=True)
    online = models.BooleanField(_("オンライン開催"), default=False)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    # One stable calendar UID per session (iCalendar invitations use it).
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        ordering = ["platform", "date", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "number"],
                condition=Q(number__isnull=False),
                name="unique_session_number_per_platform",
                violation_error_message=_("この回数の会議はすでにあります。"),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
                violation_error_message=_("終了時刻は開始時刻より後にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.platform.short_name or self.platform.name}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.end_time and not self.start_time:
            errors["start_time"] = _("終了時刻を入れるときは開始時刻も入れてください。")
        if self.status != self.Status.PLANNED and not self.date and not self.is_site_visit:
            errors["date"] = _("予定以外の状態には開催日が必要です。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_site_visit(self) -> bool:
        return self.kind == self.Kind.SITE_VISIT

    @property
    def title(self) -> str:
        if self.number:
            return f"第{self.number}回"
        if self.is_site_visit:
            return str(self.Kind.SITE_VISIT.label)
        return str(_("次回会合（日程調整中）"))

    @property
    def full_title(self) -> str:
        return f"{self.title} {self.platform.name}"

    @property
    def starts_at(self) -> datetime | None:
        if not self.date:
            return None
        return datetime.combine(self.date, self.start_time or time(0), tzinfo=TOKYO)

    @property
    def ends_at(self) -> datetime | None:
        if not self.date or not self.end_time:
            return None
        return datetime.combine(self.date, self.end_time, tzinfo=TOKYO)

    def visit_days(self) -> list[date]:
        """The days of a site visit, read from prefetched data where available."""
        visit = getattr(self, "site_visit", None)
        if visit is None:
            return []
        return sorted(day.date for day in visit.days.all())

    @property
    def when(self) -> str:
        """平成27年9月14日（月）10:00～11:30, or the list of days of a site visit."""
        days = self.visit_days() if self.is_site_visit else []
        if days:
            return format_dates(days)
        if not self.date:
            return str(_("日程調整中"))
        return format_datetime(self.date, self.start_time, self.end_time)

    @property
    def venue(self) -> str:
        parts = [self.venue_name, "オンライン" if self.online else ""]
        return "・".join(p for p in parts if p)


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    title = models.CharField(_("議事"), max_length=300)

    class Meta:
        verbose_name = _("議事")
        verbose_name_plural = _("議事")
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class SiteVisit(models.Model):
    """A site visit (現地視察): the session of kind site visit, its days and its stops."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="site_visit")
    summary = models.TextField(_("概要"), blank=True)
    reported_at = models.ForeignKey(
        AgendaItem,
        verbose_name=_("報告した議事"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="site_visit_reports",
    )

    class Meta:
        verbose_name = _("現地視察")
        verbose_name_plural = _("現地視察")

    def __str__(self) -> str:
        return f"{self.session.platform} 現地視察"

    def clean(self) -> None:
        if self.session_id and not self.session.is_site_visit:
            raise ValidationError({"session": _("種類が「現地視察」の会議を選んでください。")})


class SiteVisitDay(models.Model):
    site_visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日付"), validators=[validate_era_date])

    class Meta:
        verbose_name = _("視察日")
        verbose_name_plural = _("視察日")
        ordering = ["site_visit", "date"]
        constraints = [
            models.UniqueConstraint(fields=["site_visit", "date"], name="unique_site_visit_day")
        ]

    def __str__(self) -> str:
        return format_date(self.date, weekday=True)


class SiteVisitStop(models.Model):
    site_visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="stops")
    day = models.ForeignKey(
        SiteVisitDay,
        verbose_name=_("視察日"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stops",
    )
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    prefecture = models.CharField(_("都道府県"), max_length=10)
    municipality = models.CharField(_("市区町村"), max_length=50)
    host = models.CharField(_("訪問先"), max_length=200, blank=True)
    theme = models.CharField(_("テーマ"), max_length=200, blank=True)
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)

    class Meta:
        verbose_name = _("視察先")
        verbose_name_plural = _("視察先")
        ordering = ["site_visit", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.prefecture}{self.municipality}"
