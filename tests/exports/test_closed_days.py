from datetime import date

import pytest

from exports.closed_days import add_open_days, closed_reason, is_open_day, previous_open_day


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2015, 9, 14), ""),  # the PF's first meeting, a Monday
        (date(2015, 9, 21), "敬老の日"),
        (date(2015, 9, 22), "国民の休日"),
        (date(2026, 9, 22), "国民の休日"),
        (date(2019, 5, 1), "天皇の即位の日"),
        (date(2025, 12, 27), "土曜日"),
        (date(2025, 12, 28), "日曜日"),
        (date(2025, 12, 29), "年末年始"),
        (date(2025, 12, 31), "年末年始"),
        (date(2026, 1, 1), "元日"),
        (date(2026, 1, 2), "年末年始"),
        (date(2026, 1, 3), "年末年始"),
        (date(2026, 1, 5), ""),
        (date(2025, 12, 26), ""),
    ],
)
def test_closed_reason(day, reason):
    assert closed_reason(day) == reason
    assert is_open_day(day) is (reason == "")


def test_previous_open_day_skips_the_year_end():
    assert previous_open_day(date(2026, 1, 4)) == date(2025, 12, 26)
    assert previous_open_day(date(2025, 12, 26)) == date(2025, 12, 26)


def test_add_open_days_counts_only_open_days():
    # Friday 2025-12-26 + 1 open day jumps the year-end closure to Monday 2026-01-05.
    assert add_open_days(date(2025, 12, 26), 1) == date(2026, 1, 5)
    assert add_open_days(date(2015, 9, 14), 7) == date(2015, 9, 28)  # 9/19-23 closed


def test_the_last_day_of_the_calendar_does_not_overflow():
    # jpholiday looks at the next day; 9999-12-31 has none. A stored date the forms refuse
    # must not take the poll and invitation pages down.
    assert closed_reason(date.max) == "年末年始"
    assert add_open_days(date(9999, 12, 30), 5) == date.max
    assert previous_open_day(date(1, 1, 1)) == date.min
