"""public:feed, the Atom feed of a platform's publications, parsed back with ElementTree."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import lxml.html
from django.urls import reverse

from exports.atom import ATOM_NAMESPACE
from secretariat.meetings.models import Session
from secretariat.publishing.models import Publication
from tests import factories as f
from tests.publishing import approve_minutes, session_url

NS = {"atom": ATOM_NAMESPACE}
EMAIL = re.compile(rb"[\w.+-]+@[\w-]+\.[\w.-]+")
FEED_URL = reverse("public:feed", args=["pf"])


def _feed(client) -> ET.Element:
    response = client.get(FEED_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{ATOM_NAMESPACE}}}feed"
    return root


def _entries(root: ET.Element) -> list[tuple[str, str]]:
    """(title, link) of each entry, in feed order."""
    return [
        (
            entry.findtext("atom:title", namespaces=NS),
            entry.find("atom:link[@rel='alternate']", NS).get("href"),
        )
        for entry in root.iterfind("atom:entry", NS)
    ]


def _absolute(session: Session) -> str:
    return f"http://testserver{session_url(session)}"


def test_one_entry_per_publication_of_a_public_session(client, cast, time_machine):
    name = f"第1回{cast.platform.short_name}"
    assert _entries(_feed(client)) == [(f"{name}の資料を掲載しました", _absolute(cast.published))]
    time_machine.move_to("2030-04-01 10:00 +0900", tick=False)
    f.publish(cast.published)
    root = _feed(client)
    assert _entries(root) == [
        (f"{name}の資料を更新しました", _absolute(cast.published)),
        (f"{name}の資料を掲載しました", _absolute(cast.published)),
    ]
    updated = datetime.fromisoformat(root.findtext("atom:updated", namespaces=NS))
    assert updated == datetime.fromisoformat("2030-04-01T10:00+09:00")
    ids = [entry.findtext("atom:id", namespaces=NS) for entry in root.iterfind("atom:entry", NS)]
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)


def test_no_entry_for_a_session_not_published(client, cast):
    links = [link for _, link in _entries(_feed(client))]
    assert _absolute(cast.draft) not in links
    assert _absolute(cast.planned) not in links
    assert len(links) == 1


def test_a_withdrawn_session_leaves_the_feed(client, cast):
    f.publish(cast.draft)
    assert _absolute(cast.draft) in [link for _, link in _entries(_feed(client))]
    f.publish(cast.draft, kind=Publication.Kind.WITHDRAWN)
    links = [link for _, link in _entries(_feed(client))]
    assert _absolute(cast.draft) not in links
    assert links == [_absolute(cast.published)]


def test_another_platforms_publications_are_not_in_the_feed(client, cast):
    session = f.make_session(cast.other_platform, status=Session.Status.HELD)
    f.make_material(session)
    f.publish(session)
    assert [link for _, link in _entries(_feed(client))] == [_absolute(cast.published)]


def test_the_feed_holds_no_email_address(client, cast):
    cast.clerk.email = "clerk@example.jp"
    cast.clerk.save()
    f.publish(cast.published, by=cast.clerk)
    body = client.get(FEED_URL).content
    assert EMAIL.findall(body) == []
    assert b"clerk" not in body


def test_a_private_platforms_feed_is_404(client, cast):
    cast.platform.is_public = False
    cast.platform.save()
    assert client.get(FEED_URL).status_code == 404


def test_wrong_method(client, cast):
    assert client.post(FEED_URL).status_code == 405


def test_the_session_list_links_the_feed(client, cast):
    response = client.get(reverse("public:sessions", args=["pf"]))
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    alternates = page.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
    assert [link.get("href") for link in alternates] == [FEED_URL]
    visible = page.xpath(f"//body//a[@href='{FEED_URL}']")
    assert [a.text_content() for a in visible] == ["新着情報（Atom形式）"]


def test_minutes_published_after_the_materials_are_announced_once(client, cast, time_machine):
    name = f"第1回{cast.platform.short_name}"
    approve_minutes(cast.published, cast.clerk)
    time_machine.move_to("2030-04-01 10:00 +0900", tick=False)
    f.publish(cast.published, kind=Publication.Kind.FULL)
    time_machine.move_to("2030-04-02 10:00 +0900", tick=False)
    f.publish(cast.published, kind=Publication.Kind.FULL)
    titles = [title for title, _link in _entries(_feed(client))]
    assert titles == [
        f"{name}の資料を更新しました",
        f"{name}の議事要旨を掲載しました",
        f"{name}の資料を掲載しました",
    ]
