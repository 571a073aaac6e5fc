"""What the public sees of a published session is the copy its publication froze
(Publication.page): edits made after publishing (an agenda item, a presenter, the venue,
the date) reach the public page, the meeting lists, the calendar and Atom feeds and the
static export only when staff publish again; the 公開 tab lists them meanwhile. A session
never published shows its live announced fields."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django.apps import apps
from django.urls import reverse
from icalendar import Calendar

from secretariat.meetings.models import Presenter, Session, SiteVisit
from secretariat.publishing.pages import PageError, PublicSession, page_of, public_sessions
from secretariat.publishing.static_site import export_site
from tests import factories as f
from tests.publishing import session_url

SITE = "https://www.example.go.jp"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
NEW = ("関係省庁ヒアリング（追加）", "総務省 自治行政局長 山田 太郎", "新しい会場ホール")


def _edit_after_publishing(cast) -> None:
    item = f.make_agenda_item(cast.published, NEW[0], order=1)
    organisation = f.make_organisation("総務省")
    Presenter.objects.create(
        agenda_item=item, organisation=organisation, title="自治行政局長", name="山田 太郎"
    )
    session = cast.published
    session.venue_name = NEW[2]
    session.topics = "後から書き換えた内容"
    session.save()


def _get(client, url: str) -> str:
    # Without the CSRF token of the language form, which differs on every page view.
    return CSRF.sub("", client.get(url).content.decode())


def _public_texts(client, cast, tmp_path) -> dict[str, str]:
    pages = {
        "page": _get(client, session_url(cast.published)),
        "list": _get(client, reverse("public:sessions", args=["pf"])),
        "platform": _get(client, reverse("public:platform", args=["pf"])),
        "feed": _get(client, reverse("public:feed", args=["pf"])),
    }
    calendar = Calendar.from_ical(client.get(reverse("public:calendar", args=["pf"])).content)
    pages["calendar"] = "\n".join(
        f"{event.get('location')} {event.get('description')}" for event in calendar.walk("VEVENT")
    )
    root = tmp_path / f"site{len(list(tmp_path.iterdir()))}"
    export_site(root, base_url=SITE)
    pages["export"] = "\n".join(
        path.read_text() for path in sorted(root.rglob("*.html")) if path.is_file()
    )
    return pages


def test_edits_after_publishing_wait_for_the_next_publication(client, cast, tmp_path):
    before = _public_texts(client, cast, tmp_path)
    _edit_after_publishing(cast)

    unchanged = _public_texts(client, cast, tmp_path)
    assert unchanged == before
    for text in unchanged.values():
        for new in (*NEW, "後から書き換えた内容"):
            assert new not in text
    assert "中央合同庁舎第8号館 講堂" in unchanged["page"]
    assert "テストの議題について" in unchanged["calendar"]

    f.publish(cast.published)
    after = _public_texts(client, cast, tmp_path)
    assert all(new in after["page"] for new in NEW)
    assert all(new in after["export"] for new in NEW)
    assert "後から書き換えた内容" in after["list"]
    assert "後から書き換えた内容" in after["platform"]
    assert "後から書き換えた内容" in after["feed"]
    assert NEW[2] in after["calendar"] and "後から書き換えた内容" in after["calendar"]
    assert "中央合同庁舎第8号館 講堂" not in after["page"]


def test_a_new_date_moves_the_session_in_the_lists_only_once_published(client, cast):
    later = f.make_session(cast.platform, date=date(2016, 1, 20))
    f.make_material(later)
    f.publish(later)
    later.date = date(2015, 1, 5)  # now before 第1回, but not yet published
    later.start_time = time(14, 0)
    later.end_time = time(15, 0)
    later.save()
    order = [s.pk for s in public_sessions(cast.platform)]
    assert order.index(later.pk) < order.index(cast.published.pk)  # newest first
    page = client.get(session_url(later)).content.decode()
    assert "平成28年1月20日（水）10:00～11:30" in page
    f.publish(later)
    order = [s.pk for s in public_sessions(cast.platform)]
    assert order.index(cast.published.pk) < order.index(later.pk)
    assert "平成27年1月5日（月）14:00～15:00" in client.get(session_url(later)).content.decode()


def test_a_session_never_published_shows_its_live_announcement(client, cast):
    # 第2回 is held, not published: its notice (開催案内) follows the live session.
    f.make_agenda_item(cast.draft, "開催前に決まった議事")
    cast.draft.venue_name = "変更後の会場"
    cast.draft.save()
    page = client.get(session_url(cast.draft)).content.decode()
    assert "開催前に決まった議事" in page and "変更後の会場" in page


def test_the_publishing_tab_lists_what_the_public_page_would_change(client, cast):
    item = f.make_agenda_item(cast.published, "公開時からある議事")
    f.publish(cast.published)
    _edit_after_publishing(cast)
    Presenter.objects.create(agenda_item=item, name="田中 一郎")
    cast.published.date = date(2015, 9, 15)
    cast.published.save()
    client.force_login(cast.viewer)
    page = client.get(reverse("publishing:session", args=[cast.published.pk])).content.decode()
    assert "公開後に変わった内容" in page
    for line in (
        "日時を変更",
        "場所を変更",
        "内容を変更",
        f"議事を追加：{NEW[0]}",
        "説明者を変更：公開時からある議事",
    ):
        assert f"<li>{line}</li>" in page, line
    f.publish(cast.published)
    page = client.get(reverse("publishing:session", args=[cast.published.pk])).content.decode()
    assert "公開後に変わった内容" not in page


def test_a_removed_agenda_item_is_listed_and_stays_public_until_published(client, cast):
    item = f.make_agenda_item(cast.published, "取り下げる議事")
    f.publish(cast.published)
    item.delete()
    assert "取り下げる議事" in client.get(session_url(cast.published)).content.decode()
    client.force_login(cast.clerk)
    page = client.get(reverse("publishing:session", args=[cast.published.pk])).content.decode()
    assert "<li>議事を削除：取り下げる議事</li>" in page


def test_site_visit_stops_and_days_are_frozen_too(client, cast):
    visit_session = f.make_session(cast.platform, kind=Session.Kind.SITE_VISIT, date=None)
    visit = SiteVisit.objects.create(session=visit_session, summary="視察の概要")
    visit.days.create(date=date(2015, 10, 8))
    visit.stops.create(prefecture="愛知県", municipality="岡崎市")
    f.publish(visit_session)
    visit.days.create(date=date(2015, 10, 9))
    visit.stops.create(prefecture="静岡県", municipality="浜松市")
    visit.summary = "書き換えた概要"
    visit.save()
    page = client.get(session_url(visit_session)).content.decode()
    assert "愛知県岡崎市" in page and "平成27年10月8日" in page
    assert "浜松市" not in page and "9日" not in page and "書き換えた概要" not in page
    f.publish(visit_session)
    page = client.get(session_url(visit_session)).content.decode()
    assert "静岡県浜松市" in page and "書き換えた概要" in page


def test_the_frozen_page_renders_like_the_live_session(cast):
    f.make_agenda_item(cast.published, "議事")
    session = Session.objects.get(pk=cast.published.pk)
    public = PublicSession.from_page(
        page_of(session),
        pk=session.pk,
        platform=session.platform,
        status=session.status,
        publication=None,
        lastmod=session.updated_at,
    )
    assert (public.title, public.when, public.venue, public.location) == (
        session.title,
        session.when,
        session.venue,
        session.location,
    )
    assert public.to_calendar_event(url="u") == session.to_calendar_event(url="u")


@pytest.mark.parametrize(
    "change",
    [
        {"format": 2},
        {"agenda": [{"id": "1", "title": "x", "presenters": []}]},
        {"agenda": [{"id": True, "title": "x", "presenters": []}]},
        {"date": "2015-13-01"},
        {"start_time": 1000},
        {"topics": None},
        {"visit_days": [None]},
    ],
)
def test_a_malformed_page_is_refused(cast, change):
    page = page_of(Session.objects.get(pk=cast.published.pk)) | change
    with pytest.raises(PageError):
        PublicSession.from_page(
            page,
            pk=1,
            platform=cast.platform,
            status="published",
            publication=None,
            lastmod=cast.published.updated_at,
        )


def test_the_migration_freezes_what_page_of_builds(cast):
    import importlib

    migration = importlib.import_module(
        "secretariat.publishing.migrations.0002_trust_publication_page_and_takedown"
    )
    item = f.make_agenda_item(cast.published, "議事")
    Presenter.objects.create(agenda_item=item, membership=cast.member)
    Presenter.objects.create(agenda_item=item, organisation=f.make_organisation("総務省"))
    publication = f.publish(cast.published)
    expected = publication.page
    type(publication).objects.filter(pk=publication.pk).update(page={})
    migration.freeze_pages(apps, None)
    publication.refresh_from_db()
    assert publication.page == expected
    assert expected["agenda"][0]["presenters"] == ["武山委員", "総務省"]


def test_the_sitemap_dates_a_published_session_by_its_publication(client, cast):
    from datetime import datetime

    from secretariat.publishing.models import Publication

    published_at = datetime.fromisoformat("2015-09-21T10:00+09:00")
    Publication.objects.filter(session=cast.published).update(published_at=published_at)
    _edit_after_publishing(cast)
    sitemap = client.get("/sitemap.xml").content.decode()
    entry = sitemap.split(session_url(cast.published) + "</loc>")[1].split("</url>")[0]
    assert "<lastmod>2015-09-21</lastmod>" in entry
    assert session_url(cast.draft) in sitemap and session_url(cast.planned) not in sitemap


@pytest.mark.parametrize("edit_first", [True, False], ids=["edits-before", "edits-after"])
def test_withdrawing_publishes_no_edit(client, cast, edit_first):
    """A withdrawal keeps the notice the public last saw: edits made before it (since the
    last publication) or after it wait for the next publication."""
    if edit_first:
        _edit_after_publishing(cast)
    f.publish(cast.published, kind="withdrawn")
    if not edit_first:
        _edit_after_publishing(cast)
    html = _get(client, session_url(cast.published))
    for text in NEW:
        assert text not in html
    assert "後から書き換えた内容" not in html
    # The 公開 tab names what the next publication would show.
    client.force_login(cast.clerk)
    tab = client.get(reverse("publishing:session", args=[cast.published.pk])).content.decode()
    assert "議事を追加" in tab and NEW[0] in tab


def test_the_migration_gives_an_earlier_withdrawal_the_page_it_withdrew(client, cast):
    import importlib

    fill = importlib.import_module(
        "secretariat.publishing.migrations.0003_trust_withdrawal_pages"
    ).fill
    withdrawal = f.publish(cast.published, kind="withdrawn")
    withdrawal.page = None
    withdrawal.save(update_fields=["page"])
    _edit_after_publishing(cast)
    fill(apps, None)
    withdrawal.refresh_from_db()
    assert withdrawal.page is not None
    html = _get(client, session_url(cast.published))
    assert NEW[0] not in html
