"""Inviting 100 members: fixing the date, then writing every invitation email.

(a) Staff fix the date: `fix_date` records a Delivery per member and only enqueues the
sending task on commit. `async_task` is replaced by a recorder, so the figure is what the
request costs, and we check that nothing was sent while it ran.
(b) The sending task writes the 100 invitations (text, HTML and a calendar part) through
the file-based backend. Its cost per email is compared with 100 plain text + HTML emails
(no calendar part, no database) through the same backend.

Run alone with `.venv/bin/python bench/invite_members.py`.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from unittest.mock import patch

import harness  # sets Django up on a throwaway database: before any model import
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.test.utils import override_settings

from secretariat.council.models import MemberCategory, Membership, Person, Platform
from secretariat.meetings import actions
from secretariat.meetings.models import CandidateSlot, Delivery, Session
from secretariat.meetings.tasks import send_session_deliveries

MEMBERS = 100
TASK = "secretariat.meetings.tasks.send_session_deliveries"

# The baseline's body: about the length of a real invitation, in Japanese.
PLAIN_TEXT = (
    "構成員 様\n\n下記のとおり第1回 ベンチマーク会議体を開催いたします。\n"
    "ご多忙のところ恐縮ですが、ご出席くださいますようお願い申し上げます。\n\n"
    "会議：第1回 ベンチマーク会議体\n日時：令和8年12月2日（水）10:00～12:00\n"
    "場所：中央合同庁舎第8号館 講堂（東京都千代田区永田町1-6-1）\n"
    "議題：公共サービスの改革について\n\n出欠を下記のリンクからご回答ください。\n"
    "http://127.0.0.1:8000/m/" + "x" * 80 + "/\n\nベンチマーク会議体 事務局\n"
)
PLAIN_HTML = "".join(f"<p>{line}</p>\n" for line in PLAIN_TEXT.splitlines() if line)


def make_platform() -> Platform:
    platform = Platform.objects.create(
        name="ベンチマーク会議体",
        slug="bench-invite",
        secretariat_email="jimukyoku@example.jp",
        is_public=True,
    )
    category = MemberCategory.objects.create(platform=platform, name="有識者")
    for n in range(MEMBERS):
        person = Person.objects.create(
            family_name="構成員",
            given_name=f"{n:03d}",
            family_name_kana="こうせいいん",
            given_name_kana="いち",
            email=f"member{n:03d}@example.jp",
        )
        Membership.objects.create(platform=platform, category=category, person=person, order=n)
    return platform


def planned_session(platform: Platform) -> tuple[Session, CandidateSlot]:
    session = Session.objects.create(
        platform=platform,
        topics="公共サービスの改革について",
        venue_name="中央合同庁舎第8号館 講堂",
        venue_address="東京都千代田区永田町1-6-1",
    )
    slot = actions.add_slot(session=session, day=date(2026, 12, 2), start=time(10), end=time(12))
    return session, slot


def messages_in(folder: Path) -> int:
    """How many emails the file-based backend wrote: it ends each with a line of 79 dashes."""
    separator = b"-" * 79
    return sum(
        line == separator
        for path in folder.glob("*.log")
        for line in path.read_bytes().splitlines()
    )


def fix_date(
    session: Session, slot: CandidateSlot, mail_dir: Path, *, count_queries: bool = False
) -> harness.Measured:
    """Fix the date as the staff view does; the sending task is recorded, not run."""
    enqueued: list[tuple[object, ...]] = []
    with (
        override_settings(EMAIL_FILE_PATH=mail_dir),
        patch.object(actions, "async_task", lambda *args: enqueued.append(args)),
        harness.measure(count_queries=count_queries) as measured,
        transaction.atomic(),
    ):
        outreach = actions.fix_date(session=session, slot=slot)
    assert len(outreach.queued) == MEMBERS, outreach
    assert enqueued == [(TASK, session.pk)], enqueued
    assert messages_in(mail_dir) == 0, "fix_date sent emails itself"
    pending = Delivery.objects.filter(invitation__session=session, status="pending").count()
    assert pending == MEMBERS, pending
    return measured


def send_invitations(
    session: Session, mail_dir: Path, *, count_queries: bool = False
) -> harness.Measured:
    """Run the sending task as the worker would once the date is fixed."""
    with (
        override_settings(EMAIL_FILE_PATH=mail_dir),
        harness.measure(count_queries=count_queries) as measured,
    ):
        failed = send_session_deliveries(session.pk)
    assert failed == 0, failed
    written = messages_in(mail_dir)
    assert written == MEMBERS, written
    return measured


def send_plain(mail_dir: Path) -> float:
    """The baseline: 100 text + HTML emails over one connection, as the task sends them."""
    with harness.measure() as measured, get_connection(file_path=str(mail_dir)) as mail:
        for n in range(MEMBERS):
            email = EmailMultiAlternatives(
                subject="【開催案内】第1回 ベンチマーク会議体（令和8年12月2日（水））",
                body=PLAIN_TEXT,
                from_email="secretariat@localhost",
                to=[f"member{n:03d}@example.jp"],
                reply_to=["jimukyoku@example.jp"],
                connection=mail,
            )
            email.attach_alternative(PLAIN_HTML, "text/html")
            email.send()
    assert messages_in(mail_dir) == MEMBERS
    return measured.seconds


def run() -> list[harness.Row]:
    platform = make_platform()
    # An untimed first round fills the template, URL and translation caches, and counts
    # the queries of the action and of the task.
    session, slot = planned_session(platform)
    fix_queries = fix_date(session, slot, harness.TEMP_DIR / "invite-0", count_queries=True)
    send_queries = send_invitations(session, harness.TEMP_DIR / "invite-0", count_queries=True)
    send_plain(harness.TEMP_DIR / "plain-0")

    fixes, sends, plains = [], [], []
    for round_ in range(1, harness.REPEAT + 1):
        mail_dir = harness.TEMP_DIR / f"invite-{round_}"
        session, slot = planned_session(platform)
        fixes.append(fix_date(session, slot, mail_dir).seconds)
        sends.append(send_invitations(session, mail_dir).seconds)
        plains.append(send_plain(harness.TEMP_DIR / f"plain-{round_}"))
    fix, send, plain = harness.median(fixes), harness.median(sends), harness.median(plains)
    per_email = send / MEMBERS
    return [
        harness.Row(
            f"1a. Fix the date, {MEMBERS} members (sending enqueued on commit, not run)",
            fix,
            "1b, the sending it no longer waits for",
            send,
            f"{fix_queries.queries} queries ({fix_queries.queries / MEMBERS:.0f} per member); "
            "task enqueued once; 0 emails written during the request",
        ),
        harness.Row(
            f"1b. Sending task: {MEMBERS} invitations with calendar part written to files",
            send,
            f"{MEMBERS} plain text + HTML emails, same backend",
            plain,
            f"{harness.ms(per_email)} per email vs {harness.ms(plain / MEMBERS)}; "
            f"{send_queries.queries} queries ({send_queries.queries / MEMBERS:.0f} per email)",
        ),
    ]


if __name__ == "__main__":
    print(harness.markdown_table(run()))
