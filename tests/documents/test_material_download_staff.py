from urllib.parse import quote

from django.urls import reverse

from tests import factories as f


def _url(material):
    return reverse("documents:material_download", args=[material.pk])


def _download(client, material):
    response = client.get(_url(material))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_downloads_the_file_with_its_japanese_name(client, cast):
    client.force_login(cast.clerk)
    response, content = _download(client, cast.public_material)
    with cast.public_material.file.open("rb") as stored:
        assert content == stored.read()
    assert content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('資料1_公開資料.pdf')}" in disposition
    # Staff downloads must not sit in shared caches.
    assert response["Cache-Control"] == "private, no-store"


def test_file_name_with_spaces_and_quotes_survives(client, cast):
    name = '令和7年度 "検討" 資料.pdf'
    material = f.make_material(cast.draft, label="資料9", upload=f.pdf_upload(name))
    client.force_login(cast.clerk)
    response, _ = _download(client, material)
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]


def test_every_access_level_is_downloadable_by_the_platforms_staff(client, cast):
    materials = (
        cast.public_material,
        cast.members_only,
        cast.not_public,
        cast.public_later,
        cast.draft_material,
    )
    for user in (cast.clerk, cast.viewer, cast.admin):
        client.force_login(user)
        for material in materials:
            response, content = _download(client, material)
            assert content.startswith(b"%PDF"), (user, material)
            assert quote(material.original_name) in response["Content-Disposition"]


def test_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    for material in (cast.public_material, cast.members_only, cast.draft_material):
        assert client.get(_url(material)).status_code == 404


def test_unknown_material_is_404(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("documents:material_download", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(_url(cast.members_only))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={_url(cast.members_only)}"


def test_wrong_method(client, cast):
    client.force_login(cast.clerk)
    assert client.post(_url(cast.public_material)).status_code == 405
