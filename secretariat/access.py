"""The access chokepoints of the staff side: every staff view gets its objects here.

A user sees a platform's data when assigned to it (or is a superuser); changing it
needs the editor role. Objects of other platforms are a 404, not a 403, so their
existence does not leak.

One table (`PROTECTED`) says, for every model a staff view looks up by id, the path from
it to its platform; one function (`get_for_staff`) reads it. A new door adds a row and a
one-line getter, and cannot forget the check. tests/test_access_chokepoints.py fails
when a staff view looks an object up any other way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from documents.models import GeneratedFile, Material, MaterialVersion
from secretariat.council.models import Membership, Platform, PlatformQuerySet, StaffAssignment
from secretariat.meetings.models import (
    AgendaItem,
    CandidateSlot,
    Delivery,
    Invitation,
    Presenter,
    Session,
    SiteVisitPhoto,
    SiteVisitStop,
)
from secretariat.minutes.models import CorrectionProposal, FollowUp
from secretariat.publishing.models import PublishedFile, SiteExport

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Protected:
    """How a model reaches its platform: `platform` is the lookup path ("" for the
    platform itself); `related` is what the staff screens read next, fetched in the same
    query."""

    platform: str
    related: tuple[str, ...] = ()


PROTECTED: dict[type[models.Model], Protected] = {
    Platform: Protected(""),
    Session: Protected("platform"),
    AgendaItem: Protected("session__platform"),
    Material: Protected("session__platform"),
    MaterialVersion: Protected("material__session__platform"),
    GeneratedFile: Protected("platform", related=("session",)),
    Membership: Protected("platform", related=("person",)),
    Invitation: Protected("session__platform", related=("membership__person",)),
    Delivery: Protected(
        "invitation__session__platform", related=("invitation__membership__person",)
    ),
    CandidateSlot: Protected("session__platform"),
    Presenter: Protected("agenda_item__session__platform"),
    SiteVisitStop: Protected("site_visit__session__platform"),
    SiteVisitPhoto: Protected("stop__site_visit__session__platform"),
    CorrectionProposal: Protected("statement__minutes__session__platform"),
    FollowUp: Protected("platform"),
    PublishedFile: Protected("publication__session__platform", related=("publication",)),
}


def staff_platforms(request: HttpRequest) -> PlatformQuerySet:
    """The platforms the user may see on the staff side (all of them for superusers)."""
    return Platform.objects.for_staff(request.user)


def can_edit(request: HttpRequest, platform: Platform) -> bool:
    user = request.user
    if user.is_superuser:
        return True
    return StaffAssignment.objects.filter(
        platform=platform, user_id=user.pk, role=StaffAssignment.Role.EDITOR
    ).exists()


def _check_write(request: HttpRequest, platform: Platform, write: bool) -> None:
    if write and not can_edit(request, platform):
        raise PermissionDenied


def platform_of(obj: models.Model) -> Platform:
    """The platform an object of a protected model belongs to (read along the table's
    path, which `get_for_staff` has already fetched)."""
    path = PROTECTED[type(obj)].platform
    for step in path.split("__") if path else ():
        obj = getattr(obj, step)
    assert isinstance(obj, Platform)
    return obj


def get_for_staff(request: HttpRequest, model: type[M], *, write: bool = False, **lookup: Any) -> M:
    """The one object of `model` that `lookup` names, if the user's platforms hold it
    (404 otherwise, and for anyone with no platform); `write` also needs the editor
    role there (403 otherwise)."""
    rule = PROTECTED[model]
    if rule.platform:
        queryset = model._default_manager.select_related(rule.platform, *rule.related).filter(
            **{f"{rule.platform}__in": staff_platforms(request)}
        )
    else:
        queryset = staff_platforms(request)
    obj = get_object_or_404(queryset, **lookup)
    _check_write(request, platform_of(obj), write)
    return obj


# The named getters: one line each, so call sites read as before and stay typed.


def get_platform_for_staff(request: HttpRequest, slug: str, *, write: bool = False) -> Platform:
    return get_for_staff(request, Platform, write=write, slug=slug)


def get_session_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Session:
    return get_for_staff(request, Session, write=write, pk=pk)


def get_agenda_item_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> AgendaItem:
    return get_for_staff(request, AgendaItem, write=write, pk=pk)


def get_material_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Material:
    return get_for_staff(request, Material, write=write, pk=pk)


def get_material_version_for_staff(
    request: HttpRequest, pk: int, version: int, *, write: bool = False
) -> MaterialVersion:
    """An earlier file of material `pk`, by its version number."""
    return get_for_staff(request, MaterialVersion, write=write, material_id=pk, version=version)


def get_generated_file_for_staff(
    request: HttpRequest, pk: int, *, write: bool = False
) -> GeneratedFile:
    return get_for_staff(request, GeneratedFile, write=write, pk=pk)


def get_membership_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Membership:
    return get_for_staff(request, Membership, write=write, pk=pk)


def get_invitation_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Invitation:
    return get_for_staff(request, Invitation, write=write, pk=pk)


def get_delivery_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Delivery:
    return get_for_staff(request, Delivery, write=write, pk=pk)


def get_slot_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> CandidateSlot:
    return get_for_staff(request, CandidateSlot, write=write, pk=pk)


def get_published_file_for_staff(
    request: HttpRequest, pk: int, *, write: bool = False
) -> PublishedFile:
    return get_for_staff(request, PublishedFile, write=write, pk=pk)


def get_presenter_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Presenter:
    return get_for_staff(request, Presenter, write=write, pk=pk)


def get_stop_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> SiteVisitStop:
    return get_for_staff(request, SiteVisitStop, write=write, pk=pk)


def get_photo_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> SiteVisitPhoto:
    return get_for_staff(request, SiteVisitPhoto, write=write, pk=pk)


def get_proposal_for_staff(
    request: HttpRequest, pk: int, *, write: bool = False
) -> CorrectionProposal:
    return get_for_staff(request, CorrectionProposal, write=write, pk=pk)


def get_follow_up_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> FollowUp:
    return get_for_staff(request, FollowUp, write=write, pk=pk)


# The static export: the one staff object that belongs to no platform.


def check_site_editor(request: HttpRequest) -> None:
    """The static export holds every platform's public pages, and only those: any editor
    of any platform may write it."""
    user = request.user
    if (
        not user.is_superuser
        and not StaffAssignment.objects.filter(
            user_id=user.pk, role=StaffAssignment.Role.EDITOR
        ).exists()
    ):
        raise PermissionDenied


def get_site_export_for_staff(request: HttpRequest, pk: int) -> SiteExport:
    """A finished static export, for any editor (see check_site_editor)."""
    check_site_editor(request)
    return get_object_or_404(
        SiteExport.objects.exclude(archive=""), pk=pk, status=SiteExport.Status.DONE
    )
