"""Exports of published fact-checks: the service, the command and the admin's buttons."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.http import StreamingHttpResponse
from rest_framework.test import APIClient

from claims.models import REVIEWER_GROUP, FactCheck
from claims.publishing import exports
from claims.publishing.claimreview import page_url
from claims.workflow import verdict_retract

from .builders import bulk_published, correct, publish
from .factories import ArticleFactory, ClaimFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPORT = "/admin/claims/factcheck/export/{}/"
UTC = datetime.UTC


def set_dates(claim, *, published: datetime.datetime, changed: datetime.datetime | None = None) -> None:
    FactCheck.objects.filter(pk=claim.pk).update(first_published_at=published, changed_at=changed or published)


@pytest.fixture
def fact_checks(editor, second_editor, reviewer):
    """Three published fact-checks (one with unicode, one with would-be formulas, one off the
    numeric scale), one retracted, and a claim still in review."""
    people = {"reviewer": reviewer, "editor": editor, "approver": second_editor}
    speaker = SpeakerFactory(name="Zoë Ångström-Łukasz", slug="zoe-angstrom")
    article = ArticleFactory(url="https://news.example.com/chômage", title="Le chômage — «baisse»", outlet="Le Jour")
    unicode = ClaimFactory(text="Le chômage a baissé de 4 % en mai 日本 🙂", speaker=speaker, article=article)
    publish(unicode, rating="mostly-false", headline="Pas tout à fait: 3,8 %", **people)
    set_dates(unicode, published=datetime.datetime(2024, 1, 10, 9, tzinfo=UTC))

    trap_speaker = SpeakerFactory(name="@mallory", slug="mallory")
    trap_article = ArticleFactory(url="https://evil.example.com/x", title="+cmd|' /C calc'!A0", outlet="-Outlet")
    formula = ClaimFactory(
        text='=HYPERLINK("https://evil.example.com","click")', speaker=trap_speaker, article=trap_article
    )
    publish(formula, rating="false", headline="-1 for honesty", **people)
    set_dates(
        formula,
        published=datetime.datetime(2024, 2, 1, 9, tzinfo=UTC),
        changed=datetime.datetime(2024, 6, 1, 9, tzinfo=UTC),
    )

    no_speaker = ClaimFactory(text="Exports doubled.", speaker=None, article=None)
    publish(no_speaker, rating="misleading", headline="Only in one month", **people)
    set_dates(no_speaker, published=datetime.datetime(2024, 3, 1, 9, tzinfo=UTC))

    retracted = ClaimFactory(text="RETRACTED the moon is cheese.")
    verdict = publish(retracted, **people)
    verdict_retract(verdict=verdict, by=editor, reason="Wrong person")

    in_review = ClaimFactory(text="UNPUBLISHED inflation is zero.")
    return {
        "unicode": unicode,
        "formula": formula,
        "no_speaker": no_speaker,
        "retracted": retracted,
        "draft": in_review,
    }


def export_text(**kwargs) -> str:
    return "".join(exports.factchecks_export(**kwargs))


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


# The service ---------------------------------------------------------------------------------


def test_csv_holds_every_published_fact_check_once_oldest_first(fact_checks):
    rows = csv_rows(export_text(fmt="csv"))
    assert [int(row["id"]) for row in rows] == [
        fact_checks["unicode"].pk,
        fact_checks["formula"].pk,
        fact_checks["no_speaker"].pk,
    ]
    text = export_text(fmt="csv")
    assert "RETRACTED" not in text and "UNPUBLISHED" not in text


def test_csv_columns_equal_the_database_and_unicode_survives(fact_checks):
    row = csv_rows(export_text(fmt="csv"))[0]
    claim = fact_checks["unicode"]
    assert tuple(row) == exports.CSV_HEADER
    assert row == {
        "id": str(claim.pk),
        "url": page_url(FactCheck.objects.get(pk=claim.pk).claim.slug),
        "claim": "Le chômage a baissé de 4 % en mai 日本 🙂",
        "speaker": "Zoë Ångström-Łukasz",
        "speaker_slug": "zoe-angstrom",
        "rating": "Mostly false",
        "rating_value": "2",
        "headline": "Pas tout à fait: 3,8 %",
        "first_published": "2024-01-10T09:00:00Z",
        "last_changed": "2024-01-10T09:00:00Z",
        "article_url": "https://news.example.com/chômage",
        "article_title": "Le chômage — «baisse»",
        "article_outlet": "Le Jour",
    }
    blank = csv_rows(export_text(fmt="csv"))[2]
    assert (blank["speaker"], blank["article_url"], blank["rating"], blank["rating_value"]) == (
        "",
        "",
        "Misleading",
        "",
    )


def test_csv_injection_is_neutralised(fact_checks):
    row = csv_rows(export_text(fmt="csv"))[1]
    assert row["claim"] == '\'=HYPERLINK("https://evil.example.com","click")'
    assert row["speaker"] == "'@mallory"
    assert row["headline"] == "'-1 for honesty"
    assert row["article_title"] == "'+cmd|' /C calc'!A0"
    assert row["article_outlet"] == "'-Outlet"
    assert exports.cell_safe("\tx") == "'\tx" and exports.cell_safe("plain") == "plain" and exports.cell_safe(-1) == -1


def test_jsonl_lines_are_exactly_the_claim_reviews_the_api_gives(fact_checks, editor):
    lines = export_text(fmt="jsonl").splitlines()
    assert len(lines) == 3
    api = APIClient()
    api.force_login(editor)
    for claim, line in zip(
        (fact_checks["unicode"], fact_checks["formula"], fact_checks["no_speaker"]), lines, strict=True
    ):
        from_api = api.get(f"/api/v1/fact-checks/{claim.pk}/", HTTP_ACCEPT="application/ld+json")
        assert json.loads(line) == from_api.json()
    assert "日本 🙂" in lines[0]  # written as text, not \u escapes


def test_since_keeps_fact_checks_published_or_changed_on_or_after_that_day(fact_checks):
    def ids(day: datetime.date) -> list[int]:
        return [int(row["id"]) for row in csv_rows(export_text(fmt="csv", since=day))]

    assert ids(datetime.date(2024, 1, 10)) == [
        fact_checks["unicode"].pk,
        fact_checks["formula"].pk,
        fact_checks["no_speaker"].pk,
    ]
    assert ids(datetime.date(2024, 1, 11)) == [fact_checks["formula"].pk, fact_checks["no_speaker"].pk]
    assert ids(datetime.date(2024, 3, 2)) == [fact_checks["formula"].pk]  # corrected in June
    assert ids(datetime.date(2024, 6, 2)) == []
    assert exports.factchecks_count(since=datetime.date(2024, 1, 11)) == 2
    assert exports.factchecks_count() == 3


def test_an_export_costs_one_query_however_many_rows(editor, second_editor, django_assert_num_queries):
    few = [fact_check.pk for fact_check in bulk_published(12, approver=second_editor, author=editor)[:3]]
    with django_assert_num_queries(1):
        assert len(list(exports.factchecks_export(fmt="jsonl", base=FactCheck.objects.filter(pk__in=few)))) == 3
    with django_assert_num_queries(1):
        assert len(list(exports.factchecks_export(fmt="csv", chunk_size=2))) == 1 + 12


def test_lines_are_batched_without_losing_any():
    lines = [f"{n}\n" for n in range(7)]
    batches = list(exports.lines_batched(lines, size=3))
    assert len(batches) == 3 and "".join(batches) == "".join(lines)


# The command ---------------------------------------------------------------------------------


def test_command_writes_csv_to_stdout(fact_checks):
    out = io.StringIO()
    call_command("export_factchecks", "--format", "csv", stdout=out, stderr=io.StringIO())
    assert out.getvalue() == export_text(fmt="csv")


def test_command_writes_jsonl_since_a_date_to_a_file(fact_checks, tmp_path):
    target = tmp_path / "out.jsonl"
    err = io.StringIO()
    call_command("export_factchecks", "--since", "2024-01-11", "--format", "jsonl", "--output", str(target), stderr=err)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["claimReviewed"] for line in lines] == [
        fact_checks["formula"].text,
        fact_checks["no_speaker"].text,
    ]
    assert "2 fact-checks written" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--since", "yesterday"], "YYYY-MM-DD"),
        (["--since", "2024-13-45"], "YYYY-MM-DD"),
        (["--format", "xml"], 'Unknown format "xml"'),
        (["--output", "/nonexistent-dir/x.csv"], "Cannot write"),
    ],
)
def test_command_refuses_bad_arguments_with_a_message(args, words):
    with pytest.raises(CommandError, match=words):
        call_command("export_factchecks", *args, stdout=io.StringIO(), stderr=io.StringIO())


# The admin -----------------------------------------------------------------------------------


def download(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def test_editor_downloads_csv_streamed_with_a_dated_filename(fact_checks, editor, editor_client):
    response = editor_client.get(EXPORT.format("csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="fact-checks-{today}.csv"'
    text = download(response)
    assert text.startswith("\ufeff")  # so Excel reads UTF-8
    assert [int(row["id"]) for row in csv_rows(text)] == [
        fact_checks["unicode"].pk,
        fact_checks["formula"].pk,
        fact_checks["no_speaker"].pk,
    ]


def test_editor_downloads_jsonl_since_a_date(fact_checks, editor, editor_client):
    response = editor_client.get(EXPORT.format("jsonl") + "?since=2024-03-02")
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    assert "fact-checks-since-2024-03-02-" in response["Content-Disposition"]
    assert [json.loads(line)["headline"] for line in download(response).splitlines()] == ["-1 for honesty"]


def test_the_export_honours_the_changelist_search_and_filters(fact_checks, editor, editor_client):
    found = csv_rows(download(editor_client.get(EXPORT.format("csv") + "?q=chômage")))
    assert [int(row["id"]) for row in found] == [fact_checks["unicode"].pk]
    assert csv_rows(download(editor_client.get(EXPORT.format("csv") + "?status__exact=retracted"))) == []


def test_a_bad_since_or_format_in_the_admin_is_refused(fact_checks, editor, editor_client):
    response = editor_client.get(EXPORT.format("csv") + "?since=soon", follow=True)
    assert "YYYY-MM-DD" in response.content.decode()
    assert editor_client.get(EXPORT.format("xml")).status_code == 404


def test_the_changelist_shows_export_links_carrying_its_filters(fact_checks, editor, editor_client):
    page = editor_client.get("/admin/claims/factcheck/?status__exact=published").content.decode()
    assert f'href="{EXPORT.format("csv")}?status__exact=published"' in page
    assert "Export JSON Lines" in page


def test_only_editors_may_export(fact_checks, client, reviewer):
    assert client.get(EXPORT.format("csv")).status_code == 302  # anonymous: to the login page
    for user in (
        UserFactory(username="sam", is_staff=True),  # staff without a role
        UserFactory(username="rhea", is_staff=True, groups=[REVIEWER_GROUP]),
    ):
        client.force_login(user)
        response = client.get(EXPORT.format("jsonl"))
        assert response.status_code == 403
        assert not isinstance(response, StreamingHttpResponse)
    client.force_login(reviewer)  # not staff: the admin sends her to its login
    assert client.get(EXPORT.format("csv")).status_code == 302


def test_a_corrected_fact_check_is_exported_once_at_its_current_version(fact_checks, editor, second_editor, reviewer):
    correct(
        fact_checks["no_speaker"],
        reviewer=reviewer,
        editor=editor,
        approver=second_editor,
        rating="false",
        headline="Fixed",
    )
    rows = [row for row in csv_rows(export_text(fmt="csv")) if int(row["id"]) == fact_checks["no_speaker"].pk]
    assert [(row["headline"], row["rating"]) for row in rows] == [("Fixed", "False")]
