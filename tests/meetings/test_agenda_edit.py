from django.urls import reverse

from secretariat.meetings.models import AgendaItem
from tests import factories as f

PREFIX = "agenda_items"


def _url(session):
    return reverse("meetings:agenda_edit", args=[session.pk])


def _formset(existing=(), new=(), delete=()):
    """The formset as the browser posts it: (item, order, title) rows for the existing
    items, (order, title) rows for new ones, and the items ticked for deletion."""
    rows = [(item.pk, order, title) for item, order, title in existing]
    rows += [("", order, title) for order, title in new]
    data = {
        f"{PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{PREFIX}-INITIAL_FORMS": str(len(existing)),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for i, (pk, order, title) in enumerate(rows):
        data[f"{PREFIX}-{i}-id"] = str(pk)
        data[f"{PREFIX}-{i}-order"] = str(order)
        data[f"{PREFIX}-{i}-title"] = title
        data[f"{PREFIX}-{i}-kind"] = "other"  # the select always posts its choice
    deleted = {item.pk for item in delete}
    for i, (pk, _, _) in enumerate(rows):
        if pk in deleted:
            data[f"{PREFIX}-{i}-DELETE"] = "on"
    return data


def _titles(session):
    return list(session.agenda_items.order_by("order", "pk").values_list("title", flat=True))


def test_shows_the_items_and_empty_rows(client, cast):
    f.make_agenda_item(cast.draft, "開会", order=1)
    client.force_login(cast.clerk)
    response = client.get(_url(cast.draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="開会"' in html
    assert f'name="{PREFIX}-3-title"' in html
    assert f'name="{PREFIX}-4-title"' not in html


def test_adds_items(client, cast):
    client.force_login(cast.clerk)
    response = client.post(
        _url(cast.draft), _formset(new=[(1, "関係省庁ヒアリング"), (2, "意見交換")])
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:session", args=[cast.draft.pk])
    assert _titles(cast.draft) == ["関係省庁ヒアリング", "意見交換"]
    assert "議事を保存しました。" in client.get(response.url).content.decode()


def test_blank_extra_rows_are_ignored(client, cast):
    client.force_login(cast.clerk)
    data = _formset(new=[(1, "開会"), (0, ""), (0, "")])
    assert client.post(_url(cast.draft), data).status_code == 302
    assert _titles(cast.draft) == ["開会"]


def test_reorders_items(client, cast):
    first = f.make_agenda_item(cast.draft, "開会", order=1)
    second = f.make_agenda_item(cast.draft, "閉会", order=2)
    client.force_login(cast.clerk)
    data = _formset(existing=[(first, 2, "開会"), (second, 1, "閉会")])
    assert client.post(_url(cast.draft), data).status_code == 302
    assert _titles(cast.draft) == ["閉会", "開会"]
    first.refresh_from_db()
    assert first.order == 2


def test_renames_deletes_and_adds_in_one_go(client, cast):
    keep = f.make_agenda_item(cast.draft, "開会", order=1)
    drop = f.make_agenda_item(cast.draft, "取りやめる議事", order=2)
    client.force_login(cast.clerk)
    data = _formset(
        existing=[(keep, 1, "開会・挨拶"), (drop, 2, "取りやめる議事")],
        new=[(3, "閉会")],
        delete=[drop],
    )
    assert client.post(_url(cast.draft), data).status_code == 302
    assert _titles(cast.draft) == ["開会・挨拶", "閉会"]
    assert not AgendaItem.objects.filter(pk=drop.pk).exists()


def test_deleting_an_item_keeps_its_materials(client, cast):
    item = f.make_agenda_item(cast.draft, "議事1", order=1)
    cast.draft_material.agenda_item = item
    cast.draft_material.save()
    client.force_login(cast.clerk)
    data = _formset(existing=[(item, 1, "議事1")], delete=[item])
    assert client.post(_url(cast.draft), data).status_code == 302
    assert cast.draft.agenda_items.count() == 0
    cast.draft_material.refresh_from_db()
    assert cast.draft_material.agenda_item is None


def test_a_row_without_a_title_is_an_error_and_nothing_is_saved(client, cast):
    item = f.make_agenda_item(cast.draft, "開会", order=1)
    client.force_login(cast.clerk)
    data = _formset(existing=[(item, 1, "開会（修正）")], new=[(2, "")])
    # A changed order with no title is a row the user meant to fill in.
    data[f"{PREFIX}-1-order"] = "5"
    response = client.post(_url(cast.draft), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "このフィールドは必須です。" in html
    assert 'value="開会（修正）"' in html
    assert _titles(cast.draft) == ["開会"]


def test_items_of_another_session_cannot_be_edited_through_this_one(client, cast):
    other = f.make_agenda_item(cast.published, "第1回の議事", order=1)
    client.force_login(cast.clerk)
    # A tampered post naming another session's item: the formset ignores that row.
    client.post(_url(cast.draft), _formset(existing=[(other, 1, "書き換え")]))
    other.refresh_from_db()
    assert other.title == "第1回の議事"
    assert other.session == cast.published
    assert cast.draft.agenda_items.count() == 0


def test_superuser_can_edit(client, cast):
    client.force_login(cast.admin)
    assert client.post(_url(cast.draft), _formset(new=[(1, "開会")])).status_code == 302
    assert _titles(cast.draft) == ["開会"]


def test_viewer_is_forbidden(client, cast):
    client.force_login(cast.viewer)
    assert client.get(_url(cast.draft)).status_code == 403
    assert client.post(_url(cast.draft), _formset(new=[(1, "開会")])).status_code == 403
    assert _titles(cast.draft) == []


def test_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    assert client.get(_url(cast.draft)).status_code == 404
    assert client.post(_url(cast.draft), _formset(new=[(1, "開会")])).status_code == 404
    assert _titles(cast.draft) == []


def test_anonymous_is_sent_to_login(client, cast):
    response = client.post(_url(cast.draft), _formset(new=[(1, "開会")]))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={_url(cast.draft)}"
    assert _titles(cast.draft) == []


def test_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.put(_url(cast.draft)).status_code == 405
