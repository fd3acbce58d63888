"""The editors' dashboard: every figure equals what the database holds, the period filter
moves the figures, only editors see it, and it costs the same queries however much data."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.models import Article, Claim, FactCheck, Rating
from claims.queries import dashboard

from .factories import ArticleFactory, ClaimFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Claim.Status
URL = "/dashboard/"
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def today() -> datetime.date:
    return timezone.localdate()


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def assign(editor, person, *, due: datetime.date | None = None, **fields) -> Claim:
    claim = ClaimFactory(**fields)
    workflow.claim_accept(claim=claim, by=editor)
    return workflow.claim_assign(claim=claim, by=editor, assignee=person, due_date=due)


def publish(editor, person, *, took: datetime.timedelta, on: datetime.date, **fields) -> Claim:
    """A claim assigned to `person` and published through the workflow, then dated so that
    it was first published at noon on `on`, `took` after its assignment."""
    claim = assign(editor, person, **fields)
    verdict = workflow.verdict_save_draft(
        claim=claim, by=person, rating=Rating.objects.get(slug="false"), headline="No", analysis="Figures differ."
    )
    workflow.verdict_approve(verdict=workflow.verdict_submit(verdict=verdict, by=person), by=editor)
    published = noon(on)
    FactCheck.objects.filter(claim=claim).update(first_published_at=published)
    Claim.objects.filter(pk=claim.pk).update(assigned_at=published - took)
    return claim


def marks(html: str, title: str) -> dict[str, str]:
    """The `data-label` → `data-value` pairs of the chart titled `title`."""
    svg = re.search(rf'<svg[^>]*aria-label="{re.escape(title)}".*?</svg>', html, re.S)
    assert svg, f"no chart titled {title!r}"
    return dict(re.findall(r'data-label="([^"]*)"[^>]*?data-value="([^"]*)"', svg.group(0)))


def series(html: str, title: str, name: str) -> dict[str, int]:
    svg = re.search(rf'<svg[^>]*aria-label="{re.escape(title)}".*?</svg>', html, re.S).group(0)
    found = re.findall(r'data-label="([^"]*)" data-series="([^"]*)" data-value="([^"]*)"', svg)
    return {label: int(value) for label, s, value in found if s == name}


# Who sees it -----------------------------------------------------------------------------------


def test_editor_sees_the_dashboard_and_its_link_in_the_menu(editor_client):
    response = editor_client.get(reverse("claims:dashboard"))
    assert response.status_code == 200
    assert b'href="/dashboard/" aria-current="page">Dashboard</a>' in response.content


@pytest.mark.parametrize("person", ["reviewer", "outsider", "partner"])
def test_people_who_are_not_editors_are_refused(client, person, request):
    client.force_login(request.getfixturevalue(person))
    response = client.get(URL)
    assert response.status_code == 403
    assert b"Dashboard</a>" not in response.content


def test_reviewer_has_no_dashboard_link(reviewer_client, reviewer):
    assert b"/dashboard/" not in reviewer_client.get("/").content


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


# 1. Claims by status ---------------------------------------------------------------------------


def test_claims_by_status_chart_and_table_equal_the_database_counts(editor_client, editor, reviewer):
    ClaimFactory.create_batch(3)
    dismissed = ClaimFactory()
    workflow.claim_dismiss(claim=dismissed, by=editor)
    workflow.claim_accept(claim=ClaimFactory(), by=editor)
    assign(editor, reviewer)
    workflow.claim_start_review(claim=assign(editor, reviewer), by=reviewer)
    publish(editor, reviewer, took=DAY, on=today())

    response = editor_client.get(URL)
    html = response.content.decode()
    shown = marks(html, "Claims by status now")
    expected = {label: str(Claim.objects.filter(status=value).count()) for value, label in S.choices}
    assert shown == expected
    assert expected == {
        "Candidate": "3",
        "Accepted": "1",
        "Assigned": "1",
        "In review": "1",
        "Submitted": "0",
        "Published": "1",
        "Dismissed": "1",
        "Duplicate": "0",
    }
    assert list(shown) == [label for _, label in S.choices]  # workflow order
    for value, _ in S.choices:
        count = Claim.objects.filter(status=value).count()
        assert f'data-status="{value}"' in html and f'list them">{count}</a>' in html or count == 0
    assert response.context["status_total"] == 8


def test_each_status_figure_links_to_the_list_it_counts(editor_client, editor):
    ClaimFactory.create_batch(2)
    ClaimFactory(created_at=timezone.now() - datetime.timedelta(days=400))  # before the period
    html = editor_client.get(URL).content.decode()
    link = re.search(r'<a href="([^"]+)" data-status="candidate"', html).group(1).replace("&amp;", "&")
    admin_list = editor_client.get(link)
    assert admin_list.status_code == 200
    assert admin_list.context["cl"].result_count == 2


# 2. Overdue ------------------------------------------------------------------------------------


def test_overdue_lists_open_claims_past_their_due_date_longest_first(editor_client, editor, reviewer, other_reviewer):
    late = assign(editor, reviewer, due=today() - 3 * DAY)
    later = assign(editor, other_reviewer, due=today() - 10 * DAY)
    assign(editor, reviewer, due=today())  # due today: not late yet
    assign(editor, reviewer, due=today() + DAY)
    assign(editor, reviewer)  # no due date
    published = publish(editor, reviewer, took=DAY, on=today())
    Claim.objects.filter(pk=published.pk).update(due_date=today() - 5 * DAY)  # done, so not overdue

    overdue = editor_client.get(URL).context["overdue"]
    assert overdue.total == 2 == Claim.objects.filter(status__in=Claim.OPEN_STATUSES, due_date__lt=today()).count()
    assert [(c.pk, c.assignee, c.days_overdue) for c in overdue.claims] == [
        (later.pk, "Ravi", 10),
        (late.pk, "Rita", 3),
    ]
    html = editor_client.get(URL).content.decode()
    assert f'href="{reverse("claims:claim", args=[later.pk])}"' in html
    assert 'Overdue assignments <span class="count">(<a href="/work/overdue/"' in html
    assert 'aria-label="2 overdue: list them">2</a>)</span>' in html


def test_overdue_list_is_capped_and_says_how_many_in_all(editor, reviewer):
    for days in range(1, 5):
        assign(editor, reviewer, due=today() - days * DAY)
    overdue = dashboard.overdue_claims(today=today(), limit=3)
    assert overdue.total == 4
    assert [c.days_overdue for c in overdue.claims] == [4, 3, 2]


# 3. Reviewers ----------------------------------------------------------------------------------


@pytest.fixture
def published_set(editor, reviewer, other_reviewer):
    """Rita took 1 day, 3 days and 10 days; Ravi 2 and 4 hours (all published yesterday);
    one more of Rita's, which took 30 days, was published long ago."""
    for took in (DAY, 3 * DAY, 10 * DAY):
        publish(editor, reviewer, took=took, on=today() - DAY)
    for took in (2 * HOUR, 4 * HOUR):
        publish(editor, other_reviewer, took=took, on=today() - DAY)
    publish(editor, reviewer, took=30 * DAY, on=today() - 100 * DAY)


def test_median_time_to_publish_per_reviewer_and_overall(published_set, reviewer, other_reviewer):
    figures = dashboard.reviewer_figures(period=dashboard.Period.default(today()))
    by_name = {row.name: row for row in figures.rows}
    assert (by_name["Rita"].published, by_name["Rita"].median) == (3, 3 * DAY)
    assert (by_name["Ravi"].published, by_name["Ravi"].median) == (2, 3 * HOUR)  # mean of the middle two
    assert (figures.overall.published, figures.overall.median) == (5, DAY)
    assert by_name["Rita"].median_text == "3 days"
    assert by_name["Ravi"].median_text == "3 hours"


def test_median_covers_the_claims_published_in_the_chosen_period(published_set):
    period = dashboard.Period(first=today() - 120 * DAY, last=today())
    figures = dashboard.reviewer_figures(period=period)
    rita = next(row for row in figures.rows if row.name == "Rita")
    assert (rita.published, rita.median) == (4, (3 * DAY + 10 * DAY) / 2)
    assert (figures.overall.published, figures.overall.median) == (6, 2 * DAY)  # between 1 day and 3 days


@pytest.mark.postgres
def test_median_is_postgresqls_percentile_cont(published_set):
    with CaptureQueriesContext(connection) as queries:
        figures = dashboard.reviewer_figures(period=dashboard.Period.default(today()))
    assert figures.overall.median == DAY
    assert sum("percentile_cont(0.5) WITHIN GROUP" in q["sql"] for q in queries.captured_queries) == 2


def test_reviewer_table_shows_open_workload_and_medians(editor_client, editor, reviewer, other_reviewer, published_set):
    assign(editor, reviewer)
    assign(editor, reviewer)
    workflow.claim_start_review(claim=assign(editor, other_reviewer), by=other_reviewer)
    response = editor_client.get(URL)
    html = response.content.decode()
    assert marks(html, "Open claims per reviewer") == {"Rita": "2", "Ravi": "1"}
    assert marks(html, "Median days from assignment to publication, per reviewer") == {"Rita": "3", "Ravi": "0.1"}
    rows = {r.name: (r.open, r.published, r.median_text) for r in response.context["reviewers"].rows}
    assert rows == {"Rita": (2, 3, "3 days"), "Ravi": (1, 2, "3 hours")}
    assert re.search(r'data-reviewer="all">.*?>3</a></td>.*?>5</td>.*?>1 day</td>', html, re.S)


def test_duration_text_reads_as_days_and_hours():
    assert dashboard.duration_text(None) == "—"
    assert dashboard.duration_text(DAY + 5 * HOUR + datetime.timedelta(minutes=20)) == "1 day 5 hours"
    assert dashboard.duration_text(datetime.timedelta(minutes=40)) == "40 minutes"


# 4 and 5. Time series --------------------------------------------------------------------------


def test_candidates_per_week_counts_proposed_and_accepted(editor_client, editor):
    monday = today() - datetime.timedelta(days=today().weekday())
    week_before = monday - 7 * DAY
    proposed = [ClaimFactory(created_at=noon(week_before)) for _ in range(4)]
    workflow.claim_accept(claim=proposed[0], by=editor)
    workflow.claim_dismiss(claim=proposed[1], by=editor)
    workflow.claim_mark_duplicate(claim=proposed[2], by=editor, original=ClaimFactory(created_at=noon(monday)))

    weeks = {
        slot.start: slot.counts for slot in dashboard.candidates_per_week(period=dashboard.Period.default(today()))
    }
    assert len(weeks) in (8, 9)
    assert weeks[week_before] == (4, 1)
    assert weeks[monday] == (1, 0)
    assert sum(proposed for proposed, _ in weeks.values()) == 5

    html = editor_client.get(URL).content.decode()
    label = f"{week_before.day} {week_before:%b}"
    assert series(html, "Candidate claims per week", "Proposed")[label] == 4
    assert series(html, "Candidate claims per week", "Accepted")[label] == 1
    assert '<dd data-total="Proposed">5</dd>' in html


def test_articles_per_day_counts_ingested_and_failed(editor_client):
    two_days_ago = today() - 2 * DAY
    ArticleFactory.create_batch(3, created_at=noon(two_days_ago))
    ArticleFactory(created_at=noon(two_days_ago), status=Article.Status.FAILED)
    ArticleFactory(created_at=noon(today()), status=Article.Status.FAILED)

    days = dashboard.articles_per_day(period=dashboard.Period.default(today()))
    assert len(days) == 56
    assert [slot.counts for slot in days if any(slot.counts)] == [(4, 1), (1, 1)]

    html = editor_client.get(URL).content.decode()
    label = f"{two_days_ago.day} {two_days_ago:%b}"
    assert series(html, "Articles ingested per day", "Ingested")[label] == 4
    assert series(html, "Articles ingested per day", "Failed")[label] == 1
    assert sum(series(html, "Articles ingested per day", "Ingested").values()) == Article.objects.count()


# The period ------------------------------------------------------------------------------------


def test_period_filter_changes_the_figures(editor_client, editor, reviewer):
    old_day, new_day = today() - 70 * DAY, today() - 3 * DAY
    ClaimFactory.create_batch(2, created_at=noon(old_day), article=None)
    ClaimFactory(created_at=noon(new_day), article=None)
    ArticleFactory.create_batch(2, created_at=noon(old_day))
    ArticleFactory(created_at=noon(new_day))
    publish(editor, reviewer, took=2 * DAY, on=old_day, created_at=noon(old_day), article=None)
    publish(editor, reviewer, took=6 * HOUR, on=new_day, created_at=noon(new_day), article=None)

    default = editor_client.get(URL).context
    assert [s.count for s in default["statuses"] if s.status == S.CANDIDATE] == [1]
    assert default["days_totals"] == (1, 0)
    assert default["weeks_totals"] == (2, 1)
    assert (default["reviewers"].overall.published, default["reviewers"].overall.median) == (1, 6 * HOUR)

    first, last = old_day - DAY, old_day + DAY
    narrowed = editor_client.get(URL, {"from": first.isoformat(), "to": last.isoformat()}).context
    assert narrowed["period"] == dashboard.Period(first=first, last=last)
    assert [s.count for s in narrowed["statuses"] if s.status == S.CANDIDATE] == [2]
    assert narrowed["days_totals"] == (2, 0)
    assert len(narrowed["days"]) == 3
    assert narrowed["weeks_totals"] == (3, 1)
    assert (narrowed["reviewers"].overall.published, narrowed["reviewers"].overall.median) == (1, 2 * DAY)


def test_period_without_a_start_is_eight_weeks_to_its_end(editor_client):
    end = today() - 30 * DAY
    period = editor_client.get(URL, {"to": end.isoformat()}).context["period"]
    assert (period.first, period.last, period.days) == (end - 55 * DAY, end, 56)


def test_reversed_period_is_refused_with_a_message_and_the_default_shown(editor_client):
    response = editor_client.get(URL, {"from": today().isoformat(), "to": (today() - 5 * DAY).isoformat()})
    assert response.status_code == 400  # the page, with the message and the default period
    assert "The start date is after the end date." in response.content.decode()
    assert response.context["period"] == dashboard.Period.default(today())


def test_period_longer_than_two_years_is_refused(editor_client):
    response = editor_client.get(URL, {"from": "2020-01-01", "to": "2024-01-01"})
    assert "Choose a period of at most two years." in response.content.decode()


def test_a_date_that_is_not_a_date_is_refused_on_its_field(editor_client):
    response = editor_client.get(URL, {"from": "2024-13-45"})
    assert response.context["form"].errors["from"] == ["Enter a valid date."]
    assert 'class="field invalid"' in response.content.decode()
    assert response.context["period"] == dashboard.Period.default(today())


# Cost ------------------------------------------------------------------------------------------


def test_dashboard_runs_the_same_queries_however_many_claims_and_articles(
    editor_client, editor, reviewer, django_assert_num_queries
):
    publish(editor, reviewer, took=DAY, on=today())
    assign(editor, reviewer, due=today() - DAY)
    editor_client.get(URL)  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        assert editor_client.get(URL).status_code == 200

    people = [UserFactory(first_name=f"R{i}", groups=["Reviewer"]) for i in range(4)]
    for i in range(30):
        day = today() - (i % 50) * DAY
        person = people[i % len(people)]
        ArticleFactory(created_at=noon(day), status=Article.Status.FAILED if i % 3 else Article.Status.READY)
        ClaimFactory(created_at=noon(day), speaker=SpeakerFactory())
        assign(editor, person, due=today() - (i % 7) * DAY, created_at=noon(day))
        if i % 2:
            publish(editor, person, took=(i + 1) * HOUR, on=day, created_at=noon(day))
    with django_assert_num_queries(len(few)):
        response = editor_client.get(URL)
    assert response.context["overdue"].total > dashboard.OVERDUE_SHOWN
    assert len(response.context["reviewers"].rows) == 5
    assert len(few) <= 15  # one more since source health joined the page
