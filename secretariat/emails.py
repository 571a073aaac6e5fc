"""Emails: template triples rendered by one helper, with calendar invitations attached
the way Outlook, Google, Apple and Thunderbird recognise (shared/notes/library-pitfalls.md §1.7)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render_email(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, plain text and HTML of templates/emails/<name>/."""
    subject = render_to_string(f"emails/{name}/subject.txt", context)
    text = render_to_string(f"emails/{name}/body.txt", context)
    html = render_to_string(f"emails/{name}/body.html", context)
    return " ".join(subject.split()), text, html


class CalendarEmail(EmailMultiAlternatives):
    """multipart/mixed → multipart/alternative (text, HTML, text/calendar; method=…) plus
    the same .ics as an attachment. Django's attach_alternative would write the charset
    twice if given the parameters, so `method` is set on the built part."""

    def __init__(self, *args: Any, ics: bytes, method: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.method = method
        self.ics = ics

    def message(self, *args: Any, **kwargs: Any) -> Any:
        message = super().message(*args, **kwargs)
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                part.set_param("method", self.method)
        return message


def build_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    reply_to: str = "",
    ics: bytes | None = None,
    method: str = "",
) -> EmailMultiAlternatives:
    subject, text, html = render_email(template, context)
    options: dict[str, Any] = {
        "subject": subject,
        "body": text,
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "to": [to],
        "reply_to": [reply_to] if reply_to else None,
    }
    if ics is None:
        email = EmailMultiAlternatives(**options)
        email.attach_alternative(html, "text/html")
        return email
    email = CalendarEmail(**options, ics=ics, method=method)
    email.attach_alternative(html, "text/html")
    # The calendar part goes last: the most preferred alternative.
    email.attach_alternative(ics.decode("utf-8"), "text/calendar")
    email.attach("invite.ics", ics, "application/ics")
    return email
