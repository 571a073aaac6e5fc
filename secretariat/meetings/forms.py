from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from secretariat.forms import Form, ModelForm
from secretariat.meetings.models import (
    AgendaItem,
    Attendance,
    Invitation,
    Presenter,
    Session,
    SiteVisit,
    SiteVisitDay,
    SiteVisitStop,
    SlotAnswer,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(ModelForm):
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
            "reply_deadline",
            "gallery_capacity",
            "gallery_deadline",
        ]
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 3}),
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "reply_deadline": DATETIME,
            "gallery_deadline": DATETIME,
        }

    def clean_status(self) -> str:
        # 公開済み follows the publications: it is set and unset by publishing only.
        status = self.cleaned_data["status"]
        published = Session.Status.PUBLISHED
        if (status == published) != (self.instance.status == published):
            raise forms.ValidationError(_("公開と公開の取り下げは「公開」の画面で行ってください。"))
        return status

    def _get_validation_exclusions(self) -> set[str]:
        # The view sets the platform, so Django would leave it out of model validation
        # and skip the per-platform 回数 constraint: a taken number would then fail on
        # save with an IntegrityError instead of showing 「この回数の会議はすでにあります。」.
        return super()._get_validation_exclusions() - {"platform"}


AgendaFormSet = inlineformset_factory(
    Session,
    AgendaItem,
    form=ModelForm,
    fields=["order", "kind", "title", "minutes"],
    extra=3,
    can_delete=True,
)


class PresenterForm(ModelForm):
    class Meta:
        model = Presenter
        fields = [
            "agenda_item",
            "membership",
            "organisation",
            "name",
            "title",
            "email",
            "upload_deadline",
            "order",
        ]
        widgets = {"upload_deadline": DATETIME}
        help_texts = {
            "membership": _("構成員が説明する場合"),
            "organisation": _("府省庁が説明する場合（説明する職員の氏名・役職も入力）"),
            "name": _("有識者など構成員以外の方は、氏名と役職・所属を入力"),
        }

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = session.agenda_items.all()
        self.fields["membership"].queryset = session.platform.memberships.current(
            session.date
        ).select_related("person", "organisation")


class SiteVisitForm(ModelForm):
    class Meta:
        model = SiteVisit
        fields = ["summary", "reported_at"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        platform = self.instance.session.platform
        self.fields["reported_at"].queryset = (
            AgendaItem.objects.filter(session__platform=platform)
            .exclude(session=self.instance.session)
            .select_related("session")
        )
        self.fields["reported_at"].label_from_instance = lambda item: (
            f"{item.session.title} {item.title}"
        )


SiteVisitDayFormSet = inlineformset_factory(
    SiteVisit,
    SiteVisitDay,
    form=ModelForm,
    fields=["date"],
    extra=2,
    can_delete=True,
    widgets={"date": DATE},
)


class StopFormSetBase(BaseInlineFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # Only this visit's own days.
        form.fields["day"].queryset = self.instance.days.all()


SiteVisitStopFormSet = inlineformset_factory(
    SiteVisit,
    SiteVisitStop,
    form=ModelForm,
    formset=StopFormSetBase,
    fields=[
        "order",
        "day",
        "start_time",
        "end_time",
        "prefecture",
        "municipality",
        "host",
        "theme",
    ],
    extra=2,
    can_delete=True,
    widgets={"start_time": TIME, "end_time": TIME},
)


class StopReportForm(ModelForm):
    class Meta:
        model = SiteVisitStop
        fields = ["members", "secretariat", "findings"]
        widgets = {
            "members": forms.CheckboxSelectMultiple,
            "findings": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        platform = self.instance.site_visit.session.platform
        self.fields["members"].queryset = platform.memberships.filter(
            person__isnull=False
        ).select_related("person")


class PhotoForm(Form):
    image = forms.FileField(label=_("写真（JPEGまたはPNG）"))
    caption = forms.CharField(label=_("説明"), max_length=200, required=False)


class SlotForm(Form):
    date = forms.DateField(label=_("候補日"), widget=DATE)
    start_time = forms.TimeField(label=_("開始時刻"), widget=TIME)
    end_time = forms.TimeField(label=_("終了時刻"), widget=TIME)


class FixDateForm(Form):
    reply_deadline = forms.DateTimeField(label=_("出欠の回答期限"), required=False, widget=DATETIME)


class ReplyForm(Form):
    """出席 / 欠席 / 代理出席 / オンライン出席: the same form for members and staff."""

    reply = forms.ChoiceField(
        label=_("出欠"), choices=Invitation.Reply.choices, widget=forms.RadioSelect
    )
    proxy_name = forms.CharField(label=_("代理出席者の氏名"), max_length=100, required=False)
    proxy_title = forms.CharField(label=_("代理出席者の役職"), max_length=200, required=False)
    comment = forms.CharField(
        label=_("備考"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def for_invitation(cls, invitation: Invitation, data: Any = None) -> ReplyForm:
        initial = {
            "reply": invitation.reply,
            "proxy_name": invitation.proxy_name,
            "proxy_title": invitation.proxy_title,
            "comment": invitation.reply_comment,
        }
        return cls(data, initial=initial)


def slot_answer_fields(slots: Any, answers: dict[int, SlotAnswer]) -> list[dict[str, Any]]:
    """One row per slot for the poll form, prefilled with the member's earlier answers."""
    return [
        {
            "slot": slot,
            "answer": answers[slot.pk].answer if slot.pk in answers else "",
            "comment": answers[slot.pk].comment if slot.pk in answers else "",
        }
        for slot in slots
    ]


class CheckInForm(ModelForm):
    """Someone not on the invitation list: a presenter, the secretariat, a guest."""

    class Meta:
        model = Attendance
        fields = ["name", "title", "capacity"]
