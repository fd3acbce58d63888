"""The smaller things a desk meets all day: icon, admin link, exports from the workbench,
readable rating badges, the feed's entry titles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import workflow
from claims.contrast import WHITE, contrast, for_white_text
from claims.models import Rating

from .factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_every_page_names_an_icon_and_the_old_address_finds_it(editor_client, editor):
    assert 'rel="icon" href="/static/claims/favicon.svg"' in editor_client.get("/").content.decode()
    response = editor_client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("claims/favicon.svg")


def test_staff_see_a_link_to_the_admin_and_reviewers_do_not(client, editor, reviewer):
    client.force_login(editor)
    assert 'href="/admin/">Admin</a>' in client.get("/").content.decode()
    client.force_login(reviewer)
    assert 'href="/admin/">Admin</a>' not in client.get("/").content.decode()


def test_editors_reach_the_exports_from_the_dashboard(editor_client, editor):
    html = editor_client.get(reverse("claims:dashboard")).content.decode()
    url = reverse("admin:claims_factcheck_export", args=["csv"])
    assert f'href="{url}"' in html
    assert editor_client.get(url).status_code == 200


def test_every_rating_of_the_default_scale_reads_in_white_at_4_5_to_1():
    for rating in Rating.objects.all():
        assert contrast(rating.colour, WHITE) >= 4.5, rating.label


def test_darkening_keeps_a_readable_colour_and_fixes_a_grey():
    assert for_white_text("#1a7f37") == "#1a7f37"
    assert contrast(for_white_text("#9e9e9e"), WHITE) >= 4.5


def test_the_feed_does_not_repeat_the_rating_in_an_entry_title(client, editor, second_editor, reviewer):
    claim = ClaimFactory(text="Crime halved")
    workflow.claim_accept(claim=claim, by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
    rating = Rating.objects.get(slug="misleading")
    verdict = workflow.verdict_save_draft(
        claim=claim, by=reviewer, rating=rating, headline="Misleading: the fall was in one city", analysis="A."
    )
    workflow.verdict_approve(verdict=workflow.verdict_submit(verdict=verdict, by=reviewer), by=second_editor)
    feed = client.get(reverse("public:feed")).content.decode()
    assert "<title>Misleading: the fall was in one city</title>" in feed
    assert "Misleading: Misleading" not in feed
