from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.council.models import Membership, Person, Platform
from secretariat.forms import ModelForm


class PersonForm(ModelForm):
    """The person of a membership; left empty for a ministry taking part as itself."""

    class Meta:
        model = Person
        fields = [
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "title",
            "affiliation",
            "email",
            "phone",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def is_empty(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.Meta.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.is_empty():
            for name in ("family_name", "given_name", "family_name_kana", "given_name_kana"):
                if not data.get(name):
                    self.add_error(name, _("氏名とその読みは必須です。"))
        return data


class MembershipForm(ModelForm):
    class Meta:
        model = Membership
        fields = [
            "category",
            "organisation",
            "role",
            "themes",
            "start_date",
            "end_date",
            "order",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.platform = platform
        self.fields["category"].queryset = platform.categories.all()
        self.fields["themes"].queryset = platform.themes.all()
