"""Headers on every page: private pages are never cached, every page carries the
Content-Security-Policy, and files (uploads above all) are sandboxed.

The walk covers every URL pattern the resolver knows, so a view added later is checked
without anyone remembering to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.cache import get_max_age

from secretariat.meetings.models import Invitation, SiteVisit, SiteVisitPhoto, SiteVisitStop
from tests import factories as f
from tests.base import download_body

# Sample values by parameter name, then by converter: enough to reach each view.
SAMPLES = {"slug": "pf", "app_label": "auth", "kind": "agenda", "token": "not-a-token"}


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner.strip(":"))
        else:
            yield namespace, prefix + str(entry.pattern), entry


def _sample_path(route: str) -> str | None:
    def value(match: re.Match[str]) -> str:
        converter, name = match["converter"] or "str", match["name"]
        if name in SAMPLES:
            return SAMPLES[name]
        return "1" if converter in ("int", "id", "flag") else "x"

    if route.startswith("^") or "(?P" in route:
        return None  # regular expressions (a few admin URLs): reached by name below
    return "/" + re.sub(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>", value, route)


def every_url() -> list[tuple[str, str, URLPattern]]:
    """(namespace, sample path, pattern) for every URL pattern of the project."""
    urls = []
    for namespace, route, pattern in _walk(get_resolver().url_patterns):
        path = _sample_path(route)
        if path is None and pattern.name:
            kwargs = {name: SAMPLES.get(name, "1") for name in pattern.pattern.regex.groupindex}
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            path = reverse(name, kwargs=kwargs)
        if path is not None:
            urls.append((namespace, path, pattern))
    return urls


def is_personal_or_staff(namespace: str, path: str, pattern: URLPattern) -> bool:
    """Independent of the middleware's own rule: a staff view (login required), a
    personal link (a token in the URL), the admin and the login pages."""
    login_required = getattr(pattern.callback, "login_required", True)
    return (
        login_required
        or "token" in pattern.pattern.converters
        or namespace.startswith("admin")
        or path.startswith("/accounts/")
    )


def _private(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_the_walk_covers_every_kind_of_page():
    paths = {path for _, path, _ in every_url()}
    assert len(paths) > 100
    for expected in ("/staff/", "/m/not-a-token/", "/u/not-a-token/", "/c/not-a-token/"):
        assert expected in paths
    assert "/m/calendar/not-a-token.ics" in paths
    assert "/admin/" in paths and "/admin/auth/" in paths and "/accounts/login/" in paths


@pytest.mark.parametrize("as_user", ["anonymous", "admin"])
def test_every_staff_and_personal_page_is_private_no_store(client, cast, as_user):
    if as_user == "admin":
        client.force_login(cast.admin)
    client.raise_request_exception = False
    checked = 0
    for namespace, path, pattern in every_url():
        if not is_personal_or_staff(namespace, path, pattern):
            continue
        response = client.get(path)
        if response.streaming:
            download_body(response)
        assert _private(response), (path, response.status_code, response.get("Cache-Control"))
        checked += 1
    assert checked > 100


def test_public_pages_keep_their_own_caching(client, cast):
    page = client.get(reverse("public:session", args=["pf", cast.published.pk]))
    assert page.status_code == 200
    assert "no-store" not in page.get("Cache-Control", "")
    download = client.get(
        reverse("public:material", args=["pf", cast.published.pk, cast.public_material.pk])
    )
    download_body(download)
    assert download["Cache-Control"] == "no-cache"
    assert "no-store" not in client.get("/sitemap.xml").get("Cache-Control", "")
    assert get_max_age(client.get("/robots.txt")) is None


def test_a_personal_page_that_answers_is_private(client, cast):
    invitation = Invitation.objects.create(session=cast.published, membership=cast.member)
    response = client.get(reverse("member:invitation", args=[invitation.token]))
    assert _private(response), response.status_code


# Content-Security-Policy


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


@pytest.mark.parametrize(
    "path",
    ["/", "/councils/pf/", "/accounts/login/", "/admin/login/", "/m/not-a-token/", "/no-such/"],
)
def test_every_page_has_the_policy(client, cast, path):
    policy = _policy(client.get(path))
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "script-src" not in policy and "style-src" not in policy  # 'self' only
    assert "unsafe-inline" not in str(policy)


def test_staff_pages_have_the_policy(client, cast):
    client.force_login(cast.clerk)
    response = client.get(reverse("meetings:session", args=[cast.published.pk]))
    assert response.status_code == 200
    assert _policy(response)["default-src"] == "'self'"


class _Inline(HTMLParser):
    """Everything a `default-src 'self'` policy would block in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self._in_script = True
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append("<script> inline")


def _inline(html: str) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    return parser.found


def test_no_template_has_inline_script_or_style():
    # Email templates are not pages: mail clients need inline styles.
    templates = Path(settings.BASE_DIR) / "templates"
    for path in templates.rglob("*.html"):
        if "emails" in path.parts:
            continue
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=|javascript:", text), path


def test_the_admin_runs_under_the_policy(client, cast):
    """Django 5.2's admin passes its data in data- attributes of external scripts; its
    pages, the change form included, have nothing the policy blocks."""
    client.force_login(cast.admin)
    for path in (
        "/admin/",
        "/admin/auth/user/",
        f"/admin/auth/user/{cast.clerk.pk}/change/",
        "/admin/auth/user/add/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _policy(response)["default-src"] == "'self'"
        assert _inline(response.content.decode()) == [], path


def test_the_staff_and_public_pages_have_nothing_the_policy_blocks(client, cast):
    for path in ("/", "/councils/pf/", reverse("public:session", args=["pf", cast.published.pk])):
        assert _inline(client.get(path).content.decode()) == [], path
    client.force_login(cast.clerk)
    for path in (
        reverse("meetings:dashboard"),
        reverse("meetings:session", args=[cast.published.pk]),
    ):
        assert _inline(client.get(path).content.decode()) == [], path


# Files: sandboxed, not sniffed


def _sandboxed(response) -> bool:
    download_body(response)
    return (
        response["Content-Security-Policy"] == "sandbox"
        and response["X-Content-Type-Options"] == "nosniff"
    )


def test_public_downloads_are_sandboxed(client, cast):
    url = reverse("public:material", args=["pf", cast.published.pk, cast.public_material.pk])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")  # opens in the browser
    assert _sandboxed(response)


def test_staff_downloads_are_sandboxed(client, cast):
    client.force_login(cast.clerk)
    response = client.get(reverse("documents:material_download", args=[cast.members_only.pk]))
    assert response.status_code == 200
    assert _sandboxed(response)


def test_site_visit_photos_are_sandboxed(client, cast):
    visit = SiteVisit.objects.create(session=cast.published)
    stop = SiteVisitStop.objects.create(
        site_visit=visit, prefecture="静岡県", municipality="浜松市", order=1
    )
    photo = SiteVisitPhoto(stop=stop, caption="窓口", order=1, extension="png")
    photo.image.save("x.png", ContentFile(f.png_bytes()), save=True)
    client.force_login(cast.clerk)
    response = client.get(reverse("meetings:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert _sandboxed(response)


def test_a_polyglot_upload_cannot_run_script_in_the_apps_origin(client, cast):
    # A PDF that is also an HTML page: accepted (it starts as a PDF), served inline.
    polyglot = f.pdf_bytes("資料") + b"<html><script>alert(document.cookie)</script></html>"
    material = f.make_material(
        cast.published,
        label="資料9",
        title="多言語ファイル",
        order=9,
        upload=f.pdf_upload("polyglot.pdf", polyglot),
    )
    f.publish(cast.published)
    response = client.get(reverse("public:material", args=["pf", cast.published.pk, material.pk]))
    assert response.status_code == 200
    assert _sandboxed(response)
