"""Walk every URL the public site exposes and prove nothing private is in any of them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

from django.urls import reverse
from django.utils import timezone

from documents.models import Material
from secretariat.meetings.models import GalleryRegistration, Invitation, Session
from tests import factories as f
from tests.base import download_body


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def crawl(client) -> dict[str, bytes]:
    """Every same-site URL reachable from the home page and the sitemap, anonymously."""
    sitemap = client.get("/sitemap.xml").content.decode()
    queue = ["/", *(urlparse(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap))]
    seen: dict[str, bytes] = {"/sitemap.xml": sitemap.encode()}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            # Redirects lead to the login page: the staff side, not public content.
            assert "/accounts/login/" in response["Location"], url
            seen[url] = b""
            continue
        assert response.status_code == 200, url
        body = download_body(response) if response.streaming else response.content
        seen[url] = body
        if response["Content-Type"].startswith("text/html"):
            parser = _Links()
            parser.feed(body.decode())
            for link in parser.links:
                target = urlparse(urljoin(url, link))
                if (
                    not target.netloc
                    and target.path.startswith("/")
                    and not target.path.startswith(("/static/", "/i18n/"))
                ):
                    queue.append(target.path)
    return seen


def test_public_site_shows_nothing_private(client, cast):
    # More to hide: a planned and a cancelled session, a scheduled session's material,
    # and a private platform.
    scheduled = f.make_session(cast.platform, status=Session.Status.SCHEDULED)
    scheduled_material = f.make_material(scheduled, title="開催前の資料")
    f.make_session(
        cast.platform, status=Session.Status.PLANNED, number=None, topics="予定中の秘密の議題"
    )
    f.make_session(cast.platform, status=Session.Status.CANCELLED, topics="中止した会議の議題")
    # Replies, proxies and gallery registrants of an announced session.
    cast.platform.allows_observers = True
    cast.platform.save()
    scheduled.gallery_capacity = 10
    scheduled.save()
    invitation = Invitation.objects.create(session=scheduled, membership=cast.member)
    invitation.record_reply(
        reply=Invitation.Reply.PROXY,
        proxy_name="代理花子",
        proxy_title="秘書官",
        comment="私的な事情により",
        now=timezone.now(),
    )
    GalleryRegistration.objects.create(
        session=scheduled, name="傍聴太郎", organisation="傍聴者の会社", email="citizen@mail.test"
    )
    hidden_platform = f.make_platform(name="非公開の会議体", slug="hidden", is_public=False)
    hidden_session = f.make_session(hidden_platform, topics="非公開会議体の議題")
    hidden_material = f.make_material(hidden_session, title="非公開会議体の資料")

    pages = crawl(client)

    assert reverse("public:session", args=["pf", cast.published.pk]) in pages
    public_download = reverse(
        "public:material", args=["pf", cast.published.pk, cast.public_material.pk]
    )
    assert public_download in pages
    assert reverse("public:calendar", args=["pf"]) in pages
    assert reverse("public:session", args=["pf", scheduled.pk]) in pages
    text = b"\n".join(pages.values()).decode("utf-8", errors="replace")
    forbidden = [
        "日程調整中の会議の内容",
        scheduled_material.title,
        "予定中の秘密の議題",
        "中止した会議の議題",
        "非公開会議体",
        cast.members_only.title,
        cast.not_public.title,
        cast.public_later.title,
        cast.draft_material.title,
        hidden_material.title,
        "takeyama@example.jp",
        "@example",
        "代理花子",
        "秘書官",
        "私的な事情により",
        "傍聴太郎",
        "傍聴者の会社",
        "citizen@mail.test",
        "mailto:",
        invitation.token,
    ]
    for secret in forbidden:
        assert secret not in text, secret

    private_files = set()
    for material in Material.objects.exclude(pk=cast.public_material.pk):
        with material.file.open("rb") as stored:
            private_files.add(stored.read())
    assert len(private_files) == 6
    for url, body in pages.items():
        assert body not in private_files, url


def test_private_objects_are_404_by_direct_url(client, cast):
    for material in (cast.members_only, cast.not_public, cast.public_later):
        url = reverse("public:material", args=["pf", cast.published.pk, material.pk])
        assert client.get(url).status_code == 404
    assert client.get(reverse("public:session", args=["pf", cast.planned.pk])).status_code == 404
    url = reverse("public:material", args=["pf", cast.draft.pk, cast.draft_material.pk])
    assert client.get(url).status_code == 404
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/meetings/{cast.planned.pk}/" not in sitemap


def test_changing_access_to_members_only_removes_it_when_republished(client, cast):
    url = reverse("public:material", args=["pf", cast.published.pk, cast.public_material.pk])
    response = client.get(url)
    assert response.status_code == 200
    download_body(response)
    cast.public_material.access = Material.Access.MEMBERS_ONLY
    cast.public_material.reason = Material.Reason.BUSINESS
    cast.public_material.save()
    # The public site shows the publication, not the live materials...
    download_body(client.get(url))
    f.publish(cast.published)
    # ...until the session is published again.
    assert client.get(url).status_code == 404
    page = client.get(reverse("public:session", args=["pf", cast.published.pk])).content.decode()
    assert cast.public_material.title not in page
