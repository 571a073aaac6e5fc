from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.forms import Form
from secretariat.publishing.models import Publication


class PublishForm(Form):
    kind = forms.ChoiceField(
        label=_("公開の内容"), choices=Publication.Kind.choices, widget=forms.RadioSelect
    )
    # The revision the user looked at: a publication made meanwhile refuses this one.
    based_on = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
