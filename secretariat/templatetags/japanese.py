"""Template filters for Japanese dates: {{ d|wareki }}, {{ d|wareki_weekday }}, {{ fy|nendo }}."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from exports.eras import fiscal_year_label, format_date

register = template.Library()


def _as_date(value: date | datetime) -> date:
    # A stored datetime is UTC: take the Tokyo calendar day, never the UTC one.
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def wareki(value: date | datetime | None) -> str:
    return format_date(_as_date(value)) if value else ""


@register.filter
def wareki_weekday(value: date | datetime | None) -> str:
    return format_date(_as_date(value), weekday=True) if value else ""


@register.filter
def nendo(fiscal_year: int | None) -> str:
    return fiscal_year_label(fiscal_year) if fiscal_year else ""
