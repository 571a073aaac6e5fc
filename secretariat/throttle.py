"""Throttling: brute-force protection for logins and personal links, and a rate limit
for the public gallery form.

**Logins** (/accounts/login/, /admin/login/) are django-axes' own job, switched on in
settings.py: a failed login is counted per account and per client address, and after
`LOGIN_FAILURE_LIMIT` failures within the cool-off that account, or that address, gets
the lockout page until the cool-off has passed. This module gives axes the client's
address (`client_ip`), the failure limits (`failure_limit`), the lockout page
(`lockout_response`) and the handler that keeps logins and links apart.

**Personal links** (/m/<token>/…, /u/<token>/, /c/<token>/, the gallery confirmation)
use axes too, so that a blocked address shows in the admin's access attempts and in the
log exactly like a login lockout, and `manage.py axes_reset_ip <address>` lifts both. A
bad token is recorded as a failed login of the pseudo-account ``personal-link:<kind>``
(a colon can never be in a Django username). Only the client address counts for links:
after `PERSONAL_LINK_FAILURE_LIMIT` bad tokens within the cool-off, every personal link
answers 429 to that address. The one caller is the personal-link chokepoint
(`secretariat.tokens.personal_link`): it asks `token_attempts_blocked` before reading a
token, and calls `record_bad_token` for forged tokens only. An expired or revoked link is
a member with an old email, and many members share a ministry's address; a correctly
signed token cannot be a guess. The kind (the model's TOKEN_KIND) is shown in the
admin. The request that reaches the limit is answered with the 429 page by axes'
middleware, whatever the view returned. There is deliberately no reset on a good
token: one valid link of one's own must not buy a fresh allowance for guessing others
(the same reason logins keep AXES_RESET_ON_SUCCESS off).

The two counts stay apart (`AxesHandler`): members mistyping links from a ministry's
shared address cannot lock that ministry's staff out of the login page, nor the other
way round.

**The gallery form** is not a failure but a success that sends mail from the ministry's
address, so it is rate-limited with the cache (`gallery_submission_allowed`): a fixed
window per client address and per session. With the local-memory cache (no REDIS_URL)
each server process counts on its own, so the limits hold per process.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import re
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PERSONAL_LINK = "personal_link"  # the credentials key that marks a bad token
PERSONAL_LINK_USERNAME = "personal-link:"  # + kind; never a valid Django username

GALLERY_PER_ADDRESS = (10, 3600)  # submissions, seconds: a family or an office, not a bot
# Bounds the mail one session's form can make us send; high enough that a few addresses
# cannot close the form for everyone (a pending request holds no seat anyway).
GALLERY_PER_SESSION = (500, 3600)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the one our reverse proxy saw when BEHIND_PROXY is set,
    REMOTE_ADDR otherwise.

    Behind the proxy the right-most X-Forwarded-For entry is the one the proxy itself
    appended (nginx's $proxy_add_x_forwarded_for); everything left of it was sent by the
    client and can be forged. Without a proxy the header is ignored altogether, or anyone
    could pick a fresh address per request.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if _valid_ip(forwarded):
            return forwarded
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _valid_ip(remote) else None


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_personal_link(credentials: dict[str, Any] | None) -> bool:
    return bool(credentials and credentials.get(PERSONAL_LINK))


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """AXES_FAILURE_LIMIT: one limit for logins, another for personal links."""
    if _is_personal_link(credentials):
        return settings.PERSONAL_LINK_FAILURE_LIMIT
    return settings.LOGIN_FAILURE_LIMIT


class AxesHandler(AxesDatabaseHandler):
    """axes' database handler, with bad tokens counted apart from failed logins.

    A bad token is counted for the client address across every kind of link; a login
    ignores the bad tokens recorded for its address.
    """

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        # What axes stores comes from the client: a NUL (PostgreSQL cannot store one) in
        # a path, a User-Agent or an Accept header must not turn a refusal into a 500.
        if request is not None:
            for name in ("axes_path_info", "axes_user_agent", "axes_http_accept"):
                value = getattr(request, name, None)
                if isinstance(value, str):
                    setattr(request, name, value.replace("\x00", ""))
        super().user_login_failed(sender, credentials, request, **kwargs)

    def filter_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> list[QuerySet[AccessAttempt]]:
        links = Q(username__startswith=PERSONAL_LINK_USERNAME)
        if _is_personal_link(credentials):
            return [AccessAttempt.objects.filter(links, ip_address=request.axes_ip_address)]
        return [
            attempts.exclude(links)
            for attempts in super().filter_user_attempts(request, credentials)
        ]


def _credentials(kind: str) -> dict[str, Any]:
    return {"username": PERSONAL_LINK_USERNAME + kind, PERSONAL_LINK: kind}


# A signed token always contains ":"; long random segments are tokens of other shapes.
_TOKEN_SEGMENT = re.compile(r"[^/]*:[^/]*|[^/]{24,}")


def _redacted(path: str) -> str:
    """The path with its token cut out: axes stores and logs the path of each attempt,
    and a revoked or expired token is still somebody's link."""
    return _TOKEN_SEGMENT.sub("…", path)


def _prepare(request: HttpRequest) -> None:
    AxesProxyHandler.update_request(request)
    request.axes_path_info = _redacted(request.axes_path_info)  # type: ignore[attr-defined]


def token_attempts_blocked(request: HttpRequest) -> bool:
    """True while this client address has made too many bad-token requests: the view
    then answers `too_many_attempts(request)` without reading the token."""
    if not settings.AXES_ENABLED:
        return False
    _prepare(request)
    return not AxesProxyHandler.is_allowed(request, _credentials("any"))


def record_bad_token(request: HttpRequest, kind: str) -> None:
    """Count one request with a forged token of the given kind
    ("m", "u", "c", "gallery"…: shown in the admin's access attempts).

    Sent as Django's user_login_failed signal, so axes logs and stores it like a failed
    login; the request that reaches the limit is answered with the 429 page by axes'
    middleware whatever the view returned.
    """
    _prepare(request)
    user_login_failed.send(sender=__name__, credentials=_credentials(kind), request=request)


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    """The 429 page for a blocked address on a personal link."""
    return _throttled_page(
        request,
        heading=_("アクセスを一時的に制限しています"),
        message=_(
            "正しくないリンクでのアクセスが続いたため、この接続元からの個人用リンクの"
            "利用を%(minutes)s分間停止しています。時間をおいてから、届いたメールの"
            "リンクをそのまま開いてください。"
        ),
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict[str, Any] | None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page axes shows once a login or an address is locked."""
    if _is_personal_link(credentials):
        return too_many_attempts(request)
    return _throttled_page(
        request,
        heading=_("ログインを一時的に停止しています"),
        message=_(
            "ログインの失敗が続いたため、このアカウントまたはこの接続元からのログインを"
            "%(minutes)s分間停止しています。時間をおいてから、もう一度お試しください。"
            "パスワードがわからない場合は、システムの管理者にお問い合わせください。"
        ),
    )


def _throttled_page(request: HttpRequest, *, heading: str, message: str) -> HttpResponse:
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 3600
    context = {"heading": heading, "message": message % {"minutes": max(1, seconds // 60)}}
    response = render(request, "throttled.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


# The gallery form


def _hit(key: str, limit: int, seconds: int) -> bool:
    """Count one hit in the current fixed window; False once the window holds `limit`."""
    window = int(timezone.now().timestamp()) // seconds
    key = f"throttle:{key}:{window}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit


def _client_network(request: HttpRequest) -> str:
    """The client's address, or for IPv6 its /64: one subscriber holds a whole /64, so
    counting each of its addresses apart would count nothing."""
    ip = client_ip(request) or "unknown"
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if parsed.version == 6 and parsed.ipv4_mapped:  # an IPv4 client on a dual-stack socket
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return ip


def gallery_submission_allowed(request: HttpRequest, session_pk: int) -> bool:
    """Count one gallery registration from this client for this session; False (and a
    log line) once the client address or the session has had too many in the hour."""
    address = hashlib.sha256(_client_network(request).encode()).hexdigest()[:32]
    per_address = _hit(f"gallery:address:{address}", *GALLERY_PER_ADDRESS)
    per_session = _hit(f"gallery:session:{session_pk}", *GALLERY_PER_SESSION)
    if not (per_address and per_session):
        logger.warning(
            "Gallery registrations throttled for session %s (%s)",
            session_pk,
            "client address" if not per_address else "session",
        )
    return per_address and per_session
