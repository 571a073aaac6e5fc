"""The base forms (secretariat/forms.py): every form inherits them, and whatever anyone
types into a date, date-time, number or choice-by-id field, a form is either valid with a
value inside the product's bounds or invalid with an error on that field; never an
exception (a 500)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import BaseFormSet
from hypothesis import given
from hypothesis import strategies as st

from documents.forms import MaterialForm
from secretariat.council.forms import MembershipForm, PersonForm
from secretariat.forms import InputBoundsMixin
from secretariat.meetings import forms as meetings
from secretariat.meetings.models import Session, SiteVisit, SiteVisitStop
from secretariat.minutes import forms as minutes
from secretariat.publishing.forms import PublishForm
from secretariat.validators import DATE_MAX, DATE_MIN, DB_INT_MAX
from tests import factories as f
from tests.base import DATE_RANGE_ERROR
from tests.properties import PROPERTIES

FORM_MODULES = [
    "documents.admin",
    "documents.forms",
    "secretariat.council.forms",
    "secretariat.meetings.forms",
    "secretariat.minutes.forms",
    "secretariat.public.forms",
    "secretariat.publishing.forms",
]


def _project_forms() -> set[type]:
    """Every form class and every formset's form defined in the project's form modules."""
    found: set[type] = set()
    for name in FORM_MODULES:
        for value in vars(importlib.import_module(name)).values():
            if not isinstance(value, type):
                continue
            if issubclass(value, forms.BaseForm) and value.__module__ == name:
                found.add(value)
            elif issubclass(value, BaseFormSet) and hasattr(value, "form"):
                found.add(value.form)  # a factory's formset, and its factory-made form
    return found


def test_every_form_inherits_the_base_forms():
    forms_found = _project_forms()
    assert len(forms_found) > 15, "the walk found too few forms: the test is broken"
    assert [f for f in forms_found if not issubclass(f, InputBoundsMixin)] == []
    for formset in (
        meetings.AgendaFormSet,
        meetings.SiteVisitDayFormSet,
        meetings.SiteVisitStopFormSet,
        minutes.StatementFormSet,
    ):
        assert issubclass(formset.form, InputBoundsMixin), formset


# --- what is typed ---

_EDGE_DAYS = [date.min, date.max, DATE_MIN, DATE_MAX, DATE_MIN - timedelta(1)]
_EDGE_DAYS.append(DATE_MAX + timedelta(1))
DAYS = st.one_of(st.dates(), st.sampled_from(_EDGE_DAYS)).map(date.isoformat)
# As a datetime-local input sends them (no zone: the form reads them as Tokyo time).
MOMENTS = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
    st.sampled_from([f"{day.isoformat()}T{hh}" for day in _EDGE_DAYS for hh in ("00:00", "23:59")]),
)
_EDGE_NUMBERS = [0, -1, 1, 32767, 32768, 10**12, DB_INT_MAX, DB_INT_MAX + 1, -DB_INT_MAX - 2]
NUMBERS = st.one_of(st.integers(), st.sampled_from(_EDGE_NUMBERS)).map(str)
GARBAGE = st.text(max_size=12)


def _typed(field: forms.Field) -> st.SearchStrategy[str] | None:
    if isinstance(field, forms.DateTimeField):
        kind = MOMENTS
    elif isinstance(field, forms.DateField):
        kind = DAYS
    elif isinstance(field, forms.IntegerField | forms.ModelChoiceField) or (
        isinstance(field, forms.TypedChoiceField) and field.coerce is int
    ):
        kind = NUMBERS
    else:
        return None
    return st.one_of(kind, kind, GARBAGE)


# --- the forms, as their views build them ---


def _formset(formset_class: type, instance: Any) -> Callable[..., Any]:
    def build(data: dict[str, str] | None = None, **kwargs: Any) -> Any:
        prefix = formset_class.get_default_prefix()
        management = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}
        rows = {f"{prefix}-0-{key}": value for key, value in (data or {}).items()}
        return formset_class(management | rows if data is not None else None, instance=instance)

    return build


@pytest.fixture
def visit(cast):
    session = f.make_session(cast.platform, kind=Session.Kind.SITE_VISIT, number=None)
    return SiteVisit.objects.create(session=session)


def _builders(cast: Any, visit: SiteVisit) -> dict[str, Callable[..., Any]]:
    session = cast.published
    return {
        "SessionForm": lambda data=None: meetings.SessionForm(data, instance=cast.draft),
        "AgendaFormSet": _formset(meetings.AgendaFormSet, session),
        "PresenterForm": lambda data=None: meetings.PresenterForm(data, session=session),
        "SiteVisitForm": lambda data=None: meetings.SiteVisitForm(data, instance=visit),
        "SiteVisitDayFormSet": _formset(meetings.SiteVisitDayFormSet, visit),
        "SiteVisitStopFormSet": _formset(meetings.SiteVisitStopFormSet, visit),
        "StopReportForm": lambda data=None: meetings.StopReportForm(
            data, instance=SiteVisitStop(site_visit=visit)
        ),
        "SlotForm": meetings.SlotForm,
        "FixDateForm": meetings.FixDateForm,
        "MaterialForm": lambda data=None: MaterialForm(data, session=session),
        "MembershipForm": lambda data=None: MembershipForm(data, platform=cast.platform),
        "PersonForm": PersonForm,
        "MinutesForm": minutes.MinutesForm,
        "StatementForm": lambda data=None: minutes.StatementForm(
            data, agenda_items=[(1, "議事")], speakers=[(1, "発言者")]
        ),
        "TranscriptForm": minutes.TranscriptForm,
        "ConfirmationRequestForm": minutes.ConfirmationRequestForm,
        "FollowUpForm": lambda data=None: minutes.FollowUpForm(data, platform=cast.platform),
        "PublishForm": PublishForm,
    }


NAMES = sorted(
    [
        "SessionForm",
        "AgendaFormSet",
        "PresenterForm",
        "SiteVisitForm",
        "SiteVisitDayFormSet",
        "SiteVisitStopFormSet",
        "StopReportForm",
        "SlotForm",
        "FixDateForm",
        "MaterialForm",
        "MembershipForm",
        "PersonForm",
        "MinutesForm",
        "StatementForm",
        "TranscriptForm",
        "ConfirmationRequestForm",
        "FollowUpForm",
        "PublishForm",
    ]
)
# Forms with no date, number or choice-by-id field: nothing for this test to type.
WITHOUT_BOUNDED_FIELDS = {
    "ApprovalForm",
    "CheckInForm",
    "GalleryForm",
    "PhotoForm",
    "PresenterUploadForm",
    "ReplyForm",
    "TakedownForm",
    "StoredFileForm",  # the admin's base for file uploads: the admin adds the fields
}


def _form_of(built: Any) -> Any:
    return built.forms[0] if isinstance(built, BaseFormSet) else built


def _bounded_fields(built: Any) -> dict[str, forms.Field]:
    form = _form_of(built)
    return {name: field for name, field in form.fields.items() if _typed(field) is not None}


def test_the_property_below_covers_every_form_with_such_fields(cast, visit):
    builders = _builders(cast, visit)
    assert sorted(builders) == NAMES
    for name in NAMES:
        assert _bounded_fields(builders[name]()), name
    covered = {type(_form_of(build())).__name__ for build in builders.values()}
    for form_class in _project_forms():
        name = form_class.__name__
        if name in WITHOUT_BOUNDED_FIELDS:
            assert not [f for f in form_class.base_fields.values() if _typed(f)], name
        else:
            assert name in covered, f"{name}: add it to _builders"


def _limits(form: Any, name: str) -> tuple[int, int]:
    """The range a valid value of integer field `name` lies in: the database's, narrowed by
    the model field's own validators."""
    low, high = -DB_INT_MAX - 1, DB_INT_MAX
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is not None and name in {f.name for f in model._meta.get_fields()}:
        for validator in model._meta.get_field(name).validators:
            if isinstance(validator, MaxValueValidator):
                high = min(high, validator.limit_value)
            elif isinstance(validator, MinValueValidator):
                low = max(low, validator.limit_value)
    return low, high


@pytest.mark.parametrize("choice", NAMES)
@PROPERTIES
@given(typed=st.data())
def test_typed_values_are_bounded_or_refused_never_an_exception(cast, visit, choice, typed):
    build = _builders(cast, visit)[choice]
    fields = _bounded_fields(build())
    data = {name: typed.draw(_typed(field), label=name) for name, field in fields.items()}

    built = build(data)
    built.is_valid()  # must not raise

    form = _form_of(built)
    for name, field in fields.items():
        if name in form.errors or name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        if value is None or isinstance(value, forms.Field):
            continue
        if isinstance(field, forms.DateTimeField):
            assert DATE_MIN <= value.date() <= DATE_MAX, (name, value)
        elif isinstance(field, forms.DateField):
            assert DATE_MIN <= value <= DATE_MAX, (name, value)
        elif isinstance(field, forms.IntegerField):
            low, high = _limits(form, name)
            assert low <= value <= high, (name, value)


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59", "1989-01-07T23:59"])
def test_a_date_time_outside_the_range_is_refused_with_the_range(typed):
    form = meetings.FixDateForm({"reply_deadline": typed})
    assert not form.is_valid()
    assert form.errors["reply_deadline"] == [DATE_RANGE_ERROR]


def test_date_pickers_offer_the_range_only():
    html = str(meetings.SlotForm()["date"]) + str(meetings.FixDateForm()["reply_deadline"])
    assert 'min="1989-01-08"' in html and 'max="2100-12-31"' in html
    assert 'min="1989-01-08T00:00"' in html and 'max="2100-12-31T23:59"' in html
