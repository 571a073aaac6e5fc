"""Staff sessions end after two idle hours and twelve hours after login; passwords are at
least twelve characters long."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

LOGIN = "2026-12-04 09:00 +0900"


def _dashboard(client):
    return client.get(reverse("meetings:dashboard"))


def _logged_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _login(client, cast) -> None:
    cast.clerk.set_password("a-long-enough-passphrase")
    cast.clerk.save()
    response = client.post(
        reverse("login"), {"username": "clerk", "password": "a-long-enough-passphrase"}
    )
    assert response.status_code == 302


def test_the_defaults():
    assert settings.STAFF_SESSION_IDLE_MINUTES == 120
    assert settings.STAFF_SESSION_MAX_HOURS == 12
    # The cookie does not outlive the absolute limit (Django's default is two weeks).
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_two_idle_hours_log_staff_out(client, cast):
    with time_machine.travel(LOGIN, tick=False) as traveller:
        _login(client, cast)
        traveller.shift(timedelta(minutes=119))
        assert _dashboard(client).status_code == 200  # and the idle clock starts again
        traveller.shift(timedelta(minutes=119))
        assert _dashboard(client).status_code == 200
        traveller.shift(timedelta(minutes=121))
        response = _dashboard(client)
        assert _logged_out(response)
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "一定時間が過ぎたため、ログアウトしました" in page
        # Logged out for good: the next request does not bring the session back.
        assert _logged_out(_dashboard(client))


def test_twelve_hours_after_login_staff_are_logged_out_however_active(client, cast):
    with time_machine.travel(LOGIN, tick=False) as traveller:
        _login(client, cast)
        for _ in range(11):
            traveller.shift(timedelta(hours=1))
            assert _dashboard(client).status_code == 200
        traveller.shift(timedelta(minutes=59))
        assert _dashboard(client).status_code == 200
        traveller.shift(timedelta(minutes=2))
        assert _logged_out(_dashboard(client))
        # Logging in again starts a new twelve hours.
        _login(client, cast)
        traveller.shift(timedelta(hours=1))
        assert _dashboard(client).status_code == 200


def test_the_admin_is_logged_out_too(client, cast):
    with time_machine.travel(LOGIN, tick=False) as traveller:
        client.force_login(cast.admin)
        assert client.get("/admin/").status_code == 200
        traveller.shift(timedelta(hours=3))
        response = client.get("/admin/")
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_limits_come_from_the_environment(client, cast, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 10
    with time_machine.travel(LOGIN, tick=False) as traveller:
        _login(client, cast)
        traveller.shift(timedelta(minutes=11))
        assert _logged_out(_dashboard(client))


def test_anonymous_visitors_are_not_touched(client, cast):
    with time_machine.travel(LOGIN, tick=False):
        assert client.get("/").status_code == 200
        assert not client.session.keys()


@pytest.mark.parametrize("password", ["short-pass1", "Kasumigaseki"[:11]])
def test_passwords_under_twelve_characters_are_refused(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any("12" in message for message in error.value.messages)


def test_a_twelve_character_password_is_accepted():
    validate_password("kumo-to-sora")  # 12 characters, not common, not numeric


def test_the_demo_passwords_pass_the_validators(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    passwords = re.findall(r"(?:jimukyoku|admin) / (\S+)", out)
    assert len(passwords) == 2
    for password in passwords:
        assert len(password) >= 12
        validate_password(password)
