"""The 400, 403, 404 and 500 pages: Japanese first, English below, in the site's frame;
the 500 page renders with no request, no context processors and no database."""

from __future__ import annotations

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import RequestFactory
from django.urls import path, reverse
from django.views.defaults import server_error

from secretariat.urls import urlpatterns as project_urlpatterns


@login_not_required
def _boom(request):
    raise RuntimeError("a bug")


# The project's URLs plus one that fails (used with @pytest.mark.urls(__name__)).
urlpatterns = [path("boom/", _boom), *project_urlpatterns]


def _in_layout(html: str) -> bool:
    return 'class="site-header"' in html and "css/site.css" in html and '<html lang="ja">' in html


def test_404(client, cast):
    response = client.get("/councils/pf/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "ページが見つかりません" in html and 'lang="en">Page not found' in html
    assert _in_layout(html)


def test_403(client, cast):
    client.force_login(cast.viewer)  # read-only: may not renumber
    response = client.post(reverse("documents:renumber", args=[cast.published.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "このページを表示する権限がありません" in html and "You do not have permission" in html
    assert _in_layout(html)


def test_400(client, cast):
    response = client.get("/", headers={"host": "evil.example"})  # not in ALLOWED_HOSTS
    html = response.content.decode()
    assert response.status_code == 400
    assert "リクエストを処理できませんでした" in html and "Bad request" in html
    assert _in_layout(html)


@pytest.mark.urls(__name__)
def test_500(client, cast):
    client.raise_request_exception = False
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "エラーが発生しました" in html and "the server had a problem" in html
    assert _in_layout(html)
    assert "a bug" not in html and "Traceback" not in html


def test_the_500_page_needs_no_database_and_no_request():
    # No `db` fixture: any query would fail the test. Django renders 500.html with an
    # empty context, so nothing in it may depend on a context processor.
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "エラーが発生しました" in html and _in_layout(html)
