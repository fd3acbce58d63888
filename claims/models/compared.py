"""Rows "already checked?" compares: claims and imported fact-checks store the analysis of
their compared text (``claims.wording``), so candidates are not analysed again."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from .. import retrieval


class ComparedText(models.Model):
    """Keeps `analysis` in step with `compared_text`: worked out on every save that may
    change the text (a save naming only other fields leaves it alone)."""

    analysis: Any  # a TextField on each concrete model
    COMPARED_FIELDS: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is None:
            self.analysis_refresh()
        elif self.COMPARED_FIELDS & set(fields):
            self.analysis_refresh()
            kwargs["update_fields"] = {*fields, "analysis"}
        super().save(*args, **kwargs)

    def analysis_refresh(self) -> None:
        """Work out `analysis` again for the compared text as it is now."""
        self.analysis = retrieval.analysis_dump(self.compared_text)

    @property
    def compared_text(self) -> str:
        raise NotImplementedError
