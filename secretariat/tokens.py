"""Personal links for people with no account: signed, expiring, revocable.

A token signs (object id, nonce) with a salt per kind of link. Changing the object's
nonce revokes every link made before; the signature's timestamp makes it expire.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import ClassVar, Self

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils.translation import gettext_lazy as _


class BadLink(Exception):
    """The link is forged, expired or revoked; the message says which, in Japanese."""


FORGED = _("このリンクは正しくありません。届いたメールのリンクをそのまま開いてください。")


def make_token(kind: str, pk: int, nonce: str) -> str:
    return signing.dumps([pk, nonce], salt=f"secretariat.{kind}")


def read_token(kind: str, token: str, *, max_age: int | None) -> tuple[int, str]:
    try:
        pk, nonce = signing.loads(token, salt=f"secretariat.{kind}", max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadLink(
            _("このリンクは有効期限が切れています。事務局にお問い合わせください。")
        ) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadLink(FORGED) from error
    if not isinstance(pk, int) or not isinstance(nonce, str):
        raise BadLink(FORGED)
    return pk, nonce


def new_nonce() -> str:
    """A random part of a personal link; replacing it revokes every link made with it."""
    return secrets.token_urlsafe(16)


class PersonalLink(models.Model):
    """A row people reach through a personal link (no login): an invitation, an upload
    request, a confirmation request. One way to make, read, revoke and reissue links."""

    TOKEN_KIND: ClassVar[str]
    # What pages opened through the link need, loaded with the row.
    LINK_RELATED: ClassVar[tuple[str, ...]] = ()

    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    revoked_at = models.DateTimeField(_("リンクの無効化"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def token(self) -> str:
        return make_token(self.TOKEN_KIND, self.pk, self.nonce)

    @classmethod
    def from_token(cls, token: str) -> Self:
        """The row a link opens, or BadLink saying why not (forged, expired, revoked)."""
        max_age = settings.PERSONAL_LINK_DAYS * 24 * 3600
        pk, nonce = read_token(cls.TOKEN_KIND, token, max_age=max_age)
        row = cls._default_manager.select_related(*cls.LINK_RELATED).filter(pk=pk).first()
        if row is None or not secrets.compare_digest(row.nonce, nonce) or row.revoked_at:
            raise BadLink(_("このリンクは無効になっています。事務局にお問い合わせください。"))
        return row

    def revoke(self, now: datetime) -> None:
        self.revoked_at = now
        self.save(update_fields=["revoked_at"])

    def reissue(self) -> None:
        """A new link; every earlier one stops working."""
        self.nonce = new_nonce()
        self.revoked_at = None
        self.save(update_fields=["nonce", "revoked_at"])
