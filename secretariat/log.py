"""Logging filters: what Django's log records must not carry."""

from __future__ import annotations

import logging
import re

# A path that starts at the beginning, after a space, a quote, "=" or a host name; its
# first segment after /m/, /u/ or /c/ is a personal link's token (the member's calendar
# feed has its token in the file name).
_LEAD = r"(?P<lead>^|[\s\"'=(]|//[^/\s\"']+)"
_FEED = re.compile(_LEAD + r"/m/calendar/[^/\s?#\"']+?\.ics")
_LINK = re.compile(_LEAD + r"/(?P<kind>[muc])/(?!calendar/)[^/\s?#\"']+")


def redact_personal_links(text: str) -> str:
    """`GET /m/AbC.123/reply/` → `GET /m/[token]/reply/`."""
    text = _FEED.sub(r"\g<lead>/m/calendar/[token].ics", text)
    return _LINK.sub(r"\g<lead>/\g<kind>/[token]", text)


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
