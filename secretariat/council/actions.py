"""Workflows on the council's members."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from secretariat.council.models import Membership, Person, Platform, Theme


def save_membership(
    *,
    membership: Membership,
    person: Person | None,
    themes: Iterable[Theme],
    by: AbstractBaseUser | AnonymousUser,
) -> Membership:
    """Save a membership with its person (new or changed) in one step.

    A Person row is shared by every membership of the same human, across platforms, and
    its name, title, email and phone are what each platform's invitations, rosters and
    minutes use. So staff change a person only where they are editors (copy-on-write):
    when the person also sits on a platform `by` cannot edit, the changes go to a new
    copy of the person, to which `by`'s memberships of that person move; the other
    platform's memberships keep the original row, untouched. Where `by` edits every
    platform the person sits on (or is a superuser), the row itself changes.

    Chosen over the alternatives because it changes no reader: per-platform contact
    fields on the membership would move every use of person.email, title and name; and
    refusing with a message naming the other council would tell A's staff where else
    the person sits (the other council may not be public), and stop A from keeping its
    own list right. The price is that one human may become two rows; nothing but
    memberships refers to a person, so each platform still sees one person.
    """
    with transaction.atomic():
        if person is not None and person.pk is not None:
            person = _person_to_write(person, by=by)
        if person is not None:
            person.save()
        membership.person = person
        membership.save()
        membership.themes.set(themes)
    return membership


def _person_to_write(person: Person, *, by: AbstractBaseUser | AnonymousUser) -> Person:
    """The row an edit of `person` may be written to: itself, or a new copy when the
    original also belongs to platforms `by` cannot edit."""
    # Locked, so that two platforms' staff editing the same person at once are served one
    # after the other and each sees the other's memberships as they are.
    stored = Person.objects.select_for_update().get(pk=person.pk)
    if _same_values(stored, person):
        return person
    editable = Platform.objects.editable_by(by)
    shared = Membership.objects.filter(person_id=person.pk).exclude(platform__in=editable)
    if not shared.exists():
        return person
    original_pk = person.pk
    person.pk = None
    person._state.adding = True
    person.save()
    Membership.objects.filter(person_id=original_pk, platform__in=editable).update(person=person)
    return person


def _same_values(stored: Person, edited: Person) -> bool:
    return all(
        getattr(stored, field.attname) == getattr(edited, field.attname)
        for field in Person._meta.concrete_fields
    )
