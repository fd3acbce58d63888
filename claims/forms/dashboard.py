"""The dashboard's filter: a period."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from ..queries.dashboard import Period


class DashboardFilterForm(forms.Form):
    """The period the dashboard counts (`?from=…&to=…`, both days included): without an
    end it ends today, without a start it is as long as the default (8 weeks)."""

    MAX_DAYS = 731

    def __init__(self, *args, default: Period, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.default = default
        date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(label="From", required=False, widget=date, initial=default.first)
        self.fields["to"] = forms.DateField(label="To", required=False, widget=date, initial=default.last)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "from" in self.errors or "to" in self.errors:
            return data
        last = data.get("to") or self.default.last
        first = data.get("from") or last - datetime.timedelta(days=self.default.days - 1)
        if first > last:
            raise ValidationError("The start date is after the end date.", code="reversed")
        if first.year < 1000 or last.year > 9000:  # the weeks around them must exist too
            raise ValidationError("Choose dates between the years 1000 and 9000.", code="out_of_range")
        if (last - first).days + 1 > self.MAX_DAYS:
            raise ValidationError("Choose a period of at most two years.", code="too_long")
        data["period"] = Period(first=first, last=last)
        return data

    def period(self) -> Period:
        """The period asked for, or the default one when the form is not valid."""
        return self.cleaned_data["period"] if self.is_valid() else self.default
