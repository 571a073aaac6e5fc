from datetime import date

from django.urls import reverse

from documents.models import Deliverable, DeliverableFile
from secretariat.council.models import MemberCategory, Membership
from tests import factories as f
from tests.base import download_body


def test_shows_purpose_roster_and_recent_sessions(client, cast):
    response = client.get(reverse("public:platform", args=["pf"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "テストのための会議体です。" in html
    assert "武山\u3000政直" in html
    assert "（五十音順、敬称略）" in html
    assert "第1回" in html
    assert "日程調整中の会議の内容" not in html


def test_office_holders_first_then_gojuon(client, cast):
    category = f.make_category(cast.platform, "委員", order=0)
    for family, kana, role in [
        ("森本", "もりもと", Membership.Role.MEMBER),
        ("足立", "あだち", Membership.Role.MEMBER),
        ("後藤", "ごとう", Membership.Role.VICE_CHAIR),
        ("高橋", "たかはし", Membership.Role.CHAIR),
        ("小林", "こばやし", Membership.Role.MEMBER),
    ]:
        person = f.make_person(family, "太郎", kana, "たろう")
        f.make_membership(cast.platform, category, person, role=role)
    html = client.get(reverse("public:platform", args=["pf"])).content.decode()
    order = [html.index(name) for name in ("高橋", "後藤", "足立", "小林", "森本")]
    assert order == sorted(order)
    assert '<span aria-label="座長">◎</span><span class="roster__name">高橋' in html
    assert '<span aria-label="座長代理">○</span><span class="roster__name">後藤' in html
    assert "（◎座長、○座長代理）" in html


def test_listed_category_keeps_its_order_and_themes_group_ministries(client, cast):
    category = f.make_category(
        cast.platform, "テーマ別参加省庁", order=2, member_ordering=MemberCategory.Ordering.LISTED
    )
    soumu = f.make_organisation("総務省")
    mlit = f.make_organisation("国土交通省")
    outsourcing = cast.platform.themes.create(name="アウトソーシング", order=1)
    stock = cast.platform.themes.create(name="公的ストックの有効活用", order=2)
    f.make_membership(cast.platform, category, organisation=soumu, order=1).themes.set(
        [outsourcing, stock]
    )
    f.make_membership(cast.platform, category, organisation=mlit, order=2).themes.set([stock])
    roster = cast.platform.to_roster(date(2025, 4, 1))
    ministries = roster.categories[-1]
    assert ministries.note == "（敬称略）"
    assert [(g.theme, [m.name for m in g.members]) for g in ministries.groups] == [
        ("アウトソーシング", ["総務省"]),
        ("公的ストックの有効活用", ["総務省", "国土交通省"]),
    ]
    html = client.get(reverse("public:platform", args=["pf"])).content.decode()
    assert "(アウトソーシング)" in html


def test_never_shows_email_or_phone(client, cast):
    cast.member.person.phone = "03-0000-1234"
    cast.member.person.save()
    html = client.get(reverse("public:platform", args=["pf"])).content.decode()
    assert "takeyama@example.jp" not in html
    assert "03-0000-1234" not in html


def test_ended_membership_is_not_listed(client, cast):
    cast.member.end_date = date(2016, 3, 31)
    cast.member.save()
    html = client.get(reverse("public:platform", args=["pf"])).content.decode()
    assert "武山" not in html


def test_deliverable_files_say_format_and_size(client, cast):
    report = Deliverable.objects.create(
        platform=cast.platform, title="課題と対応について", short_title="課題と対応", is_public=True
    )
    stored = DeliverableFile(deliverable=report, part=DeliverableFile.Part.BODY)
    stored.attach(f.pdf_upload("本文.pdf"))
    stored.save()
    html = client.get(reverse("public:platform", args=["pf"])).content.decode()
    assert f"本文(PDF形式:{stored.annotation.split(':')[1]})" in html
    download = client.get(reverse("public:deliverable_file", args=["pf", stored.pk]))
    assert download.status_code == 200
    download_body(download)
    assert download["Content-Type"] == "application/pdf"


def test_private_deliverable_is_hidden(client, cast):
    report = Deliverable.objects.create(platform=cast.platform, title="内部の報告", is_public=False)
    stored = DeliverableFile(deliverable=report, part=DeliverableFile.Part.BODY)
    stored.attach(f.pdf_upload("内部.pdf"))
    stored.save()
    html = client.get(reverse("public:platform", args=["pf"])).content.decode()
    assert "内部の報告" not in html
    response = client.get(reverse("public:deliverable_file", args=["pf", stored.pk]))
    assert response.status_code == 404


def test_anonymous_needs_no_login_and_wrong_method_is_405(client, cast):
    assert client.get(reverse("public:platform", args=["pf"])).status_code == 200
    assert client.post(reverse("public:platform", args=["pf"])).status_code == 405
