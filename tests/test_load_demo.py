from datetime import date

from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from documents.models import Material
from secretariat.council.models import Membership, Person, Platform
from secretariat.demo import SLUG
from secretariat.meetings.models import Session


def test_loads_the_seed_platform_once_and_prints_logins(db, capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    call_command("load_demo")
    second = capsys.readouterr().out
    assert "読み込みました" in first and "読み込み済み" in second
    assert "jimukyoku / " in second and "admin / " in second
    assert Platform.objects.count() == 1
    assert Person.objects.count() == 10
    assert Membership.objects.count() == 14
    assert Session.objects.count() == 6
    staff = User.objects.get(username="jimukyoku")
    assert not staff.is_superuser and staff.staff_assignments.count() == 1
    assert User.objects.get(username="admin").is_superuser


def test_members_are_in_the_seed_order(db, client):
    call_command("load_demo")
    platform = Platform.objects.get(slug=SLUG)
    roster = platform.to_roster(date(2026, 11, 27))
    names = [[m.name for g in c.groups for m in g.members] for c in roster.categories]
    assert [c.heading for c in roster.categories] == [
        "(1)経済財政諮問会議関係",
        "(2)地方三団体",
        "(3)有識者",
        "(4)テーマ別参加省庁",
    ]
    assert names[0] == ["髙鳥\u3000修一", "高木\u3000宏壽", "高橋\u3000進", "榊原\u3000定征"]
    assert names[1][0] == "全国知事会（中村\u3000時広 愛媛県知事）"
    assert names[2] == ["武山\u3000政直", "森本\u3000登志男", "足立\u3000慎一郎"]
    ministries = roster.categories[3].groups
    assert [g.theme for g in ministries] == [
        "アウトソーシング",
        "ITを活用した業務改革、クラウド化",
        "公的ストックの有効活用",
        "広域化・共同化",
    ]
    assert [m.name for m in ministries[1].members] == [
        "総務省",
        "内閣官房情報通信技術(IT)総合戦略室",
        "内閣官房社会保障改革担当室",
    ]


def test_public_meeting_list_shows_the_four_sessions_and_the_site_visit(db, client):
    call_command("load_demo")
    html = client.get(reverse("public:sessions", args=[SLUG])).content.decode()
    expected = [
        ("第4回", "平成28年6月30日"),
        ("第3回", "平成27年11月13日"),
        ("第2回", "平成27年10月30日"),
        ("現地視察", "平成27年10月8日、9日、14日"),
        ("第1回", "平成27年9月14日"),
    ]
    positions = [html.index(f"{title}</span><br>{day}") for title, day in expected]
    assert positions == sorted(positions)
    assert "日程調整中" not in html


def test_demo_has_materials_to_hide_and_real_pdfs(db):
    call_command("load_demo")
    assert Material.objects.filter(access=Material.Access.MEMBERS_ONLY).exists()
    assert Material.objects.filter(access=Material.Access.NOT_PUBLIC).exclude(reason="").exists()
    material = Material.objects.filter(label="資料1").first()
    with material.file.open("rb") as pdf:
        text = PdfReader(pdf).pages[0].extract_text()
    assert "資料1" in text and "デモ用の仮資料" in text
