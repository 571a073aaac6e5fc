from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.forms import Form


class GalleryForm(Form):
    name = forms.CharField(label=_("氏名"), max_length=100)
    organisation = forms.CharField(label=_("所属（任意）"), max_length=200, required=False)
    email = forms.EmailField(label=_("メールアドレス"), help_text=_("受付の確認メールを送ります。"))
    agree = forms.BooleanField(
        label=_("個人情報は受付のためにのみ使い、会議の後に削除されることに同意します。")
    )
