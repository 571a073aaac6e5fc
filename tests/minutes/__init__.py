"""What the minutes tests share: the attendance of 第2回 as the check-in desk recorded it,
and a page's form sent back the way a browser sends it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import lxml.html
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secretariat.meetings import actions as meetings
from secretariat.meetings.models import AgendaItem, Attendance, Invitation, Session
from secretariat.minutes import actions
from secretariat.minutes.models import Minutes, Statement
from tests import factories as f
from tests.base import Cast

ARRIVED = datetime.fromisoformat("2015-10-30T09:50+09:00")


@dataclass
class Day:
    """第2回 (held on 2015-10-30): two agenda items and who came.

    武山 (the cast's member, in the room), 森本 (online), 高橋's proxy 高橋 一郎, a
    ministry presenter and the secretariat."""

    session: Session
    hearing: AgendaItem
    discussion: AgendaItem
    takeyama: Attendance
    morimoto: Attendance
    proxy: Attendance
    presenter: Attendance
    secretariat: Attendance


def record_attendance(cast: Cast) -> Day:
    session = cast.draft
    hearing = f.make_agenda_item(session, "関係省庁ヒアリング", order=1)
    discussion = f.make_agenda_item(session, "意見交換", order=2)
    category = cast.member.category
    morimoto = f.make_membership(
        cast.platform,
        category,
        f.make_person("森本", "登志男", "もりもと", "としお", email="morimoto@example.jp"),
    )
    takahashi = f.make_membership(
        cast.platform,
        category,
        f.make_person("高橋", "進", "たかはし", "すすむ", email="takahashi@example.jp"),
    )
    invitations = {
        "takeyama": session.invitations.create(
            membership=cast.member, reply=Invitation.Reply.ATTENDING
        ),
        "morimoto": session.invitations.create(membership=morimoto, reply=Invitation.Reply.ONLINE),
        "proxy": session.invitations.create(
            membership=takahashi,
            reply=Invitation.Reply.PROXY,
            proxy_name="高橋 一郎",
            proxy_title="副会長",
        ),
    }
    arrivals = {
        key: meetings.check_in(session=session, by=cast.clerk, now=ARRIVED, invitation=invitation)
        for key, invitation in invitations.items()
    }
    presenter = meetings.check_in(
        session=session,
        by=cast.clerk,
        now=ARRIVED,
        name="山田 太郎",
        title="総務省自治行政局長",
        capacity=Attendance.Capacity.PRESENTER,
    )
    secretariat = meetings.check_in(
        session=session,
        by=cast.clerk,
        now=ARRIVED,
        name="佐藤 健",
        title="参事官",
        capacity=Attendance.Capacity.SECRETARIAT,
    )
    return Day(
        session=session,
        hearing=hearing,
        discussion=discussion,
        presenter=presenter,
        secretariat=secretariat,
        **arrivals,
    )


def write_minutes(
    day: Day, by: Any, lines: list[tuple[Attendance, AgendaItem | None, str]]
) -> Minutes:
    """Minutes holding `lines` (speaker, agenda item, text), saved as staff would."""
    minutes = actions.minutes_for(day.session)
    actions.save_minutes(
        minutes=minutes,
        version=minutes.version,
        summary="",
        statements=[
            actions.StatementInput(item.pk if item else None, speaker.pk, text)
            for speaker, item, text in lines
        ],
        by=by,
    )
    return minutes


def statements(minutes: Minutes) -> list[tuple[str, str]]:
    """(speaker's name, text) of each statement, in order, read from the database."""
    return [(s.speaker.name, s.text) for s in Statement.objects.filter(minutes=minutes)]


def form_data(html: str | bytes, action: str = "") -> dict[str, list[str]]:
    """The fields of the page's form posting to `action` ("" for a form with no action),
    as a browser submits them: the selected (or first) option of each select, checked
    boxes only, and textarea line ends as CRLF."""
    page = lxml.html.fromstring(html)
    forms = [form for form in page.forms if (form.get("action") or "") == action]
    assert len(forms) == 1, f"{len(forms)} forms post to {action!r}"
    data: dict[str, list[str]] = {}
    textareas = {t.name for t in forms[0].inputs if t.tag == "textarea"}
    for name, value in forms[0].form_values():
        if name in textareas:
            # The line break right after <textarea> is markup, not content (HTML §13.1.2.5).
            value = value.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")
        data.setdefault(name, []).append(value)
    return data


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def draft_minutes(day: Day, by: Any) -> Minutes:
    """The minutes of 第2回 in draft: six statements by five speakers, 武山 twice."""
    return write_minutes(
        day,
        by,
        [
            (day.secretariat, day.hearing, "資料1について説明します。"),
            (day.presenter, day.hearing, "総務省です。窓口の統合を進めています。"),
            (day.takeyama, day.discussion, "窓口の統合に賛成です。"),
            (day.morimoto, day.discussion, "オンラインから補足します。"),
            (day.takeyama, day.discussion, "IT化も重要です。"),
            (day.proxy, day.discussion, "高橋の代理として発言します。"),
        ],
    )
