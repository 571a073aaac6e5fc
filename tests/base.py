"""The named cast every view test uses.

- `platform` (A) with `clerk` (editor) and `viewer` (read-only), and `other_platform`
  (B) with `other_clerk`; `admin` is a superuser; `member` a person on platform A.
- On A: `published` (第1回, with a public, a members-only, a not-public and a
  public-later material), `draft` (第2回, held but not published, with a public material:
  its notice is public, its materials are not yet), `planned` (in the date poll, no
  number: nothing of it is public).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User

from documents.models import Material
from secretariat.council.models import Membership, Platform, StaffAssignment
from secretariat.meetings.models import Session
from tests import factories as f


@dataclass
class Cast:
    platform: Platform
    other_platform: Platform
    clerk: User
    viewer: User
    other_clerk: User
    admin: User
    member: Membership
    published: Session
    draft: Session
    planned: Session
    public_material: Material
    members_only: Material
    not_public: Material
    public_later: Material
    draft_material: Material


def build_cast() -> Cast:
    platform = f.make_platform(name="公共サービスイノベーション・プラットフォーム", slug="pf")
    other = f.make_platform(name="別の会議体", slug="other")
    category = f.make_category(platform, "有識者", order=1)
    person = f.make_person(
        "武山", "政直", "たけやま", "まさなお", title="教授", email="takeyama@example.jp"
    )
    member = f.make_membership(platform, category, person)
    published = f.make_session(platform, number=1, date=date(2015, 9, 14))
    draft = f.make_session(
        platform,
        number=2,
        date=date(2015, 10, 30),
        status=Session.Status.HELD,
        topics="未公開の会議の内容",
    )
    planned = f.make_session(
        platform,
        number=None,
        date=None,
        start_time=None,
        end_time=None,
        status=Session.Status.PLANNED,
        topics="日程調整中の会議の内容",
    )
    cast = Cast(
        platform=platform,
        other_platform=other,
        clerk=f.make_staff(platform, username="clerk"),
        viewer=f.make_staff(platform, StaffAssignment.Role.VIEWER, username="viewer"),
        other_clerk=f.make_staff(other, username="other_clerk"),
        admin=f.make_user("admin", is_superuser=True, is_staff=True),
        member=member,
        published=published,
        draft=draft,
        planned=planned,
        public_material=f.make_material(published, label="資料1", title="公開資料", order=1),
        members_only=f.make_material(
            published,
            label="資料2",
            title="委員限りの資料",
            order=2,
            access=Material.Access.MEMBERS_ONLY,
            reason=Material.Reason.DELIBERATION,
        ),
        not_public=f.make_material(
            published,
            label="資料3",
            title="非公開の資料",
            order=3,
            access=Material.Access.NOT_PUBLIC,
            reason=Material.Reason.PERSONAL,
        ),
        public_later=f.make_material(
            published,
            label="資料4",
            title="後日公開の資料",
            order=4,
            access=Material.Access.PUBLIC_LATER,
            reason=Material.Reason.DELIBERATION,
            public_from=date(2099, 1, 1),
        ),
        draft_material=f.make_material(draft, label="資料1", title="未公開会議の資料"),
    )
    f.publish(published)
    return cast


def download_body(response) -> bytes:
    """Read a FileResponse to the end: the test client then closes its file. (Calling
    response.close() would fire request_finished and close the test's database
    connection on PostgreSQL.)"""
    return b"".join(response.streaming_content)


# secretariat.validators.validate_era_date, for a date outside 1989-01-08..2100-12-31.
DATE_RANGE_ERROR = "日付は平成元年（1989年）1月8日から2100年12月31日までの範囲で入力してください。"
