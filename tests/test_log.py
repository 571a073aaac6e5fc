"""Personal-link tokens never reach the logs: the access log (django.server), request
errors (django.request) and CSRF refusals name paths with [token] instead."""

from __future__ import annotations

import logging

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.urls import reverse
from django.utils.log import ServerFormatter

from secretariat.log import PersonalLinkFilter, redact_personal_links

TOKEN = "eyJpZCI6MX0:1vXyZa:AbCdEf-123_xyz"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"GET /m/{TOKEN}/ HTTP/1.1", "GET /m/[token]/ HTTP/1.1"),
        (f"POST /m/{TOKEN}/reply/ HTTP/1.1", "POST /m/[token]/reply/ HTTP/1.1"),
        (f"GET /m/{TOKEN}/poll/?x=1 HTTP/1.1", "GET /m/[token]/poll/?x=1 HTTP/1.1"),
        (f"GET /m/{TOKEN}/materials/7/ HTTP/1.1", "GET /m/[token]/materials/7/ HTTP/1.1"),
        (f"GET /u/{TOKEN}/ HTTP/1.1", "GET /u/[token]/ HTTP/1.1"),
        (f"GET /c/{TOKEN}/ HTTP/1.1", "GET /c/[token]/ HTTP/1.1"),
        (f"GET /m/calendar/{TOKEN}.ics HTTP/1.1", "GET /m/calendar/[token].ics HTTP/1.1"),
        (f"Not Found: /m/{TOKEN}/", "Not Found: /m/[token]/"),
        (f"https://example.go.jp/c/{TOKEN}/", "https://example.go.jp/c/[token]/"),
        # A token wherever it stands: under a sub-path, inside text, percent-encoded.
        (f"https://host/shingikai/m/{TOKEN}/", "https://host/shingikai/m/[token]/"),
        (f"変更: {TOKEN}\n", "変更: [token]\n"),
        (f"GET /m/{TOKEN.replace(':', '%3A')}/", "GET /m/[token]/"),
        (
            f"/councils/pf/meetings/4/gallery/confirm/{TOKEN}/",
            "/councils/pf/meetings/4/gallery/confirm/[token]/",
        ),
        # Other paths are left as they are.
        ("GET /councils/pf/meetings/1/ HTTP/1.1", "GET /councils/pf/meetings/1/ HTTP/1.1"),
        ("GET /static/css/site.css HTTP/1.1", "GET /static/css/site.css HTTP/1.1"),
    ],
)
def test_redact(line, expected):
    assert redact_personal_links(line) == expected


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def server_log():
    logger = logging.getLogger("django.server")
    records = _Records()
    logger.addHandler(records)
    yield records
    logger.removeHandler(records)


def test_sent_mail_redaction_leaves_other_links_alone():
    text = f"https://www.example.go.jp/c/about/ https://host/m/{TOKEN}/"
    assert redact_personal_links(text, "[x]", paths=False) == (
        "https://www.example.go.jp/c/about/ https://host/m/[x]/"
    )


def test_the_access_log_has_no_tokens(server_log):
    # What runserver (bin/serve) writes for each request.
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    for status in ("200", "404", "500"):
        handler.log_message('"%s" %s %s', f"GET /m/{TOKEN}/reply/ HTTP/1.1", status, "1234")
    assert server_log.messages == [
        f'"GET /m/[token]/reply/ HTTP/1.1" {status} 1234' for status in ("200", "404", "500")
    ]
    # And the handler that prints them filters too, whoever logs to it.
    printer = [
        h
        for h in logging.getLogger("django.server").handlers
        if isinstance(h.formatter, ServerFormatter)
    ]
    assert len(printer) == 1
    assert any(isinstance(f, PersonalLinkFilter) for f in printer[0].filters)


def test_request_errors_have_no_tokens(client, cast, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("member:invitation", args=[TOKEN]))
    assert response.status_code >= 400
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert messages and all(TOKEN not in m and "/m/[token]/" in m for m in messages)


def test_csrf_refusals_have_no_tokens(cast, caplog):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client.post(reverse("member:reply", args=[TOKEN]), {})
    assert response.status_code == 403
    messages = [r.getMessage() for r in caplog.records]
    assert messages and all(TOKEN not in m for m in messages)
