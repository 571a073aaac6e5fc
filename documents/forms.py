from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import Material
from documents.validators import validate_upload
from secretariat.meetings.models import Session


class MaterialForm(forms.ModelForm):
    upload = forms.FileField(label=_("ファイル"), required=False)

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

    def save(self, commit: bool = True) -> Material:
        upload = self.cleaned_data.get("upload")
        if upload:
            self.instance.attach(upload)
        return super().save(commit)


class PresenterUploadForm(forms.Form):
    title = forms.CharField(
        label=_("資料名"), max_length=300, required=False, help_text=_("空欄なら「○○提出資料」")
    )
    upload = forms.FileField(label=_("ファイル（PDF、Word、Excel、PowerPoint）"))
