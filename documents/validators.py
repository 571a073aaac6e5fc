"""Checks on uploaded files: the type comes from the content, never from the name."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from exports.fileinfo import format_name, size_label

# Extension → the extensions the content may be detected as (JPEG has two spellings).
ALLOWED = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "doc": {"doc"},
    "xls": {"xls"},
    "ppt": {"ppt"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
    "gif": {"gif"},
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME_LENGTH = 150


def clean_filename(name: str) -> str:
    """The name shown and offered for download: no folders, no control characters, NFC."""
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = _CONTROL.sub("", unicodedata.normalize("NFC", name)).strip().strip(".")
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
    detected = filetype.guess_extension(head)
    if detected not in ALLOWED[extension]:
        raise ValidationError(
            _("ファイルの中身が名前（%(format)s形式）と一致しません。")
            % {"format": format_name(extension)},
            code="content_mismatch",
        )
    return "jpg" if extension == "jpeg" else extension
