"""What the workbench's forms share: ids unique on a page with many forms, and the version
the person read (no lost update)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class IdPrefixed:
    """Forms that share a page get distinct element ids (so each label finds its field)."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


MISSING_VERSION = (
    "This form did not say which version you read, so saving could overwrite someone else's "
    "work. Reload the page and save again."
)


class VersionedForm(IdPrefixed, forms.Form):
    # The version of the object the person saw (0: there was none yet); saving over a newer
    # one is refused, and so is a form that leaves it out.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, error_messages={"required": MISSING_VERSION})

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "version" in self.errors:  # a hidden field: say it where the person reads
            self.add_error(None, ValidationError(MISSING_VERSION, code="no_version"))
        return data
