"""The static export: the public site as plain files with relative links.

It crawls the live public views from the top page, as a visitor would, so it holds
exactly what the public site shows and nothing else, and writes each page and file
under `root`: pages as `…/index.html`, downloads as `…/materials/7.pdf`. Links become
relative, so the folder works from disk and under any path of any web server. Writing
is incremental: a page is rewritten only when its bytes differ, a download only when it
comes from another stored file, and whatever the site no longer shows is deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from secretariat.publishing.models import PublishedFile

# Earlier exports kept their manifest inside the folder, where the ministry's web server
# would serve it (it names internal storage files); it is now kept in VAR_DIR and an old
# one is moved there on the next export.
LEGACY_MANIFEST = ".export-manifest.json"
CHUNK_SIZE = 1024 * 1024
_LINK = re.compile(r'(?P<attr>href|src)="(?P<url>/[^"#]*)(?P<fragment>#[^"]*)?"')


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    dangling: list[str] = field(default_factory=list)  # links to what the export lacks


@dataclass
class _Item:
    path: str  # the site path, /councils/pf/
    target: str  # the file under root, councils/pf/index.html
    body: bytes | None = None  # pages and feeds
    # Downloads: what identifies the bytes (a stored name never gets other content), and
    # how to read them, one file open at a time.
    source: str | None = None
    chunks: Callable[[], Iterator[bytes]] | None = None
    static: str | None = None  # a static file's path on disk


@dataclass(frozen=True)
class _Stored:
    name: str
    size: int
    extension: str


def _published_downloads() -> dict[str, _Stored]:
    """Site path → stored file of every public material, part and minutes, read with the
    same chokepoint as the download views (PublishedFile.objects.public) in one query
    instead of one view call per file."""
    rows = PublishedFile.objects.public(timezone.localdate()).select_related(
        "publication__session__platform"
    )
    downloads = {}
    for row in rows:
        args: list[object] = [row.publication.session.platform.slug, row.publication.session_id]
        if row.kind == PublishedFile.Kind.MINUTES:
            path = reverse("public:minutes", args=args)
        elif row.kind == PublishedFile.Kind.PART:
            path = reverse("public:material_part", args=[*args, row.material_id, row.part])
        else:
            path = reverse("public:material", args=[*args, row.material_id])
        downloads[path] = _Stored(row.file.name, row.size_bytes, row.extension)
    return downloads


class ExportFolderError(ValueError):
    pass


def manifest_path(root: Path) -> Path:
    """Where the manifest of the export in `root` is kept: in VAR_DIR, never beside or
    inside a folder that a web server may serve, one file per export folder."""
    resolved = root.resolve()
    key = hashlib.sha256(str(resolved).encode()).hexdigest()[:16]
    return Path(settings.VAR_DIR) / "exports" / "manifests" / f"{resolved.name}-{key}.json"


def export_site(root: Path, *, base_url: str, manifest_file: Path | None = None) -> ExportReport:
    """Write the public site under `root` (created if needed); return what changed.

    The folder must be empty or hold an earlier export: the manifest lists every file an
    export wrote, and only those are ever replaced or removed. It is kept outside the
    folder (`manifest_path`), so nothing but the public site is ever in it.
    """
    manifest_file = manifest_file or manifest_path(root)
    _move_legacy_manifest(root, manifest_file)
    manifest = _read_manifest(manifest_file)
    if manifest is None and root.exists() and any(root.iterdir()):
        raise ExportFolderError(
            f"書き出し先 {root} は空ではなく、以前の書き出し先でもありません。"
            "空のフォルダを指定してください。"
        )
    root.mkdir(parents=True, exist_ok=True)
    with translation.override("ja"):
        items = _crawl(base_url)
    report = ExportReport()
    targets = {item.path: item.target for item in items.values()}
    manifest = manifest or {}
    # Every file this export writes; downloads with what identifies their bytes.
    new_manifest = {item.target: item.source or "" for item in items.values()}
    for item in items.values():
        if item.body is not None:
            body = item.body
            if item.target.endswith(".html"):
                body = _relative_links(body, item.target, targets, report)
            _write_if_changed(root, item.target, body, report)
        elif item.source is not None:
            _copy_download(root, item, manifest, report)
        elif item.static is not None:
            _write_if_changed(root, item.target, Path(item.static).read_bytes(), report)
    _remove_stale(root, set(manifest) - set(new_manifest), report)
    _write_if_changed(manifest_file.parent, manifest_file.name, _manifest_bytes(new_manifest), None)
    return report


def _crawl(base_url: str) -> dict[str, _Item]:
    factory = RequestFactory()
    downloads = _published_downloads()
    queue = deque(["/"])
    items: dict[str, _Item] = {}
    seen = {"/"}
    while queue:
        path = queue.popleft()
        stored = downloads.get(path)
        item = _stored_item(path, stored) if stored else _fetch(factory, path, base_url)
        if item is None:
            continue
        items[path] = item
        if item.body is not None and item.target.endswith(".html"):
            for match in _LINK.finditer(item.body.decode()):
                url = match["url"]
                if url not in seen and _exportable(url):
                    seen.add(url)
                    queue.append(url)
    return items


def _exportable(url: str) -> bool:
    if url.startswith("/static/"):
        return True
    try:
        match = resolve(url)
    except Resolver404:
        return False
    return match.namespace == "public" and match.url_name not in ("gallery", "gallery_confirm")


def _stored_item(path: str, stored: _Stored) -> _Item:
    def chunks() -> Iterator[bytes]:
        with default_storage.open(stored.name, "rb") as source:
            yield from iter(lambda: source.read(CHUNK_SIZE), b"")

    target = f"{path.strip('/')}.{stored.extension}"
    return _Item(path, target, source=f"{stored.name}:{stored.size}", chunks=chunks)


def _fetch(factory: RequestFactory, path: str, base_url: str) -> _Item | None:
    if path.startswith("/static/"):
        found = finders.find(path.removeprefix("/static/"))
        return _Item(path, path.lstrip("/"), static=str(found)) if found else None
    request = factory.get(path)
    request.user = AnonymousUser()
    request.static_export = True  # type: ignore[attr-defined]
    request.static_base_url = base_url  # type: ignore[attr-defined]
    match = resolve(path)
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200:
        return None
    if isinstance(response, FileResponse):
        # Other downloads (bundles, reports): identified now, read again only if needed;
        # the file is closed at once, so none stays open while the crawl goes on. (Not
        # response.close(): that signals request_finished, which closes the database
        # connection, in the middle of a transaction when called from one.)
        _close_file(response)
        extension = posixpath.splitext(response.filename or "")[1].lower() or ".bin"
        source = f"{response.file_to_stream.name}:{response['Content-Length']}"  # type: ignore[union-attr]

        def chunks() -> Iterator[bytes]:
            again = match.func(request, *match.args, **match.kwargs)
            try:
                yield from again.streaming_content
            finally:
                _close_file(again)

        return _Item(path, path.strip("/") + extension, source=source, chunks=chunks)
    assert isinstance(response, HttpResponse) and not isinstance(response, StreamingHttpResponse)
    target = path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/")
    return _Item(path, target, body=response.content)


def _close_file(response: FileResponse) -> None:
    if response.file_to_stream is not None:
        response.file_to_stream.close()


def _relative_links(body: bytes, page: str, targets: dict[str, str], report: ExportReport) -> bytes:
    here = posixpath.dirname(page) or "."

    def relative(match: re.Match[str]) -> str:
        target = targets.get(match["url"])
        if target is None:
            report.dangling.append(f"{page}: {match['url']}")
            link = "#"
        else:
            link = posixpath.relpath(target, here)
        return f'{match["attr"]}="{link}{match["fragment"] or ""}"'

    return _LINK.sub(relative, body.decode()).encode()


def _write_if_changed(root: Path, target: str, body: bytes, report: ExportReport | None) -> None:
    path = root / target
    if path.is_file() and path.stat().st_size == len(body) and path.read_bytes() == body:
        if report is not None:
            report.unchanged += 1
        return
    _replace(path, lambda out: out.write(body))
    if report is not None:
        report.written.append(target)


def _copy_download(root: Path, item: _Item, manifest: dict[str, str], report: ExportReport) -> None:
    """Copy a download unless the same stored file is there already."""
    path = root / item.target
    if manifest.get(item.target) == item.source and path.is_file():
        report.unchanged += 1
        return
    assert item.chunks is not None
    chunks = item.chunks

    def copy(out: BinaryIO) -> None:
        for chunk in chunks():
            out.write(chunk)

    _replace(path, copy)
    report.written.append(item.target)


def _replace(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _remove_stale(root: Path, stale: set[str], report: ExportReport) -> None:
    """Remove what an earlier export wrote and this one did not, and the folders that
    leaves empty; nothing else in the folder is touched."""
    for relative in sorted(stale):
        path = root / relative
        if path.is_file():
            path.unlink()
            report.removed.append(relative)
        for folder in path.parents:
            if folder == root or not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()


def _read_manifest(path: Path) -> dict[str, str] | None:
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError):
        return None


def _move_legacy_manifest(root: Path, manifest_file: Path) -> None:
    """Move an in-folder manifest of an earlier version out of the folder, so that the
    export stays incremental and the folder holds only the public site."""
    legacy = root / LEGACY_MANIFEST
    if not legacy.is_file():
        return
    manifest = _read_manifest(legacy)
    if manifest is not None and not manifest_file.exists():
        _write_if_changed(manifest_file.parent, manifest_file.name, _manifest_bytes(manifest), None)
    legacy.unlink()


def _manifest_bytes(manifest: dict[str, str]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=0, sort_keys=True).encode()


__all__ = ["ExportFolderError", "ExportReport", "export_site", "manifest_path"]
