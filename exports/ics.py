"""iCalendar rendering: iTIP invitations and cancellations, and subscription feeds.

Spec: shared/notes/library-pitfalls.md §1. icalendar (>= 7.3) does the escaping, the
CRLF line endings and the 75-octet folding that never splits a UTF-8 sequence; this module
decides what goes in and refuses input that would make a message clients mishandle.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress
from icalendar.enums import CUTYPE, PARTSTAT, ROLE, STATUS
from icalendar.parser import Parameters

from exports.data import CalendarAttendee, CalendarEvent, CalendarPerson

__all__ = ["PRODID", "OutOfRangeError", "render_feed", "render_itip"]

PRODID = "-//Secretariat//Council Secretariat//JA"
_TIMEZONE = "Asia/Tokyo"
_ITIP_METHODS = ("REQUEST", "CANCEL")

_TOKYO = ZoneInfo(_TIMEZONE)
_ROLES = frozenset(ROLE)
_PARTSTATS = frozenset(PARTSTAT)

# icalendar quotes CN only when it holds a space, ' , ; or : so CN=田中太郎 would go out bare,
# which ical4j-based clients drop with the whole parameter list (notes §1.4). The setting is
# class-wide, hence once, at import.
if "CN" not in Parameters.always_quoted:
    # icalendar infers a fixed-length tuple type for the attribute; a longer one is intended.
    Parameters.always_quoted = (*Parameters.always_quoted, "CN")  # type: ignore[assignment]

# DQUOTE cannot appear in a parameter value (icalendar would write RFC 6868 ^', which Outlook
# does not decode) and control characters have no business in a display name.
_NOT_IN_NAME = re.compile(r'["\x00-\x1f\x7f-\x9f]')
# TEXT values may carry newlines (escaped as \n) and tabs, but no other control character
# (RFC 5545 §3.3.11 TSAFE-CHAR); icalendar 7.3 passes NUL, ESC and the like through raw.
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINE = re.compile(r"\r\n?")
_NOT_IN_EMAIL = re.compile(r"[\x00-\x20\x7f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class OutOfRangeError(ValueError):
    """An event at the very start or end of the calendar (0001-01-01, 9999-12-31), whose
    times cannot be written: no next day for DTEND, no UTC for a Tokyo time."""


def render_itip(event: CalendarEvent, *, method: str, stamp: datetime) -> bytes:
    """Render an iTIP message (RFC 5546) for one event, to be mailed as `text/calendar`.

    `method` is "REQUEST" (invite or update) or "CANCEL" (the whole event: STATUS:CANCELLED,
    RSVP=FALSE). The caller bumps `event.sequence` for every update and for the cancellation;
    `stamp` (aware, written in UTC as DTSTAMP) is when the message is built.

    Raises ValueError for an unknown method, a REQUEST for a cancelled event, an event with no
    organizer or no attendee, an email address with CR/LF, whitespace or control characters,
    an unknown ROLE or PARTSTAT, and the checks of the event's times and stamp
    (OutOfRangeError for a day at the edge of the calendar).
    """
    if method not in _ITIP_METHODS:
        raise ValueError(f"iTIP method must be one of {_ITIP_METHODS}, not {method!r}")
    if method == "REQUEST" and event.cancelled:
        raise ValueError(f"event {event.uid!r} is cancelled: send it with method CANCEL")
    if event.organizer is None:
        raise ValueError(f"event {event.uid!r} has no organizer: iTIP needs one")
    if not event.attendees:
        raise ValueError(f"event {event.uid!r} has no attendee: iTIP needs at least one")

    status = STATUS.CANCELLED if method == "CANCEL" else STATUS.CONFIRMED
    vevent = _vevent(event, stamp=stamp, status=status)
    vevent.organizer = _organizer(event.organizer)
    vevent.attendees = [_attendee(a, rsvp=method == "REQUEST") for a in event.attendees]

    # Calendar.new() also sets an RFC 7986 calendar UID (a random uuid4): iTIP does not use
    # it, and it would make the output differ on every call.
    cal = Calendar.new(prodid=PRODID, method=method)
    del cal["UID"]
    cal.add_component(vevent)
    return _serialise(cal)


def render_feed(events: Sequence[CalendarEvent], *, name: str, stamp: datetime) -> bytes:
    """Render a subscription feed (METHOD:PUBLISH) of `events`, sorted by (day, uid).

    A feed is public: it never carries ORGANIZER or ATTENDEE, whatever the events hold.
    Cancelled events stay in the feed with STATUS:CANCELLED so subscribers drop them. An
    event whose times cannot be written (OutOfRangeError) is left out: one bad date must
    not take the feed down for every subscriber.
    """
    cal = Calendar.new(prodid=PRODID, method="PUBLISH", name=_text(name))  # NAME, X-WR-CALNAME
    del cal["UID"]  # random on every call otherwise; RFC 7986 makes it optional
    cal.add("X-WR-TIMEZONE", _TIMEZONE)
    for event in sorted(events, key=lambda e: (e.day, e.uid)):
        status = STATUS.CANCELLED if event.cancelled else STATUS.CONFIRMED
        try:
            vevent = _vevent(event, stamp=stamp, status=status)
        except OutOfRangeError:
            continue
        cal.add_component(vevent)
    return _serialise(cal)


@functools.cache
def _vtimezone(tzid: str) -> Timezone:
    # Building a VTIMEZONE walks the zone's offsets from 1970 to 2038 (about 20 ms for
    # Asia/Tokyo, half the cost of an invitation email): build it once, reuse it.
    return Timezone.from_tzid(tzid)


def _serialise(cal: Calendar) -> bytes:
    # A VTIMEZONE for every TZID used (none for an all-day-only calendar), placed before the
    # components that refer to it, as Calendar.add_missing_timezones() would; then CRLF
    # lines folded at 75 octets.
    for position, tzid in enumerate(sorted(cal.get_missing_tzids())):
        cal.subcomponents.insert(position, _vtimezone(tzid))
    ics: bytes = cal.to_ical()  # unannotated in icalendar 7.3
    return ics


def _vevent(event: CalendarEvent, *, stamp: datetime, status: STATUS) -> Event:
    """The VEVENT both forms share: everything but ORGANIZER and ATTENDEE."""
    if not event.uid.strip() or _CONTROL.search(event.uid):
        raise ValueError(f"UID must be non-empty, with no control character: {event.uid!r}")
    if event.sequence < 0:
        raise ValueError(f"SEQUENCE must be >= 0, got {event.sequence}")
    start, end = _times(event)
    return Event.new(
        uid=event.uid,
        sequence=event.sequence,
        stamp=_utc(stamp),
        start=start,
        end=end,
        summary=_text(event.summary),
        location=_text(event.location) or None,
        description=_text(event.description) or None,
        url=event.url or None,
        status=status,
    )


def _times(event: CalendarEvent) -> tuple[date | datetime, date | datetime]:
    """DTSTART and DTEND: in Asia/Tokyo (TZID, with a VTIMEZONE) or, with no time of day,
    a whole day on `event.day` (VALUE=DATE, DTEND the next day as RFC 5545 §3.6.1 has it)."""
    try:
        return _checked_times(event)
    except OverflowError as error:
        raise OutOfRangeError(f"event {event.uid!r} is out of the calendar's range") from error


def _checked_times(event: CalendarEvent) -> tuple[date | datetime, date | datetime]:
    if event.start is None and event.end is None:
        return event.day, event.day + timedelta(days=1)
    if event.start is None or event.end is None:
        raise ValueError(f"event {event.uid!r} needs both start and end, or neither")
    if event.start.utcoffset() is None or event.end.utcoffset() is None:
        raise ValueError(f"event {event.uid!r} has a naive start or end")
    if event.end <= event.start:
        raise ValueError(f"event {event.uid!r} ends before it starts")
    # Any aware datetime is written as Asia/Tokyo wall time, so every message and feed has
    # the one TZID and the one VTIMEZONE, even for a fixed +09:00 offset.
    return event.start.astimezone(_TOKYO), event.end.astimezone(_TOKYO)


def _utc(stamp: datetime) -> datetime:
    # icalendar writes a naive DTSTAMP as if it were UTC: refuse it rather than be 9 hours off.
    if stamp.utcoffset() is None:
        raise ValueError("stamp must be an aware datetime")
    return stamp.astimezone(UTC)


def _organizer(person: CalendarPerson) -> vCalAddress:
    return vCalAddress.new(_email(person.email), cn=_name(person.name))


def _attendee(attendee: CalendarAttendee, *, rsvp: bool) -> vCalAddress:
    if attendee.role not in _ROLES:
        raise ValueError(f"unknown ROLE {attendee.role!r} for {attendee.email!r}")
    if attendee.partstat not in _PARTSTATS:
        raise ValueError(f"unknown PARTSTAT {attendee.partstat!r} for {attendee.email!r}")
    return vCalAddress.new(
        _email(attendee.email),
        cn=_name(attendee.name),
        cutype=CUTYPE.INDIVIDUAL,
        role=attendee.role,
        partstat=attendee.partstat,
        rsvp=rsvp,
    )


def _email(email: str) -> str:
    # icalendar 7.3 already refuses CR/LF in a CAL-ADDRESS; refuse here too, with a message
    # that names the field, and refuse the other characters an address never holds.
    if not email or _NOT_IN_EMAIL.search(email):
        raise ValueError(f"not a usable email address: {email!r}")
    return email


def _name(name: str) -> str | None:
    """The CN: NFC, no DQUOTE or control character; None (no CN, clients show the address)
    when nothing is left, rather than an empty CN=\"\"."""
    return _NOT_IN_NAME.sub("", unicodedata.normalize("NFC", name)).strip() or None


def _text(value: str) -> str:
    """A TEXT value with one newline form (\\n) and no other control character."""
    return _NOT_IN_TEXT.sub("", _NEWLINE.sub("\n", value))
