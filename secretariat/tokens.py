"""Personal links for people with no account: signed, expiring, revocable — and the one
chokepoint (`personal_link`) that every page opened through such a link goes through.

A token signs (row id, nonce) with a salt per kind of link. The token carries no time:
a link is the same string every time a page or an email shows it, so showing it again
cannot renew it. It expires relative to the row's `issued_at` (and, for links about a
session, to the session's day); replacing the nonce revokes every link made before.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import wraps
from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat import throttle


class BadLink(Exception):
    """The link is forged, expired, revoked or no longer applies; the message says which,
    in the user's language. `forged` marks a token that was never ours (a guess: the
    throttle counts it); `gone` one that was real once (expired, revoked, the
    membership ended): a calendar client is then told 410 Gone."""

    def __init__(self, message: object, *, forged: bool = False, gone: bool = False) -> None:
        super().__init__(message)
        self.forged = forged
        self.gone = gone


FORGED = _("このリンクは正しくありません。届いたメールのリンクをそのまま開いてください。")
EXPIRED = _("このリンクは有効期限が切れています。事務局にお問い合わせください。")
REVOKED = _("このリンクは無効になっています。事務局にお問い合わせください。")
MEMBERSHIP_NOT_STARTED = _(
    "構成員の任期が始まっていないため、このリンクはまだ使えません。事務局にお問い合わせください。"
)
MEMBERSHIP_ENDED = _(
    "構成員の任期が終了したため、このリンクは使えません。事務局にお問い合わせください。"
)
SESSION_CANCELLED = _("この会議は中止になりました。このリンクは使えません。")
STAFF_LOGGED_IN = _(
    "事務局のアカウントでログインしたまま、個人用リンクから回答することはできません。"
    "本人の代わりに記録するときは、事務局の画面の「代わりに記録」を使ってください。"
)


def _signer(kind: str) -> signing.Signer:
    return signing.Signer(salt=f"secretariat.{kind}")


def make_token(kind: str, pk: int, nonce: str) -> str:
    return _signer(kind).sign_object([pk, nonce])


def read_token(kind: str, token: str) -> tuple[int, str]:
    try:
        pk, nonce = _signer(kind).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        # Links sent before tokens lost their time (signing.dumps, a timestamp inside)
        # still open their row, under the old rule (PERSONAL_LINK_DAYS from their
        # signature) as well as the row's.
        try:
            pk, nonce = signing.loads(
                token,
                salt=f"secretariat.{kind}",
                max_age=timedelta(days=settings.PERSONAL_LINK_DAYS),
            )
        except signing.SignatureExpired as error:
            raise BadLink(EXPIRED, gone=True) from error
        except (signing.BadSignature, ValueError, TypeError) as error:
            raise BadLink(FORGED, forged=True) from error
    # JSON true is an int to isinstance; a row id is a positive int that fits the column.
    if type(pk) is not int or not 0 < pk < 2**63 or not isinstance(nonce, str):
        raise BadLink(FORGED, forged=True)
    return pk, nonce


def new_nonce() -> str:
    """A random part of a personal link; replacing it revokes every link made with it."""
    return secrets.token_urlsafe(16)


def _end_of_day(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=timezone.get_default_timezone())


class PersonalLink(models.Model):
    """A row people reach through a personal link (no login): an invitation, an upload
    request, a confirmation request, a member's calendar. One way to make, read, revoke
    and reissue links.

    Subclasses say which session the link is about (`link_session_day`) and what else
    makes it stop working (`link_refusal`: a membership that ended, a cancelled
    session)."""

    TOKEN_KIND: ClassVar[str]
    # What pages opened through the link need, loaded with the row.
    LINK_RELATED: ClassVar[tuple[str, ...]] = ()

    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    issued_at = models.DateTimeField(_("リンクの発行日時"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("リンクの無効化"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def token(self) -> str:
        return make_token(self.TOKEN_KIND, self.pk, self.nonce)

    def link_session_day(self) -> date | None:
        """The day of the session the link is about, if any: a link stays valid for
        PERSONAL_LINK_DAYS after that day even when it was issued long before."""
        return None

    def link_refusal(self, today: date) -> BadLink | None:
        """Why the link no longer applies although it is genuine and current, or None."""
        return None

    def link_expires_at(self) -> datetime:
        start = self.issued_at
        day = self.link_session_day()
        try:
            if day is not None:
                start = max(start, _end_of_day(day))
            return start + timedelta(days=settings.PERSONAL_LINK_DAYS)
        except OverflowError:  # a session stored in year 9999: the link lasts until then
            return datetime.max.replace(tzinfo=timezone.get_default_timezone())

    @classmethod
    def from_token(cls, token: str, *, now: datetime | None = None) -> Self:
        """The row a link opens, or BadLink saying why not."""
        now = now or timezone.now()
        pk, nonce = read_token(cls.TOKEN_KIND, token)
        row = cls._default_manager.select_related(*cls.LINK_RELATED).filter(pk=pk).first()
        if row is None or not secrets.compare_digest(row.nonce, nonce):
            raise BadLink(REVOKED, gone=True)
        if row.revoked_at:
            raise BadLink(REVOKED, gone=True)
        if now > row.link_expires_at():
            raise BadLink(EXPIRED, gone=True)
        refusal = row.link_refusal(timezone.localdate(now))
        if refusal is not None:
            raise refusal
        return row

    def revoke(self, now: datetime) -> None:
        self.revoked_at = now
        self.save(update_fields=["revoked_at"])

    def reissue(self, now: datetime | None = None) -> None:
        """A new link; every earlier one stops working."""
        self.nonce = new_nonce()
        self.issued_at = now or timezone.now()
        self.revoked_at = None
        self.save(update_fields=["nonce", "issued_at", "revoked_at"])


def _refused(request: HttpRequest, message: object, status: int) -> HttpResponse:
    return render(request, "member/bad_link.html", {"message": message}, status=status)


def personal_link(
    model: type[PersonalLink], *, calendar: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The chokepoint of every page opened through a personal link (`/m/`, `/u/`, `/c/`).

    It throttles clients that try many bad tokens, reads the token (signature, row,
    nonce, revocation, expiry, and the row's own refusals), renders the one "this link
    no longer works" page, and refuses a change made through a link by someone logged in
    as staff (it would be recorded as the person's own). Their headers (private, not
    indexed, no Referer path) come from PrivateCacheMiddleware, for every URL with a
    token. The view is called as `view(request, row, **kwargs)`, the token dropped: pages link
    on with `row.token`, which is the same string."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_not_required
        @wraps(view)
        def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
            if throttle.token_attempts_blocked(request):
                return throttle.too_many_attempts(request)
            try:
                row = model.from_token(token)
            except BadLink as error:
                # Only a forged token is a guess. An expired or revoked link is a member
                # with an old email, and many of them share a ministry's address: they
                # must not lock each other out.
                if error.forged:
                    throttle.record_bad_token(request, model.TOKEN_KIND)
                # A calendar client stops polling a feed that is Gone.
                status = 410 if calendar and error.gone else 403
                return _refused(request, error.args[0], status)
            if request.method not in ("GET", "HEAD") and request.user.is_authenticated:
                return _refused(request, STAFF_LOGGED_IN, 403)
            return view(request, row, **kwargs)

        return wrapper

    return decorator
