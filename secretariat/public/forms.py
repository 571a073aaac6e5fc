from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.forms import Form
from secretariat.validators import validate_plain_text


class GalleryForm(Form):
    # The name goes into an email from the ministry's address: plain text only.
    name = forms.CharField(label=_("氏名"), max_length=100, validators=[validate_plain_text])
    organisation = forms.CharField(
        label=_("所属（任意）"), max_length=200, required=False, validators=[validate_plain_text]
    )
    email = forms.EmailField(
        label=_("メールアドレス"),
        help_text=_("確認のメールを送ります。メールのリンクを開くと、申込みが確定します。"),
    )
    agree = forms.BooleanField(
        label=_("個人情報は受付のためにのみ使い、会議の後に削除されることに同意します。")
    )
