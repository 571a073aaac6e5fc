"""Session.timetable() and overrun_minutes(): each agenda item's times, counted from the
session's start, and the warning on the presenters page when the agenda runs past the end."""

from __future__ import annotations

from datetime import time

from django.urls import reverse

from secretariat.meetings.models import AgendaItem
from tests import factories as f

OVERRUN = "議事の時間の合計が、会議の終了時刻を{}分超えています。"


def _agenda(session, *rows):
    """(order, kind, title, minutes) rows, created out of order to show `order` decides."""
    items = [
        f.make_agenda_item(session, title, order=order, kind=kind, minutes=minutes)
        for order, kind, title, minutes in reversed(rows)
    ]
    return list(reversed(items))


def _times(rows):
    return [(row.item.title, row.start, row.end) for row in rows]


def _presenters_page(client, cast, session):
    client.force_login(cast.clerk)
    response = client.get(reverse("meetings:presenters", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_times_are_counted_from_the_sessions_start(cast):
    # cast.published: 10:00～11:30
    _agenda(
        cast.published,
        (1, AgendaItem.Kind.OPENING, "開会", 5),
        (2, AgendaItem.Kind.GREETING, "大臣挨拶", 10),
        (3, AgendaItem.Kind.HEARING, "関係省庁ヒアリング", 45),
        (4, AgendaItem.Kind.DISCUSSION, "意見交換", 25),
        (5, AgendaItem.Kind.CLOSING, "閉会", 5),
    )
    rows = cast.published.timetable()
    assert _times(rows) == [
        ("開会", time(10, 0), time(10, 5)),
        ("大臣挨拶", time(10, 5), time(10, 15)),
        ("関係省庁ヒアリング", time(10, 15), time(11, 0)),
        ("意見交換", time(11, 0), time(11, 25)),
        ("閉会", time(11, 25), time(11, 30)),
    ]
    assert cast.published.overrun_minutes(rows) == 0


def test_an_item_without_minutes_takes_no_time(cast):
    _agenda(
        cast.published,
        (1, AgendaItem.Kind.OPENING, "開会", None),
        (2, AgendaItem.Kind.REPORT, "事務局報告", 20),
    )
    rows = cast.published.timetable()
    assert _times(rows) == [
        ("開会", time(10, 0), time(10, 0)),
        ("事務局報告", time(10, 0), time(10, 20)),
    ]


def test_a_session_with_a_later_start_moves_every_item(cast):
    session = f.make_session(cast.platform, start_time=time(14, 30), end_time=time(16, 0))
    _agenda(
        session,
        (1, AgendaItem.Kind.HEARING, "ヒアリング", 50),
        (2, AgendaItem.Kind.DISCUSSION, "討議", 40),
    )
    assert _times(session.timetable()) == [
        ("ヒアリング", time(14, 30), time(15, 20)),
        ("討議", time(15, 20), time(16, 0)),
    ]


def test_without_a_start_time_there_are_no_times(cast):
    # cast.planned has neither a date nor times.
    _agenda(cast.planned, (1, AgendaItem.Kind.HEARING, "ヒアリング", 200))
    rows = cast.planned.timetable()
    assert _times(rows) == [("ヒアリング", None, None)]
    assert cast.planned.overrun_minutes(rows) == 0


def test_without_an_end_time_nothing_overruns(cast):
    session = f.make_session(cast.platform, start_time=time(10, 0), end_time=None)
    _agenda(session, (1, AgendaItem.Kind.HEARING, "ヒアリング", 600))
    assert session.overrun_minutes(session.timetable()) == 0


def test_an_empty_agenda_does_not_overrun(cast):
    assert cast.published.timetable() == []
    assert cast.published.overrun_minutes([]) == 0


def test_overrun_minutes(cast):
    _agenda(
        cast.published,
        (1, AgendaItem.Kind.HEARING, "ヒアリング", 60),
        (2, AgendaItem.Kind.DISCUSSION, "討議", 45),
    )
    assert cast.published.overrun_minutes(cast.published.timetable()) == 15


def test_an_agenda_past_midnight_still_counts_its_overrun(cast):
    session = f.make_session(cast.platform, start_time=time(22, 0), end_time=time(23, 30))
    _agenda(session, (1, AgendaItem.Kind.DISCUSSION, "討議", 150))
    rows = session.timetable()
    assert _times(rows) == [("討議", time(22, 0), time(0, 30))]
    assert session.overrun_minutes(rows) == 60


def test_the_presenters_page_warns_of_an_overrun_with_the_minutes(client, cast):
    _agenda(
        cast.published,
        (1, AgendaItem.Kind.OPENING, "開会", 5),
        (2, AgendaItem.Kind.HEARING, "関係省庁ヒアリング", 80),
        (3, AgendaItem.Kind.CLOSING, "閉会", 12),
    )
    html = _presenters_page(client, cast, cast.published)
    assert OVERRUN.format(7) in html
    assert 'role="alert"' in html
    # The times, in the order of the agenda, with the kinds.
    assert html.index("10:00～10:05") < html.index("10:05～11:25") < html.index("11:25～11:37")
    assert "<td>開会</td>" in html
    assert "<td>ヒアリング</td>" in html
    assert "<td>閉会</td>" in html


def test_no_warning_when_the_agenda_fits(client, cast):
    _agenda(
        cast.published,
        (1, AgendaItem.Kind.HEARING, "関係省庁ヒアリング", 60),
        (2, AgendaItem.Kind.DISCUSSION, "意見交換", 30),
    )
    html = _presenters_page(client, cast, cast.published)
    assert "会議の終了時刻を" not in html
    assert "11:00～11:30" in html


def test_an_item_without_minutes_shows_only_its_start(client, cast):
    _agenda(
        cast.published,
        (1, AgendaItem.Kind.OPENING, "開会", None),
        (2, AgendaItem.Kind.HEARING, "関係省庁ヒアリング", 30),
    )
    html = _presenters_page(client, cast, cast.published)
    assert "<td>10:00～</td>" in html
    assert "10:00～10:30" in html


def test_editing_the_agenda_moves_the_times(client, cast):
    first, second = _agenda(
        cast.published,
        (1, AgendaItem.Kind.HEARING, "ヒアリング", 30),
        (2, AgendaItem.Kind.DISCUSSION, "討議", 30),
    )
    second.order = 0
    second.save()
    first.minutes = 90
    first.save()
    rows = cast.published.timetable()
    assert _times(rows) == [
        ("討議", time(10, 0), time(10, 30)),
        ("ヒアリング", time(10, 30), time(12, 0)),
    ]
    assert cast.published.overrun_minutes(rows) == 30
    assert OVERRUN.format(30) in _presenters_page(client, cast, cast.published)


def test_the_agenda_document_carries_the_timetable(cast):
    _agenda(
        cast.published,
        (1, AgendaItem.Kind.OPENING, "開会", None),
        (2, AgendaItem.Kind.HEARING, "関係省庁ヒアリング", 45),
    )
    lines = cast.published.to_agenda_doc().items
    assert [(line.number, line.kind, line.title, line.start, line.end) for line in lines] == [
        (1, "開会", "開会", "10:00", ""),
        (2, "ヒアリング", "関係省庁ヒアリング", "10:00", "10:45"),
    ]
