"""GOV.UK Design System form markup, defined once for every form of the product."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.formsets import BaseFormSet
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

# The GOV.UK class each kind of widget carries; its error variant is this plus "--error".
WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "govukdate": "govuk-input govuk-date-input__input",
    "radioselect": "",
    "govukconditionalradioselect": "",
    "checkbox": "govuk-checkboxes__input",
    "checkboxselectmultiple": "",
    "hidden": "",
}


def add_service_errors(form: forms.BaseForm | BaseFormSet, error: ValidationError) -> None:
    """Show a service's ValidationError on a form: the one way every view does it.

    Errors for a field the form has go beside that field; the rest go in the error summary above
    the form. A formset shows them all above its forms.
    """
    if isinstance(form, BaseFormSet):
        form.non_form_errors()  # cleans the formset first, if it has not been
        form._non_form_errors.extend(error.messages)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class FormErrorsFirstMixin:
    """A ModelForm whose own message on a field stands alone: a value the form refused reaches
    the model blank, and the model's "enter the baseline" or "enter the revised due date" would
    contradict the form's message on the same field."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            for name in [name for name in errors.error_dict if name in self._errors]:
                del errors.error_dict[name]
            if not errors.error_dict:
                return
        super()._update_errors(errors)


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        base = WIDGET_CLASSES.get(self.widget_type, "govuk-input")
        # The widget's own classes (a GOV.UK width, say) stay: these attrs override the widget's.
        own = (widget or self.field.widget).attrs.get("class", "")
        classes = [own, attrs.get("class", ""), base]
        if self.errors and base:
            classes.append(f"{base.split()[0]}--error")
        attrs["class"] = " ".join(c for c in classes if c)
        if not self.field.widget.use_fieldset:
            # A widget with nothing to label (the admin's password summary) has nothing to
            # describe either, and the admin gives its help text no id.
            described = self.describedby() if self.id_for_label else ""
            if described:
                attrs["aria-describedby"] = described
            else:
                attrs.pop("aria-describedby", None)
        return attrs

    def describedby(self) -> str:
        """The ids of the field's hint and error message.

        They are Django's own (``<id>_helptext``, ``<id>_error``), so that the admin's templates,
        which name the elements that way, and ours agree.
        """
        ids = []
        if self.help_text:
            ids.append(f"{self.auto_id}_helptext")
        if self.errors:
            ids.append(f"{self.auto_id}_error")
        return " ".join(ids)

    @property
    def error_target(self) -> str:
        """The id the error summary links to: the first input of a group."""
        if self.field.widget.use_fieldset:
            return f"{self.auto_id}_0"
        return self.id_for_label


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
    bound_field_class = GovukBoundField


class GovukConditionalRadioSelect(forms.RadioSelect):
    """Radios that reveal a follow-up field under an option: the GOV.UK conditional reveal.

    reveals maps an option's value to the name of the form field shown under it. Without
    JavaScript every follow-up field simply shows. The form must use ConditionalRevealMixin,
    which renders the follow-up fields here rather than in the form's own list.
    """

    def __init__(self, attrs=None, choices=(), *, reveals: dict[str, str]):
        super().__init__(attrs, choices)
        self.reveals = reveals
        self.form = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                revealed = self.reveals.get(str(option["value"]))
                if revealed and self.form is not None and revealed in self.form.fields:
                    option["conditional"] = self.form[revealed].as_field_group()
        return context


class ConditionalRevealMixin:
    """A form with GovukConditionalRadioSelect radios: each follow-up field is rendered under
    its option, and left out of the form's own list of fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, GovukConditionalRadioSelect):
                field.widget.form = self
                for name in field.widget.reveals.values():
                    if name in self.fields:
                        self.fields[name].revealed = True


class NumericInput(forms.TextInput):
    """A box for a whole number: a text input with the numeric keypad, as GOV.UK asks, rather
    than type="number", which browsers round, change under a scrolling mouse wheel and refuse
    to send with a message of their own."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "spellcheck": "false", **(attrs or {})})


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    template_name = "forms/widgets/govuk_date.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        parts = [forms.TextInput(attrs={"inputmode": "numeric"}) for _ in range(3)]
        super().__init__(parts, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateOrIsoWidget(GovukDateWidget):
    """Day, month and year boxes that also read one YYYY-MM-DD value under the field's name:
    the form typed by a person, and the one links and commands carry."""

    def value_from_datadict(self, data, files, name):
        parts = [f"{name}_{n}" for n in range(3)]
        if name in data and not any(part in data for part in parts):
            return data[name]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


# A month typed as its name or the first three letters of it, in any case, as GOV.UK asks the date
# input to accept: "March", "mar", "MAR". English names, whatever the server's locale.
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS = {name: n for n, name in enumerate(_MONTH_NAMES, 1)} | {
    name[:3]: n for n, name in enumerate(_MONTH_NAMES, 1)
}


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK error messages."""

    widget = GovukDateWidget

    def __init__(self, *, label: str, name: str = "", past_only: bool = False, **kwargs):
        # What the error messages call the date, where the label alone reads badly in them.
        self.name = name or label.lower()
        # A date of something that has happened: today at the latest.
        self.past_only = past_only
        messages = kwargs.setdefault("error_messages", {})
        messages.setdefault("required", f"Enter the {self.name}")
        messages.setdefault("future", f"The {self.name} must be today or in the past")
        super().__init__(label=label, **kwargs)

    def validate(self, value):
        super().validate(value)
        if self.past_only and value and value > timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")

    def to_python(self, value):
        if isinstance(value, date) or value is None:
            return value
        if isinstance(value, str):  # one YYYY-MM-DD value (GovukDateOrIsoWidget)
            if not value.strip():
                return None
            try:
                parsed = date.fromisoformat(value.strip())
                if parsed.year < 1000:
                    raise ValueError("year must have four digits")
                return parsed
            except ValueError:
                raise ValidationError(
                    f"The {self.name} must be a real date as year-month-day, like 2024-04-01"
                ) from None
        parts = ["" if part is None else str(part).strip() for part in value]
        if not any(parts):
            return None
        name = self.name
        missing = [
            unit for unit, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise ValidationError(f"The {name} must include a {' and '.join(missing)}")
        try:
            day, year = int(parts[0]), int(parts[2])
            month = MONTHS.get(parts[1].lower()) or int(parts[1])
            if year < 1000:
                raise ValueError("year must have four digits")
            return date(year, month, day)
        except (ValueError, OverflowError):  # OverflowError: a year too big for the C int
            raise ValidationError(f"The {name} must be a real date, like 25 8 2023") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except ValidationError:
            return True
