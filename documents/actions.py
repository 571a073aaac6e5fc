"""Workflows on materials."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from documents.models import Material


def delete_material(*, material: Material) -> None:
    """Delete a material and, once that is committed, its file: a withdrawn 非公開 file
    must not stay in storage."""
    with transaction.atomic():
        file = material.file
        material.delete()
        transaction.on_commit(partial(file.storage.delete, file.name))
