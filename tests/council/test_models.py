from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from secretariat.council.models import Membership, Organisation, Person
from tests import factories as f


def test_person_needs_names_and_kana_readings(db):
    person = Person(family_name="", given_name="", family_name_kana="", given_name_kana="")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert set(error.value.message_dict) >= {
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()


def test_kana_reading_rejects_kanji_and_half_width(db):
    person = Person(
        family_name="大谷", given_name="翔", family_name_kana="大谷", given_name_kana="ｼｮｳ"
    )
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert error.value.message_dict["family_name_kana"] == [
        "読みは全角のひらがなまたはカタカナで入力してください。"
    ]
    assert "given_name_kana" in error.value.message_dict


def test_membership_needs_a_person_or_an_organisation(cast):
    category = cast.member.category
    membership = Membership(platform=cast.platform, category=category)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "人物か組織のどちらかを指定してください。" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_membership_end_before_start_is_refused(cast):
    cast.member.start_date = date(2025, 4, 1)
    cast.member.end_date = date(2025, 3, 31)
    with pytest.raises(ValidationError) as error:
        cast.member.full_clean()
    assert "終了日は開始日より後にしてください。" in str(error.value)


def test_membership_category_must_belong_to_its_platform(cast):
    foreign = f.make_category(cast.other_platform, "別の区分")
    cast.member.category = foreign
    with pytest.raises(ValidationError) as error:
        cast.member.full_clean()
    assert "category" in error.value.message_dict


def test_municipality_needs_its_prefecture(db):
    with pytest.raises(ValidationError):
        Organisation(name="海老名市", kind=Organisation.Kind.MUNICIPALITY).full_clean()
    Organisation(
        name="海老名市", kind=Organisation.Kind.MUNICIPALITY, prefecture="神奈川県"
    ).full_clean()


def test_current_memberships_follow_their_dates(cast):
    cast.member.start_date = date(2015, 9, 1)
    cast.member.end_date = date(2016, 8, 31)
    cast.member.save()
    assert list(Membership.objects.current(date(2016, 1, 1))) == [cast.member]
    assert list(Membership.objects.current(date(2016, 9, 1))) == []
    assert list(Membership.objects.current(date(2015, 8, 31))) == []


def test_display_names(cast):
    governors = f.make_organisation("全国知事会", Organisation.Kind.ASSOCIATION)
    person = f.make_person("中村", "時広", "なかむら", "ときひろ", title="愛媛県知事")
    represented = f.make_membership(
        cast.platform, cast.member.category, person, organisation=governors
    )
    assert represented.display_name == "全国知事会（中村\u3000時広 愛媛県知事）"
    ministry = f.make_membership(
        cast.platform, cast.member.category, organisation=f.make_organisation("総務省")
    )
    assert ministry.display_name == "総務省"
    assert cast.member.display_name == "武山\u3000政直"
