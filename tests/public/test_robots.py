"""robots.txt: the public site may be crawled; staff pages, personal links, the admin and
the login pages may not; it points at the sitemap."""

from __future__ import annotations


def test_robots_txt(client, cast):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    for prefix in ("/staff/", "/m/", "/u/", "/c/", "/admin/", "/accounts/"):
        assert f"Disallow: {prefix}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.get("/sitemap.xml").status_code == 200


def test_robots_txt_is_read_only(client, cast):
    assert client.post("/robots.txt").status_code == 405
