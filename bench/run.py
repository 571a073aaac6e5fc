"""`make bench`: run every benchmark and print one Markdown table, for bench/RESULTS.md.

Each figure is the median of a few rounds and is read as a ratio to a baseline measured
in the same run, round by round, because the machines are shared and noisy.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from pathlib import Path
from time import perf_counter

import bundle
import django
import harness  # sets Django up on a throwaway database: before any model import
import invite_members
import member_feed
import minutes_documents
import static_export
import word_documents


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version} (file in a temp dir)"
    )


def main() -> None:
    rows = (
        invite_members.run()
        + member_feed.run()
        + word_documents.run()
        + minutes_documents.run()
        + bundle.run()
        + static_export.run()
    )
    print(f"Medians of {harness.REPEAT} rounds; ratio = median / baseline median.\n")
    print(harness.markdown_table(rows))
    print(f"\nMachine: {machine()}. Whole run: {perf_counter() - harness.STARTED:.0f} s.")
    # A row over a hard limit (the bundle writer's peak memory) fails `make bench`.
    if failed := [row.name for row in rows if "FAIL" in row.note]:
        sys.exit(f"FAIL: over a limit: {'; '.join(failed)}")


if __name__ == "__main__":
    main()
