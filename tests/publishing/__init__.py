"""What the publishing tests share: approved minutes, the published/ folder, and URLs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from secretariat.meetings.models import Session
from secretariat.minutes.models import Minutes


def approve_minutes(session: Session, by: Any) -> Minutes:
    """The chair-approved 議事要旨 a full publication needs."""
    return Minutes.objects.create(
        session=session,
        status=Minutes.Status.APPROVED,
        summary="窓口の統合について意見を交換した。",
        approved_at=timezone.now(),
        approved_by=by,
    )


def stored_under(folder: str) -> set[Path]:
    """Files in MEDIA_ROOT/<folder> (shared by the whole run: compare before and after)."""
    root = Path(settings.MEDIA_ROOT) / folder
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def session_url(session: Session) -> str:
    return reverse("public:session", args=[session.platform.slug, session.pk])


def material_url(session: Session, material_pk: int) -> str:
    return reverse("public:material", args=[session.platform.slug, session.pk, material_pk])
