"""Logging filters: what Django's log records must not carry."""

from __future__ import annotations

import logging
import re

# A path that starts at the beginning, after a space, a quote, "=" or a host name; its
# first segment after /m/, /u/ or /c/ is a personal link's token (the member's calendar
# feed has its token in the file name); so is the segment after a gallery's confirm/.
_LEAD = r"(?P<lead>^|[\s\"'=(]|//[^/\s\"']+)"
_SEGMENT = r"[^/\s?#\"'<>]+"
_FEED = re.compile(_LEAD + r"(?P<path>/m/calendar/)" + _SEGMENT + r"?(?=\.ics)")
_LINK = re.compile(_LEAD + r"(?P<path>/[muc]/)(?!calendar/)" + _SEGMENT)
_GALLERY = re.compile(r"(?P<lead>/gallery/confirm/)" + _SEGMENT)


# The signed shape of a token wherever it stands (under a sub-path, inside an .ics
# value, percent-encoded): base64 payload, colon, signature (older links: payload,
# colon, time, colon, signature).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{10,}(?:(?::|%3[Aa])[A-Za-z0-9_-]{6,}){1,2}")


def redact_personal_links(text: str, replacement: str = "[token]", *, paths: bool = True) -> str:
    """`GET /m/AbC:123/reply/` → `GET /m/[token]/reply/`: the one place that knows what a
    personal link's token looks like, for logs and for the sent mail staff read.

    Every signed token is replaced; with `paths` (logs), so is whatever stands where a
    token would, since a guessed or mangled token is somebody's link too."""
    text = _TOKEN.sub(replacement, text)
    if paths:
        text = _FEED.sub(lambda m: m["lead"] + m["path"] + replacement, text)
        text = _LINK.sub(lambda m: m["lead"] + m["path"] + replacement, text)
        text = _GALLERY.sub(lambda m: m["lead"] + replacement, text)
    return text


class PersonalLinkFilter(logging.Filter):
    """Rewrite personal-link tokens in a record's message and arguments.

    A personal link is a key: whoever reads the access log (an operator, a log service,
    a backup) could open a member's invitation and members-only materials with it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_personal_links(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact(value) for key, value in record.args.items()}
        return True


def _redact(value: object) -> object:
    return redact_personal_links(value) if isinstance(value, str) else value
