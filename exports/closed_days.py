"""Days government offices are closed (行政機関の休日に関する法律 第1条).

Saturdays and Sundays, national holidays (jpholiday), and 12月29日 to 1月3日, which
holiday libraries do not cover.
"""

from __future__ import annotations

from datetime import date, timedelta

import jpholiday


def closed_reason(day: date) -> str:
    """Why offices are closed on `day` (土曜日, 元日, 年末年始 …), or "" on an open day."""
    try:
        holiday = jpholiday.is_holiday_name(day)
    except OverflowError:
        # jpholiday looks at the next day (振替休日), which 9999-12-31 has not. The forms
        # refuse such a date; a stored one must still not take a page down.
        holiday = None
    if holiday:
        return str(holiday)
    if (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3):
        return "年末年始"
    if day.weekday() == 5:
        return "土曜日"
    if day.weekday() == 6:
        return "日曜日"
    return ""


def is_open_day(day: date) -> bool:
    return not closed_reason(day)


def previous_open_day(day: date) -> date:
    """The open day on or before `day` (「閉庁日の場合はその直前の開庁日」); date.min if
    the calendar starts first."""
    while not is_open_day(day) and day > date.min:
        day -= timedelta(days=1)
    return day


def add_open_days(start: date, days: int) -> date:
    """The day `days` open days after `start` (for deadlines counted in 開庁日); date.max
    if the calendar ends first."""
    day = start
    while days > 0 and day < date.max:
        day += timedelta(days=1)
        if is_open_day(day):
            days -= 1
    return day
