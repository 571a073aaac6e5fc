"""Japanese era (和暦) formatting for dates, time ranges and fiscal years.

Spec: shared/notes/japanese-conventions.md §0.4 and §3. Pure standard library, no locale:
glibc's era table zero-pads and is process-global, so the table is kept here.
"""

from collections.abc import Sequence
from datetime import date, time

__all__ = [
    "ERAS",
    "WEEKDAYS",
    "EraError",
    "era_year",
    "fiscal_year_label",
    "format_date",
    "format_dates",
    "format_datetime",
    "format_time_range",
    "format_year",
]

# (name, first day), oldest first. 明治 counts its years from 1868 even though
# only its Gregorian dates (from 1873) can be represented, so years are always
# counted from the first day's Western year.
ERAS: tuple[tuple[str, date], ...] = (
    ("明治", date(1868, 10, 23)),
    ("大正", date(1912, 7, 30)),
    ("昭和", date(1926, 12, 25)),
    ("平成", date(1989, 1, 8)),
    ("令和", date(2019, 5, 1)),
)

# Japan switched to the Gregorian calendar on 明治6年1月1日; earlier dates were lunisolar.
GREGORIAN_START = date(1873, 1, 1)

# Indexed by date.weekday() (Monday == 0).
WEEKDAYS = "月火水木金土日"

_RANGE_SIGN = "～"  # U+FF5E FULLWIDTH TILDE, the one sign used everywhere (§3.3)


class EraError(ValueError):
    """Raised for dates that cannot be written in 和暦."""


def _era(d: date) -> tuple[str, date]:
    if d < GREGORIAN_START:
        raise EraError(
            f"明治6年1月1日（1873年1月1日）より前の日付は和暦で表せません"
            f"（{d.year}年{d.month}月{d.day}日）。"
        )
    # Newest first: the first era that has started is the one in force.
    for name, first_day in reversed(ERAS):
        if d >= first_day:
            return name, first_day
    raise AssertionError("unreachable: GREGORIAN_START is after the first era")


def era_year(d: date) -> tuple[str, int]:
    """Return the era name and era year of ``d``, e.g. ("平成", 27)."""
    name, first_day = _era(d)
    return name, d.year - first_day.year + 1


def _nen(name: str, year: int) -> str:
    # Official documents write year 1 as 元年, never 1年.
    return f"{name}{'元' if year == 1 else year}年"


def format_year(d: date) -> str:
    """Return e.g. "平成27年" or "令和元年"."""
    return _nen(*era_year(d))


def _weekday(d: date) -> str:
    return f"（{WEEKDAYS[d.weekday()]}）"


def format_date(d: date, *, weekday: bool = False) -> str:
    """Return e.g. "平成27年9月14日", or "平成27年9月14日（月）" with ``weekday``."""
    text = f"{format_year(d)}{d.month}月{d.day}日"
    return text + _weekday(d) if weekday else text


def format_time_range(start: time | None, end: time | None) -> str:
    """Return e.g. "10:00～11:30", "10:00～", "～11:30" or "" (seconds are dropped)."""
    if start is None and end is None:
        return ""
    left = "" if start is None else f"{start:%H:%M}"
    right = "" if end is None else f"{end:%H:%M}"
    return f"{left}{_RANGE_SIGN}{right}"


def format_datetime(d: date, start: time | None = None, end: time | None = None) -> str:
    """Return e.g. "平成27年9月14日（月）10:00～11:30"; the weekday is always shown."""
    return format_date(d, weekday=True) + format_time_range(start, end)


def format_dates(days: Sequence[date]) -> str:
    """Return the days of a multi-day event, e.g. "平成27年10月8日、9日、14日".

    Sorted and de-duplicated. Each day repeats only what changed since the previous one:
    the day alone in the same era year and month, month and day in the same era year,
    and the full date when the era or era year changes.
    """
    parts: list[str] = []
    previous: tuple[str, int, int] | None = None
    for d in sorted(set(days)):
        name, year = era_year(d)
        if previous is None or previous[:2] != (name, year):
            parts.append(format_date(d))
        elif previous[2] != d.month:
            parts.append(f"{d.month}月{d.day}日")
        else:
            parts.append(f"{d.day}日")
        previous = (name, year, d.month)
    return "、".join(parts)


def fiscal_year_label(fy: int, *, as_of: date | None = None) -> str:
    """Return the 年度 label of the fiscal year starting on 1 April of Western year ``fy``.

    The era is the one in force on ``as_of`` (the document date; default: the fiscal
    year's last day), so FY2019 is 平成31年度 in a document dated 2019-04-15 and 令和元年度
    from 2019-05-01 on (関係省庁連絡会議申合せ, 平成31年4月1日). A fiscal year that ended
    before that era began keeps the era in force when it started (FY1988 → 昭和63年度).
    """
    name, first_day = _era(date(fy + 1, 3, 31) if as_of is None else as_of)
    if fy < first_day.year:
        name, first_day = _era(date(fy, 4, 1))
    return _nen(name, fy - first_day.year + 1) + "度"
