"""Benchmark 6: the materials bundle (「資料一式」) of 200 files, 1 GiB in all and 100 MiB in
all, written by `exports.bundle.write_bundle` to a file, against Info-ZIP's `zip` on the
same files in the same run: `zip -0` (stored, as we store) and the default level (which
tries to deflate every file, as a bundle of PDFs would tempt one to). The default level
runs once per size, not every round: it is over ten times slower (half a minute at 1 GiB),
so its noise cannot change the reading, and every round of it would double the run.

The files are random bytes behind a PDF header, as incompressible as real PDFs. Each
writer runs as its own process, timed from here by wall clock, so the three are measured
the same way (process start included). The files sit in the page cache and no output is
synced: the figures are the writers' costs, not the disk's. MB is 10⁶ bytes.

Peak memory is the peak resident size (VmHWM) of the child that runs `write_bundle`: it
imports `exports.bundle` and nothing else, no Django, so the figure is the writer's own.
It must stay under 100 MB at both sizes, or the row says FAIL and the run exits non-zero.
Not getrusage's ru_maxrss: Linux carries it over through exec from the forking parent,
here a process with Django set up, so every child would report at least the parent's peak.

Needs `zip` (Debian's zip package) and 4 GB free under the temporary folder. Run on its
own with `.venv/bin/python bench/bundle.py`, or through `bench/run.py`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from memory import peak_rss_bytes

from exports.bundle import INDEX_NAME, BundleMember, write_bundle

if TYPE_CHECKING:
    # Imported where used, not here: the child that writes the bundle imports this module,
    # and Django (which importing harness sets up) would hide the writer's own peak memory.
    import harness

FILES = 200
SIZES = (1024 * 1024 * 1024, 100 * 1024 * 1024)  # 1 GiB, 100 MiB in all
ROUNDS = {SIZES[0]: 3, SIZES[1]: 5}
PEAK_LIMIT = 100 * 1000 * 1000
FREE_NEEDED = 4 * 1000 * 1000 * 1000  # the files, our bundle and zip's, with room to spare
CHUNK = 1024 * 1024
FOLDER = "第3回ベンチマーク会議体_資料一式"
STAMP = datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Asia/Tokyo"))
SOURCE = "materials"  # the folder the files are in, as zip sees it


def sizes(total: int) -> list[int]:
    """FILES sizes adding up to `total`: a few large files and many small ones, as in a
    session's materials, and the same every run."""
    rng = random.Random(FILES)
    weights = [rng.lognormvariate(0, 1) for _file in range(FILES)]
    scale = total / sum(weights)
    result = [int(weight * scale) for weight in weights]
    result[-1] += total - sum(result)
    return result


def make_files(folder: Path, total: int) -> None:
    header, trailer = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"\n%%EOF\n"
    folder.mkdir()
    for n, size in enumerate(sizes(total), start=1):
        with (folder / f"{n:04d}.pdf").open("wb") as out:
            out.write(header)
            left = size - len(header) - len(trailer)
            while left > 0:
                left -= out.write(os.urandom(min(CHUNK, left)))
            out.write(trailer)


def members(folder: Path) -> list[BundleMember]:
    """資料1…資料180 and 参考資料1…参考資料20, read from the files in `folder`."""
    result = []
    for n, path in enumerate(sorted(folder.iterdir()), start=1):
        if n > FILES - 20:
            label, title = f"参考資料{n - FILES + 20}", "先進事例の全国展開について"
        else:
            label, title = f"資料{n}", f"関係省庁ヒアリング（その{n}）"
        result.append(
            BundleMember(
                label=label,
                title=title,
                extension="pdf",
                size=path.stat().st_size,
                open=partial(path.open, "rb"),
            )
        )
    return result


def run_child(folder: Path, out: Path) -> None:
    """In the child: write the bundle of `folder` to `out`; print the peak resident size."""
    with out.open("wb") as stream:
        write_bundle(
            members(folder), stream, folder=FOLDER, index_title=f"{FOLDER}　一覧", stamp=STAMP
        )
    print(json.dumps({"peak": peak_rss_bytes()}))


def write(folder: Path, out: Path) -> tuple[float, int]:
    """Seconds (process start included) and peak resident bytes of a child writing a bundle."""
    import harness

    script = Path(__file__).resolve()
    with harness.measure() as measured:
        output = subprocess.run(
            [sys.executable, str(script), "--child", str(folder), str(out)],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    return measured.seconds, json.loads(output.strip().splitlines()[-1])["peak"]


def info_zip(work: Path, *options: str) -> float:
    import harness

    out = work / "info-zip.zip"
    with harness.measure() as measured:
        subprocess.run(["zip", *options, "-q", "-r", out.name, SOURCE], check=True, cwd=work)
    out.unlink()
    return measured.seconds


def check_archive(path: Path, folder: Path) -> None:
    """The bundle is a real ZIP: every entry's CRC checks, and it holds the index and every
    file, stored, at its size."""
    expected = [path.stat().st_size for path in sorted(folder.iterdir())]
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        entries = archive.infolist()
    assert len(entries) == FILES + 1, len(entries)
    assert entries[0].filename == f"{FOLDER}/{INDEX_NAME}", entries[0].filename
    assert all(entry.compress_type == zipfile.ZIP_STORED for entry in entries)
    assert [entry.file_size for entry in entries[1:]] == expected


def mb(size: float) -> str:
    return f"{size / 1000 / 1000:,.0f} MB"


def run() -> list[harness.Row]:
    import harness

    if shutil.which("zip") is None:
        raise SystemExit("bench/bundle.py needs Info-ZIP's zip: apt-get install zip")
    free = shutil.disk_usage(harness.TEMP_DIR).free
    if free < FREE_NEEDED:
        raise SystemExit(
            f"bench/bundle.py needs {mb(FREE_NEEDED)} free under {harness.TEMP_DIR}, "
            f"there are {mb(free)}"
        )
    rows = []
    for total in SIZES:
        work = Path(tempfile.mkdtemp(prefix="bundle-", dir=harness.TEMP_DIR))
        try:
            rows += measure_size(work, total)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return rows


def measure_size(work: Path, total: int) -> list[harness.Row]:
    import harness

    folder, out = work / SOURCE, work / "bundle.zip"
    make_files(folder, total)
    write(folder, out)  # untimed: warms the imports, and its bundle is checked
    check_archive(out, folder)
    out.unlink()
    ours, stored, deflated, peaks = [], [], [], []
    for round_ in range(ROUNDS[total]):
        seconds, peak = write(folder, out)
        out.unlink()
        ours.append(seconds)
        peaks.append(peak)
        stored.append(info_zip(work, "-0"))
        if round_ == 0:
            deflated.append(info_zip(work))
    empty = work / "empty"
    empty.mkdir()
    _seconds, idle = write(empty, out)  # the interpreter and imports alone: no member
    peak = max(peaks)
    verdict = "PASS" if peak < PEAK_LIMIT else "FAIL"
    name = f"6. Materials bundle, {FILES} files, {total // 1024 // 1024:,} MiB in all (to a file)"
    rows = []
    seconds = harness.median(ours)
    for baseline, samples in (
        ("`zip -0 -q -r` (Info-ZIP 3.0, stored)", stored),
        ("`zip -q -r` (Info-ZIP 3.0, default level)", deflated),
    ):
        baseline_seconds = harness.median(samples)
        rows.append(
            harness.Row(
                name,
                seconds,
                f"{baseline} on the same files",
                baseline_seconds,
                f"{mb(total / seconds)}/s against {mb(total / baseline_seconds)}/s: "
                f"{baseline_seconds / seconds:.2f}× its throughput; peak RSS of the writing "
                f"process {mb(peak)} (no member: {mb(idle)}), {verdict} (limit "
                f"{mb(PEAK_LIMIT)}); {FILES + 1} entries, testzip clean; {len(samples)} "
                f"round{'s' if len(samples) > 1 else ''} of the baseline",
            )
        )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        run_child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        import harness

        results = run()
        print(harness.markdown_table(results))
        if any("FAIL" in row.note for row in results):
            sys.exit("FAIL: the bundle writer's peak memory is over the limit")
