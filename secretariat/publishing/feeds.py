"""The Atom feed of a platform's publications: new sessions, minutes, corrections."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime

from django.urls import reverse

from exports.atom import AtomEntry, AtomFeed, render_atom
from secretariat.council.models import Platform
from secretariat.meetings.models import Session
from secretariat.publishing.models import Publication, PublishedFile
from secretariat.publishing.pages import published_page
from secretariat.templatetags.japanese import wareki

FEED_SIZE = 50


def publication_title(
    publication: Publication, earlier_kinds: list[str], taken_down: frozenset[str] = frozenset()
) -> str:
    """What changed for the public, given the kinds of the session's earlier
    (not withdrawn) publications; a correction does not name a material since taken
    down (公開停止)."""
    session = published_page(publication)
    name = f"{session.title}{session.platform.short_name}"
    if not earlier_kinds:
        return f"{name}の資料を掲載しました"
    replaced = [label for label in publication.replaced_labels if label not in taken_down]
    if replaced:
        return f"{name}：{'、'.join(replaced)}を差し替えました"
    if publication.kind == Publication.Kind.FULL and Publication.Kind.FULL not in earlier_kinds:
        return f"{name}の議事要旨を掲載しました"
    return f"{name}の資料を更新しました"


def publication_feed(
    platform: Platform, absolute: Callable[[str], str], fallback_updated: datetime
) -> bytes:
    """Entries for every publication of the platform's currently public sessions, newest
    first. `absolute` turns a site path into the link the reader follows; ids are
    urn:uuid IRIs derived from the platform, session and revision, the same live and in
    the static export. Each entry describes its session as that revision published it
    (its page), never the live session."""
    live = Session.objects.public().filter(
        platform=platform,
        publications__is_current=True,
        publications__kind__in=[Publication.Kind.FULL, Publication.Kind.MATERIALS],
    )
    publications = list(
        Publication.objects.filter(session__in=live)
        .exclude(kind=Publication.Kind.WITHDRAWN)
        .select_related("session__platform")
        .order_by("-published_at", "-pk")[:FEED_SIZE]
    )
    history: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for session_id, number, kind in (
        Publication.objects.filter(session__in={p.session_id for p in publications})
        .exclude(kind=Publication.Kind.WITHDRAWN)
        .values_list("session", "number", "kind")
    ):
        history[session_id].append((number, kind))
    taken_down = PublishedFile.objects.taken_down_labels({p.session_id for p in publications})
    entries = tuple(
        AtomEntry(
            id=_urn(platform, publication),
            title=publication_title(
                publication,
                [kind for n, kind in history[publication.session_id] if n < publication.number],
                taken_down.get(publication.session_id, frozenset()),
            ),
            link=absolute(reverse("public:session", args=[platform.slug, publication.session_id])),
            updated=publication.published_at,
            summary=f"{wareki(page.date)} {page.topics}".strip(),
        )
        for publication, page in ((p, published_page(p)) for p in publications)
    )
    feed = AtomFeed(
        id=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'secretariat:{platform.slug}:feed')}",
        title=platform.name,
        link=absolute(reverse("public:platform", args=[platform.slug])),
        updated=publications[0].published_at if publications else fallback_updated,
        entries=entries,
        self_link=absolute(reverse("public:feed", args=[platform.slug])),
    )
    return render_atom(feed)


def _urn(platform: Platform, publication: Publication) -> str:
    key = f"secretariat:{platform.slug}:{publication.session_id}:{publication.number}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def platform_updated(platform: Platform) -> datetime:
    """When the platform's public content last changed: a stamp that depends on the data
    only, so that feeds written twice with no change are identical."""
    latest = (
        Publication.objects.filter(session__platform=platform)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return latest or datetime(2000, 1, 1, tzinfo=UTC)
