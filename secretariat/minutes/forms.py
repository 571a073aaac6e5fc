from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from secretariat.council.models import Organisation, Platform
from secretariat.meetings.models import Session
from secretariat.minutes.models import FollowUp, speaker_label

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("概要（議事要旨の本文）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class StatementForm(forms.Form):
    agenda_item = forms.TypedChoiceField(
        label=_("議事"), required=False, coerce=int, empty_value=None
    )
    speaker = forms.TypedChoiceField(label=_("発言者"), coerce=int)
    text = forms.CharField(label=_("発言"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", "—")] + [
            (item.pk, item.title) for item in session.agenda_items.all()
        ]
        self.fields["speaker"].choices = [
            (a.pk, speaker_label(a))
            for a in session.attendances.select_related("invitation__membership__person")
        ]


StatementFormSet = formset_factory(StatementForm, extra=1, can_delete=True)


class TranscriptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    transcript = forms.CharField(
        label=_("発言録の貼り付け"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "1行に「発言者: 発言」。「# 議事名」でその議事へ。"
            "コロンのない行は直前の発言の続きです。"
        ),
    )


class ConfirmationRequestForm(forms.Form):
    deadline = forms.DateTimeField(label=_("確認の期限"), widget=DATETIME)


class ApprovalForm(forms.Form):
    override = forms.BooleanField(
        label=_("確認が済んでいない発言があるまま了解する"), required=False
    )
    note = forms.CharField(
        label=_("理由・記録"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["raised_at", "issue", "ministry", "status", "due", "note"]
        widgets = {
            "issue": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.platform = platform
        self.fields["raised_at"].queryset = platform.sessions.exclude(number=None)
        self.fields["ministry"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.MINISTRY
        )
