"""Checks on uploaded files: the type comes from the content, never from the name."""

from __future__ import annotations

import lzma
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from exports.fileinfo import format_name, size_label
from exports.text import strip_format_controls

# Extension → the extensions the content may be detected as (JPEG has two spellings).
ALLOWED = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
    "gif": {"gif"},
}
# Old-format Office files are OLE2 compound files: anything inside them, VBA macros
# included, is opaque to a check on their first bytes, and everyone who downloads a
# material opens it. They are refused by name and, renamed, by this signature; so are the
# macro-enabled OOXML formats. The README says what is accepted.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LEGACY_OFFICE = frozenset({"doc", "dot", "xls", "xlt", "xla", "ppt", "pot", "pps", "ppa"})
MACRO_OFFICE = frozenset(
    {"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam", "sldm"}
)
# What a macro-enabled document declares in [Content_Types].xml or carries as a part
# (VBA projects, Excel 4.0 macro sheets), whatever the file is called. Lower case.
_MACRO_MARKERS = (b"macroenabled", b"vbaproject", b"vbadata", b"macrosheet")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME_LENGTH = 150

# Word, Excel and PowerPoint files are ZIPs, opened by everyone who downloads them: refuse
# decompression bombs and archives no Office application would write (notes §5.3).
OFFICE_ZIPS = frozenset({"docx", "xlsx", "pptx"})
MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 100
# Ratios say little about small parts: a blank 1,000-row table in a python-docx document is
# a 420KB document.xml deflated 115:1. Below this size only the total counts.
RATIO_FLOOR_BYTES = 1024 * 1024
_DEFAULT_MAX_UNCOMPRESSED = 200 * 1024 * 1024
# zipfile builds every ZipInfo of the central directory before we can count them; a 100MB
# upload of empty entries would be millions. Office writes well under 1KB per entry.
_MAX_CENTRAL_DIRECTORY_BYTES = MAX_ZIP_ENTRIES * 1024
_READ_CHUNK = 64 * 1024
_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
# What zipfile and the decompressors raise on damaged or hostile input.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    EOFError,
    OSError,
    RuntimeError,  # an encrypted entry
    NotImplementedError,  # an unknown compression method
    ValueError,  # includes a name flagged UTF-8 that is not
)


def clean_filename(name: str) -> str:
    """The name shown and offered for download: no folders, no control or bidi format
    characters (「資料\u202efdp.exe」 would read 「資料exe.pdf」), NFC."""
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = strip_format_controls(_CONTROL.sub("", unicodedata.normalize("NFC", name)))
    name = name.strip().strip(".")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if len(name) > MAX_NAME_LENGTH:
        stem = stem[: MAX_NAME_LENGTH - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem


def validate_upload(upload: UploadedFile) -> str:
    """Return the file's extension after checking its name, size and content."""
    name = clean_filename(upload.name or "")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension in LEGACY_OFFICE:
        raise _legacy_office()
    if extension in MACRO_OFFICE:
        raise _macro_office()
    if not name or extension not in ALLOWED:
        raise ValidationError(
            _("この種類のファイルは登録できません（PDF、Word、Excel、PowerPoint、画像のみ）。"),
            code="unsupported",
        )
    if not upload.size:
        raise ValidationError(_("ファイルが空です。"), code="empty")
    if upload.size > settings.MATERIAL_MAX_BYTES:
        raise ValidationError(
            _("ファイルが大きすぎます（上限 %(limit)s）。")
            % {"limit": size_label(settings.MATERIAL_MAX_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(OLE2_SIGNATURE):
        raise _legacy_office()  # a .doc renamed .docx (or .pdf) is still a .doc
    detected = filetype.guess_extension(head)
    if detected not in ALLOWED[extension]:
        raise ValidationError(
            _("ファイルの中身が名前（%(format)s形式）と一致しません。")
            % {"format": format_name(extension)},
            code="content_mismatch",
        )
    if extension in OFFICE_ZIPS:
        try:
            check_office_zip(upload, extension)
        finally:
            upload.seek(0)
    return "jpg" if extension == "jpeg" else extension


def _legacy_office() -> ValidationError:
    return ValidationError(
        _(
            "旧形式のOfficeファイル（.doc、.xls、.ppt）はマクロを含むことがあるため、"
            "登録できません。PDFか、現在の形式（.docx、.xlsx、.pptx）で保存し直して"
            "から登録してください。"
        ),
        code="legacy_office",
    )


def _macro_office() -> ValidationError:
    return ValidationError(
        _(
            "マクロを含むOfficeファイル（.docm、.xlsm、.pptmなど）は登録できません。"
            "PDFか、マクロを含まない形式（.docx、.xlsx、.pptx）で保存し直してから"
            "登録してください。"
        ),
        code="macro",
    )


def check_office_zip(file: IO[bytes], extension: str) -> None:
    """Refuse a ZIP-based Office file that is damaged or would unpack to too much.

    Sizes come from the central directory, and then every entry is read through (nothing is
    extracted), so CRCs are checked and every size is confirmed, neither more nor less than
    its header says; reading stops as soon as the total passes the limit. Codes: "broken"
    for what is not a sound ZIP or holds absolute or ../ names, "bomb" for too many entries,
    too much data or too high a compression ratio, "macro" for a macro-enabled document
    under a .docx/.xlsx/.pptx name (a VBA project or macro sheet among its parts, or a
    macro-enabled content type declared).
    """
    limit = getattr(settings, "MATERIAL_MAX_UNCOMPRESSED_BYTES", _DEFAULT_MAX_UNCOMPRESSED)
    broken = ValidationError(
        _("%(format)s形式のファイルとして読み取れません。ファイルが壊れている可能性があります。")
        % {"format": format_name(extension)},
        code="broken",
    )
    too_large = ValidationError(
        _("展開後の大きさが上限（%(limit)s）を超えるため、登録できません。")
        % {"limit": size_label(limit)},
        code="bomb",
    )
    too_many = ValidationError(
        _("ファイル内の項目が多すぎるため、登録できません（上限 %(limit)s 件）。")
        % {"limit": f"{MAX_ZIP_ENTRIES:,}"},
        code="bomb",
    )
    try:
        directory_size = _central_directory_size(file)
        if directory_size is not None and directory_size > _MAX_CENTRAL_DIRECTORY_BYTES:
            raise too_many
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise too_many
            if any(_unsafe_member_name(entry.filename) for entry in entries):
                raise ValidationError(
                    _(
                        "ファイル内に不正な名前（絶対パスや「..」を含むもの）の項目があるため、"
                        "登録できません。"
                    ),
                    code="broken",
                )
            if sum(entry.file_size for entry in entries) > limit:
                raise too_large
            if any(
                entry.file_size > RATIO_FLOOR_BYTES
                and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
                for entry in entries
            ):
                raise ValidationError(
                    _(
                        "圧縮率が異常に高い項目があり、展開すると極端に大きくなるため、"
                        "登録できません。"
                    ),
                    code="bomb",
                )
            if any(_is_macro_part(entry.filename) for entry in entries):
                raise _macro_office()
            total = 0
            for entry in entries:
                start = total
                content_types = entry.filename.lower() == "[content_types].xml"
                window = b""
                with archive.open(entry) as member:
                    while chunk := member.read(_READ_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise too_large
                        if content_types:
                            # A marker may straddle two chunks: keep a short tail.
                            window = window[-32:] + chunk.lower()
                            if any(marker in window for marker in _MACRO_MARKERS):
                                raise _macro_office()
                # zipfile stops at the header's size and checks the CRC of what it read,
                # but a stream that ends early, CRC intact, would go unnoticed.
                if total - start != entry.file_size:
                    raise broken
    except _ZIP_ERRORS as error:
        raise broken from error


def _is_macro_part(name: str) -> bool:
    """word/vbaProject.bin, xl/macrosheets/…: parts only a macro-enabled document has."""
    lowered = name.lower()
    return any(marker.decode() in lowered for marker in _MACRO_MARKERS)


def _unsafe_member_name(name: str) -> bool:
    """The zip-slip shapes: absolute, a drive, or a ".." step, with either separator."""
    parts = re.split(r"[\\/]", name)
    return name.startswith(("/", "\\")) or bool(re.match(r"[A-Za-z]:", name)) or ".." in parts


def _central_directory_size(file: IO[bytes]) -> int | None:
    """The size the end record gives the central directory, read as zipfile will read it.

    None when there is no end record; zipfile then refuses the file itself.
    """
    file.seek(0, os.SEEK_END)
    end = file.tell()
    start = max(0, end - _EOCD.size - 0xFFFF)  # the record, then a comment of up to 64KB
    file.seek(start)
    tail = file.read(end - start)
    at = tail.rfind(b"PK\x05\x06", 0, max(0, len(tail) - _EOCD.size + 4))
    if at < 0:
        return None
    size: int = _EOCD.unpack_from(tail, at)[5]
    # A Zip64 locator right before the record points zipfile at the Zip64 record before it.
    locator_at = start + at - _ZIP64_LOCATOR.size
    record_at = locator_at - _ZIP64_EOCD.size
    if record_at >= 0:
        file.seek(record_at)
        data = file.read(_ZIP64_EOCD.size + _ZIP64_LOCATOR.size)
        if data[_ZIP64_EOCD.size :].startswith(b"PK\x06\x07") and data.startswith(b"PK\x06\x06"):
            size = _ZIP64_EOCD.unpack_from(data)[8]
    return size
