"""Renumbering a session's materials in agenda order (資料1, 資料2-1, 資料2-2 …, 参考資料N
outside the agenda), keeping the labels staff typed themselves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.actions import renumber_materials
from documents.models import Material
from secretariat.meetings.models import AgendaItem
from tests import factories as f


@pytest.fixture
def agenda(cast):
    """第2回 with four items; its one material (資料1, typed by staff) is outside them."""
    session = cast.draft
    return {
        "session": session,
        "opening": f.make_agenda_item(session, "開会", order=1, kind=AgendaItem.Kind.OPENING),
        "soumu": f.make_agenda_item(session, "総務省ヒアリング", order=2),
        "mlit": f.make_agenda_item(session, "国土交通省ヒアリング", order=3),
        "discussion": f.make_agenda_item(session, "意見交換", order=4),
    }


def _material(session, title, item=None, *, auto=True, label="", order=0):
    return f.make_material(
        session, title=title, label=label, agenda_item=item, auto_label=auto, order=order
    )


def _labels(session):
    return dict(session.materials.values_list("title", "label"))


def _url(session):
    return reverse("documents:renumber", args=[session.pk])


def test_numbers_in_agenda_order(agenda):
    session = agenda["session"]
    # Made in another order than the agenda's.
    _material(session, "意見交換の論点", agenda["discussion"])
    _material(session, "国交省資料", agenda["mlit"])
    _material(session, "総務省資料その2", agenda["soumu"], order=2)
    _material(session, "総務省資料その1", agenda["soumu"], order=1)
    _material(session, "参考データ")
    _material(session, "過去の答申")
    session.materials.filter(auto_label=False).delete()  # only numbered ones here
    renumber_materials(session=session)
    assert _labels(session) == {
        "総務省資料その1": "資料1-1",
        "総務省資料その2": "資料1-2",
        "国交省資料": "資料2",
        "意見交換の論点": "資料3",
        "参考データ": "参考資料1",
        "過去の答申": "参考資料2",
    }


def test_labels_staff_typed_are_kept(agenda):
    session = agenda["session"]
    _material(session, "総務省資料", agenda["soumu"])
    _material(session, "席上配布資料", agenda["soumu"], auto=False, label="席上配布")
    _material(session, "委員提出資料", agenda["mlit"], auto=False, label="武山委員提出資料")
    renumber_materials(session=session)
    labels = _labels(session)
    assert labels["席上配布資料"] == "席上配布"
    assert labels["委員提出資料"] == "武山委員提出資料"
    assert labels["未公開会議の資料"] == "資料1"
    # The typed ones still hold their place in the numbering, so that an automatic label
    # never repeats one typed in the same place.
    assert labels["総務省資料"] == "資料1-1"
    _material(session, "参考データ")
    renumber_materials(session=session)
    assert _labels(session)["参考データ"] == "参考資料2"  # after the typed 資料1 outside


def test_reordering_the_agenda_renumbers(agenda):
    session = agenda["session"]
    _material(session, "総務省資料", agenda["soumu"])
    _material(session, "国交省資料", agenda["mlit"])
    renumber_materials(session=session)
    assert _labels(session)["総務省資料"] == "資料1"
    agenda["mlit"].order = 1
    agenda["mlit"].save()
    renumber_materials(session=session)
    assert _labels(session)["国交省資料"] == "資料1"
    assert _labels(session)["総務省資料"] == "資料2"


def test_a_second_material_turns_a_number_into_branches(agenda):
    session = agenda["session"]
    _material(session, "総務省資料", agenda["soumu"])
    renumber_materials(session=session)
    assert _labels(session)["総務省資料"] == "資料1"
    _material(session, "総務省補足資料", agenda["soumu"], order=2)
    renumber_materials(session=session)
    assert _labels(session)["総務省資料"] == "資料1-1"
    assert _labels(session)["総務省補足資料"] == "資料1-2"


def test_other_sessions_are_left_alone(cast, agenda):
    _material(agenda["session"], "総務省資料", agenda["soumu"])
    before = dict(cast.published.materials.values_list("pk", "label"))
    renumber_materials(session=agenda["session"])
    assert dict(cast.published.materials.values_list("pk", "label")) == before


def test_the_view_renumbers(client, cast, agenda):
    session = agenda["session"]
    session.materials.filter(auto_label=False).delete()
    _material(session, "国交省資料", agenda["mlit"], label="資料9")
    _material(session, "参考データ", label="資料8")
    client.force_login(cast.clerk)
    response = client.post(_url(session))
    assert response.status_code == 302
    assert response.url == reverse("meetings:session", args=[session.pk])
    assert _labels(session) == {"国交省資料": "資料1", "参考データ": "参考資料1"}
    html = client.get(response.url).content.decode()
    assert "資料番号を議事の順に振り直しました。" in html
    assert "参考資料1\u3000参考データ" in html


def test_staff_turning_auto_label_off_keep_their_label(client, cast, agenda):
    session = agenda["session"]
    material = _material(session, "総務省資料", agenda["soumu"])
    renumber_materials(session=session)
    client.force_login(cast.clerk)
    data = {
        "label": "資料1（差替え）",
        "title": "総務省資料",
        "agenda_item": str(agenda["soumu"].pk),
        "order": "1",
        "access": "public",
        "public_from": "",
        "reason": "",
        "reason_note": "",
    }  # auto_label unticked
    edit = reverse("documents:material_edit", args=[material.pk])
    assert client.post(edit, data).status_code == 302
    assert client.post(_url(session)).status_code == 302
    material.refresh_from_db()
    assert not material.auto_label
    assert material.label == "資料1（差替え）"


def test_the_view_refuses_get_viewer_other_platform_and_anonymous(client, cast, agenda):
    session = agenda["session"]
    material = _material(session, "総務省資料", agenda["soumu"], label="仮")
    url = _url(session)
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.post(url).status_code == 404
    client.logout()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    material.refresh_from_db()
    assert material.label == "仮"


def test_superuser_can_renumber(client, cast, agenda):
    material = _material(agenda["session"], "総務省資料", agenda["soumu"], label="仮")
    client.force_login(cast.admin)
    assert client.post(_url(agenda["session"])).status_code == 302
    assert Material.objects.get(pk=material.pk).label == "資料1"
