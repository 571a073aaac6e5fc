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


class TakedownForm(Form):
    reason = forms.CharField(
        label=_("公開停止の理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("公開停止の理由を入力してください。")},
        help_text=_("履歴に残ります。例: 個人の連絡先が載ったファイルを誤って公開した。"),
    )
