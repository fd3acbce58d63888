"""The editors' dashboard: one function per figure, each a fixed number of SQL queries
(grouped and counted in the database) returning plain data for the page to draw.

Python only fills the gaps between the rows the database returns (days or weeks with
nothing in them) and merges a few grouped rows; it never walks over claims or articles.
The figures of claims, articles and sources are in `dashboard_counts`, the reviewers'
workload and time to publication in `dashboard_reviewers`; the page and its form import
them from here.
"""

from __future__ import annotations

from .dashboard_counts import (
    ACCEPTED_OR_FURTHER,
    DEFAULT_WEEKS,
    OVERDUE_SHOWN,
    SOURCES_SHOWN,
    STATUS_COLOURS,
    Overdue,
    OverdueClaim,
    Period,
    Slot,
    StatusCount,
    articles_per_day,
    candidates_per_week,
    claims_by_status,
    overdue_claims,
    slot_totals,
    source_health,
)
from .dashboard_reviewers import Median, ReviewerRow, Reviewers, duration_text, reviewer_figures

__all__ = [
    "ACCEPTED_OR_FURTHER",
    "DEFAULT_WEEKS",
    "OVERDUE_SHOWN",
    "SOURCES_SHOWN",
    "STATUS_COLOURS",
    "Median",
    "Overdue",
    "OverdueClaim",
    "Period",
    "ReviewerRow",
    "Reviewers",
    "Slot",
    "StatusCount",
    "articles_per_day",
    "candidates_per_week",
    "claims_by_status",
    "duration_text",
    "overdue_claims",
    "reviewer_figures",
    "slot_totals",
    "source_health",
]
