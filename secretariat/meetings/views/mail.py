"""The staff "sent mail" pages: every message to members, as it went out, .ics included,
with each personal link shown only as a note that one was there: anyone who reads these
pages (a read-only viewer too) could otherwise open the member's link and answer as them."""

from __future__ import annotations

import email
import email.message
import email.policy
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar

from secretariat.access import get_delivery_for_staff, get_platform_for_staff
from secretariat.log import redact_personal_links
from secretariat.meetings import actions
from secretariat.meetings.models import Delivery

# Shown where a personal link was.
REDACTED = "［個人用リンク（表示しません）］"
# iCalendar folds long lines with CRLF and one space: unfolded before redacting, since
# a folded link would hide its token from the pattern.
_ICS_FOLD = re.compile(r"\r?\n[ \t]")


@require_safe
def mail_list(request: HttpRequest, slug: str) -> HttpResponse:
    platform = get_platform_for_staff(request, slug)
    deliveries = Delivery.objects.filter(invitation__session__platform=platform).select_related(
        "invitation__session",
        "invitation__membership__person",
        "invitation__membership__organisation",
    )
    page = Paginator(deliveries, 100).get_page(request.GET.get("page"))
    return render(request, "meetings/mail_list.html", {"platform": platform, "page": page})


def _parse(raw: str) -> email.message.Message:
    """A stored message, parsed from bytes: its text parts are 8bit UTF-8, which
    get_payload(decode=True) mangles into \\uXXXX escapes when the message is parsed from
    a str. The default policy decodes the headers' encoded-words (the Japanese subject)."""
    return email.message_from_bytes(raw.encode(), policy=email.policy.default)


def _parts(message: email.message.Message) -> dict[str, str]:
    """The text, HTML and calendar parts of a stored message, decoded for reading."""
    parts = {}
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("text/plain", "text/html", "text/calendar") and kind not in parts:
            payload = part.get_payload(decode=True) or b""
            text = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
            if kind == "text/calendar":
                text = _ICS_FOLD.sub("", text)
            parts[kind] = redact_personal_links(text, REDACTED, paths=False)
    return parts


def _attached_ics(message: email.message.Message) -> bytes | None:
    """The .ics as sent, its personal links redacted, read and written again by
    icalendar so that its lines are folded as RFC 5545 asks."""
    for part in message.walk():
        if part.get_content_type() == "application/ics":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            text = _ICS_FOLD.sub("", payload.decode("utf-8", errors="replace"))
            return Calendar.from_ical(redact_personal_links(text, REDACTED, paths=False)).to_ical()
    return None


@require_safe
def mail_detail(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_delivery_for_staff(request, pk)
    session = delivery.invitation.session
    message = _parse(delivery.message) if delivery.message else None
    parts = _parts(message) if message else {}
    context = {
        "platform": session.platform,
        "session": session,
        "delivery": delivery,
        "headers": [(name, str(value).strip()) for name, value in message.items()]
        if message
        else [],
        "text": parts.get("text/plain", ""),
        "ics": parts.get("text/calendar", ""),
    }
    return render(request, "meetings/mail_detail.html", context)


@require_safe
def mail_ics(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_delivery_for_staff(request, pk)
    ics = _attached_ics(_parse(delivery.message)) if delivery.message else None
    if ics is None:
        return HttpResponse(_("このメールにカレンダーの予定はありません。"), status=404)
    return HttpResponse(ics, content_type="text/calendar; charset=utf-8")


@require_POST
def mail_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_delivery_for_staff(request, pk, write=True)
    try:
        actions.retry_delivery(delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("再送します。"))
    return redirect("meetings:mail_detail", pk=delivery.pk)
