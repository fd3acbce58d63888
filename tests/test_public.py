"""Public pages: a fact-check with its ClaimReview JSON-LD, the index and the feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import lxml.html
import pytest
from django.test import Client
from pyld import jsonld

from claims.models import Verdict
from claims.publishing import verdict_retract

from .factories import ClaimFactory
from .test_api import bulk_published, correct
from .test_api import story as story_fixture

story = story_fixture  # the same published story as the API tests

pytestmark = pytest.mark.django_db

SCHEMA = "http://schema.org/"
# schema.org's context, reduced to what expansion needs: tests never reach the internet.
SCHEMA_CONTEXT = {"@context": {"@vocab": SCHEMA}}


def offline_loader(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}
    raise AssertionError(f"JSON-LD tried to load {url}")


def page_json_ld(html: str) -> list[dict]:
    scripts = lxml.html.fromstring(html).xpath('//script[@type="application/ld+json"]/text()')
    import json

    return [json.loads(text) for text in scripts]


def first(node: dict, name: str):
    values = node.get(SCHEMA + name, [])
    assert values, f"missing {name} in {node}"
    return values[0]


def value(node: dict, name: str):
    item = first(node, name)
    return item.get("@value", item.get("@id"))


def test_the_page_shows_the_fact_check_and_carries_claim_review(story):
    claim = story["claim"]
    response = Client().get(f"/fact-checks/{claim.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Unemployment fell to 4% in May.",
        "Jane Minister",
        "False",
        "No, it rose",
        "Official figures show a rise.",
        "https://stats.example.org/may",
        "May labour survey",
    ):
        assert text in html
    assert "SECRET" not in html and "rita" not in html

    [data] = page_json_ld(html)
    [review] = jsonld.expand(data, {"documentLoader": offline_loader})
    assert review["@type"] == [SCHEMA + "ClaimReview"]
    assert value(review, "claimReviewed") == claim.text
    assert value(review, "url") == f"https://factcheck.example.org/fact-checks/{claim.slug}/"
    assert value(review, "datePublished")
    author = first(review, "author")
    assert author["@type"] == [SCHEMA + "Organization"] and value(author, "name") == "Example Fact Check"
    rating = first(review, "reviewRating")
    assert rating["@type"] == [SCHEMA + "Rating"]
    assert value(rating, "alternateName") == "False"
    assert (value(rating, "ratingValue"), value(rating, "bestRating"), value(rating, "worstRating")) == (1, 5, 1)
    item = first(review, "itemReviewed")
    assert item["@type"] == [SCHEMA + "Claim"]
    assert value(first(item, "author"), "name") == "Jane Minister"
    assert value(item, "datePublished") == "2024-09-30"  # the day the claim was made (the article's)
    assert value(first(item, "appearance"), "url") == "https://news.example.com/budget"


def test_json_ld_cannot_break_out_of_its_script(editor, second_editor, reviewer):
    from .test_api import publish

    claim = ClaimFactory(text='He said "</script><script>alert(1)</script>" & left.')
    publish(claim, reviewer=reviewer, editor=editor, approver=second_editor)
    claim.refresh_from_db()
    html = Client().get(f"/fact-checks/{claim.slug}/").content.decode()
    assert "<script>alert(1)" not in html
    assert page_json_ld(html)[0]["claimReviewed"] == claim.text


def test_a_corrected_page_lists_its_corrections(story, editor, second_editor, reviewer):
    claim = story["claim"]
    correct(claim, reviewer=reviewer, editor=editor, approver=second_editor, rating="mostly-false", headline="Revised")
    html = Client().get(f"/fact-checks/{claim.slug}/").content.decode()
    assert "Corrections" in html and "Version 1" in html and "Updated" in html
    assert "Mostly false" in html and "Revised" in html
    assert page_json_ld(html)[0]["reviewRating"]["alternateName"] == "Mostly false"


def test_a_retracted_page_is_gone(story, editor):
    verdict_retract(verdict=story["verdict"], by=editor, reason="Wrong figures")
    response = Client().get(f"/fact-checks/{story['claim'].slug}/")
    assert response.status_code == 410
    assert "retracted" in response.content.decode()
    assert "Wrong figures" not in response.content.decode()  # the reason stays internal


def test_unpublished_claims_have_no_page(story):
    assert Client().get("/fact-checks/no-such-claim-1/").status_code == 404


def test_the_index_pages_through_recent_fact_checks(editor, second_editor, settings, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_SIZE = 5
    bulk_published(12, author=editor, approver=second_editor)
    with django_assert_max_num_queries(3):
        first_page = Client().get("/fact-checks/")
    html = first_page.content.decode()
    assert html.count('href="/fact-checks/bulk-claim-') == 5
    assert "bulk-claim-11/" in html and "Page 1 of 3" in html
    last = Client().get("/fact-checks/?page=3").content.decode()
    assert last.count('href="/fact-checks/bulk-claim-') == 2 and "bulk-claim-0/" in last
    assert Client().get("/fact-checks/?page=nonsense").status_code == 200


def test_the_feed_carries_the_fact_checks(story):
    response = Client().get("/fact-checks/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.fromstring(response.content).findall(f"{atom}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{atom}title").text == "False: No, it rose"
    assert entries[0].find(f"{atom}link").get("href").endswith(f"/fact-checks/{story['claim'].slug}/")
    assert Verdict.objects.filter(state="published").count() == 1
