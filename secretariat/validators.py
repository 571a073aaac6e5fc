"""Field validators shared by the apps."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from exports.eras import EraError, format_date
from exports.kana import is_kana_reading


def validate_kana(value: str) -> None:
    if not is_kana_reading(value):
        raise ValidationError(
            _("読みは全角のひらがなまたはカタカナで入力してください。"), code="not_kana"
        )


def validate_era_date(value: date) -> None:
    """Every date we keep is shown in 和暦; refuse one the era module cannot write."""
    try:
        format_date(value)
    except EraError as error:
        raise ValidationError(str(error), code="era") from error


# What a mail client would show as a link or an address, and line breaks, controls and
# format characters (bidi overrides): text typed by the public that we put in an email
# from the ministry's address must not be able to pose as the ministry's own words.
_LINK_LIKE = re.compile(r"://|www\.|@|[a-z0-9-]{2,}\.[a-z]{2,}", re.IGNORECASE)
_NOT_PLAIN = {"Cc", "Cf", "Zl", "Zp"}


def validate_plain_text(value: str) -> None:
    """Refuse URLs, domain names, "@" and control or format characters (full-width
    forms included) in a name or an organisation typed on the public site."""
    folded = unicodedata.normalize("NFKC", value)
    if _LINK_LIKE.search(folded) or any(
        unicodedata.category(char) in _NOT_PLAIN for char in folded
    ):
        raise ValidationError(
            _("URL、メールアドレス（@）、改行や制御文字は入力できません。"),
            code="not_plain",
        )
