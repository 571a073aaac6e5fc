"""What the public sees of a session: one frozen record, and the chokepoint that reads it.

A publication stores, in `Publication.page`, a copy of everything the public pages show
about its session (回数, kind, date and times, venue, 内容, 議事 with their presenters,
site-visit days and stops, the session that reported a visit), built by `page_of()`.
Public pages, the meeting lists, the calendar and Atom feeds, the sitemap, bundles and
the static export read sessions only through `public_sessions()` and
`get_public_session()`, which return `PublicSession` records, never live rows:

- a session whose current publication is public shows that publication's copy, so an
  edit made after publishing (an agenda item added, the venue changed) reaches the
  public only when staff publish again;
- a session whose publication was withdrawn shows the copy frozen at the withdrawal
  (withdrawing is a publication step too), without its files;
- a session never published is an announcement (開催案内): it shows its live announced
  fields, since there is no publication step for an announcement and staff expect a
  corrected date or venue to show at once.

Both go through `page_of()` and `PublicSession.from_page()`, so an announcement and a
publication of the same session render alike and every copy is validated on the way in
and out. The gallery (傍聴) form is the one live part of a public page: it takes seats
now, so it shows the capacity and deadline it enforces (see the public views).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from exports.data import CalendarEvent, CalendarPerson
from exports.eras import format_dates, format_datetime
from secretariat.council.models import Platform
from secretariat.meetings.models import Session
from secretariat.meetings.models.session import TOKYO
from secretariat.publishing.models import Publication

PAGE_FORMAT = 1


class PageError(ValueError):
    """A stored page that is not what `page_of()` writes."""


@dataclass(frozen=True)
class PublicAgendaItem:
    id: int
    title: str
    presenters: tuple[str, ...]


@dataclass(frozen=True)
class PublicStop:
    prefecture: str
    municipality: str
    host: str
    theme: str


@dataclass(frozen=True)
class PublicSession:
    """A session as the public sees it (see the module docstring for which copy)."""

    pk: int
    platform: Platform
    status: str
    number: int | None
    kind: str
    topics: str
    date: date | None
    start_time: time | None
    end_time: time | None
    venue_name: str
    venue_address: str
    online: bool
    agenda: tuple[PublicAgendaItem, ...]
    visit_days: tuple[date, ...]
    stops: tuple[PublicStop, ...]
    summary: str
    reported_in: int | None
    uid: str
    sequence: int
    # The current public publication (materials, bundle, corrections), None for an
    # announcement; `lastmod` is when what the public sees last changed.
    publication: Publication | None
    lastmod: datetime

    @classmethod
    def from_page(
        cls,
        page: object,
        *,
        pk: int,
        platform: Platform,
        status: str,
        publication: Publication | None,
        lastmod: datetime,
    ) -> PublicSession:
        if not isinstance(page, dict) or page.get("format") != PAGE_FORMAT:
            raise PageError("unknown page format")
        return cls(
            pk=pk,
            platform=platform,
            status=status,
            number=_optional(page, "number", int),
            kind=_text(page, "kind"),
            topics=_text(page, "topics"),
            date=_day(page.get("date")),
            start_time=_clock(page.get("start_time")),
            end_time=_clock(page.get("end_time")),
            venue_name=_text(page, "venue_name"),
            venue_address=_text(page, "venue_address"),
            online=_value(page, "online", bool),
            agenda=tuple(
                PublicAgendaItem(
                    id=_value(item, "id", int),
                    title=_text(item, "title"),
                    presenters=tuple(_strings(item, "presenters")),
                )
                for item in _list(page, "agenda")
            ),
            visit_days=tuple(_day(day) or _bad("visit_days") for day in _list(page, "visit_days")),
            stops=tuple(
                PublicStop(
                    prefecture=_text(stop, "prefecture"),
                    municipality=_text(stop, "municipality"),
                    host=_text(stop, "host"),
                    theme=_text(stop, "theme"),
                )
                for stop in _list(page, "stops")
            ),
            summary=_text(page, "summary"),
            reported_in=_optional(page, "reported_in", int),
            uid=_text(page, "uid"),
            sequence=_value(page, "sequence", int),
            publication=publication,
            lastmod=lastmod,
        )

    @property
    def is_site_visit(self) -> bool:
        return self.kind == Session.Kind.SITE_VISIT

    @property
    def title(self) -> str:
        # As Session.title.
        if self.number:
            return f"第{self.number}回"
        if self.is_site_visit:
            return str(Session.Kind.SITE_VISIT.label)
        return _("次回会合（日程調整中）")

    @property
    def full_title(self) -> str:
        return f"{self.title} {self.platform.name}"

    @property
    def when(self) -> str:
        # As Session.when.
        if self.is_site_visit and self.visit_days:
            return format_dates(self.visit_days)
        if not self.date:
            return _("日程調整中")
        return format_datetime(self.date, self.start_time, self.end_time)

    @property
    def venue(self) -> str:
        parts = [self.venue_name, "オンライン" if self.online else ""]
        return "・".join(p for p in parts if p)

    @property
    def location(self) -> str:
        address = f"（{self.venue_address}）" if self.venue_address else ""
        return f"{self.venue}{address}"

    def to_calendar_event(self, *, description: str = "", url: str = "") -> CalendarEvent:
        """As Session.to_calendar_event, for the platform's public calendar."""
        assert self.date is not None, "only a session with a date goes into a calendar"
        starts = datetime.combine(self.date, self.start_time or time(0), tzinfo=TOKYO)
        ends = datetime.combine(self.date, self.end_time, tzinfo=TOKYO) if self.end_time else None
        platform = self.platform
        return CalendarEvent(
            uid=f"{self.uid}@secretariat",
            sequence=self.sequence,
            summary=self.full_title,
            day=self.date,
            start=starts if self.start_time and self.end_time else None,
            end=ends if self.start_time else None,
            location=self.location,
            description=description,
            url=url,
            organizer=CalendarPerson(
                platform.secretariat_email or settings.DEFAULT_FROM_EMAIL,
                platform.secretariat_office or f"{platform.name} 事務局",
            ),
        )


def page_of(session: Session) -> dict[str, Any]:
    """The one function that copies a live session into a page (JSON), read with the
    prefetches of `_sessions()` where given. Checked by reading it back, so a page that
    `PublicSession.from_page()` would refuse is never stored."""
    visit = getattr(session, "site_visit", None) if session.is_site_visit else None
    page = {
        "format": PAGE_FORMAT,
        "number": session.number,
        "kind": session.kind,
        "topics": session.topics,
        "date": session.date.isoformat() if session.date else None,
        "start_time": session.start_time.isoformat("minutes") if session.start_time else None,
        "end_time": session.end_time.isoformat("minutes") if session.end_time else None,
        "venue_name": session.venue_name,
        "venue_address": session.venue_address,
        "online": session.online,
        "agenda": [
            {
                "id": item.pk,
                "title": item.title,
                "presenters": [p.display_name for p in item.presenters.all()],
            }
            for item in session.agenda_items.all()
        ],
        "visit_days": [day.isoformat() for day in session.visit_days()],
        "stops": [
            {
                "prefecture": stop.prefecture,
                "municipality": stop.municipality,
                "host": stop.host,
                "theme": stop.theme,
            }
            for stop in (visit.stops.all() if visit else [])
        ],
        "summary": visit.summary if visit else "",
        "reported_in": _reporting_session(session),
        "uid": str(session.uid),
        "sequence": session.ical_sequence,
    }
    PublicSession.from_page(
        page,
        pk=session.pk,
        platform=session.platform,
        status=session.status,
        publication=None,
        lastmod=session.updated_at,
    )
    return page


def _reporting_session(session: Session) -> int | None:
    """The session whose agenda reported this site visit (現地視察報告)."""
    visit = getattr(session, "site_visit", None) if session.is_site_visit else None
    if visit is None or visit.reported_at is None:
        return None
    return visit.reported_at.session_id


def _sessions() -> Any:
    return (
        Session.objects.public()
        .select_related("platform", "site_visit__reported_at")
        .prefetch_related(
            "agenda_items__presenters__organisation",
            "agenda_items__presenters__membership__person",
            "site_visit__days",
            "site_visit__stops",
            Prefetch(
                "publications",
                queryset=Publication.objects.filter(is_current=True),
                to_attr="current_publications",
            ),
        )
    )


def _public(session: Session) -> PublicSession:
    publication = next(iter(session.current_publications), None)  # type: ignore[attr-defined]
    if publication is not None and not publication.is_public and publication.page:
        return PublicSession.from_page(
            publication.page,
            pk=session.pk,
            platform=session.platform,
            status=session.status,
            publication=None,
            lastmod=publication.published_at,
        )
    if publication is not None and publication.is_public:
        publication.session = session
        return PublicSession.from_page(
            publication.page,
            pk=session.pk,
            platform=session.platform,
            status=Session.Status.PUBLISHED,
            publication=publication,
            lastmod=publication.published_at,
        )
    return PublicSession.from_page(
        page_of(session),
        pk=session.pk,
        platform=session.platform,
        status=session.status,
        publication=None,
        lastmod=session.updated_at,
    )


def _newest_first(session: PublicSession) -> tuple[bool, date, int, int]:
    # As SessionQuerySet.newest_first, on what the public sees: undated first.
    return (session.date is None, session.date or date.min, session.number or 0, session.pk)


def public_sessions(platform: Platform | None = None) -> list[PublicSession]:
    """The public sessions (of one platform, or of every public one), newest first."""
    sessions = _sessions() if platform is None else _sessions().filter(platform=platform)
    return sorted((_public(s) for s in sessions), key=_newest_first, reverse=True)


def find_public_session(platform: Platform, pk: int) -> PublicSession | None:
    session = _sessions().filter(platform=platform, pk=pk).first()
    return None if session is None else _public(session)


def get_public_session(platform: Platform, pk: int) -> PublicSession:
    """One public session of the platform, or 404."""
    session = find_public_session(platform, pk)
    if session is None:
        raise Http404
    return session


def published_page(publication: Publication) -> PublicSession:
    """A publication's own copy (feeds describe each revision as it was published)."""
    session = publication.session
    return PublicSession.from_page(
        publication.page,
        pk=session.pk,
        platform=session.platform,
        status=Session.Status.PUBLISHED,
        publication=publication,
        lastmod=publication.published_at,
    )


def _bad(key: str) -> Any:
    raise PageError(f"bad {key}")


def _value(data: object, key: str, kind: type) -> Any:
    value = data.get(key) if isinstance(data, dict) else None
    # bool is an int: an id or a count must not be one.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        _bad(key)
    return value


def _text(data: object, key: str) -> str:
    return str(_value(data, key, str))


def _optional(data: dict[str, Any], key: str, kind: type) -> Any:
    return None if data.get(key) is None else _value(data, key, kind)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    return list(_value(data, key, list))


def _strings(data: object, key: str) -> list[str]:
    values = _value(data, key, list)
    if not all(isinstance(value, str) for value in values):
        _bad(key)
    return list(values)


def _day(value: object) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)) if isinstance(value, str) else _bad("date")
    except ValueError as error:
        raise PageError("bad date") from error


def _clock(value: object) -> time | None:
    if value is None:
        return None
    try:
        return time.fromisoformat(value) if isinstance(value, str) else _bad("time")
    except ValueError as error:
        raise PageError("bad time") from error
