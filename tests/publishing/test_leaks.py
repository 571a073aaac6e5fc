"""The security walk over everything publishing exposes: every URL of the live public
site, every file of the static export and every entry of every bundle (Word files opened
too). No draft, members-only or secretariat-only material, no unapproved minutes, no
address and no reply may appear — also after a public material is made members-only and
the session republished, and no agenda item, presenter or venue changed after the last
publication."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import timezone

from documents.models import Material
from secretariat.meetings.models import Invitation, Presenter, Session
from secretariat.minutes.models import Minutes
from secretariat.publishing.actions import take_down
from secretariat.publishing.models import Publication
from secretariat.publishing.static_site import export_site
from tests import factories as f
from tests.public.test_no_leaks import crawl
from tests.publishing import approve_minutes

SECRETS = [
    "未承認の議事要旨マーカー",
    "委員限りの資料",
    "非公開の資料",
    "後日公開の資料",
    "開催前の資料",
    "あとで委員限りにした資料",
    "takeyama@example.jp",
    "@example",
    "代理花子",
    "私的な事情により",
    "公開後に追加した議事",
    "公開後に追加した説明者",
    "公開後に変えた会場",
    "公開停止した資料",
]


def _texts(name: str, body: bytes) -> list[tuple[str, bytes]]:
    """A file and, for a ZIP (bundles, Word, Excel), every entry inside it, recursively."""
    found = [(name, body)]
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for entry in archive.namelist():
                found += [(f"{name}!{entry}", entry.encode())]
                found += _texts(f"{name}!{entry}", archive.read(entry))
    return found


@pytest.fixture
def world(cast, django_capture_on_commit_callbacks):
    """第1回 fully published twice (a public material made members-only between the two),
    a held session with unapproved minutes published with its materials only, and a
    scheduled session with a material but no publication."""
    turned = f.make_material(
        cast.published, label="資料5", title="あとで委員限りにした資料", order=5
    )
    approve_minutes(cast.published, cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        first = f.publish(cast.published, kind=Publication.Kind.FULL)
    first.refresh_from_db()
    with first.bundle.open("rb") as stored:  # it holds 資料5
        old_bundle = stored.read()
    turned.access = Material.Access.MEMBERS_ONLY
    turned.reason = Material.Reason.DELIBERATION
    turned.save()
    with django_capture_on_commit_callbacks(execute=True):
        f.publish(cast.published, kind=Publication.Kind.FULL)
    # Edits after the last publication: not public until published again.
    item = f.make_agenda_item(cast.published, "公開後に追加した議事")
    Presenter.objects.create(agenda_item=item, name="公開後に追加した説明者")
    cast.published.venue_name = "公開後に変えた会場"
    cast.published.save()

    held = f.make_session(cast.platform, status=Session.Status.HELD, date=cast.published.date)
    f.make_material(held, label="資料1", title="第3回の公開資料")
    stopped = f.make_material(held, label="資料2", title="公開停止した資料", order=2)
    Minutes.objects.create(session=held, summary="未承認の議事要旨マーカー")
    with django_capture_on_commit_callbacks(execute=True):
        publication = f.publish(held)
        take_down(
            published_file=publication.files.get(material=stopped),
            reason="誤って公開した",
            by=cast.clerk,
            now=timezone.now(),
        )

    scheduled = f.make_session(cast.platform, status=Session.Status.SCHEDULED)
    f.make_material(scheduled, title="開催前の資料")
    invitation = Invitation.objects.create(session=scheduled, membership=cast.member)
    invitation.record_reply(
        reply=Invitation.Reply.PROXY,
        proxy_name="代理花子",
        proxy_title="秘書官",
        comment="私的な事情により",
        now=timezone.now(),
    )
    first.refresh_from_db()
    return {
        "turned": turned,
        "first": first,
        "held": held,
        "old_bundle": old_bundle,
        "stopped": stopped,
    }


def _private_files(cast, world) -> set[bytes]:
    private = set()
    for material in Material.objects.exclude(access=Material.Access.PUBLIC):
        with material.file.open("rb") as stored:
            private.add(stored.read())
    private.add(world["old_bundle"])
    with world["stopped"].file.open("rb") as stored:
        private.add(stored.read())
    return private


def _assert_clean(files: dict[str, bytes], private: set[bytes]) -> None:
    for name, body in files.items():
        assert body not in private, name
        for inner, content in _texts(name, body):
            text = content.decode("utf-8", errors="replace")
            for secret in SECRETS:
                assert secret not in text, (inner, secret)


def test_the_live_site_and_its_bundles_show_nothing_private(client, cast, world):
    pages = crawl(client)
    bundles = [url for url in pages if url.endswith("/bundle/")]
    assert len(bundles) == 2  # 第1回 (current revision) and 第3回
    # The earlier revision's bundle has left storage.
    assert world["first"].bundle_status == Publication.BundleStatus.NONE
    assert not world["first"].bundle
    _assert_clean(pages, _private_files(cast, world))
    # The current bundle holds the approved minutes (a Word file) and the public material.
    current = pages[f"/councils/pf/meetings/{cast.published.pk}/bundle/"]
    names = zipfile.ZipFile(io.BytesIO(current)).namelist()
    assert any(name.endswith(".docx") for name in names)
    assert any("公開資料" in name for name in names)


def test_the_static_export_shows_nothing_private(tmp_path, cast, world):
    root = tmp_path / "site"
    report = export_site(root, base_url="https://www.example.go.jp")
    assert report.dangling == []
    files = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }
    assert sum(name.endswith("bundle.zip") for name in files) == 2
    _assert_clean(files, _private_files(cast, world))


def test_no_bundle_of_an_earlier_revision_is_served(client, cast, world):
    page = client.get(f"/councils/pf/meetings/{cast.published.pk}/").content.decode()
    assert "資料一括ダウンロード(ZIP形式:" in page
    response = client.get(f"/councils/pf/meetings/{cast.published.pk}/bundle/")
    body = b"".join(response.streaming_content)
    assert body != world["old_bundle"]
    assert "あとで委員限りにした資料" not in "".join(zipfile.ZipFile(io.BytesIO(body)).namelist())
