"""The permission matrix: every URL the project routes (staff, personal-link, admin,
public) asked by every kind of visitor, with the answer each must get, and for every
request that is refused a fingerprint of the database before and after that must be
equal.

The visitors: anonymous, the other council's editor, a staff user with no council, the
read-only viewer, the owner (platform A's editor) and the superuser. A URL the matrix
does not know fails the test until it is placed: a new door cannot go unchecked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.core import serializers
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from documents.models import GeneratedFile, MaterialVersion
from secretariat.meetings.models import (
    Attendance,
    CandidateSlot,
    Delivery,
    GalleryRegistration,
    Invitation,
    Presenter,
    Session,
    SiteVisitPhoto,
    SiteVisitStop,
)
from secretariat.minutes.models import CorrectionProposal, FollowUp, Minutes, SpeakerConfirmation
from secretariat.publishing.models import PublishedFile, SiteExport
from tests import factories as f
from tests.base import Cast
from tests.test_access_chokepoints import MAKERS, _walk

ACTORS = ("anonymous", "other_editor", "no_council", "viewer", "owner", "superuser")
REFUSED_OUTSIDERS = ("anonymous", "other_editor", "no_council")
# What the database fingerprint reads: every table of the project and the accounts,
# not the session store (a login writes it) nor django-q2's or axes' bookkeeping.
FINGERPRINT_APPS = ("auth", "council", "meetings", "minutes", "publishing", "documents")


def _routes() -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (route, name, tuple(pattern.pattern.regex.groupindex))
        for route, name, pattern in _walk(get_resolver().url_patterns)
        if not route.startswith("admin/")
    ]


def fingerprint() -> str:
    digest = hashlib.sha256()
    for label in FINGERPRINT_APPS:
        for model in apps.get_app_config(label).get_models():
            rows = model._default_manager.order_by("pk")
            digest.update(serializers.serialize("json", rows).encode())
    return digest.hexdigest()


# The world: one object of every protected kind on platform A, personal links to it.


@dataclass
class World:
    cast: Cast
    users: dict[str, User | None]
    objects: dict[str, Any]
    tokens: dict[str, str]


def _confirmation(cast: Cast) -> SpeakerConfirmation:
    minutes = Minutes.objects.create(session=cast.draft)
    speaker = Attendance.objects.create(
        session=cast.draft,
        name="武山",
        capacity=Attendance.Capacity.MEMBER,
        arrived_at=timezone.now(),
    )
    minutes.statements.create(speaker=speaker, order=1, text="発言です。")
    return SpeakerConfirmation.objects.create(
        minutes=minutes, speaker=speaker, email="takeyama@example.jp"
    )


@pytest.fixture
def world(cast, time_machine) -> World:
    # Links about the cast's 2015 sessions are current in the autumn of 2015.
    time_machine.move_to("2015-11-02 12:00 +0900", tick=False)
    invitation = Invitation.objects.create(session=cast.planned, membership=cast.member)
    material_invitation = Invitation.objects.create(session=cast.published, membership=cast.member)
    presenter = Presenter.objects.create(
        agenda_item=f.make_agenda_item(cast.planned), name="説明者"
    )
    slot = CandidateSlot.objects.create(
        session=cast.planned, date=date(2015, 11, 20), start_time=time(10), end_time=time(12)
    )
    stop = MAKERS[SiteVisitStop](cast)
    objects = {
        "session": cast.published,
        "planned": cast.planned,
        "slot": slot,
        "material": cast.public_material,
        "version": MAKERS[MaterialVersion](cast),
        "generated": GeneratedFile.objects.create(
            platform=cast.platform, session=cast.published, kind=GeneratedFile.Kind.AGENDA
        ),
        "membership": cast.member,
        "invitation": invitation,
        "delivery": Delivery.objects.create(invitation=invitation, kind=Delivery.Kind.INVITE),
        "presenter": presenter,
        "stop": stop,
        "photo": SiteVisitPhoto.objects.create(stop=stop, image="photos/a.png", extension="png"),
        "proposal": MAKERS[CorrectionProposal](cast),
        "follow_up": MAKERS[FollowUp](cast),
        "published_file": PublishedFile.objects.filter(publication__session=cast.published).first(),
        "site_export": SiteExport.objects.create(
            requested_by=cast.clerk, requested_at=timezone.now()
        ),
    }
    gallery = f.make_session(
        cast.platform,
        number=5,
        status=Session.Status.SCHEDULED,
        date=date(2015, 11, 20),
        gallery_capacity=5,
    )
    registration = GalleryRegistration.objects.create(
        session=gallery, name="傍聴 太郎", email="bouchou@example.jp"
    )
    objects["gallery"] = gallery
    objects["platform_slug"] = cast.platform.slug
    tokens = {
        "gallery": registration.token,
        "invitation": invitation.token,
        "material_invitation": material_invitation.token,
        "presenter": presenter.token,
        "confirmation": _confirmation(cast).token,
        "feed": f.feed_token(cast.member),
    }
    users: dict[str, User | None] = {
        "anonymous": None,
        "other_editor": cast.other_clerk,
        "no_council": f.make_user("no_council"),
        "viewer": cast.viewer,
        "owner": cast.clerk,
        "superuser": cast.admin,
    }
    return World(cast, users, objects, tokens)


# Each staff URL's arguments, by the first part of its route after staff/.

STAFF_OBJECT = {
    "sessions": "session",
    "slots": "slot",
    "materials": "material",
    "documents": "generated",
    "members": "membership",
    "invitations": "invitation",
    "deliveries": "delivery",
    "presenters": "presenter",
    "stops": "stop",
    "photos": "photo",
    "proposals": "proposal",
    "follow-ups": "follow_up",
    "site-export": "site_export",
    "published-files": "published_file",
}
# Staff pages that belong to no council: what they show is filtered by the visitor.
UNSCOPED = {
    "meetings:dashboard",
    "publishing:site_export",
    "publishing:start_site_export",
    "publishing:site_export_download",
}
# The made object has no file (a document never written, an export never run, a photo
# whose image was never stored): the owner is told 404 by the download itself.
OWNER_404 = {
    "documents:generated_download",
    "documents:material_version_download",
    "meetings:photo",
    "meetings:mail_ics",
    "publishing:site_export_download",
}


def _staff_kwargs(world: World, name: str, route: str, params: tuple[str, ...]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    part = route.removeprefix("staff/").split("/")[0]
    if "slug" in params:
        kwargs["slug"] = world.cast.platform.slug
    if "pk" in params:
        assert part in STAFF_OBJECT, f"{name} (/{route}): add its object to STAFF_OBJECT"
        key = STAFF_OBJECT[part]
        if name in ("meetings:fix_date", "meetings:poll", "meetings:slot_add"):
            key = "planned"
        kwargs["pk"] = world.objects[key].pk
    extra = {
        "slot_pk": lambda: world.objects["slot"].pk,
        "kind": lambda: "agenda",
        "version": lambda: world.objects["version"].version,
        "accept": lambda: 1,
    }
    for param in params:
        if param not in kwargs:
            assert param in extra, f"{name} (/{route}): the matrix does not know {param!r}"
            kwargs[param] = extra[param]()
    return kwargs


def _client(world: World, actor: str) -> Client:
    client = Client()
    user = world.users[actor]
    if user is not None:
        client.force_login(user)
    return client


def _ask(world: World, actor: str, method: str, url: str) -> tuple[int, bool]:
    """The status, and whether the database is as it was. Every request is rolled back
    after, so each visitor meets the same world (the owner's delete does not leave the
    superuser a 404)."""
    client = _client(world, actor)
    with transaction.atomic():
        before = fingerprint()
        response = getattr(client, method)(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        unchanged = fingerprint() == before
        transaction.set_rollback(True)
    return response.status_code, unchanged


def _staff_routes() -> list[tuple[str, str, tuple[str, ...]]]:
    return [r for r in _routes() if r[0].startswith("staff/")]


@pytest.mark.parametrize(("route", "name", "params"), _staff_routes(), ids=lambda r: str(r))
def test_staff_url(world, route, name, params):
    url = reverse(name, kwargs=_staff_kwargs(world, name, route, params))
    answers = {
        (actor, method): _ask(world, actor, method, url)
        for actor in ACTORS
        for method in ("get", "post")
    }
    problems = []

    def expect(actor: str, method: str, allowed: set[int], why: str) -> None:
        status, unchanged = answers[actor, method]
        if status not in allowed:
            problems.append(f"{actor} {method.upper()} → {status}, expected {allowed}: {why}")
        refused = status in (302, 403, 404, 405)
        if refused and actor not in ("owner", "superuser") and not unchanged:
            problems.append(f"{actor} {method.upper()} was refused but changed the database")

    for method in ("get", "post"):
        expect("anonymous", method, {302}, "the staff side needs a login")
        if name in UNSCOPED:
            for actor in ("other_editor", "no_council", "viewer"):
                expect(actor, method, {200, 302, 403, 404, 405}, "unscoped page")
        else:
            for actor in ("other_editor", "no_council"):
                expect(actor, method, {404, 405}, "another council's object is not found")
        if name not in UNSCOPED:
            owner_ok = {200, 302, 400, 405} | ({404} if name in OWNER_404 else set())
            expect("viewer", "get", owner_ok | {403}, "a viewer reads, or is refused a form")
            expect("viewer", "post", {403, 405}, "a viewer never writes")
        for actor in ("owner", "superuser"):
            allowed = {200, 302, 400, 405} | ({404} if name in OWNER_404 else set())
            if name in UNSCOPED:
                allowed |= {404}
            expect(actor, method, allowed, "the owner is let in")
    assert answers["anonymous", "get"][0] == 302
    assert not problems, f"{name} /{route}:\n" + "\n".join(problems)


# Personal links: the token is the key; staff logged in may look but not act.

PERSONAL = {
    "member:invitation": ("invitation", {}),
    "member:poll": ("invitation", {}),
    "member:reply": ("invitation", {}),
    "member:feed": ("feed", {}),
    "documents:member_material": ("material_invitation", {"material_pk": "material"}),
    "documents:upload": ("presenter", {}),
    "minutes:confirm": ("confirmation", {}),
    "public:gallery_confirm": ("gallery", {"slug": "platform_slug", "pk": "gallery"}),
}


def _personal_routes() -> list[str]:
    return [name for route, name, params in _routes() if "token" in params]


def test_every_personal_link_url_is_in_the_matrix():
    assert set(_personal_routes()) == set(PERSONAL)


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_personal_link_url(world, name):
    token_key, extra = PERSONAL[name]
    kwargs = {
        key: getattr(world.objects[value], "pk", world.objects[value])
        for key, value in extra.items()
    }
    url = reverse(name, kwargs={"token": world.tokens[token_key], **kwargs})
    forged = reverse(name, kwargs={"token": "WzEsImFiYyJd:forged", **kwargs})
    problems = []
    for actor in ACTORS:
        for method in ("get", "post"):
            status, unchanged = _ask(world, actor, method, forged)
            if status not in (403, 405) or not unchanged:
                problems.append(f"{actor} {method.upper()} forged → {status}")
        status, unchanged = _ask(world, actor, "get", url)
        if status not in (200, 405):
            problems.append(f"{actor} GET → {status}, expected 200 (or 405 for a form)")
        if actor != "anonymous":
            status, unchanged = _ask(world, actor, "post", url)
            if status not in (403, 405) or not unchanged:
                problems.append(
                    f"{actor} POST while logged in → {status}, changed: {not unchanged}"
                )
    status, _ = _ask(world, "anonymous", "post", url)
    if status not in (200, 302, 400, 405):
        problems.append(f"anonymous POST → {status}")
    assert not problems, f"{name}:\n" + "\n".join(problems)


# Public pages: the same answer for every visitor, and nothing unpublished.

PUBLIC_OK: dict[str, Callable[[World], dict[str, Any]]] = {
    "public:index": lambda w: {},
    "public:platform": lambda w: {"slug": w.cast.platform.slug},
    "public:sessions": lambda w: {"slug": w.cast.platform.slug},
    "public:session": lambda w: {"slug": w.cast.platform.slug, "pk": w.cast.published.pk},
    "public:calendar": lambda w: {"slug": w.cast.platform.slug},
    "public:feed": lambda w: {"slug": w.cast.platform.slug},
    "public:material": lambda w: {
        "slug": w.cast.platform.slug,
        "pk": w.cast.published.pk,
        "material_pk": w.cast.public_material.pk,
    },
}
# Each of these is asked of something that must never be public: 404 for everyone.
PUBLIC_NEVER: dict[str, Callable[[World], dict[str, Any]]] = {
    "public:session": lambda w: {"slug": w.cast.platform.slug, "pk": w.cast.planned.pk},
    "public:gallery": lambda w: {"slug": w.cast.platform.slug, "pk": w.cast.planned.pk},
    "public:material": lambda w: {
        "slug": w.cast.platform.slug,
        "pk": w.cast.published.pk,
        "material_pk": w.cast.members_only.pk,
    },
    "public:material_part": lambda w: {
        "slug": w.cast.platform.slug,
        "pk": w.cast.published.pk,
        "material_pk": w.cast.not_public.pk,
        "part": 1,
    },
    "public:minutes": lambda w: {"slug": w.cast.platform.slug, "pk": w.cast.draft.pk},
    "public:bundle": lambda w: {"slug": w.cast.platform.slug, "pk": w.cast.draft.pk},
    "public:deliverable_file": lambda w: {"slug": w.cast.platform.slug, "file_pk": 2**40},
    "public:platform": lambda w: {"slug": "no-such-council"},
}
OTHER_OPEN = {
    "login",
    "logout",
    "set_language",
    "robots_txt",
    "django.contrib.sitemaps.views.sitemap",
}


def test_every_url_is_in_the_matrix():
    known = set(PUBLIC_OK) | set(PUBLIC_NEVER) | set(PERSONAL) | OTHER_OPEN
    unplaced = [
        f"{name} (/{route})"
        for route, name, _ in _routes()
        if not route.startswith("staff/") and name not in known
    ]
    assert not unplaced, "place these URLs in the permission matrix: " + ", ".join(unplaced)


@pytest.mark.parametrize("name", sorted(PUBLIC_OK))
def test_public_url_answers_everyone_alike(world, name):
    url = reverse(name, kwargs=PUBLIC_OK[name](world))
    answers = {actor: _ask(world, actor, "get", url)[0] for actor in ACTORS}
    assert set(answers.values()) == {200}, answers
    for actor in ACTORS:
        status, unchanged = _ask(world, actor, "post", url)
        assert status == 405 and unchanged, (actor, status)


@pytest.mark.parametrize("name", sorted(PUBLIC_NEVER))
def test_public_url_never_shows_what_is_not_public(world, name):
    url = reverse(name, kwargs=PUBLIC_NEVER[name](world))
    for actor in ACTORS:  # staff logged in see no more of the public site than anyone
        for method in ("get", "post"):
            status, unchanged = _ask(world, actor, method, url)
            assert status in (404, 405) and unchanged, (actor, method, status)


# The admin: the superuser's alone.


def _admin_urls() -> list[str]:
    urls = ["admin:index"]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        urls.append(f"admin:{meta.app_label}_{meta.model_name}_add")
    return urls


@pytest.mark.parametrize("name", _admin_urls())
def test_admin_url(world, name):
    url = reverse(name)
    for actor in ACTORS:
        for method in ("get", "post"):
            status, unchanged = _ask(world, actor, method, url)
            if actor == "superuser":
                assert status in (200, 403), (actor, method, status)  # 403: add not allowed
            else:
                assert status == 302 and unchanged, (actor, method, status)
