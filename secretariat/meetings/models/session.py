"""Sessions (会議) of a platform and their agenda."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exports.data import (
    AgendaDoc,
    AgendaLine,
    CalendarAttendee,
    CalendarEvent,
    CalendarPerson,
    MaterialLine,
    Seat,
    SeatingDoc,
)
from exports.eras import format_dates, format_datetime
from secretariat.council.models import Platform
from secretariat.validators import (
    MAX_CAPACITY,
    MAX_MINUTES,
    MAX_NUMBER,
    MAX_ORDER,
    validate_era_date,
)

TOKYO = ZoneInfo("Asia/Tokyo")


class SessionQuerySet(models.QuerySet["Session"]):
    def public(self) -> SessionQuerySet:
        """The only sessions that public pages, feeds, downloads and exports may read:
        announced (scheduled), held or published, of a public platform. Materials are
        public only once their session is published (`Material.objects.public()`)."""
        return self.filter(status__in=Session.PUBLIC_STATUSES, platform__is_public=True)

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
    PUBLIC_STATUSES = NUMBERED_STATUSES

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(
        _("回数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NUMBER)],
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
    reply_deadline = models.DateTimeField(
        _("出欠の回答期限"), null=True, blank=True, validators=[validate_era_date]
    )
    gallery_capacity = models.PositiveSmallIntegerField(
        _("傍聴の定員"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_CAPACITY)],
        help_text=_("空欄なら傍聴の受付をしません。"),
    )
    gallery_deadline = models.DateTimeField(
        _("傍聴の申込期限"), null=True, blank=True, validators=[validate_era_date]
    )
    # Raised on every change members' calendars must follow (time, place, cancellation).
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)
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

    def timetable(self) -> list[TimetableRow]:
        """Each agenda item with its start and end, counted from the session's start."""
        rows = []
        # Times of day only (Tokyo has no daylight saving), on a fixed day, and each item
        # held to the model's cap: a row stored before the bounds (a session in 9999, an
        # item of 10**12 minutes) must not overflow the page.
        clock = datetime.combine(date(2000, 1, 1), self.start_time or time(0))
        # The rows are shown with their presenters' names: read them in a fixed number of
        # queries, however many presenters there are.
        items = self.agenda_items.prefetch_related(
            "presenters__organisation",
            "presenters__membership__person",
            "presenters__membership__organisation",
        )
        for item in items:
            start = clock
            clock += timedelta(minutes=min(item.minutes or 0, MAX_MINUTES))
            rows.append(
                TimetableRow(
                    item,
                    start.time() if self.start_time else None,
                    clock.time() if self.start_time else None,
                )
            )
        return rows

    def overrun_minutes(self, rows: list[TimetableRow]) -> int:
        """How far the agenda runs past the session's end (0 when it fits)."""
        if not (self.start_time and self.end_time and rows and rows[-1].end):
            return 0
        day = date(2000, 1, 1)
        planned = datetime.combine(day, self.end_time)
        total = sum(min(row.item.minutes or 0, MAX_MINUTES) for row in rows)
        ends = datetime.combine(day, self.start_time) + timedelta(minutes=total)
        return max(0, int((ends - planned).total_seconds() // 60))

    def to_agenda_doc(self) -> AgendaDoc:
        """The 議事次第: the timetable, and the handouts a member receives (not the ones
        kept from members)."""
        items = tuple(
            AgendaLine(
                number=number,
                kind=row.item.get_kind_display(),
                title=row.item.title,
                presenters=tuple(p.display_name for p in row.item.presenters.all()),
                start=f"{row.start:%H:%M}" if row.start else "",
                end=f"{row.end:%H:%M}" if row.end and row.item.minutes else "",
            )
            for number, row in enumerate(self.timetable(), start=1)
        )
        handouts = tuple(
            MaterialLine(
                m.label, _members_only_title(m.title) if m.access == "members_only" else m.title
            )
            for m in self.materials.exclude(access="not_public").order_by("order", "pk")
        )
        return AgendaDoc(
            platform_name=self.platform.name,
            session_title=self.title,
            when=self.when,
            venue=self.location,
            items=items,
            materials=handouts,
        )

    def to_seating_doc(self) -> SeatingDoc:
        """The 座席表 from the replies: who comes in person (members or their proxies, and
        those who have not answered yet), the presenters and the secretariat."""
        chair, members = [], []
        invitations = (
            self.invitations.filter(revoked_at__isnull=True)
            .exclude(reply__in=["absent", "online"])
            .select_related("membership__person", "membership__organisation")
        )
        for invitation in invitations:
            membership = invitation.membership
            person = membership.person
            if invitation.reply == "proxy":
                surname = person.family_name if person else membership.display_name
                seat = Seat(invitation.proxy_name, invitation.proxy_title, f"代理（{surname}委員）")
            else:
                note = "" if invitation.reply else "未回答"
                title = person.title if person and not membership.organisation else ""
                seat = Seat(membership.display_name, title, note)
            if membership.role in ("chair", "vice_chair") and invitation.reply != "proxy":
                chair.append(Seat(seat.name, seat.title, membership.get_role_display()))
            else:
                members.append(seat)
        presenters = tuple(
            Seat(
                p.name or p.display_name,
                " ".join(
                    part
                    for part in (p.organisation.name if p.organisation else "", p.title)
                    if part
                )
                if p.name
                else "",
                "説明者",
                "presenter",
            )
            for item in self.agenda_items.prefetch_related(
                "presenters__organisation", "presenters__membership__person"
            )
            for p in item.presenters.all()
            if not p.membership_id
        )
        office = self.platform.secretariat_office or "事務局"
        return SeatingDoc(
            platform_name=self.platform.name,
            session_title=self.title,
            when=self.when,
            venue=self.location,
            chair=tuple(chair),
            members=tuple(members),
            presenters=presenters,
            secretariat=(Seat(office, "", "", "secretariat"),),
        )

    @property
    def location(self) -> str:
        """The venue with its address, as calendars show it."""
        address = f"（{self.venue_address}）" if self.venue_address else ""
        return f"{self.venue}{address}"

    @property
    def organizer(self) -> CalendarPerson:
        platform = self.platform
        return CalendarPerson(
            platform.secretariat_email or settings.DEFAULT_FROM_EMAIL,
            platform.secretariat_office or f"{platform.name} 事務局",
        )

    def to_calendar_event(
        self,
        *,
        description: str = "",
        url: str = "",
        attendees: tuple[CalendarAttendee, ...] = (),
    ) -> CalendarEvent:
        assert self.date is not None, "only a session with a date goes into a calendar"
        return CalendarEvent(
            uid=f"{self.uid}@secretariat",
            sequence=self.ical_sequence,
            summary=self.full_title,
            day=self.date,
            # Without both times the event is a whole-day one.
            start=self.starts_at if self.start_time and self.end_time else None,
            end=self.ends_at if self.start_time else None,
            location=self.location,
            description=description,
            url=url,
            cancelled=self.status == self.Status.CANCELLED,
            organizer=self.organizer,
            attendees=attendees,
        )


def _members_only_title(title: str) -> str:
    return title if "委員限り" in title else f"{title}（委員限り）"


@dataclass(frozen=True)
class TimetableRow:
    item: AgendaItem
    start: time | None
    end: time | None


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("開会")
        GREETING = "greeting", _("挨拶")
        HEARING = "hearing", _("ヒアリング")
        REPORT = "report", _("報告")
        DISCUSSION = "discussion", _("討議")
        CLOSING = "closing", _("閉会")
        OTHER = "other", _("その他")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(
        _("順番"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("議事"), max_length=300)
    minutes = models.PositiveSmallIntegerField(
        _("時間（分）"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MINUTES)],
        help_text=_("この議事に充てる時間"),
    )

    class Meta:
        verbose_name = _("議事")
        verbose_name_plural = _("議事")
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return self.title
