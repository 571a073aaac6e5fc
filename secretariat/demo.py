"""The demo platform: the Cabinet Office's 公共サービスイノベーション・プラットフォーム as its
public page shows it (shared/seed). Names, dates and contents are the page's own; the
kana readings are entered here as staff would enter them. The materials are
placeholders, generated as small PDFs at load time and marked as such.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from documents.models import Deliverable, DeliverableFile, Material
from exports.placeholder_pdf import render_placeholder_pdf
from secretariat.council.models import (
    MemberCategory,
    Membership,
    Organisation,
    Person,
    Platform,
    Project,
    Theme,
)
from secretariat.meetings.models import AgendaItem, Session, SiteVisit, SiteVisitDay, SiteVisitStop
from secretariat.publishing.actions import publish
from secretariat.publishing.models import Publication

SLUG = "public-service-innovation"
PLACEHOLDER_NOTE = "（デモ用の仮資料です。実際の会議資料ではありません。）"

PURPOSE = (
    "経済再生と財政健全化の双方を推進するカギは、「公的サービスの産業化」、「インセンティブ改革」、"
    "「公共サービスのイノベーション」といった「経済財政運営と改革の基本方針2015」に盛り込まれた"
    "歳出改革の実行にある。自治体等における先進的な取組の全国展開により公共サービス分野の改革を"
    "推進するため、関係者が参加し、省庁横断的に調整、進捗管理及びフォローアップを行う場として、"
    "公共サービスイノベーション・プラットフォーム(以下「プラットフォーム」という。)を開催する。"
)
INTRODUCTION = (
    "平成27年9月、内閣府に「公共サービスイノベーション・プラットフォーム(PF)」が設置されました。"
    "これは、窓口業務の民間委託や自治体クラウドをはじめとする、公共サービスの改革に向けた自治体の"
    "先進的な取組を応援し、全国展開を進めることを目的として、内閣府(経済財政政策担当)、"
    "経済財政諮問会議や地方三団体の関係者、有識者等を構成員として発足したものです。"
)

# (kind, name, prefecture)
ORGANISATIONS = [
    ("ministry", "内閣府", ""),
    ("ministry", "総務省", ""),
    ("ministry", "国土交通省", ""),
    ("ministry", "内閣官房情報通信技術(IT)総合戦略室", ""),
    ("ministry", "内閣官房社会保障改革担当室", ""),
    ("association", "全国知事会", ""),
    ("association", "全国市長会", ""),
    ("association", "全国町村会", ""),
    ("municipality", "横浜市", "神奈川県"),
    ("municipality", "市原市", "千葉県"),
    ("company", "日本アイ・ビー・エム株式会社", ""),
    ("company", "ヤフー株式会社", ""),
    ("company", "株式会社日本政策投資銀行", ""),
    ("university", "慶應義塾大学", ""),
]

# Category name → members in the seed's order:
# (family, given, family kana, given kana, title, affiliation, organisation represented)
CATEGORIES = [
    (
        "経済財政諮問会議関係",
        [
            ("髙鳥", "修一", "たかとり", "しゅういち", "内閣府副大臣", "内閣府", None),
            ("高木", "宏壽", "たかぎ", "ひろひさ", "内閣府大臣政務官", "内閣府", None),
            ("高橋", "進", "たかはし", "すすむ", "経済財政諮問会議民間議員", None, None),
            ("榊原", "定征", "さかきばら", "さだゆき", "経済財政諮問会議民間議員", None, None),
        ],
    ),
    (
        "地方三団体",
        [
            ("中村", "時広", "なかむら", "ときひろ", "愛媛県知事", None, "全国知事会"),
            ("清水", "庄平", "しみず", "しょうへい", "東京都 立川市長", None, "全国市長会"),
            ("大矢", "明夫", "おおや", "あきお", "神奈川県 清川村長", None, "全国町村会"),
        ],
    ),
    (
        "有識者",
        [
            (
                "武山",
                "政直",
                "たけやま",
                "まさなお",
                "慶應義塾大学経済学部教授(政策コメンテーター委員)",
                "慶應義塾大学",
                None,
            ),
            (
                "森本",
                "登志男",
                "もりもと",
                "としお",
                "佐賀県情報エグゼクティブ・アドバイザー兼岡山県特命参与(情報発信担当)",
                None,
                None,
            ),
            (
                "足立",
                "慎一郎",
                "あだち",
                "しんいちろう",
                "株式会社日本政策投資銀行 地域企画部担当部長",
                "株式会社日本政策投資銀行",
                None,
            ),
        ],
    ),
]
THEMES = [
    "アウトソーシング",
    "ITを活用した業務改革、クラウド化",
    "公的ストックの有効活用",
    "広域化・共同化",
]
# Ministry → the themes it sits under, in the seed's order of first appearance.
MINISTRY_THEMES = [
    ("総務省", THEMES),
    ("内閣官房情報通信技術(IT)総合戦略室", [THEMES[1]]),
    ("内閣官房社会保障改革担当室", [THEMES[1]]),
    ("国土交通省", [THEMES[2]]),
]
HEARING_TOPIC = "アウトソーシング、IT化、自治体クラウド等について"

# (number, kind, date, topics, agenda items)
SESSIONS = [
    (
        1,
        "hearing",
        date(2015, 9, 14),
        "アウトソーシング、IT化、自治体クラウド等についての関係省庁ヒアリング",
        [f"関係省庁ヒアリング（{HEARING_TOPIC}）"],
    ),
    (
        2,
        "hearing",
        date(2015, 10, 30),
        "アウトソーシング、IT化、自治体クラウド等についての有識者ヒアリング、現地視察報告、"
        "課題の分析・整理等を議論",
        [f"有識者ヒアリング（{HEARING_TOPIC}）", "現地視察報告", "課題の分析・整理等について"],
    ),
    (
        3,
        "hearing",
        date(2015, 11, 13),
        "アウトソーシング、IT化、自治体クラウド等についての有識者ヒアリング、"
        "課題と対応に関するとりまとめ",
        [f"有識者ヒアリング（{HEARING_TOPIC}）", "課題と対応に関するとりまとめ"],
    ),
    (
        4,
        "meeting",
        date(2016, 6, 30),
        "公共サービスイノベーションに係る事例の分析、進捗状況、取組等について",
        ["公共サービスイノベーションに係る事例の分析、進捗状況、取組等について"],
    ),
]
SITE_VISIT_DAYS = [date(2015, 10, 8), date(2015, 10, 9), date(2015, 10, 14)]
SITE_VISIT_TOPICS = (
    "アウトソーシング、自治体クラウド等について、愛知県岡崎市・豊橋市、神奈川県海老名市等、"
    "計8か所を視察"
)
# The seed names three of the eight places and not the day of each.
SITE_VISIT_STOPS = [("愛知県", "岡崎市"), ("愛知県", "豊橋市"), ("神奈川県", "海老名市")]

PROJECTS = [
    (
        "横浜市",
        "日本アイ・ビー・エム株式会社",
        "横浜市は、地域の課題や基礎データを庁内外と共有するためのウェブ・プラットフォームを構築し、"
        "それを活用して多くの人々(市民、企業等)を巻き込み、公共サービスの質の向上が自立的に進められる"
        "ようなエコ・システムを作り出すことを計画しています。日本アイ・ビー・エムは、そのための仕組みや"
        "IT基盤の構築についてアドバイスを行います。当該プラットフォームは、他の自治体にも応用可能な"
        "モデルとなることを目指します。",
    ),
    (
        "市原市",
        "ヤフー株式会社",
        "市原市は、目下人口減少に直面しており、全国から注目され続ける市原市の実現を図るため、"
        "戦略的な広報活動(シティ・プロモーション)を進める計画です。ヤフーは、その実現のため"
        "インターネット活用のノウハウ(読者のニーズ、読まれる情報の出し方、ターゲットの絞り込み等)を"
        "中心にアドバイスを行います。",
    ),
]
REPORT_TITLE = "公共サービスイノベーションに係る先進事例の全国展開に向けた課題と対応について"


STAFF_USERNAME = "jimukyoku"
TOKYO = ZoneInfo("Asia/Tokyo")


def _pdf(name: str, label: str, title: str, *lines: str) -> ContentFile:
    content = render_placeholder_pdf(
        corner_label=label, title=title, lines=[*lines, "", PLACEHOLDER_NOTE]
    )
    return ContentFile(content, name=name)


def _material(session: Session, order: int, label: str, title: str, **access: object) -> None:
    name = f"{label}_{title}.pdf" if label else f"{title}.pdf"
    upload = _pdf(name, label, title, session.full_title)
    material = Material(session=session, order=order, label=label, title=title, **access)
    material.attach(upload)
    material.full_clean()
    material.save()


def _platform() -> Platform:
    return Platform.objects.create(
        name="公共サービスイノベーション・プラットフォーム",
        short_name="PF",
        slug=SLUG,
        purpose=PURPOSE,
        introduction=INTRODUCTION,
        parent_bodies="内閣府\n経済財政諮問会議\n経済・財政一体改革推進委員会",
        secretariat_office="内閣府（経済財政政策担当）",
        secretariat_contact="〒100-8914 東京都千代田区永田町1-6-1\n電話番号 03-5253-2111(大代表)",
        members_note="(注)必要に応じ、上記以外の者の参加を求める。",
        is_public=True,
    )


def _members(platform: Platform, orgs: dict[str, Organisation]) -> None:
    for number, (name, people) in enumerate(CATEGORIES, start=1):
        category = platform.categories.create(
            name=name, order=number, member_ordering=MemberCategory.Ordering.LISTED
        )
        for order, (family, given, fkana, gkana, title, affiliation, represents) in enumerate(
            people, start=1
        ):
            person = Person(
                family_name=family,
                given_name=given,
                family_name_kana=fkana,
                given_name_kana=gkana,
                title=title,
                affiliation=orgs.get(affiliation or ""),
            )
            person.full_clean()
            person.save()
            Membership.objects.create(
                platform=platform,
                category=category,
                person=person,
                organisation=orgs.get(represents or ""),
                order=order,
            )
    ministries = platform.categories.create(
        name="テーマ別参加省庁", order=4, member_ordering=MemberCategory.Ordering.LISTED
    )
    themes = {
        name: Theme.objects.create(platform=platform, name=name, order=order)
        for order, name in enumerate(THEMES, start=1)
    }
    for order, (ministry, theme_names) in enumerate(MINISTRY_THEMES, start=1):
        membership = Membership.objects.create(
            platform=platform,
            category=ministries,
            organisation=orgs[ministry],
            order=order,
        )
        membership.themes.set([themes[t] for t in theme_names])


def _sessions(platform: Platform) -> None:
    reported_at = None
    for number, kind, day, topics, agenda in SESSIONS:
        session = Session.objects.create(
            platform=platform,
            number=number,
            kind=kind,
            date=day,
            topics=topics,
            status=Session.Status.HELD,
        )
        for order, title in enumerate(agenda, start=1):
            item = AgendaItem.objects.create(session=session, order=order, title=title)
            if title == "現地視察報告":
                reported_at = item
        _material(session, 1, "", "議事次第")
        _material(session, 2, "資料1", f"{agenda[0]}（説明資料）")
        _material(session, 3, "参考資料1", "構成員名簿")
        if number == 1:
            _material(
                session,
                4,
                "資料2",
                "自治体別の検討状況（委員限り）",
                access=Material.Access.MEMBERS_ONLY,
                reason=Material.Reason.DELIBERATION,
            )
        if number == 2:
            _material(
                session,
                4,
                "資料3",
                "視察先担当者の連絡先一覧",
                access=Material.Access.NOT_PUBLIC,
                reason=Material.Reason.PERSONAL,
            )

    visit_session = Session.objects.create(
        platform=platform,
        kind=Session.Kind.SITE_VISIT,
        date=SITE_VISIT_DAYS[0],
        topics=SITE_VISIT_TOPICS,
        status=Session.Status.HELD,
    )
    visit = SiteVisit.objects.create(
        session=visit_session, summary=SITE_VISIT_TOPICS, reported_at=reported_at
    )
    for day in SITE_VISIT_DAYS:
        SiteVisitDay.objects.create(site_visit=visit, date=day)
    for order, (prefecture, municipality) in enumerate(SITE_VISIT_STOPS, start=1):
        SiteVisitStop.objects.create(
            site_visit=visit,
            order=order,
            prefecture=prefecture,
            municipality=municipality,
            theme="アウトソーシング、自治体クラウド等",
        )

    # The next meeting, still in the date poll: on the staff side only.
    Session.objects.create(
        platform=platform,
        kind=Session.Kind.MEETING,
        topics="先進事例の全国展開の進捗状況について",
        status=Session.Status.PLANNED,
    )


def _deliverable(platform: Platform) -> None:
    report = Deliverable.objects.create(
        platform=platform,
        title=REPORT_TITLE,
        short_title="課題と対応",
        reported_to="経済財政諮問会議",
        description="平成27年12月に取りまとめ、経済財政諮問会議に報告しました。",
        is_public=True,
    )
    for part, suffix in ((DeliverableFile.Part.BODY, ""), (DeliverableFile.Part.SUMMARY, "(概要)")):
        stored = DeliverableFile(deliverable=report, part=part)
        stored.attach(_pdf(f"課題と対応{suffix}.pdf", "", f"{REPORT_TITLE}{suffix}"))
        stored.save()


@transaction.atomic
def _publish(platform: Platform) -> None:
    """Publish the held sessions as the secretariat did, a week after each."""
    staff, _ = get_user_model().objects.get_or_create(username=STAFF_USERNAME)
    for session in platform.sessions.filter(status=Session.Status.HELD):
        assert session.date is not None
        when = datetime.combine(session.date + timedelta(days=7), time(10), tzinfo=TOKYO)
        publish(session=session, kind=Publication.Kind.MATERIALS, by=staff, now=when)


def load_demo_platform() -> tuple[Platform, bool]:
    """Create the demo platform once; return it and whether it was created now."""
    existing = Platform.objects.filter(slug=SLUG).first()
    if existing:
        return existing, False
    orgs = {}
    for kind, name, prefecture in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "prefecture": prefecture}
        )
    platform = _platform()
    _members(platform, orgs)
    _sessions(platform)
    _deliverable(platform)
    _publish(platform)
    for order, (municipality, company, description) in enumerate(PROJECTS, start=1):
        Project.objects.create(
            platform=platform,
            fiscal_year=2016,
            municipality=orgs[municipality],
            company=orgs[company],
            description=description,
            order=order,
        )
    return platform, True
