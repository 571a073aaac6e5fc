"""Benchmark 4: the 議事録 of a three-hour session (40 attendees, 400 statements) against the
same paragraphs in a bare python-docx document; and the platform workbook for 100 members
× 100 and × 500 sessions, its time and the peak memory of the process that writes it.

Memory is read as the peak resident size of a fresh child process (lxml and openpyxl
allocate outside Python's allocator, so tracemalloc would not see them); the baseline is
the same child writing the bare matrix with a plain write-only openpyxl workbook.

Run on its own with `python bench/minutes_documents.py`, or through `bench/run.py`.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import harness  # sets Django up on a throwaway database: before any model import
from docx import Document
from memory import peak_rss_bytes

from exports.data import (
    AttendeeGroup,
    FollowUpRow,
    MinutesDoc,
    MinutesSection,
    PlatformWorkbook,
    SessionRow,
    StatementLine,
)
from exports.docx import render_minutes
from exports.xlsx import render_platform_workbook

ATTENDEES = 40
STATEMENTS = 400
MEMBERS = 100
TEXT = "公共サービスの改革に向けて、窓口業務の民間委託と自治体クラウドの導入を進めます。" * 3


def minutes() -> MinutesDoc:
    names = tuple(f"委員{n:02d}　太郎 大学教授" for n in range(ATTENDEES))
    sections = tuple(
        MinutesSection(
            f"（{item + 1}）関係省庁ヒアリング（その{item + 1}）",
            tuple(StatementLine(f"委員{n % ATTENDEES:02d}委員", TEXT) for n in range(40)),
        )
        for item in range(STATEMENTS // 40)
    )
    return MinutesDoc(
        kind="議事録",
        platform_name="ベンチマーク会議体",
        session_title="第3回",
        when="令和8年12月2日（水）14:00～17:00",
        venue="中央合同庁舎第8号館 講堂",
        attendees=(AttendeeGroup("構成員", names),),
        agenda=tuple(s.title for s in sections),
        summary=(),
        sections=sections,
        materials=(),
        draft=False,
    )


def bare(doc: MinutesDoc) -> float:
    with harness.measure() as measured:
        document = Document()
        for section in doc.sections:
            document.add_paragraph(section.title)
            for statement in section.statements:
                document.add_paragraph(f"○{statement.speaker}　{statement.text}")
        document.save(io.BytesIO())
    return measured.seconds


def ours(doc: MinutesDoc) -> float:
    with harness.measure() as measured:
        render_minutes(doc)
    return measured.seconds


def workbook(sessions: int) -> PlatformWorkbook:
    def rows() -> Iterator[tuple[str, ...]]:
        marks = ("出席", "代理", "欠席", "オンライン", "")
        for member in range(MEMBERS):
            yield tuple(marks[(member + s) % 5] for s in range(sessions))

    class Matrix:
        def __iter__(self) -> Iterator[tuple[str, ...]]:
            return rows()

    return PlatformWorkbook(
        platform_name="ベンチマーク会議体",
        sessions=tuple(
            SessionRow(f"第{s + 1}回", date(2015, 9, 14), "議題について", "公開済み")
            for s in range(sessions)
        ),
        members=tuple(f"委員{n:03d}　太郎" for n in range(MEMBERS)),
        attendance=Matrix(),
        follow_ups=tuple(
            FollowUpRow("第1回", f"課題{n}", "総務省", "対応中", date(2026, 3, 31), "")
            for n in range(50)
        ),
        generated_at=datetime(2026, 11, 27, 12, tzinfo=UTC),
    )


def bare_workbook(book: PlatformWorkbook) -> int:
    """The baseline: the same matrix written by a bare write-only openpyxl workbook."""
    from openpyxl import Workbook

    out = io.BytesIO()
    bare = Workbook(write_only=True)
    sheet = bare.create_sheet("出欠一覧")
    sheet.append(["構成員", *(s.number for s in book.sessions)])
    for name, marks in zip(book.members, book.attendance, strict=True):
        sheet.append([name, *marks])
    bare.save(out)
    return len(out.getvalue())


def child(sessions: int, render: bool) -> dict[str, float]:
    """Time and peak RSS of a fresh process that builds (and maybe writes) the workbook."""
    script = Path(__file__).resolve()
    output = subprocess.run(
        [sys.executable, str(script), "--child", str(sessions), "1" if render else "0"],
        check=True,
        capture_output=True,
        text=True,
        cwd=script.parent,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def run_child(sessions: int, render: bool) -> None:
    from time import perf_counter

    start = perf_counter()
    book = workbook(sessions)
    size = len(render_platform_workbook(book)) if render else bare_workbook(book)
    seconds = perf_counter() - start
    peak_mb = peak_rss_bytes() / 1024 / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "size": size}))


def run() -> list[harness.Row]:
    doc = minutes()
    ours(doc)  # untimed: warms the caches
    rendered, baseline = [], []
    for _round in range(harness.REPEAT):
        rendered.append(ours(doc))
        baseline.append(bare(doc))
    rows = [
        harness.Row(
            f"4. 議事録, {ATTENDEES} attendees, {STATEMENTS} statements (render)",
            harness.median(rendered),
            f"the same {STATEMENTS + len(doc.sections)} paragraphs in a bare python-docx document",
            harness.median(baseline),
            "speakers in bold, section headings, page-number fields, East Asian fonts",
        )
    ]
    for sessions in (100, 500):
        written = [child(sessions, render=True) for _round in range(3)]
        built = [child(sessions, render=False) for _round in range(3)]
        peak = harness.median([w["peak_mb"] for w in written])
        base_peak = harness.median([b["peak_mb"] for b in built])
        rows.append(
            harness.Row(
                f"5. Platform workbook, {MEMBERS} members × {sessions} sessions",
                harness.median([w["seconds"] for w in written]),
                "the bare matrix in a write-only openpyxl workbook",
                harness.median([b["seconds"] for b in built]),
                f"peak RSS of the writing process {peak:.0f} MB (bare: {base_peak:.0f} MB); "
                f"{written[0]['size'] / 1024:.0f} KB file",
            )
        )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        run_child(int(sys.argv[2]), sys.argv[3] == "1")
    else:
        print(harness.markdown_table(run()))
