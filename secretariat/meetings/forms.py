from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory

from secretariat.meetings.models import AgendaItem, Session


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "kind",
            "topics",
            "status",
            "number",
            "date",
            "start_time",
            "end_time",
            "venue_name",
            "venue_address",
            "online",
        ]
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 3}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def _get_validation_exclusions(self) -> set[str]:
        # The view sets the platform, so Django would leave it out of model validation
        # and skip the per-platform 回数 constraint: a taken number would then fail on
        # save with an IntegrityError instead of showing 「この回数の会議はすでにあります。」.
        return super()._get_validation_exclusions() - {"platform"}


AgendaFormSet = inlineformset_factory(
    Session,
    AgendaItem,
    fields=["order", "title"],
    extra=3,
    can_delete=True,
)
