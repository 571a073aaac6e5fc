from typing import Any

from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile

from documents.models import Deliverable, DeliverableFile, Material
from documents.validators import validate_upload
from secretariat.forms import ModelForm


class StoredFileForm(ModelForm):
    """Uploads through the admin get the same checks and bookkeeping as the staff screens."""

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            validate_upload(upload)
        return upload

    def save(self, commit: bool = True) -> Any:
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.instance.attach(upload)
        return super().save(commit)


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["display_title", "session", "access", "extension", "size_bytes"]
    list_filter = ["session__platform", "access"]
    readonly_fields = ["original_name", "extension", "size_bytes"]
    form = StoredFileForm


class DeliverableFileInline(admin.TabularInline):
    model = DeliverableFile
    extra = 0
    readonly_fields = ["original_name", "extension", "size_bytes"]
    form = StoredFileForm


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["__str__", "platform", "reported_on", "is_public"]
    inlines = [DeliverableFileInline]


@admin.register(DeliverableFile)
class DeliverableFileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "extension", "size_bytes"]
    readonly_fields = ["original_name", "extension", "size_bytes"]
    form = StoredFileForm
