"""Staff login (/accounts/login/) and the admin's (/admin/login/): brute force is locked
out per account and per client address, with a Japanese page, and logged."""

from __future__ import annotations

import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

LOCKED = "このアカウントまたはこの接続元からのログインを30分間停止しています。"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def _fail(client, n, *, username="clerk", url=LOGIN, address="198.51.100.7", **extra):
    for _ in range(n):
        response = client.post(
            url, {"username": username, "password": "wrong"}, REMOTE_ADDR=address, **extra
        )
        assert response.status_code in (200, 429)
    return response


def _login(client, *, username="clerk", url=LOGIN, address="198.51.100.7", **extra):
    return client.post(url, {"username": username, "password": "pw"}, REMOTE_ADDR=address, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_few_wrong_passwords_still_let_the_right_one_in(client, cast):
    _fail(client, 9)
    response = _login(client)
    assert response.status_code == 302
    assert response.url == reverse("meetings:dashboard")
    assert _logged_in(client)


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, cast):
    # The review's reproduction: before, the 31st request logged in.
    _fail(client, 30)
    response = _login(client)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html
    assert "<h1>ログインを一時的に停止しています</h1>" in html
    assert 'class="site-header"' in html  # the site's own layout
    assert response["Retry-After"] == "1800"
    assert not _logged_in(client)


def test_the_tenth_failure_locks_the_account(client, cast):
    assert _fail(client, 9).status_code == 200
    assert _fail(client, 1).status_code == 429
    assert _login(client).status_code == 429


def test_the_account_is_locked_from_every_address(client, cast):
    _fail(client, 10, address="198.51.100.7")
    assert _login(client, address="203.0.113.20").status_code == 429
    # Other accounts are not affected from another address.
    assert _login(client, username="viewer", address="203.0.113.20").status_code == 302


def test_the_address_is_locked_for_every_account(client, cast):
    for n in range(10):
        _fail(client, 1, username=f"guess{n}", address="198.51.100.7")
    assert _login(client, address="198.51.100.7").status_code == 429
    assert _login(client, address="203.0.113.20").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, cast, time_machine):
    time_machine.move_to("2026-12-04 10:00 +0900", tick=False)
    _fail(client, 10)
    time_machine.move_to("2026-12-04 10:29 +0900", tick=False)
    assert _login(client).status_code == 429
    # Failing during the lockout does not extend it.
    _fail(client, 3)
    time_machine.move_to("2026-12-04 10:31 +0900", tick=False)
    assert _login(client).status_code == 302


def test_x_forwarded_for_is_ignored_unless_behind_a_proxy(client, cast):
    # A client cannot pick a fresh address per request with the header.
    for n in range(10):
        _fail(client, 1, username=f"guess{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert _login(client, username="viewer").status_code == 429


def test_the_admin_login_is_locked_too(client, cast):
    _fail(client, 10, username="admin", url=ADMIN_LOGIN)
    response = _login(client, username="admin", url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not _logged_in(client)


def test_failures_on_either_login_page_count_together(client, cast):
    _fail(client, 5, username="admin", url=ADMIN_LOGIN)
    _fail(client, 5, username="admin", url=LOGIN)
    assert _login(client, username="admin", url=ADMIN_LOGIN).status_code == 429


def test_the_lockout_is_recorded_and_logged(client, cast, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        _fail(client, 10)
    assert "AXES: Locking out" in caplog.text
    assert "198.51.100.7" in caplog.text
    assert "wrong" not in caplog.text  # never the password
    [attempt] = AccessAttempt.objects.all()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "clerk",
        "198.51.100.7",
        10,
    )
    assert "wrong" not in attempt.post_data


def test_the_lockout_page_in_english(client, cast):
    client.cookies["django_language"] = "en"
    _fail(client, 10)
    response = _login(client)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Login temporarily suspended" in html
    assert "for 30 minutes" in html


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_the_login_pages_still_open(client, cast, url):
    assert client.get(url).status_code == 200
