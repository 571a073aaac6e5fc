"""The access chokepoints of the staff side: every staff view gets its objects here.

A user sees a platform's data when assigned to it (or is a superuser); changing it
needs the editor role. Objects of other platforms are a 404, not a 403, so their
existence does not leak.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from documents.models import Material
from secretariat.council.models import Membership, Platform, StaffAssignment
from secretariat.meetings.models import CandidateSlot, Delivery, Invitation, Session
from secretariat.publishing.models import PublishedFile


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


def get_platform_for_staff(request: HttpRequest, slug: str, *, write: bool = False) -> Platform:
    platform = get_object_or_404(Platform.objects.for_staff(request.user), slug=slug)
    _check_write(request, platform, write)
    return platform


def get_session_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("platform").filter(
            platform__in=Platform.objects.for_staff(request.user)
        ),
        pk=pk,
    )
    _check_write(request, session.platform, write)
    return session


def get_material_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Material:
    material = get_object_or_404(
        Material.objects.select_related("session__platform").filter(
            session__platform__in=Platform.objects.for_staff(request.user)
        ),
        pk=pk,
    )
    _check_write(request, material.session.platform, write)
    return material


def get_membership_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Membership:
    membership = get_object_or_404(
        Membership.objects.select_related("platform", "person").filter(
            platform__in=Platform.objects.for_staff(request.user)
        ),
        pk=pk,
    )
    _check_write(request, membership.platform, write)
    return membership


def get_invitation_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related("session__platform", "membership__person").filter(
            session__platform__in=Platform.objects.for_staff(request.user)
        ),
        pk=pk,
    )
    _check_write(request, invitation.session.platform, write)
    return invitation


def get_slot_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> CandidateSlot:
    slot = get_object_or_404(
        CandidateSlot.objects.select_related("session__platform").filter(
            session__platform__in=Platform.objects.for_staff(request.user)
        ),
        pk=pk,
    )
    _check_write(request, slot.session.platform, write)
    return slot


def get_delivery_for_staff(request: HttpRequest, pk: int, *, write: bool = False) -> Delivery:
    delivery = get_object_or_404(
        Delivery.objects.select_related(
            "invitation__session__platform", "invitation__membership__person"
        ).filter(invitation__session__platform__in=Platform.objects.for_staff(request.user)),
        pk=pk,
    )
    _check_write(request, delivery.invitation.session.platform, write)
    return delivery


def get_published_file_for_staff(
    request: HttpRequest, pk: int, *, write: bool = False
) -> PublishedFile:
    published = get_object_or_404(
        PublishedFile.objects.select_related("publication__session__platform").filter(
            publication__session__platform__in=Platform.objects.for_staff(request.user)
        ),
        pk=pk,
    )
    _check_write(request, published.publication.session.platform, write)
    return published


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
