from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.actions import replace_file, replace_parts
from documents.models import Material
from documents.validators import validate_upload
from secretariat.forms import Form, ModelForm
from secretariat.meetings.models import Session


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class MaterialForm(ModelForm):
    upload = forms.FileField(label=_("ファイル"), required=False)
    parts = MultipleFileField(
        label=_("分割版"),
        required=False,
        help_text=_(
            "容量の大きいファイルを分けたもの（任意）。複数選べます。選ぶと今の分割版と置き換わります。"
        ),
    )

    class Meta:
        model = Material
        fields = [
            "auto_label",
            "label",
            "title",
            "agenda_item",
            "order",
            "access",
            "public_from",
            "reason",
            "reason_note",
        ]
        widgets = {
            "public_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reason_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.session = session
        self.fields["agenda_item"].queryset = session.agenda_items.all()
        if self.instance.pk is None:
            self.fields["upload"].required = True
        else:
            self.fields["upload"].help_text = _("差し替える場合のみ選んでください。")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("access") == Material.Access.PUBLIC:
            # A public material has no reason to withhold it: drop a stale one.
            data["reason"] = ""
            data["reason_note"] = ""
            data["public_from"] = None
        return data

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload:
            validate_upload(upload)
        return upload

    def clean_parts(self) -> list[Any]:
        parts = self.cleaned_data.get("parts") or []
        for part in parts:
            validate_upload(part)
        return parts

    @transaction.atomic
    def save(self, commit: bool = True) -> Material:
        upload = self.cleaned_data.get("upload")
        material = self.instance
        if upload and material.pk:
            replace_file(material=material, upload=upload, now=timezone.now())
        elif upload:
            material.attach(upload)
        material = super().save(commit)
        if self.cleaned_data.get("parts"):
            replace_parts(material=material, uploads=self.cleaned_data["parts"])
        return material


class PresenterUploadForm(Form):
    title = forms.CharField(
        label=_("資料名"), max_length=300, required=False, help_text=_("空欄なら「○○提出資料」")
    )
    upload = forms.FileField(
        label=_("ファイル（PDF、Word、Excel、PowerPoint）"),
        help_text=_(
            "Word・Excel・PowerPointは現在の形式（.docx、.xlsx、.pptx）でお送りください。"
            "旧形式（.doc、.xls、.ppt）とマクロを含むファイルは受け付けられません。"
        ),
    )
