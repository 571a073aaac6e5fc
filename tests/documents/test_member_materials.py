"""Members reach members-only materials through their personal link, never by a URL a
citizen could guess, and only the materials of their invitation's session."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from secretariat.meetings.models import Invitation
from tests.base import download_body


def _invitation(cast):
    return Invitation.objects.create(session=cast.published, membership=cast.member)


def _url(token, material):
    return reverse("documents:member_material", args=[token, material.pk])


def test_the_invitation_page_lists_members_only_materials(client, cast):
    invitation = _invitation(cast)
    page = client.get(reverse("member:invitation", args=[invitation.token])).content.decode()
    assert "委員限りの資料" in page and "（委員限り）" in page
    assert "非公開の資料" not in page
    # The page's own link (a token is signed with the time, so not compared as text).
    [link] = re.findall(rf'href="(/m/[^"]+/materials/{cast.members_only.pk}/)"', page)
    assert download_body(client.get(link)) == cast.members_only.file.open("rb").read()


def test_a_member_downloads_a_members_only_material(client, cast):
    invitation = _invitation(cast)
    response = client.get(_url(invitation.token, cast.members_only))
    assert response.status_code == 200
    assert download_body(response) == cast.members_only.file.open("rb").read()
    assert response["Cache-Control"] == "private, no-store"


def test_not_public_materials_stay_with_the_secretariat(client, cast):
    invitation = _invitation(cast)
    assert client.get(_url(invitation.token, cast.not_public)).status_code == 404


def test_another_sessions_material_is_404(client, cast):
    invitation = _invitation(cast)
    assert client.get(_url(invitation.token, cast.draft_material)).status_code == 404


def test_forged_and_revoked_links_are_refused(client, cast):
    invitation = _invitation(cast)
    assert client.get(_url(invitation.token + "x", cast.members_only)).status_code == 403
    token = invitation.token
    invitation.revoke(timezone.now())
    response = client.get(_url(token, cast.members_only))
    assert response.status_code == 403
    assert "無効" in response.content.decode()


def test_the_public_site_has_no_url_for_it(client, cast):
    url = reverse("public:material", args=["pf", cast.published.pk, cast.members_only.pk])
    assert client.get(url).status_code == 404
