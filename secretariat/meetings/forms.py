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


AgendaFormSet = inlineformset_factory(
    Session,
    AgendaItem,
    fields=["order", "title"],
    extra=3,
    can_delete=True,
)
