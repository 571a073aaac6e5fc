"""Issue 10, finding 15: bidirectional overrides and other format characters are stripped
from every title, name and comment anyone types (the base forms, secretariat/forms.py),
and from the text the two personal-link pages without a form post, and from file names."""

from __future__ import annotations

from datetime import date, time
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse

from documents.models import Material
from exports.text import FORMAT_CONTROLS, plain_text, strip_format_controls
from secretariat.council.forms import PersonForm
from secretariat.meetings import actions
from secretariat.meetings.forms import AgendaFormSet, ReplyForm
from secretariat.meetings.models import Invitation, Session
from secretariat.public.forms import GalleryForm
from tests import factories as f

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: 「概要\u202efdp.exe」 reads 「概要exe.pdf」
EVERY_CONTROL = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_every_format_control_is_stripped_and_nothing_else():
    assert FORMAT_CONTROLS.findall(EVERY_CONTROL) == list(EVERY_CONTROL)
    assert strip_format_controls(f"資{EVERY_CONTROL}料 1\n（案）") == "資料 1\n（案）"


def test_a_material_title_and_file_name_lose_the_override(client, cast):
    client.force_login(cast.clerk)
    response = client.post(
        reverse("documents:material_create", args=[cast.draft.pk]),
        {
            "label": f"資料{RLO}2",
            "title": f"概要{RLO}fdp.exe",
            "order": "2",
            "access": "public",
            "upload": f.pdf_upload(f"資料2_{RLO}概要.pdf"),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get(session=cast.draft, order=2)
    assert (material.label, material.title) == ("資料2", "概要fdp.exe")
    assert material.original_name == "資料2_概要.pdf"


def test_an_agenda_title_loses_the_override(client, cast):
    prefix = AgendaFormSet.get_default_prefix()
    client.force_login(cast.clerk)
    response = client.post(
        reverse("meetings:agenda_edit", args=[cast.draft.pk]),
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-order": "1",
            f"{prefix}-0-kind": "other",
            f"{prefix}-0-title": f"{RLO}討議",
        },
    )
    assert response.status_code == 302
    assert list(cast.draft.agenda_items.values_list("title", flat=True)) == ["討議"]


def test_a_member_reply_loses_the_override_in_the_proxy_name_and_comment(client, cast):
    session = f.make_session(cast.platform, status=Session.Status.SCHEDULED, date=date(2027, 1, 6))
    invitation = Invitation.objects.create(session=session, membership=cast.member)
    response = client.post(
        reverse("member:reply", args=[invitation.token]),
        {
            "reply": "proxy",
            "proxy_name": f"森本{RLO}花子",
            "proxy_title": f"参与{RLO}",
            "comment": f"{RLO}よろしく",
        },
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.proxy_name, invitation.proxy_title, invitation.reply_comment) == (
        "森本花子",
        "参与",
        "よろしく",
    )


def test_a_poll_comment_loses_the_override(cast):
    slot = actions.add_slot(
        session=cast.planned, day=date(2026, 12, 1), start=time(10), end=time(12)
    )
    actions.open_poll(session=cast.planned)
    invitation = cast.planned.invitations.get(membership=cast.member)
    actions.record_slot_answers(invitation=invitation, answers={slot.pk: ("yes", f"午前{RLO}のみ")})
    assert invitation.slot_answers.get().comment == "午前のみ"


def test_a_speakers_correction_loses_the_override():
    assert plain_text(f"発言{RLO}の訂正\r\n") == "発言の訂正\n"


@pytest.mark.parametrize(
    ("form", "data", "field", "expected"),
    [
        (GalleryForm, {"name": f"傍聴{RLO}太郎"}, "name", "傍聴太郎"),
        (PersonForm, {"family_name": f"武山{EVERY_CONTROL}"}, "family_name", "武山"),
        (ReplyForm, {"reply": "absent", "comment": f"{RLO}"}, "comment", ""),
    ],
)
def test_forms_strip_before_their_fields_see_the_value(form, data, field, expected):
    bound = form(QueryDict(urlencode(data)))  # as a request posts it: immutable
    bound.is_valid()
    assert bound.cleaned_data.get(field) == expected
    assert bound.data[field] == expected  # also what the page shows back


def test_a_name_of_format_controls_only_is_empty_and_so_required():
    form = GalleryForm({"name": RLO * 3, "email": "a@example.jp", "agree": "on"})
    assert not form.is_valid()
    assert "name" in form.errors
