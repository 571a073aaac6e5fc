"""Benchmark 3: the 議事次第 and the 座席表 of a session with 40 attendees and 20 agenda
items, generated as the worker does (read the data, render, store the file), against
writing the same paragraphs to a bare python-docx document in the same run.

Run on its own with `python bench/documents.py`, or through `bench/run.py`.
"""

from __future__ import annotations

import io
from datetime import date, time

import harness  # sets Django up on a throwaway database: before any model import
from django.contrib.auth.models import User
from docx import Document

from documents.models import GeneratedFile
from documents.tasks import generate_document
from secretariat.council.models import MemberCategory, Membership, Person, Platform
from secretariat.meetings.models import AgendaItem, Invitation, Session

ATTENDEES = 40
ITEMS = 20


def make_session() -> Session:
    platform = Platform.objects.create(name="ベンチマーク会議体", slug="bench-documents")
    category = MemberCategory.objects.create(platform=platform, name="有識者", order=1)
    session = Session.objects.create(
        platform=platform,
        number=1,
        topics="先進事例の全国展開について",
        status=Session.Status.SCHEDULED,
        date=date(2026, 12, 2),
        start_time=time(10),
        end_time=time(17),
        venue_name="中央合同庁舎第8号館 講堂",
    )
    for n in range(ATTENDEES):
        person = Person.objects.create(
            family_name=f"委員{n:02d}",
            given_name="太郎",
            family_name_kana="いいん",
            given_name_kana="たろう",
            title="大学教授",
        )
        membership = Membership.objects.create(
            platform=platform, category=category, person=person, order=n
        )
        reply = Invitation.Reply.PROXY if n % 10 == 0 else Invitation.Reply.ATTENDING
        Invitation.objects.create(
            session=session,
            membership=membership,
            reply=reply,
            proxy_name="代理　花子" if reply == Invitation.Reply.PROXY else "",
            proxy_title="参与" if reply == Invitation.Reply.PROXY else "",
        )
    for n in range(ITEMS):
        AgendaItem.objects.create(
            session=session,
            order=n,
            kind=AgendaItem.Kind.HEARING,
            title=f"関係省庁ヒアリング（その{n + 1}）",
            minutes=15,
        )
    return session


def bare_document(texts: list[str]) -> float:
    """The baseline: the same paragraphs in a bare python-docx document, saved."""
    with harness.measure() as measured:
        document = Document()
        for text in texts:
            document.add_paragraph(text)
        document.save(io.BytesIO())
    return measured.seconds


def generate(session: Session, kind: str, user: User) -> float:
    generated, _ = GeneratedFile.objects.get_or_create(
        platform=session.platform, session=session, kind=kind, defaults={"requested_by": user}
    )
    # A changed input each round, so the document is really rendered (not "unchanged").
    GeneratedFile.objects.filter(pk=generated.pk).update(input_checksum="")
    with harness.measure() as measured:
        outcome = generate_document(generated.pk)
    assert outcome == "rendered", outcome
    return measured.seconds


def paragraphs(session: Session, kind: str) -> list[str]:
    """The texts a document carries, for the bare baseline."""
    if kind == GeneratedFile.Kind.AGENDA:
        doc = session.to_agenda_doc()
        texts = [doc.session_title, doc.when, doc.venue]
        texts += [f"{i.title} {i.start}～{i.end} {' '.join(i.presenters)}" for i in doc.items]
        return texts + [f"{m.label} {m.title}" for m in doc.materials]
    seating = session.to_seating_doc()
    seats = seating.chair + seating.members + seating.presenters + seating.secretariat
    return [seating.session_title, seating.when] + [f"{s.name} {s.title} {s.note}" for s in seats]


def run() -> list[harness.Row]:
    session = make_session()
    user = User.objects.create_user("bench-documents")
    rows = []
    for kind, label in (
        (GeneratedFile.Kind.AGENDA, "議事次第"),
        (GeneratedFile.Kind.SEATING, "座席表"),
    ):
        texts = paragraphs(session, kind)
        generate(session, kind, user)  # untimed: warms template and font caches
        ours, bare = [], []
        for _round in range(harness.REPEAT):
            ours.append(generate(session, kind, user))
            bare.append(bare_document(texts))
        rows.append(
            harness.Row(
                f"3. {label}, {ATTENDEES} attendees and {ITEMS} agenda items (read, render, store)",
                harness.median(ours),
                f"the same {len(texts)} paragraphs in a bare python-docx document",
                harness.median(bare),
                "A4, East Asian fonts, page-number fields, tables; data read from the database",
            )
        )
    return rows


if __name__ == "__main__":
    print(harness.markdown_table(run()))
