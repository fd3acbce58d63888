"""Other fact-checkers' work: reading their ClaimReview (`claimreview_read`: a file, a feed
or a fact-check page), checking each item (`claimreview_fields`), storing it and linking
it to our claims (`imports`)."""

from __future__ import annotations

from ..fetch import FetchError
from .claimreview_read import ACCEPT, MAX_BYTES, SourceError, claimreview_parse, is_page, source_decode
from .imports import (
    claimreview_import_create,
    claimreview_import_fail,
    claimreview_import_items,
    claimreview_import_run,
    claimreview_store,
    external_match_claims,
    external_match_fact_checks,
)

__all__ = [
    "ACCEPT",
    "MAX_BYTES",
    "FetchError",
    "SourceError",
    "claimreview_import_create",
    "claimreview_import_fail",
    "claimreview_import_items",
    "claimreview_import_run",
    "claimreview_parse",
    "claimreview_store",
    "external_match_claims",
    "external_match_fact_checks",
    "is_page",
    "source_decode",
]
