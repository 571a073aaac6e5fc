from django.urls import reverse

from documents.models import Material


def _url(material):
    return reverse("documents:material_delete", args=[material.pk])


def test_deletes_the_material(client, cast):
    client.force_login(cast.clerk)
    response = client.post(_url(cast.members_only))
    assert response.status_code == 302
    assert response.url == reverse("meetings:session", args=[cast.published.pk])
    assert not Material.objects.filter(pk=cast.members_only.pk).exists()
    # Only that one.
    assert set(cast.published.materials.values_list("pk", flat=True)) == {
        cast.public_material.pk,
        cast.not_public.pk,
        cast.public_later.pk,
    }
    page = client.get(response.url).content.decode()
    assert "資料を削除しました。" in page
    assert "委員限りの資料" not in page


def test_get_does_not_delete(client, cast):
    client.force_login(cast.clerk)
    assert client.get(_url(cast.members_only)).status_code == 405
    assert Material.objects.filter(pk=cast.members_only.pk).exists()


def test_unknown_material_is_404(client, cast):
    client.force_login(cast.admin)
    assert client.post(reverse("documents:material_delete", args=[999999])).status_code == 404


def test_superuser_can_delete(client, cast):
    client.force_login(cast.admin)
    assert client.post(_url(cast.draft_material)).status_code == 302
    assert not Material.objects.filter(pk=cast.draft_material.pk).exists()


def test_viewer_is_forbidden(client, cast):
    client.force_login(cast.viewer)
    assert client.post(_url(cast.members_only)).status_code == 403
    assert Material.objects.filter(pk=cast.members_only.pk).exists()


def test_other_platforms_staff_get_404(client, cast):
    client.force_login(cast.other_clerk)
    assert client.post(_url(cast.members_only)).status_code == 404
    assert Material.objects.filter(pk=cast.members_only.pk).exists()


def test_anonymous_is_sent_to_login(client, cast):
    response = client.post(_url(cast.members_only))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={_url(cast.members_only)}"
    assert Material.objects.filter(pk=cast.members_only.pk).exists()


def test_the_file_leaves_storage_once_the_delete_is_committed(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    storage, name = cast.not_public.file.storage, cast.not_public.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(cast.not_public))
    assert not storage.exists(name)
