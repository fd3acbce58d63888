"""ClaimReview read as fact-checkers publish it: one test per published shape that used to
lose or refuse something (small files written for these tests, in those shapes)."""

from __future__ import annotations

import json

import pytest

from claims import external
from claims.models import ExternalFactCheck

from .builders import claim_review, claim_review_import
from .support import Route

pytestmark = pytest.mark.django_db


def only() -> ExternalFactCheck:
    return ExternalFactCheck.objects.get()


def test_a_claimant_named_as_a_list_keeps_the_name():
    claim = {"@type": "Claim", "author": {"@type": "Person", "name": ["Ana Lima", "mayor of Riverton"]}}
    claim_review_import(json.dumps(claim_review(1, itemReviewed=claim)))
    assert only().claimant == "Ana Lima"


def test_several_claimants_are_all_kept():
    people = [{"@type": "Person", "name": "Ana Lima"}, {"@type": "Organization", "name": "Riverton Council"}]
    claim_review_import(json.dumps(claim_review(1, itemReviewed={"@type": "Claim", "author": people})))
    assert only().claimant == "Ana Lima, Riverton Council"


def test_a_journalist_as_author_is_not_taken_for_the_publisher():
    item = claim_review(
        1,
        author={"@type": "Person", "name": "Rui Costa", "url": "https://checker.example.org/team/rui"},
        publisher={"@type": "Organization", "name": "Checker Desk", "url": "https://checker.example.org/"},
    )
    claim_review_import(json.dumps(item))
    assert (only().publisher_name, only().publisher_url) == ("Checker Desk", "https://checker.example.org/")


def test_without_a_publisher_the_journalists_organisation_is_the_publisher():
    author = {"@type": "Person", "name": "Rui Costa", "worksFor": {"@type": "Organization", "name": "Checker Desk"}}
    claim_review_import(json.dumps(claim_review(1, author=author)))
    assert only().publisher_name == "Checker Desk"


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        pytest.param({"@type": "Claim", "url": "https://video.example.com/v/12"}, ["https://video.example.com/v/12"]),
        pytest.param(
            {"@type": "Claim", "mainEntityOfPage": {"@id": "https://social.example.com/post/9"}},
            ["https://social.example.com/post/9"],
            id="mainEntityOfPage",
        ),
        pytest.param(
            {
                "@type": "Claim",
                "firstAppearance": {"@type": "CreativeWork", "url": "https://a.example.com/first"},
                "appearance": [
                    {"@type": "CreativeWork", "url": "https://b.example.com/second"},
                    {"@type": "CreativeWork", "url": "https://c.example.com/third"},
                ],
            },
            ["https://a.example.com/first", "https://b.example.com/second", "https://c.example.com/third"],
            id="several appearances",
        ),
    ],
)
def test_every_appearance_of_the_claim_is_kept(claim, expected):
    claim_review_import(json.dumps(claim_review(1, itemReviewed=claim)))
    assert only().appearances == expected and only().appearance_url == expected[0]


def test_html_entities_are_decoded():
    item = claim_review(
        1, claimReviewed="The mayor&#039;s &amp;quot;new&amp;quot; bridge cost &euro;5m", headline="A&amp;B"
    )
    claim_review_import(json.dumps(item))
    assert only().claim_reviewed == 'The mayor\'s "new" bridge cost €5m' and only().headline == "A&B"


def test_a_review_url_without_a_scheme_gets_https():
    claim_review_import(json.dumps(claim_review(1, url="checker.example.org/checks/7")))
    assert only().review_url == "https://checker.example.org/checks/7"


def test_a_relative_review_url_is_resolved_against_the_feed(site):
    feed = json.dumps([claim_review(1, url="/checks/8")]).encode()
    url = site.add("/feeds/reviews.json", Route(body=feed, headers={"Content-Type": "application/ld+json"}))
    run = external.claimreview_import_create(source_url=url, queue=False)
    external.claimreview_import_run(run_id=run.pk)
    assert only().review_url == site.url("/checks/8")


def test_a_relative_review_url_without_a_page_to_resolve_it_is_refused_with_that_reason():
    run = claim_review_import(json.dumps([claim_review(1, url="../checks/8"), claim_review(2)]))
    assert (run.created, run.refused) == (1, 1)
    assert run.report[0]["reason"] == (
        "Its url '../checks/8' is relative and there is no page address to resolve it against."
    )


def test_other_nodes_of_a_page_graph_are_skipped_not_refused():
    graph = [
        {"@type": "NewsArticle", "headline": "A fact-check"},
        {"@type": "WebPage", "url": "https://checker.example.org/checks/1"},
        {"@type": "BreadcrumbList", "itemListElement": []},
        {"@type": "Organization", "name": "Example Checker"},
        claim_review(1),
        {"@type": ["ClaimReview"], "url": "https://checker.example.org/checks/2"},  # a real problem, reported
    ]
    run = claim_review_import(json.dumps({"@context": "https://schema.org", "@graph": graph}))
    assert (run.status, run.total, run.created, run.refused, run.skipped) == ("done", 2, 1, 1, 4)
    assert run.report == [
        {
            "index": 2,
            "url": "https://checker.example.org/checks/2",
            "reason": "It has no claimReviewed (the text of the claim).",
        }
    ]


def test_a_claimreview_nested_in_an_article_of_the_graph_is_found():
    article = {"@type": "NewsArticle", "headline": "x", "mainEntity": claim_review(1)}
    run = claim_review_import(json.dumps({"@context": "https://schema.org", "@graph": [article]}))
    assert (run.created, run.skipped) == (1, 0)


PAGE = """<!doctype html><html><head><title>Fact check</title>
<link rel="canonical" href="https://checker.example.org/checks/bridge">
{head}</head><body><h1>Did the bridge cost 5 million?</h1>{body}</body></html>"""


def test_an_html_page_is_read_for_its_json_ld():
    jsonld = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, claim_review(1, url="/checks/bridge")]}
    head = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
    run = claim_review_import(PAGE.format(head=head, body=""), filename="check.html")
    assert (run.status, run.created, run.refused, run.skipped) == ("done", 1, 0, 1), run.error
    assert only().review_url == "https://checker.example.org/checks/bridge"


def test_an_html_page_is_read_for_its_microdata():
    body = """<div itemscope itemtype="https://schema.org/ClaimReview">
    <link itemprop="url" href="/checks/bridge"><span itemprop="claimReviewed">The bridge cost 5 million</span>
    <div itemprop="author" itemscope itemtype="https://schema.org/Organization">
    <span itemprop="name">Micro Check</span></div>
    <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
    <span itemprop="alternateName">Mostly false</span></div>
    <div itemprop="itemReviewed" itemscope itemtype="https://schema.org/Claim">
    <div itemprop="author" itemscope itemtype="https://schema.org/Person">
    <span itemprop="name">Ana Lima</span></div></div>
    </div>"""
    run = claim_review_import(PAGE.format(head="", body=body), filename="check.html")
    assert (run.status, run.created) == ("done", 1), run.error or run.report
    check = only()
    assert (check.publisher_name, check.rating_label, check.claimant) == ("Micro Check", "Mostly false", "Ana Lima")
    assert check.review_url == "https://checker.example.org/checks/bridge"


def test_an_html_page_is_read_for_its_rdfa():
    body = """<div vocab="https://schema.org/" typeof="ClaimReview">
    <a property="url" href="https://checker.example.org/checks/bridge">link</a>
    <span property="claimReviewed">The bridge cost 5 million</span>
    <div property="author" typeof="Organization"><span property="name">Rdfa Check</span></div>
    <div property="reviewRating" typeof="Rating"><span property="alternateName">False</span></div>
    <div property="itemReviewed" typeof="Claim"><div property="appearance" typeof="CreativeWork">
    <a property="url" href="https://news.example.com/bridge">story</a></div></div></div>"""
    run = claim_review_import(PAGE.format(head="", body=body), filename="check.html")
    assert (run.status, run.created) == ("done", 1), run.error or run.report
    check = only()
    assert (check.publisher_name, check.rating_label) == ("Rdfa Check", "False")
    assert check.appearances == ["https://news.example.com/bridge"]


def test_a_page_without_claimreview_fails_in_words():
    run = claim_review_import(PAGE.format(head="", body="<p>No structured data here.</p>"), filename="check.html")
    assert run.status == "failed" and run.error == "The HTML page has no ClaimReview in its JSON-LD, microdata or RDFa."


@pytest.mark.parametrize("key", ["data", "items", "results"])
def test_a_list_wrapped_in_an_api_response_is_read(key):
    run = claim_review_import(json.dumps({"total_results": 2, "page": 1, key: [claim_review(1), claim_review(2)]}))
    assert (run.status, run.total, run.created, run.refused) == ("done", 2, 2, 0), run.error
