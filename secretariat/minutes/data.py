"""The plain data of the minutes documents and workbooks (exports/data.py), built from the
database for the renderers in exports/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from exports.data import (
    AttendeeGroup,
    FollowUpRow,
    MaterialLine,
    MinutesDoc,
    MinutesSection,
    PlatformWorkbook,
    SessionRow,
    SessionWorkbook,
    StatementLine,
    WorkbookAttendance,
    WorkbookMaterial,
    WorkbookStatement,
)
from exports.eras import format_date
from secretariat.council.models import Platform
from secretariat.meetings.models import Attendance, Invitation, Session
from secretariat.minutes.models import Minutes, speaker_label

# How each kind of attendee is listed under 出席者.
GROUPS = (
    ("構成員", (Attendance.Capacity.MEMBER, Attendance.Capacity.ONLINE, Attendance.Capacity.PROXY)),
    ("説明者", (Attendance.Capacity.PRESENTER,)),
    ("事務局", (Attendance.Capacity.SECRETARIAT,)),
    ("その他", (Attendance.Capacity.OTHER,)),
)


def _attendee_name(attendance: Attendance) -> str:
    if attendance.capacity == Attendance.Capacity.PROXY:
        return speaker_label(attendance)
    online = "（オンライン）" if attendance.capacity == Attendance.Capacity.ONLINE else ""
    return f"{attendance.name} {attendance.title}".strip() + online


def _attendances(session: Session) -> list[Attendance]:
    return list(
        session.attendances.select_related("invitation__membership__person").order_by(
            "invitation__membership__category__order", "invitation__membership__order", "pk"
        )
    )


def minutes_doc(session: Session, *, verbatim: bool, public: bool = False) -> MinutesDoc:
    """議事録 (verbatim: every statement by speaker) or 議事要旨 (the summary, and speaker
    names only when the platform's policy allows). The staff's copy lists members-only
    materials among 配布資料; the `public` one, published on the site, only public ones."""
    minutes: Minutes = session.minutes
    platform = session.platform
    names = platform.minutes_name_speakers if verbatim else platform.summary_names_speakers
    attendances = _attendances(session)
    groups = tuple(
        AttendeeGroup(heading, tuple(_attendee_name(a) for a in attendances if a.capacity in kinds))
        for heading, kinds in GROUPS
        if any(a.capacity in kinds for a in attendances)
    )
    statements = list(
        minutes.statements.select_related("agenda_item", "speaker__invitation__membership__person")
    )
    items = list(session.agenda_items.all())
    sections = []
    for number, item in enumerate([None, *items]):
        said = [s for s in statements if s.agenda_item_id == (item.pk if item else None)]
        if not said:
            continue
        title = f"（{number}）{item.title}" if item else "（議事以外）"
        sections.append(
            MinutesSection(
                title,
                tuple(
                    StatementLine(speaker_label(s.speaker) if names else "", s.text) for s in said
                ),
            )
        )
    listed = (
        session.materials.filter(access="public")
        if public
        else session.materials.exclude(access="not_public")
    )
    materials = tuple(MaterialLine(m.label, m.title) for m in listed.order_by("order", "pk"))
    approved = minutes.approved_at
    return MinutesDoc(
        kind="議事録" if verbatim else "議事要旨",
        platform_name=platform.name,
        session_title=session.title,
        when=session.when,
        venue=session.location,
        attendees=groups,
        agenda=tuple(item.title for item in items),
        summary=tuple(p for p in minutes.summary.splitlines() if p.strip()),
        sections=tuple(sections),
        materials=materials,
        draft=minutes.status != Minutes.Status.APPROVED,
        approved=format_date(timezone.localdate(approved)) if approved else "",
    )


def session_workbook(session: Session) -> SessionWorkbook:
    attendance = tuple(
        WorkbookAttendance(
            category=a.invitation.membership.category.name if a.invitation else "",
            name=a.name,
            title=a.title,
            attendance=a.get_capacity_display(),
            note=speaker_label(a) if a.capacity == Attendance.Capacity.PROXY else "",
        )
        for a in session.attendances.select_related(
            "invitation__membership__person", "invitation__membership__category"
        )
    )
    materials = tuple(
        WorkbookMaterial(m.label, m.title, m.get_access_display(), m.original_name, m.size_bytes)
        for m in session.materials.order_by("order", "pk")
    )
    minutes = getattr(session, "minutes", None)
    statements = (
        tuple(
            WorkbookStatement(
                s.order,
                s.agenda_item.title if s.agenda_item else "",
                speaker_label(s.speaker),
                s.text,
                s.get_confirmation_display(),
            )
            for s in minutes.statements.select_related(
                "agenda_item", "speaker__invitation__membership__person"
            )
        )
        if minutes
        else ()
    )
    return SessionWorkbook(
        platform_name=session.platform.name,
        session_title=session.title,
        when=session.when,
        attendance=attendance,
        materials=materials,
        statements=statements,
        generated_at=timezone.localtime().replace(microsecond=0),
    )


MARKS = {
    Attendance.Capacity.MEMBER: "出席",
    Attendance.Capacity.ONLINE: "オンライン",
    Attendance.Capacity.PROXY: "代理",
}
REPLY_MARKS = {
    Invitation.Reply.ATTENDING: "出席",
    Invitation.Reply.ONLINE: "オンライン",
    Invitation.Reply.PROXY: "代理",
    Invitation.Reply.ABSENT: "欠席",
}


def platform_workbook(platform: Platform) -> PlatformWorkbook:
    """Session list, the member × session matrix (what was recorded on the day, else the
    reply) and the follow-up tracker. The matrix rows are produced one at a time."""
    sessions = list(
        platform.sessions.exclude(status=Session.Status.PLANNED)
        .select_related("site_visit")
        .order_by("date", "number", "pk")
    )
    memberships = list(platform.memberships.select_related("person", "organisation", "category"))
    session_ids = [s.pk for s in sessions]

    class Matrix:
        """Re-iterable: the checksum and the renderer each read the rows, one at a time."""

        def __iter__(self) -> Iterator[tuple[str, ...]]:
            return rows()

    def rows() -> Iterator[tuple[str, ...]]:
        for membership in memberships:
            marks = {}
            for invitation in Invitation.objects.filter(
                membership=membership, session_id__in=session_ids
            ).prefetch_related("attendances"):
                arrived = next(iter(invitation.attendances.all()), None)
                marks[invitation.session_id] = (
                    MARKS.get(arrived.capacity, "出席")
                    if arrived
                    else REPLY_MARKS.get(invitation.reply, "")
                )
            yield tuple(marks.get(session_id, "") for session_id in session_ids)

    return PlatformWorkbook(
        platform_name=platform.name,
        sessions=tuple(
            SessionRow(s.title, s.date, s.topics, s.get_status_display()) for s in sessions
        ),
        members=tuple(m.display_name for m in memberships),
        attendance=Matrix(),
        follow_ups=tuple(
            FollowUpRow(
                f.raised_at.title if f.raised_at else "",
                f.issue,
                f.ministry.name if f.ministry else "",
                f.get_status_display(),
                f.due,
                f.note,
            )
            for f in platform.follow_ups.select_related("raised_at", "ministry")
        ),
        generated_at=timezone.localtime().replace(microsecond=0),
    )


@dataclass(frozen=True)
class Deadline:
    session: Session
    status: str  # the minutes' status, or 未着手
    summary_due: date
    minutes_due: date
    overdue: bool


def minutes_deadlines(platforms: QuerySet[Platform], today: date) -> list[Deadline]:
    """Held sessions whose minutes are not approved, with the platform's 議事要旨 and
    議事録 deadlines; overdue first, then by the nearest deadline."""
    held = (
        Session.objects.filter(
            platform__in=platforms,
            date__lt=today,
            number__isnull=False,
            status__in=Session.NUMBERED_STATUSES,
        )
        .exclude(minutes__status=Minutes.Status.APPROVED)
        .select_related("platform", "minutes")
    )
    rows = []
    for session in held:
        platform = session.platform
        assert session.date is not None
        summary_due = platform.due_date(session.date, platform.summary_due_days)
        minutes_due = platform.due_date(session.date, platform.minutes_due_days)
        minutes = getattr(session, "minutes", None)
        rows.append(
            Deadline(
                session,
                minutes.get_status_display() if minutes else "未着手",
                summary_due,
                minutes_due,
                overdue=summary_due < today,
            )
        )
    return sorted(rows, key=lambda d: (not d.overdue, d.summary_due, d.session.pk))
