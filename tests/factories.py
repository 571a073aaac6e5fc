"""Plain functions that make valid objects; keyword arguments override the defaults."""

from __future__ import annotations

import io
import itertools
from datetime import date, time
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import Material
from exports.placeholder_pdf import render_placeholder_pdf
from secretariat.council.models import (
    MemberCategory,
    Membership,
    Organisation,
    Person,
    Platform,
    StaffAssignment,
)
from secretariat.meetings.models import AgendaItem, CalendarFeed, Session
from secretariat.publishing.actions import publish as publish_session
from secretariat.publishing.models import Publication

_numbers = itertools.count(1)


def make_user(username: str | None = None, **fields: Any) -> User:
    return User.objects.create_user(username or f"user{next(_numbers)}", password="pw", **fields)


def make_platform(**fields: Any) -> Platform:
    n = next(_numbers)
    defaults: dict[str, Any] = {
        "name": f"テスト会議体{n}",
        "short_name": f"T{n}",
        "slug": f"platform-{n}",
        "purpose": "テストのための会議体です。",
        "is_public": True,
    }
    return Platform.objects.create(**(defaults | fields))


def make_staff(platform: Platform, role: str = StaffAssignment.Role.EDITOR, **fields: Any) -> User:
    user = make_user(**fields)
    StaffAssignment.objects.create(platform=platform, user=user, role=role)
    return user


def make_session(platform: Platform, **fields: Any) -> Session:
    defaults: dict[str, Any] = {
        "kind": Session.Kind.MEETING,
        "topics": "テストの議題について",
        "status": Session.Status.PUBLISHED,
        "date": date(2025, 10, 1),
        "start_time": time(10, 0),
        "end_time": time(11, 30),
        "venue_name": "中央合同庁舎第8号館 講堂",
    }
    if "number" not in fields and fields.get("kind") != Session.Kind.SITE_VISIT:
        taken = platform.sessions.exclude(number=None).values_list("number", flat=True)
        fields["number"] = max(taken, default=0) + 1
    return Session.objects.create(platform=platform, **(defaults | fields))


def make_agenda_item(session: Session, title: str = "議事について", **fields: Any) -> AgendaItem:
    return AgendaItem.objects.create(session=session, title=title, **fields)


def pdf_bytes(title: str = "テスト資料") -> bytes:
    return render_placeholder_pdf(corner_label="資料1", title=title, lines=["本文"])


def pdf_upload(name: str = "資料1_テスト.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else pdf_bytes(), "application/pdf"
    )


def png_bytes() -> bytes:
    # The smallest valid PNG: signature and a 1x1 IHDR are enough for type detection.
    return bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d4944415478da6364f8cf00000301010018dd8db00000000049454e44ae426082"
    )


def make_material(session: Session, **fields: Any) -> Material:
    title = fields.get("title", "テスト資料")
    # Each material's PDF carries its own title, so files can be told apart by content.
    upload = fields.pop("upload", None) or pdf_upload(
        f"{fields.get('label', '資料')}_{title}.pdf", pdf_bytes(title)
    )
    defaults: dict[str, Any] = {"label": "資料1", "title": "テスト資料", "access": "public"}
    material = Material(session=session, **(defaults | fields))
    material.attach(upload)
    material.full_clean()
    material.save()
    return material


def make_category(platform: Platform, name: str = "有識者", **fields: Any) -> MemberCategory:
    return MemberCategory.objects.create(platform=platform, name=name, **fields)


def make_person(
    family: str, given: str, family_kana: str, given_kana: str, **fields: Any
) -> Person:
    return Person.objects.create(
        family_name=family,
        given_name=given,
        family_name_kana=family_kana,
        given_name_kana=given_kana,
        **fields,
    )


def make_membership(
    platform: Platform, category: MemberCategory, person: Person | None = None, **fields: Any
) -> Membership:
    return Membership.objects.create(platform=platform, category=category, person=person, **fields)


def make_organisation(
    name: str, kind: str = Organisation.Kind.MINISTRY, **fields: Any
) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind, **fields)


def in_memory(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def publish(session: Session, kind: str = "materials", by: User | None = None) -> Publication:
    """Publish a session as staff would (a materials-only publication by default, since
    most test sessions have no approved minutes)."""
    by = by or make_user(f"publisher{next(_numbers)}")
    return publish_session(session=session, kind=kind, by=by, now=timezone.now())


def feed_token(membership: Membership) -> str:
    """The member's calendar link, as their invitation page shows it now."""
    return CalendarFeed.for_membership(membership, timezone.now()).token
