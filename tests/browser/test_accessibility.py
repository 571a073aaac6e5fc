"""axe-core in Chromium on every kind of public page: WCAG 2.2 AA rules, no violations."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from secretariat.demo import SLUG
from secretariat.meetings.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test`, which installs it with npm")
    # Evaluated by the browser's debugger, not added as a <script>: the pages'
    # Content-Security-Policy (rightly) blocks an injected inline script.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_public_pages_pass_axe(live_server, page):
    call_command("load_demo", stdout=io.StringIO())
    first = Session.objects.get(number=1)
    visit = Session.objects.get(kind=Session.Kind.SITE_VISIT)
    paths = [
        "/",
        f"/councils/{SLUG}/",
        f"/councils/{SLUG}/meetings/",
        f"/councils/{SLUG}/meetings/{first.pk}/",
        f"/councils/{SLUG}/meetings/{visit.pk}/",
        "/accounts/login/",
    ]
    failures = {}
    for path in paths:
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert failures == {}
