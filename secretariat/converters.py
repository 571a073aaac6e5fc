"""URL path converters, registered once (SecretariatConfig.ready) for every urls.py.

Django's `int` converter matches any run of digits, and a number past the database's
integer range reaches the query and fails there (SQLite: OverflowError, a 500). `id` only
matches 1..2**63-1, the ids, version and part numbers a database can hold: anything else
is simply no match, a 404. Reversing is unchanged: `to_url` writes the number as `int`
does. tests/test_url_converters.py fails on an `<int:...>` in any urls.py.
"""

from __future__ import annotations

from django.urls import register_converter

from secretariat.validators import DB_INT_MAX


class IdConverter:
    # As `int`, so reverse() accepts what it accepted; the range is checked in to_python.
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)  # past 4300 digits int() itself raises ValueError
        if not 1 <= number <= DB_INT_MAX:
            raise ValueError(f"{value} is not an id")  # Django: no match
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class FlagConverter:
    """0 or 1, for a yes/no in a URL (反映する / 反映しない)."""

    regex = "[01]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | bool) -> str:
        return str(int(value))


def register() -> None:
    register_converter(IdConverter, "id")
    register_converter(FlagConverter, "flag")
