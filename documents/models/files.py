"""Files kept under random storage names, with the names and sizes users see."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from documents.validators import clean_filename, validate_upload
from exports.fileinfo import download_annotation
from secretariat.downloads import open_stored


def storage_name(instance: StoredFile, filename: str) -> str:
    # Never a user's file name on disk: a random name with the checked extension.
    return f"{instance.storage_folder}/{uuid.uuid4().hex}.{instance.extension}"


class StoredFile(models.Model):
    """A file kept under a random storage name, with the name users see and its size."""

    storage_folder = "files"

    file = models.FileField(_("ファイル"), upload_to=storage_name, max_length=200)
    original_name = models.CharField(_("ファイル名"), max_length=200)
    extension = models.CharField(_("形式"), max_length=10)
    size_bytes = models.PositiveBigIntegerField(_("サイズ（バイト）"))

    class Meta:
        abstract = True

    def attach(self, upload: UploadedFile) -> None:
        """Check an upload and take it as this object's file (saved with the object)."""
        self.extension = validate_upload(upload)
        self.original_name = clean_filename(upload.name or "")
        self.size_bytes = upload.size or 0
        self.file = upload

    def download_response(self, *, cache_control: str) -> FileResponse:
        """The file for a visitor: PDFs and images open in the browser, Office files
        download; both keep the Japanese file name (RFC 6266 filename*)."""
        inline = self.extension in ("pdf", "jpg", "png", "gif")
        response = FileResponse(
            open_stored(self.file), as_attachment=not inline, filename=self.original_name
        )
        response["Cache-Control"] = cache_control
        return response

    @property
    def annotation(self) -> str:
        return download_annotation(self.extension, self.size_bytes)
