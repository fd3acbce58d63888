"""Public pages: a fact-check with its ClaimReview JSON-LD, the index and the feed."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import lxml.html
import pytest
from django.test import Client
from pyld import jsonld

from claims import workflow
from claims.models import (
    ApprovalPolicy,
    Claim,
    Partner,
    Rating,
    Speaker,
    Verdict,
    WebhookDelivery,
    WebhookEndpoint,
)
from claims.publishing.claimreview import fact_check_item
from claims.queries.claimreview import load
from claims.services import evidence as workbench
from claims.workflow import verdict_retract

from .builders import bulk_published, correct, publish
from .factories import ArticleFactory, ClaimFactory, EvidenceFactory, QuoteFactory, SpeakerFactory, UserFactory

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


# Published means frozen ---------------------------------------------------------------------


def public_record(claim: Claim, client) -> dict:
    """Everything outside the workbench that shows the fact-check: the page, the partner
    API's item, the feed and the webhook log."""
    return {
        "page": Client().get(f"/fact-checks/{claim.slug}/").content.decode(),
        "api": client.get(f"/api/v1/fact-checks/{claim.pk}/").json(),
        "feed": Client().get("/fact-checks/feed/").content.decode(),
        "webhooks": list(WebhookDelivery.objects.order_by("pk").values_list("event", "fact_check_id", "body")),
    }


def test_edits_of_a_published_claim_wait_for_another_editors_approval(
    story, editor, second_editor, reviewer, partner_key_client, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(partner=Partner.objects.create(name="Platform"), url="https://hooks.example.net/")
    claim = Claim.objects.get(pk=story["claim"].pk)
    before = public_record(claim, partner_key_client)
    with django_capture_on_commit_callbacks():
        # The assigned reviewer rewrites the claim; then an editor changes it and its evidence.
        workflow.claim_edit(claim=claim, by=reviewer, version=claim.version, text="Unemployment fell to 2%.")
        claim.refresh_from_db()
        workflow.claim_edit(claim=claim, by=editor, version=claim.version, statement="Unemployment fell to 2% in May")
        evidence = claim.evidence.get()
        workbench.evidence_edit(evidence=evidence, by=editor, version=evidence.version, title="Edited source")
        workbench.evidence_add(claim=claim, by=reviewer, url="https://stats.example.org/june", title="June survey")
        draft = Verdict.objects.get(claim=claim, state=Verdict.State.DRAFT)
        workflow.verdict_save_draft(
            claim=claim,
            by=reviewer,
            rating=Rating.objects.get(slug="mostly-false"),
            headline="Not quite",
            analysis="Revised.",
            version=draft.version,
        )
        workflow.verdict_submit(verdict=Verdict.objects.get(pk=draft.pk), by=reviewer)
    after = public_record(claim, partner_key_client)
    assert after == before  # page, API item, feed entry and webhook log: exactly as approved
    with pytest.raises(workflow.NotAllowed):  # the editor who changed it cannot approve it
        workflow.verdict_approve(verdict=Verdict.objects.get(pk=draft.pk), by=editor)
    assert public_record(claim, partner_key_client) == before

    with django_capture_on_commit_callbacks():
        workflow.verdict_approve(verdict=Verdict.objects.get(pk=draft.pk), by=second_editor)
    item = partner_key_client.get(f"/api/v1/fact-checks/{claim.pk}/").json()
    assert item["version"] == 2 and item["claim"]["text"] == "Unemployment fell to 2% in May"
    assert item["changes"] == [
        "Rating changed from False to Mostly false.",
        "Headline revised.",
        "Analysis revised.",
        "The claim as checked was reworded.",
        "1 source added.",
        "1 source revised.",
    ]
    assert item["claim_review"]["claimReviewed"] == "Unemployment fell to 2% in May"
    assert [e["title"] for e in item["evidence"]] == ["Edited source", "June survey"]
    # Partners get a "corrected" webhook, whose body is this same item (changes included).
    [corrected] = WebhookDelivery.objects.filter(event=WebhookDelivery.Event.CORRECTED)
    assert corrected.fact_check_id == claim.pk
    assert fact_check_item(load(claim.pk))["changes"] == item["changes"]
    page = Client().get(f"/fact-checks/{claim.slug}/").content.decode()
    assert "Unemployment fell to 2% in May" in page and "Corrections" in page
    assert "Rating changed from False to Mostly false." in page and "Version 1" in page


def test_the_public_page_shows_the_evidence_of_the_version_it_shows(story, editor, reviewer):
    claim = Claim.objects.get(pk=story["claim"].pk)
    workbench.evidence_add(claim=claim, by=reviewer, url="https://stats.example.org/new", title="NEW-SOURCE")
    page = Client().get(f"/fact-checks/{claim.slug}/").content.decode()
    assert "May labour survey" in page and "NEW-SOURCE" not in page


# The claim as checked ------------------------------------------------------------------


def test_the_page_attributes_the_claim_as_checked_with_its_date_and_appearance(editor, second_editor, reviewer):
    speaker = SpeakerFactory(name="Ada Rowe", slug="ada-rowe")
    article = ArticleFactory(
        url="https://courier.example.com/vote",
        title="After the vote",
        outlet="the Lakeside Courier",
        published_at=datetime.datetime(2026, 11, 4, 7, tzinfo=datetime.UTC),
    )
    sentence = "“Our plan cut waiting lists by half,” Rowe told reporters after the vote."
    claim = ClaimFactory(text=sentence, speaker=speaker, article=article)
    claim.statement = "The plan cut waiting lists by half"
    claim.claim_date = datetime.date(2026, 11, 3)  # said the day before the article appeared
    claim.first_appearance_url = "https://radio.example.com/interview"
    claim.save()
    publish(claim, reviewer=reviewer, editor=editor, approver=second_editor)
    claim.refresh_from_db()
    html = Client().get(f"/fact-checks/{claim.slug}/").content.decode()
    doc = lxml.html.fromstring(html)
    quote = doc.xpath('string(//blockquote[@class="claim"]/p)')
    footer = " ".join(doc.xpath('string(//blockquote[@class="claim"]/footer)').split())
    assert quote == "The plan cut waiting lists by half"  # no doubled quotation marks, no "told reporters"
    assert footer == "Ada Rowe, in the Lakeside Courier, 3 November 2026"
    review = page_json_ld(html)[0]
    assert review["claimReviewed"] == "The plan cut waiting lists by half"
    assert review["itemReviewed"]["datePublished"] == "2026-11-03"
    assert review["itemReviewed"]["appearance"][0]["url"] == "https://courier.example.com/vote"
    assert review["itemReviewed"]["firstAppearance"] == {
        "@type": "CreativeWork",
        "url": "https://radio.example.com/interview",
    }
    assert Claim.objects.get(pk=claim.pk).text == sentence  # the sentence as found is kept


def test_a_pasted_articles_claim_has_no_appearance_and_an_internal_one_is_not_named(editor, second_editor, reviewer):
    internal = ArticleFactory(url="https://intranet.example.com/leak", outlet="Leaked memo", internal=True)
    claim = ClaimFactory(text="Budgets doubled.", article=internal)
    publish(claim, reviewer=reviewer, editor=editor, approver=second_editor)
    claim.refresh_from_db()
    html = Client().get(f"/fact-checks/{claim.slug}/").content.decode()
    assert "intranet.example.com" not in html and "Leaked memo" not in html
    assert "appearance" not in page_json_ld(html)[0]["itemReviewed"]


# The rating scale ----------------------------------------------------------------------------


def test_the_rating_scale_page_explains_each_rating_and_its_number(story):
    html = Client().get("/fact-checks/rating-scale/").content.decode()
    doc = lxml.html.fromstring(html)
    for rating in Rating.objects.all():
        [term] = doc.xpath(f'//dt[@id="{rating.slug}"]')
        expected = f"{rating.value} of 5" if rating.value is not None else "no number"
        assert expected in term.text_content()
        assert rating.description in term.getnext().text_content()
    page = Client().get(f"/fact-checks/{story['claim'].slug}/").content.decode()
    assert 'href="/fact-checks/rating-scale/#false"' in page
    assert "approved by an editor other than the one who wrote it" in html


def test_the_rating_scale_page_describes_a_panel_when_one_approves(story):
    ApprovalPolicy.objects.create(approvals_required=3, vote_on_rating=True, min_evidence=1)
    html = Client().get("/fact-checks/rating-scale/").content.decode()
    assert "approved by a panel of 3 editors, none of whom wrote or changed it" in html
    assert "the majority's rating is published" in html
    assert "approved by an editor other than" not in html


# Panels on the public page -------------------------------------------------------------------


def test_a_panel_vote_is_shown_publicly_when_the_newsroom_chooses(editor, second_editor, reviewer):
    from claims.models import EDITOR_GROUP

    ApprovalPolicy.objects.create(approvals_required=3, vote_on_rating=True, show_panel_publicly=True, min_evidence=1)
    ann = UserFactory(username="ann", groups=[EDITOR_GROUP])
    claim = ClaimFactory(text="Crime halved.")
    EvidenceFactory(claim=claim)
    workflow.claim_accept(claim=claim, by=editor)
    workflow.claim_assign(claim=claim, by=editor, assignee=reviewer)
    verdict = workflow.verdict_save_draft(
        claim=claim, by=reviewer, rating=Rating.objects.get(slug="false"), headline="No", analysis=""
    )
    workflow.verdict_submit(verdict=verdict, by=reviewer)
    for person, slug in ((editor, "false"), (second_editor, "mostly-false"), (ann, "false")):
        workflow.verdict_approve(verdict=verdict, by=person, rating=Rating.objects.get(slug=slug))
    claim.refresh_from_db()
    html = Client().get(f"/fact-checks/{claim.slug}/").content.decode()
    assert "Rated by a panel of 3 editors, 2 to 1." in html
    assert "mostly" not in html.lower()  # the dissent is kept in the workbench, not named publicly


# Speaker pages show only what editors published ----------------------------------------------


def test_a_speaker_page_lists_only_quotes_published_on_the_web_and_not_internal(db):
    speaker = SpeakerFactory(slug="ada-rowe", name="Ada Rowe")
    QuoteFactory(speaker=speaker, text="ON-THE-WEB", article__url="https://news.example.org/a")
    QuoteFactory(speaker=speaker, text="PASTED-ONLY", article__url="")
    QuoteFactory(
        speaker=speaker, text="MARKED-INTERNAL", article__url="https://news.example.org/b", article__internal=True
    )
    html = Client().get("/speakers/ada-rowe/").content.decode()
    assert "ON-THE-WEB" in html
    assert "PASTED-ONLY" not in html and "MARKED-INTERNAL" not in html


def test_an_editor_can_hide_a_speakers_page(db):
    speaker = SpeakerFactory(slug="ada-rowe")
    assert Client().get("/speakers/ada-rowe/").status_code == 200
    Speaker.objects.filter(pk=speaker.pk).update(page_hidden=True)
    assert Client().get("/speakers/ada-rowe/").status_code == 404
