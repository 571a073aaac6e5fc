from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.council.models import Organisation, Platform
from secretariat.forms import Form, ModelForm
from secretariat.meetings.models import Session
from secretariat.minutes.models import FollowUp, speaker_label

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PastedTextField(forms.CharField):
    """Text pasted from a PDF or Word: a NUL is dropped (PostgreSQL cannot store it),
    where CharField would refuse it with Django's Japanese message for it,
    「何か文字を入力してください。」, which no one could act on."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value.replace("\x00", "") if isinstance(value, str) else value)


class MinutesForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = PastedTextField(
        label=_("概要（議事要旨の本文）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class StatementForm(Form):
    # The statement a row edits (empty for a new one): rows are matched by it, not by
    # position, so deleting or inserting one leaves the others' confirmations and
    # correction proposals with the words they are about.
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    agenda_item = forms.TypedChoiceField(
        label=_("議事"), required=False, coerce=int, empty_value=None
    )
    # A blank first choice: a browser sends a select's first option, which would make the
    # empty row at the end look filled in and fail for want of text.
    speaker = forms.TypedChoiceField(label=_("発言者"), coerce=int, empty_value=None)
    text = PastedTextField(label=_("発言"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        agenda_items: list[tuple[int, str]],
        speakers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", "—"), *agenda_items]
        self.fields["speaker"].choices = [("", "—"), *speakers]


StatementFormSet = formset_factory(StatementForm, extra=1, can_delete=True)


def statement_choices(session: Session) -> dict[str, list[tuple[int, str]]]:
    """The `form_kwargs` of a StatementFormSet: the choices, read once for every row."""
    return {
        "agenda_items": [(item.pk, item.title) for item in session.agenda_items.all()],
        "speakers": [
            (a.pk, speaker_label(a))
            for a in session.attendances.select_related("invitation__membership__person")
        ],
    }


class TranscriptForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    transcript = PastedTextField(
        label=_("発言録の貼り付け"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "1行に「発言者: 発言」。「# 議事名」でその議事へ。"
            "コロンのない行は直前の発言の続きです。"
        ),
    )


class ConfirmationRequestForm(Form):
    deadline = forms.DateTimeField(label=_("確認の期限"), widget=DATETIME)

    def clean_deadline(self) -> datetime:
        # A past deadline would send links that are already closed.
        deadline: datetime = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("確認の期限は今より後の日時にしてください。"))
        return deadline


class ApprovalForm(Form):
    override = forms.BooleanField(
        label=_("確認が済んでいない発言があるまま了解する"), required=False
    )
    note = forms.CharField(
        label=_("理由・記録"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpForm(ModelForm):
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
        # Session.__str__ names the platform: read it with the sessions, not once each.
        self.fields["raised_at"].queryset = platform.sessions.exclude(number=None).select_related(
            "platform"
        )
        self.fields["ministry"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.MINISTRY
        )
