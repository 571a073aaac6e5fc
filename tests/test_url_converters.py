"""The `id` and `flag` path converters (secretariat/converters.py): every number in a URL
is one a database can hold, so a number past SQLite's range is a 404, not a 500."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter
from hypothesis import given
from hypothesis import strategies as st

from secretariat.converters import FlagConverter, IdConverter
from tests.properties import PROPERTIES

DB_INT_MAX = 2**63 - 1


def _patterns(resolver: URLResolver | None = None, namespace: str = "") -> list[tuple]:
    """(URL name with namespace, converters) for every named project URL."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django's own, with its own converters
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", entry.pattern.converters))
    return found


NUMBERED = [(name, converters) for name, converters in _patterns() if converters]
WITH_ID = [
    (name, converters)
    for name, converters in NUMBERED
    if any(isinstance(c, IdConverter) for c in converters.values())
]


@pytest.mark.parametrize(
    ("text", "value"), [("1", 1), ("42", 42), ("007", 7), (str(DB_INT_MAX), DB_INT_MAX)]
)
def test_an_id_within_the_database_range_matches(text, value):
    assert IdConverter().to_python(text) == value


@pytest.mark.parametrize("text", ["0", "00", str(DB_INT_MAX + 1), "9" * 30, "9" * 5000])
def test_an_id_outside_the_database_range_is_no_match(text):
    with pytest.raises(ValueError):
        IdConverter().to_python(text)


def test_a_flag_is_0_or_1():
    assert [FlagConverter().to_python(v) for v in ("0", "1")] == [0, 1]
    assert [FlagConverter().to_url(v) for v in (False, True, 0, 1)] == ["0", "1", "0", "1"]


def test_no_project_url_uses_the_unbounded_int_converter():
    assert WITH_ID, "the walk found no URL with an id: the test is broken"
    unbounded = [
        name
        for name, converters in NUMBERED
        if any(isinstance(c, IntConverter) for c in converters.values())
    ]
    assert unbounded == []


def test_reverse_is_unchanged():
    assert reverse("meetings:session", args=[5]) == "/staff/sessions/5/"
    assert reverse("public:material", args=["pf", 1, 2]) == "/councils/pf/meetings/1/materials/2/"
    assert reverse("minutes:decide", args=[3, 1]) == "/staff/proposals/3/decide/1/"
    assert reverse("minutes:decide", args=[3, False]) == "/staff/proposals/3/decide/0/"


# What the other parts of a URL hold: the cast's platform, any token or kind, yes.
_OTHER_PARTS = {SlugConverter: "pf", StringConverter: "x", FlagConverter: 1}


def _url(name: str, converters: dict, number: int) -> str:
    kwargs = {
        key: number if isinstance(c, IdConverter) else _OTHER_PARTS[type(c)]
        for key, c in converters.items()
    }
    return reverse(name, kwargs=kwargs)


def test_one_past_the_database_range_is_a_404_for_everyone(client, cast):
    # Anonymous too: no match means no login redirect, and nothing to tell apart.
    urls = [_url(name, converters, DB_INT_MAX + 1) for name, converters in WITH_ID]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
    client.force_login(cast.clerk)
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
    assert {url: client.post(url).status_code for url in urls} == dict.fromkeys(urls, 404)


@PROPERTIES
@given(
    pattern=st.sampled_from(WITH_ID),
    number=st.one_of(
        st.integers(min_value=0, max_value=10**40),
        st.sampled_from([0, 1, DB_INT_MAX, DB_INT_MAX + 1, 2**64, 10**19]),
    ),
    who=st.sampled_from(["anonymous", "clerk", "viewer", "other_clerk", "admin"]),
    method=st.sampled_from(["get", "post"]),
)
def test_no_number_in_any_url_gives_a_500(client, cast, pattern, number, who, method):
    name, converters = pattern
    client.logout()
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    status = getattr(client, method)(_url(name, converters, number)).status_code
    if 1 <= number <= DB_INT_MAX:
        assert status < 500
    else:
        assert status == 404
