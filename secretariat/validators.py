"""Field validators shared by the apps."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from exports.kana import is_kana_reading

# Every date and date-time the product accepts lies in this range: from the first day of
# 平成 (no council record this product keeps is older) to the end of 2100. Far-off
# dates are typing slips, and the extremes break arithmetic: 9999-12-31 has no next day
# (the calendar feeds, the holiday check) and 0001-01-01 00:00 in Tokyo is before the
# first representable moment in UTC.
DATE_MIN = date(1989, 1, 8)
DATE_MAX = date(2100, 12, 31)

# The largest integer a database column holds (a signed 64-bit integer): ids, versions.
DB_INT_MAX = 2**63 - 1

# Caps for the numbers staff type. Generous for any real council, small enough that sums
# and date arithmetic over them stay far inside Python's and the database's ranges.
MAX_ORDER = 9999  # 表示順 / 順番
MAX_NUMBER = 9999  # 第N回
MAX_MINUTES = 24 * 60  # one agenda item's minutes
MAX_CAPACITY = 10_000  # 傍聴の定員
MAX_DAYS = 365  # reminder and publication deadlines, in days


def validate_kana(value: str) -> None:
    if not is_kana_reading(value):
        raise ValidationError(
            _("読みは全角のひらがなまたはカタカナで入力してください。"), code="not_kana"
        )


def validate_era_date(value: date | datetime) -> None:
    """Refuse a date or date-time outside DATE_MIN..DATE_MAX (a date-time by its own day,
    so no time zone conversion happens before the check). Every date in the range can be
    written in 和暦."""
    day = value.date() if isinstance(value, datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        # The range is written out (not formatted in) so that the English catalog can say
        # it in its own words; change it with DATE_MIN and DATE_MAX.
        raise ValidationError(
            _("日付は平成元年（1989年）1月8日から2100年12月31日までの範囲で入力してください。"),
            code="date_range",
        )


# What a mail client would show as a link or an address, and line breaks, controls and
# format characters (bidi overrides): text typed by the public that we put in an email
# from the ministry's address must not be able to pose as the ministry's own words.
# A dot between two characters reads as a host name to mail clients (x.com/verify,
# t.me/x, 203.0.113.5, 例え.jp); an ideographic full stop (。) is a dot to some of them.
# "J. Smith" keeps its space and passes.
_LINK_LIKE = re.compile(r"://|www\.|@|\S[.。]\S", re.IGNORECASE)
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
