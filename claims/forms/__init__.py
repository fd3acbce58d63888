"""Forms of the workbench, one module per page. Validation in clean methods; saving through
services and the workflow. Import them from here: `from claims.forms import VerdictForm`."""

from __future__ import annotations

from .accounts import WorkbenchLoginForm
from .articles import ArticleSubmitForm, PassageClaimForm
from .base import MISSING_VERSION, IdPrefixed, VersionedForm
from .claim import (
    ApproveForm,
    ClaimEditForm,
    CommentForm,
    CorrectionForm,
    EvidenceEditForm,
    EvidenceForm,
    ReturnForm,
    VerdictForm,
)
from .dashboard import DashboardFilterForm
from .lists import AssignForm, DuplicateForm, QueueFilterForm, TriageBulkForm, TriageFilterForm

__all__ = [
    "MISSING_VERSION",
    "ApproveForm",
    "ArticleSubmitForm",
    "AssignForm",
    "ClaimEditForm",
    "CommentForm",
    "CorrectionForm",
    "DashboardFilterForm",
    "DuplicateForm",
    "EvidenceEditForm",
    "EvidenceForm",
    "IdPrefixed",
    "PassageClaimForm",
    "QueueFilterForm",
    "ReturnForm",
    "TriageBulkForm",
    "TriageFilterForm",
    "VerdictForm",
    "VersionedForm",
    "WorkbenchLoginForm",
]
