"""Placeholder until the throttle branch lands (bad-token counting per client)."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

BLOCKED_MESSAGE = _("短時間に多くの誤ったリンクが開かれました。しばらくしてからお試しください。")


def token_attempts_blocked(request: HttpRequest) -> bool:
    return False


def record_bad_token(request: HttpRequest, kind: str) -> None:
    return None
