from django import forms

from .models import JUDGEMENTS
from .rules import LEVEL_LABELS, LEVELS


class NationalFilterForm(forms.Form):
    """The national page's filters and sort order; a bad value is shown and ignored."""

    SORTS = {
        "name": ("council__name",),
        "region": ("council__region", "council__name"),
        "type": ("council__la_type", "council__name"),
        "inspected": ("inspected_date", "council__name"),
        # Grades sort best first; councils without one come last either way.
        **{key: (f"{key}_rank", "council__name") for key, _ in JUDGEMENTS},
    }
    # Descending: the first column reversed, ties still by name.
    SORTS |= {f"-{key}": (f"-{names[0]}", *names[1:]) for key, names in SORTS.items()}
    SORTS["-name"] = ("-council__name",)

    region = forms.ChoiceField(
        label="Region",
        choices=[],
        required=False,
        error_messages={"invalid_choice": "Choose a region from the list: showing every region"},
    )
    la_type = forms.ChoiceField(
        label="Type of council",
        choices=[],
        required=False,
        error_messages={"invalid_choice": "Choose a type from the list: showing every type"},
    )
    judgement = forms.ChoiceField(
        label="Judgement",
        choices=JUDGEMENTS,
        required=False,
        error_messages={
            "invalid_choice": "Choose a judgement from the list: showing overall effectiveness"
        },
    )
    grade = forms.ChoiceField(
        label="Grade",
        choices=[("", "Any grade"), *((code, LEVEL_LABELS[code]) for code in LEVELS)],
        required=False,
        error_messages={"invalid_choice": "Choose a grade from the list: showing every grade"},
    )
    year = forms.TypedChoiceField(
        label="Year of the latest inspection",
        choices=[],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a year from the list: showing every year"},
    )
    sort = forms.ChoiceField(
        choices=[],
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "Sort by a column heading of the table: showing councils by name"
        },
    )

    def __init__(self, *args, regions: list[str], types: list[str], years: list[int], **kw):
        super().__init__(*args, **kw)
        self.fields["region"].choices = [("", "Every region"), *((r, r) for r in regions)]
        self.fields["la_type"].choices = [("", "Every type"), *((t, t) for t in types)]
        self.fields["year"].choices = [("", "Any year"), *((y, y) for y in years)]
        self.fields["sort"].choices = [(key, key) for key in self.SORTS]

    @property
    def values(self) -> dict:
        """The valid filters: is_valid() keeps only those in cleaned_data."""
        self.is_valid()
        return self.cleaned_data
