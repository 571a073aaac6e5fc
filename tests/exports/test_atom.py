"""exports/atom.py, parsed back with ElementTree and checked against RFC 4287's requirements."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from exports.atom import ATOM_NAMESPACE, AtomEntry, AtomFeed, render_atom

TOKYO = ZoneInfo("Asia/Tokyo")
NS = {"atom": ATOM_NAMESPACE}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")

FIRST = AtomEntry(
    id="https://council.example.jp/pf/sessions/1/",
    title="第1回 デジタル行財政改革会議",
    link="https://council.example.jp/pf/sessions/1/",
    updated=datetime(2026, 3, 1, 10, 0, tzinfo=TOKYO),
    summary="議事次第、資料1〜資料3を掲載しました。",
)
SECOND = AtomEntry(
    id="https://council.example.jp/pf/sessions/2/",
    title="第2回 デジタル行財政改革会議",
    link="https://council.example.jp/pf/sessions/2/",
    updated=datetime(2026, 3, 15, 1, 0, tzinfo=UTC),  # 10:00 in Tokyo: newer than FIRST
    summary="議事要旨を掲載しました。",
)
FEED = AtomFeed(
    id="tag:council.example.jp,2026:pf",
    title="デジタル行財政改革会議",
    link="https://council.example.jp/pf/",
    updated=datetime(2026, 3, 15, 10, 0, tzinfo=TOKYO),
    entries=(FIRST, SECOND),
    self_link="https://council.example.jp/pf/feed.atom",
)


def parse(feed: AtomFeed = FEED) -> ET.Element:
    return ET.fromstring(render_atom(feed))


def text(element: ET.Element, path: str) -> str | None:
    found = element.find(path, NS)
    assert found is not None, path
    return found.text


def test_the_feed_has_what_rfc_4287_requires():
    body = render_atom(FEED)
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="')
    root = ET.fromstring(body)
    assert root.tag == f"{{{ATOM_NAMESPACE}}}feed"
    assert root.get(XML_LANG) == "ja"
    assert text(root, "atom:id") == "tag:council.example.jp,2026:pf"
    assert text(root, "atom:title") == "デジタル行財政改革会議"
    assert text(root, "atom:updated") == "2026-03-15T10:00:00+09:00"
    assert text(root, "atom:author/atom:name") == "デジタル行財政改革会議"
    links = {link.get("rel"): link.attrib for link in root.findall("atom:link", NS)}
    assert links == {
        "self": {
            "rel": "self",
            "type": "application/atom+xml",
            "href": "https://council.example.jp/pf/feed.atom",
        },
        "alternate": {
            "rel": "alternate",
            "type": "text/html",
            "href": "https://council.example.jp/pf/",
        },
    }


def test_each_entry_has_id_title_link_updated_and_summary():
    entry = parse().findall("atom:entry", NS)[1]
    assert text(entry, "atom:id") == FIRST.id
    assert text(entry, "atom:title") == "第1回 デジタル行財政改革会議"
    assert entry.find("atom:title", NS).get("type") == "text"
    assert entry.find("atom:link", NS).attrib == {
        "rel": "alternate",
        "type": "text/html",
        "href": FIRST.link,
    }
    assert text(entry, "atom:updated") == "2026-03-01T10:00:00+09:00"
    assert text(entry, "atom:summary") == "議事次第、資料1〜資料3を掲載しました。"
    # The feed's author covers every entry (RFC 4287 §4.1.2).
    assert entry.find("atom:author", NS) is None


def test_entries_come_newest_first_whatever_their_offsets():
    ids = [text(entry, "atom:id") for entry in parse().findall("atom:entry", NS)]
    assert ids == [SECOND.id, FIRST.id]
    same_moment = replace(SECOND, id="tag:b", updated=SECOND.updated.astimezone(TOKYO))
    tie = replace(SECOND, id="tag:a")
    feed = replace(FEED, entries=(same_moment, FIRST, tie))
    ids = [text(entry, "atom:id") for entry in parse(feed).findall("atom:entry", NS)]
    assert ids == ["tag:a", "tag:b", FIRST.id]


def test_timestamps_are_rfc_3339_with_offsets():
    moments = [
        datetime(2026, 3, 1, 10, 0, 0, 123456, tzinfo=TOKYO),
        datetime(2026, 3, 1, 1, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 1, 0, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
        datetime(1880, 1, 1, tzinfo=TOKYO),  # Tokyo mean time: +09:18:59, not a valid offset
    ]
    feed = replace(
        FEED, entries=tuple(replace(FIRST, id=f"tag:{n}", updated=m) for n, m in enumerate(moments))
    )
    stamps = [text(entry, "atom:updated") for entry in parse(feed).findall("atom:entry", NS)]
    assert all(RFC3339.match(stamp) for stamp in stamps), stamps
    assert stamps == [
        "2026-03-01T01:00:00-05:30",
        "2026-03-01T10:00:00+09:00",
        "2026-03-01T01:00:00+00:00",
        "1879-12-31T14:41:01+00:00",
    ]


def test_markup_characters_are_escaped_and_round_trip():
    title = "<script>alert(\"x\")</script> & '会議'"
    href = 'https://council.example.jp/pf/?q="a"&b=<1>'
    feed = replace(
        FEED,
        title=title,
        link=href,
        entries=(replace(FIRST, title=title, summary=f"{title}\n二行目", link=href),),
    )
    body = render_atom(feed)
    assert b"<script>" not in body
    assert b"&lt;script&gt;" in body
    assert b"&amp; " in body
    assert b'href="https://council.example.jp/pf/?q=&quot;a&quot;&amp;b=&lt;1&gt;"' in body
    root = ET.fromstring(body)
    assert text(root, "atom:title") == title
    assert text(root, "atom:author/atom:name") == title
    entry = root.find("atom:entry", NS)
    assert text(entry, "atom:title") == title
    assert text(entry, "atom:summary") == f"{title}\n二行目"
    assert entry.find("atom:link", NS).get("href") == href


def test_japanese_round_trips_as_utf8():
    title = "髙鳥 修一 座長 ／ 𠮷野家 ハ\u309a"
    body = render_atom(replace(FEED, title=title))
    assert title.encode() in body  # UTF-8, not character references
    assert text(ET.fromstring(body), "atom:title") == title


def test_characters_xml_cannot_carry_are_stripped():
    dirty = "第1回\x00\x01\x08\x0b\x0c\x1b会議\ufffe\uffff\ud800"
    feed = replace(FEED, title=dirty, entries=(replace(FIRST, title=dirty, summary=dirty),))
    root = parse(feed)
    entry = root.find("atom:entry", NS)
    assert text(root, "atom:title") == "第1回会議"
    assert text(entry, "atom:title") == "第1回会議"
    assert text(entry, "atom:summary") == "第1回会議"


def test_an_empty_summary_is_left_out():
    entry = parse(replace(FEED, entries=(replace(FIRST, summary=""),))).find("atom:entry", NS)
    assert entry.find("atom:summary", NS) is None


def test_an_empty_feed_is_valid():
    root = parse(replace(FEED, entries=()))
    assert root.findall("atom:entry", NS) == []
    assert text(root, "atom:id") == FEED.id


def test_output_is_deterministic():
    assert render_atom(FEED) == render_atom(FEED)
    assert render_atom(FEED) == render_atom(replace(FEED, entries=(SECOND, FIRST)))


@pytest.mark.parametrize(
    ("feed", "message"),
    [
        (replace(FEED, updated=datetime(2026, 3, 15, 10, 0)), "time zone"),  # noqa: DTZ001
        (replace(FEED, entries=(replace(FIRST, updated=datetime(2026, 3, 1)),)), "time zone"),  # noqa: DTZ001
        (replace(FEED, id=""), "feed id"),
        (replace(FEED, self_link=" "), "self link"),
        (replace(FEED, link=""), "feed link"),
        (replace(FEED, entries=(replace(FIRST, id="\x00"),)), "entry id"),
        (replace(FEED, entries=(replace(FIRST, link=""),)), "link of entry"),
    ],
)
def test_bad_input_is_refused(feed, message):
    with pytest.raises(ValueError, match=message):
        render_atom(feed)
