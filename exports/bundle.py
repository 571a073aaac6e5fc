"""ZIP bundles of a session's materials (「資料一式」), written to a stream the caller gives.

Spec: shared/notes/library-pitfalls.md §5. The stdlib writes the archive: entries are
stored, not deflated (PDFs are compressed already), and copied in chunks, so memory stays
flat however large the materials are. Names are made safe for Windows, macOS and Linux
here, and every byte depends only on the inputs: the same materials, folder, title and
stamp give the same archive.

The caller's part, in a background task::

    fd, tmp = tempfile.mkstemp(dir=final.parent, suffix=".zip.part")
    try:
        with os.fdopen(fd, "wb") as out:
            write_bundle(members, out, folder=..., index_title=..., stamp=...)
        os.replace(tmp, final)  # only a finished bundle ever has the final name
    except BaseException:
        os.unlink(tmp)
        raise
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO
from zoneinfo import ZoneInfo

from exports.fileinfo import download_annotation
from exports.text import strip_format_controls

__all__ = ["INDEX_NAME", "BundleError", "BundleMember", "write_bundle"]

INDEX_NAME = "00_一覧.txt"
CHUNK_SIZE = 1024 * 1024

# Limits per path component, in UTF-16 code units (what Windows counts towards its 260-
# character MAX_PATH) and in UTF-8 bytes (ext4 and most Linux file systems allow 255 per
# name, and a kanji takes 3). The whole entry name stays under 145 units, leaving more
# than 110 for wherever the user extracts it (C:\Users\…\Downloads\…).
_FOLDER_MAX = (60, 180)
_FILE_MAX = (80, 240)

_TOKYO = ZoneInfo("Asia/Tokyo")

# Characters Windows refuses in names become their full-width forms, which it accepts and
# which keep the title readable: 「令和6年度/7年度」 → 「令和6年度／7年度」.
_WINDOWS_INVALID = str.maketrans(
    {
        "\\": "＼",
        "/": "／",
        ":": "：",
        "*": "＊",
        "?": "？",
        '"': "＂",
        "<": "＜",
        ">": "＞",
        "|": "｜",
    }
)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")  # C0, DEL and C1: a run becomes one space
# A lone surrogate cannot be encoded as UTF-8 at all.
_SURROGATES = re.compile("[\ud800-\udfff]")
_NOT_EXTENSION = re.compile(r"[^0-9a-z]")
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in "123456789¹²³"]
)
# A regular file, rw-r--r--, whatever system builds the bundle (zipfile would otherwise
# record the build machine's OS and no permissions, and unzip would extract mode 000).
_UNIX_FILE = 0o100644 << 16
_UNIX = 3


class BundleError(Exception):
    """A member could not be read or was not the size it claimed. Nothing usable was written."""


@dataclass(frozen=True)
class BundleMember:
    label: str  # 資料1 / 参考資料2; may be empty
    title: str  # 議事次第
    extension: str  # pdf / docx (with or without the dot, any case)
    size: int  # bytes, as stored: written in the index and checked against what is read
    open: Callable[[], BinaryIO]  # e.g. partial(storage.open, name, "rb")


def write_bundle(
    members: Sequence[BundleMember],
    out: BinaryIO,
    *,
    folder: str,
    index_title: str,
    stamp: datetime,
) -> None:
    """Write a ZIP of `members`, in the given order, to `out` (which is left open).

    Entries are 「{folder}/00_一覧.txt」, the index (UTF-8 with BOM and CRLF, for Notepad),
    then 「{folder}/{NN}_{label}_{title}.{ext}」 for each member, NN counting from 01. Names
    are NFC, free of characters Windows refuses, of control characters and of bidi
    overrides, not Windows device names, short enough to extract anywhere, and unique
    (the number sees to that). Every entry is dated `stamp` (aware) in Tokyo time, since
    ZIP dates have no zone and DOS time counts in two-second steps.

    Raises ValueError, before writing anything, for a naive stamp, one outside 1980-2107, an
    empty folder name, or a member with no extension or a negative size. Raises BundleError
    when a member cannot be opened or read, or is not `size` bytes. After any failure `out`
    holds no central directory, so it is not a ZIP that opens with members missing; when
    `out` is seekable it is also cut back to where it started. The caller still writes to a
    temporary name and renames only on success (see the module docstring).
    """
    date_time = _zip_date_time(stamp)
    top = _folder_name(folder)
    width = max(2, len(str(len(members))))
    names = [_file_name(f"{n:0{width}d}", m) for n, m in enumerate(members, start=1)]
    index = _index_text(index_title, members, names)

    sink = _Sink(out)
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
    try:
        archive.writestr(_entry(f"{top}/{INDEX_NAME}", date_time, len(index)), index)
        for member, name in zip(members, names, strict=True):
            try:
                _copy(archive, member, _entry(f"{top}/{name}", date_time, member.size))
            except Exception as error:
                raise BundleError(f"cannot add {name!r} to the bundle: {error}") from error
    except BaseException:
        # ZipFile.close() (and ZipFile.__del__, which calls it) would write a central
        # directory for the entries so far: a valid ZIP with members missing. Drop it.
        sink.discard()
        with contextlib.suppress(Exception):
            archive.close()
        sink.rewind()
        raise
    archive.close()


def _copy(archive: zipfile.ZipFile, member: BundleMember, info: zipfile.ZipInfo) -> None:
    copied = 0
    with member.open() as source, archive.open(info, "w") as target:
        while chunk := source.read(CHUNK_SIZE):
            copied += len(chunk)
            if copied > member.size:
                raise BundleError(f"more than the expected {member.size} bytes")
            target.write(chunk)
    if copied != member.size:
        raise BundleError(f"{copied} bytes read, {member.size} expected")


def _entry(name: str, date_time: tuple[int, int, int, int, int, int], size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = _UNIX
    info.external_attr = _UNIX_FILE
    # Known up front, so zipfile picks Zip64 for the rare member near 4 GiB before writing.
    info.file_size = size
    return info


def _zip_date_time(stamp: datetime) -> tuple[int, int, int, int, int, int]:
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("the bundle stamp must be an aware datetime")
    local = stamp.astimezone(_TOKYO)
    if not 1980 <= local.year <= 2107:
        raise ValueError(f"a ZIP cannot record dates outside 1980-2107: {stamp.isoformat()}")
    second = local.second - local.second % 2
    return (local.year, local.month, local.day, local.hour, local.minute, second)


def _folder_name(folder: str) -> str:
    # A leading dot would hide the folder on macOS and Linux, and "." or ".." are no names.
    name = _component(_clean(folder).lstrip(". "), *_FOLDER_MAX)
    if not name:
        raise ValueError(f"the bundle folder name is empty once cleaned: {folder!r}")
    return name


def _file_name(number: str, member: BundleMember) -> str:
    if member.size < 0:
        raise ValueError(f"member size must not be negative: {member.size}")
    extension = _NOT_EXTENSION.sub("", member.extension.strip().removeprefix(".").lower())[:10]
    if not extension:
        raise ValueError(f"member has no usable extension: {member.extension!r}")
    suffix = f".{extension}"
    stem = "_".join(part for part in (number, _clean(member.label), _clean(member.title)) if part)
    max_units, max_bytes = _FILE_MAX
    stem = _cut(stem, max_units - len(suffix), max_bytes - len(suffix))
    return _component(stem, *_FILE_MAX) + suffix


def _clean(text: str) -> str:
    return _one_line(text).translate(_WINDOWS_INVALID)


def _component(name: str, max_units: int, max_bytes: int) -> str:
    """Cut to the limits, drop what Windows drops at the end, and step around device names."""
    name = _trim(_cut(name, max_units, max_bytes))
    if name.split(".")[0].rstrip().upper() in _RESERVED:
        name = _trim(_cut(f"_{name}", max_units, max_bytes))
    return name


def _trim(name: str) -> str:
    # Windows silently strips trailing dots and spaces, so "資料." and "資料" would collide.
    while name != (trimmed := name.strip().rstrip(". ")):
        name = trimmed
    return name


def _cut(text: str, max_units: int, max_bytes: int) -> str:
    units = size = 0
    for end, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        size += len(char.encode())
        if units > max_units or size > max_bytes:
            return text[:end]
    return text


def _index_text(title: str, members: Sequence[BundleMember], names: Sequence[str]) -> bytes:
    lines = [_one_line(title), ""]
    for member, name in zip(members, names, strict=True):
        heading = "　".join(
            part for part in (_one_line(member.label), _one_line(member.title)) if part
        )
        lines += [
            f"{heading}({download_annotation(member.extension, member.size)})",
            f"　ファイル名:{name}",
            "",
        ]
    return "\r\n".join(lines).encode("utf-8-sig")


def _one_line(text: str) -> str:
    text = unicodedata.normalize("NFC", _SURROGATES.sub("\ufffd", text))
    return strip_format_controls(_CONTROLS.sub(" ", text)).strip()


class _Sink:
    """`out` as zipfile sees it, with a switch that drops every later write."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._open = True
        try:
            self._start: int | None = out.tell() if out.seekable() else None
        except (AttributeError, OSError):
            self._start = None

    def write(self, data: bytes, /) -> int:
        if self._open:
            return self._out.write(data)
        return len(data)

    def tell(self) -> int:
        return self._out.tell()

    def seek(self, offset: int, whence: int = 0, /) -> int:
        return self._out.seek(offset, whence)

    def seekable(self) -> bool:
        return self._start is not None

    def flush(self) -> None:
        if self._open:
            self._out.flush()

    def close(self) -> None:
        """zipfile never closes a stream it was given; `out` stays the caller's."""

    def discard(self) -> None:
        self._open = False

    def rewind(self) -> None:
        if self._start is not None:
            with contextlib.suppress(OSError):
                self._out.seek(self._start)
                self._out.truncate()
