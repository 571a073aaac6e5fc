"""Workflows on the council's members."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from secretariat.council.models import Membership, Person, Theme


def save_membership(
    *, membership: Membership, person: Person | None, themes: Iterable[Theme]
) -> Membership:
    """Save a membership with its person (new or changed) in one step."""
    with transaction.atomic():
        if person is not None:
            person.save()
        membership.person = person
        membership.save()
        membership.themes.set(themes)
    return membership
