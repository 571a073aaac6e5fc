"""Field validators shared by the apps."""

from __future__ import annotations

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
