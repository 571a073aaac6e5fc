"""What every benchmark shares: Django on a throwaway SQLite database, timing, a table row.

Importing this module sets Django up, so a benchmark imports it before any model. The
environment is reset to the embedded defaults (SQLite and emails under VAR_DIR, here a
temporary folder) whatever the shell has set, so a run never touches a real database or
mail server.
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Each measurement is taken this many times and the median reported: machines are shared.
REPEAT = 5

STARTED = perf_counter()
TEMP_DIR = Path(tempfile.mkdtemp(prefix="secretariat-bench-"))
atexit.register(shutil.rmtree, TEMP_DIR, ignore_errors=True)
(TEMP_DIR / "static").mkdir()  # STATIC_ROOT: WhiteNoise warns when it is missing

for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "S3_BUCKET", "DEBUG", "HTTPS"):
    os.environ.pop(name, None)
os.environ.update(
    DJANGO_SETTINGS_MODULE="secretariat.settings",
    VAR_DIR=str(TEMP_DIR),
    SECRET_KEY="bench-only-not-a-secret",
    # The sending task logs every email at INFO: keep the table readable.
    LOG_LEVEL="WARNING",
)
django.setup()
settings.ALLOWED_HOSTS = ["testserver"]
settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = TEMP_DIR / "mail"
call_command("migrate", verbosity=0)


@dataclass
class Measured:
    seconds: float = 0.0
    queries: int = 0  # counted only when asked


@contextmanager
def measure(*, count_queries: bool = False) -> Iterator[Measured]:
    """Time the block and, when asked, count its database queries. Counting slows every
    query down (Django logs each one), so timed rounds do not count."""
    measured = Measured()
    capture = CaptureQueriesContext(connection) if count_queries else nullcontext()
    with capture:
        start = perf_counter()
        yield measured
        measured.seconds = perf_counter() - start
    if isinstance(capture, CaptureQueriesContext):
        measured.queries = len(capture)


@dataclass(frozen=True)
class Row:
    """One line of the results table: a median and the same run's baseline median."""

    name: str
    seconds: float
    baseline_name: str
    baseline_seconds: float
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def markdown_table(rows: list[Row]) -> str:
    lines = [
        "| Benchmark | Median | Baseline (same run, median) | Ratio | Notes |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for row in rows:
        baseline = f"{row.baseline_name}: {ms(row.baseline_seconds)}"
        lines.append(
            f"| {row.name} | {ms(row.seconds)} | {baseline} | {row.ratio:.2f}× | {row.note} |"
        )
    return "\n".join(lines)
