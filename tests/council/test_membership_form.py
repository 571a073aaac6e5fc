"""Adding and editing a member: one form for the person, one for the membership."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from secretariat.council.models import Membership, Organisation, Person, StaffAssignment, Theme
from secretariat.meetings.actions import invite_members
from secretariat.meetings.models import Delivery, Session
from tests import factories as f
from tests.base import DATE_RANGE_ERROR

CREATE = reverse("council:membership_create", args=["pf"])


def _edit_url(membership):
    return reverse("council:membership_edit", args=[membership.pk])


def _data(category, **fields):
    data = {
        "p-family_name": "中村",
        "p-given_name": "時広",
        "p-family_name_kana": "なかむら",
        "p-given_name_kana": "ときひろ",
        "p-title": "愛媛県知事",
        "p-affiliation": "",
        "p-email": "nakamura@example.jp",
        "p-phone": "",
        "m-category": str(category.pk),
        "m-organisation": "",
        "m-role": "member",
        "m-start_date": "",
        "m-end_date": "",
        "m-order": "0",
    }
    return data | fields


def _no_person_fields(data):
    return data | {key: "" for key in data if key.startswith("p-")}


def _counts():
    return Person.objects.count(), Membership.objects.count()


def test_shows_both_forms(client, cast):
    client.force_login(cast.clerk)
    response = client.get(CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "構成員の追加" in html
    assert 'name="p-family_name_kana"' in html
    assert 'name="m-category"' in html


def test_adds_a_person_membership(client, cast):
    client.force_login(cast.clerk)
    category = cast.member.category
    response = client.post(CREATE, _data(category, **{"m-start_date": "2015-09-14"}))
    assert response.status_code == 302
    assert response.url == reverse("council:members", args=["pf"])
    person = Person.objects.get(family_name="中村")
    assert (person.given_name, person.family_name_kana, person.given_name_kana) == (
        "時広",
        "なかむら",
        "ときひろ",
    )
    assert person.title == "愛媛県知事"
    assert person.email == "nakamura@example.jp"
    membership = Membership.objects.get(person=person)
    assert membership.platform == cast.platform
    assert membership.category == category
    assert membership.organisation is None
    assert membership.role == Membership.Role.MEMBER
    assert membership.start_date == date(2015, 9, 14)
    page = client.get(response.url).content.decode()
    assert "構成員を保存しました。" in page
    assert "なかむら ときひろ" in page


def test_katakana_reading_is_accepted(client, cast):
    client.force_login(cast.clerk)
    data = _data(cast.member.category, **{"p-family_name_kana": "ナカムラ"})
    assert client.post(CREATE, data).status_code == 302
    assert Person.objects.get(family_name="中村").family_name_kana == "ナカムラ"


def test_association_represented_by_a_person(client, cast):
    association = f.make_organisation("全国知事会", Organisation.Kind.ASSOCIATION)
    client.force_login(cast.clerk)
    data = _data(cast.member.category, **{"m-organisation": str(association.pk)})
    assert client.post(CREATE, data).status_code == 302
    membership = Membership.objects.get(organisation=association)
    assert membership.person.full_name == "中村\u3000時広"
    assert membership.display_name == "全国知事会（中村\u3000時広 愛媛県知事）"


def test_adds_a_ministry_with_no_person(client, cast):
    ministry = f.make_organisation("総務省")
    people = Person.objects.count()
    client.force_login(cast.clerk)
    data = _no_person_fields(_data(cast.member.category, **{"m-organisation": str(ministry.pk)}))
    response = client.post(CREATE, data)
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=ministry)
    assert membership.person is None
    assert membership.platform == cast.platform
    assert Person.objects.count() == people
    assert "総務省" in client.get(response.url).content.decode()


def test_sets_themes(client, cast):
    outsourcing = Theme.objects.create(platform=cast.platform, name="アウトソーシング", order=1)
    cloud = Theme.objects.create(platform=cast.platform, name="クラウド化", order=2)
    Theme.objects.create(platform=cast.platform, name="公的ストックの有効活用", order=3)
    ministry = f.make_organisation("総務省")
    client.force_login(cast.clerk)
    data = _no_person_fields(_data(cast.member.category, **{"m-organisation": str(ministry.pk)}))
    data["m-themes"] = [str(outsourcing.pk), str(cloud.pk)]
    assert client.post(CREATE, data).status_code == 302
    membership = Membership.objects.get(organisation=ministry)
    assert set(membership.themes.all()) == {outsourcing, cloud}


def test_kanji_in_the_reading_is_an_error(client, cast):
    before = _counts()
    client.force_login(cast.clerk)
    response = client.post(CREATE, _data(cast.member.category, **{"p-family_name_kana": "中村"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "読みは全角のひらがなまたはカタカナで入力してください。" in html
    assert 'value="時広"' in html
    assert 'value="ときひろ"' in html
    assert 'value="愛媛県知事"' in html
    assert _counts() == before


def test_half_width_katakana_is_an_error(client, cast):
    before = _counts()
    client.force_login(cast.clerk)
    response = client.post(CREATE, _data(cast.member.category, **{"p-given_name_kana": "ﾄｷﾋﾛ"}))
    assert response.status_code == 200
    assert "読みは全角のひらがなまたはカタカナで入力してください。" in response.content.decode()
    assert _counts() == before


def test_a_name_without_its_reading_is_an_error(client, cast):
    before = _counts()
    client.force_login(cast.clerk)
    data = _data(cast.member.category, **{"p-family_name_kana": "", "p-given_name_kana": ""})
    response = client.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "氏名とその読みは必須です。" in html
    assert 'value="中村"' in html
    assert _counts() == before


def test_neither_person_nor_organisation_is_an_error(client, cast):
    before = _counts()
    client.force_login(cast.clerk)
    data = _no_person_fields(_data(cast.member.category, **{"m-order": "5"}))
    response = client.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "氏名か代表する組織のどちらかを入力してください。" in html
    assert 'name="m-order" value="5"' in html
    assert _counts() == before


def test_category_of_another_platform_is_not_selectable(client, cast):
    other_category = f.make_category(cast.other_platform, "別の区分")
    before = _counts()
    client.force_login(cast.clerk)
    form_html = client.get(CREATE).content.decode()
    assert "別の区分" not in form_html
    assert "有識者" in form_html
    response = client.post(CREATE, _data(other_category))
    assert response.status_code == 200
    html = response.content.decode()
    assert "正しく選択してください。" in html
    assert 'value="なかむら"' in html
    assert _counts() == before


def test_theme_of_another_platform_is_not_selectable(client, cast):
    other_theme = Theme.objects.create(platform=cast.other_platform, name="別のテーマ")
    before = _counts()
    client.force_login(cast.clerk)
    assert "別のテーマ" not in client.get(CREATE).content.decode()
    data = _data(cast.member.category, **{"m-themes": [str(other_theme.pk)]})
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert "正しく選択してください。" in response.content.decode()
    assert _counts() == before


def test_end_before_start_is_an_error(client, cast):
    before = _counts()
    client.force_login(cast.clerk)
    data = _data(cast.member.category, **{"m-start_date": "2016-04-01", "m-end_date": "2016-03-31"})
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert "終了日は開始日より後にしてください。" in response.content.decode()
    assert _counts() == before


def test_date_outside_every_era_is_an_error(client, cast):
    before = _counts()
    client.force_login(cast.clerk)
    data = _data(cast.member.category, **{"m-start_date": "1800-01-01"})
    response = client.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert DATE_RANGE_ERROR in html
    assert 'value="1800-01-01"' in html
    assert _counts() == before
    # The member list, which shows terms in 和暦, still works.
    assert client.get(reverse("council:members", args=["pf"])).status_code == 200


def test_edit_shows_the_current_values(client, cast):
    client.force_login(cast.clerk)
    response = client.get(_edit_url(cast.member))
    assert response.status_code == 200
    html = response.content.decode()
    assert "構成員の編集" in html
    assert 'value="たけやま"' in html
    assert 'value="武山"' in html


def test_edit_changes_the_person_and_the_membership(client, cast):
    theme = Theme.objects.create(platform=cast.platform, name="アウトソーシング")
    before = _counts()
    client.force_login(cast.clerk)
    data = _data(
        cast.member.category,
        **{
            "p-family_name": "武山",
            "p-given_name": "政直",
            "p-family_name_kana": "タケヤマ",
            "p-given_name_kana": "マサナオ",
            "p-title": "慶應義塾大学経済学部教授",
            "m-role": "vice_chair",
            "m-themes": [str(theme.pk)],
        },
    )
    response = client.post(_edit_url(cast.member), data)
    assert response.status_code == 302
    assert _counts() == before
    cast.member.refresh_from_db()
    assert cast.member.role == Membership.Role.VICE_CHAIR
    assert list(cast.member.themes.all()) == [theme]
    assert cast.member.person.family_name_kana == "タケヤマ"
    assert cast.member.person.title == "慶應義塾大学経済学部教授"


def test_edit_with_a_bad_reading_changes_nothing(client, cast):
    client.force_login(cast.clerk)
    data = _data(
        cast.member.category,
        **{"p-family_name": "武山", "p-family_name_kana": "武山", "m-role": "chair"},
    )
    response = client.post(_edit_url(cast.member), data)
    assert response.status_code == 200
    assert "読みは全角のひらがなまたはカタカナで入力してください。" in response.content.decode()
    cast.member.refresh_from_db()
    assert cast.member.role == Membership.Role.MEMBER
    assert cast.member.person.family_name_kana == "たけやま"
    assert cast.member.person.given_name == "政直"


def test_superuser_can_add(client, cast):
    client.force_login(cast.admin)
    assert client.post(CREATE, _data(cast.member.category)).status_code == 302
    assert Membership.objects.filter(person__family_name="中村").exists()


def test_viewer_is_forbidden(client, cast):
    before = _counts()
    client.force_login(cast.viewer)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _data(cast.member.category)).status_code == 403
    assert client.get(_edit_url(cast.member)).status_code == 403
    data = _data(cast.member.category, **{"m-role": "chair"})
    assert client.post(_edit_url(cast.member), data).status_code == 403
    assert _counts() == before
    cast.member.refresh_from_db()
    assert cast.member.role == Membership.Role.MEMBER


def test_other_platforms_staff_get_404(client, cast):
    before = _counts()
    client.force_login(cast.other_clerk)
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, _data(cast.member.category)).status_code == 404
    assert client.get(_edit_url(cast.member)).status_code == 404
    data = _data(cast.member.category, **{"m-role": "chair"})
    assert client.post(_edit_url(cast.member), data).status_code == 404
    assert _counts() == before


def test_anonymous_is_sent_to_login(client, cast):
    before = _counts()
    response = client.post(CREATE, _data(cast.member.category))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={CREATE}"
    response = client.post(_edit_url(cast.member), _data(cast.member.category))
    assert response.url == f"{reverse('login')}?next={_edit_url(cast.member)}"
    assert _counts() == before


def test_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.put(CREATE).status_code == 405
    assert client.delete(_edit_url(cast.member)).status_code == 405


# A person who is also a member of another platform (B). A's staff change the person only
# for A: the edit goes to a copy of the person, and B keeps the original (copy-on-write).

A_EDIT = {
    "p-family_name": "武山",
    "p-given_name": "正直",
    "p-family_name_kana": "たけやま",
    "p-given_name_kana": "まさなお",
    "p-title": "A会議体で入力した役職",
    "p-email": "chosen-by-a@example.com",
    "p-phone": "03-0000-0000",
}


@pytest.fixture
def shared(cast):
    """武山 sits on B too, through the same Person row; B has a scheduled session."""
    person = cast.member.person
    person.phone = "03-1111-1111"
    person.save()
    b_member = f.make_membership(cast.other_platform, f.make_category(cast.other_platform), person)
    b_session = f.make_session(
        cast.other_platform, date=date(2026, 12, 15), status=Session.Status.SCHEDULED
    )
    return {"person": person, "b_member": b_member, "b_session": b_session}


def _edit_as_a(client, cast):
    client.force_login(cast.clerk)
    return client.post(_edit_url(cast.member), _data(cast.member.category, **A_EDIT), follow=True)


def _assert_original(person):
    person.refresh_from_db()
    assert person.full_name == "武山\u3000政直"
    assert person.title == "教授"
    assert person.email == "takeyama@example.jp"
    assert person.phone == "03-1111-1111"


def test_a_edit_of_a_shared_person_is_written_to_a_copy(client, cast, shared):
    people = Person.objects.count()
    response = _edit_as_a(client, cast)
    assert response.status_code == 200
    html = response.content.decode()
    assert "構成員を保存しました。" in html
    assert "この人物は、あなたが編集できない他の会議体にも登録されています。" in html
    assert "別の会議体" not in html  # which other council is not said
    assert Person.objects.count() == people + 1
    cast.member.refresh_from_db()
    copy = cast.member.person
    assert copy.pk != shared["person"].pk
    assert (copy.full_name, copy.title, copy.email, copy.phone) == (
        "武山\u3000正直",
        "A会議体で入力した役職",
        "chosen-by-a@example.com",
        "03-0000-0000",
    )
    assert cast.member.email == "chosen-by-a@example.com"
    shared["b_member"].refresh_from_db()
    assert shared["b_member"].person_id == shared["person"].pk
    _assert_original(shared["person"])


def test_a_edit_does_not_reach_b_invitations(
    client, cast, shared, django_capture_on_commit_callbacks
):
    _edit_as_a(client, cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite_members(session=shared["b_session"], memberships=[shared["b_member"]])
    [message] = mail.outbox
    assert message.to == ["takeyama@example.jp"]
    assert "chosen-by-a" not in message.message().as_string()
    assert "武山\u3000政直" in message.body
    assert "正直" not in message.body
    delivery = Delivery.objects.get(invitation__session=shared["b_session"])
    assert delivery.to_email == "takeyama@example.jp"


def test_b_clerk_sees_no_change(client, cast, shared):
    _edit_as_a(client, cast)
    client.force_login(cast.other_clerk)
    members = client.get(reverse("council:members", args=["other"])).content.decode()
    assert "武山\u3000政直" in members
    assert "教授" in members
    assert "正直" not in members
    assert "A会議体で入力した役職" not in members
    edit = client.get(_edit_url(shared["b_member"])).content.decode()
    assert 'value="takeyama@example.jp"' in edit
    assert 'value="03-1111-1111"' in edit
    assert "chosen-by-a" not in edit


def test_b_edit_after_the_copy_does_not_reach_a(client, cast, shared):
    _edit_as_a(client, cast)
    client.force_login(cast.other_clerk)
    data = _data(
        shared["b_member"].category,
        **{
            "p-family_name": "武山",
            "p-given_name": "政直",
            "p-family_name_kana": "たけやま",
            "p-given_name_kana": "まさなお",
            "p-title": "B会議体で入力した役職",
            "p-email": "takeyama@example.jp",
            "p-phone": "03-1111-1111",
        },
    )
    assert client.post(_edit_url(shared["b_member"]), data).status_code == 302
    shared["person"].refresh_from_db()
    assert shared["person"].title == "B会議体で入力した役職"
    cast.member.refresh_from_db()
    assert cast.member.person.title == "A会議体で入力した役職"


def test_all_of_a_memberships_of_the_person_follow_the_edit(client, cast, shared):
    earlier_term = f.make_membership(
        cast.platform,
        cast.member.category,
        shared["person"],
        start_date=date(2015, 9, 1),
        end_date=date(2016, 3, 31),
    )
    _edit_as_a(client, cast)
    cast.member.refresh_from_db()
    earlier_term.refresh_from_db()
    assert earlier_term.person_id == cast.member.person_id != shared["person"].pk
    assert earlier_term.email == "chosen-by-a@example.com"


def test_an_edit_that_leaves_the_person_alone_makes_no_copy(client, cast, shared):
    people = Person.objects.count()
    client.force_login(cast.clerk)
    data = _data(
        cast.member.category,
        **{
            "p-family_name": "武山",
            "p-given_name": "政直",
            "p-family_name_kana": "たけやま",
            "p-given_name_kana": "まさなお",
            "p-title": "教授",
            "p-email": "takeyama@example.jp",
            "p-phone": "03-1111-1111",
            "m-role": "chair",
        },
    )
    response = client.post(_edit_url(cast.member), data, follow=True)
    assert "他の会議体にも登録されています" not in response.content.decode()
    assert Person.objects.count() == people
    cast.member.refresh_from_db()
    assert cast.member.role == Membership.Role.CHAIR
    assert cast.member.person_id == shared["person"].pk


@pytest.mark.parametrize("who", ["editor_of_both", "admin"])
def test_an_editor_of_every_platform_of_the_person_changes_the_person_itself(
    client, cast, shared, who
):
    if who == "admin":
        user = cast.admin
    else:
        user = cast.clerk
        StaffAssignment.objects.create(platform=cast.other_platform, user=user)
    people = Person.objects.count()
    client.force_login(user)
    response = client.post(_edit_url(cast.member), _data(cast.member.category, **A_EDIT))
    assert response.status_code == 302
    assert Person.objects.count() == people
    shared["b_member"].refresh_from_db()
    assert shared["b_member"].email == "chosen-by-a@example.com"


def test_a_viewer_of_b_is_no_editor_of_b(client, cast, shared):
    StaffAssignment.objects.create(
        platform=cast.other_platform, user=cast.clerk, role=StaffAssignment.Role.VIEWER
    )
    _edit_as_a(client, cast)
    _assert_original(shared["person"])
    shared["b_member"].refresh_from_db()
    assert shared["b_member"].person_id == shared["person"].pk


def test_a_crafted_post_cannot_attach_or_alter_another_platforms_person(client, cast):
    b_person = f.make_person("別府", "花子", "べっぷ", "はなこ", email="beppu@example.jp")
    b_member = f.make_membership(
        cast.other_platform, f.make_category(cast.other_platform), b_person
    )
    client.force_login(cast.clerk)
    # The person's id in every spelling a form might take it: the forms have no such field.
    crafted = {"m-person": b_person.pk, "p-id": b_person.pk, "p-pk": b_person.pk}
    response = client.post(CREATE, _data(cast.member.category, **crafted))
    assert response.status_code == 302
    created = Membership.objects.get(platform=cast.platform, person__family_name="中村")
    assert created.person_id != b_person.pk
    response = client.post(_edit_url(cast.member), _data(cast.member.category, **crafted))
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.person_id not in (None, b_person.pk)
    assert cast.member.person.family_name == "中村"
    b_person.refresh_from_db()
    assert (b_person.full_name, b_person.email) == ("別府\u3000花子", "beppu@example.jp")
    assert list(b_person.memberships.all()) == [b_member]
