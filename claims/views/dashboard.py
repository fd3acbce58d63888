"""The editors' dashboard: the figures come from `claims.queries.dashboard`; this only draws them."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from ..charts import Bar, Series, columns, horizontal_bars
from ..forms import DashboardFilterForm
from ..queries import dashboard
from .base import WorkbenchRequest, editors_only, workbench

PROPOSED, ACCEPTED = "#7b8794", "#2f855a"
INGESTED, FAILED = "#3b6ea5", "#b3261e"


@workbench
def dashboard_page(request: WorkbenchRequest) -> HttpResponse:
    editors_only(request, "see the dashboard")
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, default=dashboard.Period.default(today))
    period = form.period()
    statuses = dashboard.claims_by_status(period=period)
    reviewers = dashboard.reviewer_figures(period=period)
    weeks = dashboard.candidates_per_week(period=period)
    days = dashboard.articles_per_day(period=period)
    context = {
        "form": form,
        "period": period,
        "today": today,
        "statuses": statuses,
        "status_total": sum(s.count for s in statuses),
        "status_chart": horizontal_bars(
            [Bar(s.label, s.count, s.colour) for s in statuses], title="Claims by status now"
        ),
        "overdue": dashboard.overdue_claims(today=today),
        "reviewers": reviewers,
        "workload_chart": horizontal_bars(
            [Bar(r.name, r.open) for r in reviewers.rows], title="Open claims per reviewer"
        ),
        "median_chart": horizontal_bars(
            [Bar(r.name, r.median_days, "#2f855a") for r in reviewers.rows if r.median is not None],
            title="Median days from assignment to publication, per reviewer",
        ),
        "weeks": weeks,
        "weeks_chart": _columns(
            weeks, ("Proposed", PROPOSED), ("Accepted", ACCEPTED), title="Candidate claims per week"
        ),
        "weeks_totals": dashboard.slot_totals(weeks),
        "days": days,
        "days_totals": dashboard.slot_totals(days),
        "days_chart": _columns(days, ("Ingested", INGESTED), ("Failed", FAILED), title="Articles ingested per day"),
        "sources": dashboard.source_health(),
    }
    # A period that cannot be counted (a bad date) is shown with its error, as a 400.
    status = 400 if form.is_bound and not form.is_valid() else 200
    return TemplateResponse(request, "claims/dashboard.html", context, status=status)


def _columns(slots: list[dashboard.Slot], *names: tuple[str, str], title: str) -> str:
    series = [Series(name, [slot.counts[i] for slot in slots], colour) for i, (name, colour) in enumerate(names)]
    return columns([slot.label for slot in slots], series, title=title)
