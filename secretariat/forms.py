"""The base of every form in the product: what anyone may type is bounded here, once.

Every form (staff, personal-link, public) derives from `Form` or `ModelForm` below, and
formsets are built with `form=ModelForm`; tests/test_forms_base.py fails on a form that
does not. The base

- strips bidirectional and other format controls (exports.text.FORMAT_CONTROLS) from the
  submitted value of every text field, before the field sees it, so that a title, name or
  comment never reads otherwise than what it says (and `required` and `max_length` count
  what is kept);
- refuses any date or date-time outside DATE_MIN..DATE_MAX (validate_era_date), with the
  browser's date picker bounded to match;
- refuses an integer outside the database's range in a field with no cap of its own
  (hidden ids and versions), so no query or arithmetic overflows. The numbers staff type
  are capped on their model fields (validators.MAX_*), which ModelForm validation applies.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from exports.text import FORMAT_CONTROLS, strip_format_controls
from secretariat.validators import DATE_MAX, DATE_MIN, DB_INT_MAX, validate_era_date

__all__ = ["Form", "InputBoundsMixin", "ModelForm"]


class InputBoundsMixin:
    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _bound_field(field)
        if self.is_bound:
            self.data = _without_format_controls(self, self.data)


def _bound_field(field: forms.Field) -> None:
    if isinstance(field, forms.DateField | forms.DateTimeField):
        if validate_era_date not in field.validators:
            field.validators.append(validate_era_date)
        if isinstance(field, forms.DateTimeField):
            low, high = f"{DATE_MIN:%Y-%m-%d}T00:00", f"{DATE_MAX:%Y-%m-%d}T23:59"
        else:
            low, high = f"{DATE_MIN:%Y-%m-%d}", f"{DATE_MAX:%Y-%m-%d}"
        field.widget.attrs.setdefault("min", low)
        field.widget.attrs.setdefault("max", high)
    elif isinstance(field, forms.IntegerField):
        if field.max_value is None:
            field.max_value = DB_INT_MAX
            field.validators.append(MaxValueValidator(DB_INT_MAX))
        if field.min_value is None:
            field.min_value = -DB_INT_MAX - 1
            field.validators.append(MinValueValidator(-DB_INT_MAX - 1))


def _without_format_controls(form: Any, data: Any) -> Any:
    """The submitted `data`, or a copy of it with format controls stripped from the values
    of the form's text fields (other keys, and files, untouched)."""
    keys = [
        form.add_prefix(name)
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
    ]
    getlist = data.getlist if hasattr(data, "getlist") else lambda key: [data.get(key)]
    dirty = [
        key
        for key in keys
        if key in data and any(_has_format_controls(value) for value in getlist(key))
    ]
    if not dirty:
        # The usual case: no copy (every row of a formset shares one big QueryDict).
        return data
    data = data.copy()  # a QueryDict is immutable, and a dict may be the caller's
    for key in dirty:
        if hasattr(data, "setlist"):
            data.setlist(key, [_strip(value) for value in data.getlist(key)])
        else:
            data[key] = _strip(data[key])
    return data


def _has_format_controls(value: Any) -> bool:
    return isinstance(value, str) and FORMAT_CONTROLS.search(value) is not None


def _strip(value: Any) -> Any:
    return strip_format_controls(value) if isinstance(value, str) else value


class Form(InputBoundsMixin, forms.Form):
    pass


class ModelForm(InputBoundsMixin, forms.ModelForm):
    pass
