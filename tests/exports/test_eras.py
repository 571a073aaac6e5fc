from datetime import date, time, timedelta

import pytest

from exports.eras import (
    ERAS,
    WEEKDAYS,
    EraError,
    era_year,
    fiscal_year_label,
    format_date,
    format_dates,
    format_datetime,
    format_time_range,
    format_year,
)

ERA_STARTS = {name: first_day for name, first_day in ERAS}


def test_era_table() -> None:
    assert [name for name, _ in ERAS] == ["明治", "大正", "昭和", "平成", "令和"]
    assert dict(ERAS) == {
        "明治": date(1868, 10, 23),
        "大正": date(1912, 7, 30),
        "昭和": date(1926, 12, 25),
        "平成": date(1989, 1, 8),
        "令和": date(2019, 5, 1),
    }
    assert WEEKDAYS == "月火水木金土日"


def test_era_year() -> None:
    assert era_year(date(2015, 9, 14)) == ("平成", 27)
    assert era_year(date(1873, 1, 1)) == ("明治", 6)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2015, 9, 14), "平成27年"),
        (date(2019, 5, 1), "令和元年"),
        (date(2025, 1, 1), "令和7年"),
        (date(1873, 1, 1), "明治6年"),
    ],
)
def test_format_year(d: date, expected: str) -> None:
    assert format_year(d) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2015, 9, 14), "平成27年9月14日"),
        # Each boundary on both sides.
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        # 元年 runs to the end of the Western year; year 2 starts on 1 January.
        (date(2019, 12, 31), "令和元年12月31日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(1873, 1, 1), "明治6年1月1日"),
    ],
)
def test_format_date(d: date, expected: str) -> None:
    assert format_date(d) == expected


@pytest.mark.parametrize("name", ["大正", "昭和", "平成", "令和"])
def test_gannen_for_each_era(name: str) -> None:
    first_day = ERA_STARTS[name]
    assert format_year(first_day) == f"{name}元年"
    assert format_year(date(first_day.year, 12, 31)) == f"{name}元年"
    assert format_year(date(first_day.year + 1, 1, 1)) == f"{name}2年"


def test_gannen_meiji() -> None:
    # 明治元年 (1868) is before the Gregorian switch, but its year count is the base.
    with pytest.raises(EraError):
        format_year(ERA_STARTS["明治"])
    assert era_year(date(1873, 1, 1)) == ("明治", 1873 - 1868 + 1)


def test_format_date_with_weekday() -> None:
    assert format_date(date(2015, 9, 14), weekday=True) == "平成27年9月14日（月）"
    assert format_date(date(2025, 9, 14), weekday=True) == "令和7年9月14日（日）"
    assert format_date(date(1989, 1, 7), weekday=True) == "昭和64年1月7日（土）"
    assert format_date(date(2019, 5, 1), weekday=True) == "令和元年5月1日（水）"


def test_weekday_is_computed() -> None:
    assert format_date(date(2015, 9, 14), weekday=True)[-2] == "月"
    assert format_date(date(2025, 9, 14), weekday=True)[-2] == "日"
    # Seven consecutive days give each weekday once, in order.
    week = [format_date(date(2015, 9, 14) + timedelta(days=i), weekday=True)[-2] for i in range(7)]
    assert "".join(week) == WEEKDAYS


def test_weekday_parentheses_are_full_width() -> None:
    text = format_date(date(2015, 9, 14), weekday=True)
    assert text.endswith("\uff08月\uff09")
    assert "(" not in text and ")" not in text


@pytest.mark.parametrize("d", [date(1872, 12, 31), date(1868, 10, 23), date(1, 1, 1)])
def test_before_gregorian_calendar_raises(d: date) -> None:
    with pytest.raises(EraError, match="より前の日付は和暦で表せません") as info:
        format_date(d)
    assert "明治6年1月1日（1873年1月1日）" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_no_upper_limit() -> None:
    assert format_date(date(9999, 12, 31)) == "令和7981年12月31日"


def test_every_day_1873_to_2040() -> None:
    boundaries = {first_day for _, first_day in ERAS[1:]}
    day, last = date(1873, 1, 1), date(2040, 12, 31)
    previous_name = "明治"
    count = 0
    while day <= last:
        name, year = era_year(day)
        assert year + ERA_STARTS[name].year - 1 == day.year, day
        assert year >= 1
        # The era changes exactly on the boundary days and nowhere else.
        assert (name != previous_name) == (day in boundaries), day
        previous_name = name
        day += timedelta(days=1)
        count += 1
    assert previous_name == "令和"
    assert count == (last - date(1873, 1, 1)).days + 1


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (time(10, 0), time(11, 30), "10:00～11:30"),
        (time(9, 30), time(11, 0), "09:30～11:00"),
        (time(10, 0), None, "10:00～"),
        (None, time(11, 30), "～11:30"),
        (None, None, ""),
        (time(10, 2, 59), time(10, 26, 1), "10:02～10:26"),
    ],
)
def test_format_time_range(start: time | None, end: time | None, expected: str) -> None:
    assert format_time_range(start, end) == expected


def test_range_sign_is_fullwidth_tilde() -> None:
    assert "\uff5e" in format_time_range(time(10), time(11))
    assert "\u301c" not in format_time_range(time(10), time(11))


def test_format_datetime() -> None:
    d = date(2015, 9, 14)
    assert format_datetime(d, time(10), time(11, 30)) == "平成27年9月14日（月）10:00～11:30"
    assert format_datetime(d, time(10)) == "平成27年9月14日（月）10:00～"
    assert format_datetime(d) == "平成27年9月14日（月）"


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], ""),
        ([date(2015, 10, 8)], "平成27年10月8日"),
        ([date(2015, 10, 8), date(2015, 10, 9), date(2015, 10, 14)], "平成27年10月8日、9日、14日"),
        (
            [date(2015, 10, 14), date(2015, 10, 8), date(2015, 10, 9), date(2015, 10, 8)],
            "平成27年10月8日、9日、14日",
        ),
        ([date(2015, 10, 30), date(2015, 11, 2)], "平成27年10月30日、11月2日"),
        ([date(2019, 4, 30), date(2019, 5, 1)], "平成31年4月30日、令和元年5月1日"),
        ([date(2015, 12, 28), date(2016, 1, 5)], "平成27年12月28日、平成28年1月5日"),
        # The day alone only when the month is the same as the previous entry's.
        (
            [date(2015, 10, 30), date(2015, 11, 2), date(2015, 11, 4)],
            "平成27年10月30日、11月2日、4日",
        ),
    ],
)
def test_format_dates(days: list[date], expected: str) -> None:
    assert format_dates(days) == expected


def test_format_dates_accepts_tuple() -> None:
    assert format_dates((date(2016, 10, 31), date(2016, 11, 1))) == "平成28年10月31日、11月1日"


@pytest.mark.parametrize(
    ("fy", "as_of", "expected"),
    [
        (2016, None, "平成28年度"),
        (2019, None, "令和元年度"),
        (2019, date(2019, 4, 15), "平成31年度"),
        (2019, date(2019, 4, 30), "平成31年度"),
        (2019, date(2019, 5, 1), "令和元年度"),
        (2019, date(2019, 5, 7), "令和元年度"),
        (2018, None, "平成30年度"),
        (2018, date(2025, 1, 1), "平成30年度"),
        (1988, None, "昭和63年度"),
        (1988, date(2025, 1, 1), "昭和63年度"),
        (1989, None, "平成元年度"),
        (2025, None, "令和7年度"),
        # A document written before 改元 that names a later fiscal year stays valid.
        (2020, date(2019, 4, 1), "平成32年度"),
    ],
)
def test_fiscal_year_label(fy: int, as_of: date | None, expected: str) -> None:
    assert fiscal_year_label(fy, as_of=as_of) == expected


def test_fiscal_year_label_before_gregorian_raises() -> None:
    with pytest.raises(EraError):
        fiscal_year_label(1900, as_of=date(1872, 6, 1))
