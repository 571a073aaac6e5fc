"""exports/ics.py, read back twice: by icalendar and by Mozilla's ical.js (Thunderbird's parser)
through tools/check-ics.mjs, which also checks folding, CRLF, UTF-8 and the iTIP rules."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from exports.data import CalendarAttendee, CalendarEvent, CalendarPerson
from exports.ics import PRODID, OutOfRangeError, render_feed, render_itip

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "tools" / "check-ics.mjs"
TOKYO = ZoneInfo("Asia/Tokyo")
STAMP = datetime(2026, 11, 27, 11, 51, 17, tzinfo=TOKYO)  # DTSTAMP:20261127T025117Z

ORGANIZER = CalendarPerson("secretariat@example.jp", "評議員会事務局")
TANAKA = CalendarAttendee("tanaka@example.jp", "田中太郎", role="CHAIR")
SUZUKI = CalendarAttendee("suzuki@example.jp", "鈴木 花子", partstat="ACCEPTED")
MEETING = CalendarEvent(
    uid="9b1f6c1e-2f0a-4c55-9d1e-0c8e4a1f2b3c@secretariat.example.jp",
    sequence=0,
    summary="第12回 評議員会",
    day=date(2026, 12, 3),
    start=datetime(2026, 12, 3, 14, 0, tzinfo=TOKYO),
    end=datetime(2026, 12, 3, 16, 0, tzinfo=TOKYO),
    location="中央合同庁舎第8号館 8階 特別中会議室",
    description="議事次第:\n1. 開会\n2. 議案審議\n3. 閉会",
    url="https://secretariat.example.jp/sessions/12/",
    organizer=ORGANIZER,
    attendees=(TANAKA, SUZUKI),
)


def _run_checker(ics: bytes, mode: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "ical.js" / "package.json").is_file():
        pytest.fail(
            "Node.js and node_modules/ical.js are needed to check .ics output with ical.js: "
            "run `make test` (it installs both)"
        )
    path = tmp_path / f"{mode.replace(' ', '-').lower()}-{len(list(tmp_path.iterdir()))}.ics"
    path.write_bytes(ics)
    return subprocess.run(
        [node, str(CHECKER), str(path), *mode.split()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def check_with_icaljs(ics: bytes, mode: str, tmp_path: Path) -> list[dict[str, Any]]:
    """Run tools/check-ics.mjs on `ics` in `mode` ("REQUEST", "CANCEL", "CANCEL uninvite",
    "PUBLISH") and return what ical.js read, one dict per VEVENT: uid, sequence, summary,
    location, description, status, allDay, startUTC, organizer and attendees (address, cn,
    cutype, role, partstat, rsvp). Fails the test on any checker complaint."""
    result = _run_checker(ics, mode, tmp_path)
    assert result.returncode == 0, f"ical.js check failed:\n{result.stderr}{result.stdout}"
    return [json.loads(line) for line in result.stdout.splitlines()]


def parse(ics: bytes) -> Calendar:
    return Calendar.from_ical(ics)


def only_event(ics: bytes) -> Event:
    (event,) = parse(ics).events
    return event


def content_lines(ics: bytes) -> list[str]:
    """The logical lines, unfolded."""
    return re.sub(rb"\r\n[ \t]", b"", ics).decode().split("\r\n")


def assert_well_folded(ics: bytes) -> None:
    physical = ics.split(b"\r\n")
    assert physical[-1] == b""
    for line in physical[:-1]:
        assert len(line) <= 75, line
        assert b"\n" not in line and b"\r" not in line
        line.decode("utf-8")  # a fold inside a multi-byte sequence would raise here


def test_request_carries_what_an_invitation_needs(tmp_path: Path) -> None:
    ics = render_itip(replace(MEETING, sequence=3), method="REQUEST", stamp=STAMP)

    cal = parse(ics)
    assert cal["METHOD"] == "REQUEST"
    assert cal["PRODID"] == PRODID == "-//Secretariat//Council Secretariat//JA"
    assert cal["VERSION"] == "2.0"
    assert "UID" not in cal
    event = only_event(ics)
    assert event["UID"] == MEETING.uid
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "第12回 評議員会"
    assert event["LOCATION"] == MEETING.location
    assert event["DESCRIPTION"] == MEETING.description
    assert event["URL"] == MEETING.url
    assert event.stamp == datetime(2026, 11, 27, 2, 51, 17, tzinfo=UTC)
    assert event.start == MEETING.start
    assert event.end == MEETING.end
    assert event["ORGANIZER"] == "mailto:secretariat@example.jp"
    assert event["ORGANIZER"].params["CN"] == "評議員会事務局"
    assert [(str(a), dict(a.params)) for a in event.attendees] == [
        (
            "mailto:tanaka@example.jp",
            {
                "CN": "田中太郎",
                "CUTYPE": "INDIVIDUAL",
                "ROLE": "CHAIR",
                "PARTSTAT": "NEEDS-ACTION",
                "RSVP": "TRUE",
            },
        ),
        (
            "mailto:suzuki@example.jp",
            {
                "CN": "鈴木 花子",
                "CUTYPE": "INDIVIDUAL",
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "ACCEPTED",
                "RSVP": "TRUE",
            },
        ),
    ]
    lines = content_lines(ics)
    assert "DTSTAMP:20261127T025117Z" in lines
    # CN is quoted even with no space in it (ical4j drops a bare non-ASCII CN).
    assert 'ORGANIZER;CN="評議員会事務局":mailto:secretariat@example.jp' in lines
    assert any(line.startswith('ATTENDEE;CN="田中太郎";') for line in lines)
    assert_well_folded(ics)

    (seen,) = check_with_icaljs(ics, "REQUEST", tmp_path)
    assert seen == {
        "uid": MEETING.uid,
        "sequence": 3,
        "summary": "第12回 評議員会",
        "location": "中央合同庁舎第8号館 8階 特別中会議室",
        "description": "議事次第:\n1. 開会\n2. 議案審議\n3. 閉会",
        "status": "CONFIRMED",
        "allDay": False,
        "startUTC": "2026-12-03T05:00:00Z",
        "organizer": "mailto:secretariat@example.jp",
        "attendees": [
            {
                "address": "mailto:tanaka@example.jp",
                "cn": "田中太郎",
                "cutype": "INDIVIDUAL",
                "role": "CHAIR",
                "partstat": "NEEDS-ACTION",
                "rsvp": "TRUE",
            },
            {
                "address": "mailto:suzuki@example.jp",
                "cn": "鈴木 花子",
                "cutype": "INDIVIDUAL",
                "role": "REQ-PARTICIPANT",
                "partstat": "ACCEPTED",
                "rsvp": "TRUE",
            },
        ],
    }


def test_times_are_in_tokyo_with_a_vtimezone(tmp_path: Path) -> None:
    ics = render_itip(MEETING, method="REQUEST", stamp=STAMP)

    lines = content_lines(ics)
    assert "DTSTART;TZID=Asia/Tokyo:20261203T140000" in lines
    assert "DTEND;TZID=Asia/Tokyo:20261203T160000" in lines
    (vtimezone,) = parse(ics).timezones
    assert vtimezone["TZID"] == "Asia/Tokyo"
    # The VTIMEZONE precedes the VEVENT that refers to it.
    assert lines.index("BEGIN:VTIMEZONE") < lines.index("BEGIN:VEVENT")
    (seen,) = check_with_icaljs(ics, "REQUEST", tmp_path)
    assert seen["startUTC"] == "2026-12-03T05:00:00Z"


def test_other_zones_are_written_as_tokyo_wall_time(tmp_path: Path) -> None:
    in_utc = replace(
        MEETING,
        start=datetime(2026, 12, 3, 5, 0, tzinfo=UTC),
        end=datetime(2026, 12, 3, 7, 0, tzinfo=UTC),
    )
    ics = render_itip(in_utc, method="REQUEST", stamp=STAMP)

    assert "DTSTART;TZID=Asia/Tokyo:20261203T140000" in content_lines(ics)
    assert check_with_icaljs(ics, "REQUEST", tmp_path)[0]["startUTC"] == "2026-12-03T05:00:00Z"


def test_an_event_with_no_time_of_day_is_a_whole_day(tmp_path: Path) -> None:
    site_visit = replace(MEETING, summary="現地視察", start=None, end=None)
    ics = render_itip(site_visit, method="REQUEST", stamp=STAMP)

    lines = content_lines(ics)
    assert "DTSTART;VALUE=DATE:20261203" in lines
    assert "DTEND;VALUE=DATE:20261204" in lines
    assert "BEGIN:VTIMEZONE" not in lines  # no TZID, so none needed
    event = only_event(ics)
    assert event.start == date(2026, 12, 3)
    assert event.end == date(2026, 12, 4)
    (seen,) = check_with_icaljs(ics, "REQUEST", tmp_path)
    assert (seen["allDay"], seen["startUTC"]) == (True, "2026-12-03")


def test_a_long_japanese_description_folds_without_splitting_characters(tmp_path: Path) -> None:
    # Mixed widths (1-, 3- and 4-byte characters, escapes) so folds land everywhere.
    paragraph = (
        "本日の評議員会では、令和8年度予算案（一般会計）及び事業計画について審議を行う。"
        "資料1～3を参照のこと; 質疑は座長の指名による。\\注記: 𠮷野家・髙島屋 🏛️ ABC\n"
    )
    description = paragraph * 30
    assert len(description) >= 2000
    event = replace(MEETING, description=description, location="会議室" * 40)

    for ics, mode in (
        (render_itip(event, method="REQUEST", stamp=STAMP), "REQUEST"),
        (render_feed([event], name="評議員会", stamp=STAMP), "PUBLISH"),
    ):
        assert_well_folded(ics)
        assert len(ics.split(b"\r\n")) > 100  # it really was folded
        assert only_event(ics)["DESCRIPTION"] == description
        (seen,) = check_with_icaljs(ics, mode, tmp_path)
        assert seen["description"] == description
        assert seen["location"] == "会議室" * 40


@pytest.mark.parametrize(
    "text",
    [
        "予算, 人事; 報告",
        "議題: 第1号議案",
        r"C:\共有\資料\\議事録",
        "一行目\n二行目\n\n四行目",
        'a,b;c:d\\e\nf"g',
        "\\n is not a newline, \\, is not a comma",
    ],
)
def test_special_characters_round_trip_exactly(text: str, tmp_path: Path) -> None:
    event = replace(MEETING, summary=text, location=text)
    ics = render_itip(event, method="REQUEST", stamp=STAMP)

    parsed = only_event(ics)
    assert (parsed["SUMMARY"], parsed["LOCATION"]) == (text, text)
    (seen,) = check_with_icaljs(ics, "REQUEST", tmp_path)
    assert (seen["summary"], seen["location"]) == (text, text)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_a_line_break_in_the_summary_cannot_inject_a_property(newline: str, tmp_path: Path) -> None:
    attack = f"会議{newline}ATTENDEE:mailto:evil@example.com"
    event = replace(MEETING, summary=attack, location=f"会場{newline}ORGANIZER:mailto:evil@ex.com")
    ics = render_itip(event, method="REQUEST", stamp=STAMP)

    lines = content_lines(ics)
    assert r"SUMMARY:会議\nATTENDEE:mailto:evil@example.com" in lines
    assert [
        line for line in lines if "evil" in line and not line.startswith(("SUMMARY:", "LOCATION:"))
    ] == []
    assert [line.split(";")[0] for line in lines if line.startswith(("ATTENDEE", "ORGANIZER"))] == [
        "ATTENDEE",
        "ATTENDEE",
        "ORGANIZER",
    ]
    parsed = only_event(ics)
    # Every line-break form comes back as one \n, inside the one SUMMARY.
    assert parsed["SUMMARY"] == "会議\nATTENDEE:mailto:evil@example.com"
    assert [str(a) for a in parsed.attendees] == [
        "mailto:tanaka@example.jp",
        "mailto:suzuki@example.jp",
    ]
    (seen,) = check_with_icaljs(ics, "REQUEST", tmp_path)
    assert seen["summary"] == "会議\nATTENDEE:mailto:evil@example.com"
    assert seen["organizer"] == "mailto:secretariat@example.jp"
    assert [a["address"] for a in seen["attendees"]] == [
        "mailto:tanaka@example.jp",
        "mailto:suzuki@example.jp",
    ]


def test_other_control_characters_are_dropped_from_text(tmp_path: Path) -> None:
    event = replace(MEETING, summary="会議\x00\x07\x1b[31m\x7f\tです", description="a\x0cb\x85c")
    ics = render_itip(event, method="REQUEST", stamp=STAMP)

    assert re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", ics) is None
    (seen,) = check_with_icaljs(ics, "REQUEST", tmp_path)
    assert (seen["summary"], seen["description"]) == ("会議[31m\tです", "abc")


def test_names_lose_quotes_and_control_characters(tmp_path: Path) -> None:
    event = replace(
        MEETING,
        organizer=CalendarPerson("secretariat@example.jp", '"評議員会" 事務局\r\n'),
        attendees=(
            CalendarAttendee("tanaka@example.jp", '田中 "タロウ" 太郎\x07'),
            CalendarAttendee("sato@example.jp", "佐藤\n\t一郎"),
            CalendarAttendee("kato@example.jp", "Kato, Jiro; Dr.: PhD"),
            CalendarAttendee("anon@example.jp", '"\x01"'),
        ),
    )
    ics = render_itip(event, method="REQUEST", stamp=STAMP)

    lines = content_lines(ics)
    assert 'ORGANIZER;CN="評議員会 事務局":mailto:secretariat@example.jp' in lines
    assert "^" not in ics.decode()  # no RFC 6868 escapes, which Outlook shows raw
    (seen,) = check_with_icaljs(ics, "REQUEST", tmp_path)
    assert [(a["address"], a["cn"]) for a in seen["attendees"]] == [
        ("mailto:tanaka@example.jp", "田中 タロウ 太郎"),
        ("mailto:sato@example.jp", "佐藤一郎"),
        ("mailto:kato@example.jp", "Kato, Jiro; Dr.: PhD"),
        ("mailto:anon@example.jp", None),  # nothing left: no CN rather than CN=""
    ]
    assert [a.params.get("CN") for a in only_event(ics).attendees] == [
        "田中 タロウ 太郎",
        "佐藤一郎",
        "Kato, Jiro; Dr.: PhD",
        None,
    ]


def test_cancel_keeps_the_uid_with_a_higher_sequence(tmp_path: Path) -> None:
    request = render_itip(replace(MEETING, sequence=1), method="REQUEST", stamp=STAMP)
    cancelled = replace(MEETING, sequence=2, cancelled=True)
    cancel = render_itip(cancelled, method="CANCEL", stamp=STAMP + timedelta(days=1))

    assert parse(cancel)["METHOD"] == "CANCEL"
    event = only_event(cancel)
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == only_event(request)["UID"] == MEETING.uid
    assert (only_event(request)["SEQUENCE"], event["SEQUENCE"]) == (1, 2)
    assert {a.params["RSVP"] for a in event.attendees} == {"FALSE"}
    assert "BEGIN:VTIMEZONE" in content_lines(cancel)
    (seen,) = check_with_icaljs(cancel, "CANCEL", tmp_path)
    assert (seen["uid"], seen["sequence"], seen["status"]) == (MEETING.uid, 2, "CANCELLED")
    assert [(a["address"], a["rsvp"]) for a in seen["attendees"]] == [
        ("mailto:tanaka@example.jp", "FALSE"),
        ("mailto:suzuki@example.jp", "FALSE"),
    ]
    # The event's own flag need not be set yet: the method decides.
    assert only_event(render_itip(MEETING, method="CANCEL", stamp=STAMP))["STATUS"] == "CANCELLED"


def _three_sessions() -> list[CalendarEvent]:
    return [
        replace(
            MEETING,
            uid="c-session@secretariat.example.jp",
            sequence=4,
            summary="第3回 専門委員会",
            day=date(2027, 1, 20),
            start=datetime(2027, 1, 20, 10, 0, tzinfo=TOKYO),
            end=datetime(2027, 1, 20, 12, 0, tzinfo=TOKYO),
            cancelled=True,
        ),
        MEETING,
        replace(
            MEETING,
            uid="a-visit@secretariat.example.jp",
            summary="現地視察（福島県）",
            day=date(2027, 1, 20),
            start=None,
            end=None,
            url="",
            attendees=(CalendarAttendee("kato@example.jp", "加藤次郎"),),
        ),
    ]


def test_a_feed_carries_events_but_never_people(tmp_path: Path) -> None:
    sessions = _three_sessions()
    ics = render_feed(sessions, name="評議員会 日程", stamp=STAMP)

    cal = parse(ics)
    assert cal["METHOD"] == "PUBLISH"
    assert cal["PRODID"] == PRODID
    assert cal["NAME"] == cal["X-WR-CALNAME"] == "評議員会 日程"
    assert cal["X-WR-TIMEZONE"] == "Asia/Tokyo"
    assert "UID" not in cal
    assert [(e["UID"], e["SEQUENCE"], e["STATUS"]) for e in cal.events] == [
        (MEETING.uid, 0, "CONFIRMED"),
        ("a-visit@secretariat.example.jp", 0, "CONFIRMED"),
        ("c-session@secretariat.example.jp", 4, "CANCELLED"),
    ]
    assert all(e.stamp == STAMP for e in cal.events)
    assert [e.get("URL") for e in cal.events] == [MEETING.url, None, MEETING.url]
    for forbidden in (b"ATTENDEE", b"ORGANIZER", b"mailto", b"MAILTO"):
        assert forbidden not in ics
    people = [p for s in sessions for p in (s.organizer, *s.attendees) if p is not None]
    assert len(people) == 8
    for person in people:
        assert person.email.encode() not in ics
        assert person.name.encode() not in ics
    assert_well_folded(ics)

    seen = check_with_icaljs(ics, "PUBLISH", tmp_path)
    assert [(e["uid"], e["startUTC"], e["status"], e["summary"]) for e in seen] == [
        (MEETING.uid, "2026-12-03T05:00:00Z", "CONFIRMED", "第12回 評議員会"),
        ("a-visit@secretariat.example.jp", "2027-01-20", "CONFIRMED", "現地視察（福島県）"),
        (
            "c-session@secretariat.example.jp",
            "2027-01-20T01:00:00Z",
            "CANCELLED",
            "第3回 専門委員会",
        ),
    ]
    assert all(e["organizer"] is None and e["attendees"] == [] for e in seen)


def test_an_empty_feed_is_valid(tmp_path: Path) -> None:
    ics = render_feed([], name="評議員会", stamp=STAMP)

    cal = parse(ics)
    assert (cal["METHOD"], cal["X-WR-CALNAME"], cal.events) == ("PUBLISH", "評議員会", [])
    assert check_with_icaljs(ics, "PUBLISH", tmp_path) == []


def test_the_same_input_gives_the_same_bytes() -> None:
    sessions = _three_sessions()
    feed = render_feed(sessions, name="評議員会", stamp=STAMP)
    assert render_feed(list(reversed(sessions)), name="評議員会", stamp=STAMP) == feed
    assert render_feed(tuple(sessions), name="評議員会", stamp=STAMP) == feed
    for method in ("REQUEST", "CANCEL"):
        first = render_itip(MEETING, method=method, stamp=STAMP)
        assert render_itip(MEETING, method=method, stamp=STAMP) == first
        # The same instant in another zone is the same DTSTAMP.
        assert render_itip(MEETING, method=method, stamp=STAMP.astimezone(UTC)) == first


@pytest.mark.parametrize(
    ("event", "method", "stamp", "message"),
    [
        (MEETING, "PUBLISH", STAMP, "method"),
        (MEETING, "request", STAMP, "method"),
        (MEETING, "REPLY", STAMP, "method"),
        (replace(MEETING, organizer=None), "REQUEST", STAMP, "no organizer"),
        (replace(MEETING, attendees=()), "CANCEL", STAMP, "no attendee"),
        (
            replace(
                MEETING, attendees=(CalendarAttendee("a@x.jp\r\nATTENDEE:mailto:evil@x", "A"),)
            ),
            "REQUEST",
            STAMP,
            "email",
        ),
        (
            replace(MEETING, organizer=CalendarPerson("o@x.jp\nX-EVIL:1", "O")),
            "CANCEL",
            STAMP,
            "email",
        ),
        (replace(MEETING, attendees=(CalendarAttendee("", "空"),)), "REQUEST", STAMP, "email"),
        (replace(MEETING, cancelled=True), "REQUEST", STAMP, "cancelled"),
        (MEETING, "REQUEST", datetime(2026, 11, 27, 11, 51), "aware"),  # noqa: DTZ001
        (replace(MEETING, end=None), "REQUEST", STAMP, "both start and end"),
        (replace(MEETING, end=MEETING.start), "REQUEST", STAMP, "ends before"),
        (
            replace(MEETING, start=datetime(2026, 12, 3, 14), end=datetime(2026, 12, 3, 16)),  # noqa: DTZ001
            "REQUEST",
            STAMP,
            "naive",
        ),
        (replace(MEETING, sequence=-1), "REQUEST", STAMP, "SEQUENCE"),
        (replace(MEETING, uid=""), "REQUEST", STAMP, "UID"),
        (replace(MEETING, attendees=(replace(TANAKA, role="chair"),)), "REQUEST", STAMP, "ROLE"),
        (
            replace(MEETING, attendees=(replace(TANAKA, partstat="YES"),)),
            "REQUEST",
            STAMP,
            "PARTSTAT",
        ),
    ],
)
def test_render_itip_refuses(
    event: CalendarEvent, method: str, stamp: datetime, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        render_itip(event, method=method, stamp=stamp)


def test_render_feed_refuses_a_naive_stamp() -> None:
    with pytest.raises(ValueError, match="aware"):
        render_feed([MEETING], name="評議員会", stamp=datetime(2026, 11, 27))  # noqa: DTZ001


def test_the_checker_rejects_what_it_should(tmp_path: Path) -> None:
    """The ical.js checker is only worth running if it can fail."""
    invite = render_itip(MEETING, method="REQUEST", stamp=STAMP)
    assert "ATTENDEE" in _run_checker(invite, "PUBLISH", tmp_path).stderr
    assert "METHOD is REQUEST" in _run_checker(invite, "CANCEL", tmp_path).stderr
    assert (
        "STATUS"
        in _run_checker(
            render_itip(MEETING, method="CANCEL", stamp=STAMP), "CANCEL uninvite", tmp_path
        ).stderr
    )

    # A naive folder cuts at 75 octets, through the middle of a character.
    one_line = content_lines(
        render_itip(replace(MEETING, summary="評議員会" * 30), method="REQUEST", stamp=STAMP)
    )
    raw = "\r\n".join(one_line).encode()
    naive = re.sub(rb"(?m)^([^\r\n]{75})(?=[^\r\n])", lambda m: m.group(1) + b"\r\n ", raw)
    result = _run_checker(naive, "REQUEST", tmp_path)
    assert result.returncode == 1
    assert "not valid UTF-8" in result.stderr

    unfolded = _run_checker(raw, "REQUEST", tmp_path)
    assert "exceeds 75 octets" in unfolded.stderr


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date.max, None),  # a whole day with no next day for DTEND
        (date.max, datetime(9999, 12, 31, 20, 0, tzinfo=UTC)),  # past the end in Tokyo
    ],
)
def test_an_event_at_the_edge_of_the_calendar_is_left_out_of_the_feed(
    day: date, start: datetime | None
) -> None:
    # A stored date the forms now refuse must not take the feed down for every subscriber.
    edge = replace(
        MEETING,
        uid="edge@secretariat.example.jp",
        day=day,
        start=start,
        end=None if start is None else start + timedelta(hours=2),
    )
    ics = render_feed([edge, MEETING], name="評議員会", stamp=STAMP)
    assert [e["UID"] for e in parse(ics).events] == [MEETING.uid]
    with pytest.raises(OutOfRangeError):
        render_itip(edge, method="REQUEST", stamp=STAMP)
