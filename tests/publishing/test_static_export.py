"""The static export: relative links, nothing dangling, identical re-exports, incremental
writes, and whatever the public site stops showing leaves the folder too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from documents.models import Material
from secretariat.publishing.static_site import LEGACY_MANIFEST, export_site, manifest_path
from tests import factories as f

SITE = "https://www.example.go.jp/kaigi"


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def site(tmp_path, cast) -> Path:
    root = tmp_path / "site"
    report = export_site(root, base_url=SITE)
    assert report.dangling == []
    return root


def test_exports_pages_and_public_files_with_relative_links(site, cast):
    files = _files(site)
    session = f"councils/pf/meetings/{cast.published.pk}"
    assert "index.html" in files
    assert "councils/pf/index.html" in files
    assert "councils/pf/meetings/index.html" in files
    assert f"{session}/index.html" in files
    assert f"{session}/materials/{cast.public_material.pk}.pdf" in files
    assert "councils/pf/feed.atom" in files and "councils/pf/calendar.ics" in files
    assert "static/css/site.css" in files
    page = files[f"{session}/index.html"].decode()
    links = re.findall(r'(?:href|src)="([^"]*)"', page)
    assert f"materials/{cast.public_material.pk}.pdf" in links
    assert "../../../../static/css/site.css" in links
    assert all(not link.startswith(("/", "http")) for link in links), links
    # Forms that need the live server are not in the export.
    assert "<form" not in page and "csrfmiddlewaretoken" not in page
    # Every relative link points at an exported file.
    for link in links:
        if link.startswith("#"):
            continue
        target = (site / Path(f"{session}/index.html").parent / link).resolve()
        assert target.is_file(), link


def test_feeds_use_the_sites_address(site):
    feed = (site / "councils/pf/feed.atom").read_text()
    assert f"{SITE}/councils/pf/meetings/" in feed
    assert "localhost" not in feed and "testserver" not in feed


def test_nothing_that_is_not_public_is_exported(site, cast):
    everything = b"".join(_files(site).values())
    for material in (cast.members_only, cast.not_public, cast.public_later, cast.draft_material):
        assert material.title.encode() not in everything
    # The held, unpublished session is announced, without materials.
    assert not list(site.rglob(f"councils/pf/meetings/{cast.draft.pk}/materials/*"))
    assert b"@example" not in everything


def test_exporting_twice_gives_identical_files_and_writes_nothing(site, cast):
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    contents = _files(site)
    report = export_site(site, base_url=SITE)
    assert report.written == [] and report.removed == []
    assert _files(site) == contents
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()} == before


def test_a_change_rewrites_only_what_changed(site, cast, tmp_path):
    other = f.make_session(cast.platform, number=3, date=cast.published.date)
    f.make_material(other, label="資料1", title="第3回の資料")
    f.publish(other)
    export_site(site, base_url=SITE)
    cast.public_material.title = "公開資料（修正）"
    cast.public_material.save()
    f.publish(cast.published)
    report = export_site(site, base_url=SITE)
    changed = set(report.written)
    assert f"councils/pf/meetings/{cast.published.pk}/index.html" in changed
    assert f"councils/pf/meetings/{other.pk}/index.html" not in changed
    assert not any(name.endswith(".pdf") for name in changed)  # the same stored files


def test_a_material_made_members_only_and_republished_leaves_the_export(site, cast):
    target = (
        site / f"councils/pf/meetings/{cast.published.pk}/materials/{cast.public_material.pk}.pdf"
    )
    assert target.is_file()
    cast.public_material.access = Material.Access.MEMBERS_ONLY
    cast.public_material.reason = Material.Reason.DELIBERATION
    cast.public_material.save()
    f.make_material(cast.published, label="資料5", title="残る資料", order=5)
    f.publish(cast.published)
    report = export_site(site, base_url=SITE)
    assert target.relative_to(site).as_posix() in report.removed
    assert not target.exists()
    assert "公開資料".encode() not in b"".join(_files(site).values())


def test_a_withdrawn_session_leaves_no_files(site, cast):
    f.publish(cast.published, kind="withdrawn")
    export_site(site, base_url=SITE)
    assert not list(site.rglob(f"councils/pf/meetings/{cast.published.pk}/materials/*"))


def test_the_command_writes_the_folder(tmp_path, cast, capsys):
    call_command("export_public_site", output=tmp_path / "out", base_url=SITE)
    assert (tmp_path / "out/councils/pf/index.html").is_file()
    assert "書き出し" in capsys.readouterr().out


def test_many_downloads_never_hold_many_files_open(tmp_path, cast):
    import os
    import resource

    session = f.make_session(cast.platform, number=3, date=cast.published.date)
    for n in range(1, 61):
        f.make_material(session, label=f"資料{n}", title=f"資料その{n}", order=n)
    f.publish(session)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    in_use = len(os.listdir("/proc/self/fd"))
    # Fewer descriptors left than the session has files: holding them all open would fail.
    resource.setrlimit(resource.RLIMIT_NOFILE, (in_use + 40, hard))
    try:
        report = export_site(tmp_path / "site", base_url=SITE)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert len(list((tmp_path / "site").rglob(f"meetings/{session.pk}/materials/*.pdf"))) == 60
    assert report.dangling == []


def test_a_folder_that_is_not_an_export_is_refused(tmp_path, cast):
    root = tmp_path / "www"
    root.mkdir()
    (root / "index.html").write_text("the ministry's own page")
    with pytest.raises(ValueError, match="空のフォルダを指定してください"):
        export_site(root, base_url=SITE)
    assert (root / "index.html").read_text() == "the ministry's own page"
    assert sorted(p.name for p in root.iterdir()) == ["index.html"]


def test_files_the_export_did_not_write_are_left_alone(site, cast):
    (site / "councils/pf/README.txt").write_text("added by the web team")
    export_site(site, base_url=SITE)
    assert (site / "councils/pf/README.txt").read_text() == "added by the web team"


def test_the_command_says_why_it_refuses_a_folder(tmp_path, cast):
    from django.core.management.base import CommandError

    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(CommandError, match="空のフォルダ"):
        call_command("export_public_site", output=tmp_path, base_url=SITE)


def test_the_manifest_is_kept_outside_the_folder(site, cast):
    # The folder goes to the ministry's web server: no manifest, no internal storage name.
    assert not (site / LEGACY_MANIFEST).exists()
    assert not any(p.name.endswith(".json") for p in site.rglob("*"))
    stored = cast.public_material.file.name.rsplit("/", 1)[-1]
    assert stored.encode() not in b"".join(_files(site).values())
    manifest = manifest_path(site)
    assert site not in manifest.parents and manifest.parent != site.parent
    assert stored in manifest.read_text()


def test_an_in_folder_manifest_of_an_earlier_export_is_moved_out(site, cast):
    # As an earlier version left it: the manifest inside the folder, none in VAR_DIR.
    manifest = manifest_path(site)
    (site / LEGACY_MANIFEST).write_bytes(manifest.read_bytes())
    manifest.unlink()
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    report = export_site(site, base_url=SITE)
    # Still incremental (the folder is recognised, nothing rewritten), and moved out.
    assert report.written == [] and report.removed == []
    assert not (site / LEGACY_MANIFEST).exists()
    assert manifest.is_file()
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()} == {
        p: t for p, t in before.items() if p.name != LEGACY_MANIFEST
    }
