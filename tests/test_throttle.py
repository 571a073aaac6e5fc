"""secretariat/throttle.py: the client address, the bad-token counter that personal-link
views call, and its separation from failed logins."""

from __future__ import annotations

import logging

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings

from secretariat import throttle

TOKEN = "WzEsImFiYyJd:1vQ2cH:Yx3mB0d1a4yR3w5eQ7e8sP2kVb8LrJm0n6pZc1o9tU4"
OFFICE = "198.51.100.7"
ELSEWHERE = "203.0.113.20"


@pytest.fixture
def rf():
    return RequestFactory()


def _request(rf, address=OFFICE, path=f"/m/{TOKEN}/", **meta):
    return rf.get(path, REMOTE_ADDR=address, **meta)


def _bad_tokens(rf, n, kind="m", address=OFFICE):
    for _ in range(n):
        throttle.record_bad_token(_request(rf, address), kind)


# The client address


def test_the_address_is_remote_addr_and_the_header_is_ignored(rf):
    request = _request(rf, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert throttle.client_ip(request) == OFFICE


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended(rf):
    # The left part was written by the client and is not trusted.
    request = _request(rf, "10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9")
    assert throttle.client_ip(request) == "203.0.113.9"


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_without_a_usable_header_the_proxy_is_the_address(rf):
    assert throttle.client_ip(_request(rf, "10.0.0.2")) == "10.0.0.2"
    bad = _request(rf, "10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, not-an-address")
    assert throttle.client_ip(bad) == "10.0.0.2"


def test_an_unusable_remote_addr_is_none(rf):
    assert throttle.client_ip(_request(rf, "")) is None


# Bad tokens


@pytest.mark.django_db
def test_twenty_bad_tokens_block_the_address(rf):
    _bad_tokens(rf, 19)
    assert not throttle.token_attempts_blocked(_request(rf))
    _bad_tokens(rf, 1)
    assert throttle.token_attempts_blocked(_request(rf))
    assert not throttle.token_attempts_blocked(_request(rf, ELSEWHERE))


@pytest.mark.django_db
def test_every_kind_of_link_counts_for_the_address(rf):
    for kind in ("m", "u", "c", "gallery"):
        _bad_tokens(rf, 5, kind)
    assert throttle.token_attempts_blocked(_request(rf, path="/u/another-token/"))


@pytest.mark.django_db
def test_the_block_ends_after_the_cool_off(rf, time_machine):
    time_machine.move_to("2026-12-04 10:00 +0900", tick=False)
    _bad_tokens(rf, 20)
    time_machine.move_to("2026-12-04 10:29 +0900", tick=False)
    assert throttle.token_attempts_blocked(_request(rf))
    time_machine.move_to("2026-12-04 10:31 +0900", tick=False)
    assert not throttle.token_attempts_blocked(_request(rf))


@pytest.mark.django_db
@override_settings(AXES_ENABLED=False)
def test_nothing_is_blocked_with_axes_off(rf):
    _bad_tokens(rf, 25)
    assert not throttle.token_attempts_blocked(_request(rf))


@pytest.mark.django_db
def test_a_bad_token_is_recorded_without_the_token(rf, caplog):
    with caplog.at_level(logging.INFO, logger="axes"):
        _bad_tokens(rf, 20)
    [attempt] = AccessAttempt.objects.all()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "personal-link:m",
        OFFICE,
        20,
    )
    assert attempt.path_info == "/m/…/"
    assert "AXES: Locking out" in caplog.text
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[0] not in caplog.text


@pytest.mark.parametrize(
    ("path", "redacted"),
    [
        (f"/m/{TOKEN}/materials/12/", "/m/…/materials/12/"),
        (f"/m/calendar/{TOKEN}.ics", "/m/calendar/…"),
        ("/c/abcdefghijklmnopqrstuvwxyz0123/", "/c/…/"),
        ("/u/short/", "/u/short/"),
    ],
)
def test_paths_are_recorded_without_tokens(path, redacted):
    assert throttle._redacted(path) == redacted


def test_the_blocked_page(rf):
    response = throttle.too_many_attempts(_request(rf))
    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    html = response.content.decode()
    assert "<h1>アクセスを一時的に制限しています</h1>" in html
    assert "この接続元からの個人用リンクの利用を30分間停止しています。" in html


# Links and logins are counted apart


@pytest.mark.django_db
def test_bad_tokens_do_not_lock_the_login_page(client, cast, rf):
    _bad_tokens(rf, 25)
    response = client.post(
        "/accounts/login/", {"username": "clerk", "password": "pw"}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_failed_logins_do_not_block_links(client, cast, rf):
    for n in range(12):
        client.post("/accounts/login/", {"username": f"x{n}", "password": "no"}, REMOTE_ADDR=OFFICE)
    assert AccessAttempt.objects.count() == 10  # the address was locked at the tenth
    assert not throttle.token_attempts_blocked(_request(rf))


def test_a_nul_in_what_axes_stores_is_dropped(rf, db):
    """PostgreSQL cannot store a NUL: a path or header carrying one must not make the
    refusal a 500."""
    request = _request(rf, path="/m/ab%00cd/", HTTP_USER_AGENT="bot\x00", HTTP_ACCEPT="*/*\x00")
    throttle.record_bad_token(request, "m")
    attempt = AccessAttempt.objects.get()
    assert "\x00" not in attempt.user_agent + attempt.path_info + attempt.http_accept


def test_an_ipv4_client_on_a_dual_stack_socket_is_its_own_client(rf):
    first = _request(rf, address="::ffff:198.51.100.7")
    second = _request(rf, address="::ffff:203.0.113.20")
    assert throttle._client_network(first) == "198.51.100.7"
    assert throttle._client_network(first) != throttle._client_network(second)
