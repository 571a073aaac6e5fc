"""Benchmark 7: the static export of a public site with 500 published sessions of 20
materials each (`secretariat.publishing.static_site.export_site`): into an empty folder,
again with no change, and again after one session changed.

Each session is published through `publish()`, as staff do, and its bundle built by
`build_bundle()`, as the worker does, so the site holds every page, every material and
every session's 資料一式 ZIP. The materials are random bytes behind a PDF header, 2–6 KB
each (MB is 10⁶ bytes), written straight to storage: the upload checks are not measured.
The change is a material renamed and its session published again (same stored file).

Each export runs in a fresh process on this database and these files, as
`manage.py export_public_site` would, and times `export_site` alone: by the wall clock,
and by its CPU time, which other processes on a shared machine disturb less. One round
each: an export takes about a minute. The first is read against `shutil.copytree` of the
folder it wrote (the disk's share, median of a few rounds); the re-exports against the
first, since they crawl the whole site again and must write nothing, or only what changed.

Peak memory is the peak resident size (VmHWM) of the exporting process, not getrusage's
ru_maxrss (see memory.py). The process also counts its open files when the crawl ends,
which must stay a handful: downloads are read one at a time.

Run on its own with `.venv/bin/python bench/static_export.py`, or through `bench/run.py`.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from memory import peak_rss_bytes

if TYPE_CHECKING:
    # Imported where used, not here: the exporting child runs this module and sets Django
    # up on the parent's database, where importing harness would give it a new, empty one;
    # models can only be imported once Django is set up.
    import harness
    from django.contrib.auth.models import User

    from secretariat.council.models import Platform
    from secretariat.meetings.models import Session

SESSIONS = 500
MATERIALS = 20
ROUNDS = 3  # of the baseline copy; each export runs once, it takes over a minute
SLUG = "bench-export"
BASE_URL = "https://www.example.go.jp/kaigi"
FIRST_DAY = date(2015, 1, 13)
FIRST_PUBLISHED = datetime(2015, 1, 20, 9, tzinfo=UTC)
MOST_WRITTEN = 10  # a one-session change must rewrite fewer files than this


def make_site() -> tuple[Platform, list[Session], User]:
    """A public platform with SESSIONS held sessions of MATERIALS public materials each,
    every session published and its bundle built."""
    from django.conf import settings
    from django.contrib.auth.models import User

    from documents.models import Material
    from secretariat.council.models import Platform
    from secretariat.meetings.models import Session
    from secretariat.publishing import actions
    from secretariat.publishing.tasks import build_bundle

    platform = Platform.objects.create(
        name="ベンチマーク会議体",
        short_name="ベンチ",
        slug=SLUG,
        purpose="静的書き出しのベンチマークのための会議体です。",
        is_public=True,
    )
    publisher = User.objects.create_user("bench-publisher")
    sessions = Session.objects.bulk_create(
        Session(
            platform=platform,
            number=n + 1,
            topics="公共サービスの改革について\n関係省庁ヒアリング",
            status=Session.Status.HELD,
            date=FIRST_DAY + timedelta(weeks=n),
            start_time=time(10),
            end_time=time(12),
            venue_name="中央合同庁舎第8号館 講堂",
        )
        for n in range(SESSIONS)
    )
    media = Path(settings.MEDIA_ROOT)
    (media / "materials").mkdir(parents=True, exist_ok=True)
    rng = random.Random(SESSIONS)
    materials = []
    for session in sessions:
        for n in range(1, MATERIALS + 1):
            name = f"materials/{rng.randbytes(16).hex()}.pdf"
            body = b"%PDF-1.4\n" + rng.randbytes(rng.randint(2000, 6000)) + b"\n%%EOF\n"
            (media / name).write_bytes(body)
            materials.append(
                Material(
                    session=session,
                    label=f"資料{n}",
                    title=f"関係省庁ヒアリング（その{n}）",
                    order=n,
                    file=name,
                    original_name=f"資料{n}_関係省庁ヒアリング.pdf",
                    extension="pdf",
                    size_bytes=len(body),
                )
            )
    Material.objects.bulk_create(materials, batch_size=1000)
    # The bundles are built here, in order, as the worker would after each commit.
    with patch.object(actions, "async_task", lambda *args: None):
        for n, session in enumerate(sessions):
            now = FIRST_PUBLISHED + timedelta(weeks=n)
            publication = actions.publish(session=session, kind="materials", by=publisher, now=now)
            assert build_bundle(publication.pk) == "built"
    return platform, sessions, publisher


def change_one(session: Session, publisher: User) -> None:
    """Rename a material and publish the session again, bundle included; its files stay."""
    from secretariat.publishing import actions
    from secretariat.publishing.tasks import build_bundle

    material = session.materials.order_by("order").first()
    assert material is not None
    material.title = "関係省庁ヒアリング（修正）"
    material.save(update_fields=["title", "updated_at"])
    now = FIRST_PUBLISHED + timedelta(weeks=SESSIONS)
    with patch.object(actions, "async_task", lambda *args: None):
        publication = actions.publish(session=session, kind="materials", by=publisher, now=now)
    assert build_bundle(publication.pk) == "built"


@contextmanager
def only_this_platform(platform: Platform) -> Iterator[None]:
    """The export reads every public platform: the other benchmarks' (member_feed's 1,000
    announced sessions among them) are hidden while this one runs, then shown again."""
    from secretariat.council.models import Platform

    others = list(Platform.objects.public().exclude(pk=platform.pk).values_list("pk", flat=True))
    Platform.objects.filter(pk__in=others).update(is_public=False)
    try:
        yield
    finally:
        Platform.objects.filter(pk__in=others).update(is_public=True)


def copy(root: Path, to: Path) -> float:
    import harness

    with harness.measure() as measured:
        shutil.copytree(root, to)
    shutil.rmtree(to)
    return measured.seconds


def export(root: Path) -> dict[str, Any]:
    """What a fresh process exporting the site to `root` reports (see `run_child`)."""
    return child(root, export=True)


def child(root: Path, *, export: bool) -> dict[str, Any]:
    script = Path(__file__).resolve()
    output = subprocess.run(
        [sys.executable, str(script), "--child", str(root), "1" if export else "0"],
        check=True,
        capture_output=True,
        text=True,
        cwd=script.parent,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    assert result["dangling"] == [], result["dangling"][:5]
    return result


MOST_OPEN = 100  # a default `ulimit -n` is 1,024


def run_child(root: Path, export: bool) -> None:
    """In the child: Django on the parent's database and files (the environment harness
    set carries VAR_DIR), then the export, or only the imports and the URLconf."""
    from time import perf_counter

    import django

    django.setup()
    from django.urls import resolve

    from secretariat.publishing import static_site

    resolve("/")
    # The crawl's end is where the most files are open; the wrapper only observes.
    opened = []
    crawl = static_site._crawl

    def counting_crawl(base_url: str) -> Any:
        items = crawl(base_url)
        opened.append(len(os.listdir("/proc/self/fd")))
        return items

    report = static_site.ExportReport()
    start, cpu = perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    if export:
        with patch.object(static_site, "_crawl", counting_crawl):
            report = static_site.export_site(root, base_url=BASE_URL)
    seconds, used = perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "seconds": seconds,
        "cpu": used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime,
        "peak": peak_rss_bytes(),
        "open_files": opened[0] if opened else 0,
        "written": report.written,
        "unchanged": report.unchanged,
        "removed": report.removed,
        "dangling": report.dangling,
    }
    print(json.dumps(result, ensure_ascii=False))


def mb(size: float) -> str:
    return f"{size / 1000 / 1000:,.0f} MB"


def run() -> list[harness.Row]:
    platform, sessions, publisher = make_site()
    with only_this_platform(platform):
        return measure(sessions, publisher)


def measure(sessions: list[Session], publisher: User) -> list[harness.Row]:
    import harness

    root = harness.TEMP_DIR / "static-export"
    pages = 5 + SESSIONS * (2 + MATERIALS)  # and the static files: the stylesheet and so on

    first = export(root)
    assert first["open_files"] < MOST_OPEN, first["open_files"]
    written = first["written"]
    static = sum(name.startswith("static/") for name in written)
    assert len(written) - static == pages, (len(written), static, pages)
    total = sum((root / name).stat().st_size for name in written)

    again = export(root)
    assert again["written"] == [] and again["removed"] == [], again
    assert again["unchanged"] == len(written), again["unchanged"]

    session = sessions[SESSIONS // 2]  # an older session: a correction
    change_one(session, publisher)
    changed = export(root)
    assert 0 < len(changed["written"]) < MOST_WRITTEN, changed["written"]
    assert changed["removed"] == [], changed["removed"]
    idle = child(harness.TEMP_DIR / "static-export-idle", export=False)
    # Copied last: deleting the copies leaves the disk busy for a while after.
    copies = [copy(root, harness.TEMP_DIR / "static-export-copy") for _round in range(ROUNDS)]

    base = f"councils/{SLUG}/"
    rewritten = ", ".join(
        f"`{name.removeprefix(base).replace(f'meetings/{session.pk}/', 'meetings/N/')}`"
        for name in changed["written"]
    )
    name = f"7. Static export, {SESSIONS} sessions × {MATERIALS} materials"
    seconds = first["seconds"]

    def process(result: dict[str, Any]) -> str:
        return (
            f"CPU {result['cpu']:.1f} s; peak RSS {mb(result['peak'])} "
            f"(Django set up, no export: {mb(idle['peak'])})"
        )

    return [
        harness.Row(
            f"{name}, into an empty folder",
            seconds,
            f"`shutil.copytree` of the {len(written):,} files it wrote",
            harness.median(copies),
            f"{len(written):,} files, {mb(total)} (bundles included), "
            f"{harness.ms(seconds / len(written))} per file; {process(first)}; "
            f"{first['open_files']:,} files open when the crawl ends; one round",
        ),
        harness.Row(
            f"{name}, again with no change",
            again["seconds"],
            "the first export, into an empty folder",
            seconds,
            f"0 files written (asserted), {again['unchanged']:,} unchanged: the whole site "
            f"is crawled and compared again; {process(again)}; one round",
        ),
        harness.Row(
            f"{name}, again after one session changed",
            changed["seconds"],
            "the first export, into an empty folder",
            seconds,
            f"{len(changed['written'])} files written (asserted < {MOST_WRITTEN}): "
            f"{rewritten}; a material renamed and its session published again, its "
            f"PDFs not copied (same stored files); {process(changed)}; one round",
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        run_child(Path(sys.argv[2]), sys.argv[3] == "1")
    else:
        import harness

        print(harness.markdown_table(run()))
