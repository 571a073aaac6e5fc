"""Personal links for people with no account: signed, expiring, revocable.

A token signs (object id, nonce) with a salt per kind of link. Changing the object's
nonce revokes every link made before; the signature's timestamp makes it expire.
"""

from __future__ import annotations

from django.core import signing


class BadLink(Exception):
    """The link is forged, expired or revoked; the message says which, in Japanese."""


def make_token(kind: str, pk: int, nonce: str) -> str:
    return signing.dumps([pk, nonce], salt=f"secretariat.{kind}")


def read_token(kind: str, token: str, *, max_age: int | None) -> tuple[int, str]:
    try:
        pk, nonce = signing.loads(token, salt=f"secretariat.{kind}", max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadLink(
            "このリンクは有効期限が切れています。事務局にお問い合わせください。"
        ) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadLink(
            "このリンクは正しくありません。届いたメールのリンクをそのまま開いてください。"
        ) from error
    if not isinstance(pk, int) or not isinstance(nonce, str):
        raise BadLink(
            "このリンクは正しくありません。届いたメールのリンクをそのまま開いてください。"
        )
    return pk, nonce
