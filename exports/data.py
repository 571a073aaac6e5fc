"""Plain, frozen data that the domain builds and the renderers and templates read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class RosterMember:
    name: str  # 髙鳥　修一 / 全国知事会（中村　時広 愛媛県知事） / 総務省
    title: str  # 内閣府副大臣; empty when the name already carries it
    mark: str  # ◎ for the chair, ○ for the vice chair
    role: str  # 座長 / 座長代理, empty for ordinary members


@dataclass(frozen=True)
class RosterGroup:
    theme: str  # empty when the category is not divided by theme
    members: tuple[RosterMember, ...]


@dataclass(frozen=True)
class RosterCategory:
    number: int
    name: str
    note: str  # （五十音順、敬称略） or （敬称略）
    groups: tuple[RosterGroup, ...]

    @property
    def heading(self) -> str:
        return f"({self.number}){self.name}"


@dataclass(frozen=True)
class Roster:
    platform_name: str
    as_of: date
    categories: tuple[RosterCategory, ...]
    footnote: str

    @property
    def has_office_holders(self) -> bool:
        return any(m.mark for c in self.categories for g in c.groups for m in g.members)


@dataclass(frozen=True)
class CalendarPerson:
    email: str
    name: str


@dataclass(frozen=True)
class CalendarAttendee:
    email: str
    name: str
    role: str = "REQ-PARTICIPANT"  # CHAIR / REQ-PARTICIPANT / OPT-PARTICIPANT / NON-PARTICIPANT
    partstat: str = "NEEDS-ACTION"  # NEEDS-ACTION / ACCEPTED / DECLINED / TENTATIVE / DELEGATED


@dataclass(frozen=True)
class CalendarEvent:
    """One session as calendars see it. `start`/`end` are aware (Asia/Tokyo) datetimes;
    an event with no time of day is a whole-day event on `day`."""

    uid: str
    sequence: int
    summary: str
    day: date
    start: datetime | None
    end: datetime | None
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    organizer: CalendarPerson | None = None
    attendees: tuple[CalendarAttendee, ...] = ()


@dataclass(frozen=True)
class AttendanceRow:
    category: str
    name: str  # 髙鳥　修一 / 全国知事会（中村　時広 愛媛県知事） / 総務省
    title: str
    reply: str  # 出席 / 欠席 / 代理出席 / オンライン出席 / 未回答
    proxy: str  # 代理: name and title, empty otherwise
    comment: str
    replied_at: datetime | None
    entered_by: str  # empty when the member answered through their link


@dataclass(frozen=True)
class AttendanceSheet:
    platform_name: str
    session_title: str  # 第1回
    session_when: str  # 平成27年9月14日（月）10:00～11:30
    venue: str
    reply_deadline: str  # in 和暦, or empty
    rows: tuple[AttendanceRow, ...]  # already in category and member order
    generated_at: datetime


@dataclass(frozen=True)
class AgendaLine:
    """One 議事 item of the 議事次第, with its computed timetable."""

    number: int
    kind: str  # 開会 / 挨拶 / ヒアリング / 報告 / 討議 / 閉会 …
    title: str
    presenters: tuple[str, ...]  # 総務省 自治行政局長　山田　太郎 / 武山委員
    start: str  # 10:05
    end: str  # 10:20


@dataclass(frozen=True)
class MaterialLine:
    label: str  # 資料1, 資料2-1, 参考資料1 (may be empty)
    title: str


@dataclass(frozen=True)
class AgendaDoc:
    platform_name: str
    session_title: str  # 第1回
    when: str  # 平成27年9月14日（月）10:00～11:30
    venue: str
    items: tuple[AgendaLine, ...]
    materials: tuple[MaterialLine, ...]
    materials_heading: str = "配布資料"


@dataclass(frozen=True)
class Seat:
    name: str  # 髙鳥　修一 / 森本　花子
    title: str  # 内閣府副大臣 / 参与
    note: str = ""  # 代理（森本委員） / オンライン / 座長
    group: str = "member"  # member / presenter / secretariat


@dataclass(frozen=True)
class SeatingDoc:
    """The 座席表: the chair at the head, members round the table in order, then
    presenters and the secretariat."""

    platform_name: str
    session_title: str
    when: str
    venue: str
    chair: tuple[Seat, ...]  # 座長 (and 座長代理) at the head of the table
    members: tuple[Seat, ...]  # in list order; proxies marked in `note`
    presenters: tuple[Seat, ...]
    secretariat: tuple[Seat, ...]


@dataclass(frozen=True)
class VisitPhoto:
    data: bytes  # JPEG or PNG
    caption: str


@dataclass(frozen=True)
class VisitStopLine:
    day: str  # 平成27年10月8日（木）
    time: str  # 10:00～11:30, or empty
    place: str  # 愛知県岡崎市
    host: str  # 訪問先
    theme: str
    participants: tuple[str, ...]  # who went: members and secretariat
    findings: str  # paragraphs separated by blank lines
    photos: tuple[VisitPhoto, ...]


@dataclass(frozen=True)
class SiteVisitDoc:
    platform_name: str
    days: str  # 平成27年10月8日、9日、14日
    summary: str
    stops: tuple[VisitStopLine, ...]
    reported_at: str  # 第2回（平成27年10月30日）, or empty


@dataclass(frozen=True)
class AttendeeGroup:
    heading: str  # 構成員 / 説明者 / 事務局 — or a member category (経済財政諮問会議関係 …)
    names: tuple[str, ...]  # 髙鳥　修一 内閣府副大臣 / 森本　花子 参与（森本委員代理）


@dataclass(frozen=True)
class StatementLine:
    speaker: str  # 武山委員 / 総務省（山田自治行政局長）; empty when the document omits names
    text: str  # paragraphs separated by newlines


@dataclass(frozen=True)
class MinutesSection:
    """One agenda item of the minutes with its statements (議事録) or summary (議事要旨)."""

    title: str  # （1）関係省庁ヒアリング
    statements: tuple[StatementLine, ...]


@dataclass(frozen=True)
class MinutesDoc:
    """議事要旨 or 議事録, as the platform writes them."""

    kind: str  # 議事要旨 / 議事録
    platform_name: str
    session_title: str  # 第3回
    when: str  # 平成27年11月13日（金）10:00～12:00
    venue: str
    attendees: tuple[AttendeeGroup, ...]  # 敬称略
    agenda: tuple[str, ...]  # the 議事 list
    summary: tuple[str, ...]  # free paragraphs (議事要旨), before the sections
    sections: tuple[MinutesSection, ...]
    materials: tuple[MaterialLine, ...]
    draft: bool  # a 「案」 mark on every page until approved
    approved: str = ""  # 座長了解: 令和7年11月20日, or empty


@dataclass(frozen=True)
class WorkbookAttendance:
    category: str
    name: str
    title: str
    attendance: str  # 出席 / オンライン / 代理 / 欠席 / 説明者 / 事務局
    note: str  # 代理: name and title


@dataclass(frozen=True)
class WorkbookMaterial:
    label: str
    title: str
    access: str  # 公開 / 委員限り / 非公開 …
    file_name: str
    size_bytes: int


@dataclass(frozen=True)
class WorkbookStatement:
    order: int
    agenda_item: str
    speaker: str
    text: str
    confirmed: str  # 確認済み / 修正あり / 未確認 …


@dataclass(frozen=True)
class SessionWorkbook:
    platform_name: str
    session_title: str
    when: str
    attendance: tuple[WorkbookAttendance, ...]
    materials: tuple[WorkbookMaterial, ...]
    statements: tuple[WorkbookStatement, ...]
    generated_at: datetime


@dataclass(frozen=True)
class SessionRow:
    number: str  # 第3回 / 現地視察
    day: date | None
    topics: str
    status: str  # 開催予定 / 開催済み / 公開済み …


@dataclass(frozen=True)
class FollowUpRow:
    raised_at: str  # 第3回
    issue: str
    ministry: str
    status: str  # 未着手 / 対応中 / 完了
    due: date | None
    note: str


@dataclass(frozen=True)
class PlatformWorkbook:
    """The platform's workbook. `members` × `sessions` can be large: `attendance` is an
    iterable of rows (one per member, one mark per session in `sessions` order) so it can
    be streamed into a write-only sheet."""

    platform_name: str
    sessions: tuple[SessionRow, ...]
    members: tuple[str, ...]  # names in list order, for the matrix rows
    attendance: Iterable[tuple[str, ...]]  # per member: 出席 / 代理 / 欠席 / オンライン / ""
    follow_ups: tuple[FollowUpRow, ...]
    generated_at: datetime
